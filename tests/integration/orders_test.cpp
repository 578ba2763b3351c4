// Orders on both engines: server-side pricing, every rejection, idempotency, ownership, lifecycle.
#include <gtest/gtest.h>

#include <future>
#include <regex>
#include <set>

#include "support/order_fixture.hpp"

using namespace tiptop;
using namespace tiptop::testing;
namespace bj = boost::json;

namespace {

class Orders : public OrderFixture {};

// Flood control per customer (issue 20): 3 placements a minute, 2 orders under way at once.
class OrderFlood : public Orders {
  Environment env() override { return {{"ORDER_PLACEMENTS_PER_MINUTE", "3"}, {"MAX_OPEN_ORDERS_PER_CUSTOMER", "2"}}; }
};

}  // namespace

TEST_P(OrderFlood, PlacementsPerMinuteAndOpenOrdersAreLimitedPerCustomer) {
  auto first = call("POST", "/api/v1/orders", asha_, order_body(), "flood-1");
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(call("POST", "/api/v1/orders", asha_, order_body()).status, 201);
  // Two under way: the third is refused, with a time to come back, and nothing is written.
  auto open = call("POST", "/api/v1/orders", asha_, order_body());
  EXPECT_EQ(open.status, 429);
  EXPECT_EQ(error_code(open), "TOO_MANY_OPEN_ORDERS");
  EXPECT_GT(std::stol(open.header("retry-after")), 0);
  EXPECT_EQ(my_order_count(asha_), 2);
  // A retry of the first with its Idempotency-Key is still answered (never a refusal, never a copy).
  auto replay = call("POST", "/api/v1/orders", asha_, order_body(), "flood-1");
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.json().at("data").at("_id"), first.json().at("data").at("_id"));
  // Another customer is not held back by Asha's orders.
  EXPECT_EQ(call("POST", "/api/v1/orders", ravi_, order_body()).status, 201);
  // One delivered frees a place, but the minute's budget (3 placements; the refused one and the retry count too) is
  // spent.
  const auto id = str(first.json().at("data").at("_id"));
  for (auto s : {"confirmed", "preparing", "ready", "out-for-delivery", "delivered"})
    call("PUT", "/api/v1/admin/orders/" + id, admin_, std::string(R"({"status":")") + s + "\"}");
  auto fourth = call("POST", "/api/v1/orders", asha_, order_body());
  EXPECT_EQ(fourth.status, 429);
  EXPECT_EQ(error_code(fourth), "TOO_MANY_ORDERS");
  EXPECT_GT(std::stol(fourth.header("retry-after")), 0);
  EXPECT_EQ(my_order_count(asha_), 2);
}

INSTANTIATE_TEST_SUITE_P(Engines, OrderFlood, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });

TEST_P(Orders, PricesComeFromTheMenuAndCodExpectsTheTotal) {
  auto r = call("POST", "/api/v1/orders", asha_, order_body());
  ASSERT_EQ(r.status, 201) << r.body;
  auto o = r.json().at("data");
  EXPECT_TRUE(std::regex_match(str(o.at("orderNumber")), std::regex("ORD_20[0-9]{2}_[0-9]{5,}")));
  EXPECT_EQ(o.at("items").at(0).at("subtotal"), 750);  // (320 + 30 + 25) x 2; the client's "price": 1 is ignored
  EXPECT_EQ(o.at("items").at(1).at("subtotal"), 195);  // (50 + 15) x 3
  auto p = o.at("pricing");
  EXPECT_EQ(p.at("itemsTotal"), 945);
  EXPECT_EQ(p.at("tax"), 47.25);
  EXPECT_EQ(p.at("deliveryFee"), 0);  // free from ₹499
  EXPECT_EQ(p.at("finalAmount"), 992.25);
  EXPECT_EQ(o.at("cashCollection").at("expected"), 992.25);
  EXPECT_EQ(o.at("status"), "pending");
  EXPECT_EQ(o.at("statusHistory").as_array().size(), 1u);
  EXPECT_EQ(o.at("customer").at("name"), "Asha");
  EXPECT_EQ(o.at("deliveryAddress").at("instructions"), "Ring twice");
  EXPECT_TRUE(o.at("estimatedDeliveryTime").is_string());
  // The kitchen hears of it (the customer's own notification:new follows).
  const auto events = app_->events().events();
  const auto kitchen =
      std::find_if(events.begin(), events.end(), [](const auto& e) { return e.event == "admin:new-order"; });
  ASSERT_NE(kitchen, events.end());
  EXPECT_EQ(kitchen->room, "admin");
  EXPECT_EQ(kitchen->data.at("orderId"), o.at("_id"));
}

