#include "modules/menu/seed.hpp"

#include "core/ids.hpp"
#include "modules/menu/category_service.hpp"
#include "modules/menu/repository.hpp"

namespace tiptop::menu {
namespace {

enum class Kind { biryani, tandoori, chinese, curry, bread, starter, dessert, beverage };

struct Dish {
  const char* name;
  const char* category;
  bool veg;
  int spice;
  int prep;
  money::Paise half;  // 0: sold in one size only
  money::Paise full;
  const char* description;
  std::vector<std::string> tags;
  Kind kind;
};

const CustomizationOption kMild{"Mild", 0}, kMedium{"Medium", 0}, kHot{"Hot", 0}, kExtraHot{"Extra Hot", 0};

std::vector<Customization> customizations_for(Kind kind) {
  const Customization spice{"Spice Level", {kMild, kMedium, kHot, kExtraHot}, true, false};
  switch (kind) {
    case Kind::biryani:
      return {spice,
              {"Add-ons",
               {{"Extra Raita", 3000}, {"Boiled Egg", 2500}, {"Extra Salan", 3000}, {"Fried Onions", 1500}},
               false,
               true}};
    case Kind::tandoori:
      return {{"Add-ons", {{"Mint Chutney", 2000}, {"Onion Rings", 1500}, {"Butter Naan", 5000}}, false, true}};
    case Kind::chinese:
      return {spice, {"Add-ons", {{"Extra Gravy", 3000}, {"Fried Egg", 2500}}, false, true}};
    case Kind::curry:
      return {spice, {"Add-ons", {{"Extra Butter", 2000}, {"Jeera Rice", 9000}}, false, true}};
    case Kind::bread:
      return {{"Topping", {{"Plain", 0}, {"Butter", 1500}, {"Garlic", 2000}}, true, false}};
    case Kind::starter:
      return {{"Dip", {{"Mint Chutney", 0}, {"Schezwan", 0}, {"Mayonnaise", 1000}}, false, false}};
    case Kind::dessert:
      return {};
    case Kind::beverage:
      return {{"Size", {{"Regular", 0}, {"Large", 4000}}, true, false}};
  }
  return {};
}

const std::vector<Dish>& dishes() {
  static const std::vector<Dish> d = {
      {"Hyderabadi Chicken Dum Biryani",
       "Biryani",
       false,
       3,
       25,
       18000,
       32000,
       "Basmati rice and chicken sealed in a handi and slow-cooked on dum",
       {"bestseller", "popular"},
       Kind::biryani},
      {"Hyderabadi Mutton Dum Biryani",
       "Biryani",
       false,
       3,
       30,
       24000,
       42000,
       "Tender mutton layered with saffron rice, cooked on dum",
       {"bestseller"},
       Kind::biryani},
      {"Chicken 65 Biryani",
       "Biryani",
       false,
       4,
       25,
       19000,
       34000,
       "Biryani crowned with fiery Chicken 65",
       {"popular"},
       Kind::biryani},
      {"Egg Dum Biryani",
       "Biryani",
       false,
       2,
       20,
       14000,
       24000,
       "Boiled eggs in masala, layered with fragrant rice",
       {},
       Kind::biryani},
      {"Veg Dum Biryani",
       "Biryani",
       true,
       2,
       20,
       13000,
       24000,
       "Seasonal vegetables, saffron and fried onions",
       {},
       Kind::biryani},
      {"Paneer Tikka Biryani",
       "Biryani",
       true,
       3,
       25,
       16000,
       29000,
       "Smoky paneer tikka folded into dum rice",
       {"new"},
       Kind::biryani},
      {"Prawn Biryani",
       "Biryani",
       false,
       3,
       25,
       26000,
       45000,
       "Coastal-style prawns with long-grain basmati",
       {},
       Kind::biryani},
      {"Ambur Chicken Biryani",
       "Biryani",
       false,
       3,
       30,
       17000,
       30000,
       "Seeraga samba rice cooked the Ambur way",
       {"new"},
       Kind::biryani},
      {"Tandoori Chicken",
       "Tandoori",
       false,
       3,
       30,
       22000,
       38000,
       "Chicken marinated in yoghurt and spices, charred in the tandoor",
       {"bestseller"},
       Kind::tandoori},
      {"Chicken Tikka",
       "Tandoori",
       false,
       3,
       25,
       19000,
       33000,
       "Boneless chicken chunks grilled on skewers",
       {"popular"},
       Kind::tandoori},
      {"Chicken Malai Tikka",
       "Tandoori",
       false,
       1,
       25,
       20000,
       35000,
       "Creamy, cheese-marinated chicken, mild and rich",
       {},
       Kind::tandoori},
      {"Mutton Seekh Kebab",
       "Tandoori",
       false,
       3,
       25,
       21000,
       37000,
       "Minced mutton with herbs, grilled on skewers",
       {},
       Kind::tandoori},
      {"Paneer Tikka",
       "Tandoori",
       true,
       2,
       20,
       16000,
       28000,
       "Cottage cheese, peppers and onions from the tandoor",
       {"popular"},
       Kind::tandoori},
      {"Tandoori Mushroom",
       "Tandoori",
       true,
       2,
       20,
       15000,
       26000,
       "Button mushrooms in a spiced yoghurt marinade",
       {},
       Kind::tandoori},
      {"Chicken Hakka Noodles",
       "Chinese",
       false,
       1,
       15,
       12000,
       19000,
       "Wok-tossed noodles with chicken and vegetables",
       {"popular"},
       Kind::chinese},
      {"Veg Hakka Noodles",
       "Chinese",
       true,
       1,
       15,
       10000,
       16000,
       "Wok-tossed noodles with crunchy vegetables",
       {},
       Kind::chinese},
      {"Chicken Fried Rice",
       "Chinese",
       false,
       1,
       15,
       12000,
       19000,
       "Fried rice with chicken, egg and spring onion",
       {},
       Kind::chinese},
      {"Schezwan Fried Rice",
       "Chinese",
       true,
       4,
       15,
       0,
       17000,
       "Rice tossed in house Schezwan sauce",
       {},
       Kind::chinese},
      {"Chilli Chicken",
       "Chinese",
       false,
       4,
       15,
       0,
       22000,
       "Crisp chicken tossed with peppers and green chillies",
       {"bestseller"},
       Kind::chinese},
      {"Veg Manchurian",
       "Chinese",
       true,
       2,
       15,
       0,
       17000,
       "Vegetable dumplings in a tangy soy-garlic sauce",
       {"popular"},
       Kind::chinese},
      {"Gobi Manchurian", "Chinese", true, 2, 15, 0, 16000, "Crisp cauliflower in Manchurian sauce", {}, Kind::chinese},
      {"Dragon Chicken",
       "Chinese",
       false,
       4,
       20,
       0,
       24000,
       "Sweet-spicy chicken strips with cashews",
       {"new"},
       Kind::chinese},
      {"Butter Chicken",
       "Curries",
       false,
       1,
       25,
       18000,
       32000,
       "Tandoori chicken in a velvety tomato-butter gravy",
       {"bestseller", "popular"},
       Kind::curry},
      {"Kadai Chicken",
       "Curries",
       false,
       3,
       25,
       17000,
       30000,
       "Chicken with peppers and freshly ground kadai masala",
       {},
       Kind::curry},
      {"Mutton Rogan Josh",
       "Curries",
       false,
       3,
       35,
       23000,
       40000,
       "Kashmiri-style mutton in a red chilli gravy",
       {},
       Kind::curry},
      {"Paneer Butter Masala",
       "Curries",
       true,
       1,
       20,
       15000,
       26000,
       "Paneer in a rich tomato and cashew gravy",
       {"popular"},
       Kind::curry},
      {"Kadai Paneer", "Curries", true, 3, 20, 15000, 26000, "Paneer and peppers in kadai masala", {}, Kind::curry},
      {"Dal Makhani",
       "Curries",
       true,
       1,
       20,
       12000,
       21000,
       "Black lentils simmered overnight with butter and cream",
       {"bestseller"},
       Kind::curry},
      {"Dal Tadka",
       "Curries",
       true,
       2,
       15,
       9000,
       16000,
       "Yellow lentils tempered with ghee, cumin and garlic",
       {},
       Kind::curry},
      {"Chana Masala",
       "Curries",
       true,
       2,
       20,
       10000,
       18000,
       "Chickpeas in a tangy onion-tomato masala",
       {},
       Kind::curry},
      {"Tandoori Roti", "Breads", true, 0, 5, 0, 3000, "Whole-wheat flatbread from the tandoor", {}, Kind::bread},
      {"Butter Naan", "Breads", true, 0, 5, 0, 5000, "Leavened bread brushed with butter", {"popular"}, Kind::bread},
      {"Garlic Naan", "Breads", true, 0, 5, 0, 6000, "Naan topped with garlic and coriander", {}, Kind::bread},
      {"Laccha Paratha", "Breads", true, 0, 8, 0, 5500, "Flaky, layered whole-wheat paratha", {}, Kind::bread},
      {"Cheese Naan", "Breads", true, 0, 8, 0, 9000, "Naan stuffed with molten cheese", {"new"}, Kind::bread},
      {"Kulcha", "Breads", true, 0, 8, 0, 6000, "Soft leavened bread with nigella seeds", {}, Kind::bread},
      {"Chicken 65",
       "Starters",
       false,
       4,
       15,
       14000,
       24000,
       "Deep-fried chicken with curry leaves and chillies",
       {"popular"},
       Kind::starter},
      {"Apollo Fish",
       "Starters",
       false,
       3,
       20,
       0,
       28000,
       "Hyderabadi-style fried fish tossed in spices",
       {},
       Kind::starter},
      {"Chicken Lollipop",
       "Starters",
       false,
       3,
       20,
       0,
       23000,
       "Frenched chicken wings, crisp and spicy",
       {},
       Kind::starter},
      {"Paneer 65",
       "Starters",
       true,
       3,
       15,
       0,
       20000,
       "Paneer fried with curry leaves and chillies",
       {},
       Kind::starter},
      {"Crispy Corn",
       "Starters",
       true,
       1,
       10,
       0,
       16000,
       "Sweet corn kernels fried with salt and pepper",
       {},
       Kind::starter},
      {"Veg Spring Rolls",
       "Starters",
       true,
       1,
       15,
       0,
       15000,
       "Golden rolls filled with stir-fried vegetables",
       {},
       Kind::starter},
      {"Double Ka Meetha",
       "Desserts",
       true,
       0,
       5,
       0,
       11000,
       "Hyderabadi bread pudding with saffron and nuts",
       {"popular"},
       Kind::dessert},
      {"Qubani Ka Meetha", "Desserts", true, 0, 5, 0, 13000, "Stewed apricots with cream", {}, Kind::dessert},
      {"Gulab Jamun", "Desserts", true, 0, 5, 0, 8000, "Two warm milk dumplings in rose syrup", {}, Kind::dessert},
      {"Phirni", "Desserts", true, 0, 5, 0, 9000, "Ground-rice pudding set in a clay pot", {}, Kind::dessert},
      {"Gajar Ka Halwa",
       "Desserts",
       true,
       0,
       5,
       0,
       10000,
       "Slow-cooked carrot pudding (seasonal)",
       {"new"},
       Kind::dessert},
      {"Sweet Lassi", "Beverages", true, 0, 5, 0, 7000, "Chilled yoghurt drink", {}, Kind::beverage},
      {"Mango Lassi",
       "Beverages",
       true,
       0,
       5,
       0,
       9000,
       "Yoghurt with Alphonso mango pulp",
       {"popular"},
       Kind::beverage},
      {"Masala Chaas", "Beverages", true, 1, 5, 0, 5000, "Spiced buttermilk with roasted cumin", {}, Kind::beverage},
      {"Fresh Lime Soda", "Beverages", true, 0, 5, 0, 6000, "Sweet or salted, with fresh lime", {}, Kind::beverage},
      {"Irani Chai", "Beverages", true, 0, 5, 0, 4000, "Hyderabad's slow-brewed milky tea", {}, Kind::beverage},
      {"Soft Drink", "Beverages", true, 0, 1, 0, 4000, "Chilled 300 ml can", {}, Kind::beverage},
  };
  return d;
}

MenuItem make_item(const Dish& d, const char* plate, money::Paise price) {
  MenuItem m;
  m.name = d.name;
  m.plate_quantity = plate;
  m.slug = slugify(m.name, m.plate_quantity);
  m.description = d.description;
  m.price = price;
  m.category_main = d.category;
  m.category_sub = {d.veg ? "Vegetarian" : "Non-Vegetarian"};
  m.is_vegetarian = d.veg;
  m.spice_level = d.spice;
  m.prep_time = d.prep;
  m.serving_size = std::string(plate) == "Half" ? "Serves 1" : (d.half ? "Serves 2" : "Serves 1");
  m.tags = d.tags;
  m.customizations = customizations_for(d.kind);
  return m;
}

}  // namespace

std::vector<MenuItem> demo_menu() {
  std::vector<MenuItem> out;
  for (const auto& d : dishes()) {
    if (d.half) out.push_back(make_item(d, "Half", d.half));
    out.push_back(make_item(d, d.half ? "Full" : "", d.full));
  }
  return out;
}

int seed_demo_menu(store::Database& db) {
  auto seed = [&](store::Connection& c) {
    if (count_items(c) > 0) return 0;
    auto items = demo_menu();
    // Spread creation times a second apart so "newest" has a stable, meaningful order.
    auto at = clock::now_ms() - static_cast<clock::Millis>(items.size()) * 1000;
    // The categories first, in the order the restaurant shows them.
    for (const char* name :
         {"Biryani", "Tandoori", "Chinese", "Curries", "Breads", "Starters", "Desserts", "Beverages"}) {
      MenuItem probe;
      probe.category_main = name;
      file_under_category(c, probe, at);
    }
    for (auto& item : items) {
      item.id = ids::new_object_id();
      item.created_at = item.updated_at = (at += 1000);
      file_under_category(c, item, item.created_at);
      insert_item(c, item);
    }
    return static_cast<int>(items.size());
  };
  return db.transaction_sync(seed);
}

}  // namespace tiptop::menu
