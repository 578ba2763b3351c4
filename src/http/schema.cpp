#include "http/schema.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace tiptop::http {
namespace bj = boost::json;

Schema::Schema(Type t) : n_(std::make_shared<Node>()) { std::const_pointer_cast<Node>(n_)->type = t; }

Schema Schema::string() { return Schema(Type::string); }
Schema Schema::integer() { return Schema(Type::integer); }
Schema Schema::number() { return Schema(Type::number); }
Schema Schema::boolean() { return Schema(Type::boolean); }
Schema Schema::any() { return Schema(Type::any); }
Schema Schema::array(Schema items) {
  return Schema(Type::array).edit([&](Node& n) { n.items = std::make_shared<const Schema>(std::move(items)); });
}
Schema Schema::object(std::vector<std::pair<std::string, Schema>> properties) {
  return Schema(Type::object).edit([&](Node& n) { n.properties = std::move(properties); });
}

Schema Schema::min_length(std::size_t v) const {
  return edit([&](Node& n) { n.min_length = v; });
}
Schema Schema::max_length(std::size_t v) const {
  return edit([&](Node& n) { n.max_length = v; });
}
Schema Schema::minimum(double v) const {
  return edit([&](Node& n) { n.minimum = v; });
}
Schema Schema::maximum(double v) const {
  return edit([&](Node& n) { n.maximum = v; });
}
Schema Schema::min_items(std::size_t v) const {
  return edit([&](Node& n) { n.min_items = v; });
}
Schema Schema::max_items(std::size_t v) const {
  return edit([&](Node& n) { n.max_items = v; });
}
Schema Schema::one_of(std::vector<std::string> v) const {
  return edit([&](Node& n) { n.enum_values = std::move(v); });
}
Schema Schema::format(std::string f) const {
  return edit([&](Node& n) { n.format = std::move(f); });
}
Schema Schema::required(std::vector<std::string> r) const {
  return edit([&](Node& n) { n.required = std::move(r); });
}
Schema Schema::nullable() const {
  return edit([](Node& n) { n.nullable = true; });
}
Schema Schema::describe(std::string d) const {
  return edit([&](Node& n) { n.description = std::move(d); });
}
Schema Schema::fallback(bj::value v) const {
  return edit([&](Node& n) { n.default_value = std::move(v); });
}

bool is_valid_email(std::string_view s) {
  // Pragmatic check (what a sign-up form needs), not RFC 5322: local@domain.tld, no spaces.
  if (s.size() < 3 || s.size() > 254) return false;
  const auto at = s.find('@');
  if (at == 0 || at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos) return false;
  const auto domain = s.substr(at + 1);
  const auto dot = domain.rfind('.');
  if (at > 64 || dot == std::string_view::npos || dot == 0 || dot + 2 > domain.size()) return false;
  if (domain.find("..") != std::string_view::npos || domain.front() == '-' || domain.back() == '.') return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return c > 32 && c < 127 && c != '(' && c != ')' && c != ',' && c != ';' && c != '<' && c != '>' && c != '\\' &&
           c != '"';
  });
}

bool is_valid_phone(std::string_view s) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  return s.size() >= 10 && s.size() <= 15 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_valid_upi_id(std::string_view s) {
  // A UPI virtual payment address, as NPCI shapes it: handle@bank, e.g. tiptop@okaxis.
  const auto at = s.find('@');
  if (at == std::string_view::npos || at < 2 || at > 256 || s.size() - at - 1 < 2 || s.size() - at - 1 > 64)
    return false;
  const auto handle = s.substr(0, at), bank = s.substr(at + 1);
  const auto alnum = [](unsigned char c) { return std::isalnum(c) != 0; };
  return std::all_of(handle.begin(), handle.end(),
                     [&](unsigned char c) { return alnum(c) || c == '.' || c == '_' || c == '-'; }) &&
         std::isalpha(static_cast<unsigned char>(bank[0])) && std::all_of(bank.begin(), bank.end(), alnum);
}

bool is_valid_upi_reference(std::string_view s) {
  // The payer's app shows a 12-digit UTR; some banks use letters too.
  return s.size() >= 6 && s.size() <= 35 &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c); });
}

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string child_path(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string number_text(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  return std::to_string(v);
}

// Well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF).
bool is_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0, min = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07, min = 0x10000;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

}  // namespace

