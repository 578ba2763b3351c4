#pragma once
// The Socket.IO events an order's life produces (spec §7.1), in one place so the kitchen's
// changes (OrderService) and the partner's (delivery::DispatchService) announce alike.
#include <string>
#include <vector>

#include "modules/orders/model.hpp"
#include "realtime/emitter.hpp"

namespace tiptop::orders {

// The rooms an order's customer listens in: their account's, or a guest's (sockets on their guest
// token) and the order's own "order:<id>" (sockets opened with its tracking link, which hear only it).
std::vector<std::string> customer_rooms(const std::string& customer_id, const std::string& guest_id,
                                        const std::string& order_id, bool tracked_by_link);

// order:status:updated to the customer and the admins.
void announce_status(realtime::Emitter& emitter, const Order& o);
// What partners hear: a ready order (to the assigned partner, or every partner when unassigned,
// without the customer's phone), and the cancellation of an order a partner holds.
void tell_partners(realtime::Emitter& emitter, const Order& o);
// order:assigned to the customer, the partner and the admins; the previous partner, if the order
// was taken from them, hears delivery:order-cancelled.
void announce_assignment(realtime::Emitter& emitter, const Order& o, const std::string& previous_partner_id);

}  // namespace tiptop::orders
