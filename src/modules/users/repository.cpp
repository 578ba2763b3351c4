#include "modules/users/repository.hpp"

#include "core/errors.hpp"
#include "core/ids.hpp"

namespace tiptop::users {
namespace {

constexpr const char* kUserColumns =
    "id, role, email, phone, password_hash, first_name, last_name, avatar, date_of_birth, loyalty_points, "
    "total_orders, total_spent_paise, vehicle_type, vehicle_number, vehicle_document, availability, location_lng, "
    "location_lat, rating, total_deliveries, is_active, is_email_verified, is_phone_verified, created_at, "
    "updated_at, last_login, location_updated_at";

User user_from(const store::Row& r) {
  User u;
  u.id = r.text("id");
  u.role = r.text("role");
  u.email = r.text("email");
  u.phone = r.text("phone");
  u.password_hash = r.text("password_hash");
  u.first_name = r.text("first_name");
  u.last_name = r.text("last_name");
  u.avatar = r.text("avatar");
  u.date_of_birth = r.text("date_of_birth");
  u.loyalty_points = r.integer("loyalty_points");
  u.total_orders = r.integer("total_orders");
  u.total_spent = r.integer("total_spent_paise");
  u.vehicle_type = r.text("vehicle_type");
  u.vehicle_number = r.text("vehicle_number");
  u.vehicle_document = r.text("vehicle_document");
  u.availability = r.boolean("availability");
  u.location_lng = r.real_or_null("location_lng");
  u.location_lat = r.real_or_null("location_lat");
  u.rating = r.real("rating");
  u.total_deliveries = r.integer("total_deliveries");
  u.is_active = r.boolean("is_active");
  u.is_email_verified = r.boolean("is_email_verified");
  u.is_phone_verified = r.boolean("is_phone_verified");
  u.created_at = r.integer("created_at");
  u.updated_at = r.integer("updated_at");
  if (!r.is_null("last_login")) u.last_login = r.integer("last_login");
  if (!r.is_null("location_updated_at")) u.location_updated_at = r.integer("location_updated_at");
  return u;
}

// Parameters: is_active, availability (both true).
constexpr const char* kAvailablePartners = " FROM users WHERE role = 'delivery' AND is_active = ? AND availability = ?";

std::vector<std::string> ids_of(const store::ResultSet& rs) {
  std::vector<std::string> out;
  for (const auto& r : rs.rows) out.push_back(r.text("id"));
  return out;
}

std::optional<User> one_user(store::Connection& c, const std::string& where, const std::string& param) {
  auto rs = c.query(std::string("SELECT ") + kUserColumns + " FROM users WHERE " + where, {param});
  if (rs.empty()) return std::nullopt;
  User u = user_from(rs.rows[0]);
  u.addresses = list_addresses(c, u.id);
  return u;
}

}  // namespace

void insert_user(store::Connection& c, const User& u) {
  c.execute(
      "INSERT INTO users (id, role, email, phone, password_hash, first_name, last_name, vehicle_type, "
      "vehicle_number, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {u.id, u.role, u.email, u.phone, u.password_hash, u.first_name, u.last_name, store::text_or_null(u.vehicle_type),
       store::text_or_null(u.vehicle_number), u.is_active, u.created_at, u.updated_at});
}

std::optional<User> find_by_id(store::Connection& c, const std::string& id) { return one_user(c, "id = ?", id); }

User find_with_role(store::Connection& c, const std::string& id, const std::string& role, const std::string& what) {
  auto u = ids::is_object_id(id) ? find_by_id(c, id) : std::nullopt;
  if (!u || u->role != role) throw NotFoundError(what);
  return std::move(*u);
}

void lock_user(store::Connection& c, const std::string& id) {
  if (c.engine() == store::Engine::postgres) c.query("SELECT id FROM users WHERE id = ? FOR UPDATE", {id});
}

std::optional<User> find_by_email(store::Connection& c, const std::string& email) {
  return one_user(c, "email = ?", normalize_email(email));
}

std::optional<User> find_by_login(store::Connection& c, const std::string& login) {
  if (login.find('@') != std::string::npos) return find_by_email(c, login);
  return one_user(c, "phone = ?", normalize_phone(login));
}

