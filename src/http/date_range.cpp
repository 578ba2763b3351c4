#include "http/date_range.hpp"

#include "core/json.hpp"

namespace tiptop::http {

std::pair<std::string, Schema> from_param() {
  return {"from", Schema::string().max_length(40).describe("ISO-8601 instant, or YYYY-MM-DD in the restaurant's time zone")};
}

std::pair<std::string, Schema> to_param() {
  return {"to", Schema::string().max_length(40).describe("exclusive instant, or YYYY-MM-DD (that whole day included)")};
}

DateRange date_range(const boost::json::object& query) {
  DateRange r;
  std::vector<FieldError> errors;
  for (const auto* name : {"from", "to"}) {
    const auto text = json::string_or(query, name);
    if (text.empty()) continue;
    const bool end = std::string_view(name) == "to";
    auto at = clock::range_bound(text, end);
    if (!at) errors.push_back({name, "must be an ISO-8601 date-time or YYYY-MM-DD"});
    (end ? r.to : r.from) = at;
  }
  if (errors.empty() && r.from && r.to && *r.to < *r.from) errors.push_back({"to", "must not be before from"});
  if (!errors.empty()) throw ValidationError("Validation failed", std::move(errors));
  return r;
}

}  // namespace tiptop::http
