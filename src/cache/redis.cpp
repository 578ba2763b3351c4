#include "cache/redis.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url/parse.hpp>

#include "core/log.hpp"

namespace tiptop::cache {
namespace asio = boost::asio;

RedisSettings parse_redis_url(const std::string& url) {
  auto u = boost::urls::parse_uri(url);
  if (!u || u->scheme() != "redis")
    throw std::invalid_argument("REDIS_URL must look like redis://[:password@]host[:port][/db]");
  RedisSettings s;
  if (!u->host().empty()) s.host = std::string(u->host_address());
  if (u->has_port()) s.port = static_cast<int>(u->port_number());
  if (u->has_password()) s.password = std::string(u->password());
  const auto path = std::string(u->path());
  if (path.size() > 1) {
    try {
      s.db = std::stoi(path.substr(1));
    } catch (...) {
      throw std::invalid_argument("REDIS_URL: the path must be a database number");
    }
  }
  return s;
}

namespace {

RedisReply convert(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::string, out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::status, out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::integer, out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::array;
      for (std::size_t i = 0; i < r->elements; ++i) out.elements.push_back(convert(r->element[i]));
      break;
    default:
      break;  // nil
  }
  return out;
}

// Hands the result to the awaiting coroutine on its own executor. (Not any_completion_handler:
// Boost 1.81's recurses through its allocator until the stack runs out.)
using Handler = std::function<void(std::exception_ptr, RedisReply)>;

// One command on its way: completed once, by the reply, the timer or the connection's end.
struct Pending {
  explicit Pending(asio::io_context& io) : timer(io) {}
  Handler handler;
  asio::steady_timer timer;
  bool done = false;

  void complete(std::exception_ptr error, RedisReply reply) {
    if (done) return;
    done = true;
    timer.cancel();
    auto h = std::move(handler);
    h(error, std::move(reply));
  }
};

std::exception_ptr error(const std::string& what) { return std::make_exception_ptr(RedisError(what)); }

}  // namespace

// Everything below runs on io's thread.
struct RedisClient::Impl : std::enable_shared_from_this<RedisClient::Impl> {
  Impl(asio::io_context& io, RedisSettings s, std::vector<std::string> ch, MessageHandler m)
      : io(io), settings(std::move(s)), channels(std::move(ch)), on_message(std::move(m)), retry(io), resolver(io) {}

  asio::io_context& io;
  RedisSettings settings;
  std::vector<std::string> channels;
  MessageHandler on_message;
  std::function<void()> on_connect;
  asio::steady_timer retry;
  asio::ip::tcp::resolver resolver;
  std::chrono::milliseconds pause{100};
  redisAsyncContext* ac = nullptr;
  std::atomic<bool> connected{false};
  bool stopping = false;
  int timeouts_in_a_row = 0;

  // The socket as Asio sees it: hiredis says when it wants to read or write.
  struct Watch {
    std::shared_ptr<Impl> owner;
    redisAsyncContext* ac;
    asio::posix::stream_descriptor sd;
    bool want_read = false, want_write = false, reading = false, writing = false, alive = true;
    Watch(std::shared_ptr<Impl> o, redisAsyncContext* c) : owner(std::move(o)), ac(c), sd(owner->io, c->c.fd) {}
  };
  std::shared_ptr<Watch> watch;

  static void arm(const std::shared_ptr<Watch>& w, bool read) {
    bool& busy = read ? w->reading : w->writing;
    if (busy || !w->alive) return;
    busy = true;
    w->sd.async_wait(read ? asio::posix::stream_descriptor::wait_read : asio::posix::stream_descriptor::wait_write,
                     [w, read](const boost::system::error_code& ec) {
                       (read ? w->reading : w->writing) = false;
                       if (ec || !w->alive || !(read ? w->want_read : w->want_write)) return;
                       if (read)
                         redisAsyncHandleRead(w->ac);
                       else
                         redisAsyncHandleWrite(w->ac);
                       // The context may be gone now (cleanup marks the watch dead).
                       if (w->alive && (read ? w->want_read : w->want_write)) arm(w, read);
                     });
  }

