#include "modules/cash/service.hpp"

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "modules/audit/repository.hpp"
#include "modules/orders/shift_repository.hpp"
#include "modules/users/repository.hpp"

namespace tiptop::cash {
namespace asio = boost::asio;
namespace {

void refuse_pending(store::Connection& c, const DeliverySession& s) {
  if (auto n = orders::count_on_the_road(c, s.id); n > 0)
    throw ConflictError(std::to_string(n) + " order(s) of this shift are still out for delivery", "DELIVERIES_PENDING");
}

// A shift locked the way every delivery transaction locks: its orders, then the partner's row,
// then the shift itself (see users::lock_user).
std::optional<DeliverySession> locked_session(store::Connection& c, const std::string& id) {
  if (!ids::is_object_id(id)) return std::nullopt;
  auto owner = session_partner(c, id);
  if (!owner) return std::nullopt;
  // Closing or settling a shift writes to its orders, so it takes them first: orders, then the
  // partner, then the shift — the order every delivery transaction locks in.
  orders::lock_shift_orders(c, id);
  users::lock_user(c, *owner);
  return find_session(c, id, true);
}

// The partner's open shift (or, for a declaration, the newest one not yet declared), locked as above.
template <class Find>
std::optional<DeliverySession> locked_shift_of(store::Connection& c, Find find) {
  auto peek = find(c);
  if (!peek) return std::nullopt;
  auto s = locked_session(c, peek->id);
  if (auto now = find(c); !now || now->id != peek->id)  // another shift began or ended in between
    throw ConflictError("The delivery session changed meanwhile; please try again", "CONFLICT");
  return s;
}

DeliverySession reload(store::Connection& c, const std::string& id) { return *find_session(c, id); }

}  // namespace

LedgerEntry ledger_entry(const std::string& kind, const std::string& session_id, const std::string& partner_id,
                         Paise amount, const std::string& actor_id, const std::string& actor_role) {
  LedgerEntry e;
  e.id = ids::new_object_id();
  e.session_id = session_id;
  e.partner_id = partner_id;
  e.kind = kind;
  e.amount = amount;
  e.actor_id = actor_id;
  e.actor_role = actor_role;
  e.at = clock::now_ms();
  return e;
}

asio::awaitable<DeliverySession> CashService::start(std::string partner_id, Paise change_fund) {
  const auto now = clock::now_ms();
  try {
    co_return co_await db_.transaction([&](store::Connection& c) {
      users::lock_user(c, partner_id);  // a settlement being booked now is seen, not raced
      auto partner = users::find_by_id(c, partner_id);
      if (!partner || partner->role != "delivery" || !partner->is_active)
        throw AuthorizationError("Not an active delivery partner");
      if (open_session_of(c, partner_id))
        throw ConflictError("A delivery session is already open", "SESSION_ALREADY_OPEN");
      if (auto id = unresolved_discrepancy(c, partner_id))
        throw ConflictError("A settled session has a cash discrepancy an admin must resolve first",
                            "UNRESOLVED_DISCREPANCY", {{"sessionId", *id}});
      DeliverySession s;
      s.id = ids::new_object_id();
      s.partner_id = partner_id;
      s.day = clock::local_date(now);  // 00:30 in Kolkata belongs to that day, not the UTC one
      s.start_time = s.created_at = s.updated_at = now;
      s.change_fund = change_fund;
      insert_session(c, s);
      if (change_fund > 0)
        append_ledger(c, ledger_entry("float_issued", s.id, partner_id, change_fund, partner_id, "delivery"));
      return reload(c, s.id);
    });
  } catch (const store::UniqueViolation&) {
    // Two starts at once: the partial unique index let one through.
  }
  throw ConflictError("A delivery session is already open", "SESSION_ALREADY_OPEN");
}

asio::awaitable<DeliverySession> CashService::current(std::string partner_id) {
  auto s = co_await db_.read([&](store::Connection& c) { return open_session_of(c, partner_id); });
  if (!s) throw NotFoundError("Open delivery session");
  co_return std::move(*s);
}

asio::awaitable<DeliverySession> CashService::end(std::string partner_id) {
  co_return co_await db_.transaction([&](store::Connection& c) {
    auto s = locked_shift_of(c, [&](store::Connection& k) { return open_session_of(k, partner_id); });
    if (!s) throw NotFoundError("Open delivery session");
    refuse_pending(c, *s);
    end_session(c, s->id, clock::now_ms());
    // Off shift means off duty: no new orders are offered to them.
    users::take_off_duty(c, partner_id);
    return reload(c, s->id);
  });
}

asio::awaitable<DeliverySession> CashService::declare(std::string partner_id, Paise amount, std::string notes) {
  co_return co_await db_.transaction([&](store::Connection& c) {
    auto s = locked_shift_of(c, [&](store::Connection& k) { return undeclared_session_of(k, partner_id); });
    if (!s) throw NotFoundError("Delivery session awaiting settlement");
    if (s->settled()) throw ConflictError("This session is already settled", "ALREADY_SETTLED");
    if (s->declared) throw ConflictError("The handover for this session is already declared", "ALREADY_DECLARED");
    refuse_pending(c, *s);
    const auto now = clock::now_ms();
    if (s->open()) {
      end_session(c, s->id, now);
      users::take_off_duty(c, partner_id);
    }
    declare_handover(c, s->id, amount, notes, now);
    return reload(c, s->id);
  });
}

asio::awaitable<SessionPage> CashService::sessions(SessionFilter filter, std::int64_t page, std::int64_t limit) {
  co_return co_await db_.read([&](store::Connection& c) {
    return SessionPage{list_sessions(c, filter, (page - 1) * limit, limit), count_sessions(c, filter)};
  });
}

asio::awaitable<DeliverySession> CashService::settle(std::string admin_id, std::string session_id, Paise actual,
                                                     std::string notes) {
  co_return co_await db_.transaction([&](store::Connection& c) {
    auto s = locked_session(c, session_id);
    if (!s) throw NotFoundError("Delivery session");
    if (s->settled()) throw ConflictError("This session is already settled", "ALREADY_SETTLED");
    refuse_pending(c, *s);
    const Paise discrepancy = actual - s->cash_in_hand();
    settle_session(c, s->id, actual, discrepancy, admin_id, notes, clock::now_ms());
    auto handed = ledger_entry("handed_over", s->id, s->partner_id, -actual, admin_id, "admin");
    handed.notes = notes;
    append_ledger(c, handed);
    if (s->open()) users::take_off_duty(c, s->partner_id);
    return reload(c, s->id);
  });
}

asio::awaitable<DeliverySession> CashService::resolve(std::string admin_id, std::string session_id, std::string notes) {
  co_return co_await db_.transaction([&](store::Connection& c) {
    auto s = locked_session(c, session_id);
    if (!s) throw NotFoundError("Delivery session");
    if (!s->settled()) throw ConflictError("Settle the session before resolving its discrepancy", "NOT_SETTLED");
    if (s->discrepancy.value_or(0) == 0) throw ConflictError("This session has no discrepancy", "NO_DISCREPANCY");
    if (s->resolution) throw ConflictError("This discrepancy is already resolved", "ALREADY_RESOLVED");
    const Resolution r{*s->discrepancy, admin_id, notes, clock::now_ms()};
    insert_resolution(c, s->id, s->partner_id, r);
    // Brings the shift's ledger balance (float + collected − handed over) back to zero.
    auto adjustment = ledger_entry("adjustment", s->id, s->partner_id, *s->discrepancy, admin_id, "admin");
    adjustment.notes = notes;
    append_ledger(c, adjustment);
    audit::append(
        c, {clock::now_ms(), admin_id, "admin", "cash.adjustment", "delivery-session", s->id,
            boost::json::object{{"discrepancy", money::to_json(*s->discrepancy)}},
            boost::json::object{{"adjustment", money::to_json(*s->discrepancy)}, {"partnerId", s->partner_id}}, notes});
    return reload(c, s->id);
  });
}

asio::awaitable<LedgerPage> CashService::transactions(LedgerFilter filter, std::int64_t page, std::int64_t limit) {
  co_return co_await db_.read([&](store::Connection& c) {
    return LedgerPage{list_ledger(c, filter, (page - 1) * limit, limit), count_ledger(c, filter),
                      ledger_totals(c, filter)};
  });
}

}  // namespace tiptop::cash
