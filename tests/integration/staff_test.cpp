// Issue 21, the staff role, on both engines: the counter and the kitchen run the orders board and
// move orders through the kitchen; money, the menu, settings, cash, analytics and customers stay
// an admin's. Every admin route staff must not reach answers 403 (read from the OpenAPI document,
// so a new route is covered the day it is added).
#include <gtest/gtest.h>

#include <set>

#include "store/migrations.hpp"
#include "support/order_fixture.hpp"

using namespace tiptop;
using namespace tiptop::testing;
namespace bj = boost::json;

namespace {

class Staff : public OrderFixture {
 protected:
  void SetUp() override {
    OrderFixture::SetUp();
    if (IsSkipped()) return;
    staff_ = staff_member();
  }
  std::string place(const std::string& body) {
    auto r = call("POST", "/api/v1/orders", asha_, body);
    EXPECT_EQ(r.status, 201) << r.body;
    return str(r.json().at("data").at("_id"));
  }
  std::string staff_;
};

}  // namespace

TEST_P(Staff, StaffRunTheKitchenButDoNotDecideRefunds) {
  const std::string takeaway =
      R"({"orderType":"takeaway","items":[{"menuItem":")" + naan_ +
      R"(","quantity":2,"customizations":[{"name":"Topping","options":["Butter"]}]}],"paymentMethod":"COD"})";
  const auto id = place(takeaway);
  auto board = call("GET", "/api/v1/admin/orders?status=pending", staff_);
  ASSERT_EQ(board.status, 200) << board.body;
  EXPECT_EQ(board.json().at("data").as_array().size(), 1u);
  EXPECT_EQ(call("GET", "/api/v1/orders/" + id, staff_).status, 200);  // the order's detail
  for (const char* status : {"confirmed", "preparing", "ready", "delivered"}) {
    auto r = call("PUT", "/api/v1/admin/orders/" + id, staff_, std::string(R"({"status":")") + status + "\"}");
    ASSERT_EQ(r.status, 200) << status << " " << r.body;
  }
  auto done = call("GET", "/api/v1/orders/" + id, staff_).json();
  const auto& history = done.at("data").at("statusHistory").as_array();
  EXPECT_EQ(history.at(1).at("updatedBy"), "staff");
  EXPECT_EQ(history.back().at("notes"), "collected at counter");

  const auto other = place(order_body());
  auto refund = call("PUT", "/api/v1/admin/orders/" + other, staff_, R"({"status":"cancelled","refundAmount":10})");
  EXPECT_EQ(refund.status, 403) << refund.body;
  EXPECT_EQ(str(call("GET", "/api/v1/orders/" + other, staff_).json().at("data").at("status")), "pending");
  auto cancel =
      call("PUT", "/api/v1/admin/orders/" + other, staff_, R"({"status":"cancelled","notes":"Customer called"})");
  EXPECT_EQ(cancel.status, 200) << cancel.body;
  // A delivery order leaves with its rider; staff do not record the road for them.
  const auto road = place(order_body());
  for (const char* status : {"confirmed", "preparing", "ready"})
    call("PUT", "/api/v1/admin/orders/" + road, staff_, std::string(R"({"status":")") + status + "\"}");
  EXPECT_EQ(error_code(call("PUT", "/api/v1/admin/orders/" + road, staff_, R"({"status":"out-for-delivery"})")),
            "INVALID_STATUS_TRANSITION");
  // Staff accounts are made by the owner, not by signing up.
  auto signup =
      HttpClient(app_->port())
          .post_json(
              "/api/v1/auth/register",
              R"({"email":"x@tiptop.in","phone":"9800000010","password":"kitchen-boss-2024","firstName":"X","role":"staff"})");
  if (signup.status == 201) EXPECT_EQ(signup.json().at("data").at("user").at("role"), "customer") << signup.body;
}

TEST_P(Staff, EveryAdminRouteOutsideTheBoardRefusesStaff) {
  // What staff may use; everything else under /api/v1/admin is an admin's.
  const std::set<std::string> allowed = {
      "GET /api/v1/admin/orders", "POST /api/v1/admin/orders", "PUT /api/v1/admin/orders/{id}",
      "PUT /api/v1/admin/orders/{id}/assign-delivery", "GET /api/v1/admin/orders/{id}/payment",
      // The kitchen's board, bulk actions and printers (issue 22).
      "GET /api/v1/admin/orders/board", "POST /api/v1/admin/orders/bulk/status",
      "POST /api/v1/admin/orders/bulk/assign", "GET /api/v1/admin/printers", "GET /api/v1/admin/print-jobs",
      "POST /api/v1/admin/print-jobs/{id}/reprint",
      // Choosing a rider on the console's board (issue 23).
      "GET /api/v1/admin/delivery/riders", "POST /api/v1/admin/orders/quote"};
  auto doc = HttpClient(app_->port()).get("/api/docs/openapi.json").json();
  int refused = 0, checked_allowed = 0;
  for (const auto& [path, methods] : doc.at("paths").as_object()) {
    if (!std::string_view(path).starts_with("/api/v1/admin")) continue;
    for (const auto& [method, op] : methods.as_object()) {
      std::string upper(method);
      for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      const std::string route = upper + " " + std::string(path);
      if (allowed.contains(route)) {
        ++checked_allowed;
        continue;
      }
      std::string target(path);
      for (auto open = target.find('{'); open != std::string::npos; open = target.find('{'))
        target.replace(open, target.find('}', open) - open + 1, "0123456789abcdef01234567");
      auto r = call(upper, target, staff_, upper == "GET" || upper == "DELETE" ? "" : "{}");
      EXPECT_EQ(r.status, 403) << route << " answered " << r.status << " " << r.body;
      ++refused;
    }
  }
  EXPECT_EQ(checked_allowed, static_cast<int>(allowed.size())) << "an allowed route is missing from the document";
  EXPECT_GE(refused, 25) << "the document lists fewer admin routes than expected";
  // Nothing an admin owns moved: the menu, settings and promo codes are as they were.
  EXPECT_EQ(call("GET", "/api/v1/admin/promo-codes", admin_).json().at("data").as_array().size(), 0u);
}

TEST_P(Staff, TheRoleIsStoredAndTheDatabaseStaysSound) {
  // SQLite widened its CHECK by editing the schema text (migration 0014): the file must still
  // pass integrity_check, and a role outside the list is still refused by the database.
  auto db = store::open_database(app_->database_url(), 1, "FULL");
  EXPECT_TRUE(store::integrity_problems(*db).empty());
  auto bad = [](store::Connection& c) {
    c.execute("UPDATE users SET role = 'chef' WHERE email = 'counter@tiptop.in'");
  };
  EXPECT_ANY_THROW(db->transaction_sync(bad));
  auto role = [](store::Connection& c) {
    return c.query("SELECT role FROM users WHERE email = 'counter@tiptop.in'").rows.at(0).text("role");
  };
  EXPECT_EQ(db->read_sync(role), "staff");
}

INSTANTIATE_TEST_SUITE_P(Engines, Staff, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
