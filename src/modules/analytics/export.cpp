#include "modules/analytics/export.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>

#include "core/clock.hpp"
#include "core/money.hpp"
#include "modules/analytics/repository.hpp"

namespace tiptop::analytics {
namespace asio = boost::asio;
namespace bj = boost::json;
namespace {

constexpr std::int64_t kBatch = 500;  // rows per database read and per chunk sent

std::string quoted_if_needed(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
  return out;
}

std::string name_in(const std::string& json_text, const char* key) {
  boost::system::error_code ec;
  auto v = bj::parse(json_text, ec);
  if (ec || !v.is_object()) return {};
  const auto* f = v.get_object().if_contains(key);
  return f && f->is_string() ? std::string(f->get_string()) : std::string();
}

std::int64_t item_count(const std::string& json_text) {
  boost::system::error_code ec;
  auto v = bj::parse(json_text, ec);
  std::int64_t n = 0;
  if (!ec && v.is_array())
    for (const auto& line : v.get_array())
      if (const auto* q = line.is_object() ? line.get_object().if_contains("quantity") : nullptr; q && q->is_int64())
        n += q->get_int64();
  return n;
}

class OrderExport final : public http::BodyStream {
 public:
  OrderExport(store::Database& db, clock::Millis from, clock::Millis to) : db_(db), from_(from), to_(to) {}

  asio::awaitable<std::optional<std::string>> next() override {
    if (!header_sent_) {
      header_sent_ = true;
      co_return std::string(
          "orderNumber,createdAt,date,status,paymentMethod,paymentStatus,customerName,customerPhone,items,itemsTotal,"
          "discount,tax,deliveryFee,finalAmount,deliveryPartner,deliveredAt,orderType\r\n");
    }
    if (done_) co_return std::nullopt;
    // Read and rendered on a database worker: the I/O thread only sends the finished text.
    auto batch = co_await db_.read_may_lag(
        [&](store::Connection& c) { return render(export_page(c, from_, to_, after_, kBatch)); });
    if (batch.rows == 0) {
      done_ = true;
      co_return std::nullopt;
    }
    after_ = std::move(batch.last);
    if (batch.rows < kBatch) done_ = true;
    co_return std::move(batch.text);
  }

 private:
  struct Batch {
    std::string text;
    std::int64_t rows = 0;
    std::optional<std::pair<clock::Millis, std::string>> last;  // keyset of the last row
  };

  static Batch render(const store::ResultSet& rs) {
    Batch batch;
    batch.rows = static_cast<std::int64_t>(rs.rows.size());
    std::string& out = batch.text;
    out.reserve(rs.rows.size() * 200);
    for (const auto& r : rs.rows) {
      const auto created = r.integer("created_at");
      const std::string customer = r.text("customer");
      const std::string partner =
          r.is_null("delivery_partner") ? std::string() : name_in(r.text("delivery_partner"), "name");
      const std::string fields[] = {
          csv_field(r.text("order_number")),
          csv_number(clock::to_iso8601(created)),
          csv_number(clock::local_date(created)),
          csv_field(r.text("status")),
          csv_field(r.text("payment_method")),
          csv_field(r.text("payment_status")),
          csv_field(name_in(customer, "name")),
          csv_field(name_in(customer, "phone")),
          csv_number(std::to_string(item_count(r.text("items")))),
          csv_number(money::format_rupees(r.integer("items_total_paise"))),
          csv_number(money::format_rupees(r.integer("discount_paise"))),
          csv_number(money::format_rupees(r.integer("tax_paise"))),
          csv_number(money::format_rupees(r.integer("delivery_fee_paise"))),
          csv_number(money::format_rupees(r.integer("final_amount_paise"))),
          csv_field(partner),
          csv_number(r.is_null("actual_delivery_at") ? std::string()
                                                     : clock::to_iso8601(r.integer("actual_delivery_at"))),
          csv_field(r.text("order_type"))};
      for (std::size_t i = 0; i < std::size(fields); ++i) {
        if (i) out += ',';
        out += fields[i];
      }
      out += "\r\n";
    }
    if (!rs.rows.empty()) batch.last = std::make_pair(rs.rows.back().integer("created_at"), rs.rows.back().text("id"));
    return batch;
  }

  store::Database& db_;
  clock::Millis from_, to_;
  bool header_sent_ = false, done_ = false;
  std::optional<std::pair<clock::Millis, std::string>> after_;
};

}  // namespace

std::string csv_field(std::string_view text) {
  // A phone number such as +919800000001 is data, not a formula.
  const bool phone = text.size() > 1 && text.front() == '+' &&
                     std::all_of(text.begin() + 1, text.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  if (!phone && !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos)
    return quoted_if_needed("'" + std::string(text));
  return quoted_if_needed(text);
}

std::string csv_number(std::string_view text) { return quoted_if_needed(text); }

std::shared_ptr<http::BodyStream> order_export(store::Database& db, clock::Millis from, clock::Millis to) {
  return std::make_shared<OrderExport>(db, from, to);
}

}  // namespace tiptop::analytics