  // hiredis would resolve the name itself, blocking this I/O thread (on every reconnection, and
  // for as long as DNS takes to fail): resolve without blocking, then give it the address.
  void connect() {
    if (stopping) return;
    resolver.async_resolve(
        settings.host, std::to_string(settings.port),
        [self = shared_from_this()](const boost::system::error_code& ec,
                                    asio::ip::tcp::resolver::results_type results) {
          if (self->stopping) return;
          if (ec || results.empty()) {
            log::warn("redis: cannot resolve host", {{"host", self->settings.host}, {"error", ec.message()}});
            return self->reconnect_later();
          }
          self->connect_to(results.begin()->endpoint().address().to_string());
        });
  }

  void connect_to(const std::string& address) {
    ac = redisAsyncConnect(address.c_str(), settings.port);
    if (!ac || ac->err) {
      log::warn("redis: cannot connect", {{"error", ac ? ac->errstr : "out of memory"}});
      if (ac) redisAsyncFree(ac);
      ac = nullptr;
      return reconnect_later();
    }
    ac->data = this;
    watch = std::make_shared<Watch>(shared_from_this(), ac);
    ac->ev.data = watch.get();
    ac->ev.addRead = [](void* p) {
      auto* w = static_cast<Watch*>(p);
      w->want_read = true;
      arm(w->owner->watch, true);
    };
    ac->ev.delRead = [](void* p) { static_cast<Watch*>(p)->want_read = false; };
    ac->ev.addWrite = [](void* p) {
      auto* w = static_cast<Watch*>(p);
      w->want_write = true;
      arm(w->owner->watch, false);
    };
    ac->ev.delWrite = [](void* p) { static_cast<Watch*>(p)->want_write = false; };
    ac->ev.cleanup = [](void* p) {
      auto* w = static_cast<Watch*>(p);
      w->alive = false;
      boost::system::error_code ec;
      w->sd.cancel(ec);
      (void)w->sd.release();    // hiredis owns and closes the socket
      w->owner->watch.reset();  // the pending waits hold it until they finish
    };
    redisAsyncSetConnectCallback(ac, [](const redisAsyncContext* c, int status) {
      auto* self = static_cast<Impl*>(c->data);
      if (status != REDIS_OK) {
        log::warn("redis: connection failed", {{"error", c->errstr}});
        self->ac = nullptr;  // hiredis frees it
        self->reconnect_later();
        return;
      }
      self->on_connected();
    });
    // hiredis learns that the connection is up when the socket turns writable: watch for it now.
    ac->ev.addWrite(ac->ev.data);
    redisAsyncSetDisconnectCallback(ac, [](const redisAsyncContext* c, int) {
      auto* self = static_cast<Impl*>(c->data);
      self->ac = nullptr;
      if (self->connected.exchange(false))
        log::warn("redis: connection lost", {{"error", c->err ? c->errstr : "closed"}});
      self->reconnect_later();
    });
  }

  void on_connected() {
    pause = std::chrono::milliseconds(100);
    timeouts_in_a_row = 0;
    if (!settings.password.empty()) send({"AUTH", settings.password}, true);
    if (settings.db != 0) send({"SELECT", std::to_string(settings.db)}, true);
    if (!channels.empty()) {
      std::vector<std::string> sub{"SUBSCRIBE"};
      sub.insert(sub.end(), channels.begin(), channels.end());
      issue(sub, &Impl::on_subscription, this);
    }
    connected = true;
    log::info("redis: connected", {{"host", settings.host}, {"port", settings.port}});
    if (on_connect) on_connect();
  }

