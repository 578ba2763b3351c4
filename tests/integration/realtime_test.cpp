// Socket.IO robustness against a real server: a slow consumer is cut off with its queue bounded,
// an oversized frame or a malformed packet closes only that connection, event floods are
// throttled, and a polling body over maxPayload is refused.
#include <gtest/gtest.h>

#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "modules/auth/service.hpp"
#include "realtime/socketio/server.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"
#include "support/ws_client.hpp"

using namespace tiptop;
using namespace tiptop::testing;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bj = boost::json;

namespace {

class Realtime : public ::testing::Test {
 protected:
  void SetUp() override {
    app_ = std::make_unique<TestApp>(EngineKind::sqlite, TestApp::Options{.env = env()});
    auto& auth = app_->app().auth();
    auto user = auth.create_account_sync({.role = "customer",
                                          .email = "asha@tiptop.in",
                                          .phone = "9800000002",
                                          .password = "kitchen-boss-2024",
                                          .first_name = "Asha"});
    user_id_ = user.id;
    auto r = HttpClient(app_->port())
                 .post_json("/api/v1/auth/login", R"({"email":"asha@tiptop.in","password":"kitchen-boss-2024"})");
    token_ = std::string(r.json().at("data").at("token").as_string());
  }
  virtual Environment env() { return {}; }
  realtime::sio::Server& io() { return app_->app().realtime(); }
  void emit_to_user(int n = 1) {
    for (int i = 0; i < n; ++i)
      io().emit("user:" + user_id_, "order:status:updated", {{"orderNumber", "ORD_2026_00001"}, {"seq", i}});
  }
  bool delivered(WsClient& c) {
    emit_to_user();
    auto f = c.read();
    return f && f->find("order:status:updated") != std::string::npos;
  }

