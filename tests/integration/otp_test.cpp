// Issue 21, one-time codes, on both engines: a code e-mailed to the signed-in customer verifies
// their address once; wrong codes count down to nothing; codes are stored hashed, limited per
// destination, and never verify someone else's phone or e-mail.
#include <gtest/gtest.h>

#include <regex>

#include "store/database.hpp"
#include "support/order_fixture.hpp"

using namespace tiptop;
using namespace tiptop::testing;
namespace bj = boost::json;

namespace {

class Otp : public OrderFixture {
 protected:
  std::string code_in(const integrations::Email& mail) {
    std::smatch m;
    EXPECT_TRUE(std::regex_search(mail.body, m, std::regex("code is ([0-9]{6})"))) << mail.body;
    return m.size() > 1 ? m[1].str() : std::string();
  }
  bool verified(const std::string& token, const char* flag) {
    return call("GET", "/api/v1/users/me", token).json().at("data").at(flag).as_bool();
  }
  std::vector<std::string> stored_hashes() {
    auto db = store::open_database(app_->database_url(), 1, "FULL");
    auto all = [](store::Connection& c) {
      std::vector<std::string> out;
      for (const auto& r : c.query("SELECT code_hash FROM otp_codes").rows) out.push_back(r.text("code_hash"));
      return out;
    };
    return db->read_sync(all);
  }
};

}  // namespace

TEST_P(Otp, AnEmailedCodeVerifiesTheAddressOnce) {
  EXPECT_FALSE(verified(asha_, "isEmailVerified"));
  auto sent = call("POST", "/api/v1/auth/otp/send", asha_, R"({"email":"asha@tiptop.in","purpose":"verify-email"})");
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(sent.json().at("data").at("expiresIn"), 600);
  const auto mail = app_->wait_for_emails(1).back();
  EXPECT_EQ(mail.to, "asha@tiptop.in");
  const auto code = code_in(mail);
  // Stored only as a keyed hash: the code itself is nowhere in the table.
  const auto hashes = stored_hashes();
  ASSERT_EQ(hashes.size(), 1u);
  EXPECT_EQ(hashes[0].find(code), std::string::npos);
  EXPECT_EQ(hashes[0].size(), 64u);

  // Ravi cannot use Asha's code for Asha's address.
  auto stolen = call("POST", "/api/v1/auth/otp/verify", ravi_,
                     R"({"email":"asha@tiptop.in","purpose":"verify-email","code":")" + code + "\"}");
  EXPECT_EQ(error_code(stolen), "OTP_NOT_YOURS");
  EXPECT_FALSE(verified(asha_, "isEmailVerified"));

  auto ok = call("POST", "/api/v1/auth/otp/verify", asha_,
                 R"({"email":"ASHA@tiptop.in","purpose":"verify-email","code":")" + code + "\"}");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_TRUE(verified(asha_, "isEmailVerified"));
  auto again = call("POST", "/api/v1/auth/otp/verify", asha_,
                    R"({"email":"asha@tiptop.in","purpose":"verify-email","code":")" + code + "\"}");
  EXPECT_EQ(error_code(again), "OTP_EXPIRED");  // a code works once
}

TEST_P(Otp, FiveWrongTriesAndTheCodeIsGone) {
  ASSERT_EQ(
      call("POST", "/api/v1/auth/otp/send", asha_, R"({"email":"asha@tiptop.in","purpose":"verify-email"})").status,
      200);
  const auto code = code_in(app_->wait_for_emails(1).back());
  const std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 4; i >= 0; --i) {
    auto r = call("POST", "/api/v1/auth/otp/verify", asha_,
                  R"({"email":"asha@tiptop.in","purpose":"verify-email","code":")" + wrong + "\"}");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(error_code(r), "OTP_INVALID");
    EXPECT_EQ(first_field(r), "code");
    if (i > 0) {
      EXPECT_NE(str(r.json().at("error").at("message")).find(std::to_string(i) + " tries left"), std::string::npos)
          << r.body;
    }
  }
  // The right code is no use after five wrong ones.
  auto late = call("POST", "/api/v1/auth/otp/verify", asha_,
                   R"({"email":"asha@tiptop.in","purpose":"verify-email","code":")" + code + "\"}");
  EXPECT_EQ(error_code(late), "OTP_EXPIRED");
  EXPECT_FALSE(verified(asha_, "isEmailVerified"));
}

TEST_P(Otp, SendingIsLimitedAndInputIsChecked) {
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(call("POST", "/api/v1/auth/otp/send", asha_, R"({"phone":"9800000002","purpose":"verify-phone"})").status,
              200);
  auto fourth = call("POST", "/api/v1/auth/otp/send", asha_, R"({"phone":"9800000002","purpose":"verify-phone"})");
  EXPECT_EQ(fourth.status, 429);
  EXPECT_EQ(error_code(fourth), "TOO_MANY_CODES");
  EXPECT_FALSE(fourth.header("retry-after").empty());
  EXPECT_EQ(first_field(call("POST", "/api/v1/auth/otp/send", asha_, R"({"purpose":"verify-phone"})")), "phone");
  EXPECT_EQ(first_field(call("POST", "/api/v1/auth/otp/send", asha_,
                             R"({"phone":"9800000002","email":"asha@tiptop.in","purpose":"verify-phone"})")),
            "email");
  EXPECT_EQ(first_field(call("POST", "/api/v1/auth/otp/send", asha_, R"({"phone":"98","purpose":"verify-phone"})")),
            "phone");
  EXPECT_EQ(first_field(call("POST", "/api/v1/auth/otp/send", asha_, R"({"phone":"9800000002","purpose":"spam"})")),
            "purpose");
  EXPECT_EQ(first_field(call("POST", "/api/v1/auth/otp/verify", asha_,
                             R"({"phone":"9800000002","purpose":"verify-phone","code":"12"})")),
            "code");
  EXPECT_EQ(HttpClient(app_->port())
                .post_json("/api/v1/auth/otp/send", R"({"phone":"9800000002","purpose":"verify-phone"})")
                .status,
            401);
  // A code never asked for.
  EXPECT_EQ(error_code(call("POST", "/api/v1/auth/otp/verify", ravi_,
                            R"({"phone":"9800000003","purpose":"verify-phone","code":"123456"})")),
            "OTP_EXPIRED");
}

TEST_P(Otp, ASettingAsksForAVerifiedPhoneBeforeAFirstCashOrder) {
  ASSERT_EQ(call("PUT", "/api/v1/admin/settings", admin_, R"({"requireVerifiedPhoneForCod":true})").status, 200);
  auto refused = call("POST", "/api/v1/orders", asha_, order_body());
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(error_code(refused), "PHONE_NOT_VERIFIED");
  EXPECT_EQ(first_field(refused), "paymentMethod");
  EXPECT_EQ(my_order_count(asha_), 0);
  // Once the phone is verified (as /otp/verify leaves it), the same order goes through.
  auto db = store::open_database(app_->database_url(), 1, "FULL");
  auto verify = [](store::Connection& c) {
    c.execute("UPDATE users SET is_phone_verified = ? WHERE email = 'asha@tiptop.in'", {true});
  };
  db->transaction_sync(verify);
  EXPECT_EQ(call("POST", "/api/v1/orders", asha_, order_body()).status, 201);
  ASSERT_EQ(call("PUT", "/api/v1/admin/settings", admin_, R"({"requireVerifiedPhoneForCod":false})").status, 200);
  EXPECT_EQ(call("POST", "/api/v1/orders", ravi_, order_body()).status, 201);
}

INSTANTIATE_TEST_SUITE_P(Engines, Otp, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
