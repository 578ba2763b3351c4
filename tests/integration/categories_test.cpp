// Issue 22, categories as data, on both engines: the staff's order on the public menu, switching
// one off hides its items (and they cannot be ordered), serving hours, names kept unique and
// carried to the items, the admins' full item list; and the migration that turned today's strings
// into rows, run on a copy of today's seed.
#include <gtest/gtest.h>

#include "core/ids.hpp"
#include "modules/menu/seed.hpp"
#include "store/migrations.hpp"
#include "support/order_fixture.hpp"

using namespace tiptop;
using namespace tiptop::testing;
namespace bj = boost::json;

namespace {

class Categories : public OrderFixture {
 protected:
  std::vector<std::string> public_names() {
    std::vector<std::string> out;
    const auto answer = HttpClient(app_->port()).get("/api/v1/menu/categories").json();  // (kept while read)
    for (const auto& c : answer.at("data").as_array()) out.push_back(str(c.at("name")));
    return out;
  }
  bj::array admin_categories() {
    auto r = call("GET", "/api/v1/admin/categories", admin_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().at("data").as_array();
  }
  std::string category_id(const std::string& name) {
    for (const auto& c : admin_categories())
      if (str(c.at("name")) == name) return str(c.at("_id"));
    ADD_FAILURE() << "no category " << name;
    return {};
  }
  std::int64_t public_count(const std::string& query) {
    return HttpClient(app_->port())
        .get("/api/v1/menu/items?limit=100&" + query)
        .json()
        .at("meta")
        .at("pagination")
        .at("total")
        .as_int64();
  }
};

}  // namespace

TEST_P(Categories, TheMenuShowsCategoriesInTheStaffsOrderAndTheyCanBeReordered) {
  const std::vector<std::string> seeded = {"Biryani", "Tandoori", "Chinese",  "Curries",
                                           "Breads",  "Starters", "Desserts", "Beverages"};
  auto all = admin_categories();
  ASSERT_EQ(all.size(), seeded.size());
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(str(all[i].at("name")), seeded[i]);
    EXPECT_TRUE(all[i].at("isActive").as_bool());
    EXPECT_GT(all[i].at("itemCount").as_int64(), 0) << seeded[i];
    ids.push_back(str(all[i].at("_id")));
  }
  EXPECT_EQ(public_names(), seeded);
  const auto first = HttpClient(app_->port()).get("/api/v1/menu/categories").json().at("data").at(0);
  EXPECT_EQ(str(first.at("slug")), "biryani");
  EXPECT_GT(first.at("count").as_int64(), 0);
  EXPECT_FALSE(first.at("subCategories").as_array().empty());

  // Beverages first, then the rest as they were.
  std::vector<std::string> order = {ids.back()};
  order.insert(order.end(), ids.begin(), ids.end() - 1);
  std::string list;
  for (const auto& id : order) list += (list.empty() ? "\"" : ",\"") + id + "\"";
  auto moved = call("PUT", "/api/v1/admin/categories/order", admin_, R"({"order":[)" + list + "]}");
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(public_names().front(), "Beverages");
  EXPECT_EQ(public_names().at(1), "Biryani");

