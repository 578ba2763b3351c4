#include "modules/menu/repository.hpp"

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/json.hpp"

namespace tiptop::menu {
namespace {

std::string json_array(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return json::serialize(a);
}

}  // namespace

std::int64_t count_items(store::Connection& c) {
  return c.query("SELECT COUNT(*) AS n FROM menu_items").rows.at(0).integer("n");
}

void insert_item(store::Connection& c, const MenuItem& m) {
  const auto now = clock::now_ms();
  c.execute(
      "INSERT INTO menu_items (id, name, slug, description, price_paise, category_main, category_sub, "
      "plate_quantity, is_available, is_vegetarian, spice_level, prep_time, tags, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {m.id, m.name, m.slug, m.description, m.price, m.category_main, json_array(m.category_sub), m.plate_quantity,
       m.is_available, m.is_vegetarian, std::int64_t{m.spice_level}, std::int64_t{m.prep_time}, json_array(m.tags),
       now, now});
}

}  // namespace tiptop::menu
