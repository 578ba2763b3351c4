// Notifications on both engines: what each order event tells whom (in the event's transaction),
// ownership and read state, expiry, preferences, devices — and the outbox worker's retries,
// backoff, leases and exactly-once marking, driven with controlled clocks.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "core/ids.hpp"
#include "core/json.hpp"
#include "integrations/send_failure.hpp"
#include "modules/auth/service.hpp"
#include "modules/menu/seed.hpp"
#include "modules/notifications/outbox.hpp"
#include "modules/users/repository.hpp"
#include "store/migrations.hpp"
#include "support/api.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

using namespace tiptop;
using namespace tiptop::testing;
namespace bj = boost::json;
using integrations::SendFailure;

namespace {

class Notifications : public ApiTest {
 protected:
  void SetUp() override {
    TIPTOP_REQUIRE_ENGINE(GetParam());
    TestApp::Options options{.prepare = [](store::Database& db) { menu::seed_demo_menu(db); }};
    options.env = {{"NOTIFICATION_SWEEP_INTERVAL_SECONDS", "3600"}};  // the tests sweep when they choose
    app_ = std::make_unique<TestApp>(GetParam(), std::move(options));
    auto& auth = app_->app().auth();
    auth.create_account_sync({.role = "admin",
                              .email = "chef@tiptop.in",
                              .phone = "9800000001",
                              .password = kTestPassword,
                              .first_name = "Meera"});
    asha_id_ = auth.create_account_sync({.role = "customer",
                                         .email = "asha@tiptop.in",
                                         .phone = "9800000002",
                                         .password = kTestPassword,
                                         .first_name = "Asha"})
                   .id;
    ravi_id_ = auth.create_account_sync({.role = "customer",
                                         .email = "ravi@tiptop.in",
                                         .phone = "9800000003",
                                         .password = kTestPassword,
                                         .first_name = "Ravi"})
                   .id;
    admin_ = login("chef@tiptop.in");
    asha_ = login("asha@tiptop.in");
    ravi_ = login("ravi@tiptop.in");
    naan_ = str(HttpClient(app_->port()).get("/api/v1/menu/items/butter-naan").json().at("data").at("_id"));
  }

  std::string partner(const std::string& name, bool available) {
    auto r = call("POST", "/api/v1/admin/delivery-partners", admin_,
                  R"({"email":")" + name + R"(@tiptop.in","phone":")" + std::to_string(9700000000 + ++phones_) +
                      R"(","password":")" + kTestPassword + R"(","firstName":")" + name +
                      R"(","vehicleInfo":{"type":"motorcycle","number":"KA01AB1234"}})");
    EXPECT_EQ(r.status, 201) << r.body;
    const auto token = login(name + "@tiptop.in");
    if (available) {
      EXPECT_EQ(call("PUT", "/api/v1/delivery/availability", token, R"({"availability":true})").status, 200);
    }
    return token;
  }
  std::string place(const std::string& token) {
    auto r = call("POST", "/api/v1/orders", token,
                  R"({"items":[{"menuItem":")" + naan_ +
                      R"(","quantity":4,"customizations":[{"name":"Topping","options":["Butter"]}]}],
                      "deliveryAddress":{"street":"12 Residency Road","city":"Bengaluru","coordinates":[77.61,12.97]},"paymentMethod":"COD"})");
    EXPECT_EQ(r.status, 201) << r.body;
    return str(r.json().at("data").at("_id"));
  }
  bj::object inbox(const std::string& token, const std::string& query = "") {
    auto r = call("GET", "/api/v1/notifications" + query, token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().as_object();
  }
  std::vector<std::string> titles(const std::string& token) {
    std::vector<std::string> out;
    const auto page = inbox(token, "?limit=100");
    for (const auto& n : page.at("data").as_array()) out.push_back(str(n.at("title")));
    return out;
  }
  std::int64_t count(const std::string& sql, store::Params p = {}) {
    auto q = [&](store::Connection& c) { return c.query(sql, p).rows.front().integer("n"); };
    return app_->app().context().db.read_sync(q);
  }
  // Waits until no outbox row is pending or being sent.
  void drain_outbox() {
    for (int i = 0;
         i < 500 && count("SELECT COUNT(*) AS n FROM notification_outbox WHERE state IN ('pending', 'sending')") > 0;
         ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM notification_outbox WHERE state IN ('pending', 'sending')"), 0);
  }
  std::size_t live_events(const std::string& user_id) {
    std::size_t n = 0;
    for (const auto& e : app_->events().events())
      if (e.room == "user:" + user_id && e.event == "notification:new") ++n;
    return n;
  }

  std::string admin_, asha_, ravi_, asha_id_, ravi_id_, naan_;
  int phones_ = 0;
};

}  // namespace

