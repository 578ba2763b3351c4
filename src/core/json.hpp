#pragma once
// JSON parsing with the server's limits, and small accessors that keep handlers short.
#include <boost/json.hpp>
#include <string>
#include <string_view>

namespace tiptop::json {

namespace bj = boost::json;

constexpr std::size_t kMaxDepth = 64;

// Parses a request body. Malformed text -> BadRequestError INVALID_JSON; nesting deeper than
// kMaxDepth -> BadRequestError JSON_TOO_DEEP. Duplicate keys keep the last value, like JSON.parse.
bj::value parse_body(std::string_view text);

// Like JSON.stringify: numbers in plain decimal (249.5, not Boost 1.81's 2.495E2), shortest exact form.
std::string serialize(const bj::value& v);

// `object_text` (a serialised object) with one more member, without parsing it again.
std::string with_member(std::string object_text, std::string_view key, const bj::value& value);

// Accessors for an object that may lack the key; a present value of the wrong type is treated as absent
// (schema validation runs first and reports it).
std::string string_or(const bj::object& o, std::string_view key, std::string fallback = {});
// A whole number given as 5.0 is read as 5.
std::int64_t int_or(const bj::object& o, std::string_view key, std::int64_t fallback);
bool bool_or(const bj::object& o, std::string_view key, bool fallback);
// An optional text field as the API shows it: null when empty.
bj::value string_or_null(const std::string& s);

}  // namespace tiptop::json
