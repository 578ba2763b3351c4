#include "modules/settings/repository.hpp"

namespace tiptop::settings {

std::optional<std::string> find_document(store::Connection& c, bool for_update) {
  const std::string lock(for_update ? store::row_lock(c) : "");
  auto rs = c.query("SELECT document FROM restaurant_settings WHERE id = 1" + lock);
  if (rs.empty()) return std::nullopt;
  return rs.rows[0].text("document");
}

void save_document(store::Connection& c, const std::string& document, const std::string& admin_id, clock::Millis at) {
  if (c.execute("UPDATE restaurant_settings SET document = ?, updated_by = ?, updated_at = ? WHERE id = 1",
                {document, admin_id, at}) == 0)
    c.execute("INSERT INTO restaurant_settings (id, document, updated_by, updated_at) VALUES (1, ?, ?, ?)",
              {document, admin_id, at});
}

}  // namespace tiptop::settings