TEST_P(Notifications, AnOrdersLifeTellsTheCustomerAndThePartners) {
  const auto rider = partner("rider", true);
  const auto resting = partner("resting", false);
  // Asha's phone is registered for push from here on.
  ASSERT_EQ(
      call("POST", "/api/v1/users/me/devices", asha_, R"({"token":"fcm-asha:APA91b_1","platform":"android"})").status,
      201);

  const auto id = place(asha_);
  auto first = inbox(asha_).at("data").as_array();
  ASSERT_EQ(first.size(), 1u);
  const auto& placed = first[0].as_object();
  EXPECT_EQ(str(placed.at("type")), "order_update");
  EXPECT_EQ(str(placed.at("title")), "Order placed");
  EXPECT_EQ(str(placed.at("relatedOrder")), id);
  EXPECT_EQ(str(placed.at("data").at("orderId")), id);
  EXPECT_EQ(placed.at("channels"), (bj::value{{"push", true}, {"sms", false}, {"email", false}}));
  EXPECT_FALSE(placed.at("isRead").as_bool());
  EXPECT_FALSE(placed.at("expiresAt").is_null());
  EXPECT_EQ(live_events(asha_id_), 1u);  // pushed live to her room too

  // A refused change tells nobody: the notification is in the event's transaction.
  const auto before = count("SELECT COUNT(*) AS n FROM notifications");
  EXPECT_EQ(call("PUT", "/api/v1/admin/orders/" + id, admin_, R"({"status":"delivered"})").status, 409);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM notifications"), before);

  for (const std::string s : {"confirmed", "preparing", "ready"})
    ASSERT_EQ(call("PUT", "/api/v1/admin/orders/" + id, admin_, R"({"status":")" + s + "\"}").status, 200);
  // Ready and unassigned: every available partner hears of it, and only the area.
  const auto open = inbox(rider).at("data").as_array();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(str(open[0].at("type")), "new_order_available");
  EXPECT_EQ(open[0].at("message").as_string().find("9800000002"), bj::string::npos);
  EXPECT_EQ(inbox(resting).at("data").as_array().size(), 0u);

  ASSERT_EQ(call("PUT", "/api/v1/delivery/orders/" + id + "/accept", rider).status, 200);
  ASSERT_EQ(call("POST", "/api/v1/delivery/sessions/start", rider, R"({"changeFund":100})").status, 201);
  ASSERT_EQ(call("PUT", "/api/v1/delivery/orders/" + id + "/status", rider, R"({"status":"out-for-delivery"})").status,
            200);
  auto done =
      call("PUT", "/api/v1/delivery/orders/" + id + "/status", rider, R"({"status":"delivered","cashCollected":300})");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(str(done.json().at("data").at("paymentStatus")), "paid");

  EXPECT_EQ(titles(asha_), (std::vector<std::string>{"Payment received", "Delivered", "On the way", "Order confirmed",
                                                     "Order placed"}));
  const auto on_the_way = inbox(asha_, "?limit=100").at("data").as_array()[2].as_object();
  EXPECT_EQ(on_the_way.at("channels"), (bj::value{{"push", true}, {"sms", true}, {"email", false}}));
  EXPECT_EQ(str(on_the_way.at("priority")), "high");

  // An admin's assignment tells the partner; a cancellation tells the customer and the partner.
  const auto second = place(asha_);
  auto assigned = call(
      "PUT", "/api/v1/admin/orders/" + second + "/assign-delivery", admin_,
      R"({"deliveryPartnerId":")" + str(call("GET", "/api/v1/users/me", rider).json().at("data").at("_id")) + "\"}");
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  ASSERT_EQ(call("PUT", "/api/v1/orders/" + second + "/cancel", asha_, R"({"reason":"ordered twice"})").status, 200);
  EXPECT_EQ(titles(asha_).front(), "Order cancelled");
  EXPECT_EQ(str(inbox(asha_).at("data").as_array()[0].at("message")),
            "Order " + str(call("GET", "/api/v1/orders/" + second, asha_).json().at("data").at("orderNumber")) +
                " has been cancelled: ordered twice");
  EXPECT_EQ(titles(rider),
            (std::vector<std::string>{"Delivery cancelled", "New delivery assigned", "Order ready for pick-up"}));

  // Every channel row is delivered by the outbox (log providers for push and SMS here).
  drain_outbox();
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM notifications WHERE email_status = 'pending' OR push_status = 'pending' "
                  "OR sms_status = 'pending'"),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM notification_outbox WHERE state = 'sent'"),
            count("SELECT COUNT(*) AS n FROM notification_outbox"));
  std::map<std::string, int> mails;
  for (const auto& m : app_->wait_for_emails(3)) ++mails[m.to + " " + m.subject];
  EXPECT_EQ(mails, (std::map<std::string, int>{{"asha@tiptop.in Delivered", 1},
                                               {"asha@tiptop.in Order cancelled", 1},
                                               {"asha@tiptop.in Payment received", 1}}));
  const auto statuses = inbox(asha_).at("data").as_array()[0].at("deliveryStatus");
  EXPECT_EQ(statuses, (bj::value{{"push", "sent"}, {"sms", "sent"}, {"email", "sent"}}));
}

