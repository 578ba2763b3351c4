#pragma once
// One Engine.IO session: the packets waiting for the client, which transport delivers them (a
// long-poll GET, or a WebSocket after the upgrade), and the heartbeat.
//
// Threads: a session is touched from whichever I/O thread carries its current request or its
// WebSocket, and from any thread that emits to it. Its state sits behind one mutex; a waiting
// transport is woken by posting to that transport's own executor, never by touching its objects
// from another thread. The heartbeat runs on the executor that opened the session (its home), on
// that context's Heartbeats (one timer for all its sessions).
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "realtime/engineio/packet.hpp"

namespace tiptop::realtime::eio {

struct Settings {
  std::chrono::milliseconds ping_interval{25000};
  std::chrono::milliseconds ping_timeout{20000};
  std::size_t max_payload = 1'000'000;
  // A client that lets this much pile up unread is disconnected (slow consumer).
  std::size_t max_queued_bytes = 1'000'000;
  std::size_t max_queued_frames = 1000;
};

enum class CloseReason {
  client,          // the client sent a close packet or closed its WebSocket
  ping_timeout,    // no pong in time
  protocol_error,  // a malformed packet
  slow_consumer,   // the send queue overflowed
  server,          // the application closed it (disconnect, session revoked)
  shutdown,        // the server is stopping
  duplicate_poll,  // two GETs at once
};
const char* to_string(CloseReason r);

// The layer above (Socket.IO) hears about a session through this.
class Listener {
 public:
  virtual ~Listener() = default;
  virtual void on_message(Packet& packet) = 0;    // a message packet (text or binary)
  virtual void on_close(CloseReason reason) = 0;  // exactly once
  virtual void on_heartbeat() {}                  // each time a ping goes out
};

class WakeBatch;

// Whoever carries packets to the client: a pending GET or a WebSocket writer.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual void wake() = 0;  // thread-safe: new frames are queued, or the session closed
  // Thread-safe: as wake(), but joining a batch that posts once per executor (see WakeBatch).
  virtual void wake_in(WakeBatch&) { wake(); }
  // On the transport's executor, from a batch it joined.
  virtual void woken() {}
};

// Wakes many transports with one post per executor instead of one per transport: an event to a
// room of 10,000 sockets made 10,000 posts (a handler allocated, the scheduler's lock taken and
// an executor copied for each; issue 24).
class WakeBatch {
 public:
  WakeBatch() = default;
  WakeBatch(const WakeBatch&) = delete;
  WakeBatch& operator=(const WakeBatch&) = delete;
  ~WakeBatch() { run(); }
  void add(const boost::asio::any_io_executor& ex, std::shared_ptr<Transport> t);
  void run();  // posts what was added; the destructor does it too

 private:
  static constexpr std::size_t kSlice = 128;
  struct Group {
    const void* context;  // the executor's execution context, to group by
    boost::asio::any_io_executor executor;
    std::vector<std::shared_ptr<Transport>> transports;
  };
  std::vector<Group> groups_;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  // forget: called once when the session closes (the server drops it from its table).
  Session(std::string sid, const Settings& settings, boost::asio::any_io_executor home,
          std::function<void(const std::string&)> forget);

  const std::string& id() const { return sid_; }
  void set_listener(std::shared_ptr<Listener> l) { listener_ = std::move(l); }

  // Thread-safe. False when the session is closed; a queue overflow closes it (slow consumer).
  bool send(Frame frame);
  // All of them, or none when the queue would overflow. With a batch, the transport's wake-up
  // joins it instead of being posted at once.
  bool send(const std::vector<Frame>& frames, WakeBatch* batch = nullptr);
  // Thread-safe, idempotent. Queued frames are still delivered to a waiting transport.
  void close(CloseReason reason);
  bool closed() const;
  std::optional<CloseReason> close_reason() const;

  // --- for the transports ---
  enum class Mode { polling, upgrading, websocket };
  struct Drain {
    std::vector<Frame> frames;
    bool closed = false;
    CloseReason reason = CloseReason::server;
    Mode mode = Mode::polling;
  };
  // Takes every queued frame; with polling_only, only while the session is still on polling
  // (after an upgrade the frames belong to the WebSocket).
  Drain drain(bool polling_only = false);
  // A pending GET registers itself; false when another GET is already waiting.
  bool attach_poll(std::shared_ptr<Transport> t);
  void detach_poll(const Transport* t);
  // Upgrade: a WebSocket that completed the probe asks to become the transport.
  bool begin_upgrade();
  bool finish_upgrade(std::shared_ptr<Transport> ws);
  void cancel_upgrade();                                 // the probing WebSocket went away before "5": back to polling
  void attach_websocket(std::shared_ptr<Transport> ws);  // a session opened over WebSocket
  Mode mode() const;
  // A packet from the client on its current transport: pong, message (to the listener), close.
  void receive(Packet& p);

  void start_heartbeat();
  // Home thread only, from Heartbeats: the deadline scheduled for `at` has come.
  void heartbeat_due(std::chrono::steady_clock::time_point at);
  void release();  // drops the session from the server's table (once)
  const Settings& settings() const { return settings_; }
  boost::asio::any_io_executor executor() { return home_; }

 private:
  // What the next heartbeat deadline means: send a ping, check for its pong, or (closed, a polling
  // client said goodbye) let go of the session.
  enum class Beat : std::uint8_t { ping_next, pong_wait, linger };
  void beat_at(Beat beat, std::chrono::steady_clock::time_point at);

  const std::string sid_;
  const Settings& settings_;
  std::shared_ptr<Listener> listener_;
  std::function<void(const std::string&)> forget_;
  boost::asio::any_io_executor home_;
  // Home thread only: the live deadline (an earlier one still in the heap is stale) and its meaning.
  std::chrono::steady_clock::time_point due_{};
  Beat beat_ = Beat::ping_next;
  std::atomic<bool> awaiting_pong_{false};
  std::atomic<bool> released_{false};
  std::atomic<std::chrono::steady_clock::time_point> pong_at_{};

  mutable std::mutex mutex_;
  std::vector<Frame> queue_;  // a vector, not a deque: libstdc++ deques allocate 512 bytes when empty
  std::size_t queued_bytes_ = 0;
  Mode mode_ = Mode::polling;
  bool closed_ = false;
  CloseReason close_reason_ = CloseReason::server;
  std::shared_ptr<Transport> poll_, ws_;
};

}  // namespace tiptop::realtime::eio
