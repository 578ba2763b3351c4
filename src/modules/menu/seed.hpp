#pragma once
#include "store/database.hpp"

namespace tiptop::menu {

// Inserts the small demo menu when the menu is empty; returns how many items were added.
int seed_demo_menu(store::Database& db);

}  // namespace tiptop::menu
