// The pure parts of notifications: the e-mail as it goes on the wire, phone numbers for SMS,
// stored preferences, RS256 signatures for FCM, and what each order event says to whom.
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "integrations/email.hpp"
#include "integrations/push.hpp"
#include "integrations/sms.hpp"
#include "modules/notifications/model.hpp"
#include "modules/notifications/triggers.hpp"

using namespace tiptop;

TEST(EmailWire, HeadersAreSafeAndTheBodyUsesCrlf) {
  integrations::Email e{"Asha <asha@tiptop.in>", "Order placed\r\nBcc: victim@example.com", "line one\nline two\n.dot",
                        "n-1@tiptop.in"};
  const auto m = integrations::render_email(e, "TipTop <no-reply@tiptop.in>", "Wed, 25 Nov 2026 10:00:00 +0000");
  EXPECT_NE(m.find("Subject: Order placed  Bcc: victim@example.com\r\n"), std::string::npos);  // no injected header
  EXPECT_EQ(m.find("\r\nBcc:"), std::string::npos);
  EXPECT_NE(m.find("From: TipTop <no-reply@tiptop.in>\r\n"), std::string::npos);
  EXPECT_NE(m.find("Message-ID: <n-1@tiptop.in>\r\n"), std::string::npos);
  EXPECT_NE(m.find("Content-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
  EXPECT_NE(m.find("\r\n\r\nline one\r\nline two\r\n.dot\r\n"), std::string::npos);
  EXPECT_EQ(m.find("two\n."), std::string::npos);  // no bare LF
}

TEST(EmailWire, NonAsciiSubjectsAreEncodedWords) {
  const auto m = integrations::render_email({"a@b.in", "Biryani ₹99", "x", ""}, "a@b.in", "d");
  EXPECT_NE(m.find("Subject: =?UTF-8?B?QmlyeWFuaSDigrk5OQ==?=\r\n"), std::string::npos);
  EXPECT_EQ(m.find("Message-ID"), std::string::npos);
  EXPECT_EQ(integrations::address_of("TipTop <no-reply@tiptop.in>"), "no-reply@tiptop.in");
  EXPECT_EQ(integrations::address_of("plain@tiptop.in"), "plain@tiptop.in");
}

TEST(SmsNumbers, StoredPhonesBecomeE164) {
  EXPECT_EQ(integrations::to_e164("9812345678", "+91"), "+919812345678");
  EXPECT_EQ(integrations::to_e164("09812345678", "+91"), "+919812345678");
  EXPECT_EQ(integrations::to_e164("+44 7700 900123", "+91"), "+447700900123");
  EXPECT_EQ(integrations::to_e164("98123-45678", "+91"), "+919812345678");
}

TEST(Preferences, StoredJsonOrTheDefaults) {
  const auto d = notifications::preferences_from_json("");
  EXPECT_TRUE(d.in_app && d.push && d.email);
  EXPECT_FALSE(d.sms);
  const auto p = notifications::preferences_from_json(R"({"promotions":{"email":false,"sms":true,"push":"yes"}})");
  EXPECT_FALSE(p.email);
  EXPECT_TRUE(p.sms);
  EXPECT_TRUE(p.push);  // a bad value keeps the default
  EXPECT_TRUE(notifications::preferences_from_json("{not json").email);
}

TEST(FcmSignature, Rs256VerifiesWithThePublicKey) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), &EVP_PKEY_free);
  ASSERT_TRUE(key);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  ASSERT_EQ(PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr), 1);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  const std::string pem(data, static_cast<std::size_t>(len));
  const std::string input = "header.claims";
  const auto sig = integrations::sign_rs256(pem, input);
  EXPECT_EQ(sig.size(), 256u);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  ASSERT_EQ(EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()), 1);
  EXPECT_EQ(EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                             reinterpret_cast<const unsigned char*>(input.data()), input.size()),
            1);
  EXPECT_THROW(integrations::sign_rs256("not a key", input), std::runtime_error);
}

TEST(Triggers, EachStatusTellsTheRightPeopleOnTheRightChannels) {
  orders::Order o;
  o.id = "0123456789abcdef01234567";
  o.order_number = "TT-2026-000042";
  o.customer_id = "c0c0c0c0c0c0c0c0c0c0c0c0";
  o.pricing.final_amount = 44950;
  auto at = [&](const std::string& status) {
    o.status = *orders::parse_status(status);
    return notifications::order_status_drafts(o);
  };
  auto placed = at("pending");
  ASSERT_EQ(placed.size(), 1u);
  EXPECT_EQ(placed[0].recipient_id, o.customer_id);
  EXPECT_NE(placed[0].message.find("₹449.50"), std::string::npos);
  EXPECT_TRUE(placed[0].channels.push && !placed[0].channels.email && !placed[0].channels.sms);
  EXPECT_TRUE(at("preparing").empty());
  EXPECT_TRUE(at("ready").empty());
  EXPECT_TRUE(at("out-for-delivery")[0].channels.sms);
  EXPECT_EQ(at("delivered").size(), 1u);  // nothing collected: no payment message
  o.cash_collected = 45000;
  const auto delivered = at("delivered");
  ASSERT_EQ(delivered.size(), 2u);
  EXPECT_EQ(delivered[1].type, "payment_received");
  EXPECT_NE(delivered[1].message.find("₹450.00"), std::string::npos);
  o.delivery_partner_id = "d0d0d0d0d0d0d0d0d0d0d0d0";
  const auto cancelled = at("cancelled");
  ASSERT_EQ(cancelled.size(), 2u);
  EXPECT_EQ(cancelled[1].recipient_id, o.delivery_partner_id);
  EXPECT_FALSE(cancelled[1].channels.sms);
  const auto reset = notifications::password_reset_draft("u", "SECRET", 12345);
  EXPECT_EQ(reset.expires_at, 12345);
  EXPECT_EQ(reset.message.find("SECRET"), std::string::npos);
  EXPECT_NE(reset.email_body.find("SECRET"), std::string::npos);
  EXPECT_TRUE(reset.email_is_secret);
}