  std::unique_ptr<TestApp> app_;
  std::string user_id_, token_;
};

TEST_F(Realtime, SlowConsumerIsDisconnectedAndItsQueueStaysBounded) {
  HttpClient http(app_->port());
  auto open = http.get("/socket.io/?EIO=4&transport=polling");
  ASSERT_EQ(open.status, 200);
  const auto sid = std::string(bj::parse(open.body.substr(1)).at("sid").as_string());
  const auto url = "/socket.io/?EIO=4&transport=polling&sid=" + sid;
  ASSERT_EQ(http.request("POST", url, R"(40{"token":")" + token_ + R"("})", {{"Content-Type", "text/plain"}}).status,
            200);
  // The CONNECT answer arrives by the next poll: the namespace is joined.
  for (int i = 0; i < 50 && io().of("/").room_size("user:" + user_id_) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_EQ(io().of("/").room_size("user:" + user_id_), 1u);
  WsClient healthy(app_->port(), token_);

  // This client never polls: past the queue's bound it is disconnected, not buffered without end.
  emit_to_user(1500);
  EXPECT_EQ(io().of("/").room_size("user:" + user_id_), 1u) << "only the healthy socket is left";
  auto after = http.get(url);
  EXPECT_EQ(after.status, 400);
  EXPECT_NE(after.body.find("Session ID unknown"), std::string::npos);
  // The other connection of the same user was unaffected (its frames were read as they came).
  for (int i = 0; i < 1500; ++i) ASSERT_TRUE(healthy.read()) << i;
  EXPECT_TRUE(delivered(healthy));
}

TEST_F(Realtime, FrameOverMaxPayloadClosesOnlyThatConnection) {
  WsClient big(app_->port(), token_);
  WsClient other(app_->port(), token_);
  big.send_binary(std::string(1'100'000, 'x'));
  EXPECT_FALSE(big.read());
  EXPECT_TRUE(big.closed());
  EXPECT_TRUE(delivered(other));
}

TEST_F(Realtime, MalformedPacketsCloseOnlyTheSender) {
  for (const char* bad : {"42{}", "4abc", R"(42abc["x"])", "9", R"(451-["x",{"_placeholder":true,"num":0}])"}) {
    WsClient sender(app_->port(), token_);
    WsClient bystander(app_->port(), token_);
    sender.send(bad);
    if (std::string(bad).starts_with("451-")) sender.send("4text instead of the attachment");
    EXPECT_FALSE(sender.read(std::chrono::milliseconds(2000))) << bad;
    EXPECT_TRUE(sender.closed()) << bad;
    EXPECT_TRUE(delivered(bystander)) << bad;
  }
}

TEST_F(Realtime, EventFloodsAreThrottledThenCutOff) {
  WsClient chatty(app_->port(), token_);
  // A burst beyond the per-second budget: the surplus is dropped, the connection stays.
  for (int i = 0; i < 80; ++i) chatty.send("42" + std::to_string(i + 1) + R"(["chat:message",{}])");
  int acks = 0;
  while (auto f = chatty.read(std::chrono::milliseconds(500)))
    if (f->starts_with("43")) ++acks;
  EXPECT_GT(acks, 0);
  EXPECT_LE(acks, 50);
  EXPECT_FALSE(chatty.closed());

  WsClient flood(app_->port(), token_);
  for (int i = 0; i < 2000 && !flood.closed(); ++i) flood.send(R"(42["chat:typing",{}])");
  while (flood.read(std::chrono::milliseconds(500))) {
  }
  EXPECT_TRUE(flood.closed());
}

TEST_F(Realtime, PollingBodyOverMaxPayloadIs413) {
  HttpClient http(app_->port());
  auto open = http.get("/socket.io/?EIO=4&transport=polling");
  const auto sid = std::string(bj::parse(open.body.substr(1)).at("sid").as_string());
  auto r = http.request("POST", "/socket.io/?EIO=4&transport=polling&sid=" + sid, "4" + std::string(1'100'000, 'x'),
                        {{"Content-Type", "text/plain"}});
  EXPECT_EQ(r.status, 413);
}

// Issue 20: two CONNECT packets in one polling body used to make two sockets, one of which was
// never cleaned up. The second is a protocol error that closes the session: no socket is left.
TEST_F(Realtime, ASecondConnectToTheSameNamespaceClosesTheSession) {
  HttpClient http(app_->port());
  auto open = http.get("/socket.io/?EIO=4&transport=polling");
  const auto sid = std::string(bj::parse(open.body.substr(1)).at("sid").as_string());
  const std::string connect = "40{\"token\":\"" + token_ + "\"}";
  auto r = http.request("POST", "/socket.io/?EIO=4&transport=polling&sid=" + sid, connect + "\x1e" + connect,
                        {{"Content-Type", "text/plain"}});
  EXPECT_EQ(r.status, 200);
  // The session is gone: polling it again is "unknown sid" (or its close packet, if it was queued).
  auto next = http.get("/socket.io/?EIO=4&transport=polling&sid=" + sid);
  EXPECT_TRUE(next.status == 400 || next.body.find('1') == 0) << next.status << " " << next.body;
  for (int i = 0; i < 50 && (io().of("/").size() > 0 || io().connections() > 0); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(io().of("/").size(), 0u);
  EXPECT_EQ(io().connections(), 0u);
}

// Issue 20: with CLIENT_URL set, a browser page of another site cannot open a WebSocket.
TEST_F(Realtime, WebSocketUpgradesFromOtherSitesAreRefused) {
  auto upgrade_from = [&](const std::string& origin) {
    asio::io_context ioc;
    beast::websocket::stream<asio::ip::tcp::socket> ws(ioc);
    asio::ip::tcp::resolver resolver(ioc);
    asio::connect(ws.next_layer(), resolver.resolve("127.0.0.1", std::to_string(app_->port())));
    ws.set_option(beast::websocket::stream_base::decorator([origin](beast::websocket::request_type& req) {
      if (!origin.empty()) req.set(beast::http::field::origin, origin);
    }));
    beast::websocket::response_type res;
    boost::system::error_code ec;
    ws.handshake(res, "127.0.0.1", "/socket.io/?EIO=4&transport=websocket", ec);
    return res.result_int();
  };
  EXPECT_EQ(upgrade_from("https://evil.test"), 403);
  EXPECT_EQ(upgrade_from("http://localhost:3000"), 101);  // listed in CLIENT_URL
  EXPECT_EQ(upgrade_from(""), 101);                       // not a browser (the mobile app, a server)
  EXPECT_EQ(upgrade_from("http://127.0.0.1"), 101);       // our own pages (Host: 127.0.0.1)
}

class RealtimeCapped : public Realtime {
  Environment env() override { return {{"SOCKET_MAX_PER_USER", "2"}}; }
};

// Issue 20: one account cannot pile up sockets; a third closes the oldest.
TEST_F(RealtimeCapped, AUsersOldestSocketClosesPastTheCap) {
  WsClient first(app_->port(), token_);
  WsClient second(app_->port(), token_);
  EXPECT_EQ(io().of("/").room_size("user:" + user_id_), 2u);
  WsClient third(app_->port(), token_);
  for (int i = 0; i < 50 && io().of("/").room_size("user:" + user_id_) > 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(io().of("/").room_size("user:" + user_id_), 2u);
  EXPECT_TRUE(delivered(second));
  EXPECT_TRUE(delivered(third));
  // The first hears its namespace closed (41), then nothing more.
  auto last = first.read(std::chrono::milliseconds(1000));
  while (last && last->rfind("41", 0) != 0) last = first.read(std::chrono::milliseconds(1000));
  EXPECT_TRUE(!last || last->rfind("41", 0) == 0);
  EXPECT_FALSE(delivered(first));
}

class RealtimeHandshakes : public Realtime {
  Environment env() override { return {{"SOCKET_HANDSHAKES_PER_MINUTE", "3"}}; }
};

// Issue 20: one address cannot open Engine.IO sessions without end (polling or WebSocket).
TEST_F(RealtimeHandshakes, NewSessionsAreLimitedPerAddress) {
  HttpClient http(app_->port());
  std::string sid;
  for (int i = 0; i < 3; ++i) {
    auto open = http.get("/socket.io/?EIO=4&transport=polling");
    ASSERT_EQ(open.status, 200) << i;
    sid = std::string(bj::parse(open.body.substr(1)).at("sid").as_string());
  }
  auto fourth = http.get("/socket.io/?EIO=4&transport=polling");
  EXPECT_EQ(fourth.status, 429);
  EXPECT_GT(std::stol(fourth.header("retry-after")), 0);
  // An open session keeps working: its polls carry a sid and are not handshakes.
  EXPECT_EQ(
      http.request("POST", "/socket.io/?EIO=4&transport=polling&sid=" + sid, "40", {{"Content-Type", "text/plain"}})
          .status,
      200);
  // A WebSocket without a sid is a handshake too.
  asio::io_context ioc;
  beast::websocket::stream<asio::ip::tcp::socket> ws(ioc);
  asio::ip::tcp::resolver resolver(ioc);
  asio::connect(ws.next_layer(), resolver.resolve("127.0.0.1", std::to_string(app_->port())));
  beast::websocket::response_type res;
  boost::system::error_code ec;
  ws.handshake(res, "127.0.0.1", "/socket.io/?EIO=4&transport=websocket", ec);
  EXPECT_EQ(res.result_int(), 429);
}

class RealtimeShortSessions : public Realtime {
  Environment env() override { return {{"REFRESH_TOKEN_EXPIRE", "3s"}}; }
};

// Issue 20: a socket no longer outlives the session it was opened with (checked every 5 s).
TEST_F(RealtimeShortSessions, ASocketClosesWhenItsSessionExpires) {
  WsClient client(app_->port(), token_);
  EXPECT_EQ(io().of("/").room_size("user:" + user_id_), 1u);
  for (int i = 0; i < 60 && io().of("/").room_size("user:" + user_id_) > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  EXPECT_EQ(io().of("/").room_size("user:" + user_id_), 0u);
  EXPECT_FALSE(delivered(client));
}

TEST_F(Realtime, HandshakeErrorsUseEngineIoCodes) {
  HttpClient http(app_->port());
  auto r = http.get("/socket.io/?EIO=3&transport=polling");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(bj::parse(r.body).at("code").as_int64(), 5);
  r = http.get("/socket.io/?EIO=4&transport=carrier-pigeon");
  EXPECT_EQ(bj::parse(r.body).at("code").as_int64(), 0);
  r = http.get("/socket.io/?EIO=4&transport=polling&sid=nope");
  EXPECT_EQ(bj::parse(r.body).at("code").as_int64(), 1);
}

}  // namespace

// A client still connected when the server stops: the session and its WebSocket transport must
// not keep each other alive once the I/O contexts are gone (LeakSanitizer checks this test).
TEST(RealtimeShutdown, AClientStillConnectedAtShutdownLeavesNothingBehind) {
  auto app = std::make_unique<TestApp>(EngineKind::sqlite);
  auto user = app->app().auth().create_account_sync({.role = "customer",
                                                     .email = "asha@tiptop.in",
                                                     .phone = "9800000002",
                                                     .password = "kitchen-boss-2024",
                                                     .first_name = "Asha"});
  auto login = HttpClient(app->port())
                   .post_json("/api/v1/auth/login", R"({"email":"asha@tiptop.in","password":"kitchen-boss-2024"})");
  WsClient client(app->port(), std::string(login.json().at("data").at("token").as_string()));
  app->app().context().emitter.emit("user:" + user.id, "order:status:updated", {{"seq", 1}});
  ASSERT_TRUE(client.read());
  app.reset();  // the client has not closed its side
}
