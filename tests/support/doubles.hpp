#pragma once
// Test doubles for the server's outbound interfaces, handed to app::Application by TestApp so
// tests can read what the server sent instead of standing up a Socket.IO client for every check.
#include <boost/json/object.hpp>
#include <mutex>
#include <string>
#include <vector>

#include "integrations/email.hpp"
#include "realtime/emitter.hpp"

namespace tiptop::testing {

// Keeps every domain event. Locked: the server emits from its I/O threads while the test reads.
class RecordingEmitter final : public realtime::Emitter {
 public:
  struct Event {
    std::string room, event;
    boost::json::object data;
  };
  void emit(const std::string& room, const std::string& event, const boost::json::object& data) override {
    std::lock_guard lock(mutex_);
    events_.push_back({room, event, data});
  }
  // A copy, so the test can iterate while the server keeps emitting.
  std::vector<Event> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Event> events_;
};

// Keeps messages in memory: what the integration tests read reset links from.
class MemoryEmailSender final : public integrations::EmailSender {
 public:
  void send(const integrations::Email& email) override {
    std::lock_guard lock(mutex_);
    sent_.push_back(email);
  }
  std::vector<integrations::Email> sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<integrations::Email> sent_;
};

}  // namespace tiptop::testing
