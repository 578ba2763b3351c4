#pragma once
// Domain events leave through this interface: sio::Server implements it over Socket.IO rooms
// (user:<id>, admin, delivery); tests can also record them.
#include <boost/json/object.hpp>
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

// The same event to several emitters (the Socket.IO server, and a recorder in tests).
class FanoutEmitter final : public Emitter {
 public:
  void add(Emitter* e) { targets_.push_back(e); }
  void emit(const std::string& room, const std::string& event, const boost::json::object& data) override {
    for (auto* e : targets_) e->emit(room, event, data);
  }

 private:
  std::vector<Emitter*> targets_;  // fixed before the server starts
};

}  // namespace tiptop::realtime
