// Engine.IO v4: a polling POST body and a single WebSocket text frame, as a client may send them.
// Whatever decodes must encode again without fault.
#include "fuzz_target.hpp"
#include "realtime/engineio/packet.hpp"

using namespace tiptop::realtime;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = tiptop::fuzz::text(data, size);
  if (auto one = eio::decode_text(input)) {
    const auto frame = one->binary ? eio::Frame::binary_message(one->data) : eio::Frame::text(one->type, one->data);
    (void)eio::encode_payload({frame});
  }
  if (auto packets = eio::decode_payload(input)) {
    std::vector<eio::Frame> frames;
    for (const auto& p : *packets)
      frames.push_back(p.binary ? eio::Frame::binary_message(p.data) : eio::Frame::text(p.type, p.data));
    (void)eio::encode_payload(frames);
  }
  return 0;
}
