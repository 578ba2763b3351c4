#pragma once
// The reference servers of the official protocol test suites (socketio/engine.io-protocol and
// socketio/socket.io-protocol, folder test-suite/), so `tiptop serve` can be checked against
// them: an Engine.IO echo at /engine.io/, and on /socket.io/ a main namespace that echoes
// "message" as "message-back", answers "message-with-ack", and a /custom namespace; both emit
// "auth" with the handshake's auth payload on connection.
#include <memory>

#include "http/pipeline.hpp"
#include "realtime/engineio/server.hpp"
#include "realtime/socketio/server.hpp"

namespace tiptop::realtime {

class Conformance {
 public:
  Conformance(sio::Server& io, const eio::Settings& settings);
  http::Mount engine_mount() { return engine_.mount("/engine.io/"); }
  void shutdown() { engine_.shutdown(); }

 private:
  eio::Server engine_;
};

}  // namespace tiptop::realtime
