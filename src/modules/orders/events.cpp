#include "modules/orders/events.hpp"

namespace tiptop::orders {
namespace bj = boost::json;
namespace {

// Whoever the order is for: the customer's room, or a guest's (their sockets, on their guest token).
std::string owner_room(const Order& o) { return "user:" + (o.customer_id.empty() ? o.guest_id : o.customer_id); }

}  // namespace

void announce_status(realtime::Emitter& emitter, const Order& o) {
  bj::array history;
  for (const auto& h : o.history)
    history.push_back(bj::object{
        {"status", to_string(h.status)}, {"timestamp", clock::to_iso8601(h.at)}, {"updatedBy", h.updated_by}});
  const bj::object data{
      {"orderId", o.id}, {"orderNumber", o.order_number}, {"status", to_string(o.status)}, {"statusHistory", history}};
  if (!o.customer_id.empty() || !o.guest_id.empty()) emitter.emit(owner_room(o), "order:status:updated", data);
  emitter.emit("admin", "order:status:updated", data);
}

void tell_partners(realtime::Emitter& emitter, const Order& o) {
  if (o.status == OrderStatus::ready && o.order_type == "delivery") {  // a takeaway waits at the counter
    // The partner holding it may see the door; a broadcast to every partner only the area.
    auto area = o.delivery_partner_id.empty() ? approximate_area(o.delivery_address) : o.delivery_address;
    const bj::object data{{"orderId", o.id},
                          {"orderNumber", o.order_number},
                          {"deliveryAddress", std::move(area)},
                          {"finalAmount", money::to_json(o.pricing.final_amount)},
                          {"paymentMethod", o.payment_method},
                          {"itemCount", o.items.size()}};
    emitter.emit(o.delivery_partner_id.empty() ? "delivery" : "user:" + o.delivery_partner_id, "delivery:new-order",
                 data);
  } else if (o.status == OrderStatus::cancelled && !o.delivery_partner_id.empty()) {
    const auto& c = o.cancellation;
    emitter.emit("user:" + o.delivery_partner_id, "delivery:order-cancelled",
                 {{"orderId", o.id},
                  {"orderNumber", o.order_number},
                  {"reason", c.is_object() && c.as_object().contains("reason") ? c.as_object().at("reason")
                                                                               : bj::value(nullptr)}});
  }
}

void announce_assignment(realtime::Emitter& emitter, const Order& o, const std::string& previous_partner_id) {
  const bj::object data{{"orderId", o.id},
                        {"orderNumber", o.order_number},
                        {"status", to_string(o.status)},
                        {"deliveryPartner", o.delivery_partner}};
  if (!o.customer_id.empty() || !o.guest_id.empty()) emitter.emit(owner_room(o), "order:assigned", data);
  emitter.emit("user:" + o.delivery_partner_id, "order:assigned", data);
  emitter.emit("admin", "order:assigned", data);
  if (!previous_partner_id.empty() && previous_partner_id != o.delivery_partner_id)
    emitter.emit("user:" + previous_partner_id, "delivery:order-cancelled",
                 {{"orderId", o.id}, {"orderNumber", o.order_number}, {"reason", "reassigned"}});
}

}  // namespace tiptop::orders
