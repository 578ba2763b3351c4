#pragma once
// Settings are read on every order and every settings page, written rarely: served from memory,
// replaced after each committed change (on other nodes when the invalidation bus tells them).
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <mutex>

#include "cache/bus.hpp"
#include "modules/settings/model.hpp"
#include "store/database.hpp"

namespace tiptop::settings {

class SettingsService {
 public:
  SettingsService(store::Database& db, cache::InvalidationBus& bus);

  void load_sync();
  boost::asio::awaitable<void> reload();
  std::shared_ptr<const Settings> current() const { return current_.load(); }
  // Merges the given fields onto the current settings, validates the result, stores it.
  boost::asio::awaitable<Settings> update(boost::json::object changes, std::string admin_id);

 private:
  // Reloads and writes race: take a ticket before reading (after committing, for a write); a
  // document is installed only if no later ticket's already was.
  std::uint64_t ticket();
  void install(std::shared_ptr<const Settings> settings, std::uint64_t ticket);
  std::mutex install_mutex_;
  std::uint64_t next_ticket_ = 0, applied_ = 0;
  store::Database& db_;
  cache::InvalidationBus& bus_;
  std::atomic<std::shared_ptr<const Settings>> current_;
};

}  // namespace tiptop::settings
