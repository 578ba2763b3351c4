// The admin's orders desk and customer views on both engines: every filter, both paginations,
// the period figures, blocking, and the role checks.
#include <gtest/gtest.h>

#include <set>

#include "core/json.hpp"
#include "modules/auth/service.hpp"
#include "modules/menu/seed.hpp"
#include "store/database.hpp"
#include "support/api.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

using namespace tiptop;
using namespace tiptop::testing;
namespace bj = boost::json;

namespace {

class AdminDesk : public ApiTest {
 protected:
  void SetUp() override {
    TIPTOP_REQUIRE_ENGINE(GetParam());
    // Online payments on, with a gateway nobody answers at: online orders are placed and wait for
    // their payment (the payments e2e suite drives a real checkout against a fake Razorpay).
    app_ = std::make_unique<TestApp>(
        GetParam(), TestApp::Options{.env = {{"RAZORPAY_KEY_ID", "rzp_test_desk"},
                                             {"RAZORPAY_KEY_SECRET", "desk-secret"},
                                             {"RAZORPAY_WEBHOOK_SECRET", "desk-webhook"},
                                             {"RAZORPAY_BASE_URL", "http://127.0.0.1:1"},
                                             {"RAZORPAY_TIMEOUT_MS", "500"}},
                                     .prepare = [](store::Database& db) { menu::seed_demo_menu(db); }});
    auto& auth = app_->app().auth();
    auth.create_account_sync({.role = "admin",
                              .email = "chef@tiptop.in",
                              .phone = "9800000001",
                              .password = kTestPassword,
                              .first_name = "Meera"});
    auth.create_account_sync({.role = "customer",
                              .email = "asha@tiptop.in",
                              .phone = "9811112222",
                              .password = kTestPassword,
                              .first_name = "Asha"});
    auth.create_account_sync({.role = "customer",
                              .email = "ravi@tiptop.in",
                              .phone = "9833334444",
                              .password = kTestPassword,
                              .first_name = "Ravi",
                              .last_name = "Kumar"});
    rider_id_ = auth.create_account_sync({.role = "delivery",
                                          .email = "rider@tiptop.in",
                                          .phone = "9855556666",
                                          .password = kTestPassword,
                                          .first_name = "Sunil"})
                    .id;
    admin_ = login("chef@tiptop.in");
    asha_ = login("asha@tiptop.in");
    ravi_ = login("ravi@tiptop.in");
    naan_ = str(HttpClient(app_->port()).get("/api/v1/menu/items/butter-naan").json().at("data").at("_id"));
  }
  std::string code(const HttpResult& r) { return r.status >= 400 ? str(r.json().at("error").at("code")) : "none"; }
  bj::object place(const std::string& token, int qty, const std::string& payment = "COD") {
    auto r = call("POST", "/api/v1/orders", token,
                  R"({"items":[{"menuItem":")" + naan_ + R"(","quantity":)" + std::to_string(qty) +
                      R"(,"customizations":[{"name":"Topping","options":["Butter"]}]}],
                      "deliveryAddress":{"street":"1 MG Road","city":"Bengaluru"},"paymentMethod":")" +
                      payment + "\"}");
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().at("data").as_object();
  }
  void move(const std::string& id, std::initializer_list<const char*> steps) {
    for (const auto* s : steps)
      ASSERT_EQ(call("PUT", "/api/v1/admin/orders/" + id, admin_, std::string(R"({"status":")") + s + "\"}").status,
                200)
          << s;
  }
  bj::value list(const std::string& query) {
    auto r = call("GET", "/api/v1/admin/orders?" + query, admin_);
    EXPECT_EQ(r.status, 200) << query << " " << r.body;
    return r.json();
  }
  std::int64_t total(const std::string& query) {
    return list(query).at("meta").at("pagination").at("total").as_int64();
  }
  // Test-only time travel: moves an order's timestamps, as if it had been placed `days_ago`.
  void age(const std::string& id, int days_ago) {
    auto db = store::open_database(app_->database_url(), 1, "FULL");
    const std::int64_t shift = static_cast<std::int64_t>(days_ago) * 24 * 3600 * 1000;
    auto run = [&](store::Connection& c) {
      c.execute(
          "UPDATE orders SET created_at = created_at - ?, estimated_delivery_at = estimated_delivery_at - ? WHERE id = "
          "?",
          {shift, shift, id});
    };
    db->transaction_sync(run);
  }

  std::string admin_, asha_, ravi_, naan_, rider_id_;
};

}  // namespace

