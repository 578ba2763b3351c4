#include "http/request.hpp"

#include <boost/url/parse.hpp>

#include "core/errors.hpp"

namespace tiptop::http {

std::string_view Request::header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers)
    if (k == lower_name) return v;
  return {};
}

std::optional<std::string_view> Request::query_param(std::string_view name) const {
  for (const auto& [k, v] : query)
    if (k == name) return v;
  return std::nullopt;
}

const std::string& Request::param(std::string_view name) const {
  auto it = params.find(name);
  if (it == params.end()) throw std::logic_error("route has no parameter " + std::string(name));
  return it->second;
}

bool parse_target(std::string_view target, std::string& path, std::vector<std::pair<std::string, std::string>>& query) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return false;
  path = url->path();
  query.clear();
  for (auto p : url->params()) query.emplace_back(p.key, p.value);
  return true;
}

}  // namespace tiptop::http
