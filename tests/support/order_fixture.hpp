#pragma once
// Orders on both engines from an API client's side: the demo menu, an admin (Meera) and two
// customers (Asha, Ravi) signed in, and a cart of a biryani and naans with their choices.
// Shared by the order, quote and takeaway tests.
#include <gtest/gtest.h>

#include "modules/auth/service.hpp"
#include "modules/menu/seed.hpp"
#include "support/api.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

namespace tiptop::testing {

class OrderFixture : public ApiTest {
 protected:
  void SetUp() override {
    TIPTOP_REQUIRE_ENGINE(GetParam());
    app_ = std::make_unique<TestApp>(
        GetParam(), TestApp::Options{.env = env(), .prepare = [](store::Database& db) { menu::seed_demo_menu(db); }});
    auto& auth = app_->app().auth();
    auth.create_account_sync({.role = "admin",
                              .email = "chef@tiptop.in",
                              .phone = "9800000001",
                              .password = "kitchen-boss-2024",
                              .first_name = "Meera"});
    auth.create_account_sync({.role = "customer",
                              .email = "asha@tiptop.in",
                              .phone = "9800000002",
                              .password = "kitchen-boss-2024",
                              .first_name = "Asha"});
    auth.create_account_sync({.role = "customer",
                              .email = "ravi@tiptop.in",
                              .phone = "9800000003",
                              .password = "kitchen-boss-2024",
                              .first_name = "Ravi"});
    admin_ = login("chef@tiptop.in");
    asha_ = login("asha@tiptop.in");
    ravi_ = login("ravi@tiptop.in");
    biryani_ = id_of("hyderabadi-chicken-dum-biryani-full");
    naan_ = id_of("butter-naan");
  }
  std::string id_of(const std::string& slug) {
    return str(HttpClient(app_->port()).get("/api/v1/menu/items/" + slug).json().at("data").at("_id"));
  }
  std::string order_body(const std::string& extra_line = {}) const {
    return R"({"items":[{"menuItem":")" + biryani_ + R"(","quantity":2,"price":1,
        "customizations":[{"name":"Spice Level","options":["Hot"]},{"name":"Add-ons","options":["Extra Raita","Boiled Egg"]}]},
        {"menuItem":")" +
           naan_ + R"(","quantity":3,"customizations":[{"name":"Topping","options":["Butter"]}]})" + extra_line + R"(],
        "deliveryAddress":{"street":"1 MG Road","city":"Bengaluru","coordinates":[77.6,12.97],"instructions":"Ring twice"},
        "paymentMethod":"COD","pricing":{"finalAmount":1}})";
  }
  std::int64_t my_order_count(const std::string& token) {
    return call("GET", "/api/v1/orders", token).json().at("meta").at("pagination").at("total").as_int64();
  }
  std::string error_code(const HttpResult& r) {
    return r.status >= 400 ? str(r.json().at("error").at("code")) : "none";
  }
  std::string first_field(const HttpResult& r) { return str(r.json().at("error").at("details").at(0).at("field")); }

  virtual Environment env() { return {}; }
  // Kiran, a staff member at the counter, signed in.
  std::string staff_member() {
    app_->app().auth().create_account_sync({.role = "staff",
                                            .email = "counter@tiptop.in",
                                            .phone = "9800000009",
                                            .password = "kitchen-boss-2024",
                                            .first_name = "Kiran"});
    return login("counter@tiptop.in");
  }

  std::string admin_, asha_, ravi_, biryani_, naan_;
};

}  // namespace tiptop::testing
