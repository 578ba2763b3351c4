#include "http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <array>
#include <limits>

#include "core/log.hpp"
#include "http/error_response.hpp"
#include "http/upgrade.hpp"
#include "http/wire.hpp"

namespace tiptop::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

struct Server::Acceptor {
  tcp::acceptor socket;
};

struct Server::Connection {
  explicit Connection(tcp::socket s) : stream(std::move(s)) {}
  beast::tcp_stream stream;
  bool idle = false;  // waiting for the next request; touched only on the connection's thread
};

namespace {

// Ends that are part of normal life (peer left, deadline passed, shutdown) and need no log line.
bool quiet(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == beast::error::timeout ||
         ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == bhttp::error::partial_message;
}

// The status line and headers are written into one small buffer and sent together with the body
// in a single gather write: no per-field allocations, one syscall.
std::string response_head(const Response& res, unsigned version, std::size_t content_length, bool send_length,
                          bool chunked = false) {
  std::string head;
  head.reserve(384);
  head += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  head += std::to_string(res.status);
  head += ' ';
  head += bhttp::obsolete_reason(static_cast<bhttp::status>(res.status));
  head += "\r\n";
  if (!res.content_type.empty()) {
    head += "Content-Type: ";
    head += res.content_type;
    head += "\r\n";
  }
  for (const auto& [name, value] : res.headers) {
    head += name;
    head += ": ";
    head += value;
    head += "\r\n";
  }
  if (res.close)
    head += "Connection: close\r\n";
  else if (version == 10)
    head += "Connection: keep-alive\r\n";
  if (send_length) {
    head += "Content-Length: ";
    head += std::to_string(content_length);
    head += "\r\n";
  }
  if (chunked) head += "Transfer-Encoding: chunked\r\n";
  head += "\r\n";
  return head;
}

// A streamed body: the head, then each piece as an HTTP/1.1 chunk (or raw, closing at the end, for
// HTTP/1.0). A failure mid-way cannot become an error response any more — the headers are gone —
// so the connection is closed without the last chunk, which clients see as a broken transfer.
asio::awaitable<bool> write_streamed(beast::tcp_stream& stream, Response& res, unsigned version, bool head_only,
                                     std::chrono::seconds timeout, const std::atomic<bool>* stopping) {
  const bool chunked = version != 10;
  if (!chunked) res.close = true;
  const std::string head = response_head(res, version, 0, false, chunked);
  stream.expires_after(timeout);
  if (auto [ec, n] = co_await asio::async_write(stream, asio::buffer(head), kTuple); ec) co_return false;
  if (head_only) co_return true;
  try {
    while (auto piece = co_await res.stream->next()) {
      // A shutdown does not wait for a long export: it ends unfinished (no last chunk), which the
      // client sees as a broken transfer, and no database work is asked for after the pools stop.
      if (stopping && *stopping) co_return false;
      if (piece->empty()) continue;
      char size[20];
      const int len = std::snprintf(size, sizeof size, "%zx\r\n", piece->size());
      const std::array<asio::const_buffer, 3> chunk{asio::buffer(size, static_cast<std::size_t>(len)),
                                                    asio::buffer(*piece), asio::buffer("\r\n", 2)};
      stream.expires_after(timeout);
      beast::error_code ec;  // (no co_await inside ?: — GCC 12)
      if (chunked)
        std::tie(ec, std::ignore) = co_await asio::async_write(stream, chunk, kTuple);
      else
        std::tie(ec, std::ignore) = co_await asio::async_write(stream, asio::buffer(*piece), kTuple);
      if (ec) co_return false;
    }
  } catch (const std::exception& e) {
    log::error("streamed response failed part-way; closing the connection", {{"error", e.what()}});
    co_return false;
  }
  if (chunked) {
    stream.expires_after(timeout);
    auto [ec, n] = co_await asio::async_write(stream, asio::buffer("0\r\n\r\n", 5), kTuple);
    if (ec) co_return false;
  }
  co_return true;
}

asio::awaitable<bool> write_response(beast::tcp_stream& stream, Response res, unsigned version, bool head_only,
                                     std::chrono::seconds timeout, const std::atomic<bool>* stopping = nullptr) {
  // 1xx, 204 and 304 carry no body and no length (RFC 9110 §8.6).
  const bool bodiless = res.status < 200 || res.status == 204 || res.status == 304;
  if (bodiless) {
    res.body.clear();
    res.shared_body.reset();
  }
  if (res.stream && !bodiless) co_return co_await write_streamed(stream, res, version, head_only, timeout, stopping);
  const std::string_view shared = res.shared_body ? std::string_view(*res.shared_body) : std::string_view{};
  const std::string head = response_head(res, version, shared.size() + res.body.size(), !bodiless);
  stream.expires_after(timeout);
  beast::error_code ec;  // (no co_await inside ?: — GCC 12)
  if (shared.empty()) {
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(head),
                                                    asio::buffer(head_only ? std::string_view{} : res.body)};
    std::tie(ec, std::ignore) = co_await asio::async_write(stream, buffers, kTuple);
  } else {
    const std::array<asio::const_buffer, 3> buffers{asio::buffer(head),
                                                    asio::buffer(head_only ? std::string_view{} : shared),
                                                    asio::buffer(head_only ? std::string_view{} : res.body)};
    std::tie(ec, std::ignore) = co_await asio::async_write(stream, buffers, kTuple);
  }
  if (ec && !quiet(ec)) log::warn("write failed", {{"error", ec.message()}});
  co_return !ec;
}

