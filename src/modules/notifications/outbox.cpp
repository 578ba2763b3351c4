#include "modules/notifications/outbox.hpp"

#include <cmath>
#include <limits>
#include <random>
#include <thread>

#include "core/crypto.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "integrations/send_failure.hpp"

namespace tiptop::notifications {
namespace bj = boost::json;
using integrations::SendFailure;

namespace {

constexpr int kBatch = 50;
constexpr clock::Millis kRecordWithin = 250;
constexpr clock::Millis kMaxDelay = 3'600'000;
constexpr clock::Millis kKeepFinished = 7LL * 24 * 3'600'000;

double jitter() {
  thread_local std::mt19937 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

}  // namespace

OutboxWorker::OutboxWorker(store::Database& db, Providers providers, OutboxSettings settings)
    : db_(db),
      providers_(providers),
      settings_(std::move(settings)),
      job_("notification outbox pass", settings_.poll_interval, [this] { return pass(); }) {}

OutboxWorker::~OutboxWorker() { stop(); }

void OutboxWorker::start() { job_.start(); }

void OutboxWorker::stop() { job_.stop(); }

void OutboxWorker::wake() { job_.wake(); }

clock::Millis OutboxWorker::backoff(clock::Millis base, int attempt, double jitter) {
  const double exp = std::ldexp(static_cast<double>(base), std::min(std::max(attempt, 1) - 1, 30));
  const double spread = std::min(exp, static_cast<double>(kMaxDelay)) * (0.8 + 0.4 * jitter);
  return static_cast<clock::Millis>(std::min(spread, static_cast<double>(kMaxDelay)));
}

std::chrono::milliseconds OutboxWorker::pass() {
  while (run_once(clock::now_ms()) > 0)
    if (stopping()) return settings_.poll_interval;
  const auto now = clock::now_ms();
  if (now - last_sweep_ >= std::chrono::duration_cast<std::chrono::milliseconds>(settings_.sweep_interval).count()) {
    sweep(now);
    last_sweep_ = now;
  }
  // A retry due before the next poll is not kept waiting for it.
  auto due = [&](store::Connection& c) { return next_due(c); };
  if (const auto at = db_.read_sync(due))
    return std::min(settings_.poll_interval,
                    std::chrono::milliseconds(std::max<clock::Millis>(*at - clock::now_ms(), 10)));
  return settings_.poll_interval;
}

bool OutboxWorker::stopping() { return job_.stopping(); }

int OutboxWorker::run_once(clock::Millis now) {
  // The pass's clock: `now`, moving on with real time (tests hand in a `now` of their choosing).
  const auto skew = now - clock::now_ms();
  const PassClock clock_of_pass = [skew] { return clock::now_ms() + skew; };
  const auto token = crypto::random_hex(12);
  auto claim = [&](store::Connection& c) { return claim_due(c, now, now + lease_ms(), token, kBatch); };
  auto rows = db_.transaction_sync(claim);
  std::vector<Outcome> done;
  // Results are written together (one commit for a fast batch, not one per message), but before
  // any of their claims could run out during the next provider call, and never held longer than
  // kRecordWithin plus one call: a crash loses at most that much news of sends (they go again
  // after the lease). Checked before every provider call, each device of a push included.
  before_call_ = [&] {
    if (!done.empty() && (clock_of_pass() - done.front().at >= kRecordWithin ||
                          earliest_lease(done) - clock_of_pass() <= lease_ms() / 2))
      record(done);
  };
  std::size_t next = 0;
  try {
    for (; next < rows.size() && !stopping(); ++next)
      if (auto outcome = deliver(rows[next], clock_of_pass)) done.push_back(std::move(*outcome));
  } catch (const std::exception& e) {
    log::warn("notification outbox pass interrupted", {{"error", e.what()}});
    ++next;  // the row in hand: its claim runs out and it is tried again
  }
  before_call_ = nullptr;
  record(done);
  // Shutting down, or interrupted: what was claimed but not tried goes back to the queue, for this
  // node's next start or another node, without waiting out the lease.
  for (; next < rows.size(); ++next) {
    auto give_back = [&](store::Connection& c) { release_claim(c, rows[next]); };
    try {
      db_.transaction_sync(give_back);
    } catch (const std::exception&) {
      break;  // the database is away: the leases run out instead
    }
  }
  return static_cast<int>(rows.size());
}

clock::Millis OutboxWorker::lease_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(settings_.lease).count();
}

clock::Millis OutboxWorker::earliest_lease(const std::vector<Outcome>& done) {
  clock::Millis at = std::numeric_limits<clock::Millis>::max();
  for (const auto& o : done) at = std::min(at, o.row->lease_until);
  return at;
}

bool OutboxWorker::keep_claim(OutboxRow& row, const PassClock& now) {
  // A provider call takes at most a third of the lease (its timeout). Before each call the claim
  // is renewed unless two thirds are left, so it never runs out while its row is being worked on
  // and its result recorded, however many rows or devices came before; a fast batch renews nothing.
  const auto at = now();
  if (row.lease_until - at > 2 * lease_ms() / 3) return true;
  auto renew = [&](store::Connection& c) { return renew_claim(c, row, at + lease_ms()); };
  if (!db_.transaction_sync(renew)) return false;
  row.lease_until = at + lease_ms();
  return true;
}

std::optional<OutboxWorker::Outcome> OutboxWorker::deliver(OutboxRow& row, const PassClock& now) {
  if (before_call_) before_call_();
  if (!keep_claim(row, now)) {
    log::warn("outbox claim lost before sending (taken over by another worker)",
              {{"notification", row.notification_id}, {"channel", row.channel}});
    return std::nullopt;
  }
  Outcome o{&row};
  try {
    o.provider_id = send(row, now);
    o.sent = true;
  } catch (const SendFailure& f) {
    o.error = f.what();
    o.give_up = f.kind != SendFailure::Kind::retry || row.attempts >= settings_.max_attempts;
  } catch (const std::exception& e) {
    o.error = e.what();
    o.give_up = row.attempts >= settings_.max_attempts;
  }
  o.at = now();  // the wait before the next attempt counts from this failure, not from the pass
  return o;
}

void OutboxWorker::record(std::vector<Outcome>& done) {
  if (done.empty()) return;
  std::vector<bool> kept(done.size(), true);
  // Writing is idempotent (each row only moves on from "sending" under its claim), so a deadlock
  // or a dropped connection is simply tried again; only then are the results lost (and the rows
  // sent again after their leases).
  for (int attempt = 1;; ++attempt) {
    try {
      write_results(done, kept);
      break;
    } catch (const std::exception& e) {
      if (attempt == 3) {
        log::error("notification outbox could not record results", {{"error", e.what()}, {"rows", done.size()}});
        done.clear();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100 * attempt));
    }
  }
  log_results(done, kept);
  done.clear();
}

