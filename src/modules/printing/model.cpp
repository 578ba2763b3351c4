#include "modules/printing/model.hpp"

#include <algorithm>

#include "core/json.hpp"

namespace tiptop::printing {
namespace bj = boost::json;
namespace {

bj::value time_or_null(const std::optional<clock::Millis>& t) {
  return t ? bj::value(clock::to_iso8601(*t)) : bj::value(nullptr);
}

}  // namespace

bool Printer::prints(const std::string& kind) const {
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

bj::object to_json(const Printer& p, clock::Millis now) {
  bj::array kinds;
  for (const auto& k : p.kinds) kinds.emplace_back(k);
  return {{"_id", p.id},
          {"name", p.name},
          {"paperWidth", p.paper_width},
          {"jobs", std::move(kinds)},
          {"isActive", p.active},
          {"online", p.online(now)},
          {"lastSeenAt", time_or_null(p.last_seen_at)},
          {"createdAt", clock::to_iso8601(p.created_at)},
          {"updatedAt", clock::to_iso8601(p.updated_at)}};
}

bj::object to_json(const PrintJob& j) {
  return {{"_id", j.id},
          {"orderId", j.order_id},
          {"orderNumber", j.order_number},
          {"kind", j.kind},
          {"state", j.state},
          {"printerId", json::string_or_null(j.printer_id)},
          {"leaseUntil", time_or_null(j.lease_until)},
          {"attempts", j.attempts},
          {"reprint", j.says_reprint()},
          {"reprintOf", json::string_or_null(j.reprint_of)},
          {"createdAt", clock::to_iso8601(j.created_at)},
          {"printedAt", time_or_null(j.printed_at)}};
}

}  // namespace tiptop::printing
