#include "modules/orders/service.hpp"

#include <set>

#include "core/crypto.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "modules/menu/repository.hpp"
#include "modules/notifications/triggers.hpp"
#include "modules/orders/events.hpp"
#include "modules/orders/idempotency.hpp"
#include "modules/orders/promos.hpp"
#include "modules/orders/repository.hpp"
#include "modules/users/repository.hpp"

namespace tiptop::orders {
namespace asio = boost::asio;
namespace bj = boost::json;
namespace {

constexpr clock::Millis kIdempotencyWindow = 24LL * 3600 * 1000;
constexpr clock::Millis kAbandonedClaim = 60 * 1000;  // a claim this old belongs to a request that died

// Admins and staff see every order; a customer their own; a partner those assigned to them.
bool may_see(const Order& o, const std::string& user_id, const std::string& role) {
  return role == "admin" || role == "staff" || (role == "customer" && o.customer_id == user_id) ||
         (role == "delivery" && o.delivery_partner_id == user_id);
}

std::string order_id_in(const std::string& stored_order) {
  const auto v = bj::parse(stored_order);
  return v.is_object() ? json::string_or(v.get_object(), "_id") : std::string();
}

}  // namespace

OrderService::OrderService(store::Database& db, store::GroupCommitter& writer, const menu::Catalog& catalog,
                           menu::MenuService& menu, const settings::SettingsService& settings,
                           realtime::Emitter& emitter, notifications::Notifier& notifier,
                           payments::PaymentService& payments, Lifecycle& lifecycle, RateLimiter& limiter,
                           OrderLimits limits)
    : db_(db),
      writer_(writer),
      catalog_(catalog),
      menu_(menu),
      settings_(settings),
      emitter_(emitter),
      notifier_(notifier),
      payments_(payments),
      lifecycle_(lifecycle),
      limiter_(limiter),
      limits_(limits) {}

asio::awaitable<void> OrderService::ensure_numbering(int year) {
  if (db_.engine() != store::Engine::postgres || numbered_year_.load() >= year) co_return;  // SQLite counts in a row
  // Next year's too: a placement that starts before midnight on 31 December may draw after it.
  for (int y = year; y <= year + 1; ++y) {
    bool raced = false;
    try {
      co_await db_.transaction([&](store::Connection& c) { ensure_order_number_sequence(c, y); });
    } catch (const std::exception&) {
      raced = true;  // two nodes creating it at once: one fails, and then it exists
    }
    if (raced) co_await db_.transaction([&](store::Connection& c) { ensure_order_number_sequence(c, y); });
  }
  numbered_year_ = year;
}

asio::awaitable<Placed> OrderService::place(std::string customer_id, bj::object body, std::string key) {
  const bool online = json::string_or(body, "paymentMethod") == "ONLINE";
  if (online && !payments_.enabled())
    throw RefusedError("PAYMENT_METHOD_UNAVAILABLE", "Online payment is not available; please choose cash on delivery");
  co_await ensure_numbering(local_year(clock::now_ms()));  // before any claim: a failure here leaves nothing behind
  auto placed = co_await place_once(customer_id, body, key);
  // The order is committed; the gateway is asked after (a replay asks again and gets the same one).
  if (online && placed.status == 201)
    placed.payment = co_await payments_.checkout_or_retry(customer_id, placed.order_id);
  co_return placed;
}

// The year of the restaurant's calendar an order placed at `now` is numbered in.
int local_year(clock::Millis now) {
  const auto local_day =
      std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds{std::chrono::seconds{clock::local_seconds(now)}});
  return static_cast<int>(std::chrono::year_month_day{local_day}.year());
}

// An Idempotency-Key's stored answer, decided under the row's lock: the order it made (a replay),
// a refusal (the key came with another body, or an older server's claim is still running), or
// nothing (no record, or one too old to count, which is removed so the key can be used again).
std::optional<Placed> replay_of(store::Connection& c, const std::string& customer_id, const std::string& key,
                                const std::string& request_hash) {
  const auto existing = find_idempotency(c, customer_id, key);
  if (!existing) return std::nullopt;
  const auto now = clock::now_ms();
  // "in_flight" rows are claims of servers before this one, which claimed a key in a transaction
  // of its own before placing: one older than a minute belongs to a request that died.
  const bool stale = now - existing->created_at > kIdempotencyWindow ||
                     (existing->state == "in_flight" && now - existing->created_at > kAbandonedClaim);
  if (stale) {
    delete_idempotency(c, customer_id, key);
    return std::nullopt;
  }
  if (existing->request_hash != request_hash)
    throw UnprocessableError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was used with a different request");
  if (existing->state == "in_flight")
    throw ConflictError("A request with this Idempotency-Key is still being processed", "IDEMPOTENCY_IN_PROGRESS");
  // The stored answer is the order itself; its id is read back for the checkout of a replay.
  return Placed{existing->status_code, order_id_in(existing->response), existing->response, true};
}

