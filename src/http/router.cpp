#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace tiptop::http {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    if (i >= path.size()) break;
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

void Router::add(Route route) {
  if (!route.handler) throw std::logic_error("route " + route.path + " has no handler");
  Compiled c;
  for (auto s : split_path(route.path)) c.segments.emplace_back(s);
  // Same method and same shape (parameters named differently still collide) would make one unreachable.
  auto same_shape = [](const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k)
      if (a[k] != b[k] && !(a[k][0] == ':' && b[k][0] == ':')) return false;
    return true;
  };
  for (std::size_t i = 0; i < routes_.size(); ++i)
    if (routes_[i].method == route.method && same_shape(compiled_[i].segments, c.segments))
      throw std::logic_error("route declared twice: " + route.method + " " + route.path);
  routes_.push_back(std::move(route));
  compiled_.push_back(std::move(c));
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  const std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
  const auto parts = split_path(path);
  Match best;
  int best_score = -1;
  std::vector<std::string> allowed;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const auto& segs = compiled_[i].segments;
    if (segs.size() != parts.size()) continue;
    int score = 0;
    bool ok = true;
    for (std::size_t k = 0; k < segs.size() && ok; ++k) {
      if (!segs[k].empty() && segs[k][0] == ':')
        ok = !parts[k].empty();
      else if (segs[k] == parts[k])
        score += 1 << (segs.size() - k);  // earlier literals weigh more
      else
        ok = false;
    }
    if (!ok) continue;
    if (routes_[i].method != wanted) {
      if (std::find(allowed.begin(), allowed.end(), routes_[i].method) == allowed.end())
        allowed.push_back(routes_[i].method);
      continue;
    }
    if (score > best_score) {
      best_score = score;
      best.route = &routes_[i];
      best.params.clear();
      for (std::size_t k = 0; k < segs.size(); ++k)
        if (segs[k][0] == ':') best.params.emplace(segs[k].substr(1), std::string(parts[k]));
    }
  }
  if (!best.route && !allowed.empty()) {
    if (std::find(allowed.begin(), allowed.end(), "GET") != allowed.end()) allowed.push_back("HEAD");
    allowed.push_back("OPTIONS");
    for (const auto& m : allowed) best.allow += (best.allow.empty() ? "" : ", ") + m;
  }
  return best;
}

}  // namespace tiptop::http
