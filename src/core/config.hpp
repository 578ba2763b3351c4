#pragma once
// Configuration from the environment (and ./.env when present), parsed once into a typed struct.
// Names follow spec §10.1 where it has them. An invalid value stops start-up naming the variable.
#include <chrono>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tiptop {

struct Config {
  int port = 5000;
  std::string node_env = "development";
  std::string log_level = "info";
  std::string database_url = "sqlite://./data/tiptop.db";
  std::string database_replica_url;
  std::string redis_url;
  std::string jwt_secret;
  bool jwt_secret_generated = false;  // development only: a random per-process secret
  std::chrono::seconds jwt_expire{15 * 60};
  std::chrono::seconds refresh_token_expire{30 * 24 * 3600};
  std::vector<std::string> client_urls;  // CORS allow-list, exact origins
  std::vector<std::string> trust_proxy;  // peers (e.g. nginx) whose X-Forwarded-For is believed
  long rate_limit_window_ms = 900000;
  int rate_limit_max = 100;
  int auth_rate_limit_max = 5;
  std::string upload_dir = "./data/uploads";
  std::string web_dir = "web/dist";  // the web apps esbuild built (served at /, /console/, /rider/)
  // S3-compatible storage for uploads, used when AWS_S3_BUCKET is set.
  std::string aws_access_key_id, aws_secret_access_key, aws_region = "us-east-1", aws_s3_bucket, aws_s3_endpoint,
                                                        aws_s3_public_url;
  std::string restaurant_timezone = "Asia/Kolkata";
  std::string sqlite_synchronous = "FULL";  // FULL: an acknowledged order survives power loss
  int io_threads = 0;                       // 0 = one per core
  int db_pool_size = 0;                     // 0 = engine default
  int db_statement_timeout_ms = 30000;      // PostgreSQL: longer statements are cancelled (0 = never)
  std::chrono::seconds shutdown_grace{10};
  // Socket.IO (spec §7): Engine.IO heartbeat, largest packet, time to join a namespace.
  std::chrono::milliseconds socket_ping_interval{25000}, socket_ping_timeout{20000}, socket_connect_timeout{45000};
  std::size_t socket_max_payload = 1'000'000;
  // Serve the echo handlers of the official Engine.IO/Socket.IO protocol test suites
  // (/engine.io/ and /socket.io/ with the /custom namespace) instead of the application's.
  bool socket_conformance = false;
  // Shortest gap between two accepted location reports of one partner (socket or HTTP).
  std::chrono::milliseconds location_min_interval{900};
  // How long a print agent holds a claimed print job before another agent may claim it.
  std::chrono::milliseconds print_lease{30'000};
  // How often the escalation job looks for orders waiting too long.
  std::chrono::milliseconds escalation_interval{15'000};
  // Flood control on placements, per customer (0 = none): a minute's count and orders under way.
  long socket_max_per_user = 10;
  // Open connections one client address may hold (0 = none); TRUST_PROXY peers are exempt.
  long max_connections_per_address = 256;
  long socket_handshakes_per_minute = 60;
  long order_placements_per_minute = 10;
  long max_open_orders_per_customer = 5;
  // How often the analytics job rolls finished days up (and re-rolls days whose orders changed).
  std::chrono::seconds analytics_rollup_interval{300};
  // Notification channels (unset: the log provider). SMTP_URL smtp://host:port or smtps://…;
  // Twilio's REST API; FCM HTTP v1 with a service-account JSON file. Base URLs are settable so
  // tests reach local fake servers.
  std::string smtp_url, smtp_from = "TipTop <no-reply@tiptop.local>";
  std::string twilio_account_sid, twilio_auth_token, twilio_phone_number, twilio_base_url = "https://api.twilio.com";
  std::string fcm_credentials_file, fcm_base_url = "https://fcm.googleapis.com";
  std::string sms_default_country_code = "+91";  // for stored ten-digit phones
  // The outbox worker: how often it looks for due rows (it is also woken by every commit that adds
  // one), the first retry delay (doubling per attempt, capped at an hour), attempts before a
  // channel is marked failed, and how long a claimed row is held before another worker may take it.
  std::chrono::milliseconds outbox_poll_interval{1000}, outbox_retry_base{5000};
  int outbox_max_attempts = 8;
  std::chrono::seconds outbox_lease{60};
  // GET /metrics answers only these networks (CIDR), or a request bearing METRICS_TOKEN.
  std::vector<std::string> metrics_allow{"127.0.0.1/32", "::1/128"};
  std::string metrics_token;
  // Online payments through Razorpay (unset key id: only cash on delivery is offered). The webhook
  // secret signs Razorpay's webhooks; the previous one is still accepted while it is rotated. An
  // online order nobody pays within payment_expiry is cancelled; the payments job runs every
  // payment_sweep_interval (expiry, refunds to send or to confirm).
  std::string razorpay_key_id, razorpay_key_secret, razorpay_webhook_secret, razorpay_webhook_secret_previous;
  std::string razorpay_base_url = "https://api.razorpay.com";
  std::chrono::milliseconds razorpay_timeout{10'000};
  std::chrono::seconds payment_expiry{900};
  std::chrono::milliseconds payment_sweep_interval{30'000};
  // How often expired notifications are deleted (spec's TTL index on expiresAt).
  std::chrono::seconds notification_sweep_interval{60};

  bool is_development() const { return node_env == "development"; }
  // Lets a test prove that load_config({}) gives the defaults above: the table's and these agree.
  bool operator==(const Config&) const = default;
};

// One environment variable the server reads: its default as it would be written in .env ("" =
// unset) and what it does. config_variables() is the only list of them: load_config takes every
// default from it and reads no variable it lacks (std::logic_error), `tiptop --help` prints it and
// scripts/check-deploy.sh checks deploy/.env.example against it, so none of them can fall behind.
struct ConfigVar {
  std::string_view name, default_value, meaning;
};
std::span<const ConfigVar> config_variables();

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using Environment = std::map<std::string, std::string>;

// Reads KEY=VALUE lines (comments, blank lines, optional quotes). Missing file -> empty.
Environment read_dotenv(const std::string& path);
// The process environment, with .env values filling only what the environment leaves unset.
Environment process_environment(const std::string& dotenv_path = ".env");
// Throws ConfigError naming the variable on the first invalid value.
Config load_config(const Environment& env);
// "15m", "24h", "30d", "45s" or plain seconds.
std::optional<std::chrono::seconds> parse_duration(const std::string& text);

}  // namespace tiptop