  // Each id once, every one of them, nothing else: otherwise nothing moves.
  auto missing = call("PUT", "/api/v1/admin/categories/order", admin_, R"({"order":[")" + ids[0] + R"("]})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(first_field(missing), "order");
  auto twice =
      call("PUT", "/api/v1/admin/categories/order", admin_, R"({"order":[")" + ids[0] + R"(",")" + ids[0] + R"("]})");
  EXPECT_EQ(twice.status, 400);
  EXPECT_EQ(first_field(twice), "order[1]");
  auto unknown = call("PUT", "/api/v1/admin/categories/order", admin_, R"({"order":["0123456789abcdef01234567"]})");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(first_field(unknown), "order[0]");
  EXPECT_EQ(public_names().front(), "Beverages");
  // The kitchen's staff and customers do not rearrange the menu.
  EXPECT_EQ(call("PUT", "/api/v1/admin/categories/order", staff_member(), R"({"order":[)" + list + "]}").status, 403);
  EXPECT_EQ(call("GET", "/api/v1/admin/categories", asha_).status, 403);
}

TEST_P(Categories, SwitchingACategoryOffHidesItsItemsUntilItIsBackOn) {
  const auto breads = category_id("Breads");
  const auto breads_count = public_count("category=Breads"), everything = public_count("");
  ASSERT_GT(breads_count, 0);
  ASSERT_EQ(call("PUT", "/api/v1/admin/categories/" + breads, admin_, R"({"isActive":false})").status, 200);

  EXPECT_EQ(public_count("category=Breads"), 0);
  EXPECT_EQ(public_count(""), everything - breads_count);
  EXPECT_EQ(HttpClient(app_->port()).get("/api/v1/menu/items/butter-naan").status, 404);
  auto names = public_names();
  EXPECT_EQ(std::find(names.begin(), names.end(), "Breads"), names.end());
  auto found = HttpClient(app_->port()).get("/api/v1/menu/search?q=naan").json().at("data").as_array();
  EXPECT_TRUE(found.empty());
  // A cart that still holds naan is told so, item by item; nothing is placed.
  auto refused = call("POST", "/api/v1/orders", asha_, order_body());
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(error_code(refused), "ITEMS_UNAVAILABLE");
  EXPECT_EQ(first_field(refused), "items[1].menuItem");
  EXPECT_NE(refused.body.find("not on the menu right now"), std::string::npos) << refused.body;
  EXPECT_EQ(my_order_count(asha_), 0);
  // The admins still see the hidden items, marked so.
  auto hidden = call("GET", "/api/v1/admin/menu/items?state=hidden", admin_);
  ASSERT_EQ(hidden.status, 200) << hidden.body;
  EXPECT_EQ(hidden.json().at("meta").at("pagination").at("total").as_int64(), breads_count);

  ASSERT_EQ(call("PUT", "/api/v1/admin/categories/" + breads, admin_, R"({"isActive":true})").status, 200);
  EXPECT_EQ(public_count("category=Breads"), breads_count);
  EXPECT_EQ(call("POST", "/api/v1/orders", asha_, order_body()).status, 201);
}

TEST_P(Categories, ServingHoursKeepADishOffOrdersOutsideThem) {
  const auto biryani = category_id("Biryani");
  const int now = static_cast<int>(clock::local_seconds(clock::now_ms()) % 86'400 / 60);
  auto window = [](int from, int until) {
    return R"({"servingHours":{"from":")" + clock::format_hhmm((from + 1440) % 1440) + R"(","until":")" +
           clock::format_hhmm((until + 1440) % 1440) + R"("}})";
  };
  // Lunch starts in an hour: not now.
  ASSERT_EQ(call("PUT", "/api/v1/admin/categories/" + biryani, admin_, window(now + 60, now + 180)).status, 200);
  auto refused = call("POST", "/api/v1/orders", asha_, order_body());
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(first_field(refused), "items[0].menuItem");
  EXPECT_NE(refused.body.find("is served " + clock::format_hhmm((now + 60) % 1440)), std::string::npos) << refused.body;
  // The menu still lists the dishes with the hours, so the shop can say when.
  auto listed = HttpClient(app_->port()).get("/api/v1/menu/categories").json().at("data").at(0);
  EXPECT_EQ(str(listed.at("servingHours").at("from")), clock::format_hhmm((now + 60) % 1440));
  // Hours around now (across midnight or not): served.
  ASSERT_EQ(call("PUT", "/api/v1/admin/categories/" + biryani, admin_, window(now - 30, now + 30)).status, 200);
  EXPECT_EQ(call("POST", "/api/v1/orders", asha_, order_body()).status, 201);
  ASSERT_EQ(call("PUT", "/api/v1/admin/categories/" + biryani, admin_, R"({"servingHours":null})").status, 200);
  EXPECT_EQ(call("POST", "/api/v1/orders", ravi_, order_body()).status, 201);

  auto bad = call("PUT", "/api/v1/admin/categories/" + biryani, admin_,
                  R"({"servingHours":{"from":"25:00","until":"10:00"}})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(first_field(bad), "servingHours.from");
  auto same = call("PUT", "/api/v1/admin/categories/" + biryani, admin_,
                   R"({"servingHours":{"from":"10:00","until":"10:00"}})");
  EXPECT_EQ(same.status, 400);
  EXPECT_EQ(first_field(same), "servingHours.until");
}

