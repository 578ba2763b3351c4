#pragma once
// One outbound HTTP client (libcurl) for every provider: Twilio, FCM, S3, payment gateways. It
// blocks, so it runs on a worker thread, never an I/O thread. It never follows a redirect, speaks
// only http and https, bounds the time taken and the size of the answer.
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace tiptop::integrations {

struct HttpCall {
  std::string method = "POST";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  std::string userpwd;    // HTTP Basic credentials ("user:password"), if any
  std::string aws_sigv4;  // CURLOPT_AWS_SIGV4 provider string (S3), if any
  std::chrono::milliseconds timeout{10'000};
};

struct HttpReply {
  long status = 0;
  std::string body;
};

// The request did not complete (no connection, timeout, TLS, reset). Whether the server acted on
// it is unknown: only an idempotent call may be retried blindly.
struct TransportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

HttpReply http_send(const HttpCall& call);

// application/x-www-form-urlencoded from name/value pairs.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

// Makes sure libcurl's global state is set up (idempotent, thread-safe).
void ensure_curl();

}  // namespace tiptop::integrations
