#include "agent/print_agent.hpp"

#include <atomic>
#include <boost/json/parse.hpp>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>

#include "agent/device.hpp"
#include "agent/job_listener.hpp"
#include "core/log.hpp"
#include "integrations/http_client.hpp"
#include "modules/printing/ticket.hpp"

namespace tiptop::agent {
namespace bj = boost::json;
namespace {

std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) { g_stop = true; }

struct ServerUrl {
  std::string base, host, port;
  bool plain = true;  // http: the socket listener works; https: polling only
};

std::optional<ServerUrl> parse_server(std::string url) {
  while (url.ends_with('/')) url.pop_back();
  ServerUrl s;
  s.base = url;
  std::string rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7), s.port = "80";
  } else if (url.starts_with("https://")) {
    rest = url.substr(8), s.port = "443", s.plain = false;
  } else {
    return std::nullopt;
  }
  if (rest.empty() || rest.find('/') != std::string::npos) return std::nullopt;
  const auto colon = rest.rfind(':');
  s.host = rest.substr(0, colon);
  if (colon != std::string::npos) s.port = rest.substr(colon + 1);
  return s;
}

class Agent {
 public:
  Agent(const AgentOptions& o, ServerUrl url) : o_(o), url_(std::move(url)) {}

  int run() {
    std::unique_ptr<JobListener> listener;
    if (url_.plain) {
      listener = std::make_unique<JobListener>(url_.host, url_.port, o_.token, [this] { wake(); });
      listener->start();
    } else {
      log::info("print agent: an https server is polled (the socket listener speaks plain http)");
    }
    log::info("print agent started", {{"server", url_.base}, {"device", o_.device}});
    while (!g_stop) {
      bool more = false;
      try {
        more = print_next();
      } catch (const std::exception& e) {
        log::warn("print agent: will try again", {{"error", e.what()}});
        pause(std::chrono::seconds(2));
        continue;
      }
      if (more) continue;  // a queue is drained without waiting
      // Told over the socket, the agent still asks now and then: a lost event costs at most that.
      const bool listening = listener && listener->connected();
      wait(listening ? std::chrono::milliseconds(15'000) : o_.poll);
    }
    log::info("print agent stopped");
    return 0;
  }

 private:
  // One job claimed, printed and acknowledged; false when there was none.
  bool print_next() {
    auto claimed = call("/api/v1/print-agent/claim");
    if (claimed.status == 401 || claimed.status == 403) {
      log::error("print agent: the server refused this printer's token", {{"status", claimed.status}});
      pause(std::chrono::seconds(10));
      return false;
    }
    if (claimed.status != 200) throw std::runtime_error("claim answered " + std::to_string(claimed.status));
    const auto data = bj::parse(claimed.body).at("data");
    if (data.is_null()) return false;
    const auto& job = data.as_object();
    const std::string id(job.at("jobId").as_string());
    const auto* path = job.if_contains("trackingPath");
    const std::string tracking = path && path->is_string() ? url_.base + std::string(path->as_string()) : "";
    const auto bytes = printing::render_ticket(job, tracking);

    // Just before the paper: from here on, another copy of this job says REPRINT.
    auto start = call("/api/v1/print-agent/jobs/" + id + "/printing");
    if (start.status == 409) return true;  // the lease ran out meanwhile: someone else has it
    if (start.status != 200) throw std::runtime_error("printing answered " + std::to_string(start.status));
    write_to_device(o_.device, bytes);
    acknowledge(id);
    const auto& order = job.at("order").as_object();
    log::info(
        "printed",
        {{"job", id}, {"kind", job.at("kind")}, {"order", order.at("orderNumber")}, {"reprint", job.at("reprint")}});
    return true;
  }

  // On paper: said until the server hears it (a lost answer is asked again; the call is idempotent).
  void acknowledge(const std::string& id) {
    for (int attempt = 0; !g_stop; ++attempt) {
      try {
        auto done = call("/api/v1/print-agent/jobs/" + id + "/printed");
        if (done.status == 409) log::warn("print agent: another printer took this job over", {{"job", id}});
        if (done.status < 500) return;
      } catch (const integrations::TransportError&) {
      }
      pause(std::chrono::milliseconds(std::min(5000, 250 << std::min(attempt, 5))));
    }
  }

  integrations::HttpReply call(const std::string& path) {
    integrations::HttpCall c;
    c.url = url_.base + path;
    c.headers = {"X-Printer-Token: " + o_.token, "Content-Type: application/json"};
    c.body = "{}";
    c.timeout = std::chrono::seconds(10);
    return integrations::http_send(c);
  }

  void wake() {
    std::lock_guard lock(mutex_);
    woken_ = true;
    cv_.notify_one();
  }
  void wait(std::chrono::milliseconds most) {
    std::unique_lock lock(mutex_);
    const auto until = std::chrono::steady_clock::now() + most;
    while (!woken_ && !g_stop && std::chrono::steady_clock::now() < until)
      cv_.wait_for(lock, std::chrono::milliseconds(200));
    woken_ = false;
  }
  void pause(std::chrono::milliseconds d) {
    const auto until = std::chrono::steady_clock::now() + d;
    while (!g_stop && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  const AgentOptions& o_;
  ServerUrl url_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool woken_ = false;
};

}  // namespace

int run_print_agent(const AgentOptions& options) {
  auto url = parse_server(options.server);
  if (!url) {
    log::error("print agent: --server must be http(s)://host[:port]", {{"server", options.server}});
    return 2;
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  integrations::ensure_curl();
  return Agent(options, *url).run();
}

}  // namespace tiptop::agent
