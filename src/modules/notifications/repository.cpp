#include "modules/notifications/repository.hpp"

#include <boost/json/parse.hpp>

#include "core/ids.hpp"
#include "core/json.hpp"

namespace tiptop::notifications {
namespace bj = boost::json;
namespace {

constexpr const char* kColumns =
    "id, recipient_id, type, title, message, data, priority, in_app, push_status, sms_status, email_status, "
    "is_read, read_at, related_order_id, expires_at, created_at";
constexpr int kMaxDevicesPerUser = 10;

Notification from_row(const store::Row& r) {
  Notification n;
  n.id = r.text("id");
  n.recipient_id = r.text("recipient_id");
  n.type = r.text("type");
  n.title = r.text("title");
  n.message = r.text("message");
  bj::error_code ec;
  auto data = bj::parse(r.text("data"), ec);
  if (!ec && data.is_object()) n.data = std::move(data.get_object());
  n.priority = r.text("priority");
  n.in_app = r.boolean("in_app");
  n.push_status = r.text("push_status");
  n.sms_status = r.text("sms_status");
  n.email_status = r.text("email_status");
  n.is_read = r.boolean("is_read");
  n.read_at = r.integer_or_null("read_at");
  n.related_order_id = r.text("related_order_id");
  n.expires_at = r.integer_or_null("expires_at");
  n.created_at = r.integer("created_at");
  return n;
}

// Listed and not expired, for one recipient.
std::string visible_where(bool unread_only) {
  return std::string(" WHERE recipient_id = ? AND in_app = ? AND (expires_at IS NULL OR expires_at > ?)") +
         (unread_only ? " AND is_read = ?" : "");
}

store::Params visible_params(const std::string& user_id, bool unread_only, clock::Millis now) {
  store::Params p{user_id, true, now};
  if (unread_only) p.emplace_back(false);
  return p;
}

// The channel's status column: a fixed name, never text from outside.
const char* status_column(const std::string& channel) {
  if (channel == "push") return "push_status";
  if (channel == "sms") return "sms_status";
  return "email_status";
}

void add_outbox_row(store::Connection& c, const Notification& n, const char* channel, const std::string& address,
                    const bj::object& payload, clock::Millis now) {
  c.execute(
      "INSERT INTO notification_outbox (notification_id, channel, recipient_id, address, payload, next_attempt_at, "
      "created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {n.id, channel, n.recipient_id, address, json::serialize(payload), now, now});
}

}  // namespace

void queue_direct(store::Connection& c, const char* channel, const std::string& address, const bj::object& payload,
                  clock::Millis now) {
  Notification n;
  n.id = ids::new_object_id();  // names the send in logs and the e-mail's Message-ID; no inbox row
  add_outbox_row(c, n, channel, address, payload, now);
}

std::optional<Notification> store_draft(store::Connection& c, const Draft& d, clock::Millis now) {
  const auto found = c.query(
      "SELECT email, phone, is_active, notification_prefs, "
      "(SELECT COUNT(*) FROM device_tokens WHERE user_id = users.id) AS devices FROM users WHERE id = ?",
      {d.recipient_id});
  if (found.empty()) return std::nullopt;
  const auto& user = found.rows.front();
  if (!user.boolean("is_active") && d.type != "password_reset") return std::nullopt;
  Channels ch = d.channels;
  bool in_app = true;
  if (d.promotional) {
    const auto prefs = preferences_from_json(user.text("notification_prefs"));
    in_app = prefs.in_app;
    ch.push = ch.push && prefs.push;
    ch.sms = ch.sms && prefs.sms;
    ch.email = ch.email && prefs.email;
  }
  ch.push = ch.push && user.integer("devices") > 0;
  ch.sms = ch.sms && !user.is_null("phone");
  ch.email = ch.email && (!d.email_to.empty() || !user.is_null("email"));
  if (!in_app && !ch.push && !ch.sms && !ch.email) return std::nullopt;

  Notification n;
  n.id = ids::new_object_id();
  n.recipient_id = d.recipient_id;
  n.type = d.type;
  n.title = d.title;
  n.message = d.message;
  n.data = d.data;
  n.priority = d.priority;
  n.in_app = in_app;
  if (ch.push) n.push_status = "pending";
  if (ch.sms) n.sms_status = "pending";
  if (ch.email) n.email_status = "pending";
  n.related_order_id = d.related_order_id;
  n.expires_at = d.expires_at;
  n.created_at = now;
  c.execute(
      "INSERT INTO notifications (id, recipient_id, type, title, message, data, priority, in_app, push_status, "
      "sms_status, email_status, is_read, related_order_id, expires_at, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {n.id, n.recipient_id, n.type, n.title, n.message, json::serialize(n.data), n.priority, n.in_app,
       store::text_or_null(n.push_status), store::text_or_null(n.sms_status), store::text_or_null(n.email_status),
       false, store::text_or_null(n.related_order_id), store::value_or_null(n.expires_at), now});
  if (ch.push) {
    bj::object data = n.data;
    data["notificationId"] = n.id;
    data["type"] = n.type;
    add_outbox_row(c, n, "push", "",
                   {{"title", n.title},
                    {"body", n.message},
                    {"data", std::move(data)},
                    {"highPriority", n.priority == "high" || n.priority == "urgent"}},
                   now);
  }
  if (ch.sms) add_outbox_row(c, n, "sms", user.text("phone"), {{"body", "TipTop: " + n.message}}, now);
  if (ch.email)
    add_outbox_row(c, n, "email", d.email_to.empty() ? user.text("email") : d.email_to,
                   {{"subject", d.email_subject.empty() ? n.title : d.email_subject},
                    {"body", d.email_body.empty() ? n.message : d.email_body},
                    {"secret", d.email_is_secret}},
                   now);
  return n;
}

std::vector<Notification> list_for(store::Connection& c, const std::string& user_id, const ListQuery& q,
                                   clock::Millis now) {
  auto p = visible_params(user_id, q.unread_only, now);
  p.emplace_back(q.limit);
  p.emplace_back(q.offset);
  const auto order =
      q.unread_first ? " ORDER BY is_read ASC, created_at DESC, id DESC" : " ORDER BY created_at DESC, id DESC";
  const auto rs = c.query(std::string("SELECT ") + kColumns + " FROM notifications" + visible_where(q.unread_only) +
                              order + " LIMIT ? OFFSET ?",
                          p);
  std::vector<Notification> out;
  for (const auto& r : rs.rows) out.push_back(from_row(r));
  return out;
}

std::int64_t count_for(store::Connection& c, const std::string& user_id, bool unread_only, clock::Millis now) {
  const auto rs = c.query("SELECT COUNT(*) AS n FROM notifications" + visible_where(unread_only),
                          visible_params(user_id, unread_only, now));
  return rs.rows.front().integer("n");
}

std::optional<Notification> find_for(store::Connection& c, const std::string& id, const std::string& user_id,
                                     clock::Millis now) {
  auto p = visible_params(user_id, false, now);
  p.emplace_back(id);
  const auto rs =
      c.query(std::string("SELECT ") + kColumns + " FROM notifications" + visible_where(false) + " AND id = ?", p);
  if (rs.empty()) return std::nullopt;
  return from_row(rs.rows.front());
}

bool mark_read(store::Connection& c, const std::string& id, const std::string& user_id, clock::Millis now) {
  // read_at keeps the first reading.
  return c.execute(
             "UPDATE notifications SET is_read = ?, read_at = COALESCE(read_at, ?) "
             "WHERE id = ? AND recipient_id = ? AND in_app = ? AND (expires_at IS NULL OR expires_at > ?)",
             {true, now, id, user_id, true, now}) > 0;
}

std::int64_t mark_all_read(store::Connection& c, const std::string& user_id, clock::Millis now) {
  return c.execute(
      "UPDATE notifications SET is_read = ?, read_at = ? "
      "WHERE recipient_id = ? AND is_read = ? AND in_app = ? AND (expires_at IS NULL OR expires_at > ?)",
      {true, now, user_id, false, true, now});
}

bool remove_for(store::Connection& c, const std::string& id, const std::string& user_id) {
  return c.execute("DELETE FROM notifications WHERE id = ? AND recipient_id = ? AND in_app = ?", {id, user_id, true}) >
         0;
}

std::int64_t sweep_expired(store::Connection& c, clock::Millis now, clock::Millis keep_finished_before) {
  c.execute(
      "DELETE FROM notification_outbox WHERE state IN ('pending', 'sending') AND notification_id IN "
      "(SELECT id FROM notifications WHERE expires_at IS NOT NULL AND expires_at <= ?)",
      {now});
  const auto deleted = c.execute("DELETE FROM notifications WHERE expires_at IS NOT NULL AND expires_at <= ?", {now});
  c.execute("DELETE FROM notification_outbox WHERE finished_at IS NOT NULL AND finished_at < ?",
            {keep_finished_before});
  return deleted;
}

void register_device(store::Connection& c, const std::string& user_id, const std::string& token,
                     const std::string& platform, clock::Millis now) {
  // A token names a device; whoever signs in on it last receives its pushes.
  // One statement, so two registrations of one token at once cannot collide on its key.
  c.execute(
      "INSERT INTO device_tokens (token, user_id, platform, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (token) DO UPDATE SET user_id = excluded.user_id, platform = excluded.platform, "
      "last_seen_at = excluded.last_seen_at",
      {token, user_id, platform, now, now});
  // Phones are replaced and apps reinstalled: only the most recently seen devices are kept.
  c.execute(
      "DELETE FROM device_tokens WHERE user_id = ? AND token NOT IN "
      "(SELECT token FROM device_tokens WHERE user_id = ? ORDER BY last_seen_at DESC, token LIMIT ?)",
      {user_id, user_id, static_cast<std::int64_t>(kMaxDevicesPerUser)});
}

bool remove_device(store::Connection& c, const std::string& user_id, const std::string& token) {
  return c.execute("DELETE FROM device_tokens WHERE token = ? AND user_id = ?", {token, user_id}) > 0;
}

std::vector<std::string> device_tokens(store::Connection& c, const std::string& user_id) {
  const auto rs = c.query("SELECT token FROM device_tokens WHERE user_id = ? ORDER BY last_seen_at DESC", {user_id});
  std::vector<std::string> out;
  for (const auto& r : rs.rows) out.push_back(r.text("token"));
  return out;
}

void forget_device(store::Connection& c, const std::string& token) {
  c.execute("DELETE FROM device_tokens WHERE token = ?", {token});
}

Preferences load_preferences(store::Connection& c, const std::string& user_id) {
  const auto rs = c.query("SELECT notification_prefs FROM users WHERE id = ?", {user_id});
  return rs.empty() ? Preferences{} : preferences_from_json(rs.rows.front().text("notification_prefs"));
}

void save_preferences(store::Connection& c, const std::string& user_id, const Preferences& p) {
  c.execute("UPDATE users SET notification_prefs = ?, updated_at = ? WHERE id = ?",
            {json::serialize(to_json(p)), clock::now_ms(), user_id});
}

std::vector<OutboxRow> claim_due(store::Connection& c, clock::Millis now, clock::Millis lease_until,
                                 const std::string& token, int limit) {
  const bool pg = c.engine() == store::Engine::postgres;
  const auto due =
      c.query(std::string("SELECT id FROM notification_outbox WHERE (state = 'pending' AND next_attempt_at <= ?) "
                          "OR (state = 'sending' AND lease_until < ?) ORDER BY id LIMIT ?") +
                  (pg ? " FOR UPDATE SKIP LOCKED" : ""),
              {now, now, static_cast<std::int64_t>(limit)});
  std::vector<OutboxRow> out;
  if (due.empty()) return out;
  std::string ids;
  store::Params p{lease_until, token};
  for (const auto& d : due.rows) {
    ids += ids.empty() ? "?" : ", ?";
    p.emplace_back(d.integer("id"));
  }
  c.execute(
      "UPDATE notification_outbox SET state = 'sending', lease_until = ?, claim_token = ?, attempts = attempts + 1 "
      "WHERE id IN (" +
          ids + ")",
      p);
  p.erase(p.begin(), p.begin() + 2);
  const auto rs = c.query(
      "SELECT id, notification_id, channel, recipient_id, address, payload, attempts, claim_token "
      "FROM notification_outbox WHERE id IN (" +
          ids + ") ORDER BY id",
      p);
  for (const auto& r : rs.rows) {
    OutboxRow row;
    row.id = r.integer("id");
    row.notification_id = r.text("notification_id");
    row.channel = r.text("channel");
    row.recipient_id = r.text("recipient_id");
    row.address = r.text("address");
    row.claim_token = r.text("claim_token");
    row.attempts = static_cast<int>(r.integer("attempts"));
    row.lease_until = lease_until;
    bj::error_code ec;
    auto payload = bj::parse(r.text("payload"), ec);
    if (!ec && payload.is_object()) row.payload = std::move(payload.get_object());
    out.push_back(std::move(row));
  }
  return out;
}

bool finish(store::Connection& c, const OutboxRow& row, bool sent, const std::string& provider_id,
            const std::string& error, clock::Millis now, bool scrub_payload) {
  const auto updated = c.execute(std::string("UPDATE notification_outbox SET state = ?, finished_at = ?, lease_until = "
                                             "NULL, provider_id = ?, last_error = ?") +
                                     (scrub_payload ? ", payload = '{\"wiped\":true}'" : "") +
                                     " WHERE id = ? AND claim_token = ? AND state = 'sending'",
                                 {sent ? "sent" : "failed", now, store::text_or_null(provider_id),
                                  store::text_or_null(error), row.id, row.claim_token});
  if (updated == 0) return false;
  c.execute(std::string("UPDATE notifications SET ") + status_column(row.channel) + " = ? WHERE id = ?",
            {sent ? "sent" : "failed", row.notification_id});
  return true;
}

bool renew_claim(store::Connection& c, const OutboxRow& row, clock::Millis lease_until) {
  return c.execute(
             "UPDATE notification_outbox SET lease_until = ? WHERE id = ? AND claim_token = ? AND state = 'sending'",
             {lease_until, row.id, row.claim_token}) > 0;
}

void release_claim(store::Connection& c, const OutboxRow& row) {
  c.execute(
      "UPDATE notification_outbox SET state = 'pending', lease_until = NULL, attempts = attempts - 1 "
      "WHERE id = ? AND claim_token = ? AND state = 'sending'",
      {row.id, row.claim_token});
}

bool retry_later(store::Connection& c, const OutboxRow& row, clock::Millis next_attempt_at, const std::string& error) {
  return c.execute(
             "UPDATE notification_outbox SET state = 'pending', next_attempt_at = ?, lease_until = NULL, last_error = "
             "? "
             "WHERE id = ? AND claim_token = ? AND state = 'sending'",
             {next_attempt_at, error, row.id, row.claim_token}) > 0;
}

std::optional<clock::Millis> next_due(store::Connection& c) {
  const auto rs = c.query("SELECT MIN(next_attempt_at) AS at FROM notification_outbox WHERE state = 'pending'");
  return rs.rows.front().integer_or_null("at");
}

std::int64_t backlog(store::Connection& c) {
  return c.query("SELECT COUNT(*) AS n FROM notification_outbox WHERE state IN ('pending', 'sending')")
      .rows.front()
      .integer("n");
}

}  // namespace tiptop::notifications
