// The signed-in user's profile and addresses, on both engines; nobody reaches another's record.
#include <gtest/gtest.h>

#include "support/api.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

using namespace tiptop;
using namespace tiptop::testing;
namespace bj = boost::json;

namespace {

class Users : public ApiTest {
 protected:
  void SetUp() override {
    TIPTOP_REQUIRE_ENGINE(GetParam());
    app_ = std::make_unique<TestApp>(GetParam());
    asha_ = sign_up("asha@tiptop.in", "9876500001");
    ravi_ = sign_up("ravi@tiptop.in", "9876500002");
  }
  std::string sign_up(const std::string& email, const std::string& phone) {
    auto r = HttpClient(app_->port())
                 .post_json("/api/v1/auth/register", R"({"email":")" + email + R"(","phone":")" + phone +
                                                         R"(","password":"biryani-lover-2024","firstName":"A"})");
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.json().at("data").at("token").as_string());
  }
  static bj::array addresses(const HttpResult& r) { return r.json().at("data").at("addresses").as_array(); }
  static int defaults(const bj::array& list) {
    int n = 0;
    for (auto& a : list) n += a.at("isDefault").as_bool();
    return n;
  }
  std::string asha_, ravi_;
};

}  // namespace

TEST_P(Users, UpdateProfileButNotPrivilegedFields) {
  auto r =
      call("PUT", "/api/v1/users/me", asha_,
           R"({"firstName":"Asha","lastName":"Rao","avatar":"https://cdn.tiptop.in/a.png","dateOfBirth":"1990-04-01",
                    "role":"admin","loyaltyPoints":500,"isActive":false})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto u = r.json().at("data");
  EXPECT_EQ(u.at("profile").at("lastName"), "Rao");
  EXPECT_EQ(u.at("profile").at("avatar"), "https://cdn.tiptop.in/a.png");
  EXPECT_EQ(u.at("role"), "customer");
  EXPECT_EQ(u.at("loyaltyPoints"), 0);
  EXPECT_EQ(u.at("isActive"), true);
  auto nested = call("PUT", "/api/v1/users/me", asha_, R"({"profile":{"firstName":"Asha K"}})");
  EXPECT_EQ(nested.json().at("data").at("profile").at("firstName"), "Asha K");
}

TEST_P(Users, ProfileValidationAndDuplicates) {
  auto bad = call("PUT", "/api/v1/users/me", asha_,
                  R"J({"firstName":"","avatar":"javascript:alert(1)","dateOfBirth":"soon"})J");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json().at("error").at("details").as_array().size(), 3u);
  auto dup =
      call("PUT", "/api/v1/users/me", asha_, R"({"email":"RAVI@tiptop.in","currentPassword":"biryani-lover-2024"})");
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.json().at("error").at("details").at(0).at("field"), "email");
  auto me = call("GET", "/api/v1/users/me", asha_);
  EXPECT_EQ(me.json().at("data").at("email"), "asha@tiptop.in");  // nothing changed
}

// Issue 20: a NUL byte was stored on SQLite and cut short on PostgreSQL; invalid UTF-8 likewise.
// Both engines now refuse them, naming the field, and nothing changes.
TEST_P(Users, NulBytesAndInvalidUtf8AreRefusedNamingTheField) {
  auto nul = call("PUT", "/api/v1/users/me", asha_, R"({"firstName":"A\u0000B"})");
  EXPECT_EQ(nul.status, 400);
  EXPECT_EQ(nul.json().at("error").at("details").at(0).at("field"), "firstName");
  EXPECT_EQ(nul.json().at("error").at("details").at(0).at("message"), "must not contain NUL characters");
  auto surrogate = call("PUT", "/api/v1/users/me", asha_, R"({"lastName":"\ud800"})");
  EXPECT_EQ(surrogate.status, 400) << surrogate.body;
  auto me = call("GET", "/api/v1/users/me", asha_);
  EXPECT_EQ(str(me.json().at("data").at("profile").at("firstName")), "A");  // as signed up: nothing changed
  EXPECT_EQ(str(me.json().at("data").at("profile").at("firstName")).find('\0'), std::string::npos);
}