TEST_P(Orders, EveryRejectionExplainsItselfAndCreatesNothing) {
  auto with_items = [&](const std::string& items) {
    return call("POST", "/api/v1/orders", asha_,
                R"({"items":[)" + items +
                    R"(],"deliveryAddress":{"street":"1 MG Road","city":"Bengaluru"},"paymentMethod":"COD"})");
  };
  const std::string spicy = R"("customizations":[{"name":"Spice Level","options":["Hot"]}])";
  EXPECT_EQ(first_field(with_items(R"({"menuItem":"0123456789abcdef01234567","quantity":1})")), "items[0].menuItem");
  EXPECT_EQ(first_field(with_items(R"({"menuItem":")" + biryani_ + R"(","quantity":51,)" + spicy + "}")),
            "items[0].quantity");
  auto missing = with_items(R"({"menuItem":")" + biryani_ + R"(","quantity":1})");
  EXPECT_EQ(first_field(missing), "items[0].customizations");
  auto bad_option = with_items(R"({"menuItem":")" + biryani_ +
                               R"(","quantity":1,"customizations":[{"name":"Spice Level","options":["Nuclear"]}]})");
  EXPECT_EQ(first_field(bad_option), "items[0].customizations[0].options");
  auto two = with_items(R"({"menuItem":")" + biryani_ +
                        R"(","quantity":1,"customizations":[{"name":"Spice Level","options":["Hot","Mild"]}]})");
  EXPECT_EQ(first_field(two), "items[0].customizations[0].options");
  EXPECT_EQ(first_field(with_items("")), "items");
  EXPECT_EQ(
      error_code(call(
          "POST", "/api/v1/orders", asha_,
          R"({"items":[{"menuItem":")" + naan_ +
              R"(","quantity":1,"customizations":[{"name":"Topping","options":["Plain"]}]}],"deliveryAddress":{"city":"X"},"paymentMethod":"COD"})")),
      "VALIDATION_ERROR");
  EXPECT_EQ(error_code(call("POST", "/api/v1/orders", asha_,
                            order_body().replace(order_body().find("\"COD\""), 5, "\"CASH\""))),
            "VALIDATION_ERROR");
  // No RAZORPAY_KEY_ID here: online payment is not offered, and says so.
  auto online =
      call("POST", "/api/v1/orders", asha_, order_body().replace(order_body().find("\"COD\""), 5, "\"ONLINE\""));
  EXPECT_EQ(online.status, 400);
  EXPECT_EQ(error_code(online), "PAYMENT_METHOD_UNAVAILABLE");
  auto promo = order_body();
  promo.insert(promo.size() - 1, R"(,"promoCode":"FREEFOOD")");
  EXPECT_EQ(error_code(call("POST", "/api/v1/orders", asha_, promo)), "INVALID_PROMO_CODE");

  ASSERT_EQ(
      call("PATCH", "/api/v1/admin/menu/items/" + naan_ + "/availability", admin_, R"({"isAvailable":false})").status,
      200);
  auto sold_out = call("POST", "/api/v1/orders", asha_, order_body());
  EXPECT_EQ(sold_out.status, 409);
  EXPECT_EQ(error_code(sold_out), "ITEMS_UNAVAILABLE");
  EXPECT_EQ(first_field(sold_out), "items[1].menuItem");
  call("PATCH", "/api/v1/admin/menu/items/" + naan_ + "/availability", admin_, R"({"isAvailable":true})");

  call("PUT", "/api/v1/admin/settings", admin_, R"({"minimumOrderAmount":1000})");
  EXPECT_EQ(error_code(call("POST", "/api/v1/orders", asha_, order_body())), "BELOW_MINIMUM_ORDER");
  call("PUT", "/api/v1/admin/settings", admin_,
       R"({"minimumOrderAmount":0,"location":{"coordinates":[78.4867,17.385]},"delivery":{"maxRadiusKm":8}})");
  EXPECT_EQ(error_code(call("POST", "/api/v1/orders", asha_, order_body())),
            "OUTSIDE_DELIVERY_AREA");  // Bengaluru is far from Hyderabad
  call("PUT", "/api/v1/admin/settings", admin_, R"({"isOpen":false,"closedReason":"Closed for Diwali"})");
  auto closed = call("POST", "/api/v1/orders", asha_, order_body());
  EXPECT_EQ(error_code(closed), "RESTAURANT_CLOSED");
  EXPECT_EQ(closed.json().at("error").at("message"), "Closed for Diwali");

  EXPECT_EQ(call("POST", "/api/v1/orders", admin_, order_body()).status, 403);
  EXPECT_EQ(my_order_count(asha_), 0);
}