// After refusing a request whose body we did not read: stop sending, then swallow what the client
// is still sending for a moment, so closing does not reset the connection before it reads our answer.
asio::awaitable<void> linger_close(beast::tcp_stream& stream) {
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.expires_after(std::chrono::seconds(2));
  char sink[16384];
  for (std::size_t total = 0; total < 4 * 1024 * 1024;) {
    auto [rec, n] = co_await stream.async_read_some(asio::buffer(sink), kTuple);
    if (rec) break;
    total += n;
  }
}

// A connection beyond its address's cap: 503 in the error envelope, written before any request is
// read (a lingering close lets a client that sent one read the answer). No handler runs and nothing
// is logged: a flood of these is counted in /metrics, not written to disk line by line.
asio::awaitable<void> refuse_over_cap(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  Response res = error_response(
      AppError(503, "TOO_MANY_CONNECTIONS", "Too many open connections from your address; close some and try again"),
      request_id_for({}));
  res.set_header("Retry-After", "5");
  res.close = true;
  if (co_await write_response(stream, std::move(res), 11, false, std::chrono::seconds(2)))
    co_await linger_close(stream);
}

}  // namespace

Server::Server(IoPool& pool, const Pipeline& pipeline, ServerLimits limits)
    : pool_(pool),
      pipeline_(pipeline),
      limits_(limits),
      exempt_(limits_.exempt_addresses.begin(), limits_.exempt_addresses.end()) {}

bool Server::admit_address(const std::string& address) {
  if (limits_.max_per_address == 0 || exempt_.contains(address)) return true;
  std::lock_guard lock(registry_mutex_);
  auto& held = per_address_[address];
  if (held >= limits_.max_per_address) return false;
  ++held;
  return true;
}

void Server::release_address(const std::string& address) {
  if (limits_.max_per_address == 0 || exempt_.contains(address)) return;
  std::lock_guard lock(registry_mutex_);
  if (auto it = per_address_.find(address); it != per_address_.end() && --it->second == 0) per_address_.erase(it);
}

Server::~Server() = default;

std::uint16_t Server::listen(const std::string& address, std::uint16_t port) {
  const tcp::endpoint endpoint{asio::ip::make_address(address), port};
  acceptor_ = std::make_unique<Acceptor>(Acceptor{tcp::acceptor(pool_.first())});
  auto& a = acceptor_->socket;
  a.open(endpoint.protocol());
  a.set_option(asio::socket_base::reuse_address(true));
  a.bind(endpoint);
  a.listen(asio::socket_base::max_listen_connections);
  asio::co_spawn(a.get_executor(), accept_loop(), [](std::exception_ptr e) {
    if (e) log::error("accept loop ended with an exception");
  });
  return a.local_endpoint().port();
}

void Server::begin_shutdown() {
  stopping_ = true;
  if (acceptor_)
    asio::post(acceptor_->socket.get_executor(), [this] {
      beast::error_code ec;
      acceptor_->socket.close(ec);
    });
  std::lock_guard lock(registry_mutex_);
  for (const auto& c : registry_)
    asio::post(c->stream.get_executor(), [c] {
      if (c->idle) c->stream.cancel();  // busy connections finish their request and then close
    });
}

asio::awaitable<void> Server::accept_loop() {
  auto& a = acceptor_->socket;
  while (!stopping_) {
    // Each connection is handed to the next I/O thread and stays there.
    auto [ec, socket] = co_await a.async_accept(pool_.next(), kTuple);
    if (ec) {
      if (stopping_ || ec == asio::error::operation_aborted) co_return;
      log::warn("accept failed", {{"error", ec.message()}});
      // Out of file descriptors: back off instead of spinning.
      asio::steady_timer t(a.get_executor(), std::chrono::milliseconds(100));
      co_await t.async_wait(kTuple);
      continue;
    }
    beast::error_code opt_ec;
    if (open_.load() >= limits_.max_connections) {
      socket.close(opt_ec);  // shed load instead of running out of memory or descriptors
      continue;
    }
    std::string address;
    if (auto peer = socket.remote_endpoint(opt_ec); !opt_ec) address = peer.address().to_string();
    if (!admit_address(address)) {
      ++refused_per_address_;
      // The 503 is a courtesy with a bound: past kMaxRefusing answers in flight, a flood is just closed,
      // or the refusals themselves would hold the descriptors the cap protects.
      if (refusing_->load() >= kMaxRefusing) {
        socket.close(opt_ec);
        continue;
      }
      ++*refusing_;
      asio::co_spawn(socket.get_executor(), refuse_over_cap(std::move(socket)),
                     [counter = refusing_](std::exception_ptr) { --*counter; });
      continue;
    }
    socket.set_option(tcp::no_delay(true), opt_ec);
    auto conn = std::make_shared<Connection>(std::move(socket));
    {
      std::lock_guard lock(registry_mutex_);
      registry_.insert(conn);
    }
    ++open_;
    asio::co_spawn(conn->stream.get_executor(), serve(conn), [this, conn, address](std::exception_ptr e) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          log::error("connection ended with an exception", {{"error", ex.what()}});
        } catch (...) {
        }
      }
      release_address(address);
      std::lock_guard lock(registry_mutex_);
      registry_.erase(conn);
      --open_;
    });
  }
}

