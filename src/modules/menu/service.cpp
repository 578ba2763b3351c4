#include "modules/menu/service.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "modules/menu/category_service.hpp"
#include "modules/menu/repository.hpp"

namespace tiptop::menu {
namespace asio = boost::asio;
namespace bj = boost::json;
namespace {

std::vector<std::string> strings(const bj::value& v) {
  std::vector<std::string> out;
  if (v.is_array())
    for (const auto& e : v.get_array())
      if (e.is_string()) out.emplace_back(e.get_string());
  return out;
}

money::Paise rupees(const bj::value& v, const std::string& field) { return money::require(v, field); }

// Unique slug from the name: "paneer-tikka", then "paneer-tikka-2"… when taken by another item.
std::string unique_slug(store::Connection& c, const MenuItem& m) {
  const auto base = slugify(m.name, m.plate_quantity);
  auto slug = base;
  for (int n = 2; slug_taken(c, slug, m.id); ++n) slug = base + "-" + std::to_string(n);
  return slug;
}

}  // namespace

void apply_fields(MenuItem& m, const bj::object& b) {
  auto text = [&](const char* key, std::string& target) {
    if (auto* v = b.if_contains(key)) target = v->is_string() ? std::string(v->get_string()) : std::string();
  };
  text("name", m.name);
  text("description", m.description);
  text("image", m.image);
  text("plateQuantity", m.plate_quantity);
  text("servingSize", m.serving_size);
  if (auto* v = b.if_contains("images")) m.images = strings(*v);
  if (auto* v = b.if_contains("price")) m.price = rupees(*v, "price");
  if (auto* v = b.if_contains("originalPrice"))
    m.original_price = v->is_null() ? std::nullopt : std::optional<money::Paise>(rupees(*v, "originalPrice"));
  if (auto* v = b.if_contains("category"); v && v->is_object()) {
    m.category_main = json::string_or(v->get_object(), "main", m.category_main);
    if (auto* sub = v->get_object().if_contains("sub")) m.category_sub = strings(*sub);
  }
  if (auto* v = b.if_contains("ingredients")) m.ingredients = strings(*v);
  if (auto* v = b.if_contains("allergens")) m.allergens = strings(*v);
  if (auto* v = b.if_contains("tags")) m.tags = strings(*v);
  if (auto* v = b.if_contains("nutritionInfo")) m.nutrition = nutrition_from_json(*v);
  if (auto* v = b.if_contains("customizations")) {
    if (auto* groups = v->if_array())
      for (std::size_t g = 0; g < groups->size(); ++g)
        if (auto* opts = (*groups)[g].as_object().if_contains("options"); opts && opts->is_array())
          for (std::size_t o = 0; o < opts->get_array().size(); ++o)
            if (auto* p = opts->get_array()[o].as_object().if_contains("price"))
              rupees(*p, "customizations[" + std::to_string(g) + "].options[" + std::to_string(o) + "].price");
    m.customizations = customizations_from_json(*v);
  }
  m.is_available = json::bool_or(b, "isAvailable", m.is_available);
  m.is_vegetarian = json::bool_or(b, "isVegetarian", m.is_vegetarian);
  m.is_vegan = json::bool_or(b, "isVegan", m.is_vegan);
  m.is_gluten_free = json::bool_or(b, "isGlutenFree", m.is_gluten_free);
  if (m.is_vegan) m.is_vegetarian = true;  // vegan food is vegetarian; keep the filters consistent
  m.spice_level = static_cast<int>(json::int_or(b, "spiceLevel", m.spice_level));
  m.prep_time = static_cast<int>(json::int_or(b, "prepTime", m.prep_time));
  if (m.original_price && *m.original_price < m.price)
    throw ValidationError("Validation failed", {{"originalPrice", "must not be lower than price"}});
}

MenuService::MenuService(store::Database& db, Catalog& catalog, cache::InvalidationBus& bus)
    : db_(db), catalog_(catalog), bus_(bus) {
  // Another node changed the menu (or we may have missed that it did): rebuild ours.
  bus_.subscribe("menu", [this](std::string) { return reload(/*tell_others=*/false); });
}

void MenuService::load_sync() {
  const auto ticket = catalog_.ticket();
  auto load = [](store::Connection& c) { return load_menu(c); };
  catalog_.replace(db_.read_sync(load), ticket);
}

asio::awaitable<void> MenuService::reload(bool tell_others) {
  // The write has committed: a failed reload must not turn it into an error for the admin (who
  // would retry and duplicate it). Retry a few times, then log; the next write reloads again.
  for (int attempt = 1; attempt <= 3; ++attempt) {
    std::string failure;
    try {
      const auto ticket = catalog_.ticket();
      // Loading and building the snapshot both happen on the worker, off the I/O thread.
      co_await db_.read([&](store::Connection& c) { catalog_.replace(load_menu(c), ticket); });
      break;
    } catch (const std::exception& e) {
      failure = e.what();  // co_await is not allowed inside a handler: wait below
    }
    if (attempt == 3) {
      log::error("menu snapshot reload failed after a committed write", {{"error", failure}});
      break;
    }
    asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(100 * attempt));
    co_await pause.async_wait(asio::use_awaitable);
  }
  // The admin's answer waits for the other nodes' reloads: their next read shows the change.
  if (tell_others) co_await bus_.publish_and_wait("menu", "changed");
}

