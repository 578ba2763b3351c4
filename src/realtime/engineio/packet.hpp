#pragma once
// Engine.IO v4 packets (https://github.com/socketio/engine.io-protocol): one character of type,
// then the data. On a WebSocket each frame is one packet and a binary frame is a binary message;
// over long-polling packets are joined with the record separator \x1e and binary messages travel
// as "b" + base64.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tiptop::realtime::eio {

enum class Type : char { open = '0', close = '1', ping = '2', pong = '3', message = '4', upgrade = '5', noop = '6' };

// An outgoing packet as it goes on a WebSocket: the type character and data for text, the raw
// bytes of a binary message. Shared, so a broadcast encodes once for every recipient.
struct Frame {
  std::shared_ptr<const std::string> bytes;
  bool binary = false;

  static Frame text(Type type, std::string_view data = {});
  static Frame message(std::string text);        // "4" + text
  static Frame binary_message(std::string raw);  // a binary message
  std::size_t size() const { return bytes ? bytes->size() : 0; }
};

struct Packet {
  Type type = Type::noop;
  std::string data;
  bool binary = false;  // a binary message; data holds the raw bytes
};

// A text frame or one polling record: nothing when the type is unknown.
std::optional<Packet> decode_text(std::string_view text);
// A polling POST body: nothing when any record is malformed.
std::optional<std::vector<Packet>> decode_payload(std::string_view body);
// Frames for a polling GET answer, joined by \x1e, binary as "b" + base64.
std::string encode_payload(const std::vector<Frame>& frames);

}  // namespace tiptop::realtime::eio
