#pragma once
// Settings are read on every order and every settings page, written rarely: served from memory,
// replaced after each committed change.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <memory>

#include "modules/settings/model.hpp"
#include "store/database.hpp"

namespace tiptop::settings {

class SettingsService {
 public:
  explicit SettingsService(store::Database& db) : db_(db), current_(std::make_shared<const Settings>()) {}

  void load_sync();
  std::shared_ptr<const Settings> current() const { return current_.load(); }
  // Merges the given fields onto the current settings, validates the result, stores it.
  boost::asio::awaitable<Settings> update(boost::json::object changes, std::string admin_id);

 private:
  store::Database& db_;
  std::atomic<std::shared_ptr<const Settings>> current_;
};

}  // namespace tiptop::settings