TEST_P(Notifications, OnlyMineReadUnreadAndDelete) {
  for (int i = 0; i < 3; ++i) place(asha_);
  place(ravi_);
  auto mine = inbox(asha_);
  ASSERT_EQ(mine.at("data").as_array().size(), 3u);
  EXPECT_EQ(mine.at("meta").at("unreadCount"), 3);
  EXPECT_EQ(mine.at("meta").at("pagination").at("total"), 3);
  const auto a0 = str(mine.at("data").as_array()[0].at("_id"));
  const auto a2 = str(mine.at("data").as_array()[2].at("_id"));

  // Ravi sees his own only and cannot touch Asha's: 404 as if it did not exist.
  EXPECT_EQ(inbox(ravi_).at("data").as_array().size(), 1u);
  EXPECT_EQ(call("PUT", "/api/v1/notifications/" + a0 + "/read", ravi_).status, 404);
  EXPECT_EQ(call("DELETE", "/api/v1/notifications/" + a0, ravi_).status, 404);
  EXPECT_EQ(call("PUT", "/api/v1/notifications/not-an-id/read", asha_).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/notifications", "").status, 401);
  EXPECT_EQ(inbox(asha_).at("meta").at("unreadCount"), 3);

  auto read = call("PUT", "/api/v1/notifications/" + a2 + "/read", asha_);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_TRUE(read.json().at("data").at("isRead").as_bool());
  EXPECT_FALSE(read.json().at("data").at("readAt").is_null());
  EXPECT_EQ(inbox(asha_).at("meta").at("unreadCount"), 2);
  EXPECT_EQ(inbox(asha_, "?unread=true").at("data").as_array().size(), 2u);
  // Unread first: the read one (the oldest) stays last; by date it is last anyway, so read the newest.
  ASSERT_EQ(call("PUT", "/api/v1/notifications/" + a0 + "/read", asha_).status, 200);
  const auto unread_first = inbox(asha_, "?sort=unread").at("data").as_array();
  EXPECT_FALSE(unread_first[0].at("isRead").as_bool());
  EXPECT_EQ(str(unread_first[1].at("_id")), a0);
  EXPECT_EQ(str(inbox(asha_).at("data").as_array()[0].at("_id")), a0);  // newest first by default
  EXPECT_EQ(inbox(asha_, "?limit=1&page=2").at("data").as_array().size(), 1u);

  auto all = call("PUT", "/api/v1/notifications/read-all", asha_);
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.json().at("data").at("updated"), 1);
  EXPECT_EQ(inbox(asha_).at("meta").at("unreadCount"), 0);
  EXPECT_EQ(inbox(ravi_).at("meta").at("unreadCount"), 1);  // his are untouched

  EXPECT_EQ(call("DELETE", "/api/v1/notifications/" + a0, asha_).status, 200);
  EXPECT_EQ(call("DELETE", "/api/v1/notifications/" + a0, asha_).status, 404);
  EXPECT_EQ(inbox(asha_).at("meta").at("pagination").at("total"), 2);

  EXPECT_EQ(call("GET", "/api/v1/notifications?limit=101", asha_).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/notifications?sort=oldest", asha_).status, 400);
}

TEST_P(Notifications, ExpiredOnesAreHiddenAtOnceAndSweptAway) {
  const auto soon = clock::to_iso8601(clock::now_ms() + 1500);
  auto r = call("POST", "/api/v1/admin/notifications", admin_,
                R"({"title":"Happy hour","message":"Two naans for one till 6","userIds":[")" + asha_id_ +
                    R"("],"expiresAt":")" + soon + "\"}");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().at("data").at("reached"), 1);
  EXPECT_EQ(titles(asha_), (std::vector<std::string>{"Happy hour"}));
  const auto id = str(inbox(asha_).at("data").as_array()[0].at("_id"));
  std::this_thread::sleep_for(std::chrono::milliseconds(1700));
  // Past its time it is gone from every read at once, before any sweep…
  EXPECT_TRUE(titles(asha_).empty());
  EXPECT_EQ(call("PUT", "/api/v1/notifications/" + id + "/read", asha_).status, 404);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM notifications WHERE id = ?", {id}), 1);
  // …and the sweep deletes the row.
  EXPECT_EQ(app_->app().outbox().sweep(clock::now_ms()), 1);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM notifications WHERE id = ?", {id}), 0);

  auto past = call("POST", "/api/v1/admin/notifications", admin_,
                   R"({"title":"Old news","message":"x","expiresAt":"2020-01-01T00:00:00Z"})");
  EXPECT_EQ(past.status, 400);
  EXPECT_EQ(str(past.json().at("error").at("details").at(0).at("field")), "expiresAt");
  EXPECT_EQ(call("POST", "/api/v1/admin/notifications", asha_, R"({"title":"Free food","message":"x"})").status, 403);
  EXPECT_EQ(call("POST", "/api/v1/admin/notifications", admin_, R"({"title":"","message":"x"})").status, 400);
  EXPECT_EQ(
      call("POST", "/api/v1/admin/notifications", admin_, R"({"title":"t","message":"x","userIds":["nope"]})").status,
      400);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM notifications"), 0);  // the refused ones changed nothing
}