void Schema::validate(const bj::value& v, const std::string& path, std::vector<FieldError>& out) const {
  const Node& n = *n_;
  const std::string field = path.empty() ? "body" : path;
  if (v.is_null()) {
    if (!n.nullable && n.type != Type::any) out.push_back({field, "must not be null"});
    return;
  }
  switch (n.type) {
    case Type::any:
      return;
    case Type::boolean:
      if (!v.is_bool()) out.push_back({field, "must be a boolean"});
      return;
    case Type::integer:
    case Type::number: {
      double d;
      if (v.is_int64())
        d = static_cast<double>(v.get_int64());
      else if (v.is_uint64())
        d = static_cast<double>(v.get_uint64());
      else if (v.is_double() && n.type == Type::number)
        d = v.get_double();
      else if (v.is_double() && v.get_double() == std::floor(v.get_double()))
        d = v.get_double();
      else {
        out.push_back({field, n.type == Type::integer ? "must be an integer" : "must be a number"});
        return;
      }
      if (n.minimum && d < *n.minimum)
        out.push_back({field, "must be at least " + number_text(*n.minimum)});
      else if (n.maximum && d > *n.maximum)
        out.push_back({field, "must be at most " + number_text(*n.maximum)});
      return;
    }
    case Type::string: {
      if (!v.is_string()) {
        out.push_back({field, "must be a string"});
        return;
      }
      const std::string_view s = v.get_string();
      // The same answer on both engines: PostgreSQL refuses both, SQLite would store them.
      if (s.find('\0') != std::string_view::npos)
        out.push_back({field, "must not contain NUL characters"});
      else if (!is_utf8(s))
        out.push_back({field, "must be valid UTF-8"});
      else if (n.min_length && s.size() < *n.min_length)
        out.push_back({field, *n.min_length == 1
                                  ? "is required"
                                  : "must be at least " + std::to_string(*n.min_length) + " characters"});
      else if (n.max_length && s.size() > *n.max_length)
        out.push_back({field, "must be at most " + std::to_string(*n.max_length) + " characters"});
      else if (!n.enum_values.empty() &&
               std::find(n.enum_values.begin(), n.enum_values.end(), s) == n.enum_values.end())
        out.push_back({field, "must be one of: " + join(n.enum_values)});
      else if (n.format == "email" && !is_valid_email(s))
        out.push_back({field, "Invalid email format"});
      else if (n.format == "phone" && !is_valid_phone(s))
        out.push_back({field, "Invalid phone number"});
      else if (n.format == "upiId" && !is_valid_upi_id(s))
        out.push_back({field, "must be a UPI id like name@bank"});
      else if (n.format == "upiReference" && !is_valid_upi_reference(s))
        out.push_back({field, "must be the UPI transaction reference: 6-35 letters and digits"});
      else if (n.format == "objectId" && !ids::is_object_id(s))
        out.push_back({field, "Invalid id"});
      else if (n.format == "gatewayId" && !ids::is_gateway_id(s))
        out.push_back({field, "Invalid id"});
      else if (n.format == "date-time" && !clock::from_iso8601(s))
        out.push_back({field, "must be an ISO-8601 date"});
      else if (n.format == "uri" && !(s.starts_with("https://") || s.starts_with("http://")))
        out.push_back({field, "must be an http(s) URL"});
      return;
    }
    case Type::array: {
      if (!v.is_array()) {
        out.push_back({field, "must be an array"});
        return;
      }
      const auto& a = v.get_array();
      if (n.min_items && a.size() < *n.min_items)
        out.push_back({field, "must have at least " + std::to_string(*n.min_items) + " item(s)"});
      else if (n.max_items && a.size() > *n.max_items)
        out.push_back({field, "must have at most " + std::to_string(*n.max_items) + " items"});
      else
        for (std::size_t i = 0; i < a.size(); ++i) n.items->validate(a[i], path + "[" + std::to_string(i) + "]", out);
      return;
    }
    case Type::object: {
      if (!v.is_object()) {
        out.push_back({field, "must be an object"});
        return;
      }
      const auto& o = v.get_object();
      for (const auto& r : n.required)
        if (!o.contains(r)) out.push_back({child_path(path, r), "is required"});
      for (const auto& [name, schema] : n.properties)
        if (auto* p = o.if_contains(name)) schema.validate(*p, child_path(path, name), out);
      return;
    }
  }
}

