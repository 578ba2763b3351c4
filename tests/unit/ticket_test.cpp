// The print agent's ESC/POS output (issue 22), byte for byte against reference tickets kept in
// tests/data/tickets: a 58 mm kitchen ticket and bill, and an 80 mm reprinted bill. When a
// reference must change on purpose, TIPTOP_WRITE_TICKETS=1 rewrites it; read its text form
// (escpos_as_text, printed on failure) before committing it.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "modules/printing/ticket.hpp"

using namespace tiptop;
namespace bj = boost::json;

namespace {

// An order as the server sends it to an agent (PrintService::claim).
bj::object job(const std::string& kind, int width, bool reprint) {
  auto j = bj::parse(R"J({
    "jobId": "6751f0c2a1b2c3d4e5f60718", "kind": ")J" +
                     kind + R"J(", "reprint": )J" + (reprint ? "true" : "false") + R"J(, "paperWidth": )J" +
                     std::to_string(width) + R"J(,
    "restaurant": {"name": "TipTop Biryani & Tandoor", "address": "14 MG Road, Bengaluru 560001", "contactPhone": "9800000001"},
    "trackingPath": "/api/v1/orders/guest/track/0123456789abcdef0123456789abcdef0123456789abcdef",
    "order": {
      "orderNumber": "ORD_2026_00042", "orderType": "delivery", "placedAt": "07 Dec 2026 19:05",
      "customer": {"name": "Asha Rao", "phone": "9800000002"},
      "deliveryAddress": {"street": "12 Residency Road, Flat 4B", "city": "Bengaluru", "zipCode": "560025",
                          "instructions": "Ring twice; leave with the guard"},
      "items": [
        {"name": "Hyderabadi Chicken Dum Biryani (Full)", "quantity": 2, "subtotal": 858,
         "customizations": [{"name": "Spice Level", "options": ["Hot"]}, {"name": "Add-ons", "options": ["Extra Raita", "Boiled Egg"]}]},
        {"name": "Butter Naan", "quantity": 3, "subtotal": 195, "customizations": [{"name": "Topping", "options": ["Butter"]}]},
        {"name": "Paneer Tikka ₹ special", "quantity": 1, "subtotal": 280, "customizations": []}
      ],
      "pricing": {"itemsTotal": 1333, "discount": 40, "tax": 64.65, "deliveryFee": 30, "tip": 20, "promoCode": "FLAT40", "finalAmount": 1407.65},
      "paymentMethod": "COD", "paymentStatus": "pending"
    }})J");
  return j.as_object();
}

std::string reference(const std::string& name, const std::string& rendered) {
  const std::string path = std::string(TIPTOP_TEST_DATA) + "/tickets/" + name;
  if (std::getenv("TIPTOP_WRITE_TICKETS")) std::ofstream(path, std::ios::binary) << rendered;
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kTracking =
    "https://tiptop.example/api/v1/orders/guest/track/0123456789abcdef0123456789abcdef0123456789abcdef";

}  // namespace

TEST(Ticket, AKitchenTicketOn58mmIsTheReferenceByteForByte) {
  const auto bytes = printing::render_ticket(job("kitchen", 58, false), kTracking);
  EXPECT_EQ(bytes, reference("kitchen-58.escpos", bytes)) << printing::escpos_as_text(bytes);
  // What the kitchen needs and nothing it must not see: no phone, no prices, no address.
  const auto text = printing::escpos_as_text(bytes);
  EXPECT_EQ(text.find("9800000002"), std::string::npos);
  EXPECT_EQ(text.find("858"), std::string::npos);
  EXPECT_EQ(text.find("Residency"), std::string::npos);
  EXPECT_NE(text.find("- Add-ons: Extra Raita,\n      Boiled Egg"), std::string::npos);  // wrapped under itself
  EXPECT_NE(text.find("[big]00042"), std::string::npos);
  EXPECT_TRUE(bytes.ends_with(std::string{0x1d, 'V', 66, 0}));  // cut
}

TEST(Ticket, ABillOn58mmIsTheReferenceByteForByte) {
  const auto bytes = printing::render_ticket(job("bill", 58, false), kTracking);
  EXPECT_EQ(bytes, reference("bill-58.escpos", bytes)) << printing::escpos_as_text(bytes);
  const auto text = printing::escpos_as_text(bytes);
  EXPECT_NE(text.find("[qr " + kTracking + "]"), std::string::npos);
  EXPECT_NE(text.find("CASH ON DELIVERY: Rs 1407.65"), std::string::npos);
  EXPECT_NE(text.find("Paneer Tikka Rs special"), std::string::npos);  // ₹ in a name: the printer has no glyph
  // No line wider than the paper's 32 columns.
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::string visible;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '[')
        i = line.find(']', i);
      else
        visible += line[i];
    }
    EXPECT_LE(visible.size(), 32u) << line;
  }
}

TEST(Ticket, AReprintedBillOn80mmSaysSoAtTheTop) {
  const auto bytes = printing::render_ticket(job("bill", 80, true), "");
  EXPECT_EQ(bytes, reference("bill-80-reprint.escpos", bytes)) << printing::escpos_as_text(bytes);
  const auto text = printing::escpos_as_text(bytes);
  EXPECT_EQ(text.find("[init][center][b]*** REPRINT ***"), 0u) << text;
  EXPECT_EQ(text.find("[qr"), std::string::npos);  // no tracking link given: no QR
}
