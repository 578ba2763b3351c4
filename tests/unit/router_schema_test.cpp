#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/json.hpp"
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

TEST(Schema, StringsWithNulOrInvalidUtf8AreRefusedNamingTheField) {
  auto s = Schema::object({{"name", Schema::string().max_length(50)}});
  auto problems = [&](std::string text) {
    std::vector<FieldError> out;
    s.validate(boost::json::object{{"name", boost::json::string(text)}}, "", out);
    return out;
  };
  EXPECT_TRUE(problems("Asha \xe0\xa4\x85").empty());  // Devanagari A: fine
  ASSERT_EQ(problems(std::string("A\0B", 3)).size(), 1u);
  EXPECT_EQ(problems(std::string("A\0B", 3))[0].field, "name");
  for (const char* bad : {"\xff", "\xc0\x80", "\xed\xa0\x80", "\xe0\xa4", "\xf4\x90\x80\x80"})
    EXPECT_EQ(problems(bad).size(), 1u) << bad;
}

TEST(Json, StringsEscapeWhatJsonRequiresAndRoundTrip) {
  EXPECT_EQ(tiptop::json::serialize(boost::json::value("a\"b\\c\nd\re\tf\x01g\x1f")),
            "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001f\"");
  std::string every;
  for (int c = 0; c < 128; ++c) every += static_cast<char>(c);
  every += "Biryani \xe2\x82\xb9 250 \xe0\xa4\xac\xe0\xa4\xbf";  // the rupee sign, Devanagari
  boost::json::object o{{every, every}, {"plain", "no escapes at all"}, {"", ""}};
  const auto text = tiptop::json::serialize(o);
  EXPECT_EQ(boost::json::parse(text), boost::json::value(o)) << text;
}

TEST(Json, WholeDecimalsReadAsIntegers) {
  const auto o = boost::json::parse(R"({"a":5.0,"b":5,"c":5.5,"d":"5"})").as_object();
  EXPECT_EQ(json::int_or(o, "a", -1), 5);
  EXPECT_EQ(json::int_or(o, "b", -1), 5);
  EXPECT_EQ(json::int_or(o, "c", -1), -1);
  EXPECT_EQ(json::int_or(o, "d", -1), -1);
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

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "http/pipeline.hpp"

// One pass: a request with a body is screened (authenticated before its body is read) and then
// handled; the token is verified once and the route table searched once.
TEST(Pipeline, AuthenticatesAndRoutesOncePerRequest) {
  Router r;
  int handled = 0;
  r.add({.method = "POST",
         .path = "/api/v1/things/:id",
         .authenticated = true,
         .handler = [&handled](Request& req) -> boost::asio::awaitable<Response> {
           ++handled;
           co_return ok(boost::json::object{{"id", req.param("id")}});
         }});
  Config config;
  Pipeline p(config, r);
  int verified = 0;
  p.set_authenticator([&verified](Request& req) -> boost::asio::awaitable<void> {
    ++verified;
    req.user = AuthUser{"u1", "a@b.c", "customer", "s1"};
    co_return;
  });
  Request req;
  req.method = "POST";
  req.target = req.path = "/api/v1/things/42";
  req.body = "{}";
  req.headers = {{"content-type", "application/json"}};
  EXPECT_GT(p.body_limit(req), 0u);
  ASSERT_TRUE(req.routed);
  boost::asio::io_context io;
  auto screened = boost::asio::co_spawn(io, p.screen(req), boost::asio::use_future);
  auto handled_res = boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<Response> {
        co_await p.screen(req);  // a second screen (as a retry path would) must not verify again either
        co_return co_await p.handle(req);
      },
      boost::asio::use_future);
  io.run();
  EXPECT_FALSE(screened.get().has_value());
  EXPECT_EQ(handled_res.get().status, 200);
  EXPECT_EQ(verified, 1);
  EXPECT_EQ(handled, 1);
}