asio::awaitable<Placed> OrderService::place_once(const std::string& customer_id, const bj::object& body,
                                                 const std::string& key) {
  // The key's record is written in the same transaction as the order, never before it: a crash or
  // a failed commit leaves either both or neither, so a retry after a restart is answered at once
  // (the order, or a fresh placement) instead of waiting out a claim nobody will finish.
  const std::string request_hash = key.empty() ? std::string() : crypto::sha256_hex(json::serialize(body));
  // Replays are found by the writer, under the key row's lock. Only a placement the flood limit
  // refuses looks for one first, so a retry is never refused (issue 24: looking first for every
  // order cost each a round trip to a database thread; a retry now counts towards the minute).
  auto replay = co_await within_flood_limit(customer_id, customer_id, key, request_hash);
  if (replay) co_return std::move(*replay);

  const std::function<Written(store::Connection&)> write = [&](store::Connection& c) {
    const auto now = clock::now_ms();
    // The number first. SQLite: the counter row, rolled back with the job if a step below fails.
    // PostgreSQL: the year's sequence, no lock held (a failure leaves gaps: GroupCommitter). Jobs
    // of batches on other writers that lock promo rows in another order may deadlock; the loser
    // runs again (GroupCommitter).
    const auto number = next_order_number(c, local_year(now));
    Written w{build(customer_id, body, c), {}, {}};
    w.order.order_number = number;
    prepare_door_payment(w.order);
    insert_order(c, w.order);
    append_history(c, w.order.id, 1, w.order.history.front());
    payments_.open(c, w.order);  // an online order: unpaid until the gateway's proof arrives
    w.data = json::serialize(to_json(w.order));
    w.told = notifier_.store(c, notifications::order_status_drafts(w.order));
    return w;
  };
  bj::object announce;  // the base fields only (named: GCC 12 and coroutine temporaries)
  co_return co_await write_new_order(customer_id, key, request_hash, write, std::move(announce));
}

asio::awaitable<Placed> OrderService::write_new_order(const std::string& owner_id, const std::string& key,
                                                      const std::string& request_hash,
                                                      const std::function<Written(store::Connection&)>& write,
                                                      bj::object announce_extra) {
  std::optional<Written> written;
  std::optional<Placed> replay;
  std::exception_ptr raced;
  try {
    co_await writer_.run([&](store::Connection& c) {
      // Again under the row's lock: the same key may have been placed since the caller looked.
      if (!key.empty() && (replay = replay_of(c, owner_id, key, request_hash))) return;
      written = write(c);
      // A concurrent request with the same key, in another batch on PostgreSQL, waits here for
      // this row and then fails with UniqueViolation: its job rolls back and it replays below.
      if (!key.empty()) record_idempotency(c, owner_id, key, request_hash, 201, written->data);
    });
  } catch (const store::UniqueViolation&) {
    if (key.empty()) throw;
    raced = std::current_exception();  // (no co_await in a handler)
  }
  if (raced) {
    replay = co_await db_.read([&](store::Connection& c) { return replay_of(c, owner_id, key, request_hash); });
    if (!replay) std::rethrow_exception(raced);
  }
  if (replay) co_return std::move(*replay);
  const auto& o = written->order;
  bj::object news{{"orderId", o.id},
                  {"orderNumber", o.order_number},
                  {"finalAmount", money::to_json(o.pricing.final_amount)},
                  {"paymentMethod", o.payment_method}};
  for (auto& [k, v] : announce_extra) news[k] = std::move(v);
  emitter_.emit("admin", "admin:new-order", news);
  notifier_.publish(written->told);
  co_return Placed{201, o.id, std::move(written->data), false};
}

asio::awaitable<std::optional<Placed>> OrderService::within_flood_limit(const std::string& limit_key,
                                                                        const std::string& owner_id,
                                                                        const std::string& key,
                                                                        const std::string& request_hash) {
  if (limits_.per_minute <= 0) co_return std::nullopt;
  auto hit = co_await limiter_.hit("orders:" + limit_key, limits_.per_minute, std::chrono::minutes(1));
  if (hit.allowed) co_return std::nullopt;
  std::optional<Placed> replay;
  if (!key.empty())
    replay = co_await db_.read([&](store::Connection& c) { return replay_of(c, owner_id, key, request_hash); });
  if (!replay)
    throw RateLimitError(hit.reset_seconds, "Too many orders in a minute; please wait a moment", "TOO_MANY_ORDERS");
  co_return replay;
}