asio::awaitable<MenuItem> MenuService::create(bj::object body) {
  MenuItem item;
  item.id = ids::new_object_id();
  apply_fields(item, body);
  item.created_at = item.updated_at = clock::now_ms();
  co_await db_.transaction([&](store::Connection& c) {
    file_under_category(c, item, item.created_at);
    item.slug = unique_slug(c, item);
    insert_item(c, item);
  });
  co_await reload();
  co_return item;
}

asio::awaitable<MenuItem> MenuService::update(std::string id, bj::object body) {
  auto item = co_await db_.transaction([&](store::Connection& c) {
    auto found = find_item(c, id, /*for_update=*/true);
    if (!found || !found->is_active) throw NotFoundError("Menu item");
    MenuItem m = std::move(*found);
    const auto old_name = m.name, old_plate = m.plate_quantity;
    apply_fields(m, body);
    if (m.name != old_name || m.plate_quantity != old_plate) m.slug = unique_slug(c, m);
    m.updated_at = clock::now_ms();
    file_under_category(c, m, m.updated_at);
    update_item(c, m);
    return m;
  });
  co_await reload();
  co_return item;
}

asio::awaitable<void> MenuService::remove(std::string id) {
  co_await db_.transaction([&](store::Connection& c) {
    auto found = find_item(c, id, /*for_update=*/true);
    if (!found || !found->is_active) throw NotFoundError("Menu item");
    found->is_active = false;
    found->updated_at = clock::now_ms();
    update_item(c, *found);
  });
  co_await reload();
}

asio::awaitable<MenuItem> MenuService::add_images(std::string id, std::vector<std::string> urls, std::string main_url) {
  auto item = co_await db_.transaction([&](store::Connection& c) {
    auto found = find_item(c, id, /*for_update=*/true);
    if (!found || !found->is_active) throw NotFoundError("Menu item");
    if (found->image.empty()) found->image = main_url;
    found->images.insert(found->images.end(), urls.begin(), urls.end());
    if (found->images.size() > 20) found->images.erase(found->images.begin(), found->images.end() - 20);
    found->updated_at = clock::now_ms();
    update_item(c, *found);
    return *found;
  });
  co_await reload();
  co_return item;
}

asio::awaitable<MenuItem> MenuService::set_availability(std::string id, bool available) {
  auto item = co_await db_.transaction([&](store::Connection& c) {
    auto found = find_item(c, id, /*for_update=*/true);
    if (!found || !found->is_active) throw NotFoundError("Menu item");
    found->is_available = available;
    found->updated_at = clock::now_ms();
    update_item(c, *found);
    return *found;
  });
  co_await reload();
  co_return item;
}

}  // namespace tiptop::menu
