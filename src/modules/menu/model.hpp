#pragma once
// A menu item as stored (spec §2 Menu Items) and its JSON form. Money in paise inside, rupees in JSON.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/money.hpp"

namespace tiptop::menu {

struct CustomizationOption {
  std::string label;
  money::Paise price = 0;  // added to the item's price when chosen
};

// A group of choices such as "Spice Level" (pick one, required) or "Add-ons" (any number).
struct Customization {
  std::string name;
  std::vector<CustomizationOption> options;
  bool required = false;
  bool multiple = false;  // false: at most one option of this group per order line
};

struct Nutrition {
  std::optional<double> calories, protein, carbs, fat;
  bool empty() const { return !calories && !protein && !carbs && !fat; }
};

struct MenuItem {
  std::string id;
  std::string name;
  std::string slug;
  std::string description;
  std::string image;
  std::vector<std::string> images;
  money::Paise price = 0;
  std::optional<money::Paise> original_price;
  std::string category_main;              // Biryani, Tandoori, Chinese… (its category's name)
  std::string category_id;                // menu_categories
  std::vector<std::string> category_sub;  // Vegetarian, Non-Vegetarian…
  std::string plate_quantity;             // Half, Full or empty
  std::vector<std::string> ingredients, allergens;
  Nutrition nutrition;
  bool is_available = true;
  bool is_vegetarian = false, is_vegan = false, is_gluten_free = false;
  int spice_level = 0;  // 0-5
  int prep_time = 0;    // minutes
  std::string serving_size;
  double rating = 0;
  std::int64_t review_count = 0, total_orders = 0;
  money::Paise revenue = 0;
  std::vector<std::string> tags;
  std::vector<Customization> customizations;
  bool is_active = true;  // false once deleted: hidden from the menu, kept for past orders
  clock::Millis created_at = 0, updated_at = 0;
};

// include_business: revenue and other figures for admins only; the public menu never shows them.
boost::json::object to_json(const MenuItem& item, bool include_business = false);
std::string nutrition_to_text(const Nutrition& n);
Nutrition nutrition_from_json(const boost::json::value& v);
std::string customizations_to_text(const std::vector<Customization>& c);
std::vector<Customization> customizations_from_json(const boost::json::value& v);  // rupees -> paise
std::vector<Customization> customizations_from_text(const std::string& text);      // stored form (paise)
// "Chicken Dum Biryani", "Half" -> "chicken-dum-biryani-half"
std::string slugify(const std::string& name, const std::string& plate_quantity = {});

}  // namespace tiptop::menu
