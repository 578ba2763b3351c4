#pragma once
// Great-circle distance on the WGS-84 mean radius: the delivery radius, the per-km fee, the
// nearest partner and the distance a partner rode all use this one formula.
namespace tiptop::geo {

// Kilometres between two points given as longitude, latitude in degrees (haversine).
double haversine_km(double lng1, double lat1, double lng2, double lat2);

}  // namespace tiptop::geo
