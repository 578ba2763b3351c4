// Issue 21 on both engines: UPI at the door (the order's upi:// link, the rider recording cash or
// UPI with its reference, the shift keeping UPI apart from cash, settlement counting cash only,
// revenue by how it was paid) and tips (at checkout on the bill, at the door, capped by a setting,
// credited to the rider in the ledger, reported per rider). Every refusal changes nothing.
#include <gtest/gtest.h>

#include "core/money.hpp"
#include "support/delivery_fixture.hpp"

using namespace tiptop;
using namespace tiptop::testing;
namespace bj = boost::json;

namespace {

money::Paise paise(const bj::value& v) { return money::from_json(v).value(); }

class DoorPayment : public DeliveryFixture {
 protected:
  void SetUp() override {
    DeliveryFixture::SetUp();
    if (IsSkipped()) return;
    ASSERT_EQ(call("PUT", "/api/v1/admin/settings", admin_,
                   R"({"upiId":"tiptop.kitchen@okaxis","restaurantName":"TipTop Biryani & Co","maxTip":100,
                       "contactPhone":"9800000001","address":"14 MG Road, Bengaluru"})")
                  .status,
              200);
  }
  // A partner on shift with a ₹500 float, holding `o` out for delivery.
  void ride(const Partner& p, const bj::object& o) {
    const auto id = str(o.at("_id"));
    EXPECT_EQ(call("PUT", "/api/v1/delivery/orders/" + id + "/accept", p.token).status, 200);
    auto out = call("PUT", "/api/v1/delivery/orders/" + id + "/status", p.token, R"({"status":"out-for-delivery"})");
    EXPECT_EQ(out.status, 200) << out.body;
  }
  HttpResult deliver_with(const Partner& p, const bj::object& o, const std::string& members) {
    return call("PUT", "/api/v1/delivery/orders/" + str(o.at("_id")) + "/status", p.token,
                R"({"status":"delivered")" + members + "}");
  }
  bj::object fetch(const bj::object& o) {
    return call("GET", "/api/v1/orders/" + str(o.at("_id")), admin_).json().at("data").as_object();
  }
  std::int64_t ledger_rows(const std::string& session_id) {
    return ledger("sessionId=" + session_id).at("meta").at("pagination").at("total").as_int64();
  }
};

}  // namespace

