#pragma once
// What the integration tests say to the API over and over: read a JSON string, sign in, make a
// signed-in request. One copy here, so a change to the login route or its answer is one edit.
#include <gtest/gtest.h>

#include <boost/json/value.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "support/http_client.hpp"
#include "support/test_app.hpp"

namespace tiptop::testing {

// The password the fixtures give the accounts they create, and what login() signs in with.
inline const std::string kTestPassword = "kitchen-boss-2024";

// A JSON string as std::string; throws (failing the test) when the value is not a string.
std::string str(const boost::json::value& v);

// The raw answer of POST /api/v1/auth/login: for tests about refusals and rate limits.
HttpResult sign_in(std::uint16_t port, const std::string& email, const std::string& password = kTestPassword);
// The session token; a refused sign-in fails the test and returns "" (the calls made with it then
// fail too, rather than the fixture throwing from SetUp).
std::string login(std::uint16_t port, const std::string& email, const std::string& password = kTestPassword);

// A fixture for one server per engine (app_, created by the suite's SetUp), with the calls above
// bound to it so test bodies read login("asha@…") and call("GET", …, token).
class ApiTest : public ::testing::TestWithParam<EngineKind> {
 protected:
  std::string login(const std::string& email) const;
  // JSON request, bearer token when not empty; an idempotency key only where a test replays one.
  HttpResult call(const std::string& method, const std::string& target, const std::string& token,
                  const std::string& body = {}, const std::string& idempotency_key = {}) const;

  // Destroyed after the suite's own members (tokens, ids…), as when each suite declared it first.
  std::unique_ptr<TestApp> app_;
};

}  // namespace tiptop::testing
