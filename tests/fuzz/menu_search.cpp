// Menu search: any query against the demo-shaped menu (names, categories, tags, descriptions with
// non-ASCII text). Hits are never more than asked for and never outside the menu.
#include <cstdlib>

#include "fuzz_target.hpp"
#include "modules/menu/search.hpp"

using namespace tiptop::menu;

namespace {

const std::vector<MenuItem>& menu() {
  static const std::vector<MenuItem> items = [] {
    std::vector<MenuItem> v;
    auto add = [&](std::string name, std::string category, std::vector<std::string> tags, std::string description) {
      MenuItem m;
      m.id = std::to_string(v.size());
      m.name = std::move(name);
      m.category_main = std::move(category);
      m.tags = std::move(tags);
      m.description = std::move(description);
      v.push_back(std::move(m));
    };
    add("Chicken Dum Biryani", "Biryani", {"spicy", "bestseller"}, "Basmati rice slow-cooked with chicken");
    add("Mutton Biryani", "Biryani", {"spicy"}, "Hyderabadi style, with raita");
    add("Paneer Tikka", "Tandoori", {"vegetarian"}, "Cottage cheese grilled in the tandoor");
    add("Tandoori Roti", "Tandoori", {}, "");
    add("Veg Hakka Noodles", "Chinese", {"vegetarian", "noodles"}, "Wok-tossed noodles");
    add("Chilli Chicken", "Chinese", {"spicy"}, "Indo-Chinese, dry or gravy");
    add("Crème brûlée", "Desserts", {"sweet"}, "Ünïcödé — ₹ 120, 辣");
    return v;
  }();
  return items;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto query = tiptop::fuzz::text(data, size);
  static const SearchIndex index = [] {
    std::vector<const MenuItem*> pointers;
    for (const auto& m : menu()) pointers.push_back(&m);
    return SearchIndex(pointers);
  }();
  const std::size_t limit = size % 5;
  const auto hits = index.search(query, limit);
  if (hits.size() > limit) std::abort();
  for (const auto& hit : hits)
    if (hit.item < menu().data() || hit.item >= menu().data() + menu().size()) std::abort();
  (void)tokenize(query);
  const auto half = query.substr(0, query.size() / 2);
  const int d = edit_distance(half, query.substr(query.size() / 2), 2);
  if (d < 0 || d > 3) std::abort();
  return 0;
}
