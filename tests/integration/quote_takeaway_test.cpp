// Issue 21, quotes and takeaway, on both engines: a quote is the bill placing would charge (30
// varied carts, placed right after), lists every rule a cart breaks and writes nothing; a takeaway
// has no address, fee or rider and is handed over at the counter as "delivered".
#include <gtest/gtest.h>

#include <random>

#include "core/json.hpp"
#include "support/order_fixture.hpp"

using namespace tiptop;
using namespace tiptop::testing;
namespace bj = boost::json;

namespace {

class Quotes : public OrderFixture {
 protected:
  // Every dish of the demo menu, with its customization groups.
  bj::array menu() {
    auto r = HttpClient(app_->port()).get("/api/v1/menu/items?limit=100");
    return r.json().at("data").as_array();
  }
  // A line for `item` choosing, for each group, the (n-th) option when required or now and then.
  static bj::object line(const bj::object& item, int quantity, unsigned n) {
    bj::array chosen;
    for (const auto& g : item.at("customizations").as_array()) {
      const auto& group = g.as_object();
      const auto& options = group.at("options").as_array();
      if (options.empty() || (!group.at("required").as_bool() && (n % 3) != 0)) continue;
      bj::array picks{options[n % options.size()].at("label")};
      if (group.at("multiple").as_bool() && options.size() > 1)
        picks.push_back(options[(n + 1) % options.size()].at("label"));
      chosen.push_back(bj::object{{"name", group.at("name")}, {"options", std::move(picks)}});
    }
    return {{"menuItem", item.at("_id")}, {"quantity", quantity}, {"customizations", std::move(chosen)}};
  }
  std::int64_t promo_uses(const std::string& code) {
    const auto codes = call("GET", "/api/v1/admin/promo-codes", admin_).json();
    for (const auto& p : codes.at("data").as_array())
      if (str(p.at("code")) == code) return p.at("usedCount").as_int64();
    return -1;
  }
};

const std::string kAddress =
    R"("deliveryAddress":{"street":"1 MG Road","city":"Bengaluru","coordinates":[77.6,12.97]})";

}  // namespace

TEST_P(Quotes, AQuoteIsTheBillPlacingChargesForThirtyVariedCarts) {
  call(
      "PUT", "/api/v1/admin/settings", admin_,
      R"({"location":{"coordinates":[77.59,12.97]},"taxRate":5,"delivery":{"baseFee":30,"perKmFee":12,"freeAbove":900,"maxRadiusKm":20}})");
  ASSERT_EQ(call("POST", "/api/v1/admin/promo-codes", admin_,
                 R"({"code":"TENOFF","type":"percent","value":10,"maxDiscount":75})")
                .status,
            201);
  ASSERT_EQ(call("POST", "/api/v1/admin/promo-codes", admin_,
                 R"({"code":"FLAT40","type":"flat","value":40,"minOrderAmount":200})")
                .status,
            201);
  const auto dishes = menu();
  ASSERT_GE(dishes.size(), 10u);
  std::mt19937 rng(20261207), tips(21);
  int refused = 0;
  for (int cart = 0; cart < 30; ++cart) {
    bj::array items;
    const int lines = 1 + static_cast<int>(rng() % 4);
    for (int l = 0; l < lines; ++l)
      items.push_back(line(dishes[rng() % dishes.size()].as_object(), 1 + static_cast<int>(rng() % 4), rng()));
    bj::object body{{"items", std::move(items)}, {"paymentMethod", "COD"}};
    if (cart % 3 == 0) {
      body["orderType"] = "takeaway";
    } else {
      // From next door to 15 km out: the per-km fee and the free-delivery threshold both vary.
      const double lng = 77.59 + static_cast<double>(rng() % 1300) / 10000.0;
      body["deliveryAddress"] = bj::object{
          {"street", "Lane " + std::to_string(cart)}, {"city", "Bengaluru"}, {"coordinates", bj::array{lng, 12.97}}};
    }
    // Tips for the rider on some delivery carts, in rupees and paise (their own draws: the carts stay as they were).
    if (cart % 3 != 0 && cart % 2 == 0) body["tip"] = bj::value(static_cast<double>(tips() % 5001) / 100.0);
    if (cart % 4 == 1) body["promoCode"] = "tenoff";
    if (cart % 4 == 2) body["promoCode"] = "FLAT40";
    const auto text = json::serialize(body);
    auto quote = call("POST", "/api/v1/orders/quote", asha_, text);
    ASSERT_EQ(quote.status, 200) << quote.body;
    const auto q = quote.json().at("data").as_object();
    auto placed = call("POST", "/api/v1/orders", asha_, text);
    if (!q.at("canPlace").as_bool()) {
      // A cart the quote says cannot be placed is refused, for a reason the quote gave.
      std::set<std::string> codes;
      for (const auto& p : q.at("problems").as_array()) codes.insert(str(p.at("code")));
      EXPECT_TRUE(codes.contains(error_code(placed))) << text << "\n" << quote.body << "\n" << placed.body;
      ++refused;
      continue;
    }
    ASSERT_EQ(placed.status, 201) << placed.body;
    const auto o = placed.json().at("data").as_object();
    EXPECT_EQ(q.at("pricing"), o.at("pricing")) << "cart " << cart << ": " << text;
    EXPECT_EQ(q.at("items"), o.at("items")) << "cart " << cart;
    EXPECT_EQ(q.at("orderType"), o.at("orderType"));
  }
  EXPECT_LE(refused, 5) << "most carts should be placeable, or the comparison tests little";
  EXPECT_GE(refused, 1) << "no cart tested the quote's refusal";
}

