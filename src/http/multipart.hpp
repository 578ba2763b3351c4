#pragma once
// multipart/form-data (RFC 7578) for uploads. Strict: a malformed body is a 400, never a guess.
#include <string>
#include <string_view>
#include <vector>

namespace tiptop::http {

struct FormPart {
  std::string name;          // form field name
  std::string filename;      // as sent; never used as a path
  std::string content_type;  // as declared; never trusted for what the bytes are
  std::string_view data;     // points into the request body
};

// Throws BadRequestError (INVALID_MULTIPART) for a missing boundary, a body that does not follow it,
// or more than max_parts parts.
std::vector<FormPart> parse_multipart(std::string_view content_type, std::string_view body, std::size_t max_parts = 16);

}  // namespace tiptop::http
