#include "modules/menu/listing.hpp"

#include <boost/json.hpp>

#include "core/crypto.hpp"
#include "core/errors.hpp"
#include "core/json.hpp"

namespace tiptop::menu {
namespace bj = boost::json;
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool ieq(const std::string& a, const std::string& b) { return lower(a) == lower(b); }

std::optional<bool> flag(const bj::object& q, const char* key) {
  if (auto* v = q.if_contains(key); v && v->is_bool()) return v->get_bool();
  return std::nullopt;
}

std::optional<money::Paise> price(const bj::object& q, const char* key) {
  auto* v = q.if_contains(key);
  if (!v) return std::nullopt;
  auto p = money::from_json(*v);
  if (!p) throw ValidationError("Validation failed", {{key, "must be an amount in rupees with at most two decimals"}});
  return p;
}

bool matches(const MenuItem& m, const ListQuery& q) {
  if (!q.category.empty() && !ieq(q.category, "all") && !ieq(m.category_main, q.category)) return false;
  if (!q.sub.empty() &&
      std::none_of(m.category_sub.begin(), m.category_sub.end(), [&](auto& s) { return ieq(s, q.sub); }))
    return false;
  if (!q.tag.empty() && std::none_of(m.tags.begin(), m.tags.end(), [&](auto& t) { return ieq(t, q.tag); }))
    return false;
  if (q.veg && m.is_vegetarian != *q.veg) return false;
  if (q.vegan && m.is_vegan != *q.vegan) return false;
  if (q.gluten_free && m.is_gluten_free != *q.gluten_free) return false;
  if (q.available && m.is_available != *q.available) return false;
  if (q.min_price && m.price < *q.min_price) return false;
  if (q.max_price && m.price > *q.max_price) return false;
  if (q.max_spice && m.spice_level > *q.max_spice) return false;
  return true;
}

// Sort keys as one comparable number (larger first) plus the id as a tie-breaker, so a cursor is
// just "the last (key, id) seen".
double sort_key(const MenuItem& m, const std::string& sort) {
  if (sort == "price") return -static_cast<double>(m.price);  // cheapest first
  if (sort == "-price") return static_cast<double>(m.price);
  if (sort == "rating") return m.rating;
  if (sort == "popular") return static_cast<double>(m.total_orders);
  return static_cast<double>(m.created_at);  // newest
}

bool before(const MenuItem& a, const MenuItem& b, const std::string& sort) {
  const double ka = sort_key(a, sort), kb = sort_key(b, sort);
  return ka != kb ? ka > kb : a.id > b.id;
}

std::string join_items(const Snapshot& s, const std::vector<const MenuItem*>& items, std::size_t from, std::size_t to) {
  std::string out = "[";
  for (std::size_t i = from; i < to && i < items.size(); ++i) {
    if (i > from) out += ',';
    out += s.json_text(items[i]);
  }
  out += ']';
  return out;
}

// "sort|key|id", base64url'd: opaque to clients, meaningful only to this listing.
std::string encode_cursor(const MenuItem& m, const std::string& sort) {
  char key[32];
  std::snprintf(key, sizeof key, "%.17g", sort_key(m, sort));
  return crypto::base64url_encode(sort + "|" + key + "|" + m.id);
}

struct Cursor {
  double key;
  std::string id;
};

std::optional<Cursor> decode_cursor(const std::string& text, const std::string& sort) {
  std::string raw;
  if (!crypto::base64url_decode(text, raw)) return std::nullopt;
  const auto a = raw.find('|'), b = raw.rfind('|');
  if (a == std::string::npos || a == b || raw.substr(0, a) != sort) return std::nullopt;
  const std::string key = raw.substr(a + 1, b - a - 1);
  char* end = nullptr;
  const double k = std::strtod(key.c_str(), &end);
  if (key.empty() || end != key.c_str() + key.size()) return std::nullopt;
  return Cursor{k, raw.substr(b + 1)};
}

}  // namespace

ListQuery list_query_from(const bj::object& q) {
  ListQuery l;
  l.page = json::int_or(q, "page", 1);
  l.limit = json::int_or(q, "limit", 20);
  if (auto* c = q.if_contains("cursor"); c && c->is_string()) l.cursor = std::string(c->get_string());
  l.category = json::string_or(q, "category");
  l.sub = json::string_or(q, "subCategory");
  l.tag = json::string_or(q, "tag");
  l.sort = json::string_or(q, "sort", "newest");
  l.veg = flag(q, "veg");
  l.vegan = flag(q, "vegan");
  l.gluten_free = flag(q, "glutenFree");
  l.available = flag(q, "available");
  l.min_price = price(q, "minPrice");
  l.max_price = price(q, "maxPrice");
  if (auto* v = q.if_contains("maxSpice"); v && v->is_int64()) l.max_spice = static_cast<int>(v->get_int64());
  if (l.min_price && l.max_price && *l.min_price > *l.max_price)
    throw ValidationError("Validation failed", {{"minPrice", "must not exceed maxPrice"}});
  return l;
}

