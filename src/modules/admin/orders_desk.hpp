#pragma once
// The restaurant's orders desk (spec §3.1 /admin/orders): every order, filtered and sorted, by
// page or by cursor; and the figures of a period — counts by status, revenue, preparation and
// delivery times, orders running late.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "modules/orders/repository.hpp"
#include "store/database.hpp"

namespace tiptop::admin {

struct DeskPage {
  std::vector<orders::Order> orders;
  std::int64_t total = 0;  // page mode only
  bool has_more = false;   // cursor mode only
  std::string next_cursor;
};

class OrdersDesk {
 public:
  explicit OrdersDesk(store::Database& db) : db_(db) {}

  // cursor: nullopt = page mode; "" = the first page of a cursor listing; else from nextCursor.
  boost::asio::awaitable<DeskPage> search(orders::OrderSearch filter, std::int64_t page, std::int64_t limit,
                                          std::optional<std::string> cursor);
  boost::asio::awaitable<boost::json::object> stats(clock::Millis from, clock::Millis to);
  // The kitchen's board: every open order by status (oldest first), with its age and time in the
  // status, and the counts, with today's delivered and cancelled. Two queries, built to be polled.
  boost::asio::awaitable<boost::json::object> board(clock::Millis now);

 private:
  store::Database& db_;
};

// "orders|sort|key|id" as base64url: opaque to clients, bound to its sort.
std::string encode_cursor(const orders::Order& last, const std::string& sort);
std::optional<orders::OrderSearch::After> decode_cursor(const std::string& cursor, const std::string& sort);

}  // namespace tiptop::admin