TEST_P(Notifications, PromotionsFollowPreferencesOrderNewsAlwaysArrives) {
  auto prefs = call("GET", "/api/v1/users/me/notification-preferences", asha_);
  ASSERT_EQ(prefs.status, 200);
  EXPECT_EQ(prefs.json().at("data"),
            (bj::value{{"promotions", {{"inApp", true}, {"push", true}, {"sms", false}, {"email", true}}}}));
  auto off = call("PUT", "/api/v1/users/me/notification-preferences", asha_, R"({"promotions":{"email":false}})");
  ASSERT_EQ(off.status, 200);
  EXPECT_EQ(off.json().at("data").at("promotions").at("email"), false);
  EXPECT_EQ(off.json().at("data").at("promotions").at("inApp"), true);
  EXPECT_EQ(call("PUT", "/api/v1/users/me/notification-preferences", asha_, R"({"promotions":{"email":"no"}})").status,
            400);
  EXPECT_EQ(call("PUT", "/api/v1/users/me/notification-preferences", asha_, R"({})").status, 400);

  auto promo =
      call("POST", "/api/v1/admin/notifications", admin_,
           R"({"title":"Biryani Friday","message":"20% off dum biryani","channels":{"email":true,"sms":true}})");
  ASSERT_EQ(promo.status, 201) << promo.body;
  EXPECT_EQ(promo.json().at("data").at("reached"), 2);  // every active customer
  const auto asha_promo = inbox(asha_).at("data").as_array()[0];
  EXPECT_EQ(asha_promo.at("channels"),
            (bj::value{{"push", false}, {"sms", false}, {"email", false}}));  // e-mail off, SMS off by default
  const auto ravi_promo = inbox(ravi_).at("data").as_array()[0];
  EXPECT_EQ(ravi_promo.at("channels"), (bj::value{{"push", false}, {"sms", false}, {"email", true}}));

  // Everything off: a promotion does not reach her at all; her order news still does, by e-mail too.
  ASSERT_EQ(call("PUT", "/api/v1/users/me/notification-preferences", asha_, R"({"promotions":{"inApp":false}})").status,
            200);
  auto again = call("POST", "/api/v1/admin/notifications", admin_,
                    R"({"title":"Kebab night","message":"Seekh kebab ₹99","channels":{"email":true}})");
  EXPECT_EQ(again.json().at("data").at("reached"), 1);
  EXPECT_EQ(titles(asha_), (std::vector<std::string>{"Biryani Friday"}));
  const auto order = place(asha_);
  ASSERT_EQ(call("PUT", "/api/v1/orders/" + order + "/cancel", asha_, R"({"reason":"changed my mind"})").status, 200);
  drain_outbox();
  std::vector<std::string> to_asha;
  for (const auto& m : app_->wait_for_emails(3))
    if (m.to == "asha@tiptop.in") to_asha.push_back(m.subject);
  EXPECT_EQ(to_asha, (std::vector<std::string>{"Order cancelled"}));
}

