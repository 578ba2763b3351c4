#pragma once
// The notifications API (spec §3.1 /notifications): a user's own notifications, read state,
// devices and preferences; and the admin's promotional messages.
#include <boost/asio/awaitable.hpp>

#include "modules/notifications/notifier.hpp"
#include "modules/notifications/repository.hpp"

namespace tiptop::notifications {

struct Inbox {
  std::vector<Notification> items;
  std::int64_t total = 0, unread = 0;
};

class NotificationService {
 public:
  NotificationService(store::Database& db, Notifier& notifier) : db_(db), notifier_(notifier) {}

  boost::asio::awaitable<Inbox> inbox(std::string user_id, ListQuery q);
  // Another user's notification is 404, as if it did not exist.
  boost::asio::awaitable<Notification> mark_read(std::string user_id, std::string id);
  boost::asio::awaitable<std::int64_t> mark_all_read(std::string user_id);
  boost::asio::awaitable<void> remove(std::string user_id, std::string id);

  boost::asio::awaitable<void> add_device(std::string user_id, std::string token, std::string platform);
  boost::asio::awaitable<void> remove_device(std::string user_id, std::string token);

  boost::asio::awaitable<Preferences> preferences(std::string user_id);
  boost::asio::awaitable<Preferences> update_preferences(std::string user_id, boost::json::object promotions);

  // The draft (type promotion) to the listed users, or to every active customer when there are
  // none. Returns how many users it reached: each user's preferences apply.
  boost::asio::awaitable<std::int64_t> promote(Draft draft, std::vector<std::string> user_ids);

 private:
  store::Database& db_;
  Notifier& notifier_;
};

}  // namespace tiptop::notifications
