#pragma once
// A raw Engine.IO/Socket.IO client over WebSocket for tests, reading with deadlines.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <optional>
#include <string>

namespace tiptop::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;

class WsClient {
 public:
  WsClient(std::uint16_t port, const std::string& token) : ws_(ioc_) {
    asio::ip::tcp::resolver resolver(ioc_);
    asio::connect(ws_.next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)));
    ws_.handshake("127.0.0.1", "/socket.io/?EIO=4&transport=websocket");
    auto open = read();
    if (!open || (*open)[0] != '0') throw std::runtime_error("no Engine.IO open packet");
    send(R"(40{"token":")" + token + R"("})");
    auto ack = read();
    if (!ack || !ack->starts_with("40{")) throw std::runtime_error("not connected: " + ack.value_or("(nothing)"));
  }

  void send(const std::string& text) {
    ws_.text(true);
    ws_.write(asio::buffer(text));
  }
  void send_binary(const std::string& bytes) {
    ws_.binary(true);
    beast::error_code ec;
    ws_.write(asio::buffer(bytes), ec);
  }

  // The next text frame that is not a ping (pings are answered), or nothing when the connection
  // closed or `wait` passed.
  std::optional<std::string> read(std::chrono::milliseconds wait = std::chrono::milliseconds(3000)) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < deadline) {
      beast::flat_buffer buffer;
      std::optional<beast::error_code> done;
      ws_.async_read(buffer, [&](beast::error_code ec, std::size_t) { done = ec; });
      ioc_.restart();
      ioc_.run_until(deadline);
      if (!done) {
        beast::get_lowest_layer(ws_).cancel();
        ioc_.restart();
        ioc_.run();
        return std::nullopt;
      }
      if (*done) {
        closed_ = true;
        return std::nullopt;
      }
      auto text = beast::buffers_to_string(buffer.data());
      if (text == "2") {
        send("3");
        continue;
      }
      return text;
    }
    return std::nullopt;
  }
  bool closed() const { return closed_; }

 private:
  asio::io_context ioc_;
  beast::websocket::stream<asio::ip::tcp::socket> ws_;
  bool closed_ = false;
};

}  // namespace tiptop::testing
