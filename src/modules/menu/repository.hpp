#pragma once
// SQL for menu items. The whole menu is small (a restaurant's), so reads load it all and the
// catalog serves from memory; these functions are for that load and for admin writes.
#include <optional>
#include <vector>

#include "modules/menu/catalog.hpp"
#include "modules/menu/model.hpp"
#include "store/database.hpp"

namespace tiptop::menu {

std::int64_t count_items(store::Connection& c);
// Every item, deleted ones too (isActive false), newest first.
std::vector<MenuItem> load_all(store::Connection& c);
MenuData load_menu(store::Connection& c);  // the items and the categories, for a snapshot
// for_update locks the row until the transaction ends (PostgreSQL; SQLite's writer already holds
// the database): read-modify-write must not lose a concurrent admin's change.
std::optional<MenuItem> find_item(store::Connection& c, const std::string& id, bool for_update = false);
bool slug_taken(store::Connection& c, const std::string& slug, const std::string& except_id = {});
void insert_item(store::Connection& c, const MenuItem& item);
void update_item(store::Connection& c, const MenuItem& item);  // every editable column, by id
// A customer's food score moves the dish's running average rating.
void add_rating(store::Connection& c, const std::string& item_id, int food_score);

}  // namespace tiptop::menu
