#pragma once
// Shared by the two ways an order is placed (service.cpp: a customer's; counter.cpp: at the
// counter): the Idempotency-Key's stored answer, and the year an order is numbered in.
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "modules/orders/service.hpp"
#include "store/database.hpp"

namespace tiptop::orders {

// Under the row's lock: the order this key made (a replay), a refusal (the key came with another
// body, or an older server's claim is still running), or nothing (no record, or one too old).
std::optional<Placed> replay_of(store::Connection& c, const std::string& owner_id, const std::string& key,
                                const std::string& request_hash);
// The year of the restaurant's calendar an order placed at `now` is numbered in.
int local_year(clock::Millis now);

}  // namespace tiptop::orders
