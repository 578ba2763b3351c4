// Razorpay's two signatures (known answers computed independently with Python's hmac module), the
// forward-only order of payment states, and the gateway ids allowed into URL paths.
#include <gtest/gtest.h>

#include "core/ids.hpp"
#include "integrations/razorpay.hpp"
#include "modules/payments/model.hpp"

using namespace tiptop;

TEST(Razorpay, CheckoutSignatureIsHexHmacOfOrderAndPaymentIds) {
  const integrations::Razorpay gateway({.key_id = "rzp_test_1", .key_secret = "EnLs21M47BllR3X8PSFtjtbd"});
  const std::string good = "0d4e745a1838664ad6c9c9902212a32d627d68e917290b0ad5f08ff4561bc50f";
  EXPECT_TRUE(gateway.checkout_signature_ok("order_IEIaMR65cu6nz3", "pay_IH4NVgf4Dreq1l", good));
  EXPECT_FALSE(gateway.checkout_signature_ok("order_IEIaMR65cu6nz3", "pay_IH4NVgf4Dreq1m", good));  // another payment
  EXPECT_FALSE(gateway.checkout_signature_ok("pay_IH4NVgf4Dreq1l", "order_IEIaMR65cu6nz3", good));  // swapped
  std::string flipped = good;
  flipped.back() = 'e';
  EXPECT_FALSE(gateway.checkout_signature_ok("order_IEIaMR65cu6nz3", "pay_IH4NVgf4Dreq1l", flipped));
  EXPECT_FALSE(gateway.checkout_signature_ok("order_IEIaMR65cu6nz3", "pay_IH4NVgf4Dreq1l", ""));
  EXPECT_FALSE(gateway.checkout_signature_ok("order_IEIaMR65cu6nz3", "pay_IH4NVgf4Dreq1l", good.substr(0, 63)));
}

TEST(Razorpay, WebhookSignatureIsHexHmacOfTheRawBody) {
  const std::string body = R"({"event":"payment.captured"})";
  const std::string good = "80d6a053bab7b496abe392c8f6b94de5a61f404d424c5390c3140343edbf6ca1";
  EXPECT_TRUE(integrations::webhook_signature_ok(body, good, "whsec-unit"));
  EXPECT_FALSE(integrations::webhook_signature_ok(body + " ", good, "whsec-unit"));  // the raw bytes, not the JSON
  EXPECT_FALSE(integrations::webhook_signature_ok(body, good, "whsec-other"));
  EXPECT_FALSE(integrations::webhook_signature_ok(body, good, ""));  // no secret set: nothing is accepted
}

TEST(Payments, StatesOnlyMoveForward) {
  EXPECT_LT(payments::state_rank("created"), payments::state_rank("failed"));
  EXPECT_LT(payments::state_rank("failed"), payments::state_rank("authorized"));
  EXPECT_LT(payments::state_rank("authorized"), payments::state_rank("captured"));
  EXPECT_EQ(payments::state_rank("refunded"), -1);
}

TEST(Payments, GatewayIdsAreSafeInUrlPaths) {
  EXPECT_TRUE(ids::is_gateway_id("pay_IH4NVgf4Dreq1l"));
  EXPECT_FALSE(ids::is_gateway_id(""));
  EXPECT_FALSE(ids::is_gateway_id("../v1/orders"));
  EXPECT_FALSE(ids::is_gateway_id("pay_1?x=1"));
  EXPECT_FALSE(ids::is_gateway_id(std::string(65, 'a')));
}
