#include "realtime/engineio/packet.hpp"

#include "core/crypto.hpp"

namespace tiptop::realtime::eio {

Frame Frame::text(Type type, std::string_view data) {
  auto s = std::make_shared<std::string>();
  s->reserve(1 + data.size());
  s->push_back(static_cast<char>(type));
  s->append(data);
  return Frame{std::move(s), false};
}

Frame Frame::message(std::string text) {
  text.insert(text.begin(), static_cast<char>(Type::message));
  return Frame{std::make_shared<const std::string>(std::move(text)), false};
}

Frame Frame::binary_message(std::string raw) {
  return Frame{std::make_shared<const std::string>(std::move(raw)), true};
}

std::optional<Packet> decode_text(std::string_view text) {
  if (text.empty() || text[0] < '0' || text[0] > '6') return std::nullopt;
  return Packet{static_cast<Type>(text[0]), std::string(text.substr(1)), false};
}

std::optional<std::vector<Packet>> decode_payload(std::string_view body) {
  std::vector<Packet> packets;
  while (true) {
    const auto sep = body.find('\x1e');
    const auto record = body.substr(0, sep);
    if (!record.empty() && record[0] == 'b') {
      Packet p{Type::message, {}, true};
      if (!crypto::base64_decode(record.substr(1), p.data)) return std::nullopt;
      packets.push_back(std::move(p));
    } else {
      auto p = decode_text(record);
      if (!p) return std::nullopt;
      packets.push_back(std::move(*p));
    }
    if (sep == std::string_view::npos) break;
    body.remove_prefix(sep + 1);
  }
  return packets;
}

std::string encode_payload(const std::vector<Frame>& frames) {
  std::string out;
  std::size_t total = 0;
  for (const auto& f : frames) total += f.size() + 1;
  out.reserve(total);
  for (const auto& f : frames) {
    if (!out.empty()) out.push_back('\x1e');
    if (f.binary) {
      out.push_back('b');
      out += crypto::base64_encode(*f.bytes);
    } else {
      out += *f.bytes;
    }
  }
  return out;
}

}  // namespace tiptop::realtime::eio
