#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "http/error_response.hpp"
#include "store/database.hpp"

using namespace tiptop;

namespace {
boost::json::value body_of(const http::Response& r) { return boost::json::parse(r.body); }
}  // namespace

TEST(ErrorResponse, EachErrorKindMapsToItsStatusAndCode) {
  struct Case {
    std::exception_ptr error;
    int status;
    const char* code;
  };
  const std::vector<Case> cases = {
      {std::make_exception_ptr(ValidationError("Validation failed", {{"email", "Invalid email format"}})), 400,
       "VALIDATION_ERROR"},
      {std::make_exception_ptr(AuthenticationError()), 401, "AUTHENTICATION_ERROR"},
      {std::make_exception_ptr(AuthenticationError("Invalid authentication token", "INVALID_TOKEN")), 401,
       "INVALID_TOKEN"},
      {std::make_exception_ptr(AuthorizationError()), 403, "AUTHORIZATION_ERROR"},
      {std::make_exception_ptr(NotFoundError("Order")), 404, "NOT_FOUND"},
      {std::make_exception_ptr(ConflictError("nope", "INVALID_STATUS_TRANSITION")), 409, "INVALID_STATUS_TRANSITION"},
      {std::make_exception_ptr(store::UniqueViolation("email")), 409, "DUPLICATE_ENTRY"},
      {std::make_exception_ptr(PayloadTooLargeError()), 413, "PAYLOAD_TOO_LARGE"},
      {std::make_exception_ptr(RateLimitError(42)), 429, "RATE_LIMITED"},
      {std::make_exception_ptr(DatabaseError("PostgreSQL: relation \"users\" does not exist")), 500, "DATABASE_ERROR"},
      {std::make_exception_ptr(ExternalServiceError("SMS", "timeout")), 503, "SERVICE_ERROR"},
      {std::make_exception_ptr(std::runtime_error("segfault in module X")), 500, "INTERNAL_ERROR"},
      {std::make_exception_ptr(42), 500, "INTERNAL_ERROR"},
  };
  for (const auto& c : cases) {
    auto r = http::error_response(c.error, "req_1");
    EXPECT_EQ(r.status, c.status) << c.code;
    auto b = body_of(r);
    EXPECT_EQ(b.at("success"), false);
    EXPECT_EQ(b.at("error").at("code"), c.code);
    EXPECT_EQ(b.at("error").at("requestId"), "req_1");
    EXPECT_TRUE(b.at("error").at("timestamp").is_string());
  }
}

TEST(ErrorResponse, DetailsAndHeaders) {
  auto v = body_of(http::error_response(
      std::make_exception_ptr(ValidationError("Validation failed", {{"email", "Invalid email format"}})), "r"));
  EXPECT_EQ(v.at("error").at("details").at(0).at("field"), "email");
  EXPECT_EQ(v.at("error").at("details").at(0).at("message"), "Invalid email format");
  auto dup = body_of(http::error_response(std::make_exception_ptr(store::UniqueViolation("phone")), "r"));
  EXPECT_EQ(dup.at("error").at("details").at(0).at("field"), "phone");
  auto rl = http::error_response(std::make_exception_ptr(RateLimitError(42)), "r");
  bool has_retry = false;
  for (auto& [k, val] : rl.headers) has_retry |= k == "Retry-After" && val == "42";
  EXPECT_TRUE(has_retry);
}

TEST(ErrorResponse, InternalsNeverLeak) {
  auto db = http::error_response(
      std::make_exception_ptr(DatabaseError("PostgreSQL: relation \"users\" does not exist")), "r");
  EXPECT_EQ(db.body.find("users"), std::string::npos);
  auto unknown = http::error_response(std::make_exception_ptr(std::runtime_error("segfault in module X")), "r");
  EXPECT_EQ(unknown.body.find("segfault"), std::string::npos);
  EXPECT_EQ(body_of(unknown).at("error").at("message"), "An unexpected error occurred");
}

// Socket.IO acknowledgements take their error from the same mapping as HTTP (http::describe).
TEST(ErrorResponse, SocketAcksShareTheMappingAndHideDatabaseText) {
  const auto db =
      http::describe(std::make_exception_ptr(DatabaseError("PostgreSQL: relation \"users\" does not exist")), "r1");
  EXPECT_EQ(db.status, 500);
  EXPECT_EQ(db.error.at("code"), "DATABASE_ERROR");
  EXPECT_EQ(db.error.at("message"), "Database operation failed");
  EXPECT_EQ(db.error.at("requestId"), "r1");
  const auto refused = http::describe(std::make_exception_ptr(ValidationError("bad", {{"lat", "-90..90"}})), "r2");
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.error.at("details").at(0).at("field"), "lat");
  // The HTTP body carries exactly the described error.
  const auto http =
      body_of(http::error_response(std::make_exception_ptr(RefusedError("RESTAURANT_CLOSED", "Closed")), "r3"));
  EXPECT_EQ(http.at("error").at("code"), "RESTAURANT_CLOSED");
  EXPECT_EQ(http::describe(std::make_exception_ptr(RefusedError("RESTAURANT_CLOSED", "Closed")), "r3").status, 400);
}
