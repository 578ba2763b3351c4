#include "modules/notifications/service.hpp"

#include "core/ids.hpp"
#include "modules/users/repository.hpp"

namespace tiptop::notifications {
namespace asio = boost::asio;
namespace bj = boost::json;
namespace {

constexpr std::size_t kPromotionBatch = 500;  // recipients per transaction
constexpr clock::Millis kPromotionLifetime = 14LL * 24 * 3'600'000;

}  // namespace

asio::awaitable<Inbox> NotificationService::inbox(std::string user_id, ListQuery q) {
  co_return co_await db_.read([&](store::Connection& c) {
    const auto now = clock::now_ms();
    return Inbox{list_for(c, user_id, q, now), count_for(c, user_id, q.unread_only, now),
                 count_for(c, user_id, true, now)};
  });
}

asio::awaitable<Notification> NotificationService::mark_read(std::string user_id, std::string id) {
  if (!ids::is_object_id(id)) throw NotFoundError("Notification");
  auto n = co_await db_.transaction([&](store::Connection& c) {
    const auto now = clock::now_ms();
    if (!notifications::mark_read(c, id, user_id, now)) throw NotFoundError("Notification");
    return find_for(c, id, user_id, now);
  });
  if (!n) throw NotFoundError("Notification");
  co_return std::move(*n);
}

asio::awaitable<std::int64_t> NotificationService::mark_all_read(std::string user_id) {
  co_return co_await db_.transaction(
      [&](store::Connection& c) { return notifications::mark_all_read(c, user_id, clock::now_ms()); });
}

asio::awaitable<void> NotificationService::remove(std::string user_id, std::string id) {
  if (!ids::is_object_id(id)) throw NotFoundError("Notification");
  const bool removed = co_await db_.transaction([&](store::Connection& c) { return remove_for(c, id, user_id); });
  if (!removed) throw NotFoundError("Notification");
}

asio::awaitable<void> NotificationService::add_device(std::string user_id, std::string token, std::string platform) {
  co_await db_.transaction(
      [&](store::Connection& c) { register_device(c, user_id, token, platform, clock::now_ms()); });
}

asio::awaitable<void> NotificationService::remove_device(std::string user_id, std::string token) {
  const bool removed =
      co_await db_.transaction([&](store::Connection& c) { return notifications::remove_device(c, user_id, token); });
  if (!removed) throw NotFoundError("Device");
}

asio::awaitable<Preferences> NotificationService::preferences(std::string user_id) {
  co_return co_await db_.read([&](store::Connection& c) { return load_preferences(c, user_id); });
}

asio::awaitable<Preferences> NotificationService::update_preferences(std::string user_id, bj::object promotions) {
  co_return co_await db_.transaction([&](store::Connection& c) {
    auto p = load_preferences(c, user_id);
    auto set = [&](const char* name, bool& field) {
      if (const auto* v = promotions.if_contains(name); v && v->is_bool()) field = v->get_bool();
    };
    set("inApp", p.in_app);
    set("push", p.push);
    set("sms", p.sms);
    set("email", p.email);
    save_preferences(c, user_id, p);
    return p;
  });
}

asio::awaitable<std::int64_t> NotificationService::promote(Draft d, std::vector<std::string> recipients) {
  if (recipients.empty()) {
    recipients = co_await db_.read([](store::Connection& c) { return users::active_customer_ids(c); });
  }
  d.type = "promotion";
  d.promotional = true;
  if (!d.expires_at) d.expires_at = clock::now_ms() + kPromotionLifetime;
  std::int64_t reached = 0;
  for (std::size_t from = 0; from < recipients.size(); from += kPromotionBatch) {
    std::vector<Draft> batch;
    for (std::size_t i = from; i < std::min(recipients.size(), from + kPromotionBatch); ++i) {
      batch.push_back(d);
      batch.back().recipient_id = recipients[i];
    }
    auto stored = co_await db_.transaction([&](store::Connection& c) { return notifier_.store(c, batch); });
    reached += static_cast<std::int64_t>(stored.size());
    notifier_.publish(stored);
  }
  co_return reached;
}

}  // namespace tiptop::notifications
