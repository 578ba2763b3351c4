#pragma once
// What the escalation job reads and records (orders/escalation.hpp).
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "store/database.hpp"

namespace tiptop::orders {

struct Waiting {
  std::string order_id, order_number, status, order_type;
  clock::Millis status_at = 0;  // when it entered its status
};
// Pending orders the kitchen has not accepted (an online order still waiting for its payment is
// the customer's wait, not the kitchen's), and ready delivery orders no rider holds, that entered
// their status at or before `since`.
std::vector<Waiting> waiting_since(store::Connection& c, clock::Millis pending_since, clock::Millis ready_since);
// Records one escalation of one wait; false when it was recorded before (by this node or another).
bool record_escalation(store::Connection& c, const Waiting& w, const std::string& kind, clock::Millis now);

}  // namespace tiptop::orders
