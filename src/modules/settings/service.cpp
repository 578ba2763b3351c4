#include "modules/settings/service.hpp"

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "modules/audit/repository.hpp"
#include "modules/settings/repository.hpp"

namespace tiptop::settings {
namespace bj = boost::json;

namespace {

std::string stored_document(store::Connection& c) { return find_document(c).value_or(std::string()); }

}  // namespace

SettingsService::SettingsService(store::Database& db, cache::InvalidationBus& bus)
    : db_(db), bus_(bus), current_(std::make_shared<const Settings>()) {
  bus_.subscribe("settings", [this](std::string) { return reload(); });  // another node saved settings
}

std::uint64_t SettingsService::ticket() {
  std::lock_guard lock(install_mutex_);
  return ++next_ticket_;
}

void SettingsService::install(std::shared_ptr<const Settings> settings, std::uint64_t ticket) {
  std::lock_guard lock(install_mutex_);
  if (ticket < applied_) return;  // a later read or write is already in place
  applied_ = ticket;
  current_.store(std::move(settings));
}

namespace {

std::shared_ptr<const Settings> parsed(const std::string& document) {
  return document.empty() ? std::make_shared<const Settings>()
                          : std::make_shared<const Settings>(from_json(bj::parse(document).as_object()));
}

}  // namespace

void SettingsService::load_sync() {
  const auto t = ticket();
  install(parsed(db_.read_sync(stored_document)), t);
}

boost::asio::awaitable<void> SettingsService::reload() {
  const auto t = ticket();
  install(parsed(co_await db_.read(stored_document)), t);
}

boost::asio::awaitable<Settings> SettingsService::update(bj::object changes, std::string admin_id) {
  // Read, merge and write under the row lock, so two admins' concurrent edits cannot drop each
  // other's fields, and the merge starts from what is stored, not from this node's copy.
  auto next = co_await db_.transaction([&](store::Connection& c) {
    const auto stored = find_document(c, true);
    bj::object merged = stored ? bj::parse(*stored).as_object() : to_json(Settings{});
    for (auto& kv : changes) {
      // A group (delivery, escalation) changes only in the fields given.
      if (kv.value().is_object() && merged[kv.key()].is_object()) {
        for (auto& d : kv.value().get_object()) merged[kv.key()].get_object()[d.key()] = d.value();
      } else {
        merged[kv.key()] = kv.value();
      }
    }
    Settings result = from_json(merged);  // validates the whole result, not just the changed part
    const auto after = to_json(result);
    const std::string document = json::serialize(after);
    const auto now = clock::now_ms();
    save_document(c, document, admin_id, now);
    // Fees, the minimum, tax and hours change what every customer pays: audited with the change.
    bj::value before = stored ? bj::parse(*stored) : bj::value(to_json(Settings{}));  // what was in effect
    audit::append(c,
                  {now, admin_id, "admin", "settings.change", "settings", "restaurant", std::move(before), after, ""});
    return result;
  });
  install(std::make_shared<const Settings>(next), ticket());
  co_await bus_.publish_and_wait("settings", "changed");
  co_return next;
}

}  // namespace tiptop::settings
