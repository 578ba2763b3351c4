#pragma once
// Domain events leave through this interface: the realtime issue implements it over Socket.IO
// rooms (user:<id>, admin, delivery). Until then the default drops them; tests record them.
#include <boost/json/object.hpp>
#include <mutex>
#include <string>
#include <vector>

namespace tiptop::realtime {

class Emitter {
 public:
  virtual ~Emitter() = default;
  // room: "user:<id>", "admin" or "delivery"; event: a spec §7.1 name such as order:status:updated.
  virtual void emit(const std::string& room, const std::string& event, const boost::json::object& data) = 0;
};

class NullEmitter final : public Emitter {
 public:
  void emit(const std::string&, const std::string&, const boost::json::object&) override {}
};

class RecordingEmitter final : public Emitter {
 public:
  struct Event {
    std::string room, event;
    boost::json::object data;
  };
  void emit(const std::string& room, const std::string& event, const boost::json::object& data) override {
    std::lock_guard lock(mutex_);
    events_.push_back({room, event, data});
  }
  std::vector<Event> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Event> events_;
};

}  // namespace tiptop::realtime
