#pragma once
// SQL for menu categories (issue 22). Few rows: loaded whole with the menu's snapshot.
#include <optional>
#include <unordered_map>
#include <vector>

#include "modules/menu/category.hpp"
#include "store/database.hpp"

namespace tiptop::menu {

std::vector<Category> load_categories(store::Connection& c);  // in the staff's order
std::optional<Category> find_category(store::Connection& c, const std::string& id, bool for_update = false);
std::optional<Category> find_category_named(store::Connection& c, const std::string& name);  // any case
bool category_slug_taken(store::Connection& c, const std::string& slug, const std::string& except_id = {});
void insert_category(store::Connection& c, const Category& category);
void update_category(store::Connection& c, const Category& category);  // every editable column, by id
void set_category_order(store::Connection& c, const std::string& id, int sort_order);
int last_category_order(store::Connection& c);
// Items of the category that are not deleted.
std::int64_t count_category_items(store::Connection& c, const std::string& id);
// Active items of every category in one query (a category with none is absent).
std::unordered_map<std::string, std::int64_t> count_items_by_category(store::Connection& c);
// After a rename: the items' category.main follows.
void rename_category_items(store::Connection& c, const Category& category);
// Deleted items let go of it, then it goes (callers check it holds no live item first).
void delete_category(store::Connection& c, const std::string& id);

}  // namespace tiptop::menu
