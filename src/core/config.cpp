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

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

long parse_long(const Environment& env, const std::string& name, long fallback, long min, long max) {
  auto it = env.find(name);
  if (it == env.end() || it->second.empty()) return fallback;
  long v = 0;
  const auto& s = it->second;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v < min || v > max)
    throw ConfigError(name + " must be an integer between " + std::to_string(min) + " and " + std::to_string(max) +
                      " (got '" + s + "')");
  return v;
}

std::string get(const Environment& env, const std::string& name, std::string fallback = {}) {
  auto it = env.find(name);
  return it == env.end() || it->second.empty() ? fallback : it->second;
}

std::string one_of(const Environment& env, const std::string& name, std::string fallback,
                   std::initializer_list<const char*> allowed) {
  auto v = get(env, name, fallback);
  for (auto* a : allowed)
    if (v == a) return v;
  std::string list;
  for (auto* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  throw ConfigError(name + " must be one of " + list + " (got '" + v + "')");
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
  c.smtp_from = get(env, "SMTP_FROM", c.smtp_from);
  if (c.smtp_from.find_first_of("\r\n") != std::string::npos || c.smtp_from.find('@') == std::string::npos)
    throw ConfigError("SMTP_FROM must be an address such as TipTop <no-reply@example.com>");
  c.twilio_account_sid = get(env, "TWILIO_ACCOUNT_SID");
  c.twilio_auth_token = get(env, "TWILIO_AUTH_TOKEN");
  c.twilio_phone_number = get(env, "TWILIO_PHONE_NUMBER");
  c.twilio_base_url = get(env, "TWILIO_BASE_URL", c.twilio_base_url);
  if (!c.twilio_account_sid.empty() && (c.twilio_auth_token.empty() || c.twilio_phone_number.empty()))
    throw ConfigError("TWILIO_AUTH_TOKEN and TWILIO_PHONE_NUMBER must be set when TWILIO_ACCOUNT_SID is");
  c.fcm_credentials_file = get(env, "FCM_CREDENTIALS_FILE");
  c.fcm_base_url = get(env, "FCM_BASE_URL", c.fcm_base_url);
  for (const auto* name : {"TWILIO_BASE_URL", "FCM_BASE_URL"}) {
    const auto v = get(env, name);
    if (!v.empty() && v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0)
      throw ConfigError(std::string(name) + " must be an http(s) URL (got '" + v + "')");
  }
  c.sms_default_country_code = get(env, "SMS_DEFAULT_COUNTRY_CODE", c.sms_default_country_code);
  if (c.sms_default_country_code.size() < 2 || c.sms_default_country_code.size() > 4 || c.sms_default_country_code[0] != '+' ||
      c.sms_default_country_code.find_first_not_of("0123456789", 1) != std::string::npos)
    throw ConfigError("SMS_DEFAULT_COUNTRY_CODE must look like +91");
  c.outbox_poll_interval = std::chrono::milliseconds{parse_long(env, "OUTBOX_POLL_INTERVAL_MS", 1000, 50, 600'000)};
  c.outbox_retry_base = std::chrono::milliseconds{parse_long(env, "OUTBOX_RETRY_BASE_MS", 5000, 10, 3'600'000)};
  c.outbox_max_attempts = static_cast<int>(parse_long(env, "OUTBOX_MAX_ATTEMPTS", 8, 1, 50));
  c.outbox_lease = std::chrono::seconds{parse_long(env, "OUTBOX_LEASE_SECONDS", 60, 2, 3600)};
  c.notification_sweep_interval = std::chrono::seconds{parse_long(env, "NOTIFICATION_SWEEP_INTERVAL_SECONDS", 60, 1, 86'400)};
}

void load_payment_config(const Environment& env, Config& c) {
  c.razorpay_key_id = get(env, "RAZORPAY_KEY_ID");
  c.razorpay_key_secret = get(env, "RAZORPAY_KEY_SECRET");
  c.razorpay_webhook_secret = get(env, "RAZORPAY_WEBHOOK_SECRET");
  c.razorpay_webhook_secret_previous = get(env, "RAZORPAY_WEBHOOK_SECRET_PREVIOUS");
  if (!c.razorpay_key_id.empty() && (c.razorpay_key_secret.empty() || c.razorpay_webhook_secret.empty()))
    throw ConfigError("RAZORPAY_KEY_SECRET and RAZORPAY_WEBHOOK_SECRET must be set when RAZORPAY_KEY_ID is");
  c.razorpay_base_url = get(env, "RAZORPAY_BASE_URL", c.razorpay_base_url);
  if (c.razorpay_base_url.rfind("http://", 0) != 0 && c.razorpay_base_url.rfind("https://", 0) != 0)
    throw ConfigError("RAZORPAY_BASE_URL must be an http(s) URL (got '" + c.razorpay_base_url + "')");
  c.razorpay_timeout = std::chrono::milliseconds{parse_long(env, "RAZORPAY_TIMEOUT_MS", 10'000, 100, 60'000)};
  c.payment_expiry = std::chrono::seconds{parse_long(env, "PAYMENT_EXPIRY_SECONDS", 900, 1, 7 * 86'400)};
  c.payment_sweep_interval = std::chrono::milliseconds{parse_long(env, "PAYMENT_SWEEP_INTERVAL_MS", 30'000, 50, 3'600'000)};
}

}  // namespace

std::optional<std::chrono::seconds> parse_duration(const std::string& text) {
  if (text.empty()) return std::nullopt;
  long n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || n <= 0) return std::nullopt;
  const std::string unit(p, text.data() + text.size());
  long mult = 0;
  if (unit.empty() || unit == "s") mult = 1;
  else if (unit == "m") mult = 60;
  else if (unit == "h") mult = 3600;
  else if (unit == "d") mult = 86400;
  else return std::nullopt;
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
  c.node_env = one_of(env, "NODE_ENV", "development", {"development", "production", "test", "staging"});
  c.port = static_cast<int>(parse_long(env, "PORT", 5000, 0, 65535));
  c.log_level = one_of(env, "LOG_LEVEL", "info", {"trace", "debug", "info", "warn", "error", "critical", "off"});

  c.database_url = get(env, "DATABASE_URL", c.database_url);
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
    throw ConfigError("REDIS_URL must look like redis://[:password@]host[:port][/db]");  // not echoed: it may hold a password

  c.jwt_secret = get(env, "JWT_SECRET");
  if (c.jwt_secret.empty()) {
    if (!c.is_development()) throw ConfigError("JWT_SECRET must be set when NODE_ENV is not development");
    c.jwt_secret = random_secret();  // tokens die with the process: fine for a laptop, never for production
    c.jwt_secret_generated = true;
  } else if (c.jwt_secret.size() < 32 && !c.is_development()) {
    throw ConfigError("JWT_SECRET must be at least 32 characters outside development");
  }
  auto duration = [&](const char* name, std::chrono::seconds fallback) {
    auto text = get(env, name);
    if (text.empty()) return fallback;
    auto d = parse_duration(text);
    if (!d) throw ConfigError(std::string(name) + " must be a duration like 15m, 24h or 30d (got '" + text + "')");
    return *d;
  };
  c.jwt_expire = duration("JWT_EXPIRE", c.jwt_expire);
  c.refresh_token_expire = duration("REFRESH_TOKEN_EXPIRE", c.refresh_token_expire);

  const std::string client_urls = get(env, "CLIENT_URL");
  for (std::string_view rest = client_urls; !rest.empty();) {
    const auto comma = rest.find(',');
    auto origin = trim(std::string(rest.substr(0, comma)));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (origin.empty()) continue;
    while (!origin.empty() && origin.back() == '/') origin.pop_back();
    auto u = boost::urls::parse_absolute_uri(origin);
    if (!u || (u->scheme() != "http" && u->scheme() != "https") || u->host().empty() || !u->encoded_path().empty())
      throw ConfigError("CLIENT_URL must be a comma-separated list of origins like https://tiptop.in (got '" +
                        origin + "')");
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

  c.rate_limit_window_ms = parse_long(env, "RATE_LIMIT_WINDOW_MS", c.rate_limit_window_ms, 1000, 86'400'000);
  c.rate_limit_max = static_cast<int>(parse_long(env, "RATE_LIMIT_MAX", c.rate_limit_max, 1, 1'000'000));
  c.auth_rate_limit_max = static_cast<int>(parse_long(env, "AUTH_RATE_LIMIT_MAX", c.auth_rate_limit_max, 1, 10'000));
  c.upload_dir = get(env, "UPLOAD_DIR", c.upload_dir);
  c.aws_s3_bucket = get(env, "AWS_S3_BUCKET");
  c.aws_region = get(env, "AWS_REGION", c.aws_region);
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
  c.restaurant_timezone = get(env, "RESTAURANT_TIMEZONE", c.restaurant_timezone);
  if (c.restaurant_timezone.find("..") != std::string::npos ||
      !std::filesystem::exists("/usr/share/zoneinfo/" + c.restaurant_timezone))
    throw ConfigError("RESTAURANT_TIMEZONE must be a time zone such as Asia/Kolkata (got '" + c.restaurant_timezone + "')");
  c.sqlite_synchronous = one_of(env, "SQLITE_SYNCHRONOUS", "FULL", {"FULL", "NORMAL", "EXTRA"});
  c.io_threads = static_cast<int>(parse_long(env, "IO_THREADS", 0, 0, 256));
  c.db_pool_size = static_cast<int>(parse_long(env, "DB_POOL_SIZE", 0, 0, 256));
  c.db_statement_timeout_ms = static_cast<int>(parse_long(env, "DB_STATEMENT_TIMEOUT_MS", 30000, 0, 3'600'000));
  c.shutdown_grace = std::chrono::seconds{parse_long(env, "SHUTDOWN_GRACE_SECONDS", 10, 0, 300)};
  c.socket_ping_interval = std::chrono::milliseconds{parse_long(env, "SOCKET_PING_INTERVAL_MS", 25000, 100, 600'000)};
  c.socket_ping_timeout = std::chrono::milliseconds{parse_long(env, "SOCKET_PING_TIMEOUT_MS", 20000, 100, 600'000)};
  c.socket_max_payload = static_cast<std::size_t>(parse_long(env, "SOCKET_MAX_PAYLOAD", 1'000'000, 1024, 100'000'000));
  c.socket_connect_timeout =
      std::chrono::milliseconds{parse_long(env, "SOCKET_CONNECT_TIMEOUT_MS", 45000, 100, 600'000)};
  c.socket_conformance = one_of(env, "SOCKET_CONFORMANCE", "0", {"0", "1"}) == "1";
  c.analytics_rollup_interval = std::chrono::seconds{parse_long(env, "ANALYTICS_ROLLUP_INTERVAL_SECONDS", 300, 1, 86'400)};
  c.location_min_interval = std::chrono::milliseconds{parse_long(env, "LOCATION_MIN_INTERVAL_MS", 900, 0, 600'000)};
  load_notification_config(env, c);
  load_payment_config(env, c);
  if (const auto allow = get(env, "METRICS_ALLOW"); !allow.empty()) {
    c.metrics_allow.clear();
    std::size_t start = 0;
    while (start <= allow.size()) {
      const auto comma = allow.find(',', start);
      auto net = trim(allow.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      boost::system::error_code ec;
      if (net.find(':') != std::string::npos) boost::asio::ip::make_network_v6(net, ec);
      else boost::asio::ip::make_network_v4(net, ec);
      if (ec) throw ConfigError("METRICS_ALLOW must be a comma-separated list of networks such as 10.0.0.0/8 (got '" + net + "')");
      c.metrics_allow.push_back(net);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  c.metrics_token = get(env, "METRICS_TOKEN");
  if (!c.metrics_token.empty() && c.metrics_token.size() < 16) throw ConfigError("METRICS_TOKEN must be at least 16 characters");
  return c;
}

}  // namespace tiptop
