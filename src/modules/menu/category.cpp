#include "modules/menu/category.hpp"

#include <boost/json.hpp>
#include <cctype>

#include "core/errors.hpp"
#include "core/json.hpp"

namespace tiptop::menu {
namespace bj = boost::json;
namespace {

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

bool Category::serving_at(int minute) const {
  if (!has_hours()) return true;
  const int from = *serving_from, until = *serving_until;
  return from <= until ? minute >= from && minute < until : minute >= from || minute < until;
}

std::string Category::hours_text() const {
  return has_hours() ? clock::format_hhmm(*serving_from) + "\u2013" + clock::format_hhmm(*serving_until) : "";
}

bj::object to_json(const Category& c, std::int64_t item_count) {
  bj::object o{{"_id", c.id},
               {"name", c.name},
               {"slug", c.slug},
               {"sortOrder", c.sort_order},
               {"image", c.image.empty() ? bj::value(nullptr) : bj::value(c.image)},
               {"isActive", c.is_active},
               {"servingHours", c.has_hours() ? bj::value(bj::object{{"from", clock::format_hhmm(*c.serving_from)},
                                                                     {"until", clock::format_hhmm(*c.serving_until)}})
                                              : bj::value(nullptr)},
               {"createdAt", clock::to_iso8601(c.created_at)},
               {"updatedAt", clock::to_iso8601(c.updated_at)}};
  if (item_count >= 0) o["itemCount"] = item_count;
  return o;
}

void apply_fields(Category& c, const bj::object& b) {
  if (auto* v = b.if_contains("name"); v && v->is_string()) c.name = trimmed(v->get_string());
  if (auto* v = b.if_contains("image")) c.image = v->is_string() ? std::string(v->get_string()) : std::string();
  if (auto* v = b.if_contains("sortOrder"); v && v->is_int64()) c.sort_order = static_cast<int>(v->get_int64());
  c.is_active = json::bool_or(b, "isActive", c.is_active);
  if (auto* v = b.if_contains("servingHours")) {
    if (!v->is_object()) {
      c.serving_from = c.serving_until = std::nullopt;
      return;
    }
    const auto from = clock::parse_hhmm(json::string_or(v->get_object(), "from"));
    const auto until = clock::parse_hhmm(json::string_or(v->get_object(), "until"));
    std::vector<FieldError> bad;
    if (!from) bad.push_back({"servingHours.from", "must be a time of day as HH:MM"});
    if (!until) bad.push_back({"servingHours.until", "must be a time of day as HH:MM"});
    if (from && until && *from == *until) bad.push_back({"servingHours.until", "must differ from servingHours.from"});
    if (!bad.empty()) throw ValidationError("Validation failed", std::move(bad));
    c.serving_from = from, c.serving_until = until;
  }
}

}  // namespace tiptop::menu