TEST_P(Orders, DistanceFeeAndSavedAddress) {
  call("PUT", "/api/v1/admin/settings", admin_,
       R"({"location":{"coordinates":[77.59,12.97]},"delivery":{"freeAbove":null,"baseFee":30,"perKmFee":10}})");
  auto saved = call("POST", "/api/v1/users/me/addresses", asha_,
                    R"({"street":"2 Brigade Rd","city":"Bengaluru","coordinates":[77.6,12.97]})");
  const auto address_id = str(saved.json().at("data").at("addresses").at(0).at("_id"));
  auto r = call(
      "POST", "/api/v1/orders", asha_,
      R"({"items":[{"menuItem":")" + naan_ +
          R"(","quantity":1,"customizations":[{"name":"Topping","options":["Plain"]}]}],"deliveryAddress":{"addressId":")" +
          address_id + R"("},"paymentMethod":"COD"})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto o = r.json().at("data");
  EXPECT_EQ(o.at("deliveryAddress").at("street"), "2 Brigade Rd");
  EXPECT_EQ(o.at("pricing").at("deliveryFee"), 41);  // ₹30 + 1.1 km started x ₹10 (1.085 km apart)
  auto stolen = call(
      "POST", "/api/v1/orders", ravi_,
      R"({"items":[{"menuItem":")" + naan_ +
          R"(","quantity":1,"customizations":[{"name":"Topping","options":["Plain"]}]}],"deliveryAddress":{"addressId":")" +
          address_id + R"("},"paymentMethod":"COD"})");
  EXPECT_EQ(first_field(stolen), "deliveryAddress.addressId");
}

TEST_P(Orders, IdempotencyKeyReplaysAndGuards) {
  auto first = call("POST", "/api/v1/orders", asha_, order_body(), "order-key-1");
  ASSERT_EQ(first.status, 201);
  auto again = call("POST", "/api/v1/orders", asha_, order_body(), "order-key-1");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.json().at("data").at("_id"), first.json().at("data").at("_id"));
  EXPECT_EQ(again.json().at("meta").at("idempotentReplay"), true);
  EXPECT_EQ(my_order_count(asha_), 1);
  auto changed = order_body();
  changed.replace(changed.find("\"quantity\":2"), 12, "\"quantity\":3");
  EXPECT_EQ(call("POST", "/api/v1/orders", asha_, changed, "order-key-1").status, 422);
  EXPECT_EQ(call("POST", "/api/v1/orders", ravi_, order_body(), "order-key-1").status, 201);  // keys are per customer
  EXPECT_EQ(call("POST", "/api/v1/orders", asha_, order_body(), std::string(256, 'k')).status, 400);

  std::vector<std::future<HttpResult>> burst;
  for (int i = 0; i < 10; ++i)
    burst.push_back(std::async(std::launch::async,
                               [&] { return call("POST", "/api/v1/orders", asha_, order_body(), "burst-key"); }));
  // The key's answer commits with the order, so no try waits on another's claim: every one is
  // answered with the same order (on PostgreSQL the losers of the race replay it after a unique
  // violation), never 409.
  std::set<std::string> ids;
  for (auto& f : burst) {
    auto r = f.get();
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status == 201) ids.insert(str(r.json().at("data").at("_id")));
  }
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(my_order_count(asha_), 2);
}

TEST_P(Orders, ConcurrentPlacementGetsUniqueNumbers) {
  std::vector<std::future<std::string>> runs;
  for (int i = 0; i < 8; ++i)
    runs.push_back(std::async(std::launch::async, [&] {
      auto r = call("POST", "/api/v1/orders", asha_, order_body());
      return r.status == 201 ? str(r.json().at("data").at("orderNumber")) : std::string("failed ") + r.body;
    }));
  std::set<std::string> numbers;
  for (auto& f : runs) numbers.insert(f.get());
  EXPECT_EQ(numbers.size(), 8u);
  for (auto& n : numbers) EXPECT_EQ(n.rfind("ORD_", 0), 0u) << n;
}