asio::awaitable<Page> OrderService::list_mine(std::string customer_id, std::string status, std::int64_t page,
                                              std::int64_t limit) {
  co_return co_await db_.read([&](store::Connection& c) {
    return Page{list_for_customer(c, customer_id, status, (page - 1) * limit, limit),
                count_for_customer(c, customer_id, status)};
  });
}

asio::awaitable<Order> OrderService::get(std::string user_id, std::string role, std::string order_id) {
  // (No co_await inside ?: — GCC 12 mis-handles the temporaries of that form.)
  if (!ids::is_object_id(order_id)) throw NotFoundError("Order");
  auto o = co_await db_.read([&](store::Connection& c) { return find_order(c, order_id); });
  if (!o || !may_see(*o, user_id, role)) throw NotFoundError("Order");
  co_return std::move(*o);
}

asio::awaitable<Order> OrderService::track(std::string user_id, std::string role, std::string number) {
  auto o = co_await db_.read([&](store::Connection& c) { return find_by_number(c, number); });
  if (!o || !may_see(*o, user_id, role)) throw NotFoundError("Order");
  co_return std::move(*o);
}

asio::awaitable<Order> OrderService::cancel_by_customer(std::string customer_id, std::string order_id,
                                                        std::string reason) {
  auto moved = co_await db_.transaction([&](store::Connection& c) {
    auto found = ids::is_object_id(order_id) ? find_order(c, order_id, true) : std::nullopt;
    if (!found || found->customer_id != customer_id) throw NotFoundError("Order");
    return lifecycle_.move(c, std::move(*found), {OrderStatus::cancelled, Mover::customer, reason});
  });
  co_await lifecycle_.finish(moved);
  co_return std::move(moved.order);
}

asio::awaitable<Order> OrderService::rate(std::string customer_id, std::string order_id, int food, int delivery,
                                          int overall, std::string review) {
  auto o = co_await db_.transaction([&](store::Connection& c) {
    auto found = ids::is_object_id(order_id) ? find_order(c, order_id, true) : std::nullopt;
    if (!found || found->customer_id != customer_id) throw NotFoundError("Order");
    if (found->status != OrderStatus::delivered)
      throw ConflictError("Only a delivered order can be rated", "ORDER_NOT_DELIVERED");
    if (!found->rating.is_null()) throw ConflictError("This order has already been rated", "ALREADY_RATED");
    found->rating = bj::object{{"food", food},
                               {"delivery", delivery},
                               {"overall", overall},
                               {"review", review.empty() ? bj::value(nullptr) : bj::value(review)},
                               {"createdAt", clock::to_iso8601(clock::now_ms())}};
    save_rating(c, *found, clock::now_ms());
    // Each dish once, in id order: two ratings touching the same dishes lock them in one order.
    std::set<std::string> rated;
    for (const auto& line : found->items)
      if (const auto& id = line.as_object().at("menuItem"); id.is_string()) rated.emplace(id.get_string());
    for (const auto& item : rated) menu::add_rating(c, item, food);
    return *found;
  });
  co_await menu_.refresh();
  co_return o;
}

asio::awaitable<Order> OrderService::change_status(std::string actor_id, std::string role, std::string order_id,
                                                   OrderStatus status, std::string notes,
                                                   std::optional<money::Paise> refund_amount) {
  const auto by = mover_for_role(role);
  if (refund_amount && by != Mover::admin) throw AuthorizationError("Only an admin decides a refund");
  auto moved = co_await db_.transaction([&](store::Connection& c) {
    auto found = ids::is_object_id(order_id) ? find_order(c, order_id, true) : std::nullopt;
    if (!found) throw NotFoundError("Order");
    Lifecycle::check(*found, status, by);
    // A partner's pick-up and hand-over carry the cash and the shift; only they record them.
    if (!found->delivery_partner_id.empty() &&
        (status == OrderStatus::out_for_delivery || status == OrderStatus::delivered))
      throw ConflictError(
          "The delivery partner records pick-up and delivery for this order "
          "(or an admin for them: PUT /api/v1/admin/orders/:id/delivery)",
          "DELIVERY_PARTNER_ACTION");
    Change change{status, by, notes, refund_amount};
    change.actor_id = actor_id;
    return lifecycle_.move(c, std::move(*found), std::move(change));
  });
  co_await lifecycle_.finish(moved);
  co_return std::move(moved.order);
}

}  // namespace tiptop::orders