TEST_P(Notifications, DevicesRegisterMoveBetweenUsersAndRemove) {
  const std::string token = "dQw4w9WgXcQ:APA91bH-x_y.z";
  EXPECT_EQ(
      call("POST", "/api/v1/users/me/devices", asha_, R"({"token":")" + token + R"(","platform":"android"})").status,
      201);
  EXPECT_EQ(
      call("POST", "/api/v1/users/me/devices", asha_, R"({"token":")" + token + R"(","platform":"android"})").status,
      201);
  EXPECT_EQ(call("POST", "/api/v1/users/me/devices", asha_, R"({"token":"a b","platform":"android"})").status, 400);
  EXPECT_EQ(call("POST", "/api/v1/users/me/devices", asha_, R"({"token":"abc","platform":"nokia"})").status, 400);
  EXPECT_EQ(call("POST", "/api/v1/users/me/devices", "", R"({"token":"abc","platform":"ios"})").status, 401);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM device_tokens WHERE user_id = ?", {asha_id_}), 1);
  // Ravi signs in on Asha's old phone: the token is his now.
  EXPECT_EQ(
      call("POST", "/api/v1/users/me/devices", ravi_, R"({"token":")" + token + R"(","platform":"android"})").status,
      201);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM device_tokens WHERE user_id = ?", {asha_id_}), 0);
  const auto encoded = "dQw4w9WgXcQ%3AAPA91bH-x_y.z";
  EXPECT_EQ(call("DELETE", std::string("/api/v1/users/me/devices/") + encoded, asha_).status, 404);
  EXPECT_EQ(call("DELETE", std::string("/api/v1/users/me/devices/") + encoded, ravi_).status, 200);
  EXPECT_EQ(call("DELETE", std::string("/api/v1/users/me/devices/") + encoded, ravi_).status, 404);
  // Only the ten most recently seen devices are kept.
  for (int i = 0; i < 12; ++i)
    ASSERT_EQ(call("POST", "/api/v1/users/me/devices", asha_,
                   R"({"token":"tok)" + std::to_string(i) + R"(","platform":"ios"})")
                  .status,
              201);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM device_tokens WHERE user_id = ?", {asha_id_}), 10);
}

TEST_P(Notifications, APasswordResetMailCommitsWithItsCodeAndLeavesNoCodeBehind) {
  ASSERT_EQ(HttpClient(app_->port()).post_json("/api/v1/auth/forgot-password", R"({"email":"asha@tiptop.in"})").status,
            200);
  const auto mail = app_->wait_for_emails(1).at(0);
  EXPECT_EQ(mail.subject, "Reset your TipTop password");
  EXPECT_NE(mail.message_id.find("@tiptop.local"), std::string::npos);
  const auto listed = inbox(asha_).at("data").as_array();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(str(listed[0].at("type")), "password_reset");
  const auto code = mail.body.substr(mail.body.find(": ") + 2, 43);
  EXPECT_EQ(listed[0].at("message").as_string().find(code), bj::string::npos);  // the app never shows the code
  drain_outbox();
  // Once sent, the code is wiped from the outbox row.
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM notification_outbox WHERE payload LIKE ?", {"%" + code + "%"}), 0);
  EXPECT_EQ(str(inbox(asha_).at("data").as_array()[0].at("deliveryStatus").at("email")), "sent");
}

