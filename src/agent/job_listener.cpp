#include "agent/job_listener.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "core/log.hpp"

namespace tiptop::agent {
namespace asio = boost::asio;
namespace beast = boost::beast;

JobListener::JobListener(std::string host, std::string port, std::string token, std::function<void()> wake)
    : host_(std::move(host)), port_(std::move(port)), token_(std::move(token)), wake_(std::move(wake)) {}

JobListener::~JobListener() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void JobListener::start() {
  thread_ = std::thread([this] { run(); });
}

void JobListener::run() {
  while (!stop_) {
    try {
      listen_once();
    } catch (const std::exception& e) {
      if (connected_.exchange(false)) log::warn("print agent: socket lost", {{"error", e.what()}});
    }
    connected_ = false;
    for (int i = 0; i < 20 && !stop_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void JobListener::listen_once() {
  asio::io_context io;
  beast::websocket::stream<beast::tcp_stream> ws(io);
  asio::ip::tcp::resolver resolver(io);
  beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(10));
  beast::get_lowest_layer(ws).connect(resolver.resolve(host_, port_));
  ws.handshake(host_ + ":" + port_, "/socket.io/?EIO=4&transport=websocket");
  beast::get_lowest_layer(ws).expires_never();

  // One read is always pending; each turn runs the loop for up to a second, so stop_ is seen.
  // (A cancelled read would leave Beast's stream unusable.)
  beast::flat_buffer buffer;
  std::optional<beast::error_code> read_done;
  auto arm = [&] {
    read_done.reset();
    buffer.clear();
    ws.async_read(buffer, [&](beast::error_code ec, std::size_t) { read_done = ec; });
  };
  auto next_frame = [&]() -> std::optional<std::string> {
    if (!read_done) {
      io.restart();
      io.run_for(std::chrono::seconds(1));
    }
    if (!read_done) return std::nullopt;
    if (*read_done) throw beast::system_error(*read_done);
    auto text = beast::buffers_to_string(buffer.data());
    arm();
    return text;
  };
  auto send = [&](const std::string& text) {
    std::optional<beast::error_code> wrote;
    ws.text(true);
    ws.async_write(asio::buffer(text), [&](beast::error_code ec, std::size_t) { wrote = ec; });
    io.restart();
    while (!wrote && io.run_one() > 0) {
    }
    if (!wrote) throw std::runtime_error("the socket stopped while writing");
    if (*wrote) throw beast::system_error(*wrote);
  };

  arm();
  std::optional<std::string> frame;
  for (int i = 0; i < 10 && !(frame = next_frame()); ++i) {
  }
  if (!frame || !frame->starts_with("0")) throw std::runtime_error("no Engine.IO open packet");
  send("40" + boost::json::serialize(boost::json::object{{"printerToken", token_}}));
  auto last_heard = std::chrono::steady_clock::now();
  while (!stop_) {
    frame = next_frame();
    if (!frame) {
      // The server pings every 25 s; a minute of silence is a dead connection.
      if (std::chrono::steady_clock::now() - last_heard > std::chrono::seconds(60))
        throw std::runtime_error("no ping from the server");
      continue;
    }
    last_heard = std::chrono::steady_clock::now();
    if (*frame == "2") {
      send("3");
    } else if (frame->starts_with("40")) {
      if (!connected_.exchange(true)) log::info("print agent: listening for jobs");
      wake_();  // catch up on what was queued while away
    } else if (frame->starts_with("44")) {
      throw std::runtime_error("the server refused the printer token: " + *frame);
    } else if (frame->starts_with("42") && frame->find("\"print:job\"") != std::string::npos) {
      wake_();
    }
  }
}

}  // namespace tiptop::agent
