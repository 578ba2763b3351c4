#include "modules/orders/events.hpp"

namespace tiptop::orders {
namespace bj = boost::json;
namespace {

void emit_to_customer(realtime::Emitter& emitter, const Order& o, const std::string& event, const bj::object& data) {
  for (const auto& room : customer_rooms(o.customer_id, o.guest_id, o.id, !o.tracking_token.empty()))
    emitter.emit(room, event, data);
}

}  // namespace

std::vector<std::string> customer_rooms(const std::string& customer_id, const std::string& guest_id,
                                        const std::string& order_id, bool tracked_by_link) {
  std::vector<std::string> rooms;
  if (!customer_id.empty())
    rooms.push_back("user:" + customer_id);
  else if (!guest_id.empty())
    rooms.push_back("user:" + guest_id);
  if (tracked_by_link) rooms.push_back("order:" + order_id);
  return rooms;
}

void announce_status(realtime::Emitter& emitter, const Order& o) {
  bj::array history;
  for (const auto& h : o.history)
    history.push_back(bj::object{
        {"status", to_string(h.status)}, {"timestamp", clock::to_iso8601(h.at)}, {"updatedBy", h.updated_by}});
  const bj::object data{
      {"orderId", o.id}, {"orderNumber", o.order_number}, {"status", to_string(o.status)}, {"statusHistory", history}};
  emit_to_customer(emitter, o, "order:status:updated", data);
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
  emit_to_customer(emitter, o, "order:assigned", data);
  emitter.emit("user:" + o.delivery_partner_id, "order:assigned", data);
  emitter.emit("admin", "order:assigned", data);
  if (!previous_partner_id.empty() && previous_partner_id != o.delivery_partner_id)
    emitter.emit("user:" + previous_partner_id, "delivery:order-cancelled",
                 {{"orderId", o.id}, {"orderNumber", o.order_number}, {"reason", "reassigned"}});
}

}  // namespace tiptop::orders