TEST_P(DoorPayment, AUpiOrderCarriesItsLinkAndIsPaidByUpiAtTheDoor) {
  auto rider = partner("upi");
  ASSERT_EQ(call("POST", "/api/v1/delivery/sessions/start", rider.token, R"({"changeFund":500})").status, 201);
  auto o = order("ready", "UPI", 8, R"(,"tip":20)");
  const auto total = paise(o.at("pricing").at("finalAmount"));
  EXPECT_EQ(paise(o.at("pricing").at("tip")), 2000);
  // The tip is on the bill after tax: the final amount is the rest of the bill plus ₹20.
  const auto& pr = o.at("pricing");
  EXPECT_EQ(total, paise(pr.at("itemsTotal")) - paise(pr.at("discount")) + paise(pr.at("tax")) +
                       paise(pr.at("deliveryFee")) + 2000);
  EXPECT_EQ(str(o.at("upiLink")), "upi://pay?pa=tiptop.kitchen@okaxis&pn=TipTop%20Biryani%20%26%20Co&am=" +
                                      money::format_rupees(total) + "&tn=" + str(o.at("orderNumber")) + "&cu=INR");
  EXPECT_EQ(paise(o.at("cashCollection").at("expected")), total);
  ride(rider, o);
  // The rider's view has the link too (their screen shows it as a QR code).
  auto mine = call("GET", "/api/v1/delivery/active", rider.token).json().at("data").at("assigned").at(0);
  EXPECT_EQ(mine.at("upiLink"), o.at("upiLink"));

  const auto before = session(rider);
  const auto rows = ledger_rows(str(before.at("_id")));
  // Each refusal names its field and changes nothing.
  for (auto [members, field] : std::vector<std::pair<std::string, std::string>>{
           {R"(,"paidBy":"upi")", "upiReference"},
           {R"(,"paidBy":"upi","upiReference":"12-34")", "upiReference"},
           {R"(,"paidBy":"upi","upiReference":"412345678901","cashCollected":10)", "cashCollected"},
           {R"(,"upiReference":"412345678901","cashCollected":10)", "upiReference"},
           {R"(,"paidBy":"card","upiReference":"412345678901")", "paidBy"},
           {R"()", "cashCollected"},
           {R"(,"paidBy":"upi","upiReference":"412345678901","tip":101)", "tip"}}) {
    auto r = deliver_with(rider, o, members);
    EXPECT_EQ(r.status, 400) << members << " " << r.body;
    EXPECT_EQ(code(r), "VALIDATION_ERROR") << members;
    EXPECT_EQ(str(r.json().at("error").at("details").at(0).at("field")), field) << members;
  }
  EXPECT_EQ(str(fetch(o).at("status")), "out-for-delivery");
  EXPECT_EQ(session(rider), before);
  EXPECT_EQ(ledger_rows(str(before.at("_id"))), rows);

  // Paid by UPI with ₹10 more as a tip at the door.
  auto done = deliver_with(rider, o, R"(,"paidBy":"upi","upiReference":"412345678901","tip":10)");
  ASSERT_EQ(done.status, 200) << done.body;
  auto paid = fetch(o);
  EXPECT_EQ(str(paid.at("paymentStatus")), "paid");
  EXPECT_EQ(str(paid.at("cashCollection").at("paidBy")), "upi");
  EXPECT_EQ(str(paid.at("cashCollection").at("upiReference")), "412345678901");
  EXPECT_TRUE(paid.at("cashCollection").at("collected").is_null());  // no cash changed hands
  EXPECT_EQ(paise(paid.at("doorTip")), 1000);

  // The shift: UPI apart, no cash; ₹30 of tips credited, so the rider hands over the float less them.
  auto s = session(rider);
  EXPECT_EQ(paise(s.at("totalUpi")), total + 1000);
  EXPECT_EQ(paise(s.at("totalCollected")), 0);
  EXPECT_EQ(paise(s.at("totalTips")), 3000);
  EXPECT_EQ(paise(s.at("cashInHand")), 50000 - 3000);
  EXPECT_EQ(str(s.at("cashOrders").at(0).at("paidBy")), "upi");
  auto l = ledger("sessionId=" + str(s.at("_id")));
  const auto& totals = l.at("meta").at("totals");
  EXPECT_EQ(paise(totals.at("upi_collected")), total + 1000);
  EXPECT_EQ(totals.at("tip").to_number<double>(), -30.0);
  EXPECT_EQ(totals.at("collected"), bj::value(0));
  EXPECT_EQ(paise(totals.at("balance")), 50000 - 3000);  // the UPI never passed through the rider's hands

  // Settlement counts cash only: ₹470 handed over squares the shift.
  auto settled = settle(str(s.at("_id")), "470");
  ASSERT_EQ(settled.status, 200) << settled.body;
  EXPECT_EQ(paise(settled.json().at("data").at("settlement").at("discrepancy")), 0);

  // Reported per rider; revenue by how it was paid, without the rider's tip.
  auto stats = call("GET", "/api/v1/admin/delivery-partners/stats", admin_).json().at("data");
  for (const auto& row : stats.as_array())
    if (str(row.at("deliveryPartner").at("_id")) == rider.id) {
      EXPECT_EQ(paise(row.at("tips")), 3000);
      EXPECT_EQ(paise(row.at("upiCollected")), total + 1000);
      EXPECT_EQ(paise(row.at("cashCollected")), 0);
    }
  auto desk = call("GET", "/api/v1/admin/orders/stats", admin_).json().at("data");
  EXPECT_EQ(paise(desk.at("revenue").at("upi")), total - 2000) << desk;
}

