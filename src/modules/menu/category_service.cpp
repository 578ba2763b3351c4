#include "modules/menu/category_service.hpp"

#include <set>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "modules/menu/category_repository.hpp"

namespace tiptop::menu {
namespace asio = boost::asio;
namespace bj = boost::json;
namespace {

constexpr int kOrderStep = 10;  // room to slot one in between by hand

// Name and slug must be free (names in any case); the slug defaults to the name's.
void claim_name_and_slug(store::Connection& c, Category& k, const bj::object& body) {
  if (auto same = find_category_named(c, k.name); same && same->id != k.id)
    throw ConflictError("A category with this name exists", "CATEGORY_EXISTS", {{"name", "is taken"}});
  if (auto* slug = body.if_contains("slug"); slug && slug->is_string())
    k.slug = slugify(std::string(slug->get_string()));
  else if (k.slug.empty() || body.contains("name"))
    k.slug = slugify(k.name);
  if (category_slug_taken(c, k.slug, k.id))
    throw ConflictError("A category with this slug exists", "CATEGORY_EXISTS", {{"slug", "is taken"}});
}

}  // namespace

void file_under_category(store::Connection& c, MenuItem& item, clock::Millis now) {
  auto found = find_category_named(c, item.category_main);
  if (!found) {
    Category k;
    k.id = ids::new_object_id();
    k.name = item.category_main;
    k.slug = slugify(k.name);
    for (int n = 2; category_slug_taken(c, k.slug); ++n) k.slug = slugify(k.name) + "-" + std::to_string(n);
    k.sort_order = last_category_order(c) + kOrderStep;
    k.created_at = k.updated_at = now;
    insert_category(c, k);
    found = std::move(k);
  }
  item.category_id = found->id;
  item.category_main = found->name;  // the category's spelling, whatever case the admin typed
}

asio::awaitable<bj::array> CategoryService::list() {
  co_return co_await db_.read([](store::Connection& c) {
    bj::array out;
    const auto counts = count_items_by_category(c);
    for (const auto& k : load_categories(c)) {
      const auto n = counts.find(k.id);
      out.push_back(to_json(k, n == counts.end() ? 0 : n->second));
    }
    return out;
  });
}

asio::awaitable<Category> CategoryService::create(bj::object body) {
  auto made = co_await db_.transaction([&](store::Connection& c) {
    Category k;
    k.id = ids::new_object_id();
    k.created_at = k.updated_at = clock::now_ms();
    k.sort_order = last_category_order(c) + kOrderStep;  // at the end unless told
    apply_fields(k, body);
    claim_name_and_slug(c, k, body);
    insert_category(c, k);
    return k;
  });
  co_await menu_.refresh();
  co_return made;
}

asio::awaitable<Category> CategoryService::update(std::string id, bj::object body) {
  auto changed = co_await db_.transaction([&](store::Connection& c) {
    auto found = find_category(c, id, /*for_update=*/true);
    if (!found) throw NotFoundError("Category");
    Category k = std::move(*found);
    const auto old_name = k.name;
    apply_fields(k, body);
    claim_name_and_slug(c, k, body);
    k.updated_at = clock::now_ms();
    update_category(c, k);
    if (k.name != old_name) rename_category_items(c, k);
    return k;
  });
  co_await menu_.refresh();
  co_return changed;
}

asio::awaitable<bj::array> CategoryService::reorder(std::vector<std::string> ids) {
  auto ordered = co_await db_.transaction([&](store::Connection& c) {
    const auto all = load_categories(c);
    std::set<std::string> known, seen;
    for (const auto& k : all) known.insert(k.id);
    std::vector<FieldError> bad;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const std::string at = "order[" + std::to_string(i) + "]";
      if (!known.contains(ids[i]))
        bad.push_back({at, "is not a category"});
      else if (!seen.insert(ids[i]).second)
        bad.push_back({at, "is listed twice"});
    }
    if (bad.empty() && seen.size() != known.size())
      bad.push_back({"order", "must list every category (" + std::to_string(known.size()) + ")"});
    if (!bad.empty()) throw ValidationError("Validation failed", std::move(bad));
    for (std::size_t i = 0; i < ids.size(); ++i) set_category_order(c, ids[i], static_cast<int>(i + 1) * kOrderStep);
    bj::array out;
    const auto counts = count_items_by_category(c);
    for (const auto& k : load_categories(c)) {
      const auto n = counts.find(k.id);
      out.push_back(to_json(k, n == counts.end() ? 0 : n->second));
    }
    return out;
  });
  co_await menu_.refresh();
  co_return ordered;
}

asio::awaitable<void> CategoryService::remove(std::string id) {
  co_await db_.transaction([&](store::Connection& c) {
    if (!find_category(c, id, /*for_update=*/true)) throw NotFoundError("Category");
    if (const auto n = count_category_items(c, id); n > 0)
      throw ConflictError("The category still holds " + std::to_string(n) + " item(s); move or delete them first",
                          "CATEGORY_NOT_EMPTY");
    delete_category(c, id);
  });
  co_await menu_.refresh();
}

}  // namespace tiptop::menu
