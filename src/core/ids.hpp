#pragma once
// ObjectId-format ids: 4-byte seconds, 5 random bytes per process, 3-byte counter, as 24 hex.
// MongoDB's layout, so data exported from the Node deployment and isMongoId checks keep working.
#include <string>
#include <string_view>

namespace tiptop::ids {

std::string new_object_id();
bool is_object_id(std::string_view s) noexcept;
// An id a provider gave us (Razorpay's order_…, pay_…, rfnd_…): 1-64 letters, digits and
// underscores, so it can go into a provider's URL path as it is.
bool is_gateway_id(std::string_view s) noexcept;

}  // namespace tiptop::ids
