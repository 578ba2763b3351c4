#pragma once
// Bulk actions of the staff's screens (several orders in one call): each id is handled on its own,
// in its own transaction, and answered on its own — a refusal of one never undoes another.
#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <functional>
#include <string>
#include <vector>

#include "http/error_response.hpp"
#include "http/schema.hpp"

namespace tiptop::http {

// The body's list of order ids: 1 to 50 distinct ids.
inline Schema bulk_ids_schema() {
  return Schema::array(Schema::string().format("objectId")).min_items(1).max_items(50).describe("order ids, 1-50");
}

// [{id, success: true, data}] or [{id, success: false, status, error: {code, message, …}}], in
// the ids' order. A repeated id is answered once.
inline boost::asio::awaitable<boost::json::array> for_each_id(
    std::vector<std::string> ids, std::string request_id,
    std::function<boost::asio::awaitable<boost::json::value>(std::string)> each) {
  boost::json::array out;
  std::vector<std::string> seen;
  for (auto& id : ids) {
    if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
    seen.push_back(id);
    std::exception_ptr failed;
    boost::json::value data;
    try {
      data = co_await each(id);
    } catch (...) {
      failed = std::current_exception();
    }
    if (!failed) {
      out.push_back(boost::json::object{{"id", id}, {"success", true}, {"data", std::move(data)}});
    } else {
      auto e = describe(failed, request_id);
      out.push_back(
          boost::json::object{{"id", id}, {"success", false}, {"status", e.status}, {"error", std::move(e.error)}});
    }
  }
  co_return out;
}

// The ids of a validated body's "orderIds".
inline std::vector<std::string> bulk_ids(const boost::json::object& body) {
  std::vector<std::string> ids;
  for (const auto& v : body.at("orderIds").as_array()) ids.emplace_back(v.as_string());
  return ids;
}

}  // namespace tiptop::http
