#pragma once
// SQL for payments, webhook events seen and refunds.
#include <optional>
#include <string>
#include <vector>

#include "modules/payments/model.hpp"
#include "store/database.hpp"

namespace tiptop::payments {

void insert_payment(store::Connection& c, const Payment& p);
// for_update locks the row on PostgreSQL: every change to a payment is decided under its lock.
std::optional<Payment> find_payment(store::Connection& c, const std::string& order_id, bool for_update = false);
std::optional<Payment> find_by_gateway_order(store::Connection& c, const std::string& gateway_order_id,
                                             bool for_update = false);
void save_payment(store::Connection& c, const Payment& p);
// Unpaid payments past their expiry whose order is still pending, oldest first. Those with an
// open flag are left to an admin.
std::vector<Payment> expired_unpaid(store::Connection& c, clock::Millis now, std::int64_t limit);
std::vector<Payment> flagged_payments(store::Connection& c, std::int64_t offset, std::int64_t limit);
std::int64_t count_flagged(store::Connection& c);

// False when the event id was recorded before (a replayed delivery).
bool record_event(store::Connection& c, const std::string& event_id, const std::string& event, clock::Millis now);
void prune_events(store::Connection& c, clock::Millis before);

void insert_refund(store::Connection& c, const Refund& r);  // UniqueViolation: the order has one already
std::optional<Refund> find_refund(store::Connection& c, const std::string& id, bool for_update = false);
std::optional<Refund> find_refund_for_order(store::Connection& c, const std::string& order_id);
std::optional<Refund> find_refund_by_gateway_id(store::Connection& c, const std::string& gateway_refund_id,
                                                bool for_update = false);
// Refunds to send (requested) or to confirm (pending) whose time has come, oldest first.
std::vector<Refund> due_refunds(store::Connection& c, clock::Millis now, std::int64_t limit);
// Takes a due refund for `lease_until` (another node's job skips it meanwhile); false if taken.
bool claim_refund(store::Connection& c, const Refund& r, clock::Millis lease_until);
void save_refund(store::Connection& c, const Refund& r);

}  // namespace tiptop::payments