std::string cache_key(const ListQuery& q) {
  auto opt = [](const auto& o) { return o ? std::to_string(*o) : std::string("-"); };
  return "list|" + std::to_string(q.page) + "|" + std::to_string(q.limit) + "|" + (q.cursor ? "c" + *q.cursor : "-") +
         "|" + lower(q.category) + "|" + lower(q.sub) + "|" + lower(q.tag) + "|" + q.sort + "|" + opt(q.veg) +
         opt(q.vegan) + opt(q.gluten_free) + opt(q.available) + "|" + opt(q.min_price) + "|" + opt(q.max_price) + "|" +
         opt(q.max_spice);
}

Snapshot::Rendered render_list(const Snapshot& s, const ListQuery& q) {
  std::vector<const MenuItem*> items;
  for (const auto* m : s.active())
    if (matches(*m, q)) items.push_back(m);
  if (q.sort != "newest")
    std::stable_sort(items.begin(), items.end(), [&](auto* a, auto* b) { return before(*a, *b, q.sort); });
  const auto limit = static_cast<std::size_t>(q.limit);

  if (q.cursor) {
    std::size_t start = 0;
    if (!q.cursor->empty()) {
      const auto c = decode_cursor(*q.cursor, q.sort);
      if (!c) throw ValidationError("Validation failed", {{"cursor", "is not a cursor from this listing"}});
      const double key = c->key;
      const std::string& id = c->id;
      // First item strictly after (key, id) in sort order; works even if that item was deleted.
      while (start < items.size()) {
        const double k = sort_key(*items[start], q.sort);
        if (k < key || (k == key && items[start]->id < id)) break;
        ++start;
      }
    }
    const std::size_t end = std::min(items.size(), start + limit);
    const bool more = end < items.size();
    bj::object page{
        {"limit", q.limit},
        {"hasMore", more},
        {"nextCursor", more && end > start ? bj::value(encode_cursor(*items[end - 1], q.sort)) : bj::value(nullptr)}};
    return {join_items(s, items, start, end), "\"pagination\":" + json::serialize(page)};
  }

  const std::size_t total = items.size();
  const std::size_t from = static_cast<std::size_t>(q.page - 1) * limit;
  const std::int64_t pages = static_cast<std::int64_t>((total + limit - 1) / limit);
  bj::object page{{"page", q.page}, {"limit", q.limit}, {"total", total}, {"pages", pages}};
  return {join_items(s, items, from, from + limit), "\"pagination\":" + json::serialize(page)};
}

Snapshot::Rendered render_categories(const Snapshot& s) {
  // The categories that are on and hold something, in the staff's order.
  std::map<std::string, std::pair<std::int64_t, std::map<std::string, std::int64_t>>> counts;  // by id
  for (const auto* m : s.active()) {
    auto& c = counts[m->category_id];
    ++c.first;
    for (const auto& sub : m->category_sub) ++c.second[sub];
  }
  bj::array out;
  for (const auto& k : s.categories()) {
    auto it = counts.find(k.id);
    if (!k.is_active || it == counts.end()) continue;
    bj::array subs;
    for (const auto& [sub, n] : it->second.second) subs.push_back(bj::object{{"name", sub}, {"count", n}});
    auto o = to_json(k);
    o.erase("isActive");
    o.erase("createdAt");
    o.erase("updatedAt");
    o["count"] = it->second.first;
    o["subCategories"] = std::move(subs);
    out.push_back(std::move(o));
  }
  return {json::serialize(out), {}};
}

Snapshot::Rendered render_popular(const Snapshot& s, std::size_t limit) {
  auto featured = [](const MenuItem& m) {
    return std::any_of(m.tags.begin(), m.tags.end(), [](auto& t) { return t == "bestseller" || t == "popular"; });
  };
  std::vector<const MenuItem*> items;
  for (const auto* m : s.active())
    if (m->is_available) items.push_back(m);
  std::stable_sort(items.begin(), items.end(), [&](auto* a, auto* b) {
    if (a->total_orders != b->total_orders) return a->total_orders > b->total_orders;
    if (featured(*a) != featured(*b)) return featured(*a);
    return a->rating > b->rating;
  });
  return {join_items(s, items, 0, limit), {}};
}

Snapshot::Rendered render_search(const Snapshot& s, const std::string& q, std::size_t limit) {
  const auto hits = s.search_index().search(q, s.size());
  std::vector<const MenuItem*> items;
  for (const auto& h : hits) items.push_back(h.item);
  return {join_items(s, items, 0, limit), "\"total\":" + std::to_string(items.size())};
}

}  // namespace tiptop::menu
