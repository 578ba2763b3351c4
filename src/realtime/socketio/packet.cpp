#include "realtime/socketio/packet.hpp"

#include <algorithm>

#include "core/json.hpp"

namespace tiptop::realtime::sio {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool reserved_event(std::string_view name) {
  static constexpr std::string_view kReserved[] = {"connect",       "connect_error", "disconnect",
                                                   "disconnecting", "newListener",   "removeListener"};
  return std::find(std::begin(kReserved), std::end(kReserved), name) != std::end(kReserved);
}

// The rules of the reference parser (socket.io-parser isPayloadValid).
bool payload_valid(Type type, const std::optional<boost::json::value>& data) {
  switch (type) {
    case Type::connect:
      return !data || data->is_object();
    case Type::disconnect:
      return !data;
    case Type::connect_error:
      return data && (data->is_string() || data->is_object());
    case Type::event:
    case Type::binary_event: {
      if (!data || !data->is_array() || data->as_array().empty()) return false;
      const auto& first = data->as_array().front();
      return first.is_number() || (first.is_string() && !reserved_event(first.as_string()));
    }
    case Type::ack:
    case Type::binary_ack:
      return data && data->is_array();
  }
  return false;
}

}  // namespace

std::optional<Packet> decode(std::string_view text) {
  if (text.empty() || text[0] < '0' || text[0] > '6') return std::nullopt;
  Packet p;
  p.type = static_cast<Type>(text[0] - '0');
  std::size_t i = 1;
  if (p.type == Type::binary_event || p.type == Type::binary_ack) {
    const auto start = i;
    while (i < text.size() && is_digit(text[i]) && i - start < 3) ++i;
    if (i == start || i >= text.size() || text[i] != '-') return std::nullopt;
    p.attachments = std::stoul(std::string(text.substr(start, i - start)));
    if (p.attachments > kMaxAttachments) return std::nullopt;
    ++i;
  }
  if (i < text.size() && text[i] == '/') {
    const auto comma = text.find(',', i);
    const auto end = comma == std::string_view::npos ? text.size() : comma;
    p.nsp = std::string(text.substr(i, end - i));
    if (p.nsp.size() > 128) return std::nullopt;
    i = comma == std::string_view::npos ? text.size() : comma + 1;
  }
  if (i < text.size() && is_digit(text[i])) {
    const auto start = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    if (i - start > 15) return std::nullopt;
    p.id = std::stoull(std::string(text.substr(start, i - start)));
  }
  if (i < text.size()) {
    try {
      p.data = json::parse_body(text.substr(i));
    } catch (...) {
      return std::nullopt;
    }
  }
  if (!payload_valid(p.type, p.data)) return std::nullopt;
  return p;
}

std::string encode(const Packet& p) {
  std::string out;
  out.push_back(static_cast<char>('0' + static_cast<int>(p.type)));
  if (p.type == Type::binary_event || p.type == Type::binary_ack) {
    out += std::to_string(p.buffers.size());
    out.push_back('-');
  }
  if (p.nsp != "/") {
    out += p.nsp;
    out.push_back(',');
  }
  if (p.id) out += std::to_string(*p.id);
  if (p.data) out += json::serialize(*p.data);
  return out;
}

}  // namespace tiptop::realtime::sio
