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
    std::string_view type = "gauge";  // or "counter", for a total kept elsewhere (the server's refusals)
  };
  std::string render(const std::vector<Gauge>& gauges) const;

 private:
  struct Series {
    std::uint64_t count = 0;
    double sum = 0;
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // non-cumulative; summed when rendered
  };
  mutable std::mutex mutex_;
  // Looked up by views of the request's method and route, without building strings (std::less<>
  // on mixed tuples compiles with GCC's library only under GCC; this compares the same way anywhere).
  struct KeyLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return std::tuple<std::string_view, std::string_view, int>(std::get<0>(a), std::get<1>(a), std::get<2>(a)) <
             std::tuple<std::string_view, std::string_view, int>(std::get<0>(b), std::get<1>(b), std::get<2>(b));
    }
  };
  std::map<std::tuple<std::string, std::string, int>, Series, KeyLess> requests_;       // method, route, status
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>, std::less<>> caches_;  // hits, misses
};

// Text of a label value as the format wants it: backslash, quote and newline escaped.
std::string prometheus_escape(std::string_view value);

}  // namespace tiptop