TEST_P(Orders, NumberingContinuesAfterTheNumbersAlreadyGiven) {
  // The year's counter already gave out 41 numbers (on PostgreSQL: before numbering moved to a
  // sequence per year). The next order is the 42nd on both engines, and the one after the 43rd.
  auto db = store::open_database(app_->database_url(), 1, "FULL");
  const int utc_year = static_cast<int>(
      std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())}.year());
  auto seed = [&](store::Connection& c) {
    for (int y = utc_year - 1; y <= utc_year + 1; ++y)  // the restaurant's year is one of these
      c.execute("INSERT INTO order_counters (year, value) VALUES (?, 41)", {std::int64_t{y}});
  };
  db->transaction_sync(seed);
  auto first = call("POST", "/api/v1/orders", asha_, order_body());
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_TRUE(std::regex_match(str(first.json().at("data").at("orderNumber")), std::regex("ORD_20[0-9]{2}_00042")))
      << first.body;
  auto second = call("POST", "/api/v1/orders", ravi_, order_body());
  EXPECT_TRUE(std::regex_match(str(second.json().at("data").at("orderNumber")), std::regex("ORD_20[0-9]{2}_00043")))
      << second.body;
}

TEST_P(Orders, CustomersSeeOnlyTheirOwnOrders) {
  auto mine = call("POST", "/api/v1/orders", asha_, order_body()).json().at("data");
  const auto id = str(mine.at("_id")), number = str(mine.at("orderNumber"));
  EXPECT_EQ(call("GET", "/api/v1/orders/" + id, asha_).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/orders/" + id, ravi_).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/orders/track/" + number, ravi_).status, 404);
  EXPECT_EQ(call("PUT", "/api/v1/orders/" + id + "/cancel", ravi_, R"({"reason":"mine now"})").status, 404);
  EXPECT_EQ(my_order_count(ravi_), 0);
  EXPECT_EQ(call("GET", "/api/v1/orders/" + id, admin_).status, 200);
  auto track = call("GET", "/api/v1/orders/track/" + number, asha_).json().at("data");
  EXPECT_EQ(track.at("status"), "pending");
  EXPECT_FALSE(track.as_object().contains("customer"));
  EXPECT_EQ(call("GET", "/api/v1/orders/not-an-id", asha_).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/orders?status=delivered", asha_).json().at("data").as_array().size(), 0u);
  EXPECT_EQ(call("GET", "/api/v1/orders?limit=101", asha_).status, 400);
}

