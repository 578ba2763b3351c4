// The menu on both engines: listing, filters, both paginations, search, cache and 304s, admin edits.
#include <gtest/gtest.h>

#include <set>

#include "modules/auth/service.hpp"
#include "modules/menu/seed.hpp"
#include "support/api.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

using namespace tiptop;
using namespace tiptop::testing;
namespace bj = boost::json;

namespace {

class Menu : public ApiTest {
 protected:
  void SetUp() override {
    TIPTOP_REQUIRE_ENGINE(GetParam());
    // Seeded before the server starts, as `tiptop seed` then `tiptop serve` do.
    app_ = std::make_unique<TestApp>(
        GetParam(), TestApp::Options{.prepare = [](store::Database& db) { menu::seed_demo_menu(db); }});
    app_->app().auth().create_account_sync(
        {.role = "admin", .email = "chef@tiptop.in", .phone = "9800000001", .password = "kitchen-boss-2024"});
    app_->app().auth().create_account_sync(
        {.role = "customer", .email = "c@tiptop.in", .phone = "9800000002", .password = "kitchen-boss-2024"});
    admin_ = login("chef@tiptop.in");
    customer_ = login("c@tiptop.in");
  }
  HttpClient client() { return HttpClient(app_->port()); }
  bj::value get(const std::string& target) {
    auto r = client().get(target);
    EXPECT_EQ(r.status, 200) << target << " " << r.body;
    return r.json();
  }
  bj::array items(const std::string& target) { return get(target).at("data").as_array(); }
  std::string first_id(const std::string& target) { return str(items(target).at(0).at("_id")); }

  std::string admin_, customer_;
  const std::size_t total_ = menu::demo_menu().size();
};

}  // namespace

TEST_P(Menu, OffsetPaginationAndLimits) {
  auto page = get("/api/v1/menu/items");
  EXPECT_EQ(page.at("data").as_array().size(), 20u);
  auto p = page.at("meta").at("pagination");
  EXPECT_EQ(p.at("page"), 1);
  EXPECT_EQ(p.at("total"), static_cast<std::int64_t>(total_));
  EXPECT_EQ(p.at("pages"), static_cast<std::int64_t>((total_ + 19) / 20));
  std::set<std::string> seen;
  for (int n = 1; n <= p.at("pages").as_int64(); ++n)
    for (auto& i : items("/api/v1/menu/items?limit=20&page=" + std::to_string(n))) seen.insert(str(i.at("_id")));
  EXPECT_EQ(seen.size(), total_);
  EXPECT_EQ(items("/api/v1/menu/items?page=99").size(), 0u);
  for (auto bad : {"limit=101", "limit=0", "limit=abc", "page=0", "page=-1", "sort=cheapest", "maxSpice=9", "veg=maybe",
                   "minPrice=-1", "minPrice=10.555", "minPrice=500&maxPrice=100"}) {
    auto r = client().get(std::string("/api/v1/menu/items?") + bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(r.json().at("error").at("code"), "VALIDATION_ERROR") << bad;
  }
}

TEST_P(Menu, FiltersAndSorts) {
  for (auto& i : items("/api/v1/menu/items?category=biryani&limit=100"))
    EXPECT_EQ(i.at("category").at("main"), "Biryani");
  EXPECT_EQ(items("/api/v1/menu/items?category=All&limit=100").size(), std::min<std::size_t>(total_, 100));
  for (auto& i : items("/api/v1/menu/items?veg=true&limit=100")) EXPECT_EQ(i.at("isVegetarian"), true);
  for (auto& i : items("/api/v1/menu/items?subCategory=Non-Vegetarian&limit=100"))
    EXPECT_EQ(i.at("isVegetarian"), false);
  for (auto& i : items("/api/v1/menu/items?maxSpice=1&limit=100")) EXPECT_LE(i.at("spiceLevel").as_int64(), 1);
  for (auto& i : items("/api/v1/menu/items?tag=bestseller&limit=100"))
    EXPECT_NE(bj::serialize(i.at("tags")).find("bestseller"), std::string::npos);
  auto ranged = items("/api/v1/menu/items?minPrice=100&maxPrice=200.5&limit=100");
  ASSERT_FALSE(ranged.empty());
  for (auto& i : ranged) {
    EXPECT_GE(i.at("price").to_number<double>(), 100);
    EXPECT_LE(i.at("price").to_number<double>(), 200.5);
  }
  auto cheap = items("/api/v1/menu/items?sort=price&limit=100");
  for (std::size_t k = 1; k < cheap.size(); ++k)
    EXPECT_LE(cheap[k - 1].at("price").to_number<double>(), cheap[k].at("price").to_number<double>());
  auto dear = items("/api/v1/menu/items?sort=-price&limit=5");
  EXPECT_EQ(dear[0].at("name"), "Prawn Biryani");
  EXPECT_EQ(items("/api/v1/menu/items?category=Biryani&veg=true&maxSpice=2&limit=100").size(),
            2u);  // Veg Dum, half + full
}

TEST_P(Menu, CursorPaginationWalksEverythingOnce) {
  for (std::string sort : {"newest", "price", "-price"}) {
    std::vector<std::string> ids;
    std::string cursor;
    for (int guard = 0; guard < 50; ++guard) {
      auto page = get("/api/v1/menu/items?limit=7&sort=" + sort + "&cursor=" + cursor);
      for (auto& i : page.at("data").as_array()) ids.push_back(str(i.at("_id")));
      auto p = page.at("meta").at("pagination");
      if (!p.at("hasMore").as_bool()) {
        EXPECT_TRUE(p.at("nextCursor").is_null());
        break;
      }
      cursor = str(p.at("nextCursor"));
    }
    EXPECT_EQ(ids.size(), total_) << sort;
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), total_) << sort;
  }
  EXPECT_EQ(client().get("/api/v1/menu/items?cursor=not-a-cursor").status, 400);
  auto price_cursor =
      str(get("/api/v1/menu/items?sort=price&limit=2&cursor=").at("meta").at("pagination").at("nextCursor"));
  EXPECT_EQ(client().get("/api/v1/menu/items?sort=-price&cursor=" + price_cursor).status,
            400);  // another listing's cursor
}

