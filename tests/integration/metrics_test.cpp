// GET /metrics: Prometheus text with request counts and latency histograms by route pattern, the
// menu cache's hit ratio, pool use, sockets and the outbox backlog — and only for allowed networks
// or the token.
#include <gtest/gtest.h>

#include <regex>

#include "modules/menu/seed.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

using namespace tiptop;
using namespace tiptop::testing;

namespace {

class MetricsEndpoint : public ::testing::TestWithParam<EngineKind> {
 protected:
  void SetUp() override {
    TIPTOP_REQUIRE_ENGINE(GetParam());
    TestApp::Options options{.prepare = [](store::Database& db) { menu::seed_demo_menu(db); }};
    options.env = {{"METRICS_ALLOW", "127.0.0.1/32"}, {"METRICS_TOKEN", "scrape-me-0123456789"}};
    app_ = std::make_unique<TestApp>(GetParam(), std::move(options));
  }
  // The value of the one sample line that starts with `prefix`, or -1.
  static double sample(const std::string& text, const std::string& prefix) {
    const auto at = text.find("\n" + prefix);
    if (at == std::string::npos) return -1;
    const auto line_end = text.find('\n', at + 1);
    const auto line = text.substr(at + 1, line_end - at - 1);
    return std::stod(line.substr(line.rfind(' ') + 1));
  }
  std::unique_ptr<TestApp> app_;
};

}  // namespace

TEST_P(MetricsEndpoint, CountsByRoutePatternTimesAndReportsTheServersState) {
  HttpClient client(app_->port());
  for (int i = 0; i < 3; ++i) ASSERT_EQ(client.get("/api/v1/menu/items/butter-naan").status, 200);
  EXPECT_EQ(client.get("/api/v1/no/such/thing-1").status, 404);
  EXPECT_EQ(client.get("/api/v1/no/such/thing-2").status, 404);
  auto r = client.get("/metrics");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const auto& m = r.body;
  const std::string item = R"(method="GET",route="/api/v1/menu/items/:id",status="200")";
  EXPECT_EQ(sample(m, "tiptop_http_requests_total{" + item + "}"), 3);
  // Histogram: cumulative buckets, +Inf equal to the count.
  EXPECT_EQ(sample(m, "tiptop_http_request_duration_seconds_bucket{" + item + R"(,le="+Inf"})"), 3);
  EXPECT_EQ(sample(m, "tiptop_http_request_duration_seconds_count{" + item + "}"), 3);
  EXPECT_LE(sample(m, "tiptop_http_request_duration_seconds_bucket{" + item + R"(,le="0.005"})"),
            sample(m, "tiptop_http_request_duration_seconds_bucket{" + item + R"(,le="10"})"));
  EXPECT_GT(sample(m, "tiptop_http_request_duration_seconds_sum{" + item + "}"), 0);
  // Unknown paths share one label: a scanner cannot blow up the series.
  EXPECT_EQ(sample(m, R"(tiptop_http_requests_total{method="GET",route="unmatched",status="404"})"), 2);
  EXPECT_EQ(m.find("thing-1"), std::string::npos);
  // The first read rendered the item, the next two came from the snapshot's cache.
  EXPECT_EQ(sample(m, R"(tiptop_cache_lookups_total{cache="menu",result="miss"})"), 1);
  EXPECT_EQ(sample(m, R"(tiptop_cache_lookups_total{cache="menu",result="hit"})"), 2);
  EXPECT_NEAR(sample(m, R"(tiptop_cache_hit_ratio{cache="menu"})"), 2.0 / 3, 1e-9);
  EXPECT_EQ(sample(m, "tiptop_notification_outbox_backlog "), 0);
  EXPECT_GE(sample(m, "tiptop_db_pool_size "), 2);
  EXPECT_GE(sample(m, "tiptop_db_pool_in_use "), 0);
  EXPECT_EQ(sample(m, "tiptop_socketio_connections "), 0);
  EXPECT_GE(sample(m, "tiptop_http_connections "), 1);
  // Every family is announced once, before its samples.
  EXPECT_EQ(std::count(m.begin(), m.end(), '\n') > 20, true);
  const std::regex type(R"(# TYPE (\S+) (counter|gauge|histogram)\n)");
  std::set<std::string> families;
  for (auto it = std::sregex_iterator(m.begin(), m.end(), type); it != std::sregex_iterator(); ++it)
    EXPECT_TRUE(families.insert((*it)[1]).second) << (*it)[1];
}

TEST_P(MetricsEndpoint, NotPublicOutsideTheAllowedNetworksWithoutTheToken) {
  HttpClient outsider(app_->port(), "127.0.0.2");
  auto refused = outsider.get("/metrics");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.json().at("error").at("code"), "AUTHORIZATION_ERROR");
  EXPECT_EQ(outsider.request("GET", "/metrics", "", {{"Authorization", "Bearer wrong-token-0123456789"}}).status, 403);
  auto with_token = outsider.request("GET", "/metrics", "", {{"Authorization", "Bearer scrape-me-0123456789"}});
  EXPECT_EQ(with_token.status, 200);
  EXPECT_NE(with_token.body.find("tiptop_http_requests_total"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Engines, MetricsEndpoint, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
