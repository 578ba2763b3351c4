#include "modules/audit/repository.hpp"

#include <boost/json/parse.hpp>

#include "core/json.hpp"

namespace tiptop::audit {
namespace bj = boost::json;
namespace {

store::Value json_or_null(const bj::value& v) {
  return v.is_null() ? store::Value(store::Null{}) : store::Value(json::serialize(v));
}

bj::value parsed(const store::Row& r, std::string_view column) {
  if (r.is_null(column)) return nullptr;
  boost::system::error_code ec;
  auto v = bj::parse(r.text(column), ec);
  return ec ? bj::value(nullptr) : v;
}

std::string where(const Filter& f, store::Params& p) {
  std::string w = "1 = 1";
  if (!f.action.empty()) w += " AND action = ?", p.emplace_back(f.action);
  if (!f.actor_id.empty()) w += " AND actor_id = ?", p.emplace_back(f.actor_id);
  if (!f.subject_id.empty()) w += " AND subject_id = ?", p.emplace_back(f.subject_id);
  if (f.from) w += " AND at >= ?", p.emplace_back(*f.from);
  if (f.to) w += " AND at < ?", p.emplace_back(*f.to);
  return w;
}

}  // namespace

void append(store::Connection& c, Entry e) {
  c.execute(
      "INSERT INTO audit_log (at, actor_id, actor_role, action, subject_type, subject_id, before_json, after_json, "
      "note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {e.at ? e.at : clock::now_ms(), e.actor_id, e.actor_role, e.action, e.subject_type, e.subject_id,
       json_or_null(e.before), json_or_null(e.after), store::text_or_null(e.note)});
}

std::vector<Entry> list(store::Connection& c, const Filter& f, std::int64_t offset, std::int64_t limit) {
  store::Params p;
  const auto w = where(f, p);
  p.emplace_back(limit);
  p.emplace_back(offset);
  std::vector<Entry> out;
  for (const auto& r : c.query("SELECT seq, at, actor_id, actor_role, action, subject_type, subject_id, before_json, "
                               "after_json, note FROM audit_log WHERE " +
                                   w + " ORDER BY seq DESC LIMIT ? OFFSET ?",
                               p)
                           .rows)
    out.push_back({r.integer("at"), r.text("actor_id"), r.text("actor_role"), r.text("action"), r.text("subject_type"),
                   r.text("subject_id"), parsed(r, "before_json"), parsed(r, "after_json"), r.text("note"),
                   r.integer("seq")});
  return out;
}

std::int64_t count(store::Connection& c, const Filter& f) {
  store::Params p;
  const auto w = where(f, p);
  return c.query("SELECT COUNT(*) AS n FROM audit_log WHERE " + w, p).rows.at(0).integer("n");
}

bj::object to_json(const Entry& e) {
  return {{"seq", e.seq},
          {"at", clock::to_iso8601(e.at)},
          {"actor", bj::object{{"id", e.actor_id}, {"role", e.actor_role}}},
          {"action", e.action},
          {"subject", bj::object{{"type", e.subject_type}, {"id", e.subject_id}}},
          {"before", e.before},
          {"after", e.after},
          {"note", e.note.empty() ? bj::value(nullptr) : bj::value(e.note)}};
}

}  // namespace tiptop::audit