TEST_P(Quotes, AQuoteListsEveryProblemAndWritesNothing) {
  ASSERT_EQ(
      call("POST", "/api/v1/admin/promo-codes", admin_, R"({"code":"ONCE","type":"flat","value":20,"usageLimit":5})")
          .status,
      201);
  call("PATCH", "/api/v1/admin/menu/items/" + naan_ + "/availability", admin_, R"({"isAvailable":false})");
  call(
      "PUT", "/api/v1/admin/settings", admin_,
      R"({"isOpen":false,"closedReason":"Closed for Diwali","minimumOrderAmount":5000,"location":{"coordinates":[78.4867,17.385]},"delivery":{"maxRadiusKm":8}})");
  auto body = order_body();
  body.insert(body.size() - 1, R"(,"promoCode":"NOSUCH")");
  auto r = call("POST", "/api/v1/orders/quote", asha_, body);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto q = r.json().at("data").as_object();
  EXPECT_FALSE(q.at("canPlace").as_bool());
  std::set<std::string> codes;
  for (const auto& p : q.at("problems").as_array()) codes.insert(str(p.at("code")));
  EXPECT_EQ(codes, (std::set<std::string>{"RESTAURANT_CLOSED", "OUTSIDE_DELIVERY_AREA", "ITEMS_UNAVAILABLE",
                                          "BELOW_MINIMUM_ORDER", "INVALID_PROMO_CODE"}))
      << r.body;
  for (const auto& p : q.at("problems").as_array()) {
    if (p.at("code") == "ITEMS_UNAVAILABLE") EXPECT_EQ(p.at("details").at(0).at("field"), "items[1].menuItem");
  }
  // The bill of what can be had: the biryani alone (the naan is sold out), no promo.
  EXPECT_EQ(q.at("pricing").at("promoCode"), nullptr);
  EXPECT_EQ(q.at("items").as_array().size(), 1u);
  // Placing the same cart is refused with the first of them; nothing was written either way.
  EXPECT_EQ(error_code(call("POST", "/api/v1/orders", asha_, body)), "RESTAURANT_CLOSED");
  EXPECT_EQ(my_order_count(asha_), 0);

  call(
      "PUT", "/api/v1/admin/settings", admin_,
      R"({"isOpen":true,"minimumOrderAmount":0,"location":{"coordinates":[77.59,12.97]},"delivery":{"maxRadiusKm":20}})");
  call("PATCH", "/api/v1/admin/menu/items/" + naan_ + "/availability", admin_, R"({"isAvailable":true})");
  auto promo = order_body();
  promo.insert(promo.size() - 1, R"(,"promoCode":"once")");
  for (int i = 0; i < 3; ++i) {
    auto ok = call("POST", "/api/v1/orders/quote", asha_, promo);
    EXPECT_TRUE(ok.json().at("data").at("canPlace").as_bool()) << ok.body;
    EXPECT_EQ(ok.json().at("data").at("pricing").at("discount"), 20);
  }
  EXPECT_EQ(promo_uses("ONCE"), 0);  // quoting never takes a use
  EXPECT_EQ(my_order_count(asha_), 0);
}

TEST_P(Quotes, GuestsQuoteWithoutAnAccountButNotWithSomeonesAddress) {
  HttpClient guest(app_->port());
  auto r = guest.post_json("/api/v1/orders/quote", order_body());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json().at("data").at("canPlace").as_bool());
  auto saved = call("POST", "/api/v1/users/me/addresses", asha_,
                    R"({"street":"2 Brigade Rd","city":"Bengaluru","coordinates":[77.6,12.97]})");
  const auto address_id = str(saved.json().at("data").at("addresses").at(0).at("_id"));
  const std::string with_saved =
      R"({"items":[{"menuItem":")" + naan_ +
      R"(","quantity":1,"customizations":[{"name":"Topping","options":["Plain"]}]}],"deliveryAddress":{"addressId":")" +
      address_id + R"("}})";
  auto anonymous = HttpClient(app_->port()).post_json("/api/v1/orders/quote", with_saved);
  EXPECT_EQ(anonymous.status, 400);
  EXPECT_EQ(first_field(anonymous), "deliveryAddress.addressId");
  EXPECT_EQ(first_field(call("POST", "/api/v1/orders/quote", ravi_, with_saved)), "deliveryAddress.addressId");
  auto own = call("POST", "/api/v1/orders/quote", asha_, with_saved);
  EXPECT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(own.json().at("data").at("deliveryAddress").at("street"), "2 Brigade Rd");
  // A token that is sent must be good: a stale one is a 401 to refresh, not a guest's answer.
  EXPECT_EQ(call("POST", "/api/v1/orders/quote", "not.a.token", order_body()).status, 401);
  EXPECT_EQ(call("POST", "/api/v1/orders/quote", admin_, order_body()).status, 403);
  // Malformed carts are refused as placing refuses them.
  EXPECT_EQ(first_field(guest.post_json("/api/v1/orders/quote", R"({"items":[]})")), "items");
  EXPECT_EQ(first_field(
                guest.post_json("/api/v1/orders/quote",
                                R"({"items":[{"menuItem":")" + naan_ +
                                    R"(","quantity":1,"customizations":[{"name":"Topping","options":["Plain"]}]}]})")),
            "deliveryAddress");
}

