// Restaurant settings on both engines: admin edits, validation, the public view.
#include <gtest/gtest.h>

#include "modules/auth/service.hpp"
#include "modules/settings/service.hpp"
#include "support/api.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

using namespace tiptop;
using namespace tiptop::testing;

namespace {

class SettingsApi : public ApiTest {
 protected:
  void SetUp() override {
    TIPTOP_REQUIRE_ENGINE(GetParam());
    app_ = std::make_unique<TestApp>(GetParam());
    for (auto [role, email, phone] :
         {std::tuple{"admin", "chef@tiptop.in", "9800000001"}, std::tuple{"customer", "c@tiptop.in", "9800000002"}})
      app_->app().auth().create_account_sync(
          {.role = role, .email = email, .phone = phone, .password = "kitchen-boss-2024"});
    admin_ = login("chef@tiptop.in");
    customer_ = login("c@tiptop.in");
  }
  HttpResult put(const std::string& body, const std::string& token) {
    return HttpClient(app_->port()).call("PUT", "/api/v1/admin/settings", token, body);
  }
  std::string admin_, customer_;
};

}  // namespace

TEST_P(SettingsApi, DefaultsThenAdminChangesShowAtOnceAndSurviveRestart) {
  auto pub = HttpClient(app_->port()).get("/api/v1/settings").json().at("data");
  EXPECT_EQ(pub.at("taxRate"), 5);
  EXPECT_EQ(pub.at("isOpenNow"), true);
  EXPECT_FALSE(pub.as_object().contains("location"));

  auto r = put(R"({"isOpen":false,"closedReason":"Closed for Diwali","minimumOrderAmount":199,"taxRate":5.5,
                   "delivery":{"perKmFee":9},"location":{"type":"Point","coordinates":[78.4867,17.385]}})",
               admin_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("data").at("delivery").at("baseFee"), 30);  // untouched fields keep their values
  pub = HttpClient(app_->port()).get("/api/v1/settings").json().at("data");
  EXPECT_EQ(pub.at("isOpenNow"), false);
  EXPECT_EQ(pub.at("closedMessage"), "Closed for Diwali");
  EXPECT_EQ(pub.at("minimumOrderAmount"), 199);
  EXPECT_EQ(pub.at("taxRate"), 5.5);

  // Stored in the database: a fresh service reads the same document.
  auto db = store::open_database(app_->database_url(), 1, "FULL");
  cache::InvalidationBus bus;
  settings::SettingsService reloaded(*db, bus);
  reloaded.load_sync();
  EXPECT_EQ(reloaded.current()->minimum_order, 19900);
  EXPECT_EQ(reloaded.current()->tax_bp, 550);

  auto hours = put(
      R"({"isOpen":true,"openingHours":[{"day":0,"open":"00:00","close":"23:59"},{"day":1,"open":"00:00","close":"23:59"},
      {"day":2,"open":"00:00","close":"23:59"},{"day":3,"open":"00:00","close":"23:59"},{"day":4,"open":"00:00","close":"23:59"},
      {"day":5,"open":"00:00","close":"23:59"},{"day":6,"open":"00:00","close":"23:59"}]})",
      admin_);
  ASSERT_EQ(hours.status, 200) << hours.body;
  EXPECT_EQ(HttpClient(app_->port()).get("/api/v1/settings").json().at("data").at("openingHours").as_array().size(),
            7u);
}

TEST_P(SettingsApi, ValidationAndRoles) {
  auto fields = [](const HttpResult& r) {
    std::set<std::string> out;
    const auto j = r.json();
    for (auto& d : j.at("error").at("details").as_array()) out.insert(std::string(d.at("field").as_string()));
    return out;
  };
  auto bad = put(
      R"({"taxRate":40,"minimumOrderAmount":-1,"delivery":{"maxRadiusKm":0},"openingHours":[{"day":7,"open":"11:00","close":"23:00"}]})",
      admin_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(fields(bad),
            (std::set<std::string>{"taxRate", "minimumOrderAmount", "delivery.maxRadiusKm", "openingHours[0].day"}));
  EXPECT_EQ(fields(put(R"({"taxRate":5.555})", admin_)), (std::set<std::string>{"taxRate"}));
  EXPECT_EQ(fields(put(R"({"openingHours":[{"day":1,"open":"11","close":"23:00"}]})", admin_)),
            (std::set<std::string>{"openingHours[0].open"}));
  EXPECT_EQ(fields(put(R"({"location":{"coordinates":[200,17]}})", admin_)),
            (std::set<std::string>{"location.coordinates[0]"}));
  EXPECT_EQ(HttpClient(app_->port()).get("/api/v1/settings").json().at("data").at("taxRate"), 5);  // nothing changed
  EXPECT_EQ(put(R"({"taxRate":6})", customer_).status, 403);
  EXPECT_EQ(put(R"({"taxRate":6})", "").status, 401);
  EXPECT_EQ(HttpClient(app_->port()).call("GET", "/api/v1/admin/settings", customer_).status, 403);
  EXPECT_EQ(
      HttpClient(app_->port()).call("GET", "/api/v1/admin/settings", admin_).json().at("data").at("location").is_null(),
      true);
}

INSTANTIATE_TEST_SUITE_P(Engines, SettingsApi, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
