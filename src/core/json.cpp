#include "core/json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/errors.hpp"

namespace tiptop::json {

namespace {

// Boost.JSON reads 1e999 as infinity; JSON has no such number and serialising it gives null, so a
// value would change on its way through (found by tests/fuzz socketio_packets). Depth is bounded
// by kMaxDepth, so the recursion is too.
bool all_finite(const bj::value& v) {
  if (v.is_double()) return std::isfinite(v.get_double());
  if (v.is_array()) return std::all_of(v.get_array().begin(), v.get_array().end(), all_finite);
  if (v.is_object())
    return std::all_of(v.get_object().begin(), v.get_object().end(),
                       [](const bj::key_value_pair& kv) { return all_finite(kv.value()); });
  return true;
}

}  // namespace

bj::value parse_body(std::string_view text) {
  bj::parse_options opts;
  opts.max_depth = kMaxDepth;
  boost::system::error_code ec;
  bj::value v = bj::parse(text, ec, {}, opts);
  if (ec == bj::error::too_deep)
    throw BadRequestError("JSON_TOO_DEEP", "JSON nesting is deeper than " + std::to_string(kMaxDepth) + " levels");
  if (ec) throw BadRequestError("INVALID_JSON", "Malformed JSON in request body");
  if (!all_finite(v)) throw BadRequestError("INVALID_JSON", "A number in the request body is too large");
  return v;
}

namespace {

// Runs of characters that need no escape are appended whole: a character at a time was the
// busiest function of ours in an order placement's profile (issue 24).
void append_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // where the pending run of plain characters starts
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        const char u[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(u, sizeof u);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void append(std::string& out, const bj::value& v) {
  char buf[64];
  switch (v.kind()) {
    case bj::kind::null:
      out += "null";
      break;
    case bj::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      break;
    case bj::kind::int64:
      out.append(buf, std::to_chars(buf, buf + sizeof buf, v.get_int64()).ptr);
      break;
    case bj::kind::uint64:
      out.append(buf, std::to_chars(buf, buf + sizeof buf, v.get_uint64()).ptr);
      break;
    case bj::kind::double_: {
      const double d = v.get_double();
      if (!std::isfinite(d))
        out += "null";  // as JSON.stringify does
      else
        out.append(buf, std::to_chars(buf, buf + sizeof buf, d).ptr);
      break;
    }
    case bj::kind::string:
      append_string(out, v.get_string());
      break;
    case bj::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out += ',';
        first = false;
        append(out, e);
      }
      out += ']';
      break;
    }
    case bj::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out += ',';
        first = false;
        append_string(out, kv.key());
        out += ':';
        append(out, kv.value());
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

std::string serialize(const bj::value& v) {
  std::string out;
  out.reserve(256);
  append(out, v);
  return out;
}

std::string string_or(const bj::object& o, std::string_view key, std::string fallback) {
  if (auto* p = o.if_contains(key); p && p->is_string()) return std::string(p->get_string());
  return fallback;
}

std::int64_t int_or(const bj::object& o, std::string_view key, std::int64_t fallback) {
  const auto* p = o.if_contains(key);
  if (!p) return fallback;
  if (p->is_int64()) return p->get_int64();
  // 5.0 is the integer 5 (JSON has one number type; schema validation refused 5.5 already).
  if (p->is_double() && std::isfinite(p->get_double()) && p->get_double() == std::floor(p->get_double()) &&
      std::abs(p->get_double()) < 9.0e15)
    return static_cast<std::int64_t>(p->get_double());
  if (p->is_uint64() && p->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(p->get_uint64());
  return fallback;
}

bj::value string_or_null(const std::string& s) { return s.empty() ? bj::value(nullptr) : bj::value(s); }

bool bool_or(const bj::object& o, std::string_view key, bool fallback) {
  if (auto* p = o.if_contains(key); p && p->is_bool()) return p->get_bool();
  return fallback;
}

std::string with_member(std::string object_text, std::string_view key, const bj::value& value) {
  const auto close = object_text.rfind('}');
  if (close == std::string::npos) throw std::invalid_argument("with_member: not a serialised object");
  const bool empty = object_text.find_first_not_of(" \t\r\n", object_text.find('{') + 1) == close;
  std::string member = (empty ? "" : ",") + json::serialize(bj::value(key)) + ":" + json::serialize(value);
  object_text.insert(close, member);
  return object_text;
}

}  // namespace tiptop::json
