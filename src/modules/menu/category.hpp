#pragma once
// A menu category as the staff keep it (issue 22): its place in the menu, a picture, whether it is
// on, and optional serving hours (breakfast, lunch only…). Items point at one; an item's spec shape
// still says category.main with the category's name.
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/clock.hpp"

namespace tiptop::menu {

struct Category {
  std::string id, name, slug, image;
  int sort_order = 0;
  bool is_active = true;
  std::optional<int> serving_from, serving_until;  // minutes after local midnight; both or neither
  clock::Millis created_at = 0, updated_at = 0;

  bool has_hours() const { return serving_from && serving_until; }
  // Served at this minute of the restaurant's day (always, without hours); until before from wraps
  // past midnight.
  bool serving_at(int minute_of_day) const;
  std::string hours_text() const;  // "12:00–15:30"
};

// The minute of the restaurant's day an instant falls in (0-1439): what serving hours are kept in.
inline int minute_of_day(clock::Millis utc) { return static_cast<int>(clock::local_seconds(utc) % 86'400 / 60); }

// itemCount: how many items (deleted ones aside) it holds; -1 leaves it out.
boost::json::object to_json(const Category& c, std::int64_t item_count = -1);
// The fields of a validated body onto c; throws ValidationError for hours that are not HH:MM or
// come alone.
void apply_fields(Category& c, const boost::json::object& body);

}  // namespace tiptop::menu
