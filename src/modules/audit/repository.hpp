#pragma once
// The audit log (issue 21): every money-affecting staff action, appended in the transaction of the
// action itself, so the log and what it describes commit together. Append-only: nothing here (or
// anywhere) updates or deletes an entry, and the database's triggers refuse it.
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "store/database.hpp"

namespace tiptop::audit {

// Actions logged (the `action` field):
//   order.counter      a counter order was placed (after: the order's bill and type)
//   order.open-item    an item not on the menu, with its price (admins only)
//   order.discount     a discount given at the counter, with its reason (admins only)
//   order.refund       a cancellation that refunds money (before/after: status, refund)
//   cash.adjustment    a shift's discrepancy written off when resolved (the cash ledger's adjustment)
//   settings.change    restaurant settings changed (before/after: the whole settings)
struct Entry {
  clock::Millis at = 0;
  std::string actor_id, actor_role;
  std::string action;
  std::string subject_type, subject_id;  // "order" and its id, "settings" and "restaurant"…
  boost::json::value before = nullptr, after = nullptr;
  std::string note;
  std::int64_t seq = 0;  // set when read back
};

void append(store::Connection& c, Entry e);

struct Filter {
  std::string action, actor_id, subject_id;
  std::optional<clock::Millis> from, to;
};
std::vector<Entry> list(store::Connection& c, const Filter& f, std::int64_t offset, std::int64_t limit);
std::int64_t count(store::Connection& c, const Filter& f);

boost::json::object to_json(const Entry& e);

}  // namespace tiptop::audit
