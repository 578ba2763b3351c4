#include "core/metrics.hpp"

#include <cstdio>

namespace tiptop {
namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

std::string prometheus_escape(std::string_view value) {
  std::string out;
  for (char ch : value) {
    if (ch == '\\')
      out += "\\\\";
    else if (ch == '"')
      out += "\\\"";
    else if (ch == '\n')
      out += "\\n";
    else
      out += ch;
  }
  return out;
}

void Metrics::observe_request(std::string_view method, std::string_view route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  auto it = requests_.find(std::tuple<std::string_view, std::string_view, int>(method, route, status));
  if (it == requests_.end())
    it = requests_.emplace(std::tuple(std::string(method), std::string(route), status), Series{}).first;
  auto& s = it->second;
  ++s.count;
  s.sum += seconds;
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) {
      ++s.buckets[i];
      break;
    }
}

void Metrics::cache_lookup(std::string_view cache, bool hit) {
  std::lock_guard lock(mutex_);
  auto it = caches_.find(cache);
  if (it == caches_.end()) it = caches_.emplace(std::string(cache), std::pair<std::uint64_t, std::uint64_t>{}).first;
  ++(hit ? it->second.first : it->second.second);
}

std::string Metrics::render(const std::vector<Gauge>& gauges) const {
  std::string out;
  out += "# HELP tiptop_http_requests_total HTTP requests answered, by method, route pattern and status.\n";
  out += "# TYPE tiptop_http_requests_total counter\n";
  std::lock_guard lock(mutex_);
  for (const auto& [key, s] : requests_) {
    const auto& [method, route, status] = key;
    out += "tiptop_http_requests_total{method=\"" + prometheus_escape(method) + "\",route=\"" +
           prometheus_escape(route) + "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(s.count) + "\n";
  }
  out +=
      "# HELP tiptop_http_request_duration_seconds Time from request to response, by method, route pattern and "
      "status.\n";
  out += "# TYPE tiptop_http_request_duration_seconds histogram\n";
  for (const auto& [key, s] : requests_) {
    const auto& [method, route, status] = key;
    const auto labels = "method=\"" + prometheus_escape(method) + "\",route=\"" + prometheus_escape(route) +
                        "\",status=\"" + std::to_string(status) + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += s.buckets[i];
      out += "tiptop_http_request_duration_seconds_bucket{" + labels + ",le=\"" + number(kBuckets[i]) + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += "tiptop_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " + std::to_string(s.count) + "\n";
    out += "tiptop_http_request_duration_seconds_sum{" + labels + "} " + number(s.sum) + "\n";
    out += "tiptop_http_request_duration_seconds_count{" + labels + "} " + std::to_string(s.count) + "\n";
  }
  out += "# HELP tiptop_cache_lookups_total Cache lookups by cache and result.\n";
  out += "# TYPE tiptop_cache_lookups_total counter\n";
  for (const auto& [name, hm] : caches_) {
    const auto cache = prometheus_escape(name);
    out += "tiptop_cache_lookups_total{cache=\"" + cache + "\",result=\"hit\"} " + std::to_string(hm.first) + "\n";
    out += "tiptop_cache_lookups_total{cache=\"" + cache + "\",result=\"miss\"} " + std::to_string(hm.second) + "\n";
  }
  out += "# HELP tiptop_cache_hit_ratio Hits over lookups since start, by cache.\n";
  out += "# TYPE tiptop_cache_hit_ratio gauge\n";
  for (const auto& [name, hm] : caches_) {
    const double total = static_cast<double>(hm.first + hm.second);
    out += "tiptop_cache_hit_ratio{cache=\"" + prometheus_escape(name) + "\"} " +
           number(total > 0 ? static_cast<double>(hm.first) / total : 0) + "\n";
  }
  for (const auto& g : gauges) {
    out += "# HELP " + g.name + " " + g.help + "\n";
    out += "# TYPE " + g.name + " " + std::string(g.type) + "\n";
    out += g.name + " " + number(g.value) + "\n";
  }
  return out;
}

}  // namespace tiptop