TEST_P(Menu, ItemByIdOrSlugAndCategories) {
  auto by_slug = get("/api/v1/menu/items/butter-chicken-full").at("data");
  EXPECT_EQ(by_slug.at("name"), "Butter Chicken");
  EXPECT_EQ(by_slug.at("customizations").at(0).at("name"), "Spice Level");
  EXPECT_EQ(get("/api/v1/menu/items/" + str(by_slug.at("_id"))).at("data").at("slug"), "butter-chicken-full");
  EXPECT_EQ(client().get("/api/v1/menu/items/no-such-dish").status, 404);
  auto cats = get("/api/v1/menu/categories").at("data").as_array();
  std::vector<std::string> names;
  std::int64_t sum = 0;
  for (auto& c : cats) {
    names.push_back(str(c.at("name")));
    sum += c.at("count").as_int64();
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Biryani", "Tandoori", "Chinese", "Curries", "Breads", "Starters",
                                             "Desserts", "Beverages"}));
  EXPECT_EQ(sum, static_cast<std::int64_t>(total_));
  for (auto& i : items("/api/v1/menu/popular?limit=5"))
    EXPECT_TRUE(bj::serialize(i.at("tags")).find("bestseller") != std::string::npos ||
                bj::serialize(i.at("tags")).find("popular") != std::string::npos);
}

TEST_P(Menu, SearchPrefixTypoAndRelevance) {
  auto names = [&](const std::string& q) {
    std::vector<std::string> out;
    for (auto& i : items("/api/v1/menu/search?limit=50&q=" + q)) out.push_back(str(i.at("name")));
    return out;
  };
  auto biry = names("biry");
  ASSERT_GE(biry.size(), 16u);
  for (std::size_t k = 0; k < 16; ++k) EXPECT_NE(biry[k].find("Biryani"), std::string::npos) << biry[k];
  auto typo = names("biryni");
  ASSERT_FALSE(typo.empty());
  EXPECT_NE(typo[0].find("Biryani"), std::string::npos);
  EXPECT_EQ(names("paneer%20tikka").at(0), "Paneer Tikka");
  EXPECT_EQ(names("chiken%2065").at(0), "Chicken 65");
  EXPECT_EQ(names("MANCHURIAN").size(), 2u);
  EXPECT_TRUE(names("zzzzzz").empty());
  EXPECT_EQ(get("/api/v1/menu/search?q=biry&limit=3").at("meta").at("total").as_int64(),
            static_cast<std::int64_t>(biry.size()));
  EXPECT_EQ(client().get("/api/v1/menu/search").status, 400);
  EXPECT_EQ(client().get("/api/v1/menu/search?q=").status, 400);
}

