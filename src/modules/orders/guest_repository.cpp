#include "modules/orders/guest_repository.hpp"

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace tiptop::orders {

std::string upsert_guest(store::Connection& c, const std::string& phone, const std::string& name) {
  const auto now = clock::now_ms();
  auto found = c.query("SELECT id FROM guests WHERE phone = ?", {phone});
  if (!found.empty()) {
    const auto id = found.rows[0].text("id");
    if (!name.empty()) c.execute("UPDATE guests SET name = ?, updated_at = ? WHERE id = ?", {name, now, id});
    return id;
  }
  const auto id = ids::new_object_id();
  c.execute("INSERT INTO guests (id, phone, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            {id, phone, name.empty() ? std::string("Guest") : name, now, now});
  return id;
}

void adopt_guest_orders(store::Connection& c, const std::string& user_id, const std::string& phone) {
  c.execute(
      "UPDATE orders SET customer_id = ? WHERE customer_id IS NULL AND guest_id IN (SELECT id FROM guests WHERE phone "
      "= ?)",
      {user_id, phone});
}

std::string guest_phone(store::Connection& c, const std::string& guest_id) {
  auto rs = c.query("SELECT phone FROM guests WHERE id = ?", {guest_id});
  return rs.empty() ? std::string() : rs.rows[0].text("phone");
}

}  // namespace tiptop::orders
