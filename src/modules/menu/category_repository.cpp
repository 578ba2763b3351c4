#include "modules/menu/category_repository.hpp"

#include <unordered_map>

namespace tiptop::menu {
namespace {

constexpr const char* kColumns =
    "id, name, slug, sort_order, image, is_active, serving_from, serving_until, created_at, updated_at";

Category category_from(const store::Row& r) {
  Category c;
  c.id = r.text("id");
  c.name = r.text("name");
  c.slug = r.text("slug");
  c.sort_order = static_cast<int>(r.integer("sort_order"));
  c.image = r.text("image");
  c.is_active = r.boolean("is_active");
  if (!r.is_null("serving_from")) c.serving_from = static_cast<int>(r.integer("serving_from"));
  if (!r.is_null("serving_until")) c.serving_until = static_cast<int>(r.integer("serving_until"));
  c.created_at = r.integer("created_at");
  c.updated_at = r.integer("updated_at");
  return c;
}

store::Value minutes_or_null(const std::optional<int>& m) {
  return m ? store::Value(std::int64_t{*m}) : store::Value(store::Null{});
}

}  // namespace

std::vector<Category> load_categories(store::Connection& c) {
  std::vector<Category> out;
  for (const auto& r :
       c.query(std::string("SELECT ") + kColumns + " FROM menu_categories ORDER BY sort_order, lower(name)").rows)
    out.push_back(category_from(r));
  return out;
}

std::optional<Category> find_category(store::Connection& c, const std::string& id, bool for_update) {
  const std::string lock(for_update ? store::row_lock(c) : "");
  auto rs = c.query(std::string("SELECT ") + kColumns + " FROM menu_categories WHERE id = ?" + lock, {id});
  if (rs.empty()) return std::nullopt;
  return category_from(rs.rows[0]);
}

std::optional<Category> find_category_named(store::Connection& c, const std::string& name) {
  auto rs = c.query(std::string("SELECT ") + kColumns + " FROM menu_categories WHERE lower(name) = lower(?)", {name});
  if (rs.empty()) return std::nullopt;
  return category_from(rs.rows[0]);
}

bool category_slug_taken(store::Connection& c, const std::string& slug, const std::string& except_id) {
  return !c.query("SELECT 1 FROM menu_categories WHERE slug = ? AND id <> ?", {slug, except_id}).empty();
}

void insert_category(store::Connection& c, const Category& k) {
  c.execute(
      "INSERT INTO menu_categories (id, name, slug, sort_order, image, is_active, serving_from, serving_until, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {k.id, k.name, k.slug, std::int64_t{k.sort_order}, store::text_or_null(k.image), k.is_active,
       minutes_or_null(k.serving_from), minutes_or_null(k.serving_until), k.created_at, k.updated_at});
}

void update_category(store::Connection& c, const Category& k) {
  c.execute(
      "UPDATE menu_categories SET name = ?, slug = ?, sort_order = ?, image = ?, is_active = ?, serving_from = ?, "
      "serving_until = ?, updated_at = ? WHERE id = ?",
      {k.name, k.slug, std::int64_t{k.sort_order}, store::text_or_null(k.image), k.is_active,
       minutes_or_null(k.serving_from), minutes_or_null(k.serving_until), k.updated_at, k.id});
}

void set_category_order(store::Connection& c, const std::string& id, int sort_order) {
  c.execute("UPDATE menu_categories SET sort_order = ? WHERE id = ?", {std::int64_t{sort_order}, id});
}

int last_category_order(store::Connection& c) {
  auto rs = c.query("SELECT COALESCE(MAX(sort_order), 0) AS n FROM menu_categories");
  return static_cast<int>(rs.rows.at(0).integer("n"));
}

std::int64_t count_category_items(store::Connection& c, const std::string& id) {
  return c.query("SELECT COUNT(*) AS n FROM menu_items WHERE category_id = ? AND is_active = ?", {id, true})
      .rows.at(0)
      .integer("n");
}

std::unordered_map<std::string, std::int64_t> count_items_by_category(store::Connection& c) {
  std::unordered_map<std::string, std::int64_t> counts;
  for (const auto& row : c.query("SELECT category_id, COUNT(*) AS n FROM menu_items WHERE category_id IS NOT NULL "
                                 "AND is_active = ? GROUP BY category_id",
                                 {true})
                             .rows)
    counts[row.text("category_id")] = row.integer("n");
  return counts;
}

void rename_category_items(store::Connection& c, const Category& k) {
  c.execute("UPDATE menu_items SET category_main = ? WHERE category_id = ?", {k.name, k.id});
}

void delete_category(store::Connection& c, const std::string& id) {
  c.execute("UPDATE menu_items SET category_id = NULL WHERE category_id = ?", {id});
  c.execute("DELETE FROM menu_categories WHERE id = ?", {id});
}

}  // namespace tiptop::menu