bj::object Schema::coerce_query(const std::vector<std::pair<std::string, std::string>>& query,
                                std::vector<FieldError>& out) const {
  bj::object result;
  for (const auto& [name, schema] : n_->properties) {
    const std::string* text = nullptr;
    for (const auto& [k, v] : query)
      if (k == name) text = &v;  // the last one wins, as in Express
    if (!text) {
      if (schema.n_->default_value) result[name] = *schema.n_->default_value;
      continue;
    }
    bj::value v;
    switch (schema.type()) {
      case Type::integer: {
        std::int64_t i = 0;
        auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), i);
        if (ec != std::errc{} || p != text->data() + text->size()) {
          out.push_back({name, "must be an integer"});
          continue;
        }
        v = i;
        break;
      }
      case Type::number: {
        char* end = nullptr;
        const double d = std::strtod(text->c_str(), &end);
        if (text->empty() || end != text->c_str() + text->size() || !std::isfinite(d)) {
          out.push_back({name, "must be a number"});
          continue;
        }
        v = d;
        break;
      }
      case Type::boolean:
        if (*text == "true" || *text == "1")
          v = true;
        else if (*text == "false" || *text == "0")
          v = false;
        else {
          out.push_back({name, "must be true or false"});
          continue;
        }
        break;
      default:
        v = bj::string(*text);
    }
    schema.validate(v, name, out);
    result[name] = std::move(v);
  }
  for (const auto& r : n_->required)
    if (!result.contains(r)) out.push_back({r, "is required"});
  return result;
}

bj::value Schema::to_json_schema() const {
  const Node& n = *n_;
  bj::object s;
  static constexpr const char* kNames[] = {"string", "integer", "number", "boolean", "array", "object"};
  if (n.type != Type::any) {
    if (n.nullable)
      s["type"] = bj::array{kNames[static_cast<int>(n.type)], "null"};
    else
      s["type"] = kNames[static_cast<int>(n.type)];
  }
  if (!n.description.empty()) s["description"] = n.description;
  if (n.min_length) s["minLength"] = *n.min_length;
  if (n.max_length) s["maxLength"] = *n.max_length;
  if (n.minimum) s["minimum"] = *n.minimum;
  if (n.maximum) s["maximum"] = *n.maximum;
  if (n.min_items) s["minItems"] = *n.min_items;
  if (n.max_items) s["maxItems"] = *n.max_items;
  if (n.default_value) s["default"] = *n.default_value;
  if (!n.format.empty()) {
    if (n.format == "objectId")
      s["pattern"] = "^[0-9a-fA-F]{24}$";
    else if (n.format == "phone")
      s["pattern"] = "^\\+?[0-9]{10,15}$";
    else if (n.format == "gatewayId")
      s["pattern"] = "^[A-Za-z0-9_]{1,64}$";
    else if (n.format == "upiId")
      s["pattern"] = "^[A-Za-z0-9._-]{2,256}@[A-Za-z][A-Za-z0-9]{1,63}$";
    else if (n.format == "upiReference")
      s["pattern"] = "^[A-Za-z0-9]{6,35}$";
    else
      s["format"] = n.format;
  }
  if (!n.enum_values.empty()) {
    bj::array e;
    for (const auto& v : n.enum_values) e.emplace_back(v);
    s["enum"] = std::move(e);
  }
  if (n.items) s["items"] = n.items->to_json_schema();
  if (n.type == Type::object) {
    bj::object props;
    for (const auto& [name, schema] : n.properties) props[name] = schema.to_json_schema();
    s["properties"] = std::move(props);
    if (!n.required.empty()) {
      bj::array r;
      for (const auto& v : n.required) r.emplace_back(v);
      s["required"] = std::move(r);
    }
  }
  return s;
}

}  // namespace tiptop::http
