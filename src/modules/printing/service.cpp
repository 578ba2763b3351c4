#include "modules/printing/service.hpp"

#include <ctime>

#include "core/crypto.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "modules/orders/repository.hpp"

namespace tiptop::printing {
namespace asio = boost::asio;
namespace bj = boost::json;
namespace {

// The last_seen_at of a printer is written at most this often (an agent polls every few seconds).
constexpr clock::Millis kTouchEvery = 5'000;

std::vector<std::string> kinds_of(const bj::object& body) {
  std::vector<std::string> kinds;
  if (const auto* v = body.if_contains("jobs"); v && v->is_array())
    for (const auto& k : v->get_array())
      if (k.is_string() && std::find(kinds.begin(), kinds.end(), k.get_string()) == kinds.end())
        kinds.emplace_back(k.get_string());
  return kinds;
}

// "07 Dec 2026 19:05", the restaurant's time.
std::string local_time(clock::Millis at) {
  const std::time_t t = static_cast<std::time_t>(clock::local_seconds(at));
  std::tm tm{};
  gmtime_r(&t, &tm);  // local_seconds is already shifted to the restaurant's zone
  char buf[32];
  std::strftime(buf, sizeof buf, "%d %b %Y %H:%M", &tm);
  return buf;
}

// What the agent prints, read from the order now (a reprint shows the order as it is).
bj::object agent_job(const PrintJob& j, const Printer& p, const orders::Order& o, const settings::Settings& s) {
  const auto full = orders::to_json(o);
  bj::object customer{{"name", o.customer.contains("name") ? o.customer.at("name") : bj::value("")}};
  if (j.kind == "bill" && o.customer.contains("phone")) customer["phone"] = o.customer.at("phone");
  bj::object order{{"orderNumber", o.order_number},
                   {"orderType", o.order_type},
                   {"placedAt", local_time(o.created_at)},
                   {"customer", std::move(customer)},
                   {"items", o.items},
                   {"deliveryAddress", o.delivery_address},
                   {"pricing", full.at("pricing")},
                   {"paymentMethod", o.payment_method},
                   {"paymentStatus", o.payment_status}};
  return {{"jobId", j.id},
          {"kind", j.kind},
          {"reprint", j.says_reprint()},
          {"paperWidth", p.paper_width},
          {"leaseUntil", j.lease_until ? bj::value(clock::to_iso8601(*j.lease_until)) : bj::value(nullptr)},
          {"order", std::move(order)},
          {"restaurant",
           bj::object{{"name", s.restaurant_name}, {"address", s.address}, {"contactPhone", s.contact_phone}}},
          {"trackingPath", o.tracking_token.empty() ? bj::value(nullptr)
                                                    : bj::value("/api/v1/orders/guest/track/" + o.tracking_token)}};
}

PrintJob new_job(const orders::Order& o, const std::string& kind, clock::Millis now) {
  PrintJob j;
  j.id = ids::new_object_id();
  j.order_id = o.id;
  j.order_number = o.order_number;
  j.kind = kind;
  j.state = "queued";
  j.created_at = j.updated_at = now;
  return j;
}

}  // namespace

asio::awaitable<PrintService::Registered> PrintService::add_printer(std::string admin_id, bj::object body) {
  Registered r;
  r.token = "prt_" + crypto::random_hex(24);
  auto& p = r.printer;
  p.id = ids::new_object_id();
  p.name = json::string_or(body, "name");
  p.paper_width = static_cast<int>(json::int_or(body, "paperWidth", 58));
  p.kinds = kinds_of(body);
  p.created_by = admin_id;
  p.created_at = p.updated_at = clock::now_ms();
  const auto hash = crypto::sha256_hex(r.token);
  co_await db_.transaction([&](store::Connection& c) { insert_printer(c, p, hash); });
  co_return r;
}

asio::awaitable<Printer> PrintService::update_printer(std::string id, bj::object body) {
  co_return co_await db_.transaction([&](store::Connection& c) {
    auto p = ids::is_object_id(id) ? find_printer(c, id) : std::nullopt;
    if (!p) throw NotFoundError("Printer");
    p->name = json::string_or(body, "name", p->name);
    p->paper_width = static_cast<int>(json::int_or(body, "paperWidth", p->paper_width));
    if (body.contains("jobs")) p->kinds = kinds_of(body);
    p->active = json::bool_or(body, "isActive", p->active);
    p->updated_at = clock::now_ms();
    printing::update_printer(c, *p);  // (the repository's, not this member)
    return *p;
  });
}

asio::awaitable<std::vector<Printer>> PrintService::printers() {
  co_return co_await db_.read([](store::Connection& c) { return list_printers(c); });
}

asio::awaitable<JobPage> PrintService::jobs(JobFilter filter, std::int64_t page, std::int64_t limit) {
  co_return co_await db_.read([&](store::Connection& c) {
    return JobPage{list_jobs(c, filter, (page - 1) * limit, limit), count_jobs(c, filter)};
  });
}

asio::awaitable<PrintJob> PrintService::reprint(std::string actor_id, std::string job_id) {
  auto j = co_await db_.transaction([&](store::Connection& c) {
    auto original = ids::is_object_id(job_id) ? find_job(c, job_id) : std::nullopt;
    if (!original) throw NotFoundError("Print job");
    auto o = orders::find_order(c, original->order_id);
    auto copy = new_job(*o, original->kind, clock::now_ms());
    copy.reprint_of = original->id;
    copy.requested_by = actor_id;
    insert_job(c, copy);
    return *find_job(c, copy.id);
  });
  wake();
  co_return j;
}

Printer PrintService::seen(store::Connection& c, const std::string& token) {
  auto p = token.starts_with("prt_") ? printer_by_token_hash(c, crypto::sha256_hex(token)) : std::nullopt;
  if (!p) throw AuthenticationError("Unknown printer token");
  if (!p->active) throw AuthorizationError("This printer is switched off; an admin can switch it on");
  const auto now = clock::now_ms();
  bool touch = false;
  {
    std::lock_guard lock(touched_mutex_);
    auto& last = touched_[p->id];
    if (now - last >= kTouchEvery) last = now, touch = true;
  }
  if (touch) touch_printer(c, p->id, now);
  return *p;
}

asio::awaitable<Printer> PrintService::authenticate(std::string token) {
  co_return co_await db_.transaction([&](store::Connection& c) { return seen(c, token); });
}

asio::awaitable<bj::value> PrintService::claim(std::string token) {
  const auto rules = settings_.current();
  co_return co_await db_.transaction([&](store::Connection& c) -> bj::value {
    const auto p = seen(c, token);
    const auto now = clock::now_ms();
    auto j = claim_next(c, p, now, now + lease_);
    if (!j) return nullptr;
    auto o = orders::find_order(c, j->order_id);
    return agent_job(*j, p, *o, *rules);
  });
}

asio::awaitable<void> PrintService::printing(std::string token, std::string job_id) {
  co_await db_.transaction([&](store::Connection& c) {
    const auto p = seen(c, token);
    const auto now = clock::now_ms();
    if (!ids::is_object_id(job_id) || !find_job(c, job_id)) throw NotFoundError("Print job");
    if (!mark_printing(c, job_id, p.id, now, now + lease_))
      throw ConflictError("This job's lease has ended or it is another printer's; claim again", "LEASE_LOST");
  });
}

asio::awaitable<void> PrintService::printed(std::string token, std::string job_id) {
  co_await db_.transaction([&](store::Connection& c) {
    const auto p = seen(c, token);
    auto j = ids::is_object_id(job_id) ? find_job(c, job_id) : std::nullopt;
    if (!j) throw NotFoundError("Print job");
    if (j->state == "printed" && j->printer_id == p.id) return;  // a repeated acknowledgement
    if (!mark_printed(c, job_id, p.id, clock::now_ms()))
      throw ConflictError("Another printer holds this job now; it prints a REPRINT copy", "LEASE_LOST");
  });
}

void PrintService::order_confirmed(store::Connection& c, const orders::Order& o) const {
  const auto now = clock::now_ms();
  // Only for printers that exist: a printer registered next month must not print today's queue.
  if (any_printer_for(c, "kitchen")) insert_job(c, new_job(o, "kitchen", now));
  if (o.order_type == "delivery" && any_printer_for(c, "bill")) insert_job(c, new_job(o, "bill", now));
}

void PrintService::wake() { emitter_.emit("printers", "print:job", bj::object{}); }

}  // namespace tiptop::printing
