#pragma once
// A menu item as stored (spec §2 Menu Items). Money in paise.
#include <string>
#include <vector>

#include "core/money.hpp"

namespace tiptop::menu {

struct MenuItem {
  std::string id;
  std::string name;
  std::string slug;
  std::string description;
  money::Paise price = 0;
  std::string category_main;              // Biryani, Tandoori, Chinese…
  std::vector<std::string> category_sub;  // Vegetarian, Non-Vegetarian
  std::string plate_quantity;             // Half, Full
  bool is_available = true;
  bool is_vegetarian = false;
  int spice_level = 0;
  int prep_time = 0;
  std::vector<std::string> tags;
};

}  // namespace tiptop::menu
