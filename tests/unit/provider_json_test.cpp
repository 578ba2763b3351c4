// The JSON bodies sent to providers (FCM, Razorpay) go through json::serialize. Boost 1.81's own
// serializer prints doubles in exponent form (992.25 -> "9.9225E2"), which reached phones as the
// amount of a push; these tests fail if a provider body is printed with boost::json::serialize again.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "integrations/push.hpp"
#include "integrations/razorpay.hpp"

using namespace tiptop;
namespace bj = boost::json;

TEST(FcmMessageBody, NumbersInDataTravelAsPlainDecimalText) {
  integrations::Push push;
  push.token = "device-token-1";
  push.title = "Order delivered";
  push.body = "Enjoy your meal";
  push.data =
      bj::object{{"orderId", "o-1"}, {"amount", 992.25}, {"items", 3}, {"pricing", bj::object{{"total", 992.25}}}};
  push.high_priority = true;

  const auto body = integrations::fcm_message_body(push);
  // FCM data values are strings: the number's JSON text, as JSON.stringify would print it.
  EXPECT_NE(body.find(R"("amount":"992.25")"), std::string::npos) << body;
  EXPECT_EQ(body.find("E2"), std::string::npos) << body;

  const auto doc = bj::parse(body);
  const auto& message = doc.at("message").as_object();
  EXPECT_EQ(message.at("token"), "device-token-1");
  EXPECT_EQ(message.at("notification").at("title"), "Order delivered");
  const auto& data = message.at("data").as_object();
  EXPECT_EQ(data.at("orderId"), "o-1");
  EXPECT_EQ(data.at("amount"), "992.25");
  EXPECT_EQ(data.at("items"), "3");
  EXPECT_EQ(data.at("pricing"), R"({"total":992.25})");
  EXPECT_EQ(message.at("android").at("priority"), "high");
  EXPECT_EQ(message.at("apns").at("headers").at("apns-priority"), "10");
}

TEST(RazorpayBodies, AmountsInPaiseAndNotesInPlainDecimal) {
  const auto order =
      integrations::order_request_body(99225, "INR", "TT-1001", bj::object{{"orderId", "o-1"}, {"total", 992.25}});
  EXPECT_NE(order.find(R"("amount":99225)"), std::string::npos) << order;
  EXPECT_NE(order.find(R"("total":992.25)"), std::string::npos) << order;
  EXPECT_NE(order.find(R"("payment_capture":true)"), std::string::npos) << order;

  const auto refund = integrations::refund_request_body(5050, "refund-o-1-1", bj::object{{"refunded", 50.5}});
  EXPECT_NE(refund.find(R"("amount":5050)"), std::string::npos) << refund;
  EXPECT_NE(refund.find(R"("receipt":"refund-o-1-1")"), std::string::npos) << refund;
  EXPECT_NE(refund.find(R"("refunded":50.5)"), std::string::npos) << refund;  // Boost 1.81: 5.05E1
  EXPECT_EQ(order.find("E2"), std::string::npos) << order;
}
