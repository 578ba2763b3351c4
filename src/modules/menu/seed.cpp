#include "modules/menu/seed.hpp"

#include "core/ids.hpp"
#include "modules/menu/repository.hpp"

namespace tiptop::menu {

int seed_demo_menu(store::Database& db) {
  const std::vector<MenuItem> demo = {
      {"", "Hyderabadi Chicken Dum Biryani", "hyderabadi-chicken-dum-biryani-full",
       "Basmati rice and chicken slow-cooked in a sealed handi", 32000, "Biryani", {"Non-Vegetarian"}, "Full",
       true, false, 3, 25, {"bestseller", "popular"}},
      {"", "Hyderabadi Chicken Dum Biryani", "hyderabadi-chicken-dum-biryani-half", "Half plate of our dum biryani",
       18000, "Biryani", {"Non-Vegetarian"}, "Half", true, false, 3, 25, {"popular"}},
      {"", "Veg Dum Biryani", "veg-dum-biryani-full", "Seasonal vegetables, saffron and fried onions", 24000,
       "Biryani", {"Vegetarian"}, "Full", true, true, 2, 20, {}},
      {"", "Tandoori Chicken", "tandoori-chicken-full", "Whole chicken marinated in yoghurt and spices", 38000,
       "Tandoori", {"Non-Vegetarian"}, "Full", true, false, 3, 30, {"bestseller"}},
      {"", "Paneer Tikka", "paneer-tikka", "Cottage cheese cubes grilled in the tandoor", 26000, "Tandoori",
       {"Vegetarian"}, "Full", true, true, 2, 20, {"new"}},
      {"", "Chicken Hakka Noodles", "chicken-hakka-noodles", "Wok-tossed noodles with chicken and vegetables",
       19000, "Chinese", {"Non-Vegetarian"}, "Full", true, false, 1, 15, {}},
      {"", "Veg Manchurian", "veg-manchurian", "Vegetable dumplings in a tangy soy-garlic sauce", 17000, "Chinese",
       {"Vegetarian"}, "Full", true, true, 2, 15, {"popular"}},
      {"", "Chilli Chicken", "chilli-chicken", "Crisp chicken tossed with peppers and green chillies", 22000,
       "Chinese", {"Non-Vegetarian"}, "Full", true, false, 4, 15, {}},
  };
  auto seed = [&](store::Connection& c) {
    if (count_items(c) > 0) return 0;
    for (auto item : demo) {
      item.id = ids::new_object_id();
      insert_item(c, item);
    }
    return static_cast<int>(demo.size());
  };
  return db.transaction_sync(seed);
}

}  // namespace tiptop::menu
