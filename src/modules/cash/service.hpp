#pragma once
// Shifts and cash on delivery. A partner opens a shift with a change fund, carries COD orders
// (dispatch records each pick-up and collection here), ends the shift and declares what they
// hand over; an admin counts it and settles once. Every movement lands in an append-only ledger.
#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "modules/cash/repository.hpp"
#include "store/database.hpp"

namespace tiptop::cash {

struct SessionPage {
  std::vector<DeliverySession> sessions;
  std::int64_t total = 0;
};

struct LedgerPage {
  std::vector<LedgerEntry> entries;
  std::int64_t total = 0;
  std::vector<std::pair<std::string, Paise>> totals;  // per kind, over the whole filter
};

class CashService {
 public:
  explicit CashService(store::Database& db) : db_(db) {}

  // Partner. start: at most one open shift; refused while a settled shift's discrepancy is unresolved.
  boost::asio::awaitable<DeliverySession> start(std::string partner_id, Paise change_fund);
  boost::asio::awaitable<DeliverySession> current(std::string partner_id);
  // Refused while a COD order picked up in the shift is still on the road.
  boost::asio::awaitable<DeliverySession> end(std::string partner_id);
  // The cash the partner says they handed over, once per shift; ends the shift if it is open.
  boost::asio::awaitable<DeliverySession> declare(std::string partner_id, Paise amount, std::string notes);

  // Admin.
  boost::asio::awaitable<SessionPage> sessions(SessionFilter filter, std::int64_t page, std::int64_t limit);
  // discrepancy = actual − (changeFund + collected); once; immutable afterwards.
  boost::asio::awaitable<DeliverySession> settle(std::string admin_id, std::string session_id, Paise actual,
                                                 std::string notes);
  // Closes a settled shift's discrepancy with an adjustment entry, so the partner may start again.
  boost::asio::awaitable<DeliverySession> resolve(std::string admin_id, std::string session_id, std::string notes);
  boost::asio::awaitable<LedgerPage> transactions(LedgerFilter filter, std::int64_t page, std::int64_t limit);

 private:
  store::Database& db_;
};

// Ledger entry with a fresh id and the current time; the caller fills in the rest.
LedgerEntry ledger_entry(const std::string& kind, const std::string& session_id, const std::string& partner_id,
                         Paise amount, const std::string& actor_id, const std::string& actor_role);

}  // namespace tiptop::cash
