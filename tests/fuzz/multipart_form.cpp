// multipart/form-data (uploads): the first line of the input is the Content-Type header, the rest
// the body. Parts must point inside the body; bad input is refused with a 4xx AppError (400
// INVALID_MULTIPART, 415 for another media type), nothing else.
#include <cstdlib>

#include "core/errors.hpp"
#include "fuzz_target.hpp"
#include "http/multipart.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = tiptop::fuzz::text(data, size);
  const auto eol = input.find('\n');
  const auto content_type = input.substr(0, eol == std::string_view::npos ? input.size() : eol);
  const auto body = eol == std::string_view::npos ? std::string_view{} : input.substr(eol + 1);
  try {
    for (const auto& part : tiptop::http::parse_multipart(content_type, body)) {
      if (!part.data.empty() &&
          (part.data.data() < body.data() || part.data.data() + part.data.size() > body.data() + body.size()))
        std::abort();  // a part outside the body it came from
    }
  } catch (const tiptop::AppError& e) {
    if (e.status() < 400 || e.status() > 499) std::abort();
  }
  return 0;
}
