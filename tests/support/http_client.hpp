#pragma once
// A blocking HTTP/1.1 client for tests, on Beast, plus raw-socket helpers for malformed input.
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tiptop::testing {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  boost::json::value json() const;
  std::string header(const std::string& lower) const;
};

class HttpClient {
 public:
  // source_ip: another loopback address (127.0.0.2…) to appear as a different client IP.
  explicit HttpClient(std::uint16_t port, const std::string& source_ip = {});
  ~HttpClient();
  HttpResult request(const std::string& method, const std::string& target, const std::string& body = {},
                     std::vector<std::pair<std::string, std::string>> headers = {});
  HttpResult get(const std::string& target) { return request("GET", target); }
  HttpResult post_json(const std::string& target, const std::string& body) {
    return request("POST", target, body, {{"Content-Type", "application/json"}});
  }
  // JSON request with "Authorization: Bearer <token>" when token is not empty, and an
  // Idempotency-Key header when idempotency_key is not empty.
  HttpResult call(const std::string& method, const std::string& target, const std::string& token,
                  const std::string& body = {}, const std::string& idempotency_key = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;  // owned even when the constructor's connect throws
};

// Sends raw bytes on a fresh connection and returns everything received until the server closes
// or `wait` passes.
std::string raw_exchange(std::uint16_t port, const std::string& bytes,
                         std::chrono::milliseconds wait = std::chrono::milliseconds(2000));
// Status code of the first response in raw text, or 0.
int first_status(const std::string& raw);

}  // namespace tiptop::testing
