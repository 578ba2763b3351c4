#include "realtime/conformance.hpp"

#include <boost/asio/steady_timer.hpp>

namespace tiptop::realtime {
namespace {

// Sends back every message it receives, text or binary.
class Echo final : public eio::Listener {
 public:
  explicit Echo(std::weak_ptr<eio::Session> s) : session_(std::move(s)) {}
  void on_message(eio::Packet& p) override {
    if (auto s = session_.lock())
      s->send(p.binary ? eio::Frame::binary_message(std::move(p.data)) : eio::Frame::message(std::move(p.data)));
  }
  void on_close(eio::CloseReason) override {}

 private:
  std::weak_ptr<eio::Session> session_;
};

// The suite reads each reply with a one-shot listener re-armed after an await, and its `ws`
// client (8.5) delivers every frame of one TCP read synchronously: a CONNECT answer and this
// emit arriving in the same read lose the second frame to the test itself. The reference server
// is slow enough between the two writes for them to arrive apart; this fixture waits 2 ms to the
// same end. Only the test fixture does this: the server itself never delays a frame.
void emit_auth(const std::shared_ptr<sio::Socket>& s) {
  auto timer = std::make_shared<boost::asio::steady_timer>(s->executor(), std::chrono::milliseconds(2));
  timer->async_wait([timer, s](const boost::system::error_code&) {
    boost::json::array args;
    args.emplace_back(s->handshake_auth());
    s->emit("auth", std::move(args));
  });
}

}  // namespace

Conformance::Conformance(sio::Server& io, const eio::Settings& settings)
    : engine_(settings, [](const std::shared_ptr<eio::Session>& s, const http::Request&) {
        s->set_listener(std::make_shared<Echo>(s));
      }) {
  auto& main = io.of("/");
  main.on_connection = emit_auth;
  main.on("message", [](sio::Event& e) { e.socket->emit("message-back", std::move(e.args), std::move(e.buffers)); });
  main.on("message-with-ack", [](sio::Event& e) { e.ack(std::move(e.args), std::move(e.buffers)); });
  io.of("/custom").on_connection = emit_auth;
}

}  // namespace tiptop::realtime