TEST_P(AdminDesk, OrdersDeskFiltersSortsAndPaginatesBothWays) {
  std::vector<bj::object> placed;
  for (int i = 0; i < 6; ++i) placed.push_back(place(i % 2 ? ravi_ : asha_, i + 1, i == 5 ? "ONLINE" : "COD"));
  const auto id = [&](int i) { return str(placed[i].at("_id")); };
  move(id(0), {"confirmed"});
  move(id(1), {"confirmed", "preparing"});
  move(id(2), {"cancelled"});
  ASSERT_EQ(call("PUT", "/api/v1/admin/orders/" + id(1) + "/assign-delivery", admin_,
                 R"({"deliveryPartnerId":")" + rider_id_ + "\"}")
                .status,
            200);

  EXPECT_EQ(total(""), 6);
  EXPECT_EQ(total("status=pending"), 3);
  EXPECT_EQ(total("status=confirmed,preparing"), 2);
  EXPECT_EQ(total("status=cancelled,cancelled"), 1);
  EXPECT_EQ(total("paymentMethod=ONLINE"), 1);
  EXPECT_EQ(total("paymentStatus=pending&paymentMethod=COD"), 5);
  EXPECT_EQ(total("customerId=" + str(placed[1].at("customer").at("id"))), 3);
  EXPECT_EQ(str(list("partnerId=" + rider_id_).at("data").at(0).at("_id")), id(1));
  EXPECT_EQ(total("q=" + str(placed[3].at("orderNumber"))), 1);
  EXPECT_EQ(total("q=ord_"), 6);       // an order-number prefix, any case; the _ is not a wildcard
  EXPECT_EQ(total("q=33334"), 3);      // part of Ravi's phone
  EXPECT_EQ(total("q=%25%25%25"), 0);  // LIKE wildcards are matched literally
  EXPECT_EQ(total("from=2000-01-01&to=2000-01-31"), 0);
  EXPECT_EQ(total("from=2000-01-01"), 6);

  // Sorted by amount (quantity i+1 means rising totals), both ways.
  auto cheap = list("sort=amount&limit=100").at("data").as_array();
  auto dear = list("sort=-amount&limit=100").at("data").as_array();
  for (std::size_t i = 1; i < cheap.size(); ++i) {
    EXPECT_LE(cheap[i - 1].at("pricing").at("finalAmount").to_number<double>(),
              cheap[i].at("pricing").at("finalAmount").to_number<double>());
    EXPECT_GE(dear[i - 1].at("pricing").at("finalAmount").to_number<double>(),
              dear[i].at("pricing").at("finalAmount").to_number<double>());
  }
  EXPECT_EQ(str(list("sort=oldest").at("data").at(0).at("_id")), id(0));
  EXPECT_EQ(str(list("").at("data").at(0).at("_id")), id(5));

  // Cursor pagination walks every order once, in order, for each sort.
  for (const std::string sort : {"newest", "oldest", "amount", "-amount"}) {
    std::vector<std::string> seen;
    std::string cursor;
    for (int guard = 0; guard < 10; ++guard) {
      auto page = list("sort=" + sort + "&limit=4&cursor=" + cursor);
      for (const auto& o : page.at("data").as_array()) seen.push_back(str(o.at("_id")));
      const auto& p = page.at("meta").at("pagination");
      if (!p.at("hasMore").as_bool()) {
        EXPECT_TRUE(p.at("nextCursor").is_null());
        break;
      }
      cursor = str(p.at("nextCursor"));
    }
    ASSERT_EQ(seen.size(), 6u) << sort;
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 6u) << sort;
    std::vector<std::string> paged;
    const auto all = list("sort=" + sort + "&limit=100");
    for (const auto& o : all.at("data").as_array()) paged.push_back(str(o.at("_id")));
    EXPECT_EQ(seen, paged) << sort;
  }
  auto first = list("limit=2&cursor=");
  const auto next = str(first.at("meta").at("pagination").at("nextCursor"));
  EXPECT_EQ(code(call("GET", "/api/v1/admin/orders?sort=amount&cursor=" + next, admin_)),
            "VALIDATION_ERROR");  // another sort's cursor
  EXPECT_EQ(code(call("GET", "/api/v1/admin/orders?cursor=bm90LWEtY3Vyc29y", admin_)), "VALIDATION_ERROR");
  EXPECT_EQ(code(call("GET", "/api/v1/admin/orders?status=lost", admin_)), "VALIDATION_ERROR");
  EXPECT_EQ(code(call("GET", "/api/v1/admin/orders?partnerId=nope", admin_)), "VALIDATION_ERROR");
  EXPECT_EQ(code(call("GET", "/api/v1/admin/orders?from=2024-02-01&to=2024-01-01", admin_)), "VALIDATION_ERROR");
  EXPECT_EQ(code(call("GET", "/api/v1/admin/orders?limit=101", admin_)), "VALIDATION_ERROR");
  EXPECT_EQ(call("GET", "/api/v1/admin/orders", asha_).status, 403);
  EXPECT_EQ(call("GET", "/api/v1/admin/orders", "").status, 401);
}

