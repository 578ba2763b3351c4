// A JSON request body through the server's parser (depth and syntax limits) and schema
// validation, then a query string through coercion. Malformed JSON is BadRequestError; anything
// that parses is validated without fault, and every reported field path is non-empty text.
#include <boost/json/value.hpp>
#include <cstdlib>

#include "core/errors.hpp"
#include "core/json.hpp"
#include "fuzz_schemas.hpp"
#include "fuzz_target.hpp"
#include "http/request.hpp"

using namespace tiptop;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const http::Schema schemas[] = {fuzz::placement_schema(), fuzz::profile_schema()};
  static const http::Schema query_schema = fuzz::listing_query_schema();
  const auto input = fuzz::text(data, size);
  try {
    const auto body = json::parse_body(input);
    for (const auto& schema : schemas) {
      std::vector<FieldError> problems;
      schema.validate(body, "", problems);
      for (const auto& p : problems)
        if (p.message.empty()) std::abort();  // every problem says what is wrong
    }
    (void)json::serialize(body);
  } catch (const BadRequestError&) {
  }
  // The same bytes as a request target's query string.
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  if (http::parse_target("/api/v1/menu/items?" + std::string(input), path, query)) {
    std::vector<FieldError> problems;
    (void)query_schema.coerce_query(query, problems);
  }
  return 0;
}
