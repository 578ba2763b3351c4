// "Order again" (issue 22): a customer's dishes by how often they order them, and an old order's
// cart rebuilt for today's menu and quoted at today's prices — through the quote, so what it shows
// is what placing the returned cart would charge.
#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "core/errors.hpp"
#include "core/json.hpp"
#include "modules/orders/service.hpp"

namespace tiptop::orders {
namespace asio = boost::asio;
namespace bj = boost::json;
namespace {

constexpr std::int64_t kOrdersLookedAt = 100;  // the latest; enough for habits, bounded

// Whether a dish on today's menu can go in a cart right now (the rule placing applies).
bool orderable(const menu::Snapshot& snap, const menu::MenuItem& item) {
  return snap.why_not_orderable(item, menu::minute_of_day(clock::now_ms())).empty();
}

// An ordered line's choices that today's dish still offers; nothing when a required group lost them.
std::optional<bj::array> choices_still_offered(const menu::MenuItem& item, const bj::value* ordered) {
  bj::array out;
  std::vector<std::string> kept_groups;
  if (ordered && ordered->is_array())
    for (const auto& c : ordered->get_array()) {
      if (!c.is_object()) continue;
      const auto name = json::string_or(c.get_object(), "name");
      auto group =
          std::find_if(item.customizations.begin(), item.customizations.end(), [&](auto& g) { return g.name == name; });
      if (group == item.customizations.end()) continue;
      bj::array options;
      if (auto* picks = c.get_object().if_contains("options"); picks && picks->is_array())
        for (const auto& p : picks->get_array()) {
          if (!p.is_string() || (!group->multiple && !options.empty())) continue;
          if (std::any_of(group->options.begin(), group->options.end(),
                          [&](auto& o) { return o.label == p.get_string(); }))
            options.push_back(p);
        }
      if (options.empty()) continue;
      kept_groups.push_back(name);
      out.push_back(bj::object{{"name", name}, {"options", std::move(options)}});
    }
  for (const auto& g : item.customizations)
    if (g.required && std::find(kept_groups.begin(), kept_groups.end(), g.name) == kept_groups.end())
      return std::nullopt;
  return out;
}

}  // namespace

asio::awaitable<bj::array> OrderService::frequent_items(std::string customer_id, std::int64_t limit) {
  auto recent = co_await list_mine(customer_id, "", 1, kOrdersLookedAt);
  struct Habit {
    std::string name;
    std::int64_t orders = 0, quantity = 0;
    clock::Millis last = 0;
  };
  std::map<std::string, Habit> by_item;
  for (const auto& o : recent.orders) {
    if (o.status == OrderStatus::cancelled) continue;
    std::vector<std::string> counted;  // a dish twice in one order is one order of it
    for (const auto& line : o.items) {
      const auto& l = line.as_object();
      const auto id = json::string_or(l, "menuItem");
      auto& h = by_item[id];
      if (h.name.empty()) h.name = json::string_or(l, "name");
      h.quantity += json::int_or(l, "quantity", 1);
      h.last = std::max(h.last, o.created_at);
      if (std::find(counted.begin(), counted.end(), id) == counted.end()) ++h.orders, counted.push_back(id);
    }
  }
  std::vector<std::pair<std::string, Habit>> ranked(by_item.begin(), by_item.end());
  std::stable_sort(ranked.begin(), ranked.end(), [](auto& a, auto& b) {
    return a.second.orders != b.second.orders ? a.second.orders > b.second.orders : a.second.last > b.second.last;
  });
  const auto snap = catalog_.snapshot();
  bj::array out;
  for (const auto& [id, h] : ranked) {
    if (static_cast<std::int64_t>(out.size()) >= limit) break;
    const auto* item = snap->find(id);
    out.push_back(bj::object{{"menuItemId", id},
                             {"name", h.name},
                             {"timesOrdered", h.orders},
                             {"totalQuantity", h.quantity},
                             {"lastOrderedAt", clock::to_iso8601(h.last)},
                             {"available", item && orderable(*snap, *item)},
                             {"menuItem", item ? bj::value(menu::to_json(*item)) : bj::value(nullptr)}});
  }
  co_return out;
}

asio::awaitable<bj::object> OrderService::reorder(std::string customer_id, std::string order_id) {
  const auto old = co_await get(customer_id, "customer", order_id);  // someone else's: not found
  const auto snap = catalog_.snapshot();
  bj::array lines, dropped;
  for (const auto& line : old.items) {
    const auto& l = line.as_object();
    const auto id = json::string_or(l, "menuItem");
    const auto* item = snap->find(id);
    if (!item) item = snap->find_switched_off(id);  // still the restaurant's: the quote says it is off
    if (!item) {
      dropped.push_back(
          bj::object{{"menuItem", id}, {"name", json::string_or(l, "name")}, {"reason", "no longer on the menu"}});
      continue;
    }
    auto choices = choices_still_offered(*item, l.if_contains("customizations"));
    if (!choices) {
      dropped.push_back(bj::object{{"menuItem", id},
                                   {"name", json::string_or(l, "name")},
                                   {"reason", "its choices have changed; add it again to choose"}});
      continue;
    }
    lines.push_back(bj::object{{"menuItem", id},
                               {"quantity", std::clamp<std::int64_t>(json::int_or(l, "quantity", 1), 1, 50)},
                               {"customizations", std::move(*choices)}});
  }
  bj::object cart{{"items", std::move(lines)}, {"orderType", old.order_type}};
  if (old.payment_method == "COD" || old.payment_method == "UPI" || old.payment_method == "ONLINE")
    cart["paymentMethod"] = old.payment_method;
  if (old.order_type == "delivery") {
    bj::object address;
    for (const char* f : {"street", "city", "state", "zipCode", "instructions"})
      address[f] = json::string_or(old.delivery_address, f);
    if (auto* at = old.delivery_address.if_contains("coordinates"); at && !at->is_null()) address["coordinates"] = *at;
    cart["deliveryAddress"] = std::move(address);
  }
  bj::object quoted;
  if (!cart.at("items").as_array().empty()) {
    bj::object asked = cart;  // (a named copy: GCC 12 and coroutine arguments)
    quoted = co_await quote(customer_id, std::move(asked));
  }
  co_return bj::object{{"cart", std::move(cart)},
                       {"quote", quoted.empty() ? bj::value(nullptr) : bj::value(std::move(quoted))},
                       {"dropped", std::move(dropped)}};
}

}  // namespace tiptop::orders
