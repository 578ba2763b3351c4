#pragma once
// Public menu reads computed from a snapshot: filtered and sorted pages (offset or cursor),
// categories with counts, popular items, search. Pure functions of (snapshot, query).
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "modules/menu/catalog.hpp"

namespace tiptop::menu {

struct ListQuery {
  std::int64_t page = 1, limit = 20;
  std::optional<std::string> cursor;  // present (even empty): cursor pagination
  std::string category, sub, tag, sort = "newest";
  std::optional<bool> veg, vegan, gluten_free, available;
  std::optional<money::Paise> min_price, max_price;
  std::optional<int> max_spice;
};

// From the route's validated query object; throws ValidationError for values the schema cannot express.
ListQuery list_query_from(const boost::json::object& q);
// The canonical text of a query: the cache key of its rendering.
std::string cache_key(const ListQuery& q);

Snapshot::Rendered render_list(const Snapshot& s, const ListQuery& q);
Snapshot::Rendered render_categories(const Snapshot& s);
Snapshot::Rendered render_popular(const Snapshot& s, std::size_t limit);
Snapshot::Rendered render_search(const Snapshot& s, const std::string& q, std::size_t limit);

}  // namespace tiptop::menu
