#pragma once
// A chat message between an order's customer and its delivery partner, kept with the order.
#include <cstdint>
#include <string>

namespace tiptop::live {

struct ChatMessage {
  std::string id, order_id, sender_id, sender_role, body;
  std::int64_t created_at = 0;
};

}  // namespace tiptop::live
