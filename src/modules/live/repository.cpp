#include "modules/live/repository.hpp"

namespace tiptop::live {

void insert_message(store::Connection& c, const ChatMessage& m) {
  c.execute(
      "INSERT INTO order_messages (id, order_id, sender_id, sender_role, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      {m.id, m.order_id, m.sender_id, m.sender_role, m.body, m.created_at});
}

std::vector<ChatMessage> list_messages(store::Connection& c, const std::string& order_id) {
  auto rs = c.query(
      "SELECT id, order_id, sender_id, sender_role, body, created_at FROM order_messages "
      "WHERE order_id = ? ORDER BY created_at, id LIMIT 500",
      {order_id});
  std::vector<ChatMessage> out;
  for (const auto& r : rs.rows)
    out.push_back({r.text("id"), r.text("order_id"), r.text("sender_id"), r.text("sender_role"), r.text("body"),
                   r.integer("created_at")});
  return out;
}

}  // namespace tiptop::live
