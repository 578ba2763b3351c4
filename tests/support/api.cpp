#include "support/api.hpp"

namespace tiptop::testing {

std::string str(const boost::json::value& v) { return std::string(v.as_string()); }

HttpResult sign_in(std::uint16_t port, const std::string& email, const std::string& password) {
  return HttpClient(port).post_json("/api/v1/auth/login",
                                    R"({"email":")" + email + R"(","password":")" + password + "\"}");
}

std::string login(std::uint16_t port, const std::string& email, const std::string& password) {
  auto r = sign_in(port, email, password);
  EXPECT_EQ(r.status, 200) << email << ": " << r.body;
  return r.status == 200 ? str(r.json().at("data").at("token")) : std::string();
}

std::string ApiTest::login(const std::string& email) const { return tiptop::testing::login(app_->port(), email); }

HttpResult ApiTest::call(const std::string& method, const std::string& target, const std::string& token,
                         const std::string& body, const std::string& idempotency_key) const {
  return HttpClient(app_->port()).call(method, target, token, body, idempotency_key);
}

}  // namespace tiptop::testing
