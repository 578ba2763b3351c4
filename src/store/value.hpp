#pragma once
// Values crossing the Database interface: SQL parameters and result cells, engine-neutral.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tiptop::store {

struct Null {
  bool operator==(const Null&) const = default;
};

using Value = std::variant<Null, std::int64_t, double, std::string, bool>;
using Params = std::vector<Value>;

// NULL for an empty string or an absent optional: how optional text and numbers are stored.
inline Value text_or_null(const std::string& s) { return s.empty() ? Value(Null{}) : Value(s); }
template <class T>
Value value_or_null(const std::optional<T>& v) {
  return v ? Value(*v) : Value(Null{});
}

// Text for a LIKE pattern with its wildcards (% _ and the escape character) matched literally;
// use it with kLikeEscape after the pattern.
std::string like_escape(std::string_view text);
inline constexpr const char* kLikeEscape = " ESCAPE '\\'";

class Row {
 public:
  using Columns = std::shared_ptr<const std::vector<std::string>>;
  Row(Columns columns, std::vector<Value> cells) : columns_(columns), cells_(std::move(cells)) {}

  std::size_t size() const { return cells_.size(); }
  const Value& operator[](std::size_t i) const { return cells_.at(i); }
  const Value& operator[](std::string_view column) const { return cells_.at(index_of(column)); }

  bool is_null(std::string_view c) const { return std::holds_alternative<Null>((*this)[c]); }
  std::int64_t integer(std::string_view c) const;  // bools read as 0/1
  double real(std::string_view c) const;           // integers widen
  std::string text(std::string_view c) const;      // NULL reads as ""
  bool boolean(std::string_view c) const;          // engines store booleans differently; both read here
  // nullopt for NULL: optional amounts, times and coordinates.
  std::optional<std::int64_t> integer_or_null(std::string_view c) const {
    return is_null(c) ? std::nullopt : std::optional<std::int64_t>(integer(c));
  }
  std::optional<double> real_or_null(std::string_view c) const {
    return is_null(c) ? std::nullopt : std::optional<double>(real(c));
  }

 private:
  std::size_t index_of(std::string_view column) const;
  Columns columns_;  // shared by every row of one result
  std::vector<Value> cells_;
};

struct ResultSet {
  Row::Columns columns;
  std::vector<Row> rows;
  std::int64_t affected = 0;

  bool empty() const { return rows.empty(); }
};

}  // namespace tiptop::store
