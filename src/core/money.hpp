#pragma once
// Money is integer paise everywhere inside; JSON shows rupees with at most two decimals.
// No floating point takes part in pricing arithmetic: the double exists only at the JSON edge.
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace tiptop::money {

using Paise = std::int64_t;

// 24950 -> 249.5 (a JSON number; serialises as the shortest exact decimal).
boost::json::value to_json(Paise paise);
// "249.50" style text, for receipts and logs.
std::string format_rupees(Paise paise);
// A JSON number of rupees -> paise; nullopt when not a number, negative, beyond 1e12 or with more
// than two decimals (249.999 is refused, never rounded).
std::optional<Paise> from_json(const boost::json::value& v);
// The same for a request field: throws ValidationError naming `field` when it is not such an amount.
Paise require(const boost::json::value& v, const std::string& field);

}  // namespace tiptop::money
