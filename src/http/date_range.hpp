#pragma once
// The from/to query parameters of reports and admin lists, read one way everywhere.
#include <boost/json/object.hpp>
#include <optional>

#include "core/clock.hpp"
#include "http/schema.hpp"

namespace tiptop::http {

struct DateRange {
  std::optional<clock::Millis> from, to;  // to is exclusive
};

// The two query-schema properties, documented alike on every route that takes them.
std::pair<std::string, Schema> from_param();
std::pair<std::string, Schema> to_param();
// ISO-8601 instants or restaurant-local YYYY-MM-DD days (see clock::range_bound). An unreadable
// bound, or to before from, is a ValidationError naming the field.
DateRange date_range(const boost::json::object& query);

}  // namespace tiptop::http
