// Issue 21, guest orders on both engines, behind a guest token made here as /auth/otp/verify makes
// it (the SMS path is covered end to end in tests/e2e/guest.test.mjs): the same flood control as an
// account (orders a minute, orders under way), promo codes refused, and tracking by the link only.
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "modules/auth/jwt.hpp"
#include "modules/orders/guest_repository.hpp"
#include "store/database.hpp"
#include "support/order_fixture.hpp"

using namespace tiptop;
using namespace tiptop::testing;

namespace {

class GuestOrders : public OrderFixture {
 protected:
  Environment env() override { return {{"MAX_OPEN_ORDERS_PER_CUSTOMER", "1"}, {"ORDER_PLACEMENTS_PER_MINUTE", "3"}}; }
  // A guest record and its token, as a verified guest-checkout code leaves them.
  std::string guest_token(const std::string& phone) {
    auto db = store::open_database(app_->database_url(), 1, "FULL");
    auto make = [&](store::Connection& c) { return orders::upsert_guest(c, phone, ""); };
    const auto id = db->transaction_sync(make);
    const auto now = clock::now_ms() / 1000;
    return auth::sign_access_token({id, "", "guest", "guest", now, now + 1800},
                                   "test-secret-that-is-long-enough-0123456789");
  }
  std::string cart() const {
    return R"({"name":"Imran","orderType":"takeaway","items":[{"menuItem":")" + naan_ +
           R"(","quantity":2,"customizations":[{"name":"Topping","options":["Butter"]}]}]})";
  }
};

}  // namespace

TEST_P(GuestOrders, AGuestHasTheSameFloodControlAsAnAccount) {
  const auto guest = guest_token("9811111111");
  auto first = call("POST", "/api/v1/orders/guest", guest, cart());
  ASSERT_EQ(first.status, 201) << first.body;
  const auto id = str(first.json().at("data").at("_id"));
  // One order under way at a time here: the second waits until the first is done.
  auto second = call("POST", "/api/v1/orders/guest", guest, cart());
  EXPECT_EQ(second.status, 429);
  EXPECT_EQ(error_code(second), "TOO_MANY_OPEN_ORDERS");
  for (const char* status : {"confirmed", "preparing", "ready", "delivered"})
    ASSERT_EQ(call("PUT", "/api/v1/admin/orders/" + id, admin_, std::string(R"({"status":")") + status + "\"}").status,
              200);
  EXPECT_EQ(call("POST", "/api/v1/orders/guest", guest, cart()).status, 201);
  // Three placements a minute: the fourth try is refused (the refused one above counted too).
  auto fourth = call("POST", "/api/v1/orders/guest", guest, cart());
  EXPECT_EQ(fourth.status, 429);
  EXPECT_EQ(error_code(fourth), "TOO_MANY_ORDERS");
  // Another guest is not affected.
  EXPECT_EQ(call("POST", "/api/v1/orders/guest", guest_token("9822222222"), cart()).status, 201);
}

TEST_P(GuestOrders, PromoCodesNeedAnAccountAndTheLinkIsTheOnlyKey) {
  const auto guest = guest_token("9833333333");
  auto promo = cart();
  promo.insert(promo.size() - 1, R"(,"promoCode":"WELCOME")");
  auto refused = call("POST", "/api/v1/orders/guest", guest, promo);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(first_field(refused), "promoCode");
  auto placed = call("POST", "/api/v1/orders/guest", guest, cart());
  ASSERT_EQ(placed.status, 201) << placed.body;
  const auto token = str(placed.json().at("data").at("tracking").at("token"));
  auto tracked = HttpClient(app_->port()).get("/api/v1/orders/guest/track/" + token);
  ASSERT_EQ(tracked.status, 200) << tracked.body;
  EXPECT_EQ(tracked.json().at("data").at("orderType"), "takeaway");
  EXPECT_EQ(tracked.json().at("data").as_object().count("customer"), 0u);  // no phone on the link
  EXPECT_EQ(HttpClient(app_->port()).get("/api/v1/orders/guest/track/" + std::string(48, 'a')).status, 404);
  // The admin sees it on the board; nobody else's list shows it.
  EXPECT_EQ(call("GET", "/api/v1/orders", asha_).json().at("meta").at("pagination").at("total"), 0);
  EXPECT_EQ(call("GET", "/api/v1/orders", guest).status, 403);
}

INSTANTIATE_TEST_SUITE_P(Engines, GuestOrders, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
