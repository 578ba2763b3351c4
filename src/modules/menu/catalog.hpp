#pragma once
// The menu served from memory: an immutable snapshot of every active item with pre-serialised
// JSON, swapped atomically after each admin write. Response bodies computed from a snapshot are
// kept with it (bounded) and die with it, so a stale answer can never outlive a menu change.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "modules/menu/category.hpp"
#include "modules/menu/model.hpp"
#include "modules/menu/search.hpp"

namespace tiptop::menu {

// What a snapshot is built from: every item (deleted ones too) and every category.
struct MenuData {
  std::vector<MenuItem> items;
  std::vector<Category> categories;  // in the staff's order
};

class Snapshot {
 public:
  explicit Snapshot(MenuData data);

  // A hash of the content: equal on every node and across restarts for the same menu, so ETags
  // stay valid exactly as long as what they describe.
  std::uint64_t version() const { return version_; }
  const std::vector<const MenuItem*>& active() const { return active_; }  // newest first
  const std::vector<MenuItem>& all() const { return items_; }             // deleted and hidden ones too, newest first
  const MenuItem* find(const std::string& id_or_slug) const;              // active items only
  // An item that is on the menu but whose category is switched off (hidden, not orderable).
  const MenuItem* find_switched_off(const std::string& id_or_slug) const;
  const std::vector<Category>& categories() const { return categories_; }  // all, in order
  const Category* category_of(const MenuItem& item) const;
  // Why this dish cannot go in a cart at minute_of_day (menu::minute_of_day), or empty when it
  // can: the kitchen switched it off, or it is outside its category's serving hours.
  std::string why_not_orderable(const MenuItem& item, int minute_of_day) const;
  const std::string& json_text(const MenuItem* item) const { return json_text_.at(item); }
  const SearchIndex& search_index() const { return *search_; }
  std::size_t size() const { return active_.size(); }

  // A page or listing already rendered from this snapshot: the data part and extra meta fields.
  struct Rendered {
    std::string data;  // JSON text
    std::string meta;  // JSON members without braces, e.g. "\"pagination\":{…}", or empty
    // Kept with the rendering so a cached answer does no per-request work but its timestamp
    // (issue 24): the response envelope up to it (meta.cached true), and the ETag.
    std::shared_ptr<const std::string> envelope;
    std::string etag;
  };
  std::shared_ptr<const Rendered> cached(const std::string& key) const;
  void remember(const std::string& key, std::shared_ptr<const Rendered> value) const;

 private:
  std::uint64_t version_ = 0;
  std::vector<MenuItem> items_;  // owns every item, deleted ones too (orders may refer to them)
  std::vector<Category> categories_;
  std::vector<const MenuItem*> active_;
  std::unordered_map<std::string, const MenuItem*> by_key_;        // id and slug
  std::unordered_map<std::string, const MenuItem*> switched_off_;  // id and slug
  std::unordered_map<std::string, const Category*> category_by_id_;
  std::unordered_map<const MenuItem*, std::string> json_text_;
  std::unique_ptr<SearchIndex> search_;
  static constexpr std::size_t kMaxRendered = 2048;
  static constexpr std::size_t kMaxRenderedBytes = 16 * 1024 * 1024;  // per snapshot
  mutable std::mutex rendered_mutex_;
  mutable std::size_t rendered_bytes_ = 0;
  mutable std::unordered_map<std::string, std::shared_ptr<const Rendered>> rendered_;
};

class Catalog {
 public:
  Catalog();
  std::shared_ptr<const Snapshot> snapshot() const { return current_.load(); }
  // Reloads race: take a ticket before reading the database, and a reload replaces the snapshot
  // only if no later ticket already has. The latest ticket read after every earlier commit.
  std::uint64_t ticket() { return ++tickets_; }
  void replace(MenuData data, std::uint64_t ticket);

 private:
  std::atomic<std::shared_ptr<const Snapshot>> current_;
  std::atomic<std::uint64_t> tickets_{0};
  std::mutex replace_mutex_;
  std::uint64_t applied_ = 0;
};

// Strong validator for a rendering: changes whenever the snapshot or the request changes.
std::string etag_for(const Snapshot& s, const std::string& key);

}  // namespace tiptop::menu