TEST_P(Users, AddressesKeepExactlyOneDefault) {
  auto first = call("POST", "/api/v1/users/me/addresses", asha_,
                    R"({"type":"home","street":"1 MG Road","city":"Bengaluru","coordinates":[77.6,12.97]})");
  ASSERT_EQ(first.status, 201) << first.body;
  auto list = addresses(first);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("isDefault"), true);  // the first is the default
  EXPECT_EQ(list[0].at("coordinates").at("coordinates").at(0), 77.6);

  auto second = call("POST", "/api/v1/users/me/addresses", asha_,
                     R"({"type":"work","street":"2 Brigade Rd","city":"Bengaluru","isDefault":true,
                         "coordinates":{"type":"Point","coordinates":[77.61,12.97]}})");
  list = addresses(second);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(defaults(list), 1);
  EXPECT_EQ(list[1].at("isDefault"), true);
  const std::string home(list[0].at("_id").as_string()), work(list[1].at("_id").as_string());

  auto unset = call("PUT", "/api/v1/users/me/addresses/" + work, asha_, R"({"isDefault":false,"zipCode":"560001"})");
  list = addresses(unset);
  EXPECT_EQ(defaults(list), 1);  // someone is always the default
  auto removed = call("DELETE", "/api/v1/users/me/addresses/" + home, asha_);
  list = addresses(removed);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("isDefault"), true);
  EXPECT_EQ(list[0].at("zipCode"), "560001");
}

TEST_P(Users, AddressValidation) {
  auto out_of_range =
      call("POST", "/api/v1/users/me/addresses", asha_, R"({"street":"x","city":"y","coordinates":[190,12]})");
  EXPECT_EQ(out_of_range.status, 400);
  EXPECT_EQ(out_of_range.json().at("error").at("details").at(0).at("field"), "coordinates[0]");
  auto lat = call("POST", "/api/v1/users/me/addresses", asha_, R"({"street":"x","city":"y","coordinates":[77,-91]})");
  EXPECT_EQ(lat.json().at("error").at("details").at(0).at("field"), "coordinates[1]");
  auto shape = call("POST", "/api/v1/users/me/addresses", asha_, R"({"street":"x","city":"y","coordinates":"here"})");
  EXPECT_EQ(shape.status, 400);
  auto missing = call("POST", "/api/v1/users/me/addresses", asha_, R"({"type":"palace"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.json().at("error").at("details").as_array().size(), 3u);  // type, street, city
  EXPECT_EQ(call("GET", "/api/v1/users/me", asha_).json().at("data").at("addresses").as_array().size(), 0u);
}

TEST_P(Users, AtMostTwentyAddresses) {
  for (int i = 0; i < 20; ++i)
    ASSERT_EQ(call("POST", "/api/v1/users/me/addresses", asha_, R"({"street":"s","city":"c"})").status, 201);
  auto over = call("POST", "/api/v1/users/me/addresses", asha_, R"({"street":"s","city":"c"})");
  EXPECT_EQ(over.status, 400);
}

TEST_P(Users, NobodyTouchesAnotherUsersAddress) {
  auto mine = call("POST", "/api/v1/users/me/addresses", asha_, R"({"street":"1 MG Road","city":"Bengaluru"})");
  const std::string id(addresses(mine)[0].at("_id").as_string());
  EXPECT_EQ(call("PUT", "/api/v1/users/me/addresses/" + id, ravi_, R"({"street":"stolen"})").status, 404);
  EXPECT_EQ(call("DELETE", "/api/v1/users/me/addresses/" + id, ravi_).status, 404);
  EXPECT_EQ(call("DELETE", "/api/v1/users/me/addresses/not-an-id", asha_).status, 404);
  auto still = call("GET", "/api/v1/users/me", asha_).json().at("data").at("addresses");
  EXPECT_EQ(still.at(0).at("street"), "1 MG Road");
  EXPECT_EQ(call("GET", "/api/v1/users/me", ravi_).json().at("data").at("addresses").as_array().size(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Engines, Users, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