void OutboxWorker::write_results(const std::vector<Outcome>& done, std::vector<bool>& kept) {
  auto write = [&](store::Connection& c) {
    for (std::size_t i = 0; i < done.size(); ++i) {
      const auto& o = done[i];
      const auto& row = *o.row;
      const bool secret = json::bool_or(row.payload, "secret", false);
      if (o.sent || o.give_up)
        kept[i] = finish(c, row, o.sent, o.provider_id, o.error, o.at, secret);
      else
        kept[i] = retry_later(c, row, o.at + backoff(settings_.retry_base.count(), row.attempts, jitter()), o.error);
    }
  };
  db_.transaction_sync(write);
}

void OutboxWorker::log_results(const std::vector<Outcome>& done, const std::vector<bool>& kept) {
  for (std::size_t i = 0; i < done.size(); ++i) {
    const auto& o = done[i];
    bj::object where{
        {"notification", o.row->notification_id}, {"channel", o.row->channel}, {"attempt", o.row->attempts}};
    if (!kept[i]) {
      log::warn("outbox claim lost before the result was recorded (lease too short for the provider?)",
                std::move(where));
    } else if (!o.sent) {
      where["error"] = o.error;
      if (o.give_up)
        log::error("notification channel failed", std::move(where));
      else
        log::warn("notification channel will be retried", std::move(where));
    }
  }
}

std::string OutboxWorker::send(OutboxRow& row, const PassClock& now) {
  if (row.channel == "email") {
    integrations::Email mail{row.address, json::string_or(row.payload, "subject"), json::string_or(row.payload, "body"),
                             "notification-" + row.notification_id + "@" + settings_.message_id_domain};
    providers_.email.send(mail);
    return {};
  }
  if (row.channel == "sms")
    return providers_.sms.send(
        {integrations::to_e164(row.address, settings_.sms_country_code), json::string_or(row.payload, "body")});
  return send_push(row, now);
}

// Every device of the recipient as it is now. Sent once any device took it (the others are not
// retried, so nobody gets it twice); a token the provider no longer knows is forgotten.
std::string OutboxWorker::send_push(OutboxRow& row, const PassClock& now) {
  auto tokens_of = [&](store::Connection& c) { return device_tokens(c, row.recipient_id); };
  const auto tokens = db_.read_sync(tokens_of);
  if (tokens.empty()) throw SendFailure(SendFailure::Kind::permanent, "no registered device");
  integrations::Push push{"", json::string_or(row.payload, "title"), json::string_or(row.payload, "body"), {}, false};
  if (const auto* d = row.payload.if_contains("data"); d && d->is_object()) push.data = d->get_object();
  if (const auto* h = row.payload.if_contains("highPriority"); h && h->is_bool()) push.high_priority = h->get_bool();
  std::string ids, last_error;
  bool retryable = false, delivered = false;
  for (const auto& token : tokens) {
    try {
      if (&token != &tokens.front()) {
        if (before_call_) before_call_();
        if (!keep_claim(row, now)) break;  // taken over: the new holder sends
      }
      push.token = token;
      const auto id = providers_.push.send(push);
      ids += (ids.empty() ? "" : ",") + id;
      delivered = true;
    } catch (const SendFailure& f) {
      last_error = f.what();
      if (f.kind == SendFailure::Kind::unregistered) {
        auto forget = [&](store::Connection& c) { forget_device(c, token); };
        try {
          db_.transaction_sync(forget);
        } catch (const std::exception&) {  // forgotten next time it is refused
        }
      }
      retryable = retryable || f.kind == SendFailure::Kind::retry;
    } catch (const std::exception&) {
      // The database went away between devices: what was delivered stands; the rest waits.
      if (delivered) return ids;
      throw;
    }
  }
  if (delivered) return ids;
  throw SendFailure(retryable ? SendFailure::Kind::retry : SendFailure::Kind::permanent, last_error);
}

std::int64_t OutboxWorker::sweep(clock::Millis now) {
  auto run = [&](store::Connection& c) { return sweep_expired(c, now, now - kKeepFinished); };
  const auto deleted = db_.transaction_sync(run);
  if (deleted > 0) log::info("expired notifications deleted", {{"count", deleted}});
  return deleted;
}

}  // namespace tiptop::notifications
