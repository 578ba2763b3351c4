#include "modules/printing/repository.hpp"

namespace tiptop::printing {
namespace {

constexpr const char* kPrinterColumns =
    "id, name, paper_width, job_kinds, is_active, last_seen_at, created_by, created_at, updated_at";
constexpr const char* kJobColumns =
    "seq, id, order_id, order_number, kind, state, printer_id, lease_until, attempts, reached_paper, reprint_of, "
    "requested_by, created_at, printed_at, updated_at";

std::string join_kinds(const std::vector<std::string>& kinds) {
  std::string out;
  for (const auto& k : kinds) out += (out.empty() ? "" : ",") + k;
  return out;
}

Printer printer_from(const store::Row& r) {
  Printer p;
  p.id = r.text("id");
  p.name = r.text("name");
  p.paper_width = static_cast<int>(r.integer("paper_width"));
  const auto kinds = r.text("job_kinds");
  for (std::size_t i = 0; i <= kinds.size();) {
    const auto end = std::min(kinds.find(',', i), kinds.size());
    if (end > i) p.kinds.push_back(kinds.substr(i, end - i));
    i = end + 1;
  }
  p.active = r.boolean("is_active");
  p.last_seen_at = r.integer_or_null("last_seen_at");
  p.created_by = r.text("created_by");
  p.created_at = r.integer("created_at");
  p.updated_at = r.integer("updated_at");
  return p;
}

PrintJob job_from(const store::Row& r) {
  PrintJob j;
  j.seq = r.integer("seq");
  j.id = r.text("id");
  j.order_id = r.text("order_id");
  j.order_number = r.text("order_number");
  j.kind = r.text("kind");
  j.state = r.text("state");
  j.printer_id = r.text("printer_id");
  j.lease_until = r.integer_or_null("lease_until");
  j.attempts = r.integer("attempts");
  j.reached_paper = r.boolean("reached_paper");
  j.reprint_of = r.text("reprint_of");
  j.requested_by = r.text("requested_by");
  j.created_at = r.integer("created_at");
  j.printed_at = r.integer_or_null("printed_at");
  j.updated_at = r.integer("updated_at");
  return j;
}

std::string job_where(const JobFilter& f, store::Params& p) {
  std::string w = " WHERE 1 = 1";
  if (!f.state.empty()) w += " AND state = ?", p.emplace_back(f.state);
  if (!f.kind.empty()) w += " AND kind = ?", p.emplace_back(f.kind);
  if (!f.order_id.empty()) w += " AND order_id = ?", p.emplace_back(f.order_id);
  if (!f.printer_id.empty()) w += " AND printer_id = ?", p.emplace_back(f.printer_id);
  return w;
}

}  // namespace

void insert_printer(store::Connection& c, const Printer& p, const std::string& token_hash) {
  c.execute(
      "INSERT INTO printers (id, name, paper_width, job_kinds, token_hash, is_active, created_by, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {p.id, p.name, std::int64_t{p.paper_width}, join_kinds(p.kinds), token_hash, std::int64_t{p.active ? 1 : 0},
       p.created_by, p.created_at, p.updated_at});
}

void update_printer(store::Connection& c, const Printer& p) {
  c.execute(
      "UPDATE printers SET name = ?, paper_width = ?, job_kinds = ?, is_active = ?, updated_at = ? WHERE id = ?",
      {p.name, std::int64_t{p.paper_width}, join_kinds(p.kinds), std::int64_t{p.active ? 1 : 0}, p.updated_at, p.id});
}

std::vector<Printer> list_printers(store::Connection& c) {
  std::vector<Printer> out;
  for (const auto& r :
       c.query(std::string("SELECT ") + kPrinterColumns + " FROM printers ORDER BY created_at, id").rows)
    out.push_back(printer_from(r));
  return out;
}

std::optional<Printer> find_printer(store::Connection& c, const std::string& id) {
  auto rs = c.query(std::string("SELECT ") + kPrinterColumns + " FROM printers WHERE id = ?", {id});
  if (rs.empty()) return std::nullopt;
  return printer_from(rs.rows[0]);
}

std::optional<Printer> printer_by_token_hash(store::Connection& c, const std::string& token_hash) {
  auto rs = c.query(std::string("SELECT ") + kPrinterColumns + " FROM printers WHERE token_hash = ?", {token_hash});
  if (rs.empty()) return std::nullopt;
  return printer_from(rs.rows[0]);
}

