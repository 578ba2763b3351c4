#include "core/config.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <boost/url/parse.hpp>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <random>

extern char** environ;

namespace tiptop {
namespace {

// Every variable the server reads, grouped as in deploy/.env.example. The meanings and defaults
// are the README's; a default is what the reader uses when the variable is unset or empty.
constexpr ConfigVar kConfigVars[] = {
    // Server
    {"NODE_ENV", "development", "development, test, staging or production; all but development require JWT_SECRET"},
    {"PORT", "5000", "listen port"},
    {"IO_THREADS", "0", "threads serving requests; 0 = one per core"},
    {"SHUTDOWN_GRACE_SECONDS", "10", "how long SIGTERM waits for in-flight requests"},
    {"LOG_LEVEL", "info", "trace, debug, info, warn, error, critical or off; one JSON object per line on stdout"},
    {"RESTAURANT_TIMEZONE", "Asia/Kolkata", "the restaurant's time zone: report days, opening hours"},
    {"CLIENT_URL", "", "comma-separated CORS allow-list of exact origins (https://tiptop.example)"},
    {"TRUST_PROXY", "", "comma-separated IP addresses of proxies (nginx) whose X-Forwarded-For is believed"},
    // Database
    {"DATABASE_URL", "sqlite://./data/tiptop.db", "or postgres://user:pass@host:5432/db"},
    {"DATABASE_REPLICA_URL", "", "a PostgreSQL hot standby for reports, exports and statistics"},
    {"DB_POOL_SIZE", "0", "database connections; 0 = 4 (SQLite) / 8 (PostgreSQL)"},
    {"SQLITE_SYNCHRONOUS", "FULL",
     "FULL, NORMAL or EXTRA; NORMAL trades the last transactions on power loss for speed"},
    {"DB_STATEMENT_TIMEOUT_MS", "30000",
     "PostgreSQL: a statement running longer is cancelled and the request answered 503 DATABASE_ERROR (0 = never)"},
    {"REDIS_URL", "",
     "redis://[:password@]host[:port][/db]: several nodes share rate limits, caches, sessions and Socket.IO events"},
    // Auth
    {"JWT_SECRET", "",
     "signs tokens; required outside development (at least 32 characters); unset in development: random per process"},
    {"JWT_EXPIRE", "15m", "access-token lifetime: 45s, 15m, 24h, 30d or plain seconds"},
    {"REFRESH_TOKEN_EXPIRE", "30d", "refresh-token lifetime"},
    {"RATE_LIMIT_WINDOW_MS", "900000", "the rate-limit window (spec 8.2)"},
    {"RATE_LIMIT_MAX", "100", "requests per IP per window on /api/"},
    {"AUTH_RATE_LIMIT_MAX", "5", "login attempts per IP and account per window"},
    // Real time (Socket.IO)
    {"SOCKET_PING_INTERVAL_MS", "25000",
     "Engine.IO heartbeat: a client that stops answering is dropped within interval + timeout"},
    {"SOCKET_PING_TIMEOUT_MS", "20000", "Engine.IO heartbeat: how long a ping waits for its answer"},
    {"SOCKET_MAX_PAYLOAD", "1000000", "largest Socket.IO message or polling body, in bytes"},
    {"SOCKET_CONNECT_TIMEOUT_MS", "45000", "time a client has to join a namespace"},
    {"SOCKET_HANDSHAKES_PER_MINUTE", "60",
     "new Socket.IO connections one client address may open a minute (0 = no limit); more: 429"},
    {"MAX_CONNECTIONS_PER_ADDRESS", "256",
     "open connections (HTTP and sockets) one client address may hold (0 = no limit); more: 503 and closed. "
     "Peers in TRUST_PROXY are exempt: the proxy limits its clients"},
    {"SOCKET_MAX_PER_USER", "10", "Socket.IO connections one user may hold; a newer one closes the oldest"},
    {"SOCKET_CONFORMANCE", "0", "1 serves the official protocol suites' echo handlers instead of the app's"},
    {"LOCATION_MIN_INTERVAL_MS", "900",
     "shortest gap between two location reports of one partner (socket or HTTP); more are refused, RATE_LIMITED"},
    {"ESCALATION_INTERVAL_MS", "15000",
     "how often orders waiting too long are looked for (the minutes are settings: escalation)"},
    {"PRINT_LEASE_MS", "30000",
     "how long a print agent holds a claimed job; unacknowledged after that, the next agent's claim prints it"},
    {"ORDER_PLACEMENTS_PER_MINUTE", "10",
     "orders one customer may place a minute (0 = no limit); more: 429 TOO_MANY_ORDERS"},
    {"MAX_OPEN_ORDERS_PER_CUSTOMER", "5",
     "orders one customer may have under way at once (0 = no limit); more: 429 TOO_MANY_OPEN_ORDERS"},
    // Uploads
    {"UPLOAD_DIR", "./data/uploads", "menu photos, served at /uploads/<name>"},
    {"WEB_DIR", "web/dist",
     "the web apps (scripts/run.sh builds them): the shop at /, /console/, /rider/; none: the API only"},
    {"AWS_S3_BUCKET", "", "store photos in S3 or any S3-compatible store instead (SigV4); needs the two keys"},
    {"AWS_REGION", "us-east-1", "the bucket's region"},
    {"AWS_ACCESS_KEY_ID", "", "S3 access key id"},
    {"AWS_SECRET_ACCESS_KEY", "", "S3 secret access key"},
    {"AWS_S3_ENDPOINT", "", "an S3-compatible endpoint (MinIO...); unset: AWS"},
    {"AWS_S3_PUBLIC_URL", "", "base URL of returned photo links; unset: the object's URL"},
    // Analytics
    {"ANALYTICS_ROLLUP_INTERVAL_SECONDS", "300",
     "how often finished days are rolled up (and days whose orders changed rolled again)"},
    // Notifications
    {"SMTP_URL", "",
     "e-mail over SMTP: smtp://host:587 (STARTTLS when offered, required with credentials off loopback), smtps:// "
     "for implicit TLS, user:pass@ in the URL; unset: mail goes to the log"},
    {"SMTP_FROM", "TipTop <no-reply@tiptop.local>", "the sender of e-mails"},
    {"TWILIO_ACCOUNT_SID", "",
     "SMS through Twilio's Messages API (with the token and number); unset: SMS go to the log"},
    {"TWILIO_AUTH_TOKEN", "", "Twilio's auth token"},
    {"TWILIO_PHONE_NUMBER", "", "the sending number, or a Messaging Service SID (MG...)"},
    {"TWILIO_BASE_URL", "https://api.twilio.com", "where Twilio's API is"},
    {"SMS_DEFAULT_COUNTRY_CODE", "+91", "prefixed to stored ten-digit phone numbers for SMS"},
    {"FCM_CREDENTIALS_FILE", "",
     "a Google service-account JSON file: push through FCM HTTP v1; unset: pushes go to the log"},
    {"FCM_BASE_URL", "https://fcm.googleapis.com", "where FCM's API is"},
    {"OUTBOX_POLL_INTERVAL_MS", "1000", "how often the notification outbox looks for due rows (commits also wake it)"},
    {"OUTBOX_RETRY_BASE_MS", "5000", "first retry delay (doubling, 20 % jitter, capped at an hour)"},
    {"OUTBOX_MAX_ATTEMPTS", "8", "attempts before a channel is marked failed"},
    {"OUTBOX_LEASE_SECONDS", "60", "how long a claimed row is held before another worker may take it over"},
    {"NOTIFICATION_SWEEP_INTERVAL_SECONDS", "60", "how often expired notifications are deleted"},
    // Online payments (Razorpay)
    {"RAZORPAY_KEY_ID", "", "online payments through Razorpay; unset: only cash on delivery is offered"},
    {"RAZORPAY_KEY_SECRET", "", "required with RAZORPAY_KEY_ID"},
    {"RAZORPAY_WEBHOOK_SECRET", "", "signs Razorpay's webhooks; required with RAZORPAY_KEY_ID"},
    {"RAZORPAY_WEBHOOK_SECRET_PREVIOUS", "", "the old webhook secret, still accepted while it is rotated"},
    {"RAZORPAY_BASE_URL", "https://api.razorpay.com", "where Razorpay's API is"},
    {"RAZORPAY_TIMEOUT_MS", "10000", "how long one Razorpay call may take"},
    {"PAYMENT_EXPIRY_SECONDS", "900", "an online order unpaid this long is cancelled"},
    {"PAYMENT_SWEEP_INTERVAL_MS", "30000",
     "how often the payments job looks for expired orders and refunds to send or confirm"},
    // Operations
    {"METRICS_ALLOW", "127.0.0.1/32,::1/128", "networks (CIDR, after TRUST_PROXY) that may read GET /metrics"},
    {"METRICS_TOKEN", "", "or a request with Authorization: Bearer <token> (at least 16 characters)"},
};

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// The reader takes a variable only through its entry, so it cannot read one the help does not list.
const ConfigVar& declared(std::string_view name) {
  for (const auto& v : kConfigVars)
    if (v.name == name) return v;
  throw std::logic_error("config.cpp reads " + std::string(name) + ", which kConfigVars lacks");
}

// The value, or the table's default when the variable is unset or empty.
std::string get(const Environment& env, std::string_view name) {
  const auto& var = declared(name);
  auto it = env.find(std::string(name));
  return it == env.end() || it->second.empty() ? std::string(var.default_value) : it->second;
}

long parse_long(const Environment& env, std::string_view name, long min, long max) {
  const auto s = get(env, name);
  long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v < min || v > max)
    throw ConfigError(std::string(name) + " must be an integer between " + std::to_string(min) + " and " +
                      std::to_string(max) + " (got '" + s + "')");
  return v;
}

std::string one_of(const Environment& env, std::string_view name, std::initializer_list<const char*> allowed) {
  auto v = get(env, name);
  for (auto* a : allowed)
    if (v == a) return v;
  std::string list;
  for (auto* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  throw ConfigError(std::string(name) + " must be one of " + list + " (got '" + v + "')");
}

std::string random_secret() {
  std::random_device rd;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 64; ++i) s += kHex[rd() & 0xF];
  return s;
}

void load_notification_config(const Environment& env, Config& c) {
  c.smtp_url = get(env, "SMTP_URL");
  if (!c.smtp_url.empty() && c.smtp_url.rfind("smtp://", 0) != 0 && c.smtp_url.rfind("smtps://", 0) != 0)
    throw ConfigError("SMTP_URL must be an smtp:// or smtps:// URL");  // the value may hold a password: not echoed
  c.smtp_from = get(env, "SMTP_FROM");
  if (c.smtp_from.find_first_of("\r\n") != std::string::npos || c.smtp_from.find('@') == std::string::npos)
    throw ConfigError("SMTP_FROM must be an address such as TipTop <no-reply@example.com>");
  c.twilio_account_sid = get(env, "TWILIO_ACCOUNT_SID");
  c.twilio_auth_token = get(env, "TWILIO_AUTH_TOKEN");
  c.twilio_phone_number = get(env, "TWILIO_PHONE_NUMBER");
  c.twilio_base_url = get(env, "TWILIO_BASE_URL");
  if (!c.twilio_account_sid.empty() && (c.twilio_auth_token.empty() || c.twilio_phone_number.empty()))
    throw ConfigError("TWILIO_AUTH_TOKEN and TWILIO_PHONE_NUMBER must be set when TWILIO_ACCOUNT_SID is");
  c.fcm_credentials_file = get(env, "FCM_CREDENTIALS_FILE");
  c.fcm_base_url = get(env, "FCM_BASE_URL");
  for (const auto* name : {"TWILIO_BASE_URL", "FCM_BASE_URL"}) {
    const auto v = get(env, name);
    if (!v.empty() && v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0)
      throw ConfigError(std::string(name) + " must be an http(s) URL (got '" + v + "')");
  }
  c.sms_default_country_code = get(env, "SMS_DEFAULT_COUNTRY_CODE");
  if (c.sms_default_country_code.size() < 2 || c.sms_default_country_code.size() > 4 ||
      c.sms_default_country_code[0] != '+' ||
      c.sms_default_country_code.find_first_not_of("0123456789", 1) != std::string::npos)
    throw ConfigError("SMS_DEFAULT_COUNTRY_CODE must look like +91");
  c.outbox_poll_interval = std::chrono::milliseconds{parse_long(env, "OUTBOX_POLL_INTERVAL_MS", 50, 600'000)};
  c.outbox_retry_base = std::chrono::milliseconds{parse_long(env, "OUTBOX_RETRY_BASE_MS", 10, 3'600'000)};
  c.outbox_max_attempts = static_cast<int>(parse_long(env, "OUTBOX_MAX_ATTEMPTS", 1, 50));
  c.outbox_lease = std::chrono::seconds{parse_long(env, "OUTBOX_LEASE_SECONDS", 2, 3600)};
  c.notification_sweep_interval =
      std::chrono::seconds{parse_long(env, "NOTIFICATION_SWEEP_INTERVAL_SECONDS", 1, 86'400)};
}

void load_payment_config(const Environment& env, Config& c) {
  c.razorpay_key_id = get(env, "RAZORPAY_KEY_ID");
  c.razorpay_key_secret = get(env, "RAZORPAY_KEY_SECRET");
  c.razorpay_webhook_secret = get(env, "RAZORPAY_WEBHOOK_SECRET");
  c.razorpay_webhook_secret_previous = get(env, "RAZORPAY_WEBHOOK_SECRET_PREVIOUS");
  if (!c.razorpay_key_id.empty() && (c.razorpay_key_secret.empty() || c.razorpay_webhook_secret.empty()))
    throw ConfigError("RAZORPAY_KEY_SECRET and RAZORPAY_WEBHOOK_SECRET must be set when RAZORPAY_KEY_ID is");
  c.razorpay_base_url = get(env, "RAZORPAY_BASE_URL");
  if (c.razorpay_base_url.rfind("http://", 0) != 0 && c.razorpay_base_url.rfind("https://", 0) != 0)
    throw ConfigError("RAZORPAY_BASE_URL must be an http(s) URL (got '" + c.razorpay_base_url + "')");
  c.razorpay_timeout = std::chrono::milliseconds{parse_long(env, "RAZORPAY_TIMEOUT_MS", 100, 60'000)};
  c.payment_expiry = std::chrono::seconds{parse_long(env, "PAYMENT_EXPIRY_SECONDS", 1, 7 * 86'400)};
  c.payment_sweep_interval = std::chrono::milliseconds{parse_long(env, "PAYMENT_SWEEP_INTERVAL_MS", 50, 3'600'000)};
}

}  // namespace

std::span<const ConfigVar> config_variables() { return kConfigVars; }

std::optional<std::chrono::seconds> parse_duration(const std::string& text) {
  if (text.empty()) return std::nullopt;
  long n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || n <= 0) return std::nullopt;
  const std::string unit(p, text.data() + text.size());
  long mult = 0;
  if (unit.empty() || unit == "s")
    mult = 1;
  else if (unit == "m")
    mult = 60;
  else if (unit == "h")
    mult = 3600;
  else if (unit == "d")
    mult = 86400;
  else
    return std::nullopt;
  return std::chrono::seconds{n * mult};
}

Environment read_dotenv(const std::string& path) {
  Environment env;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("export ", 0) == 0) line = trim(line.substr(7));
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    auto key = trim(line.substr(0, eq));
    auto value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    else if (auto hash = value.find(" #"); hash != std::string::npos)
      value = trim(value.substr(0, hash));
    env[key] = value;
  }
  return env;
}

Environment process_environment(const std::string& dotenv_path) {
  Environment env = read_dotenv(dotenv_path);
  for (char** e = environ; e && *e; ++e) {
    std::string kv(*e);
    const auto eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

Config load_config(const Environment& env) {
  Config c;
  c.node_env = one_of(env, "NODE_ENV", {"development", "production", "test", "staging"});
  c.port = static_cast<int>(parse_long(env, "PORT", 0, 65535));
  c.log_level = one_of(env, "LOG_LEVEL", {"trace", "debug", "info", "warn", "error", "critical", "off"});

  c.database_url = get(env, "DATABASE_URL");
  if (c.database_url.rfind("sqlite://", 0) != 0 && c.database_url.rfind("postgres://", 0) != 0 &&
      c.database_url.rfind("postgresql://", 0) != 0)
    throw ConfigError("DATABASE_URL must start with sqlite:// or postgres:// (got '" + c.database_url + "')");
  if (c.database_url.rfind("sqlite://", 0) == 0 && c.database_url.size() == 9)
    throw ConfigError("DATABASE_URL sqlite:// needs a file path, e.g. sqlite://./data/tiptop.db");
  c.database_replica_url = get(env, "DATABASE_REPLICA_URL");
  if (!c.database_replica_url.empty() &&
      (c.database_url.rfind("postgres", 0) != 0 || c.database_replica_url.rfind("postgres", 0) != 0))
    throw ConfigError("DATABASE_REPLICA_URL must be a postgres:// URL, beside a postgres:// DATABASE_URL");
  c.redis_url = get(env, "REDIS_URL");
  if (!c.redis_url.empty() && c.redis_url.rfind("redis://", 0) != 0)
    throw ConfigError(
        "REDIS_URL must look like redis://[:password@]host[:port][/db]");  // not echoed: it may hold a password

  c.jwt_secret = get(env, "JWT_SECRET");
  if (c.jwt_secret.empty()) {
    if (!c.is_development()) throw ConfigError("JWT_SECRET must be set when NODE_ENV is not development");
    c.jwt_secret = random_secret();  // tokens die with the process: fine for a laptop, never for production
    c.jwt_secret_generated = true;
  } else if (c.jwt_secret.size() < 32 && !c.is_development()) {
    throw ConfigError("JWT_SECRET must be at least 32 characters outside development");
  }
  auto duration = [&](const char* name) {
    auto text = get(env, name);
    auto d = parse_duration(text);
    if (!d) throw ConfigError(std::string(name) + " must be a duration like 15m, 24h or 30d (got '" + text + "')");
    return *d;
  };
  c.jwt_expire = duration("JWT_EXPIRE");
  c.refresh_token_expire = duration("REFRESH_TOKEN_EXPIRE");

  const std::string client_urls = get(env, "CLIENT_URL");
  for (std::string_view rest = client_urls; !rest.empty();) {
    const auto comma = rest.find(',');
    auto origin = trim(std::string(rest.substr(0, comma)));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (origin.empty()) continue;
    while (!origin.empty() && origin.back() == '/') origin.pop_back();
    auto u = boost::urls::parse_absolute_uri(origin);
    if (!u || (u->scheme() != "http" && u->scheme() != "https") || u->host().empty() || !u->encoded_path().empty())
      throw ConfigError("CLIENT_URL must be a comma-separated list of origins like https://tiptop.in (got '" + origin +
                        "')");
    c.client_urls.push_back(origin);
  }

  const std::string proxies = get(env, "TRUST_PROXY");
  for (std::string_view rest = proxies; !rest.empty();) {
    const auto comma = rest.find(',');
    auto ip = trim(std::string(rest.substr(0, comma)));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (ip.empty()) continue;
    boost::system::error_code ec;
    boost::asio::ip::make_address(ip, ec);
    if (ec) throw ConfigError("TRUST_PROXY must be a comma-separated list of IP addresses (got '" + ip + "')");
    c.trust_proxy.push_back(ip);
  }

  c.rate_limit_window_ms = parse_long(env, "RATE_LIMIT_WINDOW_MS", 1000, 86'400'000);
  c.rate_limit_max = static_cast<int>(parse_long(env, "RATE_LIMIT_MAX", 1, 1'000'000));
  c.auth_rate_limit_max = static_cast<int>(parse_long(env, "AUTH_RATE_LIMIT_MAX", 1, 10'000));
  c.upload_dir = get(env, "UPLOAD_DIR");
  c.web_dir = get(env, "WEB_DIR");
  c.aws_s3_bucket = get(env, "AWS_S3_BUCKET");
  c.aws_region = get(env, "AWS_REGION");
  c.aws_s3_endpoint = get(env, "AWS_S3_ENDPOINT");
  c.aws_s3_public_url = get(env, "AWS_S3_PUBLIC_URL");
  c.aws_access_key_id = get(env, "AWS_ACCESS_KEY_ID");
  c.aws_secret_access_key = get(env, "AWS_SECRET_ACCESS_KEY");
  if (!c.aws_s3_bucket.empty() && (c.aws_access_key_id.empty() || c.aws_secret_access_key.empty()))
    throw ConfigError("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set when AWS_S3_BUCKET is");
  for (const auto* name : {"AWS_S3_ENDPOINT", "AWS_S3_PUBLIC_URL"}) {
    const auto v = get(env, name);
    if (!v.empty() && v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0)
      throw ConfigError(std::string(name) + " must be an http(s) URL (got '" + v + "')");
  }
  c.restaurant_timezone = get(env, "RESTAURANT_TIMEZONE");
  if (c.restaurant_timezone.find("..") != std::string::npos ||
      !std::filesystem::exists("/usr/share/zoneinfo/" + c.restaurant_timezone))
    throw ConfigError("RESTAURANT_TIMEZONE must be a time zone such as Asia/Kolkata (got '" + c.restaurant_timezone +
                      "')");
  c.sqlite_synchronous = one_of(env, "SQLITE_SYNCHRONOUS", {"FULL", "NORMAL", "EXTRA"});
  c.io_threads = static_cast<int>(parse_long(env, "IO_THREADS", 0, 256));
  c.db_pool_size = static_cast<int>(parse_long(env, "DB_POOL_SIZE", 0, 256));
  c.db_statement_timeout_ms = static_cast<int>(parse_long(env, "DB_STATEMENT_TIMEOUT_MS", 0, 3'600'000));
  c.shutdown_grace = std::chrono::seconds{parse_long(env, "SHUTDOWN_GRACE_SECONDS", 0, 300)};
  c.socket_ping_interval = std::chrono::milliseconds{parse_long(env, "SOCKET_PING_INTERVAL_MS", 100, 600'000)};
  c.socket_ping_timeout = std::chrono::milliseconds{parse_long(env, "SOCKET_PING_TIMEOUT_MS", 100, 600'000)};
  c.socket_max_payload = static_cast<std::size_t>(parse_long(env, "SOCKET_MAX_PAYLOAD", 1024, 100'000'000));
  c.socket_connect_timeout = std::chrono::milliseconds{parse_long(env, "SOCKET_CONNECT_TIMEOUT_MS", 100, 600'000)};
  c.socket_conformance = one_of(env, "SOCKET_CONFORMANCE", {"0", "1"}) == "1";
  c.analytics_rollup_interval = std::chrono::seconds{parse_long(env, "ANALYTICS_ROLLUP_INTERVAL_SECONDS", 1, 86'400)};
  c.location_min_interval = std::chrono::milliseconds{parse_long(env, "LOCATION_MIN_INTERVAL_MS", 0, 600'000)};
  c.print_lease = std::chrono::milliseconds{parse_long(env, "PRINT_LEASE_MS", 500, 600'000)};
  c.escalation_interval = std::chrono::milliseconds{parse_long(env, "ESCALATION_INTERVAL_MS", 100, 3'600'000)};
  c.socket_max_per_user = parse_long(env, "SOCKET_MAX_PER_USER", 1, 1000);
  c.max_connections_per_address = parse_long(env, "MAX_CONNECTIONS_PER_ADDRESS", 0, 1'000'000);
  c.socket_handshakes_per_minute = parse_long(env, "SOCKET_HANDSHAKES_PER_MINUTE", 0, 1'000'000);
  c.order_placements_per_minute = parse_long(env, "ORDER_PLACEMENTS_PER_MINUTE", 0, 1'000'000);
  c.max_open_orders_per_customer = parse_long(env, "MAX_OPEN_ORDERS_PER_CUSTOMER", 0, 10'000);
  load_notification_config(env, c);
  load_payment_config(env, c);
  if (const auto allow = get(env, "METRICS_ALLOW"); !allow.empty()) {
    c.metrics_allow.clear();
    std::size_t start = 0;
    while (start <= allow.size()) {
      const auto comma = allow.find(',', start);
      auto net = trim(allow.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      boost::system::error_code ec;
      if (net.find(':') != std::string::npos)
        boost::asio::ip::make_network_v6(net, ec);
      else
        boost::asio::ip::make_network_v4(net, ec);
      if (ec)
        throw ConfigError("METRICS_ALLOW must be a comma-separated list of networks such as 10.0.0.0/8 (got '" + net +
                          "')");
      c.metrics_allow.push_back(net);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  c.metrics_token = get(env, "METRICS_TOKEN");
  if (!c.metrics_token.empty() && c.metrics_token.size() < 16)
    throw ConfigError("METRICS_TOKEN must be at least 16 characters");
  return c;
}

}  // namespace tiptop