TEST_P(DoorPayment, CashWithATipAtTheDoorAndACodOrderPaidByUpi) {
  auto rider = partner("cash");
  ASSERT_EQ(call("POST", "/api/v1/delivery/sessions/start", rider.token, R"({"changeFund":200})").status, 201);
  auto cod = order();
  auto by_upi = order();
  const auto a = paise(cod.at("pricing").at("finalAmount")), b = paise(by_upi.at("pricing").at("finalAmount"));
  EXPECT_TRUE(cod.at("upiLink").is_null());  // a COD order has none: the rider asks for cash
  ride(rider, cod);
  ride(rider, by_upi);
  // Cash counted includes the ₹25 tip; it cannot be less than the tip it includes.
  auto short_cash = deliver_with(rider, cod, R"(,"cashCollected":20,"tip":25)");
  EXPECT_EQ(short_cash.status, 400);
  EXPECT_EQ(str(short_cash.json().at("error").at("details").at(0).at("field")), "cashCollected");
  const auto counted = money::format_rupees(a + 2500);
  ASSERT_EQ(deliver_with(rider, cod, R"(,"cashCollected":)" + counted + R"(,"tip":25)").status, 200);
  // A COD customer who pays by UPI at the door instead: the rider records it so.
  ASSERT_EQ(deliver_with(rider, by_upi, R"(,"paidBy":"upi","upiReference":"UTR998877")").status, 200);
  EXPECT_EQ(str(fetch(by_upi).at("cashCollection").at("paidBy")), "upi");
  EXPECT_EQ(str(fetch(cod).at("cashCollection").at("paidBy")), "cash");

  auto s = session(rider);
  EXPECT_EQ(paise(s.at("totalCollected")), a + 2500);
  EXPECT_EQ(paise(s.at("totalUpi")), b);
  EXPECT_EQ(paise(s.at("totalTips")), 2500);
  EXPECT_EQ(paise(s.at("cashInHand")), 20000 + a);  // the tip in cash is the rider's own
  auto settled = settle(str(s.at("_id")), money::format_rupees(20000 + a));
  ASSERT_EQ(settled.status, 200) << settled.body;
  EXPECT_EQ(paise(settled.json().at("data").at("settlement").at("discrepancy")), 0);

  auto desk = call("GET", "/api/v1/admin/orders/stats", admin_).json().at("data");
  EXPECT_EQ(paise(desk.at("revenue").at("cod")), a) << desk;
  EXPECT_EQ(paise(desk.at("revenue").at("upi")), b) << desk;
}

TEST_P(DoorPayment, TipsAreCappedAndOnlyForDeliveryAndUpiNeedsTheRestaurantsId) {
  const auto placed_before = call("GET", "/api/v1/orders", asha_).json().at("meta").at("pagination").at("total");
  auto try_order = [&](const std::string& extra, const std::string& payment = "COD") {
    return call("POST", "/api/v1/orders", asha_,
                R"({"items":[{"menuItem":")" + naan_ +
                    R"(","quantity":8,"customizations":[{"name":"Topping","options":["Butter"]}]}],
                    "deliveryAddress":{"street":"12 Residency Road","city":"Bengaluru","coordinates":[77.61,12.97]},
                    "paymentMethod":")" +
                    payment + "\"" + extra + "}");
  };
  auto over = try_order(R"(,"tip":100.01)");
  EXPECT_EQ(over.status, 400);
  EXPECT_NE(over.body.find("at most ₹100.00"), std::string::npos) << over.body;
  auto takeaway = try_order(R"(,"tip":10,"orderType":"takeaway")");
  EXPECT_EQ(takeaway.status, 400);
  EXPECT_EQ(str(takeaway.json().at("error").at("details").at(0).at("field")), "tip");
  EXPECT_EQ(try_order(R"(,"tip":-1)").status, 400);
  EXPECT_EQ(try_order(R"(,"tip":1.005)").status, 400);
  // The quote shows the same tip and refuses the same way.
  auto quote = call("POST", "/api/v1/orders/quote", asha_,
                    R"({"items":[{"menuItem":")" + naan_ +
                        R"(","quantity":1,"customizations":[{"name":"Topping","options":["Butter"]}]}],
                        "deliveryAddress":{"street":"1 MG Road","city":"Bengaluru","coordinates":[77.61,12.97]},"tip":15})");
  ASSERT_EQ(quote.status, 200) << quote.body;
  EXPECT_EQ(paise(quote.json().at("data").at("pricing").at("tip")), 1500);

  // No tips taken, and no UPI id: both refused by name.
  ASSERT_EQ(call("PUT", "/api/v1/admin/settings", admin_, R"({"maxTip":0,"upiId":null})").status, 200);
  auto no_tips = try_order(R"(,"tip":1)");
  EXPECT_EQ(no_tips.status, 400);
  EXPECT_NE(no_tips.body.find("is not taken"), std::string::npos) << no_tips.body;
  auto no_upi = try_order("", "UPI");
  EXPECT_EQ(no_upi.status, 400);
  EXPECT_EQ(code(no_upi), "PAYMENT_METHOD_UNAVAILABLE");
  EXPECT_EQ(call("GET", "/api/v1/orders", asha_).json().at("meta").at("pagination").at("total"), placed_before);
  // The settings refuse what is not a UPI id.
  auto bad_id = call("PUT", "/api/v1/admin/settings", admin_, R"({"upiId":"not a vpa"})");
  EXPECT_EQ(bad_id.status, 400);
  EXPECT_EQ(str(bad_id.json().at("error").at("details").at(0).at("field")), "upiId");
  // Customers see how to reach the restaurant and the tip limit; the kitchen's location stays private.
  auto pub = HttpClient(app_->port()).get("/api/v1/settings").json().at("data");
  EXPECT_EQ(str(pub.at("contactPhone")), "9800000001");
  EXPECT_EQ(str(pub.at("address")), "14 MG Road, Bengaluru");
  EXPECT_EQ(pub.at("maxTip"), bj::value(0));
  EXPECT_FALSE(pub.as_object().contains("location"));
}

