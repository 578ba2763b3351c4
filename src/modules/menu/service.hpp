#pragma once
// Menu administration. Every write commits to the database, then rebuilds the in-memory snapshot
// before returning, so the very next public read shows the change; other nodes hear of it on the
// invalidation bus.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "cache/bus.hpp"
#include "modules/menu/catalog.hpp"
#include "store/database.hpp"

namespace tiptop::menu {

class MenuService {
 public:
  MenuService(store::Database& db, Catalog& catalog, cache::InvalidationBus& bus);

  void load_sync();  // at start-up
  // Rebuild the snapshot after changes made elsewhere (orders update popularity and ratings).
  boost::asio::awaitable<void> refresh() { co_await reload(); }
  boost::asio::awaitable<MenuItem> create(boost::json::object body);
  boost::asio::awaitable<MenuItem> update(std::string id, boost::json::object body);
  boost::asio::awaitable<void> remove(std::string id);  // soft: isActive=false
  boost::asio::awaitable<MenuItem> set_availability(std::string id, bool available);
  // After an upload: the large variant becomes the main image if there is none; all go to images.
  boost::asio::awaitable<MenuItem> add_images(std::string id, std::vector<std::string> urls, std::string main_url);

 private:
  boost::asio::awaitable<void> reload(bool tell_others = true);
  store::Database& db_;
  Catalog& catalog_;
  cache::InvalidationBus& bus_;
};

// Applies the editable fields present in a validated body onto item; throws ValidationError for
// rules the schema cannot express (two-decimal money, originalPrice below price).
void apply_fields(MenuItem& item, const boost::json::object& body);

}  // namespace tiptop::menu
