#include "modules/menu/catalog.hpp"

#include <boost/json.hpp>

#include "core/json.hpp"

namespace tiptop::menu {

namespace {

std::uint64_t fnv1a(std::string_view text, std::uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace

Snapshot::Snapshot(MenuData data) : items_(std::move(data.items)), categories_(std::move(data.categories)) {
  std::stable_sort(items_.begin(), items_.end(), [](const MenuItem& a, const MenuItem& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
  });
  // Categories count in the version: reordering or switching one off changes what is served.
  for (const auto& c : categories_) {
    category_by_id_[c.id] = &c;
    version_ = fnv1a(json::serialize(to_json(c)), version_ ? version_ : fnv1a(""));
  }
  for (const auto& item : items_) {
    if (!item.is_active) continue;
    if (const auto* c = category_of(item); c && !c->is_active) {  // its category is off: hidden
      switched_off_[item.id] = &item;
      switched_off_[item.slug] = &item;
      continue;
    }
    active_.push_back(&item);
    by_key_[item.id] = &item;
    by_key_[item.slug] = &item;
    auto& text = json_text_[&item];
    text = json::serialize(to_json(item));
    version_ = fnv1a(text, version_ ? version_ : fnv1a(""));
  }
  search_ = std::make_unique<SearchIndex>(active_);
}

const MenuItem* Snapshot::find(const std::string& key) const {
  auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : it->second;
}

const MenuItem* Snapshot::find_switched_off(const std::string& key) const {
  auto it = switched_off_.find(key);
  return it == switched_off_.end() ? nullptr : it->second;
}

const Category* Snapshot::category_of(const MenuItem& item) const {
  auto it = category_by_id_.find(item.category_id);
  return it == category_by_id_.end() ? nullptr : it->second;
}

std::string Snapshot::why_not_orderable(const MenuItem& item, int minute_of_day) const {
  if (!item.is_available) return item.name + " is not available right now";
  if (const auto* k = category_of(item); k && !k->serving_at(minute_of_day))
    return item.name + " is served " + k->hours_text();
  return {};
}

std::shared_ptr<const Snapshot::Rendered> Snapshot::cached(const std::string& key) const {
  std::lock_guard lock(rendered_mutex_);
  auto it = rendered_.find(key);
  return it == rendered_.end() ? nullptr : it->second;
}

void Snapshot::remember(const std::string& key, std::shared_ptr<const Rendered> value) const {
  std::lock_guard lock(rendered_mutex_);
  // Unbounded query strings must not grow memory: past either cap, new renderings are not kept
  // (they are still served, just rendered again next time).
  const std::size_t bytes =
      key.size() + value->data.size() + value->meta.size() + (value->envelope ? value->envelope->size() : 0);
  if (rendered_.size() >= kMaxRendered || rendered_bytes_ + bytes > kMaxRenderedBytes) return;
  if (rendered_.emplace(key, std::move(value)).second) rendered_bytes_ += bytes;
}

Catalog::Catalog() : current_(std::make_shared<const Snapshot>(MenuData{})) {}

void Catalog::replace(MenuData data, std::uint64_t ticket) {
  auto next = std::make_shared<const Snapshot>(std::move(data));  // built outside the lock
  std::lock_guard lock(replace_mutex_);
  if (ticket < applied_) return;  // a later reload already installed a newer menu
  applied_ = ticket;
  current_.store(std::move(next));
}

std::string etag_for(const Snapshot& s, const std::string& key) {
  const std::uint64_t h = fnv1a(key);  // FNV-1a: cheap and stable; not a security boundary
  char buf[64];
  std::snprintf(buf, sizeof buf, "\"m%llu-%016llx\"", static_cast<unsigned long long>(s.version()),
                static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace tiptop::menu
