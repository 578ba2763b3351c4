#include <gtest/gtest.h>

#include "http/router.hpp"
#include "http/schema.hpp"
#include "store/postgres/pg_database.hpp"

using namespace tiptop;
using namespace tiptop::http;

namespace {
Handler noop() {
  return [](Request&) -> boost::asio::awaitable<Response> { co_return ok(nullptr); };
}
}  // namespace

TEST(Router, MatchesParametersAndPrefersLiterals) {
  Router r;
  r.add({.method = "GET", .path = "/api/v1/orders/:id", .handler = noop()});
  r.add({.method = "GET", .path = "/api/v1/orders/track/:orderNumber", .handler = noop()});
  r.add({.method = "PUT", .path = "/api/v1/orders/:id/cancel", .handler = noop()});
  auto m = r.match("GET", "/api/v1/orders/abc");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.params["id"], "abc");
  m = r.match("GET", "/api/v1/orders/track/ORD_2024_00001");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->path, "/api/v1/orders/track/:orderNumber");
  EXPECT_EQ(m.params["orderNumber"], "ORD_2024_00001");
  EXPECT_TRUE(r.match("HEAD", "/api/v1/orders/abc").route);  // HEAD is served by GET
  EXPECT_TRUE(r.match("GET", "/api/v1/orders/abc/").route);  // a trailing slash is the same path
  EXPECT_FALSE(r.match("GET", "/api/v1/orders").route);
  EXPECT_EQ(r.match("GET", "/api/v1/orders").allow, "");
}

TEST(Router, WrongMethodListsAllowed) {
  Router r;
  r.add({.method = "GET", .path = "/a/:id", .handler = noop()});
  r.add({.method = "DELETE", .path = "/a/:id", .handler = noop()});
  auto m = r.match("POST", "/a/1");
  EXPECT_FALSE(m.route);
  EXPECT_EQ(m.allow, "GET, DELETE, HEAD, OPTIONS");
}

TEST(Router, RefusesDuplicateDeclarations) {
  Router r;
  r.add({.method = "GET", .path = "/a/:id", .handler = noop()});
  EXPECT_THROW(r.add({.method = "GET", .path = "/a/:other", .handler = noop()}), std::logic_error);
  EXPECT_THROW(r.add({.method = "GET", .path = "/b"}), std::logic_error);  // no handler
}

TEST(Schema, ReportsEveryFieldWithItsPath) {
  auto s = Schema::object({{"items", Schema::array(Schema::object({{"menuItem", Schema::string().format("objectId")},
                                                                   {"quantity", Schema::integer().minimum(1)}})
                                                       .required({"menuItem", "quantity"}))
                                         .min_items(1)},
                           {"email", Schema::string().format("email")},
                           {"paymentMethod", Schema::string().one_of({"COD", "ONLINE"})}})
               .required({"items"});
  std::vector<FieldError> errors;
  s.validate(boost::json::parse(R"({"items":[{"menuItem":"zz","quantity":0},{"quantity":1.5}],
                                   "email":"nope","paymentMethod":"CASH"})"),
             "", errors);
  ASSERT_EQ(errors.size(), 6u);
  EXPECT_EQ(errors[0].field, "items[0].menuItem");
  EXPECT_EQ(errors[1].field, "items[0].quantity");
  EXPECT_EQ(errors[2].field, "items[1].menuItem");
  EXPECT_EQ(errors[2].message, "is required");
  EXPECT_EQ(errors[3].field, "items[1].quantity");
  EXPECT_EQ(errors[4].field, "email");
  EXPECT_EQ(errors[4].message, "Invalid email format");
  EXPECT_EQ(errors[5].field, "paymentMethod");
  errors.clear();
  s.validate(boost::json::parse(R"({"items":[]})"), "", errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "must have at least 1 item(s)");
  errors.clear();
  s.validate(boost::json::parse("[]"), "", errors);
  EXPECT_EQ(errors.at(0).message, "must be an object");
}

TEST(Schema, EmailAndPhoneFormats) {
  for (auto good : {"a@b.co", "first.last+tag@tiptop.in"}) EXPECT_TRUE(is_valid_email(good)) << good;
  for (auto bad : {"a@b", "@b.co", "a@@b.co", "a b@c.co", "a@b..co", "a@.co"}) EXPECT_FALSE(is_valid_email(bad)) << bad;
  for (auto good : {"+919876543210", "9876543210"}) EXPECT_TRUE(is_valid_phone(good)) << good;
  for (auto bad : {"12345", "+91-98765-43210", "98765432101234567"}) EXPECT_FALSE(is_valid_phone(bad)) << bad;
}

TEST(Schema, RendersJsonSchema) {
  auto s = Schema::object({{"limit", Schema::integer().minimum(1).maximum(100).fallback(20)},
                           {"id", Schema::string().format("objectId")}})
               .required({"id"});
  auto j = s.to_json_schema();
  EXPECT_EQ(j.at("type"), "object");
  EXPECT_EQ(j.at("properties").at("limit").at("maximum"), 100.0);
  EXPECT_EQ(j.at("properties").at("limit").at("default"), 20);
  EXPECT_EQ(j.at("properties").at("id").at("pattern"), "^[0-9a-fA-F]{24}$");
  EXPECT_EQ(j.at("required").at(0), "id");
}

TEST(Placeholders, NumberedOutsideLiteralsAndComments) {
  EXPECT_EQ(store::number_placeholders("SELECT ? , '?', \"a?\" -- ?\n WHERE x = ?"),
            "SELECT $1 , '?', \"a?\" -- ?\n WHERE x = $2");
  EXPECT_EQ(store::number_placeholders("VALUES ('it''s ?', ?)"), "VALUES ('it''s ?', $1)");
}