void set_password_hash(store::Connection& c, const std::string& id, const std::string& hash) {
  c.execute("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", {hash, clock::now_ms(), id});
}

void set_last_login(store::Connection& c, const std::string& id, clock::Millis at) {
  c.execute("UPDATE users SET last_login = ? WHERE id = ?", {at, id});
}

void update_profile(store::Connection& c, const User& u) {
  c.execute(
      "UPDATE users SET first_name = ?, last_name = ?, avatar = ?, date_of_birth = ?, email = ?, phone = ?, "
      "is_email_verified = ?, is_phone_verified = ?, updated_at = ? WHERE id = ?",
      {u.first_name, u.last_name, store::text_or_null(u.avatar), store::text_or_null(u.date_of_birth), u.email, u.phone,
       u.is_email_verified, u.is_phone_verified, clock::now_ms(), u.id});
}

void set_active(store::Connection& c, const std::string& id, bool active, clock::Millis updated_at) {
  c.execute("UPDATE users SET is_active = ?, updated_at = ? WHERE id = ?", {active, updated_at, id});
}

void update_partner(store::Connection& c, const User& u) {
  c.execute(
      "UPDATE users SET first_name = ?, last_name = ?, phone = ?, vehicle_type = ?, vehicle_number = ?, "
      "vehicle_document = ?, is_active = ?, availability = ?, updated_at = ? WHERE id = ?",
      {u.first_name, u.last_name, u.phone, store::text_or_null(u.vehicle_type), store::text_or_null(u.vehicle_number),
       store::text_or_null(u.vehicle_document), u.is_active, u.availability, u.updated_at, u.id});
}

void set_vehicle_document(store::Connection& c, const std::string& id, const std::string& document) {
  c.execute("UPDATE users SET vehicle_document = ? WHERE id = ?", {document, id});
}

void set_availability(store::Connection& c, const std::string& id, bool available, clock::Millis updated_at) {
  c.execute("UPDATE users SET availability = ?, updated_at = ? WHERE id = ?", {available, updated_at, id});
}

void take_off_duty(store::Connection& c, const std::string& id) {
  c.execute("UPDATE users SET availability = ? WHERE id = ?", {false, id});
}

void set_location(store::Connection& c, const std::string& id, double lat, double lng, clock::Millis at) {
  c.execute(
      "UPDATE users SET location_lat = ?, location_lng = ?, location_updated_at = ? WHERE id = ? AND role = 'delivery'",
      {lat, lng, at, id});
}

std::vector<User> list_partners(store::Connection& c) {
  std::vector<User> out;
  for (const auto& r :
       c.query(std::string("SELECT ") + kUserColumns + " FROM users WHERE role = 'delivery' ORDER BY first_name, id")
           .rows)
    out.push_back(user_from(r));
  return out;
}

std::vector<std::string> available_partner_ids(store::Connection& c) {
  return ids_of(c.query(std::string("SELECT id") + kAvailablePartners, {true, true}));
}

std::int64_t count_available_partners(store::Connection& c) {
  return c.query(std::string("SELECT COUNT(*) AS n") + kAvailablePartners, {true, true}).rows.at(0).integer("n");
}

std::vector<std::string> active_customer_ids(store::Connection& c) {
  return ids_of(c.query("SELECT id FROM users WHERE role = 'customer' AND is_active = ? ORDER BY id", {true}));
}

CustomerCounts count_customers(store::Connection& c, clock::Millis from, clock::Millis to) {
  auto n = [&](const char* sql, const store::Params& p) { return c.query(sql, p).rows.at(0).integer("n"); };
  return {
      n("SELECT COUNT(*) AS n FROM users WHERE role = 'customer'", {}),
      n("SELECT COUNT(*) AS n FROM users WHERE role = 'customer' AND is_active = ?", {false}),
      n("SELECT COUNT(*) AS n FROM users WHERE role = 'customer' AND created_at >= ? AND created_at < ?", {from, to})};
}

