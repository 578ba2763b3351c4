#include "modules/orders/guest_repository.hpp"

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace tiptop::orders {

std::string upsert_guest(store::Connection& c, const std::string& phone, const std::string& name) {
  const auto now = clock::now_ms();
  auto found = c.query("SELECT id FROM guests WHERE phone = ?", {phone});
  if (!found.empty()) {
    const auto id = found.rows[0].text("id");
    c.execute("UPDATE guests SET name = ?, updated_at = ? WHERE id = ?", {name, now, id});
    return id;
  }
  const auto id = ids::new_object_id();
  c.execute("INSERT INTO guests (id, phone, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            {id, phone, name, now, now});
  return id;
}

}  // namespace tiptop::orders
