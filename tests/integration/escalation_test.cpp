// Issue 22, orders waiting too long, on both engines: a pending order nobody accepted tells the
// admin room and texts the manager once; a ready delivery nobody took is offered to the riders
// again, then escalated; 0 minutes means never. Passes run "as at" a later time instead of waiting.
#include <gtest/gtest.h>

#include "app/application.hpp"
#include "core/clock.hpp"
#include "modules/orders/escalation.hpp"
#include "store/database.hpp"
#include "support/delivery_fixture.hpp"
#include "support/ws_client.hpp"

using namespace tiptop;
using namespace tiptop::testing;
namespace bj = boost::json;

namespace {

constexpr clock::Millis kMinute = 60'000;

class Escalations : public DeliveryFixture {
 protected:
  std::vector<std::string> pass_at(clock::Millis minutes_from_now) {
    return app_->app().escalation().run_once(clock::now_ms() + minutes_from_now * kMinute);
  }
  // The texts queued for the manager's phone.
  std::vector<std::string> texts_to(const std::string& phone) {
    auto db = store::open_database(app_->database_url(), 1, "FULL");
    auto read = [&](store::Connection& c) {
      std::vector<std::string> out;
      for (const auto& r :
           c.query("SELECT address, payload FROM notification_outbox WHERE channel = 'sms' ORDER BY id").rows)
        if (r.text("address").find(phone) != std::string::npos) out.push_back(r.text("payload"));
      return out;
    };
    return db->read_sync(read);
  }
  // The next event named `name` on the socket (others skipped), as its payload.
  std::optional<bj::object> next_event(WsClient& ws, const std::string& name) {
    while (auto frame = ws.read()) {
      if (!frame->starts_with("42")) continue;
      auto packet = bj::parse(frame->substr(2)).as_array();
      if (packet.at(0).as_string() == name) return packet.at(1).as_object();
    }
    return std::nullopt;
  }
};

}  // namespace

TEST_P(Escalations, APendingOrderNobodyAcceptedIsEscalatedOnceToTheAdminsAndTheManagersPhone) {
  ASSERT_EQ(call("PUT", "/api/v1/admin/settings", admin_,
                 R"({"managerPhone":"9811112222","escalation":{"pendingMinutes":5}})")
                .status,
            200);
  WsClient board(app_->port(), admin_);
  const auto o = order("pending");
  const auto number = str(o.at("orderNumber"));

  EXPECT_TRUE(pass_at(4).empty());  // not yet five minutes
  EXPECT_EQ(pass_at(6), std::vector<std::string>{"pending " + number});
  auto event = next_event(board, "admin:order-waiting");
  ASSERT_TRUE(event);
  EXPECT_EQ(str(event->at("orderNumber")), number);
  EXPECT_EQ(str(event->at("reason")), "not-accepted");
  EXPECT_EQ(event->at("waitingMinutes"), bj::value(6));
  const auto texts = texts_to("9811112222");
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_NE(texts[0].find("order " + number + " has waited 6 min to be accepted"), std::string::npos) << texts[0];

  // The same wait escalates once, however many passes (or nodes) look at it.
  EXPECT_TRUE(pass_at(7).empty());
  EXPECT_TRUE(pass_at(60).empty());
  EXPECT_EQ(texts_to("9811112222").size(), 1u);
  // Accepted, it waits for nothing any more.
  ASSERT_EQ(call("PUT", "/api/v1/admin/orders/" + str(o.at("_id")), admin_, R"({"status":"confirmed"})").status, 200);
  EXPECT_TRUE(pass_at(120).empty());
}

TEST_P(Escalations, AReadyDeliveryNoRiderTookIsOfferedAgainThenEscalated) {
  ASSERT_EQ(call("PUT", "/api/v1/admin/settings", admin_, R"({"escalation":{"readyMinutes":10}})").status, 200);
  const auto rider = partner("Kiran");
  WsClient riders(app_->port(), rider.token);
  WsClient board(app_->port(), admin_);
  const auto o = order("ready");
  const auto id = str(o.at("_id")), number = str(o.at("orderNumber"));
  ASSERT_TRUE(next_event(riders, "delivery:new-order"));  // the first offer, as it became ready

  EXPECT_TRUE(pass_at(9).empty());
  EXPECT_EQ(pass_at(11), std::vector<std::string>{"ready-offer " + number});
  auto offer = next_event(riders, "delivery:new-order");
  ASSERT_TRUE(offer);
  EXPECT_NE(bj::serialize(*offer).find(id), std::string::npos);
  EXPECT_TRUE(pass_at(15).empty());  // offered once
  // Twice the minutes and still nobody: the admins hear of it (no manager's phone, no text).
  EXPECT_EQ(pass_at(21), std::vector<std::string>{"ready " + number});
  auto event = next_event(board, "admin:order-waiting");
  ASSERT_TRUE(event);
  EXPECT_EQ(str(event->at("reason")), "no-rider");
  EXPECT_EQ(str(event->at("status")), "ready");
  EXPECT_TRUE(pass_at(40).empty());

  // Another ready order that a rider takes is not escalated at all.
  const auto taken = order("ready");
  ASSERT_EQ(call("PUT", "/api/v1/delivery/orders/" + str(taken.at("_id")) + "/accept", rider.token).status, 200);
  EXPECT_TRUE(pass_at(60).empty());
}

TEST_P(Escalations, ZeroMinutesMeansNeverAndTheSettingsRefuseNonsense) {
  ASSERT_EQ(
      call("PUT", "/api/v1/admin/settings", admin_, R"({"escalation":{"pendingMinutes":0,"readyMinutes":0}})").status,
      200);
  order("pending");
  order("ready");
  EXPECT_TRUE(pass_at(24 * 60).empty());

  auto negative = call("PUT", "/api/v1/admin/settings", admin_, R"({"escalation":{"pendingMinutes":-1}})");
  EXPECT_EQ(negative.status, 400);
  EXPECT_EQ(code(negative), "VALIDATION_ERROR");
  EXPECT_EQ(str(negative.json().at("error").at("details").at(0).at("field")), "escalation.pendingMinutes");
  auto phone = call("PUT", "/api/v1/admin/settings", admin_, R"({"managerPhone":"call me"})");
  EXPECT_EQ(phone.status, 400);
  // Only one field of the group given: the other keeps its value.
  ASSERT_EQ(call("PUT", "/api/v1/admin/settings", admin_, R"({"escalation":{"readyMinutes":3}})").status, 200);
  auto s = call("GET", "/api/v1/admin/settings", admin_).json().at("data");
  EXPECT_EQ(s.at("escalation").at("pendingMinutes"), bj::value(0));
  EXPECT_EQ(s.at("escalation").at("readyMinutes"), bj::value(3));
  // The manager's phone and the escalation rules are not for the public.
  auto pub = HttpClient(app_->port()).get("/api/v1/settings").json().at("data").as_object();
  EXPECT_FALSE(pub.contains("managerPhone"));
  EXPECT_FALSE(pub.contains("escalation"));
}

INSTANTIATE_TEST_SUITE_P(Engines, Escalations, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