  void reconnect_later() {
    connected = false;
    if (stopping) return;
    retry.expires_after(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(5000));
    retry.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec) self->connect();
    });
  }

  void issue(const std::vector<std::string>& args, redisCallbackFn* fn, void* privdata) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lens;
    for (const auto& a : args) argv.push_back(a.data()), lens.push_back(a.size());
    redisAsyncCommandArgv(ac, fn, privdata, static_cast<int>(argv.size()), argv.data(), lens.data());
  }

  // Commands whose answers nobody waits for; an error reply is logged (AUTH refused…).
  void send(const std::vector<std::string>& args, bool log_errors) {
    if (!ac) return;
    issue(args, log_errors ? &Impl::on_logged_reply : nullptr, nullptr);
  }

  static void on_logged_reply(redisAsyncContext*, void* r, void*) {
    const auto* reply = static_cast<redisReply*>(r);
    if (reply && reply->type == REDIS_REPLY_ERROR)
      log::error("redis: command refused", {{"error", std::string(reply->str, reply->len)}});
  }

  static void on_subscription(redisAsyncContext* c, void* r, void*) {
    auto* self = static_cast<Impl*>(c->data);
    const auto* reply = static_cast<redisReply*>(r);
    // ["message", channel, payload]
    if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements != 3) return;
    if (std::string_view(reply->element[0]->str, reply->element[0]->len) != "message") return;
    if (self->on_message)
      self->on_message(std::string(reply->element[1]->str, reply->element[1]->len),
                       std::string(reply->element[2]->str, reply->element[2]->len));
  }

  static void on_reply(redisAsyncContext* c, void* r, void* privdata) {
    std::unique_ptr<std::shared_ptr<Pending>> holder(static_cast<std::shared_ptr<Pending>*>(privdata));
    auto& pending = **holder;
    const auto* reply = static_cast<redisReply*>(r);
    if (!reply) return pending.complete(error("redis: connection lost"), {});
    static_cast<Impl*>(c->data)->timeouts_in_a_row = 0;  // it answers: only timeouts in a row mean it hangs
    if (reply->type == REDIS_REPLY_ERROR)
      return pending.complete(error("redis: " + std::string(reply->str, reply->len)), {});
    pending.complete(nullptr, convert(reply));
  }

  void run(std::vector<std::string> args, Handler handler) {
    auto pending = std::make_shared<Pending>(io);
    pending->handler = std::move(handler);
    if (!ac || !connected) return pending->complete(error("redis: not connected"), {});
    issue(args, &Impl::on_reply, new std::shared_ptr<Pending>(pending));
    pending->timer.expires_after(settings.timeout);
    pending->timer.async_wait([self = shared_from_this(), pending](const boost::system::error_code& ec) {
      if (ec || pending->done) return;
      pending->complete(error("redis: no answer within " + std::to_string(self->settings.timeout.count()) + " ms"), {});
      // A server that stops answering is dropped (pending callbacks then see the loss) and dialled again.
      if (++self->timeouts_in_a_row >= 3 && self->ac) {
        log::warn("redis: not answering, reconnecting");
        redisAsyncFree(self->ac);
      }
    });
  }

  void stop() {
    stopping = true;
    retry.cancel();
    resolver.cancel();
    if (ac) redisAsyncFree(ac);  // pending callbacks get their loss; the disconnect callback sees stopping
    ac = nullptr;
    connected = false;
  }
};

RedisClient::RedisClient(asio::io_context& io, RedisSettings settings, std::vector<std::string> channels,
                         MessageHandler on_message)
    : impl_(std::make_shared<Impl>(io, std::move(settings), std::move(channels), std::move(on_message))) {}

RedisClient::~RedisClient() = default;

bool RedisClient::connected() const { return impl_->connected.load(); }

void RedisClient::on_connect(std::function<void()> f) { impl_->on_connect = std::move(f); }

void RedisClient::start() {
  asio::post(impl_->io, [impl = impl_] { impl->connect(); });
}

void RedisClient::stop() {
  asio::post(impl_->io, [impl = impl_] { impl->stop(); });
}

asio::awaitable<RedisReply> RedisClient::command(std::vector<std::string> args) {
  auto impl = impl_;
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(std::exception_ptr, RedisReply)>(
      [&impl, &args](auto handler) {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        auto ex = asio::get_associated_executor(*shared);
        Handler resume = [shared, ex](std::exception_ptr error, RedisReply reply) {
          asio::dispatch(ex, [shared, error, reply = std::move(reply)]() mutable {
            std::move (*shared)(error, std::move(reply));
          });
        };
        asio::post(impl->io, [impl, args = std::move(args), resume = std::move(resume)]() mutable {
          impl->run(std::move(args), std::move(resume));
        });
      },
      asio::use_awaitable);
}

void RedisClient::send(std::vector<std::string> args) {
  asio::post(impl_->io, [impl = impl_, args = std::move(args)] { impl->send(args, false); });
}

}  // namespace tiptop::cache
