// Socket.IO v5 packets as they arrive in an Engine.IO message. A packet that decodes must encode,
// and the encoding must decode to the same packet (type, namespace, ack id, data). Numbers are
// compared to within a relative 1e-12: Boost.JSON 1.81 parses numbers longer than a double holds
// without correct rounding (5E106 comes back as 5.000000000000001E106; finding 1 in README.md).
#include <cmath>
#include <cstdlib>

#include "fuzz_target.hpp"
#include "realtime/socketio/packet.hpp"

using namespace tiptop::realtime;
namespace bj = boost::json;

namespace {

bool same(const bj::value& a, const bj::value& b) {
  if (a.is_number() && b.is_number()) {
    const double x = a.to_number<double>(), y = b.to_number<double>();
    return x == y || std::abs(x - y) <= 1e-12 * std::max(std::abs(x), std::abs(y));
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto &p = a.get_array(), &q = b.get_array();
    if (p.size() != q.size()) return false;
    for (std::size_t i = 0; i < p.size(); ++i)
      if (!same(p[i], q[i])) return false;
    return true;
  }
  if (a.is_object()) {
    const auto &p = a.get_object(), &q = b.get_object();
    if (p.size() != q.size()) return false;
    for (const auto& [k, v] : p) {
      const auto* w = q.if_contains(k);
      if (!w || !same(v, *w)) return false;
    }
    return true;
  }
  return a == b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto packet = sio::decode(tiptop::fuzz::text(data, size));
  if (!packet) return 0;
  packet->buffers.resize(packet->attachments);  // as if the announced attachments arrived
  const auto again = sio::decode(sio::encode(*packet));
  if (!again || again->type != packet->type || again->nsp != packet->nsp || again->id != packet->id ||
      again->data.has_value() != packet->data.has_value() || (packet->data && !same(*again->data, *packet->data)))
    std::abort();  // the round trip changed the packet
  return 0;
}
