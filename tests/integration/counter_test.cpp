// Issue 21, counter orders and the audit log, on both engines: staff take walk-in and phone
// orders (cash paid at once, COD, UPI), linked to the caller's account or a guest record; a double
// press never makes two; open items and discounts are an admin's and land in the append-only log.
#include <gtest/gtest.h>

#include "store/database.hpp"
#include "support/order_fixture.hpp"

using namespace tiptop;
using namespace tiptop::testing;
namespace bj = boost::json;

namespace {

class Counter : public OrderFixture {
 protected:
  void SetUp() override {
    OrderFixture::SetUp();
    if (IsSkipped()) return;
    staff_ = staff_member();
  }
  std::string naan_line(int quantity = 2) const {
    return R"({"menuItem":")" + naan_ + R"(","quantity":)" + std::to_string(quantity) +
           R"(,"customizations":[{"name":"Topping","options":["Butter"]}]})";
  }
  HttpResult counter(const std::string& token, const std::string& body, const std::string& key) {
    return call("POST", "/api/v1/admin/orders", token, body, key);
  }
  std::int64_t rows(const std::string& table) {
    auto db = store::open_database(app_->database_url(), 1, "FULL");
    auto n = [&](store::Connection& c) {
      return c.query("SELECT COUNT(*) AS n FROM " + table).rows.at(0).integer("n");
    };
    return db->read_sync(n);
  }
  std::string staff_;
};

}  // namespace

TEST_P(Counter, AWalkInPaysCashAndADoublePressMakesOneOrder) {
  const std::string body = R"({"items":[)" + naan_line() + R"(],"paymentMethod":"CASH"})";
  auto no_key = counter(staff_, body, "");
  EXPECT_EQ(no_key.status, 400);
  EXPECT_EQ(first_field(no_key), "Idempotency-Key");
  EXPECT_EQ(rows("orders"), 0);

  auto first = counter(staff_, body, "till-1-0001");
  ASSERT_EQ(first.status, 201) << first.body;
  const auto o = first.json().at("data");
  EXPECT_EQ(o.at("status"), "confirmed");
  EXPECT_EQ(o.at("orderType"), "takeaway");
  EXPECT_EQ(o.at("paymentMethod"), "CASH");
  EXPECT_EQ(o.at("paymentStatus"), "paid");
  EXPECT_EQ(o.at("customer").at("name"), "Walk-in");
  EXPECT_EQ(o.at("pricing").at("deliveryFee"), 0);
  EXPECT_EQ(o.at("statusHistory").at(0).at("updatedBy"), "staff");
  auto again = counter(staff_, body, "till-1-0001");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.json().at("data").at("_id"), o.at("_id"));
  EXPECT_EQ(again.json().at("meta").at("idempotentReplay"), true);
  EXPECT_EQ(counter(staff_, R"({"items":[)" + naan_line(3) + R"(],"paymentMethod":"CASH"})", "till-1-0001").status,
            422);
  EXPECT_EQ(rows("orders"), 1);
  // The counter serves walk-ins when the app is closed for orders and below the app's minimum.
  call("PUT", "/api/v1/admin/settings", admin_, R"({"isOpen":false,"minimumOrderAmount":5000})");
  EXPECT_EQ(counter(staff_, R"({"items":[)" + naan_line(1) + R"(],"paymentMethod":"CASH"})", "till-1-0002").status,
            201);
  // Handed over, the cash is counted as cash (not online) in the desk and in analytics, and the
  // takeaway among the day's orders.
  const auto id = str(o.at("_id"));
  for (const char* status : {"preparing", "ready", "delivered"})
    ASSERT_EQ(call("PUT", "/api/v1/admin/orders/" + id, staff_, std::string(R"({"status":")") + status + "\"}").status,
              200);
  const auto paid = o.at("pricing").at("finalAmount");
  auto stats = call("GET", "/api/v1/admin/orders/stats", admin_).json().at("data");
  EXPECT_EQ(stats.at("revenue").at("cash"), paid) << stats;
  EXPECT_EQ(stats.at("revenue").at("online"), 0);
  EXPECT_EQ(stats.at("revenue").at("total"), paid);
  auto revenue = call("GET", "/api/v1/admin/analytics/revenue", admin_).json().at("data").at("totals");
  EXPECT_EQ(revenue.at("revenue").at("cash"), paid) << revenue;
  EXPECT_EQ(revenue.at("revenue").at("online"), 0);
  EXPECT_EQ(revenue.at("takeawayOrders"), 2) << revenue;

  // Staff never cancel what was paid (an admin refunds it); promo codes are not a counter's.
  const auto paid_id =
      str(counter(staff_, R"({"items":[)" + naan_line(1) + R"(],"paymentMethod":"CASH"})", "till-1-0003")
              .json()
              .at("data")
              .at("_id"));
  EXPECT_EQ(
      call("PUT", "/api/v1/admin/orders/" + paid_id, staff_, R"({"status":"cancelled","notes":"changed mind"})").status,
      403);
  EXPECT_EQ(first_field(counter(staff_, R"({"items":[)" + naan_line(1) + R"(],"promoCode":"X","paymentMethod":"CASH"})",
                                "till-1-0004")),
            "promoCode");

  // Customers and partners cannot use the counter.
  EXPECT_EQ(counter(asha_, body, "till-x").status, 403);
  EXPECT_EQ(rows("orders"), 3);
}