void touch_printer(store::Connection& c, const std::string& id, clock::Millis at) {
  c.execute("UPDATE printers SET last_seen_at = ? WHERE id = ?", {at, id});
}

bool any_printer_for(store::Connection& c, const std::string& kind) {
  // job_kinds is "kitchen", "bill" or "kitchen,bill": a kind is one of its comma-separated words.
  return !c.query("SELECT 1 AS found FROM printers WHERE is_active = 1 AND (',' || job_kinds || ',') LIKE ? LIMIT 1",
                  {"%," + kind + ",%"})
              .empty();
}

void insert_job(store::Connection& c, const PrintJob& j) {
  c.execute(
      "INSERT INTO print_jobs (id, order_id, order_number, kind, state, reprint_of, requested_by, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?)",
      {j.id, j.order_id, j.order_number, j.kind, store::text_or_null(j.reprint_of), store::text_or_null(j.requested_by),
       j.created_at, j.updated_at});
}

std::optional<PrintJob> find_job(store::Connection& c, const std::string& id) {
  auto rs = c.query(std::string("SELECT ") + kJobColumns + " FROM print_jobs WHERE id = ?", {id});
  if (rs.empty()) return std::nullopt;
  return job_from(rs.rows[0]);
}

std::optional<PrintJob> claim_next(store::Connection& c, const Printer& p, clock::Millis now,
                                   clock::Millis lease_until) {
  if (p.kinds.empty()) return std::nullopt;
  store::Params params;
  std::string kinds;
  for (const auto& k : p.kinds) kinds += std::string(kinds.empty() ? "" : ", ") + "?", params.emplace_back(k);
  params.emplace_back(now);
  // PostgreSQL: a job another agent is claiming right now is skipped, not waited for.
  const std::string lock = c.engine() == store::Engine::postgres ? " FOR UPDATE SKIP LOCKED" : "";
  auto rs = c.query("SELECT id FROM print_jobs WHERE kind IN (" + kinds +
                        ") AND (state = 'queued' OR (state IN ('claimed', 'printing') AND lease_until < ?)) "
                        "ORDER BY seq LIMIT 1" +
                        lock,
                    params);
  if (rs.empty()) return std::nullopt;
  const auto id = rs.rows[0].text("id");
  c.execute(
      "UPDATE print_jobs SET state = 'claimed', printer_id = ?, lease_until = ?, attempts = attempts + 1, "
      "updated_at = ? WHERE id = ?",
      {p.id, lease_until, now, id});
  return find_job(c, id);
}

bool mark_printing(store::Connection& c, const std::string& job_id, const std::string& printer_id, clock::Millis now,
                   clock::Millis lease_until) {
  return c.execute(
             "UPDATE print_jobs SET state = 'printing', reached_paper = 1, lease_until = ?, updated_at = ? "
             "WHERE id = ? AND printer_id = ? AND state = 'claimed' AND lease_until >= ?",
             {lease_until, now, job_id, printer_id, now}) == 1;
}

bool mark_printed(store::Connection& c, const std::string& job_id, const std::string& printer_id, clock::Millis now) {
  return c.execute(
             "UPDATE print_jobs SET state = 'printed', printed_at = ?, lease_until = NULL, updated_at = ? "
             "WHERE id = ? AND printer_id = ? AND state = 'printing'",
             {now, now, job_id, printer_id}) == 1;
}

std::vector<PrintJob> list_jobs(store::Connection& c, const JobFilter& f, std::int64_t offset, std::int64_t limit) {
  store::Params p;
  const auto where = job_where(f, p);
  p.emplace_back(limit);
  p.emplace_back(offset);
  std::vector<PrintJob> out;
  for (const auto& r : c.query(std::string("SELECT ") + kJobColumns + " FROM print_jobs" + where +
                                   " ORDER BY seq DESC LIMIT ? OFFSET ?",
                               p)
                           .rows)
    out.push_back(job_from(r));
  return out;
}

std::int64_t count_jobs(store::Connection& c, const JobFilter& f) {
  store::Params p;
  const auto where = job_where(f, p);
  return c.query("SELECT COUNT(*) AS n FROM print_jobs" + where, p).rows.at(0).integer("n");
}

}  // namespace tiptop::printing