INSTANTIATE_TEST_SUITE_P(Engines, Notifications, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });

// ---------------------------------------------------------------------------------------------
// The outbox worker alone, with providers that fail on cue and a clock the test moves.

namespace {

struct ScriptedEmail final : integrations::EmailSender {
  std::atomic<int> calls{0};
  int fail_first = 0;
  std::chrono::milliseconds delay{0};  // a slow provider
  SendFailure::Kind kind = SendFailure::Kind::retry;
  void send(const integrations::Email&) override {
    std::this_thread::sleep_for(delay);
    if (++calls <= fail_first) throw SendFailure(kind, "451 try again later");
  }
};
struct ScriptedSms final : integrations::SmsSender {
  std::atomic<int> calls{0};
  bool refuse = false;
  std::string send(const integrations::Sms&) override {
    ++calls;
    if (refuse) throw SendFailure(SendFailure::Kind::permanent, "Twilio: HTTP 400: invalid number");
    return "SM" + std::to_string(calls.load());
  }
};
struct CountingPush final : integrations::PushSender {
  std::atomic<int> calls{0};
  std::string send(const integrations::Push&) override { return "projects/p/messages/" + std::to_string(++calls); }
};

class Outbox : public ::testing::TestWithParam<EngineKind> {
 protected:
  void SetUp() override {
    TIPTOP_REQUIRE_ENGINE(GetParam());
    test_db_ = std::make_unique<TestDatabase>(GetParam());
    db_ = store::open_database(test_db_->url(), 4, "FULL");
    store::migrate(*db_);
    users::User u;
    u.id = user_id_ = ids::new_object_id();
    u.email = "asha@tiptop.in";
    u.phone = "9800000002";
    u.password_hash = "x";
    u.first_name = "Asha";
    u.created_at = u.updated_at = clock::now_ms();
    auto add = [&](store::Connection& c) { users::insert_user(c, u); };
    db_->transaction_sync(add);
  }
  notifications::OutboxWorker worker(int max_attempts = 5, std::chrono::seconds lease = std::chrono::seconds(60)) {
    notifications::OutboxSettings s;
    s.retry_base = std::chrono::milliseconds(kBase);
    s.max_attempts = max_attempts;
    s.lease = lease;
    return notifications::OutboxWorker(*db_, {email_, sms_, push_}, s);
  }
  std::string notify(notifications::Channels ch, bool secret = false) {
    notifications::Draft d;
    d.recipient_id = user_id_;
    d.type = "order_update";
    d.title = "Order placed";
    d.message = "We have it";
    d.channels = ch;
    d.email_is_secret = secret;
    d.email_body = secret ? "code 123456" : "";
    auto store = [&](store::Connection& c) { return notifications::store_draft(c, d, clock::now_ms())->id; };
    return db_->transaction_sync(store);
  }
  std::string field(const std::string& sql, const std::string& id) {
    auto q = [&](store::Connection& c) { return c.query(sql, {id}).rows.front().text("v"); };
    return db_->read_sync(q);
  }
  std::int64_t number(const std::string& sql, const std::string& id) {
    auto q = [&](store::Connection& c) { return c.query(sql, {id}).rows.front().integer("v"); };
    return db_->read_sync(q);
  }

  static constexpr clock::Millis kBase = 1000;
  std::unique_ptr<TestDatabase> test_db_;
  std::unique_ptr<store::Database> db_;
  std::string user_id_;
  ScriptedEmail email_;
  ScriptedSms sms_;
  CountingPush push_;
};

}  // namespace

TEST(OutboxBackoff, DoublesFromTheBaseWithinTwentyPercentAndStopsAtAnHour) {
  using W = notifications::OutboxWorker;
  EXPECT_EQ(W::backoff(1000, 1, 0.5), 1000);
  EXPECT_EQ(W::backoff(1000, 2, 0.5), 2000);
  EXPECT_EQ(W::backoff(1000, 4, 0.5), 8000);
  EXPECT_EQ(W::backoff(1000, 1, 0.0), 800);
  EXPECT_EQ(W::backoff(1000, 1, 0.999999), 1199);
  EXPECT_EQ(W::backoff(1000, 40, 0.5), 3'600'000 * 1.0);
  EXPECT_LE(W::backoff(1000, 40, 0.99), 3'600'000);
}