TEST_P(AdminDesk, OrderStatsCountRevenueTimesAndLateness) {
  auto a = place(asha_, 2), b = place(ravi_, 3, "ONLINE"), c = place(asha_, 4), late = place(ravi_, 1);
  move(str(a.at("_id")), {"confirmed", "preparing", "ready", "out-for-delivery", "delivered"});
  move(str(c.at("_id")), {"cancelled"});
  move(str(late.at("_id")), {"confirmed"});
  // The late order was promised two days ago; it is still being prepared.
  age(str(late.at("_id")), 2);

  auto r = call("GET", "/api/v1/admin/orders/stats", admin_);
  ASSERT_EQ(r.status, 200) << r.body;
  auto s = r.json().at("data");
  EXPECT_EQ(s.at("totalOrders"), 3);  // today's: the aged one belongs to two days ago
  EXPECT_EQ(s.at("byStatus").at("delivered"), 1);
  EXPECT_EQ(s.at("byStatus").at("pending"), 1);
  EXPECT_EQ(s.at("byStatus").at("cancelled"), 1);
  EXPECT_EQ(s.at("byStatus").at("ready"), 0);
  EXPECT_EQ(s.at("revenue").at("cod"), a.at("pricing").at("finalAmount"));
  EXPECT_EQ(s.at("revenue").at("online"), 0);
  EXPECT_EQ(s.at("revenue").at("total"), a.at("pricing").at("finalAmount"));
  EXPECT_TRUE(s.at("averagePreparationTime").is_number());
  EXPECT_TRUE(s.at("averageTotalTime").is_number());
  EXPECT_TRUE(s.at("averageDeliveryTime").is_null());  // nobody recorded a pick-up
  EXPECT_EQ(s.at("lateOrders").at("count"), 1);
  EXPECT_EQ(str(s.at("lateOrders").at("orders").at(0).at("orderNumber")), str(late.at("orderNumber")));
  EXPECT_GE(s.at("lateOrders").at("orders").at(0).at("minutesLate").as_int64(), 2 * 24 * 60 - 120);

  auto week = call("GET", "/api/v1/admin/orders/stats?from=2000-01-01", admin_).json().at("data");
  EXPECT_EQ(week.at("totalOrders"), 4);
  EXPECT_EQ(week.at("byStatus").at("confirmed"), 1);
  auto empty = call("GET", "/api/v1/admin/orders/stats?from=2000-01-01&to=2000-01-02", admin_).json().at("data");
  EXPECT_EQ(empty.at("totalOrders"), 0);
  EXPECT_TRUE(empty.at("averagePreparationTime").is_null());
  EXPECT_EQ(code(call("GET", "/api/v1/admin/orders/stats?from=2024-02-01&to=2024-01-01", admin_)), "VALIDATION_ERROR");
  EXPECT_EQ(code(call("GET", "/api/v1/admin/orders/stats?to=whenever", admin_)), "VALIDATION_ERROR");
  auto past_day = call("GET", "/api/v1/admin/orders/stats?to=2024-01-31", admin_);  // that day alone
  ASSERT_EQ(past_day.status, 200) << past_day.body;
  EXPECT_EQ(past_day.json().at("data").at("period").at("from"), "2024-01-30T18:30:00.000Z");
  EXPECT_EQ(call("GET", "/api/v1/admin/customers/stats?to=2024-01-31", admin_).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/admin/orders/stats", ravi_).status, 403);
  (void)b;
}

TEST_P(AdminDesk, CustomersSearchSortDetailStatsAndBlocking) {
  auto a = place(asha_, 1);
  auto r1 = place(ravi_, 5), r2 = place(ravi_, 2);
  move(str(r1.at("_id")), {"confirmed", "preparing", "ready", "out-for-delivery", "delivered"});
  move(str(a.at("_id")), {"confirmed", "preparing", "ready", "out-for-delivery", "delivered"});
  age(str(a.at("_id")), 40);  // Asha first ordered long ago; today she is back

  auto found = call("GET", "/api/v1/admin/customers?search=kumar", admin_).json();
  EXPECT_EQ(found.at("meta").at("pagination").at("total"), 1);
  EXPECT_EQ(found.at("data").at(0).at("email"), "ravi@tiptop.in");
  EXPECT_EQ(call("GET", "/api/v1/admin/customers?search=rider", admin_).json().at("meta").at("pagination").at("total"),
            0);
  auto by_spend = call("GET", "/api/v1/admin/customers?sort=spend", admin_).json().at("data");
  EXPECT_EQ(by_spend.at(0).at("email"), "ravi@tiptop.in");  // ₹5 × naan beats ₹1 × naan
  EXPECT_EQ(by_spend.as_array().size(), 2u);                // customers only

  const auto ravi_id = str(r1.at("customer").at("id"));
  auto detail = call("GET", "/api/v1/admin/customers/" + ravi_id, admin_);
  ASSERT_EQ(detail.status, 200) << detail.body;
  auto d = detail.json().at("data");
  EXPECT_EQ(d.at("customer").at("phone"), "9833334444");
  EXPECT_FALSE(d.at("customer").as_object().contains("password"));
  EXPECT_EQ(d.at("orders").at("total"), 2);
  EXPECT_EQ(d.at("orders").at("delivered"), 1);
  EXPECT_EQ(d.at("orders").at("spent"), r1.at("pricing").at("finalAmount"));
  EXPECT_EQ(d.at("orders").at("recent").as_array().size(), 2u);
  EXPECT_EQ(str(d.at("orders").at("recent").at(0).at("_id")), str(r2.at("_id")));      // newest first
  EXPECT_EQ(call("GET", "/api/v1/admin/customers/" + rider_id_, admin_).status, 404);  // a partner is not a customer
  EXPECT_EQ(call("GET", "/api/v1/admin/customers/123", admin_).status, 404);

  auto stats = call("GET", "/api/v1/admin/customers/stats", admin_).json().at("data");
  EXPECT_EQ(stats.at("totalCustomers"), 2);
  EXPECT_EQ(stats.at("registered"), 2);
  EXPECT_EQ(stats.at("active"), 1);  // in the last 30 days only Ravi ordered
  EXPECT_EQ(stats.at("new"), 1);
  EXPECT_EQ(stats.at("returning"), 0);
  place(asha_, 1);  // Asha comes back
  stats = call("GET", "/api/v1/admin/customers/stats", admin_).json().at("data");
  EXPECT_EQ(stats.at("active"), 2);
  EXPECT_EQ(stats.at("new"), 1);
  EXPECT_EQ(stats.at("returning"), 1);
  EXPECT_EQ(code(call("GET", "/api/v1/admin/customers/stats?from=2024-02-01&to=2024-01-01", admin_)),
            "VALIDATION_ERROR");

  // Blocking signs Ravi out at once and keeps him out; unblocking lets him back in.
  ASSERT_EQ(call("GET", "/api/v1/users/me", ravi_).status, 200);
  auto blocked = call("PUT", "/api/v1/admin/customers/" + ravi_id, admin_, R"({"isActive":false})");
  ASSERT_EQ(blocked.status, 200) << blocked.body;
  EXPECT_EQ(blocked.json().at("data").at("isActive"), false);
  EXPECT_EQ(call("GET", "/api/v1/users/me", ravi_).status, 401);
  EXPECT_NE(sign_in(app_->port(), "ravi@tiptop.in").status, 200);
  EXPECT_EQ(call("GET", "/api/v1/admin/customers?active=false", admin_).json().at("meta").at("pagination").at("total"),
            1);
  EXPECT_EQ(call("GET", "/api/v1/admin/customers/stats", admin_).json().at("data").at("blocked"), 1);
  ASSERT_EQ(call("PUT", "/api/v1/admin/customers/" + ravi_id, admin_, R"({"isActive":true})").status, 200);
  EXPECT_EQ(sign_in(app_->port(), "ravi@tiptop.in").status, 200);
  EXPECT_EQ(code(call("PUT", "/api/v1/admin/customers/" + ravi_id, admin_, R"({"isActive":"no"})")),
            "VALIDATION_ERROR");
  EXPECT_EQ(call("PUT", "/api/v1/admin/customers/" + rider_id_, admin_, R"({"isActive":false})").status, 404);
  EXPECT_EQ(call("PUT", "/api/v1/admin/customers/" + ravi_id, asha_, R"({"isActive":false})").status, 403);
}

INSTANTIATE_TEST_SUITE_P(Engines, AdminDesk, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
