#pragma once
// What a handler returns. Helpers build the success envelope of spec §3.2.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tiptop::http {

// A body produced piece by piece (exports far larger than memory should hold): each next() yields
// the following piece, nullopt at the end. It runs on the connection's thread and may co_await
// database work between pieces. Sent chunked (HTTP/1.1) or until close (HTTP/1.0).
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  virtual boost::asio::awaitable<std::optional<std::string>> next() = 0;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  // Bytes many responses share (a cached rendering's envelope, a static file), sent before `body`
  // and never copied per response (issue 24).
  std::shared_ptr<const std::string> shared_body;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  bool close = false;                  // close the connection after this response
  std::shared_ptr<BodyStream> stream;  // set: the body comes from here instead of `body`

  void set_header(std::string name, std::string value);
};

struct Pagination {
  std::int64_t page;
  std::int64_t limit;
  std::int64_t total;
};

// {success:true, data, meta:{timestamp, cached, …extra}}
Response ok(boost::json::value data, int status = 200, bool cached = false, boost::json::object extra_meta = {});
Response ok_page(boost::json::value data, const Pagination& page, bool cached = false,
                 boost::json::object extra_meta = {});
// A JSON body outside the envelope (health checks, the OpenAPI document).
Response raw_json(const boost::json::value& body, int status = 200);
Response no_content();
// The success envelope around already-serialised data (cached renderings): data_json is a JSON
// value, meta_members zero or more "key":value members for meta.
Response ok_serialized(const std::string& data_json, const std::string& meta_members, bool cached);
// The same envelope in two parts: everything up to the timestamp, built once per rendering and
// shared by every response made from it, then the response's own timestamp.
std::shared_ptr<const std::string> envelope_head(const std::string& data_json, const std::string& meta_members,
                                                 bool cached);
Response ok_shared(std::shared_ptr<const std::string> head);
Response not_modified(const std::string& etag);

}  // namespace tiptop::http