TEST_P(Categories, NamesAreUniqueRenamesCarryTheItemsAndOnlyEmptyOnesAreDeleted) {
  auto made = call("POST", "/api/v1/admin/categories", admin_,
                   R"({"name":"Kebabs","image":"https://cdn.tiptop.in/kebabs.jpg"})");
  ASSERT_EQ(made.status, 201) << made.body;
  const auto kebabs = str(made.json().at("data").at("_id"));
  EXPECT_EQ(str(made.json().at("data").at("slug")), "kebabs");
  EXPECT_EQ(str(admin_categories().back().at("name")), "Kebabs");  // new ones go last
  auto dup = call("POST", "/api/v1/admin/categories", admin_, R"({"name":"  kebabs "})");
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(error_code(dup), "CATEGORY_EXISTS");
  EXPECT_EQ(first_field(dup), "name");
  auto empty = call("POST", "/api/v1/admin/categories", admin_, R"({"name":""})");
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(first_field(empty), "name");
  // Not shown to customers while it holds nothing.
  auto names = public_names();
  EXPECT_EQ(std::find(names.begin(), names.end(), "Kebabs"), names.end());

  // An item filed under "kebabs" lands in Kebabs, spelled the category's way.
  auto item = call("POST", "/api/v1/admin/menu/items", admin_,
                   R"({"name":"Seekh Kebab","price":220,"category":{"main":"kebabs","sub":["Non-Vegetarian"]}})");
  ASSERT_EQ(item.status, 201) << item.body;
  const auto item_id = str(item.json().at("data").at("_id"));
  EXPECT_EQ(str(item.json().at("data").at("category").at("main")), "Kebabs");
  EXPECT_EQ(public_names().back(), "Kebabs");

  ASSERT_EQ(call("PUT", "/api/v1/admin/categories/" + kebabs, admin_, R"({"name":"Grills"})").status, 200);
  auto renamed = HttpClient(app_->port()).get("/api/v1/menu/items/" + item_id).json().at("data");
  EXPECT_EQ(str(renamed.at("category").at("main")), "Grills");
  EXPECT_EQ(public_count("category=Grills"), 1);
  auto taken = call("PUT", "/api/v1/admin/categories/" + kebabs, admin_, R"({"name":"Breads"})");
  EXPECT_EQ(taken.status, 409);

  auto full = call("DELETE", "/api/v1/admin/categories/" + kebabs, admin_);
  EXPECT_EQ(full.status, 409);
  EXPECT_EQ(error_code(full), "CATEGORY_NOT_EMPTY");
  ASSERT_EQ(call("DELETE", "/api/v1/admin/menu/items/" + item_id, admin_).status, 200);
  EXPECT_EQ(call("DELETE", "/api/v1/admin/categories/" + kebabs, admin_).status, 200);
  EXPECT_EQ(call("DELETE", "/api/v1/admin/categories/" + kebabs, admin_).status, 404);
  EXPECT_EQ(call("PUT", "/api/v1/admin/categories/not-an-id", admin_, R"({"name":"X"})").status, 404);
}

TEST_P(Categories, AdminsListEveryItemSoldOutAndDeletedOnesToo) {
  ASSERT_EQ(
      call("PATCH", "/api/v1/admin/menu/items/" + naan_ + "/availability", admin_, R"({"isAvailable":false})").status,
      200);
  const auto gone = id_of("garlic-naan");
  ASSERT_EQ(call("DELETE", "/api/v1/admin/menu/items/" + gone, admin_).status, 200);

  auto sold_out = call("GET", "/api/v1/admin/menu/items?state=unavailable", admin_);
  ASSERT_EQ(sold_out.status, 200) << sold_out.body;
  const auto sold_out_json = sold_out.json();
  ASSERT_EQ(sold_out_json.at("data").as_array().size(), 1u);
  EXPECT_EQ(str(sold_out_json.at("data").at(0).at("_id")), naan_);
  EXPECT_EQ(str(sold_out_json.at("data").at(0).at("state")), "unavailable");
  EXPECT_TRUE(sold_out_json.at("data").at(0).as_object().contains("revenue"));  // business figures for admins

  auto deleted = call("GET", "/api/v1/admin/menu/items?state=deleted", admin_).json();
  ASSERT_EQ(deleted.at("data").as_array().size(), 1u);
  EXPECT_EQ(str(deleted.at("data").at(0).at("_id")), gone);
  // Left out, the state means everything but deleted: the public count plus the sold-out naan.
  auto listed = call("GET", "/api/v1/admin/menu/items?limit=5&page=2", admin_).json();
  EXPECT_EQ(listed.at("meta").at("pagination").at("total").as_int64(), public_count(""));
  EXPECT_EQ(listed.at("data").as_array().size(), 5u);
  auto naans = call("GET", "/api/v1/admin/menu/items?q=NAAN&category=breads&state=all", admin_).json();
  for (const auto& n : naans.at("data").as_array()) EXPECT_NE(str(n.at("name")).find("Naan"), std::string::npos);
  EXPECT_GE(naans.at("data").as_array().size(), 2u);
  EXPECT_EQ(call("GET", "/api/v1/admin/menu/items?state=gone", admin_).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/admin/menu/items", asha_).status, 403);
}

// The migration on a copy of today's seed: category strings (in any case, with stray spaces)
// become one row per name, in the menu's order, and every item points at its row.
TEST_P(Categories, TheMigrationTurnsTodaysStringsIntoRows) {
  TestDatabase copy(GetParam());
  auto db = store::open_database(copy.url(), 1, "FULL");
  store::migrate(*db, 21);
  auto items = menu::demo_menu();
  auto seed = [&](store::Connection& c) {
    int n = 0;
    for (auto& m : items) {
      // Some rows typed by hand over the years: "biryani", " Breads".
      std::string category = m.category_main;
      if (n % 7 == 3) category = m.category_main == "Biryani" ? "biryani" : " " + category;
      c.execute(
          "INSERT INTO menu_items (id, name, slug, price_paise, category_main, created_at, updated_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)",
          {ids::new_object_id(), m.name, m.slug, m.price, category, std::int64_t{1'700'000'000'000} + n,
           std::int64_t{1'700'000'000'000} + n});
      ++n;
    }
  };
  db->transaction_sync(seed);
  EXPECT_EQ(store::migrate(*db), static_cast<int>(store::embedded_migrations(db->engine()).size()) - 21);

  auto check = [&](store::Connection& c) {
    std::vector<std::string> names;
    for (const auto& r : c.query("SELECT name, slug FROM menu_categories ORDER BY sort_order").rows) {
      names.push_back(r.text("name"));
      EXPECT_EQ(r.text("slug").find(' '), std::string::npos);
    }
    EXPECT_EQ(names, (std::vector<std::string>{"Biryani", "Tandoori", "Chinese", "Curries", "Breads", "Starters",
                                               "Desserts", "Beverages"}));
    EXPECT_EQ(c.query("SELECT COUNT(*) AS n FROM menu_items WHERE category_id IS NULL").rows.at(0).integer("n"), 0);
    EXPECT_EQ(c.query("SELECT COUNT(*) AS n FROM menu_items i JOIN menu_categories k ON k.id = i.category_id "
                      "WHERE i.category_main <> k.name")
                  .rows.at(0)
                  .integer("n"),
              0);
    EXPECT_EQ(c.query("SELECT COUNT(*) AS n FROM menu_items").rows.at(0).integer("n"),
              static_cast<std::int64_t>(items.size()));
  };
  db->read_sync(check);
  EXPECT_TRUE(store::integrity_problems(*db).empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, Categories, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