TEST_P(Quotes, ATakeawayHasNoAddressFeeOrRiderAndIsCollectedAtTheCounter) {
  call("PUT", "/api/v1/admin/settings", admin_, R"({"delivery":{"baseFee":30,"freeAbove":null}})");
  const std::string body =
      R"({"orderType":"takeaway","items":[{"menuItem":")" + naan_ +
      R"(","quantity":2,"customizations":[{"name":"Topping","options":["Butter"]}]}],"paymentMethod":"COD"})";
  auto placed = call("POST", "/api/v1/orders", asha_, body);
  ASSERT_EQ(placed.status, 201) << placed.body;
  const auto o = placed.json().at("data");
  const auto id = str(o.at("_id"));
  EXPECT_EQ(o.at("orderType"), "takeaway");
  EXPECT_EQ(o.at("pricing").at("deliveryFee"), 0);
  EXPECT_EQ(o.at("deliveryAddress"), bj::object{});
  // A delivery order still needs its address.
  auto no_address =
      call("POST", "/api/v1/orders", asha_,
           R"({"items":[{"menuItem":")" + naan_ +
               R"(","quantity":2,"customizations":[{"name":"Topping","options":["Butter"]}]}],"paymentMethod":"COD"})");
  EXPECT_EQ(first_field(no_address), "deliveryAddress");

  for (const char* status : {"confirmed", "preparing", "ready"})
    ASSERT_EQ(call("PUT", "/api/v1/admin/orders/" + id, admin_, std::string(R"({"status":")") + status + "\"}").status,
              200);
  // No rider: it is not offered, not assignable, and it does not go out.
  auto assign = call("PUT", "/api/v1/admin/orders/" + id + "/assign-delivery", admin_, R"({"nearest":true})");
  EXPECT_EQ(error_code(assign), "TAKEAWAY_ORDER") << assign.body;
  auto out = call("PUT", "/api/v1/admin/orders/" + id, admin_, R"({"status":"out-for-delivery"})");
  EXPECT_EQ(error_code(out), "INVALID_STATUS_TRANSITION");
  // The customer is told it is ready for pick-up.
  bool told = false;
  const auto notifications = call("GET", "/api/v1/notifications", asha_).json();
  for (const auto& n : notifications.at("data").as_array()) told = told || n.at("title") == "Ready for pick-up";
  EXPECT_TRUE(told);
  // Handed over at the counter: "delivered", with the note every client can show.
  auto handed = call("PUT", "/api/v1/admin/orders/" + id, admin_, R"({"status":"delivered"})");
  ASSERT_EQ(handed.status, 200) << handed.body;
  const auto history = handed.json().at("data").at("statusHistory").as_array();
  EXPECT_EQ(history.back().at("status"), "delivered");
  EXPECT_EQ(history.back().at("notes"), "collected at counter");
  EXPECT_EQ(handed.json().at("data").at("paymentStatus"), "paid");  // paid at the counter on pick-up
  // A delivery order cannot skip the road.
  auto delivery = call("POST", "/api/v1/orders", asha_, order_body());
  const auto did = str(delivery.json().at("data").at("_id"));
  for (const char* status : {"confirmed", "preparing", "ready"})
    call("PUT", "/api/v1/admin/orders/" + did, admin_, std::string(R"({"status":")") + status + "\"}");
  EXPECT_EQ(error_code(call("PUT", "/api/v1/admin/orders/" + did, admin_, R"({"status":"delivered"})")),
            "INVALID_STATUS_TRANSITION");
  // The desk filters by type.
  auto takeaways = call("GET", "/api/v1/admin/orders?orderType=takeaway", admin_);
  ASSERT_EQ(takeaways.status, 200) << takeaways.body;
  ASSERT_EQ(takeaways.json().at("data").as_array().size(), 1u);
  EXPECT_EQ(str(takeaways.json().at("data").at(0).at("_id")), id);
}

INSTANTIATE_TEST_SUITE_P(Engines, Quotes, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