TEST_P(Counter, APhoneOrderJoinsTheCallersAccountOrAGuestRecord) {
  // Asha's phone: the order is hers and she sees it in the app.
  auto hers = counter(
      staff_,
      R"({"items":[)" + naan_line() + R"(],"customer":{"name":"Asha","phone":"9800000002"},"paymentMethod":"COD"})",
      "phone-1");
  ASSERT_EQ(hers.status, 201) << hers.body;
  EXPECT_EQ(my_order_count(asha_), 1);
  EXPECT_EQ(hers.json().at("data").at("paymentStatus"), "pending");
  // A caller without an account is a guest record, one per phone.
  for (const char* key : {"phone-2", "phone-3"}) {
    auto guest = counter(
        staff_,
        R"({"items":[)" + naan_line() + R"(],"customer":{"name":"Farid","phone":"9811111111"},"paymentMethod":"UPI"})",
        key);
    ASSERT_EQ(guest.status, 201) << guest.body;
    EXPECT_EQ(guest.json().at("data").at("customer").at("phone"), "9811111111");
  }
  EXPECT_EQ(rows("guests"), 1);
  // A delivery needs a phone for the rider and an address; COD is what the rider collects.
  auto no_phone = counter(staff_,
                          R"({"orderType":"delivery","items":[)" + naan_line() +
                              R"(],"deliveryAddress":{"street":"1 MG Road","city":"Bengaluru"},"paymentMethod":"COD"})",
                          "phone-4");
  EXPECT_EQ(first_field(no_phone), "customer.phone");
  auto delivery = counter(
      staff_,
      R"({"orderType":"delivery","items":[)" + naan_line() +
          R"(],"customer":{"name":"Farid","phone":"9811111111"},"deliveryAddress":{"street":"1 MG Road","city":"Bengaluru"},"paymentMethod":"COD"})",
      "phone-5");
  ASSERT_EQ(delivery.status, 201) << delivery.body;
  EXPECT_EQ(delivery.json().at("data").at("cashCollection").at("expected"),
            delivery.json().at("data").at("pricing").at("finalAmount"));
  EXPECT_EQ(first_field(counter(staff_, R"({"items":[],"paymentMethod":"CASH"})", "phone-6")), "items");
  EXPECT_EQ(first_field(counter(staff_, R"({"items":[)" + naan_line() + R"(],"paymentMethod":"CARD"})", "phone-7")),
            "paymentMethod");
}

