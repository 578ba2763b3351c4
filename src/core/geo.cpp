#include "core/geo.hpp"

#include <algorithm>
#include <cmath>

namespace tiptop::geo {

double haversine_km(double lng1, double lat1, double lng2, double lat2) {
  constexpr double kEarthKm = 6371.0088, kRad = 3.14159265358979323846 / 180.0;
  const double dlat = (lat2 - lat1) * kRad, dlng = (lng2 - lng1) * kRad;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlng / 2) * std::sin(dlng / 2);
  return 2 * kEarthKm * std::asin(std::min(1.0, std::sqrt(a)));
}

}  // namespace tiptop::geo
