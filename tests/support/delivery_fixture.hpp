#pragma once
// Delivery on both engines from an API client's side: the demo menu, an admin (Meera) with the
// restaurant on MG Road, a customer (Asha), partners made on demand, Asha's naan orders moved by
// the kitchen, and the cash routes. Shared by the delivery and door-payment tests.
#include <gtest/gtest.h>

#include "core/json.hpp"
#include "modules/auth/service.hpp"
#include "modules/menu/seed.hpp"
#include "support/api.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

namespace tiptop::testing {

class DeliveryFixture : public ApiTest {
 protected:
  void SetUp() override {
    TIPTOP_REQUIRE_ENGINE(GetParam());
    TestApp::Options options{.prepare = [](store::Database& db) { menu::seed_demo_menu(db); }};
    // Tests that hammer location updates say so in their name; the rest keep the real throttle.
    const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    if (name.find("WhileRiding") != std::string::npos) options.env = {{"LOCATION_MIN_INTERVAL_MS", "0"}};
    app_ = std::make_unique<TestApp>(GetParam(), std::move(options));
    auto& auth = app_->app().auth();
    auth.create_account_sync({.role = "admin",
                              .email = "chef@tiptop.in",
                              .phone = "9800000001",
                              .password = kTestPassword,
                              .first_name = "Meera"});
    auth.create_account_sync({.role = "customer",
                              .email = "asha@tiptop.in",
                              .phone = "9800000002",
                              .password = kTestPassword,
                              .first_name = "Asha"});
    admin_ = login("chef@tiptop.in");
    asha_ = login("asha@tiptop.in");
    naan_ = str(HttpClient(app_->port()).get("/api/v1/menu/items/butter-naan").json().at("data").at("_id"));
    // The restaurant sits on MG Road; partners' distances are measured from here.
    EXPECT_EQ(
        call("PUT", "/api/v1/admin/settings", admin_, R"({"location":{"type":"Point","coordinates":[77.60,12.97]}})")
            .status,
        200);
  }

  std::string code(const HttpResult& r) { return r.status >= 400 ? str(r.json().at("error").at("code")) : "none"; }

  struct Partner {
    std::string id, token;
  };
  Partner partner(const std::string& name, bool available = true) {
    const int n = ++phones_;
    auto r = call("POST", "/api/v1/admin/delivery-partners", admin_,
                  R"({"email":")" + name + R"(@tiptop.in","phone":")" + std::to_string(9700000000 + n) +
                      R"(","password":")" + kTestPassword + R"(","firstName":")" + name +
                      R"(","vehicleInfo":{"type":"motorcycle","number":"KA01AB)" + std::to_string(1000 + n) + R"("}})");
    EXPECT_EQ(r.status, 201) << r.body;
    Partner p{str(r.json().at("data").at("_id")), login(name + "@tiptop.in")};
    if (available) {
      EXPECT_EQ(call("PUT", "/api/v1/delivery/availability", p.token, R"({"availability":true})").status, 200);
    }
    return p;
  }
  // Asha's order of naan (₹65 × qty + 5 % tax + delivery fee), moved by the kitchen to `status`.
  // extra: more members of the body, e.g. ,"tip":20.
  boost::json::object order(const std::string& status = "ready", const std::string& payment = "COD", int qty = 8,
                            const std::string& extra = {}) {
    auto r = call("POST", "/api/v1/orders", asha_,
                  R"({"items":[{"menuItem":")" + naan_ + R"(","quantity":)" + std::to_string(qty) +
                      R"(,"customizations":[{"name":"Topping","options":["Butter"]}]}],
                      "deliveryAddress":{"street":"12 Residency Road","city":"Bengaluru","coordinates":[77.61,12.97]},
                      "paymentMethod":")" +
                      payment + "\"" + extra + "}");
    EXPECT_EQ(r.status, 201) << r.body;
    const auto id = str(r.json().at("data").at("_id"));
    for (const std::string s : {"confirmed", "preparing", "ready"}) {
      if (status == "pending") break;
      EXPECT_EQ(call("PUT", "/api/v1/admin/orders/" + id, admin_, R"({"status":")" + s + "\"}").status, 200);
      if (s == status) break;
    }
    return call("GET", "/api/v1/orders/" + id, admin_).json().at("data").as_object();
  }
  // Accepts, picks up and delivers one COD order, collecting `collected` rupees.
  std::string deliver(const Partner& p, const std::string& collected) {
    auto o = order();
    const auto id = str(o.at("_id"));
    EXPECT_EQ(call("PUT", "/api/v1/delivery/orders/" + id + "/accept", p.token).status, 200);
    EXPECT_EQ(
        call("PUT", "/api/v1/delivery/orders/" + id + "/status", p.token, R"({"status":"out-for-delivery"})").status,
        200);
    auto done = call("PUT", "/api/v1/delivery/orders/" + id + "/status", p.token,
                     R"({"status":"delivered","cashCollected":)" + collected + "}");
    EXPECT_EQ(done.status, 200) << done.body;
    return id;
  }
  boost::json::value session(const Partner& p) {
    return call("GET", "/api/v1/delivery/sessions/current", p.token).json().at("data");
  }
  HttpResult settle(const std::string& session_id, const std::string& actual) {
    return call(
        "POST", "/api/v1/admin/cash-management/sessions/settle", admin_,
        R"({"sessionId":")" + session_id + R"(","actualAmount":)" + actual + R"(,"notes":"counted at the counter"})");
  }
  boost::json::object ledger(const std::string& query) {
    auto r = call("GET", "/api/v1/admin/cash-management/transactions?" + query, admin_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().as_object();
  }

  std::string admin_, asha_, naan_;
  int phones_ = 0;
};

}  // namespace tiptop::testing
