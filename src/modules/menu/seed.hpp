#pragma once
#include <vector>

#include "modules/menu/model.hpp"
#include "store/database.hpp"

namespace tiptop::menu {

// The demo menu: Biryani, Tandoori, Chinese, Curries, Breads, Starters, Desserts and Beverages,
// half and full plates, customizations and veg marks.
std::vector<MenuItem> demo_menu();
// Inserts the demo menu when the menu is empty; returns how many items were added.
int seed_demo_menu(store::Database& db);

}  // namespace tiptop::menu
