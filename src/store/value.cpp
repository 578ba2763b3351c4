#include "store/value.hpp"

#include "core/errors.hpp"

namespace tiptop::store {

std::size_t Row::index_of(std::string_view column) const {
  for (std::size_t i = 0; i < columns_->size(); ++i)
    if ((*columns_)[i] == column) return i;
  throw std::out_of_range("no column '" + std::string(column) + "' in result");
}

std::int64_t Row::integer(std::string_view c) const {
  const auto& v = (*this)[c];
  if (auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (auto* b = std::get_if<bool>(&v)) return *b ? 1 : 0;
  if (auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
  if (std::holds_alternative<Null>(v)) return 0;
  throw DatabaseError("column '" + std::string(c) + "' is not an integer");
}

double Row::real(std::string_view c) const {
  const auto& v = (*this)[c];
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (std::holds_alternative<Null>(v)) return 0;
  throw DatabaseError("column '" + std::string(c) + "' is not a number");
}

std::string Row::text(std::string_view c) const {
  const auto& v = (*this)[c];
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (std::holds_alternative<Null>(v)) return {};
  if (auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  throw DatabaseError("column '" + std::string(c) + "' is not text");
}

bool Row::boolean(std::string_view c) const { return integer(c) != 0; }

std::string like_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out;
}

}  // namespace tiptop::store