TEST_P(Orders, LifecycleHistoryAndSideEffects) {
  auto o = call("POST", "/api/v1/orders", asha_, order_body()).json().at("data");
  const auto id = str(o.at("_id"));
  EXPECT_EQ(error_code(call("PUT", "/api/v1/admin/orders/" + id, admin_, R"({"status":"ready"})")),
            "INVALID_STATUS_TRANSITION");
  for (auto s : {"confirmed", "preparing", "ready", "out-for-delivery"})
    ASSERT_EQ(
        call("PUT", "/api/v1/admin/orders/" + id, admin_, std::string(R"({"status":")") + s + R"(","notes":"ok"})")
            .status,
        200)
        << s;
  EXPECT_EQ(error_code(call("PUT", "/api/v1/orders/" + id + "/cancel", asha_, R"({"reason":"too late"})")),
            "INVALID_STATUS_TRANSITION");
  EXPECT_EQ(error_code(call("PUT", "/api/v1/admin/orders/" + id, admin_, R"({"status":"cancelled"})")),
            "INVALID_STATUS_TRANSITION");
  auto done = call("PUT", "/api/v1/admin/orders/" + id, admin_, R"({"status":"delivered"})").json().at("data");
  EXPECT_EQ(done.at("status"), "delivered");
  EXPECT_EQ(done.at("statusHistory").as_array().size(), 6u);
  EXPECT_TRUE(done.at("actualDeliveryTime").is_string());
  EXPECT_EQ(error_code(call("PUT", "/api/v1/admin/orders/" + id, admin_, R"({"status":"confirmed"})")),
            "INVALID_STATUS_TRANSITION");
  EXPECT_EQ(call("PUT", "/api/v1/admin/orders/" + id, asha_, R"({"status":"delivered"})").status, 403);

  auto me = call("GET", "/api/v1/users/me", asha_).json().at("data");
  EXPECT_EQ(me.at("totalOrders"), 1);
  EXPECT_EQ(me.at("totalSpent"), 992.25);
  EXPECT_EQ(me.at("loyaltyPoints"), 9);  // one point per ₹100
  EXPECT_EQ(HttpClient(app_->port()).get("/api/v1/menu/items/" + biryani_).json().at("data").at("totalOrders"), 2);
  std::size_t updates = 0;
  for (auto& e : app_->events().events())
    updates += e.event == "order:status:updated" && e.room == "user:" + str(me.at("_id"));
  EXPECT_EQ(updates, 5u);
}

TEST_P(Orders, CustomerCancelsOnlyWhilePending) {
  auto o = call("POST", "/api/v1/orders", asha_, order_body()).json().at("data");
  const auto id = str(o.at("_id"));
  EXPECT_EQ(call("PUT", "/api/v1/orders/" + id + "/cancel", asha_, "{}").status, 400);  // reason required
  auto c = call("PUT", "/api/v1/orders/" + id + "/cancel", asha_, R"({"reason":"Ordered twice by mistake"})");
  ASSERT_EQ(c.status, 200) << c.body;
  auto cancelled = c.json().at("data");
  EXPECT_EQ(cancelled.at("status"), "cancelled");
  EXPECT_EQ(cancelled.at("cancellation").at("cancelledBy"), "customer");
  EXPECT_EQ(cancelled.at("cancellation").at("refundAmount"), 0);  // COD: nothing was paid
  EXPECT_EQ(error_code(call("PUT", "/api/v1/orders/" + id + "/cancel", asha_, R"({"reason":"again"})")),
            "INVALID_STATUS_TRANSITION");

  auto second = str(call("POST", "/api/v1/orders", asha_, order_body()).json().at("data").at("_id"));
  call("PUT", "/api/v1/admin/orders/" + second, admin_, R"({"status":"confirmed"})");
  EXPECT_EQ(call("PUT", "/api/v1/orders/" + second + "/cancel", asha_, R"({"reason":"changed my mind"})").status, 409);
  auto by_admin =
      call("PUT", "/api/v1/admin/orders/" + second, admin_, R"({"status":"cancelled","notes":"Customer called"})");
  EXPECT_EQ(by_admin.json().at("data").at("cancellation").at("cancelledBy"), "admin");
}

TEST_P(Orders, PromoCodesPercentCappedFlatLimitsAndRaces) {
  auto create = [&](const std::string& body) { return call("POST", "/api/v1/admin/promo-codes", admin_, body); };
  ASSERT_EQ(
      create(
          R"({"code":"biryani20","type":"percent","value":20,"maxDiscount":100,"minOrderAmount":300,"perCustomerLimit":1})")
          .status,
      201);
  EXPECT_EQ(create(R"({"code":"BIRYANI20","type":"flat","value":50})").status,
            409);  // codes are case-insensitive and unique
  EXPECT_EQ(create(R"({"code":"bad code","type":"flat","value":50})").status, 400);
  EXPECT_EQ(create(R"({"code":"TOOMUCH","type":"percent","value":150})").status, 400);
  EXPECT_EQ(create(R"({"code":"CUSTOMER","type":"flat","value":50})").status, 201);
  EXPECT_EQ(call("POST", "/api/v1/admin/promo-codes", asha_, R"({"code":"MINE","type":"flat","value":500})").status,
            403);

  auto with_code = [&](const std::string& token, const std::string& code) {
    auto body = order_body();
    body.insert(body.size() - 1, R"(,"promoCode":")" + code + "\"");
    return call("POST", "/api/v1/orders", token, body);
  };
  auto r = with_code(asha_, "Biryani20");
  ASSERT_EQ(r.status, 201) << r.body;
  auto p = r.json().at("data").at("pricing");
  EXPECT_EQ(p.at("discount"), 100);  // 20 % of ₹945 is ₹189, capped at ₹100
  EXPECT_EQ(p.at("promoCode"), "BIRYANI20");
  EXPECT_EQ(p.at("tax"), 42.25);  // 5 % of ₹845
  EXPECT_EQ(p.at("finalAmount"), 887.25);
  EXPECT_EQ(with_code(asha_, "BIRYANI20").json().at("error").at("message"), "You have already used this promo code");

  ASSERT_EQ(create(R"({"code":"LASTONE","type":"flat","value":25,"usageLimit":1})").status, 201);
  std::vector<std::future<int>> race;
  for (auto* who : {&asha_, &ravi_})
    race.push_back(std::async(std::launch::async, [&, who] { return with_code(*who, "LASTONE").status; }));
  int won = 0;
  for (auto& f : race) won += f.get() == 201;
  EXPECT_EQ(won, 1);
  auto list = call("GET", "/api/v1/admin/promo-codes", admin_).json().at("data").as_array();
  for (auto& c : list)
    if (c.at("code") == "LASTONE") {
      EXPECT_EQ(c.at("usedCount"), 1);
    }

  ASSERT_EQ(call("DELETE", "/api/v1/admin/promo-codes/customer", admin_).status, 200);
  EXPECT_EQ(with_code(ravi_, "CUSTOMER").json().at("error").at("code"), "INVALID_PROMO_CODE");
  call("PUT", "/api/v1/admin/promo-codes/CUSTOMER", admin_,
       R"({"isActive":true,"validUntil":"2020-01-01T00:00:00Z","validFrom":null})");
  EXPECT_EQ(with_code(ravi_, "CUSTOMER").json().at("error").at("message"), "This promo code has expired");
}

