#pragma once
// SQL for the chat messages of orders (order_messages).
#include <string>
#include <vector>

#include "modules/live/model.hpp"
#include "store/database.hpp"

namespace tiptop::live {

void insert_message(store::Connection& c, const ChatMessage& m);
// Oldest first, at most 500.
std::vector<ChatMessage> list_messages(store::Connection& c, const std::string& order_id);

}  // namespace tiptop::live
