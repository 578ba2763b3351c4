#include "modules/printing/ticket.hpp"

#include <cstdio>

#include "core/json.hpp"
#include "core/money.hpp"

namespace tiptop::printing {
namespace bj = boost::json;
namespace {

// ESC/POS commands used here.
constexpr char ESC = 0x1b, GS = 0x1d, LF = 0x0a;
const std::string kInit{ESC, '@'};
const std::string kBoldOn{ESC, 'E', 1}, kBoldOff{ESC, 'E', 0};
const std::string kLeft{ESC, 'a', 0}, kCenter{ESC, 'a', 1};
const std::string kBig{GS, '!', 0x11}, kTall{GS, '!', 0x01}, kNormal{GS, '!', 0x00};
const std::string kFeedAndCut{ESC, 'd', 3, GS, 'V', 66, 0};  // feed 3 lines, partial cut

// Printers speak their code page, not UTF-8: ₹ becomes "Rs", anything else beyond ASCII "?".
std::string ascii(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else if (c == '\n' || c == '\t') {
      out += ' ';
    } else if (c >= 0x80) {
      if (s.substr(i, 3) == "\xe2\x82\xb9")
        out += "Rs";  // U+20B9 ₹
      else
        out += '?';
      while (i + 1 < s.size() && (static_cast<unsigned char>(s[i + 1]) & 0xc0) == 0x80) ++i;  // the rest of it
    }
  }
  return out;
}

std::string text(const bj::object& o, std::string_view key) { return ascii(json::string_or(o, key)); }
const bj::object& object_at(const bj::object& o, std::string_view key) {
  static const bj::object kEmpty;
  const auto* v = o.if_contains(key);
  return v && v->is_object() ? v->get_object() : kEmpty;
}
const bj::array& array_at(const bj::object& o, std::string_view key) {
  static const bj::array kEmpty;
  const auto* v = o.if_contains(key);
  return v && v->is_array() ? v->get_array() : kEmpty;
}
money::Paise amount(const bj::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? money::from_json(*v).value_or(0) : 0;
}
std::string rupees(money::Paise p) { return "Rs " + money::format_rupees(p); }

// Lines of at most `width` columns, broken at spaces where possible (a longer word is cut); the
// first line indented by `first`, the others by `rest`.
std::string wrap(std::string_view s, int width, int rest, int first = 0) {
  std::string out, line, prefix(static_cast<std::size_t>(first), ' ');
  bool empty = true;
  const auto emit = [&] {
    out += line + LF;
    line.clear();
    empty = true;
    prefix.assign(static_cast<std::size_t>(rest), ' ');
  };
  for (std::size_t i = 0; i <= s.size();) {
    auto end = std::min(s.find(' ', i), s.size());
    std::string word(s.substr(i, end - i));
    i = end + 1;
    if (word.empty()) continue;
    while (static_cast<int>(prefix.size() + word.size()) > width) {  // longer than a line: cut it
      if (!empty) emit();
      const auto room = static_cast<std::size_t>(width) - prefix.size();
      line = prefix + word.substr(0, room);
      word.erase(0, room);
      emit();
    }
    if (!empty && static_cast<int>(line.size() + 1 + word.size()) > width) emit();
    line += empty ? prefix + word : " " + word;
    empty = false;
  }
  if (!empty || out.empty()) out += line + LF;
  return out;
}

// Left text and a right-aligned amount on one line (the text wrapped above it if it is long).
std::string priced_line(const std::string& left, const std::string& right, int width) {
  const int room = width - static_cast<int>(right.size()) - 1;
  if (static_cast<int>(left.size()) <= room)
    return left + std::string(static_cast<std::size_t>(width - static_cast<int>(left.size() + right.size())), ' ') +
           right + LF;
  return wrap(left, width, 2) + std::string(static_cast<std::size_t>(width) - right.size(), ' ') + right + LF;
}

std::string rule(int width) { return std::string(static_cast<std::size_t>(width), '-') + LF; }

// GS ( k: a QR code (model 2, module size 5, error correction M) of `data`.
std::string qr(const std::string& data) {
  const auto n = data.size() + 3;
  std::string out{GS, '(', 'k', 4, 0, 49, 65, 50, 0};
  out += std::string{GS, '(', 'k', 3, 0, 49, 67, 5};
  out += std::string{GS, '(', 'k', 3, 0, 49, 69, 49};
  out += std::string{GS, '(', 'k', static_cast<char>(n & 0xff), static_cast<char>(n >> 8), 49, 80, 48};
  out += data;
  out += std::string{GS, '(', 'k', 3, 0, 49, 81, 48};
  return out;
}

std::string items(const bj::object& order, int width, bool priced) {
  std::string out;
  for (const auto& v : array_at(order, "items")) {
    if (!v.is_object()) continue;
    const auto& line = v.get_object();
    const auto qty = json::int_or(line, "quantity", 1);
    const std::string head = std::to_string(qty) + " x " + text(line, "name");
    out += priced ? priced_line(head, money::format_rupees(amount(line, "subtotal")), width)
                  : kBoldOn + wrap(head, width, 4) + kBoldOff;
    for (const auto& c : array_at(line, "customizations")) {
      if (!c.is_object()) continue;
      std::string options;
      for (const auto& o : array_at(c.get_object(), "options"))
        if (o.is_string()) options += (options.empty() ? "" : ", ") + ascii(o.get_string());
      if (!options.empty()) out += wrap("- " + text(c.get_object(), "name") + ": " + options, width, 6, 4);
    }
    if (line.contains("openItem")) out += "    (open item)" + std::string(1, LF);
  }
  return out;
}

}  // namespace

