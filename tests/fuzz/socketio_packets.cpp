// Socket.IO v5 packets as they arrive in an Engine.IO message. A packet that decodes must encode,
// and the encoding must decode to the same packet (type, namespace, ack id, data).
#include <cstdlib>

#include "fuzz_target.hpp"
#include "realtime/socketio/packet.hpp"

using namespace tiptop::realtime;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto packet = sio::decode(tiptop::fuzz::text(data, size));
  if (!packet) return 0;
  packet->buffers.resize(packet->attachments);  // as if the announced attachments arrived
  const auto again = sio::decode(sio::encode(*packet));
  if (!again || again->type != packet->type || again->nsp != packet->nsp || again->id != packet->id ||
      again->data != packet->data)
    std::abort();  // the round trip changed the packet
  return 0;
}