std::vector<Address> list_addresses(store::Connection& c, const std::string& user_id) {
  auto rs = c.query(
      "SELECT id, type, street, city, state, zip_code, lng, lat, is_default FROM addresses WHERE user_id = ? "
      "ORDER BY created_at, id",
      {user_id});
  std::vector<Address> out;
  for (const auto& r : rs.rows) {
    Address a;
    a.id = r.text("id");
    a.type = r.text("type");
    a.street = r.text("street");
    a.city = r.text("city");
    a.state = r.text("state");
    a.zip_code = r.text("zip_code");
    a.lng = r.real_or_null("lng");
    a.lat = r.real_or_null("lat");
    a.is_default = r.boolean("is_default");
    out.push_back(std::move(a));
  }
  return out;
}

void insert_address(store::Connection& c, const std::string& user_id, const Address& a) {
  const auto now = clock::now_ms();
  c.execute(
      "INSERT INTO addresses (id, user_id, type, street, city, state, zip_code, lng, lat, is_default, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {a.id, user_id, a.type, a.street, a.city, a.state, a.zip_code, store::value_or_null(a.lng),
       store::value_or_null(a.lat), a.is_default, now, now});
}

void update_address(store::Connection& c, const std::string& user_id, const Address& a) {
  c.execute(
      "UPDATE addresses SET type = ?, street = ?, city = ?, state = ?, zip_code = ?, lng = ?, lat = ?, "
      "is_default = ?, updated_at = ? WHERE id = ? AND user_id = ?",
      {a.type, a.street, a.city, a.state, a.zip_code, store::value_or_null(a.lng), store::value_or_null(a.lat),
       a.is_default, clock::now_ms(), a.id, user_id});
}

bool delete_address(store::Connection& c, const std::string& user_id, const std::string& address_id) {
  return c.execute("DELETE FROM addresses WHERE id = ? AND user_id = ?", {address_id, user_id}) == 1;
}

void clear_default_address(store::Connection& c, const std::string& user_id) {
  c.execute("UPDATE addresses SET is_default = ? WHERE user_id = ? AND is_default = ?", {false, user_id, true});
}

namespace {
std::string filter_sql(const UserFilter& f, store::Params& p) {
  std::string w = " WHERE role = ?";
  p.emplace_back(f.role);
  if (f.active) w += " AND is_active = ?", p.emplace_back(*f.active);
  if (f.available) w += " AND availability = ?", p.emplace_back(*f.available);
  if (!f.search.empty()) {
    // A plain substring match: LIKE's wildcards in the input are matched literally.
    std::string lower(f.search);
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const std::string pattern = "%" + store::like_escape(lower) + "%";
    const std::string like = std::string(" LIKE ?") + store::kLikeEscape;
    w += " AND (LOWER(first_name || ' ' || last_name)" + like + " OR LOWER(email)" + like + " OR phone" + like + ")";
    p.insert(p.end(), {pattern, pattern, pattern});
  }
  return w;
}
}  // namespace

std::vector<User> list_users(store::Connection& c, const UserFilter& f, std::int64_t offset, std::int64_t limit) {
  store::Params p;
  const auto where = filter_sql(f, p);
  p.emplace_back(limit);
  p.emplace_back(offset);
  std::vector<User> out;
  const char* order = f.sort == "spend"    ? " ORDER BY total_spent_paise DESC, id DESC"
                      : f.sort == "orders" ? " ORDER BY total_orders DESC, id DESC"
                                           : " ORDER BY created_at DESC, id DESC";
  for (const auto& r :
       c.query(std::string("SELECT ") + kUserColumns + " FROM users" + where + order + " LIMIT ? OFFSET ?", p).rows)
    out.push_back(user_from(r));
  return out;
}

std::int64_t count_users(store::Connection& c, const UserFilter& f) {
  store::Params p;
  const auto where = filter_sql(f, p);
  return c.query("SELECT COUNT(*) AS n FROM users" + where, p).rows.at(0).integer("n");
}

std::vector<PartnerPosition> located_available_partners(store::Connection& c, clock::Millis since) {
  std::vector<PartnerPosition> out;
  for (const auto& r :
       c.query("SELECT id, location_lng, location_lat FROM users WHERE role = 'delivery' AND is_active = ? "
               "AND availability = ? AND location_lat IS NOT NULL AND location_updated_at >= ?",
               {true, true, since})
           .rows)
    out.push_back({r.text("id"), r.real("location_lng"), r.real("location_lat")});
  return out;
}

}  // namespace tiptop::users
