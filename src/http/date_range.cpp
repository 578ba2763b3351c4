#include "http/date_range.hpp"

#include "core/json.hpp"

namespace tiptop::http {

std::pair<std::string, Schema> from_param() {
  return {"from",
          Schema::string().max_length(40).describe("ISO-8601 instant, or YYYY-MM-DD in the restaurant's time zone")};
}

std::pair<std::string, Schema> to_param() {
  return {"to", Schema::string().max_length(40).describe("exclusive instant, or YYYY-MM-DD (that whole day included)")};
}

DateRange date_range(const boost::json::object& query) {
  DateRange r;
  std::vector<FieldError> errors;
  const auto from_text = json::string_or(query, "from"), to_text = json::string_or(query, "to");
  if (!from_text.empty() && !(r.from = clock::range_bound(from_text, false)))
    errors.push_back({"from", "must be an ISO-8601 date-time or YYYY-MM-DD"});
  if (!to_text.empty() && !(r.to = clock::range_bound(to_text, true)))
    errors.push_back({"to", "must be an ISO-8601 date-time or YYYY-MM-DD"});
  // Compared as written: to=2024-12-05 with from=2024-12-06 is backwards even though the end of
  // the 5th touches the start of the 6th.
  if (errors.empty() && r.from && r.to && *clock::range_bound(to_text, false) < *r.from)
    errors.push_back({"to", "must not be before from"});
  if (!errors.empty()) throw ValidationError("Validation failed", std::move(errors));
  return r;
}

}  // namespace tiptop::http
