#include "modules/menu/repository.hpp"

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "modules/menu/category_repository.hpp"

namespace tiptop::menu {
namespace {

constexpr const char* kColumns =
    "id, name, slug, description, image, images, price_paise, original_price_paise, category_main, category_id, "
    "category_sub, "
    "plate_quantity, ingredients, allergens, nutrition_info, is_available, is_vegetarian, is_vegan, is_gluten_free, "
    "spice_level, prep_time, serving_size, rating, review_count, total_orders, revenue_paise, tags, customizations, "
    "is_active, created_at, updated_at";

std::string json_array(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return json::serialize(a);
}

std::vector<std::string> string_array(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.get_array())
    if (e.is_string()) out.emplace_back(e.get_string());
  return out;
}

MenuItem item_from(const store::Row& r) {
  MenuItem m;
  m.id = r.text("id");
  m.name = r.text("name");
  m.slug = r.text("slug");
  m.description = r.text("description");
  m.image = r.text("image");
  m.images = string_array(r.text("images"));
  m.price = r.integer("price_paise");
  if (!r.is_null("original_price_paise")) m.original_price = r.integer("original_price_paise");
  m.category_main = r.text("category_main");
  m.category_id = r.text("category_id");
  m.category_sub = string_array(r.text("category_sub"));
  m.plate_quantity = r.text("plate_quantity");
  m.ingredients = string_array(r.text("ingredients"));
  m.allergens = string_array(r.text("allergens"));
  if (!r.is_null("nutrition_info")) {
    boost::system::error_code ec;
    auto v = boost::json::parse(r.text("nutrition_info"), ec);
    if (!ec) m.nutrition = nutrition_from_json(v);
  }
  m.is_available = r.boolean("is_available");
  m.is_vegetarian = r.boolean("is_vegetarian");
  m.is_vegan = r.boolean("is_vegan");
  m.is_gluten_free = r.boolean("is_gluten_free");
  m.spice_level = static_cast<int>(r.integer("spice_level"));
  m.prep_time = static_cast<int>(r.integer("prep_time"));
  m.serving_size = r.text("serving_size");
  m.rating = r.real("rating");
  m.review_count = r.integer("review_count");
  m.total_orders = r.integer("total_orders");
  m.revenue = r.integer("revenue_paise");
  m.tags = string_array(r.text("tags"));
  m.customizations = customizations_from_text(r.text("customizations"));
  m.is_active = r.boolean("is_active");
  m.created_at = r.integer("created_at");
  m.updated_at = r.integer("updated_at");
  return m;
}

store::Params editable_values(const MenuItem& m) {
  const auto nutrition = nutrition_to_text(m.nutrition);
  return {m.name,
          m.slug,
          m.description,
          store::text_or_null(m.image),
          json_array(m.images),
          m.price,
          store::value_or_null(m.original_price),
          m.category_main,
          store::text_or_null(m.category_id),
          json_array(m.category_sub),
          store::text_or_null(m.plate_quantity),
          json_array(m.ingredients),
          json_array(m.allergens),
          nutrition.empty() ? store::Value(store::Null{}) : store::Value(nutrition),
          m.is_available,
          m.is_vegetarian,
          m.is_vegan,
          m.is_gluten_free,
          std::int64_t{m.spice_level},
          std::int64_t{m.prep_time},
          store::text_or_null(m.serving_size),
          json_array(m.tags),
          customizations_to_text(m.customizations),
          m.is_active};
}

}  // namespace

std::int64_t count_items(store::Connection& c) {
  return c.query("SELECT COUNT(*) AS n FROM menu_items").rows.at(0).integer("n");
}

std::vector<MenuItem> load_all(store::Connection& c) {
  std::vector<MenuItem> out;
  for (const auto& r : c.query(std::string("SELECT ") + kColumns + " FROM menu_items ORDER BY id DESC").rows)
    out.push_back(item_from(r));
  return out;
}

MenuData load_menu(store::Connection& c) { return {load_all(c), load_categories(c)}; }

std::optional<MenuItem> find_item(store::Connection& c, const std::string& id, bool for_update) {
  const std::string lock(for_update ? store::row_lock(c) : "");
  auto rs = c.query(std::string("SELECT ") + kColumns + " FROM menu_items WHERE id = ?" + lock, {id});
  if (rs.empty()) return std::nullopt;
  return item_from(rs.rows[0]);
}

bool slug_taken(store::Connection& c, const std::string& slug, const std::string& except_id) {
  return !c.query("SELECT 1 FROM menu_items WHERE slug = ? AND id <> ?", {slug, except_id}).empty();
}

void insert_item(store::Connection& c, const MenuItem& m) {
  auto params = editable_values(m);
  params.insert(params.begin(), m.id);
  params.push_back(m.created_at);
  params.push_back(m.updated_at);
  c.execute(
      "INSERT INTO menu_items (id, name, slug, description, image, images, price_paise, original_price_paise, "
      "category_main, category_id, category_sub, plate_quantity, ingredients, allergens, nutrition_info, "
      "is_available, is_vegetarian, is_vegan, is_gluten_free, spice_level, prep_time, serving_size, tags, "
      "customizations, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?)",
      params);
}

void update_item(store::Connection& c, const MenuItem& m) {
  auto params = editable_values(m);
  params.push_back(m.updated_at);
  params.push_back(m.id);
  c.execute(
      "UPDATE menu_items SET name = ?, slug = ?, description = ?, image = ?, images = ?, price_paise = ?, "
      "original_price_paise = ?, category_main = ?, category_id = ?, category_sub = ?, plate_quantity = ?, ingredients "
      "= ?, "
      "allergens = ?, nutrition_info = ?, is_available = ?, is_vegetarian = ?, is_vegan = ?, is_gluten_free = ?, "
      "spice_level = ?, prep_time = ?, serving_size = ?, tags = ?, customizations = ?, is_active = ?, updated_at = ? "
      "WHERE id = ?",
      params);
}

void add_rating(store::Connection& c, const std::string& item_id, int food_score) {
  c.execute(
      "UPDATE menu_items SET rating = (rating * review_count + ?) / (review_count + 1), "
      "review_count = review_count + 1 WHERE id = ?",
      {static_cast<double>(food_score), item_id});
}

}  // namespace tiptop::menu
