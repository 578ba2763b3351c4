#pragma once
// The outbox worker: delivers the push, SMS and e-mail rows that notifications leave in
// notification_outbox, on its own thread (providers block on the network; no I/O thread waits).
//
// At-least-once, and never again once acknowledged: a row is claimed (state sending, a lease and a
// token) in one transaction, sent, and marked sent or failed in another. A crash before the mark
// leaves the claim to expire and the row is sent again after the lease; a row marked sent is never
// claimed again. Failures are retried with exponential backoff until OUTBOX_MAX_ATTEMPTS; refusals
// that cannot change (a bad address) fail at once. Several nodes may run workers on one PostgreSQL:
// claims skip rows another worker holds.
#include <functional>
#include <optional>

#include "core/job.hpp"
#include "integrations/email.hpp"
#include "integrations/push.hpp"
#include "integrations/sms.hpp"
#include "modules/notifications/repository.hpp"

namespace tiptop::notifications {

struct Providers {
  integrations::EmailSender& email;
  integrations::SmsSender& sms;
  integrations::PushSender& push;
};

struct OutboxSettings {
  std::chrono::milliseconds poll_interval{1000}, retry_base{5000};
  int max_attempts = 8;
  std::chrono::seconds lease{60};
  std::chrono::seconds sweep_interval{60};
  std::string sms_country_code = "+91";
  std::string message_id_domain = "tiptop.local";
};

class OutboxWorker {
 public:
  OutboxWorker(store::Database& db, Providers providers, OutboxSettings settings);
  ~OutboxWorker();

  void start();
  void stop();  // lets a send in progress finish, then joins
  // A commit added rows: look now rather than at the next poll. Never blocks.
  void wake();

  // One pass on the calling thread: claims and sends every row due at `now`; returns rows handled.
  int run_once(clock::Millis now);
  // Deletes expired notifications (and finished outbox rows older than a week).
  std::int64_t sweep(clock::Millis now);

  // Delay before attempt `attempt + 1`: base·2^(attempt−1), capped at an hour, spread by ±20 %
  // (jitter in [0, 1)) so a provider's outage does not end in a thundering herd.
  static clock::Millis backoff(clock::Millis base, int attempt, double jitter);

 private:
  using PassClock = std::function<clock::Millis()>;
  // What became of one claimed row, until it is written.
  struct Outcome {
    const OutboxRow* row = nullptr;
    bool sent = false, give_up = false;
    std::string provider_id, error;
    clock::Millis at = 0;
  };
  // Every due row, the sweep when it is due; returns the wait before the next pass.
  std::chrono::milliseconds pass();
  bool stopping();
  clock::Millis lease_ms() const;
  static clock::Millis earliest_lease(const std::vector<Outcome>& done);
  bool keep_claim(OutboxRow& row, const PassClock& now);
  std::optional<Outcome> deliver(OutboxRow& row, const PassClock& now);
  void record(std::vector<Outcome>& done);  // one transaction (tried thrice); clears `done`
  void write_results(const std::vector<Outcome>& done, std::vector<bool>& kept);
  void log_results(const std::vector<Outcome>& done, const std::vector<bool>& kept);
  std::string send(OutboxRow& row, const PassClock& now);
  std::string send_push(OutboxRow& row, const PassClock& now);

  store::Database& db_;
  Providers providers_;
  OutboxSettings settings_;
  std::function<void()> before_call_;  // set during a pass: writes results that must not wait
  clock::Millis last_sweep_ = 0;
  BackgroundJob job_;  // last: stopped (joined) before the members its passes use go
};

}  // namespace tiptop::notifications