asio::awaitable<void> Server::serve(std::shared_ptr<Connection> conn) {
  auto& stream = conn->stream;
  beast::flat_buffer buffer;
  std::string remote_ip;
  {
    beast::error_code ec;
    auto ep = stream.socket().remote_endpoint(ec);
    if (!ec) remote_ip = ep.address().to_string();
  }
  auto refuse = [&](Request& req, const AppError& e, unsigned version) -> asio::awaitable<void> {
    co_await write_response(stream, pipeline_.reject(req, e), version, false, limits_.write_timeout);
    co_await linger_close(stream);
  };

  while (!stopping_) {
    if (buffer.size() == 0) {
      conn->idle = true;
      stream.expires_after(limits_.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(8192), kTuple);
      conn->idle = false;
      if (ec) break;
      buffer.commit(n);
    }

    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits_.header_bytes));
    // No body limit while reading the header: the route's own limit is applied once we know the route.
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    Request req;
    req.remote_ip = remote_ip;
    stream.expires_after(limits_.header_timeout);
    auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
    if (hec == bhttp::error::header_limit) {
      co_await refuse(req, HeadersTooLargeError(), 11);
      co_return;
    }
    if (hec) {
      if (!quiet(hec)) co_await refuse(req, BadRequestError("BAD_REQUEST", "Malformed HTTP request"), 11);
      co_return;
    }

    const auto& head = parser.get();
    const unsigned version = head.version();
    if (!read_head(head, req)) {
      co_await refuse(req, BadRequestError("BAD_REQUEST", "Malformed request target"), version);
      co_return;
    }
    if (const auto* mount = pipeline_.mounted(req.path);
        mount && mount->upgrade && parser.is_done() && beast::websocket::is_upgrade(parser.get())) {
      // A browser page of another site must not open a socket with the user's cookies or a token
      // it holds (cross-site WebSocket hijacking): its Origin must be one CLIENT_URL lists.
      if (auto refusal = co_await pipeline_.refuse_upgrade(req)) {
        co_await refuse(req, *refusal, version);
        co_return;
      }
      // The connection becomes a WebSocket and belongs to the mount from here on.
      stream.expires_never();
      Upgrade up{stream, buffer, parser.get()};
      co_await mount->upgrade(req, up);
      co_return;
    }
    const std::size_t limit = pipeline_.body_limit(req);
    if (auto cl = parser.content_length(); cl && *cl > limit) {
      // Refused from the header alone: the body is never read into memory.
      co_await refuse(req, PayloadTooLargeError("Request body exceeds " + std::to_string(limit) + " bytes"), version);
      co_return;
    }
    parser.body_limit(limit);
    if (!parser.is_done()) {
      if (auto refused = co_await pipeline_.screen(req)) {
        co_await write_response(stream, std::move(*refused), version, false, limits_.write_timeout);
        co_await linger_close(stream);
        co_return;
      }
      if (beast::iequals(head[bhttp::field::expect], "100-continue")) {
        bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, version};
        stream.expires_after(limits_.write_timeout);
        co_await bhttp::async_write(stream, cont, kTuple);
      }
      stream.expires_after(limits_.body_timeout);
      auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
      if (bec == bhttp::error::body_limit) {
        co_await refuse(req, PayloadTooLargeError("Request body exceeds " + std::to_string(limit) + " bytes"), version);
        co_return;
      }
      if (bec) {
        if (!quiet(bec)) co_await refuse(req, BadRequestError("BAD_REQUEST", "Malformed request body"), version);
        co_return;
      }
    }
    const bool keep_alive = parser.get().keep_alive();
    req.body = std::move(parser.get().body());
    stream.expires_never();  // the handler's own duration is not a transport deadline

    Response res = co_await pipeline_.handle(req);
    res.close = res.close || !keep_alive || stopping_ || (res.stream && version == 10);
    const bool close = res.close;
    const bool written =
        co_await write_response(stream, std::move(res), version, req.is_head(), limits_.write_timeout, &stopping_);
    if (!written || close) break;
  }
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

}  // namespace tiptop::http