TEST_P(Outbox, RetriesWithBackoffRecordsEachChannelAndNeverResendsASentRow) {
  email_.fail_first = 2;
  sms_.refuse = true;
  auto w = worker();
  const auto id = notify({.sms = true, .email = true});
  const auto t0 = clock::now_ms();
  EXPECT_EQ(w.run_once(t0), 2);
  // The SMS was refused for good: failed at once. The e-mail waits about one base interval.
  EXPECT_EQ(field("SELECT sms_status AS v FROM notifications WHERE id = ?", id), "failed");
  EXPECT_EQ(field("SELECT email_status AS v FROM notifications WHERE id = ?", id), "pending");
  const auto next1 = number(
      "SELECT next_attempt_at AS v FROM notification_outbox WHERE notification_id = ? AND channel = 'email'", id);
  EXPECT_GE(next1 - t0, kBase * 8 / 10);
  EXPECT_LE(next1 - t0, kBase * 12 / 10 + 200);  // counted from the failure, a few ms after t0
  EXPECT_EQ(w.run_once(next1 - 1), 0);           // not due yet
  EXPECT_EQ(w.run_once(next1), 1);               // second attempt fails too; the wait doubles
  const auto next2 = number(
      "SELECT next_attempt_at AS v FROM notification_outbox WHERE notification_id = ? AND channel = 'email'", id);
  EXPECT_GE(next2 - next1, kBase * 2 * 8 / 10);
  EXPECT_EQ(w.run_once(next2), 1);  // third attempt goes through
  EXPECT_EQ(field("SELECT email_status AS v FROM notifications WHERE id = ?", id), "sent");
  EXPECT_EQ(number("SELECT attempts AS v FROM notification_outbox WHERE notification_id = ? AND channel = 'email'", id),
            3);
  EXPECT_EQ(field("SELECT last_error AS v FROM notification_outbox WHERE notification_id = ? AND channel = 'sms'", id),
            "Twilio: HTTP 400: invalid number");
  // Acknowledged rows are never claimed again, however late.
  EXPECT_EQ(w.run_once(next2 + 86'400'000), 0);
  EXPECT_EQ(email_.calls, 3);
  EXPECT_EQ(sms_.calls, 1);
}

TEST_P(Outbox, GivesUpAfterTheLastAttempt) {
  email_.fail_first = 100;
  auto w = worker(3);
  const auto id = notify({.email = true});
  clock::Millis t = clock::now_ms();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(w.run_once(t), 1);
    t += 3'600'000;
  }
  EXPECT_EQ(field("SELECT email_status AS v FROM notifications WHERE id = ?", id), "failed");
  EXPECT_EQ(field("SELECT state AS v FROM notification_outbox WHERE notification_id = ?", id), "failed");
  EXPECT_EQ(w.run_once(t), 0);
  EXPECT_EQ(email_.calls, 3);
}

