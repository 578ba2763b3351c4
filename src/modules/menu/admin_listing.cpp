#include "modules/menu/admin_listing.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

namespace tiptop::menu {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

AdminPage admin_list(const Snapshot& s, const AdminListQuery& q) {
  const auto needle = lower(q.q), category = lower(q.category);
  AdminPage page;
  const auto first = (q.page - 1) * q.limit;
  for (const auto& m : s.all()) {
    const auto* k = s.category_of(m);
    const bool hidden = m.is_active && k && !k->is_active;
    const std::string state = !m.is_active     ? "deleted"
                              : hidden         ? "hidden"
                              : m.is_available ? "available"
                                               : "unavailable";
    if (q.state.empty() ? state == "deleted" : q.state != "all" && q.state != state) continue;
    if (!category.empty() && lower(m.category_main) != category && m.category_id != q.category) continue;
    if (!needle.empty() && lower(m.name).find(needle) == std::string::npos) continue;
    if (page.total++ < first || static_cast<std::int64_t>(page.items.size()) >= q.limit) continue;
    auto o = to_json(m, true);
    o["categoryId"] = m.category_id.empty() ? boost::json::value(nullptr) : boost::json::value(m.category_id);
    o["state"] = state;
    page.items.push_back(std::move(o));
  }
  return page;
}

}  // namespace tiptop::menu
