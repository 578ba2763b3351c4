// Issue 22, point 6, on both engines: a customer's "order again" — the dishes they order most,
// and an old order rebuilt for today's menu and quoted at today's prices (what placing it charges).
#include <gtest/gtest.h>

#include "core/json.hpp"
#include "support/order_fixture.hpp"

using namespace tiptop;
using namespace tiptop::testing;
namespace bj = boost::json;

namespace {

class OrderAgain : public OrderFixture {
 protected:
  std::string place(const std::string& token, const std::string& body) {
    auto r = call("POST", "/api/v1/orders", token, body);
    EXPECT_EQ(r.status, 201) << r.body;
    return str(r.json().at("data").at("_id"));
  }
  bj::object reorder(const std::string& token, const std::string& id) {
    auto r = call("POST", "/api/v1/orders/" + id + "/reorder", token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().at("data").as_object();
  }
};

}  // namespace

TEST_P(OrderAgain, AnOldOrderIsQuotedAtTodaysPricesAndPlacingItsCartChargesTheQuote) {
  const auto id = place(asha_, order_body());
  ASSERT_EQ(call("PUT", "/api/v1/admin/menu/items/" + biryani_, admin_, R"({"price":420})").status, 200);

  auto again = reorder(asha_, id);
  const auto& cart = again.at("cart").as_object();
  ASSERT_EQ(cart.at("items").as_array().size(), 2u);
  EXPECT_EQ(str(cart.at("items").at(0).at("menuItem")), biryani_);
  EXPECT_EQ(cart.at("items").at(0).at("quantity"), bj::value(2));
  EXPECT_EQ(json::serialize(cart.at("items").at(0).at("customizations")),
            R"([{"name":"Spice Level","options":["Hot"]},{"name":"Add-ons","options":["Extra Raita","Boiled Egg"]}])");
  EXPECT_EQ(str(cart.at("paymentMethod")), "COD");
  EXPECT_EQ(str(cart.at("deliveryAddress").at("street")), "1 MG Road");
  EXPECT_TRUE(again.at("dropped").as_array().empty());
  const auto& quote = again.at("quote").as_object();
  EXPECT_TRUE(quote.at("canPlace").as_bool()) << json::serialize(quote);
  EXPECT_EQ(quote.at("items").at(0).at("price"), bj::value(420));  // today's price, not the old one

  // The cart as answered is placed as is, for exactly the quote.
  auto placed = call("POST", "/api/v1/orders", asha_, json::serialize(cart));
  ASSERT_EQ(placed.status, 201) << placed.body;
  EXPECT_EQ(placed.json().at("data").at("pricing"), quote.at("pricing"));
}

TEST_P(OrderAgain, DishesGoneOrChangedAreLeftOutAndSoldOutOnesAreSaidSo) {
  const auto id = place(asha_, order_body());
  ASSERT_EQ(call("DELETE", "/api/v1/admin/menu/items/" + naan_, admin_).status, 200);
  auto again = reorder(asha_, id);
  ASSERT_EQ(again.at("cart").at("items").as_array().size(), 1u);
  ASSERT_EQ(again.at("dropped").as_array().size(), 1u);
  EXPECT_EQ(str(again.at("dropped").at(0).at("menuItem")), naan_);
  EXPECT_EQ(str(again.at("dropped").at(0).at("reason")), "no longer on the menu");

  // Sold out today: still in the cart, and the quote says it cannot be placed, and why.
  ASSERT_EQ(call("PATCH", "/api/v1/admin/menu/items/" + biryani_ + "/availability", admin_, R"({"isAvailable":false})")
                .status,
            200);
  auto sold_out = reorder(asha_, id);
  EXPECT_FALSE(sold_out.at("quote").at("canPlace").as_bool());
  EXPECT_EQ(str(sold_out.at("quote").at("problems").at(0).at("code")), "ITEMS_UNAVAILABLE");

  // A required choice whose options are gone: the dish must be chosen again.
  ASSERT_EQ(
      call("PATCH", "/api/v1/admin/menu/items/" + biryani_ + "/availability", admin_, R"({"isAvailable":true})").status,
      200);
  ASSERT_EQ(
      call("PUT", "/api/v1/admin/menu/items/" + biryani_, admin_,
           R"({"customizations":[{"name":"Spice Level","required":true,"options":[{"label":"Mild","price":0}]}]})")
          .status,
      200);
  auto changed = reorder(asha_, id);
  EXPECT_TRUE(changed.at("cart").at("items").as_array().empty());
  EXPECT_TRUE(changed.at("quote").is_null());
  ASSERT_EQ(changed.at("dropped").as_array().size(), 2u);
  EXPECT_NE(str(changed.at("dropped").at(0).at("reason")).find("choices have changed"), std::string::npos);
}

TEST_P(OrderAgain, OnlyTheOwnerReordersAndOnlyCustomers) {
  const auto id = place(asha_, order_body());
  EXPECT_EQ(call("POST", "/api/v1/orders/" + id + "/reorder", ravi_).status, 404);
  EXPECT_EQ(call("POST", "/api/v1/orders/not-an-order/reorder", asha_).status, 404);
  EXPECT_EQ(call("POST", "/api/v1/orders/" + id + "/reorder", admin_).status, 403);
  EXPECT_EQ(call("POST", "/api/v1/orders/" + id + "/reorder", "").status, 401);
}

TEST_P(OrderAgain, FrequentItemsRankTheDishesACustomerOrdersMost) {
  const auto paneer = id_of("paneer-tikka-full");
  const auto only_naan = R"({"items":[{"menuItem":")" + naan_ +
                         R"(","quantity":4,"customizations":[{"name":"Topping","options":["Plain"]}]}],
      "deliveryAddress":{"street":"1 MG Road","city":"Bengaluru","coordinates":[77.6,12.97]},"paymentMethod":"COD"})";
  place(asha_, order_body());  // biryani ×2, naan ×3
  place(asha_, only_naan);     // naan ×4
  const auto cancelled = place(asha_, order_body(R"(,{"menuItem":")" + paneer + R"(","quantity":1})"));
  ASSERT_EQ(call("PUT", "/api/v1/orders/" + cancelled + "/cancel", asha_, R"({"reason":"ordered twice"})").status, 200);
  place(ravi_, order_body(R"(,{"menuItem":")" + paneer + R"(","quantity":1})"));  // someone else's habits

  auto r = call("GET", "/api/v1/users/me/frequent-items", asha_);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto list = r.json().at("data").as_array();
  ASSERT_EQ(list.size(), 2u);  // the cancelled order's paneer and Ravi's do not count
  EXPECT_EQ(str(list[0].at("menuItemId")), naan_);
  EXPECT_EQ(list[0].at("timesOrdered"), bj::value(2));
  EXPECT_EQ(list[0].at("totalQuantity"), bj::value(7));
  EXPECT_TRUE(list[0].at("available").as_bool());
  EXPECT_EQ(str(list[0].at("menuItem").at("slug")), "butter-naan");
  EXPECT_EQ(str(list[1].at("menuItemId")), biryani_);

  ASSERT_EQ(
      call("PATCH", "/api/v1/admin/menu/items/" + naan_ + "/availability", admin_, R"({"isAvailable":false})").status,
      200);
  auto limited = call("GET", "/api/v1/users/me/frequent-items?limit=1", asha_).json().at("data").as_array();
  ASSERT_EQ(limited.size(), 1u);
  EXPECT_FALSE(limited[0].at("available").as_bool());
  EXPECT_EQ(call("GET", "/api/v1/users/me/frequent-items?limit=0", asha_).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/users/me/frequent-items", admin_).status, 403);
}

INSTANTIATE_TEST_SUITE_P(Engines, OrderAgain, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
