// Issue 22, the kitchen's board and bulk actions on both engines: open orders by status with
// their ages and today's counts; several orders moved or assigned in one call, one result each,
// a refusal of one leaving the others.
#include <gtest/gtest.h>

#include "support/order_fixture.hpp"

using namespace tiptop;
using namespace tiptop::testing;
namespace bj = boost::json;

namespace {

class Board : public OrderFixture {
 protected:
  std::string place(const std::string& token) {
    auto r = call("POST", "/api/v1/orders", token, order_body());
    EXPECT_EQ(r.status, 201) << r.body;
    return str(r.json().at("data").at("_id"));
  }
  bj::object board(const std::string& token) {
    auto r = call("GET", "/api/v1/admin/orders/board", token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().at("data").as_object();
  }
  std::string status_of(const std::string& id) {
    return str(call("GET", "/api/v1/orders/" + id, admin_).json().at("data").at("status"));
  }
};

}  // namespace

TEST_P(Board, OpenOrdersByStatusWithAgesAndTodaysCounts) {
  const auto a = place(asha_), b = place(ravi_), c = place(asha_);
  ASSERT_EQ(call("PUT", "/api/v1/admin/orders/" + b, admin_, R"({"status":"confirmed"})").status, 200);
  ASSERT_EQ(call("PUT", "/api/v1/admin/orders/" + c, admin_, R"({"status":"cancelled","notes":"no rider"})").status,
            200);
  const auto staff = staff_member();
  auto d = board(staff);  // the counter's home screen: staff read it
  const auto& cols = d.at("columns").as_object();
  ASSERT_EQ(cols.at("pending").as_array().size(), 1u);
  ASSERT_EQ(cols.at("confirmed").as_array().size(), 1u);
  EXPECT_TRUE(cols.at("preparing").as_array().empty());
  const auto& card = cols.at("pending").at(0).as_object();
  EXPECT_EQ(str(card.at("_id")), a);
  EXPECT_EQ(str(card.at("customerName")), "Asha");
  EXPECT_EQ(card.at("itemCount"), bj::value(5));  // 2 biryanis and 3 naans
  EXPECT_EQ(str(card.at("orderType")), "delivery");
  EXPECT_EQ(card.at("ageMinutes"), bj::value(0));
  EXPECT_FALSE(card.at("late").as_bool());
  EXPECT_EQ(str(cols.at("confirmed").at(0).at("_id")), b);
  const auto& counts = d.at("counts").as_object();
  EXPECT_EQ(counts.at("pending"), bj::value(1));
  EXPECT_EQ(counts.at("confirmed"), bj::value(1));
  EXPECT_EQ(counts.at("cancelledToday"), bj::value(1));
  EXPECT_EQ(counts.at("deliveredToday"), bj::value(0));
  // Customers and riders do not see the kitchen's board.
  EXPECT_EQ(call("GET", "/api/v1/admin/orders/board", asha_).status, 403);
}

TEST_P(Board, BulkMovesAndAssignsAnswerEachOrderAndARefusalLeavesTheRest) {
  const auto a = place(asha_), b = place(ravi_), c = place(asha_);
  ASSERT_EQ(call("PUT", "/api/v1/admin/orders/" + a, admin_, R"({"status":"confirmed"})").status, 200);
  ASSERT_EQ(call("PUT", "/api/v1/admin/orders/" + b, admin_, R"({"status":"confirmed"})").status, 200);
  const std::string missing = "0123456789abcdef01234567";
  const auto staff = staff_member();
  // c is still pending: it cannot skip to preparing; the unknown id is not found; a and b move.
  auto r = call("POST", "/api/v1/admin/orders/bulk/status", staff,
                R"({"orderIds":[")" + a + R"(",")" + c + R"(",")" + missing + R"(",")" + b + R"(",")" + a +
                    R"("],"status":"preparing"})");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto answer = r.json();  // (json() makes a new value: keep it while reading into it)
  const auto& results = answer.at("data").as_array();
  ASSERT_EQ(results.size(), 4u);  // a repeated id is answered once
  EXPECT_TRUE(results[0].at("success").as_bool());
  EXPECT_EQ(str(results[0].at("data").at("status")), "preparing");
  EXPECT_FALSE(results[1].at("success").as_bool());
  EXPECT_EQ(results[1].at("status"), bj::value(409));
  EXPECT_EQ(str(results[1].at("error").at("code")), "INVALID_STATUS_TRANSITION");
  EXPECT_EQ(results[2].at("status"), bj::value(404));
  EXPECT_TRUE(results[3].at("success").as_bool());
  EXPECT_EQ(status_of(a), "preparing");
  EXPECT_EQ(status_of(b), "preparing");
  EXPECT_EQ(status_of(c), "pending");

  // Assign: to a named partner, each order answered; a takeaway is refused by name.
  auto partner = call("POST", "/api/v1/admin/delivery-partners", admin_,
                      R"({"email":"rider@tiptop.in","phone":"9700000001","password":"kitchen-boss-2024",
                          "firstName":"Raju"})");
  ASSERT_EQ(partner.status, 201) << partner.body;
  const auto rider = str(partner.json().at("data").at("_id"));
  auto given = call("POST", "/api/v1/admin/orders/bulk/assign", staff,
                    R"({"orderIds":[")" + a + R"(",")" + b + R"("],"deliveryPartnerId":")" + rider + R"("})");
  ASSERT_EQ(given.status, 200) << given.body;
  const auto given_answer = given.json();
  for (const auto& one : given_answer.at("data").as_array()) {
    EXPECT_TRUE(one.at("success").as_bool()) << one;
    EXPECT_EQ(str(one.at("data").at("deliveryPartner").at("id")), rider);
  }
  // Nearest needs the restaurant's location: every order says why.
  auto nearest =
      call("POST", "/api/v1/admin/orders/bulk/assign", staff, R"({"orderIds":[")" + c + R"("],"nearest":true})");
  EXPECT_EQ(str(nearest.json().at("data").at(0).at("error").at("code")), "RESTAURANT_LOCATION_UNKNOWN");

  // The body itself is checked first, and then nothing is done.
  for (const auto& [body, field] : std::vector<std::pair<std::string, std::string>>{
           {R"({"orderIds":[],"status":"ready"})", "orderIds"},
           {R"({"orderIds":["x"],"status":"ready"})", "orderIds[0]"},
           {R"({"orderIds":[")" + a + R"("],"status":"eaten"})", "status"}}) {
    auto bad = call("POST", "/api/v1/admin/orders/bulk/status", staff, body);
    EXPECT_EQ(bad.status, 400) << body;
    EXPECT_EQ(first_field(bad), field) << bad.body;
  }
  std::string many = R"({"status":"ready","orderIds":[)";
  for (int i = 0; i < 51; ++i) many += std::string(i ? "," : "") + "\"" + a + "\"";
  EXPECT_EQ(call("POST", "/api/v1/admin/orders/bulk/status", staff, many + "]}").status, 400);
  EXPECT_EQ(error_code(call("POST", "/api/v1/admin/orders/bulk/assign", staff,
                            R"({"orderIds":[")" + a + R"("],"nearest":true,"deliveryPartnerId":")" + rider + R"("})")),
            "VALIDATION_ERROR");
  EXPECT_EQ(status_of(a), "preparing");
  EXPECT_EQ(call("POST", "/api/v1/admin/orders/bulk/status", asha_, R"({"orderIds":[")" + a + R"("],"status":"ready"})")
                .status,
            403);
}

INSTANTIATE_TEST_SUITE_P(Engines, Board, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
