#pragma once
// SQL for shifts, the COD orders they carry, settlement resolutions and the cash ledger. The
// functions take a Connection so dispatch and settlement compose them inside one transaction.
#include <optional>
#include <string>
#include <vector>

#include "modules/cash/model.hpp"
#include "store/database.hpp"

namespace tiptop::cash {

// The partner whose shift this is; nullopt for no such shift.
std::optional<std::string> session_partner(store::Connection& c, const std::string& session_id);
// lock: the row is read, changed and written in this transaction (FOR UPDATE on PostgreSQL).
std::optional<DeliverySession> find_session(store::Connection& c, const std::string& id, bool lock = false);
std::optional<DeliverySession> open_session_of(store::Connection& c, const std::string& partner_id, bool lock = false);
// The partner's newest shift that is neither settled nor declared (open or ended).
std::optional<DeliverySession> undeclared_session_of(store::Connection& c, const std::string& partner_id);
// A settled shift of this partner whose discrepancy no admin has resolved yet.
std::optional<std::string> unresolved_discrepancy(store::Connection& c, const std::string& partner_id);

void insert_session(store::Connection& c, const DeliverySession& s);
// Closes the shift if open; orders it holds but has not picked up are released from it.
void end_session(store::Connection& c, const std::string& id, clock::Millis at);
void declare_handover(store::Connection& c, const std::string& id, Paise amount, const std::string& notes,
                      clock::Millis at);
void settle_session(store::Connection& c, const std::string& id, Paise actual, Paise discrepancy,
                    const std::string& admin_id, const std::string& notes, clock::Millis at);
void insert_resolution(store::Connection& c, const std::string& session_id, const std::string& partner_id,
                       const Resolution& r);

// COD orders: pending at pick-up (the shift now expects the amount), collected on delivery.
void add_pending_cash(store::Connection& c, const std::string& session_id, const std::string& order_id,
                      const std::string& order_number, Paise expected, clock::Millis at);
// How an order paid at the door was paid: "cash" (amount counted by the partner) or "upi" (the
// amount of the link, with the payer's reference).
struct DoorPayment {
  std::string method = "cash";
  Paise amount = 0;
  std::string upi_reference;
};
// The door payment of an order picked up in a shift; returns that shift, or nullopt when it was
// not picked up in one.
std::optional<std::string> collect_at_door(store::Connection& c, const std::string& order_id, const DoorPayment& paid,
                                           clock::Millis at);
// Money a delivery brings the shift beyond its door payment: cash (a tip in cash on a prepaid
// order), UPI (a tip by UPI) and the partner's tips.
void add_to_shift(store::Connection& c, const std::string& session_id, Paise cash, Paise upi, Paise tips,
                  clock::Millis at);

// A reported position moves the open shift's distance (see travelled_m).
void record_position(store::Connection& c, const std::string& partner_id, double lat, double lng, clock::Millis at);

void append_ledger(store::Connection& c, const LedgerEntry& e);

struct SessionFilter {
  std::string partner_id;
  std::optional<clock::Millis> from, to;  // on start time
  std::optional<bool> settled;
};
std::vector<DeliverySession> list_sessions(store::Connection& c, const SessionFilter& f, std::int64_t offset,
                                           std::int64_t limit);
std::int64_t count_sessions(store::Connection& c, const SessionFilter& f);

// One partner's shifts started in the period (either bound may be absent); only partners with
// at least one appear.
struct ShiftTotals {
  std::string partner_id;
  std::int64_t sessions = 0, distance_m = 0;
};
std::vector<ShiftTotals> shift_totals_by_partner(store::Connection& c, std::optional<clock::Millis> from,
                                                 std::optional<clock::Millis> to);

// One partner's shifts started in [from, to): when, and how far they rode.
struct ShiftDistance {
  clock::Millis started_at = 0;
  std::int64_t distance_m = 0;
};
std::vector<ShiftDistance> partner_shift_distances(store::Connection& c, const std::string& partner_id,
                                                   clock::Millis from, clock::Millis to);

struct LedgerFilter {
  std::string partner_id, session_id, kind;
  std::optional<clock::Millis> from, to;
};
std::vector<LedgerEntry> list_ledger(store::Connection& c, const LedgerFilter& f, std::int64_t offset,
                                     std::int64_t limit);
std::int64_t count_ledger(store::Connection& c, const LedgerFilter& f);
// Sum of amounts per kind over the whole filter (not just one page).
std::vector<std::pair<std::string, Paise>> ledger_totals(store::Connection& c, const LedgerFilter& f);

}  // namespace tiptop::cash
