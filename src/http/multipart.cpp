#include "http/multipart.hpp"

#include <algorithm>

#include "core/errors.hpp"

namespace tiptop::http {
namespace {

[[noreturn]] void malformed(const std::string& why) { throw BadRequestError("INVALID_MULTIPART", why); }

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// name="value" or name=value from a header's parameters, e.g. Content-Disposition.
std::string parameter(std::string_view header, std::string_view name) {
  std::size_t pos = 0;
  while ((pos = header.find(';', pos)) != std::string_view::npos) {
    auto rest = trim(header.substr(pos + 1));
    ++pos;
    const auto eq = rest.find('=');
    if (eq == std::string_view::npos || lower(trim(rest.substr(0, eq))) != name) continue;
    auto value = trim(rest.substr(eq + 1));
    if (!value.empty() && value.front() == '"') {
      const auto close = value.find('"', 1);
      if (close == std::string_view::npos) malformed("unterminated quoted parameter");
      return std::string(value.substr(1, close - 1));
    }
    return std::string(value.substr(0, value.find(';')));
  }
  return {};
}

}  // namespace

std::vector<FormPart> parse_multipart(std::string_view content_type, std::string_view body, std::size_t max_parts) {
  if (lower(content_type).rfind("multipart/form-data", 0) != 0)
    throw UnsupportedMediaTypeError("Content-Type must be multipart/form-data");
  const std::string boundary = parameter(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 70) malformed("missing or invalid multipart boundary");
  const std::string delimiter = "--" + boundary;

  std::vector<FormPart> parts;
  auto pos = body.find(delimiter);
  if (pos == std::string_view::npos) malformed("multipart body does not contain its boundary");
  pos += delimiter.size();
  for (;;) {
    if (body.substr(pos, 2) == "--") break;  // closing delimiter
    if (body.substr(pos, 2) != "\r\n") malformed("malformed multipart delimiter line");
    pos += 2;
    const auto headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) malformed("multipart part without headers");
    FormPart part;
    for (auto headers = body.substr(pos, headers_end - pos); !headers.empty();) {
      const auto eol = headers.find("\r\n");
      const auto line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view{} : headers.substr(eol + 2);
      const auto colon = line.find(':');
      if (colon == std::string_view::npos) malformed("malformed multipart header");
      const auto name = lower(trim(line.substr(0, colon)));
      const auto value = trim(line.substr(colon + 1));
      if (name == "content-disposition") {
        if (lower(value).rfind("form-data", 0) != 0) malformed("part is not form-data");
        part.name = parameter(value, "name");
        part.filename = parameter(value, "filename");
      } else if (name == "content-type") {
        part.content_type = std::string(value);
      }
    }
    const auto data_start = headers_end + 4;
    const auto next = body.find("\r\n" + delimiter, data_start);
    if (next == std::string_view::npos) malformed("multipart part is not terminated by its boundary");
    part.data = body.substr(data_start, next - data_start);
    if (part.name.empty()) malformed("multipart part without a field name");
    parts.push_back(std::move(part));
    if (parts.size() > max_parts) malformed("too many multipart parts");
    pos = next + 2 + delimiter.size();
  }
  return parts;
}

}  // namespace tiptop::http
