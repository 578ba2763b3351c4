#include "modules/menu/model.hpp"

#include <boost/json.hpp>

#include "core/json.hpp"

namespace tiptop::menu {
namespace bj = boost::json;
namespace {

bj::array strings(const std::vector<std::string>& v) {
  bj::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

bj::value optional_number(const std::optional<double>& d) { return d ? bj::value(*d) : bj::value(nullptr); }

std::optional<double> number_field(const bj::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  return std::nullopt;
}

}  // namespace

bj::object to_json(const MenuItem& m, bool include_business) {
  bj::array customizations;
  for (const auto& c : m.customizations) {
    bj::array options;
    for (const auto& o : c.options)
      options.push_back(bj::object{{"label", o.label}, {"price", money::to_json(o.price)}});
    customizations.push_back(bj::object{
        {"name", c.name}, {"options", std::move(options)}, {"required", c.required}, {"multiple", c.multiple}});
  }
  bj::object o{
      {"_id", m.id},
      {"name", m.name},
      {"slug", m.slug},
      {"description", m.description},
      {"image", m.image.empty() ? bj::value(nullptr) : bj::value(m.image)},
      {"images", strings(m.images)},
      {"price", money::to_json(m.price)},
      {"originalPrice", m.original_price ? money::to_json(*m.original_price) : bj::value(nullptr)},
      {"category", {{"main", m.category_main}, {"sub", strings(m.category_sub)}}},
      {"plateQuantity", m.plate_quantity.empty() ? bj::value(nullptr) : bj::value(m.plate_quantity)},
      {"ingredients", strings(m.ingredients)},
      {"allergens", strings(m.allergens)},
      {"nutritionInfo", m.nutrition.empty() ? bj::value(nullptr)
                                            : bj::value(bj::object{{"calories", optional_number(m.nutrition.calories)},
                                                                   {"protein", optional_number(m.nutrition.protein)},
                                                                   {"carbs", optional_number(m.nutrition.carbs)},
                                                                   {"fat", optional_number(m.nutrition.fat)}})},
      {"isAvailable", m.is_available},
      {"isVegetarian", m.is_vegetarian},
      {"isVegan", m.is_vegan},
      {"isGlutenFree", m.is_gluten_free},
      {"spiceLevel", m.spice_level},
      {"prepTime", m.prep_time},
      {"servingSize", m.serving_size.empty() ? bj::value(nullptr) : bj::value(m.serving_size)},
      {"rating", m.rating},
      {"reviewCount", m.review_count},
      {"totalOrders", m.total_orders},
      {"tags", strings(m.tags)},
      {"customizations", std::move(customizations)},
      {"isActive", m.is_active},
      {"createdAt", clock::to_iso8601(m.created_at)},
      {"updatedAt", clock::to_iso8601(m.updated_at)}};
  if (include_business) o["revenue"] = money::to_json(m.revenue);
  return o;
}

std::string nutrition_to_text(const Nutrition& n) {
  if (n.empty()) return {};
  bj::object o;
  if (n.calories) o["calories"] = *n.calories;
  if (n.protein) o["protein"] = *n.protein;
  if (n.carbs) o["carbs"] = *n.carbs;
  if (n.fat) o["fat"] = *n.fat;
  return json::serialize(o);
}

Nutrition nutrition_from_json(const bj::value& v) {
  Nutrition n;
  if (!v.is_object()) return n;
  const auto& o = v.get_object();
  n.calories = number_field(o, "calories");
  n.protein = number_field(o, "protein");
  n.carbs = number_field(o, "carbs");
  n.fat = number_field(o, "fat");
  return n;
}

namespace {

// Stored form keeps paise (integers) so reading back never goes through a double.
std::vector<Customization> parse_customizations(const bj::value& v, bool prices_in_paise) {
  std::vector<Customization> out;
  if (!v.is_array()) return out;
  for (const auto& g : v.get_array()) {
    if (!g.is_object()) continue;
    const auto& o = g.get_object();
    Customization c;
    c.name = json::string_or(o, "name");
    c.required = json::bool_or(o, "required", false);
    c.multiple = json::bool_or(o, "multiple", false);
    if (auto* opts = o.if_contains("options"); opts && opts->is_array())
      for (const auto& ov : opts->get_array()) {
        if (!ov.is_object()) continue;
        CustomizationOption opt;
        opt.label = json::string_or(ov.get_object(), "label");
        if (auto* p = ov.get_object().if_contains("price")) {
          if (prices_in_paise)
            opt.price = p->is_int64() ? p->get_int64() : 0;
          else
            opt.price = money::from_json(*p).value_or(0);
        }
        c.options.push_back(std::move(opt));
      }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

std::string customizations_to_text(const std::vector<Customization>& groups) {
  bj::array a;
  for (const auto& c : groups) {
    bj::array options;
    for (const auto& o : c.options) options.push_back(bj::object{{"label", o.label}, {"price", o.price}});
    a.push_back(bj::object{
        {"name", c.name}, {"options", std::move(options)}, {"required", c.required}, {"multiple", c.multiple}});
  }
  return json::serialize(a);
}

std::vector<Customization> customizations_from_json(const bj::value& v) { return parse_customizations(v, false); }

std::vector<Customization> customizations_from_text(const std::string& text) {
  if (text.empty()) return {};
  boost::system::error_code ec;
  auto v = bj::parse(text, ec);
  return ec ? std::vector<Customization>{} : parse_customizations(v, true);
}

std::string slugify(const std::string& name, const std::string& plate_quantity) {
  std::string out;
  auto append = [&](const std::string& s) {
    for (unsigned char c : s) {
      if (std::isalnum(c))
        out += static_cast<char>(std::tolower(c));
      else if (!out.empty() && out.back() != '-')
        out += '-';
    }
  };
  append(name);
  if (!plate_quantity.empty()) {
    if (!out.empty() && out.back() != '-') out += '-';
    append(plate_quantity);
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "item" : out;
}

}  // namespace tiptop::menu