TEST_P(Counter, OpenItemsAndDiscountsAreAnAdminsAndEveryOneIsAudited) {
  const std::string extras = R"({"items":[)" + naan_line(2) +
                             R"(],"openItems":[{"name":"Birthday cake from outside","price":450,"quantity":1}],
      "discount":{"amount":50,"reason":"Regular customer"},"paymentMethod":"CASH"})";
  auto refused = counter(staff_, extras, "extra-1");
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(rows("orders"), 0);
  EXPECT_EQ(rows("audit_log"), 0);

  auto r = counter(admin_, extras, "extra-2");
  ASSERT_EQ(r.status, 201) << r.body;
  const auto o = r.json().at("data");
  const auto& items = o.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].at("menuItem"), nullptr);
  EXPECT_EQ(items[1].at("openItem"), true);
  const double naans = items[0].at("subtotal").to_number<double>();
  EXPECT_DOUBLE_EQ(o.at("pricing").at("itemsTotal").to_number<double>(), naans + 450);
  EXPECT_EQ(o.at("pricing").at("discount"), 50);
  EXPECT_EQ(first_field(counter(admin_,
                                R"({"items":[)" + naan_line(1) +
                                    R"(],"discount":{"amount":9999,"reason":"Too much"},"paymentMethod":"CASH"})",
                                "extra-3")),
            "discount.amount");

  auto log = call("GET", "/api/v1/admin/audit?subjectId=" + str(o.at("_id")), admin_);
  ASSERT_EQ(log.status, 200) << log.body;
  const auto entries = log.json().at("data").as_array();
  ASSERT_EQ(entries.size(), 3u) << log.body;
  EXPECT_EQ(entries[0].at("action"), "order.discount");  // newest first
  EXPECT_EQ(entries[0].at("note"), "Regular customer");
  EXPECT_EQ(entries[1].at("action"), "order.open-item");
  EXPECT_EQ(entries[1].at("after").at("price"), 450);
  EXPECT_EQ(entries[2].at("action"), "order.counter");
  EXPECT_EQ(entries[2].at("actor").at("role"), "admin");
  EXPECT_EQ(log.json().at("meta").at("pagination").at("total"), 3);
  EXPECT_EQ(
      call("GET", "/api/v1/admin/audit?action=order.discount", admin_).json().at("meta").at("pagination").at("total"),
      1);
  EXPECT_EQ(call("GET", "/api/v1/admin/audit", staff_).status, 403);
  EXPECT_EQ(call("GET", "/api/v1/admin/audit?action=order.rename", admin_).status, 400);

  // A settings change is audited with the whole before and after.
  ASSERT_EQ(call("PUT", "/api/v1/admin/settings", admin_, R"({"minimumOrderAmount":150})").status, 200);
  auto changed = call("GET", "/api/v1/admin/audit?action=settings.change", admin_).json();
  ASSERT_EQ(changed.at("data").as_array().size(), 1u);
  EXPECT_EQ(changed.at("data").at(0).at("after").at("minimumOrderAmount"), 150);
  EXPECT_NE(changed.at("data").at(0).at("before").at("minimumOrderAmount"), 150);

  // Append-only in the database itself, not only by convention.
  auto db = store::open_database(app_->database_url(), 1, "FULL");
  auto rewrite = [](store::Connection& c) { c.execute("UPDATE audit_log SET note = 'nothing happened'"); };
  auto erase = [](store::Connection& c) { c.execute("DELETE FROM audit_log"); };
  EXPECT_ANY_THROW(db->transaction_sync(rewrite));
  EXPECT_ANY_THROW(db->transaction_sync(erase));
  EXPECT_EQ(rows("audit_log"), 4);
}

