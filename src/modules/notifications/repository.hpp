#pragma once
// Storage of notifications, their outbox rows, device tokens and preferences. Functions take the
// caller's connection so a notification commits in the transaction of the event that causes it.
#include <optional>
#include <string>
#include <vector>

#include "modules/notifications/model.hpp"
#include "store/database.hpp"

namespace tiptop::notifications {

// Writes the notification and one outbox row per channel it goes out on. nullopt when the
// recipient is gone or inactive, or (promotions) accepts it nowhere. A push channel is used only
// when the recipient has a registered device.
std::optional<Notification> store_draft(store::Connection& c, const Draft& d, clock::Millis now);
// An outbox row to an address alone (no recipient account, no inbox entry): "sms" or "email".
void queue_direct(store::Connection& c, const char* channel, const std::string& address,
                  const boost::json::object& payload, clock::Millis now);

struct ListQuery {
  bool unread_only = false;
  bool unread_first = false;  // otherwise newest first
  std::int64_t offset = 0, limit = 20;
};
// The recipient's listed notifications that have not expired.
std::vector<Notification> list_for(store::Connection& c, const std::string& user_id, const ListQuery& q,
                                   clock::Millis now);
std::int64_t count_for(store::Connection& c, const std::string& user_id, bool unread_only, clock::Millis now);
std::optional<Notification> find_for(store::Connection& c, const std::string& id, const std::string& user_id,
                                     clock::Millis now);
bool mark_read(store::Connection& c, const std::string& id, const std::string& user_id, clock::Millis now);
std::int64_t mark_all_read(store::Connection& c, const std::string& user_id, clock::Millis now);
bool remove_for(store::Connection& c, const std::string& id, const std::string& user_id);
// Deletes expired notifications and the outbox rows still waiting to send them (stale news is not
// sent late), and finished outbox rows older than keep_finished_before. Returns notifications deleted.
std::int64_t sweep_expired(store::Connection& c, clock::Millis now, clock::Millis keep_finished_before);

// Devices (FCM registration tokens).
void register_device(store::Connection& c, const std::string& user_id, const std::string& token,
                     const std::string& platform, clock::Millis now);
bool remove_device(store::Connection& c, const std::string& user_id, const std::string& token);
std::vector<std::string> device_tokens(store::Connection& c, const std::string& user_id);
void forget_device(store::Connection& c, const std::string& token);

Preferences load_preferences(store::Connection& c, const std::string& user_id);
void save_preferences(store::Connection& c, const std::string& user_id, const Preferences& p);

// The outbox.
struct OutboxRow {
  std::int64_t id = 0;
  std::string notification_id, channel, recipient_id, address, claim_token;
  boost::json::object payload;
  int attempts = 0;  // including the one now claimed
  clock::Millis lease_until = 0;
};
// Claims up to `limit` rows that are due (pending and past next_attempt_at, or sending with an
// expired lease): each is marked sending until lease_until under `token`, its attempt counted.
// Rows another PostgreSQL worker has locked are skipped.
std::vector<OutboxRow> claim_due(store::Connection& c, clock::Millis now, clock::Millis lease_until,
                                 const std::string& token, int limit);
// The row is done (sent or failed for good); the notification's channel status follows. False
// when the claim was lost (the lease expired and another worker took the row).
bool finish(store::Connection& c, const OutboxRow& row, bool sent, const std::string& provider_id,
            const std::string& error, clock::Millis now, bool scrub_payload);
// Extends the claim; false when it was lost (the lease ran out and another worker took the row).
bool renew_claim(store::Connection& c, const OutboxRow& row, clock::Millis lease_until);
// Puts a claimed, unsent row back in the queue (the attempt does not count).
void release_claim(store::Connection& c, const OutboxRow& row);
bool retry_later(store::Connection& c, const OutboxRow& row, clock::Millis next_attempt_at, const std::string& error);
// When the earliest pending row falls due, if any.
std::optional<clock::Millis> next_due(store::Connection& c);
// Rows waiting to be sent (pending or sending).
std::int64_t backlog(store::Connection& c);

}  // namespace tiptop::notifications