TEST_P(Outbox, AClaimLostInACrashIsSentAfterItsLeaseAndOnlyOnce) {
  const auto id = notify({.email = true}, true);
  // A worker claims the row and dies before sending (kill -9 between claim and send).
  const auto t0 = clock::now_ms();
  auto crash = [&](store::Connection& c) {
    return notifications::claim_due(c, t0, t0 + 60'000, "dead-worker", 20).size();
  };
  ASSERT_EQ(db_->transaction_sync(crash), 1u);
  auto w = worker();
  EXPECT_EQ(w.run_once(t0 + 59'999), 0);  // still held by the dead worker's lease
  EXPECT_EQ(w.run_once(t0 + 60'001), 1);  // the lease ran out: taken over and sent
  EXPECT_EQ(email_.calls, 1);
  EXPECT_EQ(number("SELECT attempts AS v FROM notification_outbox WHERE notification_id = ?", id), 2);
  EXPECT_EQ(field("SELECT payload AS v FROM notification_outbox WHERE notification_id = ?", id), R"({"wiped":true})");
  // The dead worker's late result cannot overwrite the outcome.
  notifications::OutboxRow ghost;
  auto row_id = [&](store::Connection& c) {
    return c.query("SELECT id FROM notification_outbox WHERE notification_id = ?", {id}).rows.front().integer("id");
  };
  ghost.id = db_->read_sync(row_id);
  ghost.notification_id = id;
  ghost.channel = "email";
  ghost.claim_token = "dead-worker";
  auto late = [&](store::Connection& c) {
    return notifications::finish(c, ghost, false, "", "late", clock::now_ms(), false);
  };
  EXPECT_FALSE(db_->transaction_sync(late));
  EXPECT_EQ(field("SELECT email_status AS v FROM notifications WHERE id = ?", id), "sent");
  EXPECT_EQ(w.run_once(t0 + 10'000'000), 0);
  EXPECT_EQ(email_.calls, 1);
}

TEST_P(Outbox, TwoWorkersShareTheBacklogWithoutSendingAnythingTwice) {
  for (int i = 0; i < 60; ++i) notify({.email = true});
  auto a = worker();
  auto b = worker();
  std::atomic<int> handled{0};
  auto drain = [&](notifications::OutboxWorker& w) {
    while (int n = w.run_once(clock::now_ms())) handled += n;
  };
  std::thread ta([&] { drain(a); });
  std::thread tb([&] { drain(b); });
  ta.join();
  tb.join();
  EXPECT_EQ(handled, 60);
  EXPECT_EQ(email_.calls, 60);
  auto sent = [&](store::Connection& c) {
    return c.query("SELECT COUNT(*) AS n FROM notification_outbox WHERE state = 'sent' AND attempts = 1")
        .rows.front()
        .integer("n");
  };
  EXPECT_EQ(db_->read_sync(sent), 60);
}

TEST_P(Outbox, ASlowBatchKeepsEachClaimAliveSoNoRowIsTakenOverAndSentTwice) {
  // Three sends of 0.9 s under a 2 s lease: without renewing the claim per row, the third row's
  // lease would run out mid-batch and a second worker would send it again.
  email_.delay = std::chrono::milliseconds(900);
  for (int i = 0; i < 3; ++i) notify({.email = true});
  auto a = worker(5, std::chrono::seconds(2));
  auto b = worker(5, std::chrono::seconds(2));
  std::atomic<bool> a_done{false};
  int by_b = 0;
  std::thread ta([&] {
    a.run_once(clock::now_ms());
    a_done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // a holds the batch
  while (!a_done) {
    by_b += b.run_once(clock::now_ms());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ta.join();
  EXPECT_EQ(by_b, 0);
  EXPECT_EQ(email_.calls, 3);
  auto once = [&](store::Connection& c) {
    return c.query("SELECT COUNT(*) AS n FROM notification_outbox WHERE state = 'sent' AND attempts = 1")
        .rows.front()
        .integer("n");
  };
  EXPECT_EQ(db_->read_sync(once), 3);
}

TEST_P(Outbox, AStoppingWorkerGivesBackWhatItHasNotSent) {
  for (int i = 0; i < 3; ++i) notify({.email = true});
  auto w = worker();
  w.stop();  // as at shutdown: the claimed batch is returned, not sent
  EXPECT_EQ(w.run_once(clock::now_ms()), 3);
  EXPECT_EQ(email_.calls, 0);
  auto back = [&](store::Connection& c) {
    return c.query("SELECT COUNT(*) AS n FROM notification_outbox WHERE state = 'pending' AND attempts = 0")
        .rows.front()
        .integer("n");
  };
  EXPECT_EQ(db_->read_sync(back), 3);
}

TEST_P(Outbox, PushGoesToEveryDeviceAndNeedsOne) {
  const auto none = notify({.push = true});
  EXPECT_EQ(field("SELECT COALESCE(push_status, 'unused') AS v FROM notifications WHERE id = ?", none), "unused");
  auto add = [&](store::Connection& c) {
    notifications::register_device(c, user_id_, "phone", "android", clock::now_ms());
    notifications::register_device(c, user_id_, "tablet", "ios", clock::now_ms());
  };
  db_->transaction_sync(add);
  const auto id = notify({.push = true});
  auto w = worker();
  EXPECT_EQ(w.run_once(clock::now_ms()), 1);
  EXPECT_EQ(push_.calls, 2);
  EXPECT_EQ(field("SELECT push_status AS v FROM notifications WHERE id = ?", id), "sent");
}

INSTANTIATE_TEST_SUITE_P(Engines, Outbox, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