TEST_P(Counter, TheCountersLiveBillIsWhatPlacingChargesAndNamesTheCaller) {
  const std::string body = R"({"items":[)" + naan_line(3) +
                           R"(],"customer":{"phone":"9800000002"},"orderType":"takeaway","paymentMethod":"COD"})";
  auto quoted = call("POST", "/api/v1/admin/orders/quote", staff_, body);
  ASSERT_EQ(quoted.status, 200) << quoted.body;
  const auto q = quoted.json().at("data");
  EXPECT_EQ(str(q.at("customer").at("name")), "Asha");  // the phone is Asha's account
  EXPECT_TRUE(q.at("customer").at("hasAccount").as_bool());
  EXPECT_EQ(rows("orders"), 0);  // a quote writes nothing
  auto placed = counter(staff_, body, "till-2-0001");
  ASSERT_EQ(placed.status, 201) << placed.body;
  EXPECT_EQ(placed.json().at("data").at("pricing"), q.at("pricing"));
  EXPECT_EQ(placed.json().at("data").at("items"), q.at("items"));

  auto stranger =
      call("POST", "/api/v1/admin/orders/quote", staff_,
           R"({"items":[)" + naan_line() + R"(],"customer":{"phone":"9811111111"},"paymentMethod":"CASH"})");
  ASSERT_EQ(stranger.status, 200) << stranger.body;
  EXPECT_FALSE(stranger.json().at("data").at("customer").at("hasAccount").as_bool());
  EXPECT_FALSE(stranger.json().at("data").at("customer").as_object().contains("name"));

  // The same rules as placing: a discount is an admin's, a delivery needs a phone, a cart needs a dish.
  const std::string discounted = R"({"items":[)" + naan_line() +
                                 R"(],"paymentMethod":"CASH","discount":{"amount":20,"reason":"regular customer"}})";
  EXPECT_EQ(call("POST", "/api/v1/admin/orders/quote", staff_, discounted).status, 403);
  auto admin_quote = call("POST", "/api/v1/admin/orders/quote", admin_, discounted);
  ASSERT_EQ(admin_quote.status, 200) << admin_quote.body;
  EXPECT_EQ(admin_quote.json().at("data").at("pricing").at("discount"), bj::value(20));
  auto no_phone = call("POST", "/api/v1/admin/orders/quote", staff_,
                       R"({"items":[)" + naan_line() + R"(],"orderType":"delivery","paymentMethod":"COD"})");
  EXPECT_EQ(no_phone.status, 400);
  EXPECT_EQ(first_field(no_phone), "customer.phone");
  auto empty = call("POST", "/api/v1/admin/orders/quote", staff_, R"({"items":[],"paymentMethod":"CASH"})");
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(call("POST", "/api/v1/admin/orders/quote", asha_, discounted).status, 403);
  EXPECT_EQ(rows("orders"), 1);
}

TEST_P(Counter, AnOrderHandedOverShowsInTodaysAnalyticsAtOnce) {
  auto dashboard = [&] {
    auto r = call("GET", "/api/v1/admin/analytics/dashboard", admin_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  };
  const auto before = dashboard();
  EXPECT_EQ(dashboard().at("meta").at("cached"), true);  // read again within its minute: from the cache
  auto sale = counter(staff_, R"({"items":[)" + naan_line() + R"(],"paymentMethod":"CASH"})", "till-3-0001");
  ASSERT_EQ(sale.status, 201) << sale.body;
  const auto id = str(sale.json().at("data").at("_id"));
  for (const std::string s : {"preparing", "ready", "delivered"})
    ASSERT_EQ(call("PUT", "/api/v1/admin/orders/" + id, staff_, R"({"status":")" + s + "\"}").status, 200);
  // Handed over: the day's figures changed, so the cached report is not served again.
  const auto after = dashboard();
  EXPECT_EQ(after.at("meta").at("cached"), false);
  EXPECT_EQ(after.at("data").at("today").at("completed").as_int64(),
            before.at("data").at("today").at("completed").as_int64() + 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, Counter, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