TEST_P(Orders, RatingOnceAfterDeliveryMovesDishRatings) {
  const auto id = str(call("POST", "/api/v1/orders", asha_, order_body()).json().at("data").at("_id"));
  const std::string rating = R"({"food":4,"delivery":5,"overall":4,"review":"Great biryani"})";
  EXPECT_EQ(error_code(call("POST", "/api/v1/orders/" + id + "/rating", asha_, rating)), "ORDER_NOT_DELIVERED");
  for (auto s : {"confirmed", "preparing", "ready", "out-for-delivery", "delivered"})
    call("PUT", "/api/v1/admin/orders/" + id, admin_, std::string(R"({"status":")") + s + "\"}");
  EXPECT_EQ(call("POST", "/api/v1/orders/" + id + "/rating", ravi_, rating).status, 404);
  EXPECT_EQ(call("POST", "/api/v1/orders/" + id + "/rating", asha_, R"({"food":6,"delivery":5,"overall":4})").status,
            400);
  auto r = call("POST", "/api/v1/orders/" + id + "/rating", asha_, rating);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().at("data").at("rating").at("food"), 4);
  EXPECT_EQ(error_code(call("POST", "/api/v1/orders/" + id + "/rating", asha_, rating)), "ALREADY_RATED");
  auto dish = HttpClient(app_->port()).get("/api/v1/menu/items/" + biryani_).json().at("data");
  EXPECT_EQ(dish.at("rating").to_number<double>(), 4.0);
  EXPECT_EQ(dish.at("reviewCount"), 1);
}

// Issue 20: a rating sent as 5.0 was stored as 0 (the integer reader fell back); 4.5 is refused.
TEST_P(Orders, WholeNumbersWrittenAsDecimalsAreReadAsIntegers) {
  const auto id = str(call("POST", "/api/v1/orders", asha_, order_body()).json().at("data").at("_id"));
  for (auto s : {"confirmed", "preparing", "ready", "out-for-delivery", "delivered"})
    call("PUT", "/api/v1/admin/orders/" + id, admin_, std::string(R"({"status":")") + s + "\"}");
  auto half = call("POST", "/api/v1/orders/" + id + "/rating", asha_, R"({"food":4.5,"delivery":5,"overall":4})");
  EXPECT_EQ(half.status, 400);
  EXPECT_EQ(half.json().at("error").at("details").at(0).at("field"), "food");
  auto r = call("POST", "/api/v1/orders/" + id + "/rating", asha_, R"({"food":5.0,"delivery":4.0,"overall":3})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().at("data").at("rating").at("food"), 5);
  EXPECT_EQ(r.json().at("data").at("rating").at("delivery"), 4);
  auto dish = HttpClient(app_->port()).get("/api/v1/menu/items/" + biryani_).json().at("data");
  EXPECT_EQ(dish.at("rating").to_number<double>(), 5.0);
}

TEST_P(Orders, IdempotencyKeysSurviveARestart) {
  auto first = call("POST", "/api/v1/orders", asha_, order_body(), "survives-restart");
  ASSERT_EQ(first.status, 201);
  // A second server process over the same database: the key's record is in the database, not in memory.
  TestApp restarted(GetParam(), {.env = {{"DATABASE_URL", app_->database_url()}}});
  auto again = HttpClient(restarted.port())
                   .request("POST", "/api/v1/orders", order_body(),
                            {{"Authorization", "Bearer " + asha_},
                             {"Content-Type", "application/json"},
                             {"Idempotency-Key", "survives-restart"}});
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.json().at("data").at("_id"), first.json().at("data").at("_id"));
  EXPECT_EQ(again.json().at("meta").at("idempotentReplay"), true);
}

INSTANTIATE_TEST_SUITE_P(Engines, Orders, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