TEST_P(Menu, CachedTruthfullyWithEtagsAnd304) {
  auto first = client().get("/api/v1/menu/items?category=Chinese");
  auto second = client().get("/api/v1/menu/items?category=Chinese");
  EXPECT_EQ(first.json().at("meta").at("cached"), false);
  EXPECT_EQ(second.json().at("meta").at("cached"), true);
  EXPECT_EQ(first.json().at("data"), second.json().at("data"));
  const auto etag = first.header("etag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(etag, second.header("etag"));
  auto not_modified = client().request("GET", "/api/v1/menu/items?category=Chinese", {}, {{"If-None-Match", etag}});
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_EQ(not_modified.body, "");
  EXPECT_EQ(client().request("GET", "/api/v1/menu/items?category=Chinese", {}, {{"If-None-Match", "\"other\""}}).status,
            200);
  EXPECT_NE(client().get("/api/v1/menu/items?category=Tandoori").header("etag"), etag);

  // An admin change shows on the very next read, and the old ETag no longer matches.
  const auto id = first_id("/api/v1/menu/items?category=Chinese");
  auto patch =
      client().call("PATCH", "/api/v1/admin/menu/items/" + id + "/availability", admin_, R"({"isAvailable":false})");
  ASSERT_EQ(patch.status, 200) << patch.body;
  auto after = client().request("GET", "/api/v1/menu/items?category=Chinese", {}, {{"If-None-Match", etag}});
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(after.json().at("meta").at("cached"), false);
  EXPECT_EQ(after.json().at("data").at(0).at("isAvailable"), false);
  for (auto& i : items("/api/v1/menu/items?category=Chinese&available=true&limit=100")) EXPECT_NE(str(i.at("_id")), id);
}

TEST_P(Menu, AdminCreateUpdateDelete) {
  const std::string dish = R"({"name":"Mutton Haleem","description":"Slow-cooked wheat and mutton","price":249.5,
      "originalPrice":299,"category":{"main":"Curries","sub":["Non-Vegetarian"]},"plateQuantity":"Full","spiceLevel":2,
      "prepTime":30,"tags":["seasonal"],"customizations":[{"name":"Add-ons","multiple":true,
      "options":[{"label":"Extra Ghee","price":20},{"label":"Sheermal","price":45.5}]}]})";
  auto created = client().call("POST", "/api/v1/admin/menu/items", admin_, dish);
  ASSERT_EQ(created.status, 201) << created.body;
  auto item = created.json().at("data");
  EXPECT_EQ(item.at("slug"), "mutton-haleem-full");
  EXPECT_TRUE(item.as_object().contains("revenue"));  // admins see business figures…
  EXPECT_EQ(item.at("price"), 249.5);
  EXPECT_EQ(item.at("customizations").at(0).at("options").at(1).at("price"), 45.5);
  const auto id = str(item.at("_id"));
  EXPECT_EQ(items("/api/v1/menu/search?q=haleem").size(), 1u);  // searchable at once
  EXPECT_FALSE(get("/api/v1/menu/items/" + str(item.at("_id")))
                   .at("data")
                   .as_object()
                   .contains("revenue"));  // …the public does not
  auto twin = client().call("POST", "/api/v1/admin/menu/items", admin_, dish);
  EXPECT_EQ(twin.json().at("data").at("slug"), "mutton-haleem-full-2");

  auto updated = client().call("PUT", "/api/v1/admin/menu/items/" + id, admin_,
                               R"({"price":259,"isVegan":false,"tags":["seasonal","new"]})");
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(get("/api/v1/menu/items/" + id).at("data").at("price"), 259);

  EXPECT_EQ(client().call("DELETE", "/api/v1/admin/menu/items/" + id, admin_).status, 200);
  EXPECT_EQ(client().get("/api/v1/menu/items/" + id).status, 404);
  EXPECT_EQ(items("/api/v1/menu/search?q=haleem").size(), 1u);  // only the twin is left
  EXPECT_EQ(client().call("DELETE", "/api/v1/admin/menu/items/" + id, admin_).status, 404);
  EXPECT_EQ(client().call("PUT", "/api/v1/admin/menu/items/" + id, admin_, R"({"price":1})").status, 404);
  auto db = store::open_database(app_->database_url(), 1, "FULL");
  auto row = [&](store::Connection& c) {
    return c.query("SELECT is_active FROM menu_items WHERE id = ?", {id}).rows.at(0).boolean("is_active");
  };
  EXPECT_FALSE(db->read_sync(row));  // soft delete: past orders keep their snapshot of the item
}

