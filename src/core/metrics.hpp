#pragma once
// Counters and histograms for GET /metrics, rendered in the Prometheus text format (0.0.4).
// Labels are bounded: routes are their patterns (/api/v1/orders/:id), never raw paths.
#include <array>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace tiptop {

class Metrics {
 public:
  // Upper bounds (seconds) of the request latency histogram's buckets; +Inf is implied.
  static constexpr std::array<double, 11> kBuckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  void observe_request(std::string_view method, std::string_view route, int status, double seconds);
  // A lookup in a named cache (menu renderings: this node's snapshot, then the shared cache).
  void cache_lookup(std::string_view cache, bool hit);

  // A value read at scrape time (open sockets, pool use, outbox backlog).
  struct Gauge {
    std::string name, help;
    double value = 0;
  };
  std::string render(const std::vector<Gauge>& gauges) const;

 private:
  struct Series {
    std::uint64_t count = 0;
    double sum = 0;
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // non-cumulative; summed when rendered
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, Series, std::less<>> requests_;   // method, route, status
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>, std::less<>> caches_;  // hits, misses
};

// Text of a label value as the format wants it: backslash, quote and newline escaped.
std::string prometheus_escape(std::string_view value);

}  // namespace tiptop
