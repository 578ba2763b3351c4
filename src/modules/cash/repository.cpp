#include "modules/cash/repository.hpp"

#include "modules/orders/shift_repository.hpp"

namespace tiptop::cash {
namespace bj = boost::json;
namespace {

constexpr const char* kColumns =
    "s.id, s.partner_id, s.day, s.start_time, s.end_time, s.change_fund_paise, s.total_expected_paise, "
    "s.total_collected_paise, s.total_upi_paise, s.total_tips_paise, s.declared_paise, s.declared_at, "
    "s.declared_notes, s.settled_at, s.settled_by, "
    "s.actual_paise, s.discrepancy_paise, s.settle_notes, s.distance_m, s.last_lat, s.last_lng, s.last_located_at, "
    "s.created_at, s.updated_at, u.first_name, u.last_name, u.phone";
constexpr const char* kFrom = " FROM delivery_sessions s JOIN users u ON u.id = s.partner_id";

DeliverySession session_from(const store::Row& r) {
  DeliverySession s;
  s.id = r.text("id");
  s.partner_id = r.text("partner_id");
  const auto last = r.text("last_name");
  s.partner = {{"_id", s.partner_id},
               {"name", r.text("first_name") + (last.empty() ? "" : " " + last)},
               {"phone", r.text("phone")}};
  s.day = r.text("day");
  s.start_time = r.integer("start_time");
  s.end_time = r.integer_or_null("end_time");
  s.change_fund = r.integer("change_fund_paise");
  s.total_expected = r.integer("total_expected_paise");
  s.total_collected = r.integer("total_collected_paise");
  s.total_upi = r.integer("total_upi_paise");
  s.total_tips = r.integer("total_tips_paise");
  s.declared = r.integer_or_null("declared_paise");
  s.declared_at = r.integer_or_null("declared_at");
  s.declared_notes = r.text("declared_notes");
  s.settled_at = r.integer_or_null("settled_at");
  s.settled_by = r.text("settled_by");
  s.actual = r.integer_or_null("actual_paise");
  s.discrepancy = r.integer_or_null("discrepancy_paise");
  s.settle_notes = r.text("settle_notes");
  s.distance_m = r.integer("distance_m");
  s.last_lat = r.real_or_null("last_lat");
  s.last_lng = r.real_or_null("last_lng");
  s.last_located_at = r.integer_or_null("last_located_at");
  s.created_at = r.integer("created_at");
  s.updated_at = r.integer("updated_at");
  return s;
}

// The shift's COD orders, resolution and delivery figures (from the orders it carried).
void load_details(store::Connection& c, DeliverySession& s) {
  for (const auto& r :
       c.query("SELECT order_id, order_number, status, method, upi_reference, expected_paise, collected_paise, "
               "collected_at FROM session_cash_orders WHERE session_id = ? ORDER BY created_at, order_id",
               {s.id})
           .rows)
    s.cash_orders.push_back({r.text("order_id"), r.text("order_number"), r.text("status"), r.text("method"),
                             r.text("upi_reference"), r.integer("expected_paise"), r.integer_or_null("collected_paise"),
                             r.integer_or_null("collected_at")});
  auto res =
      c.query("SELECT amount_paise, resolved_by, notes, created_at FROM cash_resolutions WHERE session_id = ?", {s.id});
  if (!res.empty())
    s.resolution = Resolution{res.rows[0].integer("amount_paise"), res.rows[0].text("resolved_by"),
                              res.rows[0].text("notes"), res.rows[0].integer("created_at")};
  const auto f = orders::shift_order_figures(c, s.id);
  s.stats = {f.total, f.delivered, f.cancelled, f.in_progress, f.delivery_ms, f.timed};
}

std::optional<DeliverySession> one(store::Connection& c, const std::string& where, const store::Params& params,
                                   bool lock) {
  // FOR UPDATE cannot lock the joined users row's nullable side; OF s keeps the lock on the shift.
  const std::string suffix = lock && c.engine() == store::Engine::postgres ? " FOR UPDATE OF s" : "";
  auto rs = c.query(std::string("SELECT ") + kColumns + kFrom + " WHERE " + where + suffix, params);
  if (rs.empty()) return std::nullopt;
  auto s = session_from(rs.rows[0]);
  load_details(c, s);
  return s;
}

std::string session_where(const SessionFilter& f, store::Params& p) {
  std::string w = " WHERE 1 = 1";
  if (!f.partner_id.empty()) w += " AND s.partner_id = ?", p.emplace_back(f.partner_id);
  if (f.from) w += " AND s.start_time >= ?", p.emplace_back(*f.from);
  if (f.to) w += " AND s.start_time < ?", p.emplace_back(*f.to);
  if (f.settled) w += *f.settled ? " AND s.settled_at IS NOT NULL" : " AND s.settled_at IS NULL";
  return w;
}

std::string ledger_where(const LedgerFilter& f, store::Params& p) {
  std::string w = " WHERE 1 = 1";
  if (!f.partner_id.empty()) w += " AND partner_id = ?", p.emplace_back(f.partner_id);
  if (!f.session_id.empty()) w += " AND session_id = ?", p.emplace_back(f.session_id);
  if (!f.kind.empty()) w += " AND kind = ?", p.emplace_back(f.kind);
  if (f.from) w += " AND created_at >= ?", p.emplace_back(*f.from);
  if (f.to) w += " AND created_at < ?", p.emplace_back(*f.to);
  return w;
}

}  // namespace

std::optional<std::string> session_partner(store::Connection& c, const std::string& session_id) {
  auto rs = c.query("SELECT partner_id FROM delivery_sessions WHERE id = ?", {session_id});
  if (rs.empty()) return std::nullopt;
  return rs.rows[0].text("partner_id");
}

std::optional<DeliverySession> find_session(store::Connection& c, const std::string& id, bool lock) {
  return one(c, "s.id = ?", {id}, lock);
}

std::optional<DeliverySession> open_session_of(store::Connection& c, const std::string& partner_id, bool lock) {
  return one(c, "s.partner_id = ? AND s.end_time IS NULL", {partner_id}, lock);
}

std::optional<DeliverySession> undeclared_session_of(store::Connection& c, const std::string& partner_id) {
  auto rs = c.query(
      "SELECT id FROM delivery_sessions WHERE partner_id = ? AND settled_at IS NULL AND declared_at IS NULL "
      "ORDER BY start_time DESC LIMIT 1",
      {partner_id});
  if (rs.empty()) return std::nullopt;
  return find_session(c, rs.rows[0].text("id"));
}

std::optional<std::string> unresolved_discrepancy(store::Connection& c, const std::string& partner_id) {
  auto rs = c.query(
      "SELECT s.id FROM delivery_sessions s LEFT JOIN cash_resolutions r ON r.session_id = s.id "
      "WHERE s.partner_id = ? AND s.settled_at IS NOT NULL AND s.discrepancy_paise <> 0 AND r.session_id IS NULL "
      "ORDER BY s.start_time LIMIT 1",
      {partner_id});
  if (rs.empty()) return std::nullopt;
  return rs.rows[0].text("id");
}

void insert_session(store::Connection& c, const DeliverySession& s) {
  c.execute(
      "INSERT INTO delivery_sessions (id, partner_id, day, start_time, change_fund_paise, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {s.id, s.partner_id, s.day, s.start_time, s.change_fund, s.created_at, s.updated_at});
}

void end_session(store::Connection& c, const std::string& id, clock::Millis at) {
  if (c.execute("UPDATE delivery_sessions SET end_time = ?, updated_at = ? WHERE id = ? AND end_time IS NULL",
                {at, at, id}) == 0)
    return;
  // Orders held but not yet picked up leave with the shift (the next shift that picks them up
  // carries them), so a closed shift's figures never change afterwards.
  orders::release_unpicked_orders(c, id);
}

void declare_handover(store::Connection& c, const std::string& id, Paise amount, const std::string& notes,
                      clock::Millis at) {
  c.execute(
      "UPDATE delivery_sessions SET declared_paise = ?, declared_at = ?, declared_notes = ?, updated_at = ? WHERE id = "
      "?",
      {amount, at, store::text_or_null(notes), at, id});
}

void settle_session(store::Connection& c, const std::string& id, Paise actual, Paise discrepancy,
                    const std::string& admin_id, const std::string& notes, clock::Millis at) {
  end_session(c, id, at);
  c.execute(
      "UPDATE delivery_sessions SET settled_at = ?, settled_by = ?, actual_paise = ?, discrepancy_paise = ?, "
      "settle_notes = ?, updated_at = ? WHERE id = ? AND settled_at IS NULL",
      {at, admin_id, actual, discrepancy, store::text_or_null(notes), at, id});
  orders::mark_shift_cash_settled(c, id);
}

void insert_resolution(store::Connection& c, const std::string& session_id, const std::string& partner_id,
                       const Resolution& r) {
  c.execute(
      "INSERT INTO cash_resolutions (session_id, partner_id, amount_paise, resolved_by, notes, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {session_id, partner_id, r.amount, r.by, r.notes, r.at});
}

void add_pending_cash(store::Connection& c, const std::string& session_id, const std::string& order_id,
                      const std::string& order_number, Paise expected, clock::Millis at) {
  c.execute(
      "INSERT INTO session_cash_orders (order_id, session_id, order_number, expected_paise, status, created_at) "
      "VALUES (?, ?, ?, ?, 'pending', ?)",
      {order_id, session_id, order_number, expected, at});
  c.execute("UPDATE delivery_sessions SET total_expected_paise = total_expected_paise + ?, updated_at = ? WHERE id = ?",
            {expected, at, session_id});
}

std::optional<std::string> collect_at_door(store::Connection& c, const std::string& order_id, const DoorPayment& paid,
                                           clock::Millis at) {
  auto rs = c.query("SELECT session_id FROM session_cash_orders WHERE order_id = ? AND status = 'pending'", {order_id});
  if (rs.empty()) return std::nullopt;
  const auto session_id = rs.rows[0].text("session_id");
  const bool upi = paid.method == "upi";
  c.execute(
      "UPDATE session_cash_orders SET status = 'collected', collected_paise = ?, collected_at = ?, method = ?, "
      "upi_reference = ? WHERE order_id = ?",
      {paid.amount, at, paid.method, store::text_or_null(paid.upi_reference), order_id});
  // UPI went to the restaurant's account: the shift records it apart from the cash in hand.
  c.execute(std::string("UPDATE delivery_sessions SET ") +
                (upi ? "total_upi_paise = total_upi_paise + ?" : "total_collected_paise = total_collected_paise + ?") +
                ", updated_at = ? WHERE id = ?",
            {paid.amount, at, session_id});
  return session_id;
}

void add_to_shift(store::Connection& c, const std::string& session_id, Paise cash, Paise upi, Paise tips,
                  clock::Millis at) {
  c.execute(
      "UPDATE delivery_sessions SET total_collected_paise = total_collected_paise + ?, total_upi_paise = "
      "total_upi_paise + ?, total_tips_paise = total_tips_paise + ?, updated_at = ? WHERE id = ?",
      {cash, upi, tips, at, session_id});
}

void record_position(store::Connection& c, const std::string& partner_id, double lat, double lng, clock::Millis at) {
  auto rs = c.query(std::string("SELECT id, last_lat, last_lng, last_located_at FROM delivery_sessions "
                                "WHERE partner_id = ? AND end_time IS NULL") +
                        std::string(store::row_lock(c)),
                    {partner_id});
  if (rs.empty()) return;
  const auto& r = rs.rows[0];
  std::int64_t added = 0;
  if (!r.is_null("last_lat")) {
    auto moved = travelled_m(r.real("last_lat"), r.real("last_lng"), r.integer("last_located_at"), lat, lng, at);
    if (!moved) return;  // jitter: keep the earlier point as the reference
    added = *moved;
  }
  c.execute(
      "UPDATE delivery_sessions SET distance_m = distance_m + ?, last_lat = ?, last_lng = ?, last_located_at = ?, "
      "updated_at = ? WHERE id = ?",
      {added, lat, lng, at, at, r.text("id")});
}

void append_ledger(store::Connection& c, const LedgerEntry& e) {
  c.execute(
      "INSERT INTO cash_ledger (id, session_id, partner_id, kind, amount_paise, order_id, order_number, actor_id, "
      "actor_role, notes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {e.id, e.session_id, e.partner_id, e.kind, e.amount, store::text_or_null(e.order_id),
       store::text_or_null(e.order_number), e.actor_id, e.actor_role, store::text_or_null(e.notes), e.at});
}

std::vector<DeliverySession> list_sessions(store::Connection& c, const SessionFilter& f, std::int64_t offset,
                                           std::int64_t limit) {
  store::Params p;
  const auto where = session_where(f, p);
  p.emplace_back(limit);
  p.emplace_back(offset);
  std::vector<DeliverySession> out;
  for (const auto& r : c.query(std::string("SELECT ") + kColumns + kFrom + where +
                                   " ORDER BY s.start_time DESC, s.id DESC LIMIT ? OFFSET ?",
                               p)
                           .rows) {
    out.push_back(session_from(r));
    load_details(c, out.back());
  }
  return out;
}

std::int64_t count_sessions(store::Connection& c, const SessionFilter& f) {
  store::Params p;
  const auto where = session_where(f, p);
  return c.query(std::string("SELECT COUNT(*) AS n") + kFrom + where, p).rows.at(0).integer("n");
}

std::vector<ShiftTotals> shift_totals_by_partner(store::Connection& c, std::optional<clock::Millis> from,
                                                 std::optional<clock::Millis> to) {
  store::Params p;
  std::string range;
  if (from) range += " AND start_time >= ?", p.emplace_back(*from);
  if (to) range += " AND start_time < ?", p.emplace_back(*to);
  std::vector<ShiftTotals> out;
  for (const auto& r :
       c.query("SELECT partner_id, COUNT(*) AS n, SUM(distance_m) AS m FROM delivery_sessions WHERE 1 = 1" + range +
                   " GROUP BY partner_id",
               p)
           .rows)
    out.push_back({r.text("partner_id"), r.integer("n"), r.integer("m")});
  return out;
}

std::vector<ShiftDistance> partner_shift_distances(store::Connection& c, const std::string& partner_id,
                                                   clock::Millis from, clock::Millis to) {
  std::vector<ShiftDistance> out;
  for (const auto& r : c.query("SELECT start_time, distance_m FROM delivery_sessions WHERE partner_id = ? AND "
                               "start_time >= ? AND start_time < ? ORDER BY start_time LIMIT 5000",
                               {partner_id, from, to})
                           .rows)
    out.push_back({r.integer("start_time"), r.integer("distance_m")});
  return out;
}

std::vector<LedgerEntry> list_ledger(store::Connection& c, const LedgerFilter& f, std::int64_t offset,
                                     std::int64_t limit) {
  store::Params p;
  const auto where = ledger_where(f, p);
  p.emplace_back(limit);
  p.emplace_back(offset);
  std::vector<LedgerEntry> out;
  for (const auto& r :
       c.query("SELECT seq, id, session_id, partner_id, kind, amount_paise, order_id, order_number, actor_id, "
               "actor_role, notes, created_at FROM cash_ledger" +
                   where + " ORDER BY seq DESC LIMIT ? OFFSET ?",
               p)
           .rows)
    out.push_back({r.integer("seq"), r.text("id"), r.text("session_id"), r.text("partner_id"), r.text("kind"),
                   r.integer("amount_paise"), r.text("order_id"), r.text("order_number"), r.text("actor_id"),
                   r.text("actor_role"), r.text("notes"), r.integer("created_at")});
  return out;
}

std::int64_t count_ledger(store::Connection& c, const LedgerFilter& f) {
  store::Params p;
  const auto where = ledger_where(f, p);
  return c.query("SELECT COUNT(*) AS n FROM cash_ledger" + where, p).rows.at(0).integer("n");
}

std::vector<std::pair<std::string, Paise>> ledger_totals(store::Connection& c, const LedgerFilter& f) {
  store::Params p;
  const auto where = ledger_where(f, p);
  std::vector<std::pair<std::string, Paise>> out;
  for (const auto& r :
       c.query("SELECT kind, SUM(amount_paise) AS total FROM cash_ledger" + where + " GROUP BY kind", p).rows)
    out.emplace_back(r.text("kind"), r.integer("total"));
  return out;
}

}  // namespace tiptop::cash
