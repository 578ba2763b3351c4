// Guest checkout (issue 21): a customer without an account proves a phone with a code
// (auth/otp.cpp answers a 30-minute guest token) and orders with a name, delivery or takeaway,
// cash or UPI on delivery or online (the same checkout as an account's, owned by the guest). The cart is priced by the
// same bill as every order. The answer carries an unguessable tracking link: with it anyone holding the link reads that
// one order, and nothing else. Orders per minute are limited per guest (their phone); the per-address API limit
// applies.
#include "core/crypto.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "modules/orders/guest_repository.hpp"
#include "modules/orders/idempotency.hpp"
#include "modules/orders/repository.hpp"
#include "modules/orders/service.hpp"

namespace tiptop::orders {
namespace asio = boost::asio;
namespace bj = boost::json;

asio::awaitable<Placed> OrderService::place_as_guest(std::string guest_id, bj::object body, std::string key) {
  // A promo's per-customer limit needs a customer: codes are for accounts.
  if (body.contains("promoCode"))
    throw ValidationError("Validation failed", {{"promoCode", "needs an account: sign up to use promo codes"}});
  const bool online = json::string_or(body, "paymentMethod") == "ONLINE";
  if (online && !payments_.enabled())
    throw RefusedError("PAYMENT_METHOD_UNAVAILABLE", "Online payment is not available; please choose cash on delivery");
  const std::string request_hash = key.empty() ? std::string() : crypto::sha256_hex(json::serialize(body));
  // As an account's placement (place_once): replays are found by the writer, or here if refused.
  auto replay = co_await within_flood_limit("guest:" + guest_id, guest_id, key, request_hash);
  if (replay) co_return std::move(*replay);
  co_await ensure_numbering(local_year(clock::now_ms()));

  const std::function<Written(store::Connection&)> write = [&](store::Connection& c) {
    const auto phone = guest_phone(c, guest_id);
    if (phone.empty()) throw AuthenticationError("This guest checkout has ended; verify your phone again");
    // The same flood control as an account's: orders under way at once.
    if (limits_.open > 0 && count_open_for_guest(c, guest_id) >= limits_.open)
      throw RateLimitError(60,
                           "You have " + std::to_string(limits_.open) +
                               " orders on their way; a new one can be placed when one of them is delivered",
                           "TOO_MANY_OPEN_ORDERS");
    const auto name = json::string_or(body, "name");
    const auto now = clock::now_ms();
    Order o;
    o.id = ids::new_object_id();
    o.order_number = next_order_number(c, local_year(now));
    auto b = bill(nullptr, body, c, Purpose::place, o.id);
    upsert_guest(c, phone, name);  // the name as they gave it this time
    o.guest_id = guest_id;
    o.customer = {{"name", name}, {"phone", phone}};
    o.order_type = b.order_type;
    o.items = std::move(b.lines);
    o.pricing = b.pricing;
    o.promo_code = std::move(b.promo_code);
    o.delivery_address = std::move(b.address);
    o.delivery_partner = nullptr;
    o.payment_method = json::string_or(body, "paymentMethod", "COD");
    if (o.payment_method == "COD") o.cash_expected = o.pricing.final_amount;  // as an account's, build()
    prepare_door_payment(o);
    o.tracking_token = crypto::random_hex(24);  // 192 bits: the link is the only key to the order
    o.estimated_delivery_at = b.ready_at;
    o.created_at = o.updated_at = now;
    o.history.push_back({OrderStatus::pending, now, "guest", ""});
    insert_order(c, o);
    append_history(c, o.id, 1, o.history.front());
    payments_.open(c, o);  // an online order: unpaid until the gateway's proof arrives
    auto shown = to_json(o);
    shown["tracking"] =
        bj::object{{"token", o.tracking_token}, {"url", "/api/v1/orders/guest/track/" + o.tracking_token}};
    std::string data = json::serialize(shown);
    return Written{std::move(o), std::move(data), {}};
  };
  bj::object news{{"orderType", json::string_or(body, "orderType", "delivery")}, {"guest", true}};  // named: GCC 12
  auto placed = co_await write_new_order(guest_id, key, request_hash, write, std::move(news));
  // The order is committed; the gateway is asked after, as for an account (service.cpp, place).
  if (online && placed.status == 201) placed.payment = co_await payments_.checkout_or_retry(guest_id, placed.order_id);
  co_return placed;
}

asio::awaitable<Order> OrderService::track_guest(std::string token) {
  // Only the shape of a token we issue is looked up; anything else is simply not found.
  std::optional<Order> found;
  if (is_tracking_token(token))
    found = co_await db_.read([&](store::Connection& c) { return find_by_tracking_token(c, token); });
  if (!found) throw NotFoundError("Order");
  co_return std::move(*found);
}

}  // namespace tiptop::orders
