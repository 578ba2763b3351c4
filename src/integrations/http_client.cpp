#include "integrations/http_client.hpp"

#include <curl/curl.h>

#include <memory>

namespace tiptop::integrations {
namespace {

constexpr std::size_t kMaxReply = 1 << 20;  // providers answer in a few KB; more is not theirs to send

struct Sink {
  std::string* out;
  bool overflow = false;
};

std::size_t collect(char* p, std::size_t size, std::size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  if (sink->out->size() + size * n > kMaxReply) {
    sink->overflow = true;
    return 0;  // aborts the transfer
  }
  sink->out->append(p, size * n);
  return size * n;
}

}  // namespace

void ensure_curl() {
  static const bool ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!ok) throw std::runtime_error("libcurl failed to initialise");
}

HttpReply http_send(const HttpCall& call) {
  ensure_curl();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) throw TransportError("could not create an HTTP client");
  curl_slist* list = nullptr;
  for (const auto& h : call.headers) list = curl_slist_append(list, h.c_str());
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(list, &curl_slist_free_all);
  HttpReply reply;
  Sink sink{&reply.body};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, call.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, call.method.c_str());
  if (call.method != "GET" || !call.body.empty()) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, call.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call.body.size()));
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  if (!call.userpwd.empty()) curl_easy_setopt(h, CURLOPT_USERPWD, call.userpwd.c_str());
  if (!call.aws_sigv4.empty()) curl_easy_setopt(h, CURLOPT_AWS_SIGV4, call.aws_sigv4.c_str());
  const long total = static_cast<long>(call.timeout.count());
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, total);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, std::min(total, 5'000L));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  const CURLcode rc = curl_easy_perform(h);
  if (sink.overflow) throw TransportError("the answer was larger than " + std::to_string(kMaxReply) + " bytes");
  if (rc != CURLE_OK) throw TransportError(curl_easy_strerror(rc));
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  ensure_curl();
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    for (const auto* part : {&name, &value}) {
      char* escaped = curl_easy_escape(nullptr, part->data(), static_cast<int>(part->size()));
      if (!escaped) throw std::bad_alloc();
      out += escaped;
      curl_free(escaped);
      if (part == &name) out += '=';
    }
  }
  return out;
}

}  // namespace tiptop::integrations