TEST_P(DoorPayment, APrepaidOrdersTipInCashIsTheRidersAndTheBalanceStaysSquare) {
  auto rider = partner("prepaid");
  ASSERT_EQ(call("POST", "/api/v1/delivery/sessions/start", rider.token, R"({"changeFund":100})").status, 201);
  // A counter order paid in cash at the counter, delivered by the rider.
  auto staff = call("POST", "/api/v1/admin/orders", admin_,
                    R"({"items":[{"menuItem":")" + naan_ +
                        R"(","quantity":2,"customizations":[{"name":"Topping","options":["Butter"]}]}],
                        "orderType":"delivery","paymentMethod":"CASH","customer":{"name":"Farah","phone":"9811122233"},
                        "deliveryAddress":{"street":"3 Church Street","city":"Bengaluru","coordinates":[77.60,12.975]}})",
                    "counter-prepaid-1");
  ASSERT_EQ(staff.status, 201) << staff.body;
  const auto id = str(staff.json().at("data").at("_id"));
  ASSERT_EQ(call("PUT", "/api/v1/admin/orders/" + id, admin_, R"({"status":"preparing"})").status, 200);
  ASSERT_EQ(call("PUT", "/api/v1/admin/orders/" + id, admin_, R"({"status":"ready"})").status, 200);
  auto o = fetch(staff.json().at("data").as_object());
  ride(rider, o);
  // Paid already: no cash to count, and UPI only for a tip.
  EXPECT_EQ(deliver_with(rider, o, R"(,"cashCollected":10)").status, 400);
  EXPECT_EQ(str(deliver_with(rider, o, R"(,"paidBy":"upi","upiReference":"UTR123456")")
                    .json()
                    .at("error")
                    .at("details")
                    .at(0)
                    .at("field")),
            "paidBy");
  ASSERT_EQ(deliver_with(rider, o, R"(,"tip":40)").status, 200);
  auto s = session(rider);
  EXPECT_EQ(paise(s.at("totalTips")), 4000);
  EXPECT_EQ(paise(s.at("totalCollected")), 4000);
  EXPECT_EQ(paise(s.at("cashInHand")), 10000);  // the float back; the ₹40 is theirs
  auto totals = ledger("sessionId=" + str(s.at("_id"))).at("meta").at("totals");
  EXPECT_EQ(paise(totals.at("balance")), 10000);
}

INSTANTIATE_TEST_SUITE_P(Engines, DoorPayment, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
