#pragma once
// The print queue (issue 22). Accepting an order queues a kitchen ticket and, for a delivery, the
// customer's bill, for the printers that print them (in the order's transaction, through the
// lifecycle's KitchenHooks); agents are told over Socket.IO ("print:job" to the "printers" room)
// once it commits, and poll as well. An agent claims a job with a lease, says "printing" just
// before the paper, and "printed" after: a job is never lost, and printed twice only when an agent
// died between the two, the second copy then saying REPRINT.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <mutex>
#include <unordered_map>

#include "modules/orders/lifecycle.hpp"
#include "modules/printing/repository.hpp"
#include "modules/settings/service.hpp"
#include "realtime/emitter.hpp"
#include "store/database.hpp"

namespace tiptop::printing {

struct JobPage {
  std::vector<PrintJob> jobs;
  std::int64_t total = 0;
};

class PrintService : public orders::KitchenHooks {
 public:
  PrintService(store::Database& db, realtime::Emitter& emitter, const settings::SettingsService& settings,
               std::chrono::milliseconds lease)
      : db_(db), emitter_(emitter), settings_(settings), lease_(lease.count()) {}

  // Admin: a printer and its agent's token, which is shown this once and stored only hashed.
  struct Registered {
    Printer printer;
    std::string token;
  };
  boost::asio::awaitable<Registered> add_printer(std::string admin_id, boost::json::object body);
  boost::asio::awaitable<Printer> update_printer(std::string id, boost::json::object body);
  boost::asio::awaitable<std::vector<Printer>> printers();
  // Staff and admins: the queue, and a reprint of a job (a new job, saying REPRINT).
  boost::asio::awaitable<JobPage> jobs(JobFilter filter, std::int64_t page, std::int64_t limit);
  boost::asio::awaitable<PrintJob> reprint(std::string actor_id, std::string job_id);

  // Agents, by their printer's token. claim: the next job with what to print, or null.
  boost::asio::awaitable<Printer> authenticate(std::string token);
  boost::asio::awaitable<boost::json::value> claim(std::string token);
  boost::asio::awaitable<void> printing(std::string token, std::string job_id);
  boost::asio::awaitable<void> printed(std::string token, std::string job_id);

  // KitchenHooks.
  void order_confirmed(store::Connection& c, const orders::Order& o) const override;
  void wake() override;

 private:
  Printer seen(store::Connection& c, const std::string& token);

  store::Database& db_;
  realtime::Emitter& emitter_;
  const settings::SettingsService& settings_;
  clock::Millis lease_;
  std::mutex touched_mutex_;
  std::unordered_map<std::string, clock::Millis> touched_;  // printer → when last_seen_at was written
};

}  // namespace tiptop::printing