TEST_P(Menu, AdminValidationAndRoles) {
  auto fields = [](const HttpResult& r) {
    std::set<std::string> out;
    const auto j = r.json();
    for (auto& d : j.at("error").at("details").as_array()) out.insert(str(d.at("field")));
    return out;
  };
  auto missing = client().call("POST", "/api/v1/admin/menu/items", admin_, R"({"description":"no name"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(fields(missing), (std::set<std::string>{"name", "price", "category"}));
  auto bad = client().call("POST", "/api/v1/admin/menu/items", admin_,
                           R"({"name":"X","price":-5,"category":{"main":""},"spiceLevel":9,"plateQuantity":"Quarter",
          "customizations":[{"name":"Size","options":[]}],"image":"file:///etc/passwd"})");
  EXPECT_EQ(fields(bad), (std::set<std::string>{"price", "category.main", "spiceLevel", "plateQuantity",
                                                "customizations[0].options", "image"}));
  auto decimals = client().call("POST", "/api/v1/admin/menu/items", admin_,
                                R"({"name":"X","price":10.999,"category":{"main":"Curries"}})");
  EXPECT_EQ(fields(decimals), (std::set<std::string>{"price"}));
  auto discount = client().call("POST", "/api/v1/admin/menu/items", admin_,
                                R"({"name":"X","price":100,"originalPrice":90,"category":{"main":"Curries"}})");
  EXPECT_EQ(fields(discount), (std::set<std::string>{"originalPrice"}));
  auto option_price = client().call(
      "POST", "/api/v1/admin/menu/items", admin_,
      R"({"name":"X","price":100,"category":{"main":"Curries"},"customizations":[{"name":"A","options":[{"label":"B","price":1.234}]}]})");
  EXPECT_EQ(fields(option_price), (std::set<std::string>{"customizations[0].options[0].price"}));
  EXPECT_EQ(get("/api/v1/menu/items").at("meta").at("pagination").at("total"),
            static_cast<std::int64_t>(total_));  // nothing created

  const std::string ok = R"({"name":"X","price":100,"category":{"main":"Curries"}})";
  EXPECT_EQ(client().call("POST", "/api/v1/admin/menu/items", customer_, ok).status, 403);
  EXPECT_EQ(client().call("POST", "/api/v1/admin/menu/items", "", ok).status, 401);
  const auto id = first_id("/api/v1/menu/items");
  EXPECT_EQ(
      client()
          .call("PATCH", "/api/v1/admin/menu/items/" + id + "/availability", customer_, R"({"isAvailable":false})")
          .status,
      403);
  EXPECT_EQ(client().call("DELETE", "/api/v1/admin/menu/items/" + id, customer_).status, 403);
  EXPECT_EQ(client()
                .call("PATCH", "/api/v1/admin/menu/items/" + id + "/availability", admin_, R"({"isAvailable":"no"})")
                .status,
            400);
  EXPECT_EQ(
      client().call("PATCH", "/api/v1/admin/menu/items/zzz/availability", admin_, R"({"isAvailable":false})").status,
      404);
}

INSTANTIATE_TEST_SUITE_P(Engines, Menu, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
