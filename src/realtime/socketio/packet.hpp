#pragma once
// Socket.IO v5 packets (https://github.com/socketio/socket.io-protocol):
//   <type>[<attachments>-][<namespace>,][<ack id>][<JSON>]
// e.g. 2["hello",1]   2/admin,12["hi"]   451-["upload",{"_placeholder":true,"num":0}]
// A BINARY_EVENT/BINARY_ACK is followed by its attachments as binary Engine.IO messages.
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tiptop::realtime::sio {

enum class Type : int {
  connect = 0,
  disconnect = 1,
  event = 2,
  ack = 3,
  connect_error = 4,
  binary_event = 5,
  binary_ack = 6
};

constexpr std::size_t kMaxAttachments = 16;

struct Packet {
  Type type = Type::event;
  std::string nsp = "/";
  std::optional<std::uint64_t> id;
  std::optional<boost::json::value> data;
  std::size_t attachments = 0;       // announced in the header
  std::vector<std::string> buffers;  // received (or to send) attachments, in order
};

// Nothing when the text is not a valid packet (unknown type, bad namespace or id, invalid JSON,
// or a payload the type does not allow).
std::optional<Packet> decode(std::string_view text);
// The text part; binary types carry buffers.size() as their attachment count.
std::string encode(const Packet& p);

}  // namespace tiptop::realtime::sio
