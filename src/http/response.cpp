#include "http/response.hpp"

#include "core/clock.hpp"
#include "core/json.hpp"

namespace tiptop::http {

void Response::set_header(std::string name, std::string value) {
  for (auto& [k, v] : headers)
    if (k == name) {
      v = std::move(value);
      return;
    }
  headers.emplace_back(std::move(name), std::move(value));
}

Response ok(boost::json::value data, int status, bool cached, boost::json::object extra_meta) {
  boost::json::object meta = std::move(extra_meta);
  meta["cached"] = cached;
  meta["timestamp"] = clock::to_iso8601(clock::now_ms());
  Response r;
  r.status = status;
  r.body = json::serialize(boost::json::object{{"success", true}, {"data", std::move(data)}, {"meta", meta}});
  return r;
}

Response ok_page(boost::json::value data, const Pagination& p, bool cached, boost::json::object extra_meta) {
  const std::int64_t pages = p.limit > 0 ? (p.total + p.limit - 1) / p.limit : 0;
  extra_meta["pagination"] = {{"page", p.page}, {"limit", p.limit}, {"total", p.total}, {"pages", pages}};
  return ok(std::move(data), 200, cached, std::move(extra_meta));
}

Response raw_json(const boost::json::value& body, int status) {
  Response r;
  r.status = status;
  r.body = json::serialize(body);
  return r;
}

std::shared_ptr<const std::string> envelope_head(const std::string& data_json, const std::string& meta_members,
                                                 bool cached) {
  std::string head;
  head.reserve(data_json.size() + meta_members.size() + 64);
  head += "{\"success\":true,\"data\":";
  head += data_json;
  head += ",\"meta\":{";
  if (!meta_members.empty()) {
    head += meta_members;
    head += ',';
  }
  head += cached ? "\"cached\":true" : "\"cached\":false";
  head += ",\"timestamp\":\"";
  return std::make_shared<const std::string>(std::move(head));
}

Response ok_shared(std::shared_ptr<const std::string> head) {
  Response r;
  r.shared_body = std::move(head);
  r.body = clock::to_iso8601(clock::now_ms());
  r.body += "\"}}";
  return r;
}

Response ok_serialized(const std::string& data_json, const std::string& meta_members, bool cached) {
  Response r;  // one string: an answer made once (an order) gains nothing from a shared head
  const auto ts = clock::to_iso8601(clock::now_ms());
  r.body.reserve(data_json.size() + meta_members.size() + 96);
  r.body += "{\"success\":true,\"data\":";
  r.body += data_json;
  r.body += ",\"meta\":{";
  if (!meta_members.empty()) {
    r.body += meta_members;
    r.body += ',';
  }
  r.body += cached ? "\"cached\":true" : "\"cached\":false";
  r.body += ",\"timestamp\":\"";
  r.body += ts;
  r.body += "\"}}";
  return r;
}

Response not_modified(const std::string& etag) {
  Response r;
  r.status = 304;
  r.content_type.clear();
  r.set_header("ETag", etag);
  return r;
}

Response no_content() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

}  // namespace tiptop::http