int columns_for(int paper_width_mm) { return paper_width_mm >= 80 ? 48 : 32; }

std::string render_ticket(const bj::object& job, const std::string& tracking_url) {
  const int width = columns_for(static_cast<int>(json::int_or(job, "paperWidth", 58)));
  const bool bill = json::string_or(job, "kind") == "bill";
  const auto& order = object_at(job, "order");
  const auto& place = object_at(job, "restaurant");
  const bool takeaway = json::string_or(order, "orderType") == "takeaway";
  std::string out = kInit + kCenter;
  if (json::bool_or(job, "reprint", false)) out += kBoldOn + "*** REPRINT ***" + LF + kBoldOff;
  if (bill) {
    out += kBoldOn + wrap(text(place, "name"), width, 0) + kBoldOff;
    if (!text(place, "address").empty()) out += wrap(text(place, "address"), width, 0);
    if (!text(place, "contactPhone").empty()) out += "Tel " + text(place, "contactPhone") + LF;
  } else {
    out += std::string("KITCHEN") + LF;
  }
  out += kBig + text(order, "orderNumber").substr(text(order, "orderNumber").rfind('_') + 1) + LF + kNormal;
  out += text(order, "orderNumber") + LF;
  out += kBoldOn + (takeaway ? "TAKEAWAY" : "DELIVERY") + kBoldOff + LF;
  out += text(order, "placedAt") + LF + kLeft + rule(width);

  const auto& customer = object_at(order, "customer");
  out += wrap(text(customer, "name") + (bill && !text(customer, "phone").empty() ? "  " + text(customer, "phone") : ""),
              width, 2);
  const auto& address = object_at(order, "deliveryAddress");
  if (!takeaway && bill) {
    std::string where = text(address, "street");
    for (const char* part : {"city", "zipCode"})
      if (!text(address, part).empty()) where += ", " + text(address, part);
    out += wrap(where, width, 2);
  }
  if (!text(address, "instructions").empty()) out += wrap("Note: " + text(address, "instructions"), width, 2);
  out += rule(width) + items(order, width, bill);

  if (bill) {
    const auto& p = object_at(order, "pricing");
    out += rule(width) + priced_line("Items", money::format_rupees(amount(p, "itemsTotal")), width);
    if (amount(p, "discount") > 0)
      out += priced_line("Discount", "-" + money::format_rupees(amount(p, "discount")), width);
    out += priced_line("Tax", money::format_rupees(amount(p, "tax")), width);
    if (!takeaway) out += priced_line("Delivery", money::format_rupees(amount(p, "deliveryFee")), width);
    if (amount(p, "tip") > 0) out += priced_line("Tip for the rider", money::format_rupees(amount(p, "tip")), width);
    out += kTall + kBoldOn + priced_line("TOTAL", rupees(amount(p, "finalAmount")), width) + kBoldOff + kNormal;
    const auto method = json::string_or(order, "paymentMethod");
    const bool paid = json::string_or(order, "paymentStatus") == "paid";
    out += kCenter + kBoldOn +
           (paid              ? "PAID (" + ascii(method) + ")"
            : method == "COD" ? "CASH ON DELIVERY: " + rupees(amount(p, "finalAmount"))
            : method == "UPI" ? "PAY BY UPI: " + rupees(amount(p, "finalAmount"))
                              : "TO PAY: " + rupees(amount(p, "finalAmount"))) +
           kBoldOff + LF;
    if (!tracking_url.empty()) out += qr(tracking_url) + "Scan to track your order" + LF;
    out += kLeft;
  }
  return out + kFeedAndCut;
}

std::string escpos_as_text(const std::string& b) {
  std::string out;
  for (std::size_t i = 0; i < b.size(); ++i) {
    const char c = b[i];
    auto at = [&](std::size_t k) { return i + k < b.size() ? static_cast<unsigned char>(b[i + k]) : 0u; };
    if (c == ESC && at(1) == '@') {
      out += "[init]";
      i += 1;
    } else if (c == ESC && at(1) == 'E') {
      out += at(2) ? "[b]" : "[/b]";
      i += 2;
    } else if (c == ESC && at(1) == 'a') {
      out += at(2) == 1 ? "[center]" : "[left]";
      i += 2;
    } else if (c == ESC && at(1) == 'd') {
      out += "[feed " + std::to_string(at(2)) + "]";
      i += 2;
    } else if (c == GS && at(1) == '!') {
      out += at(2) == 0x11 ? "[big]" : at(2) == 0x01 ? "[tall]" : "[normal]";
      i += 2;
    } else if (c == GS && at(1) == 'V') {
      out += "[cut]";
      i += 3;
    } else if (c == GS && at(1) == '(' && at(2) == 'k') {
      const std::size_t n = at(3) | (at(4) << 8);
      if (at(6) == 80) out += "[qr " + b.substr(i + 8, n - 3) + "]";
      i += 4 + n;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace tiptop::printing
