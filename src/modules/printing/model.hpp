#pragma once
// The kitchen's printers and their print jobs (issue 22). A printer is registered by an admin and
// driven by a print agent holding its token; a job is one ticket (the kitchen's) or bill (the
// customer's) of one order, claimed by an agent with a lease and acknowledged once on paper.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"

namespace tiptop::printing {

// An agent that called within this long is shown online.
inline constexpr clock::Millis kOnlineWindow = 45'000;

struct Printer {
  std::string id, name;
  int paper_width = 58;            // mm: 58 or 80
  std::vector<std::string> kinds;  // "kitchen", "bill"
  bool active = true;
  std::optional<clock::Millis> last_seen_at;
  std::string created_by;
  clock::Millis created_at = 0, updated_at = 0;

  bool prints(const std::string& kind) const;
  bool online(clock::Millis now) const { return active && last_seen_at && now - *last_seen_at <= kOnlineWindow; }
};

struct PrintJob {
  std::int64_t seq = 0;
  std::string id, order_id, order_number, kind, state;  // state: queued, claimed, printing, printed
  std::string printer_id, reprint_of, requested_by;
  std::optional<clock::Millis> lease_until, printed_at;
  std::int64_t attempts = 0;
  bool reached_paper = false;  // a claim marked it printing: any further copy says REPRINT
  clock::Millis created_at = 0, updated_at = 0;

  bool says_reprint() const { return reached_paper || !reprint_of.empty(); }
};

boost::json::object to_json(const Printer& p, clock::Millis now);
boost::json::object to_json(const PrintJob& j);

}  // namespace tiptop::printing
