#pragma once
// What each event tells whom (issue: notifications §2). Drafts only: the caller stores them with
// Notifier::store in the event's own transaction.
#include <string>
#include <vector>

#include "modules/notifications/model.hpp"
#include "modules/orders/model.hpp"
#include "store/database.hpp"

namespace tiptop::notifications {

// The customer, when their order is placed, confirmed, out for delivery, delivered or cancelled
// (and the partner holding a cancelled order); a cash order delivered with its cash also tells the
// customer their payment was received.
std::vector<Draft> order_status_drafts(const orders::Order& o);
// The partner an order was given to.
std::vector<Draft> assignment_drafts(const orders::Order& o);
// Every active, available partner, when a ready order has nobody to carry it.
std::vector<Draft> open_order_drafts(store::Connection& c, const orders::Order& o);
// The customer, when an order's payment is received (cash on delivery, or online).
Draft payment_received_draft(const orders::Order& o);
// The customer, when the gateway confirms the refund of an online payment.
Draft refund_draft(const orders::Order& o, money::Paise amount);
// The account holder: the reset code goes by e-mail only; the app shows that a reset was asked for.
// It expires with the code (expires_at): the sweep then removes a mail still waiting to be sent,
// so no live code lingers in the outbox and no dead one is mailed.
// The old address, when an account's e-mail changes: if it was not the owner, they learn of it.
Draft email_changed_draft(const std::string& user_id, const std::string& old_email, const std::string& new_email);
Draft password_reset_draft(const std::string& user_id, const std::string& code, clock::Millis expires_at);

}  // namespace tiptop::notifications
