#pragma once
// A small JSON-Schema subset declared with each route. The one declaration validates requests
// (field errors in `details`) and renders the OpenAPI document, so the two never drift apart.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/errors.hpp"

namespace tiptop::http {

class Schema {
 public:
  enum class Type { string, integer, number, boolean, array, object, any };

  static Schema string();
  static Schema integer();
  static Schema number();
  static Schema boolean();
  static Schema array(Schema items);
  static Schema object(std::vector<std::pair<std::string, Schema>> properties);
  static Schema any();

  // Each modifier returns a changed copy, so shared pieces can be reused safely.
  Schema min_length(std::size_t n) const;
  Schema max_length(std::size_t n) const;
  Schema minimum(double v) const;
  Schema maximum(double v) const;
  Schema min_items(std::size_t n) const;
  Schema max_items(std::size_t n) const;
  Schema one_of(std::vector<std::string> values) const;  // enum
  // email, phone, objectId, gatewayId, date-time, uri, upiId, upiReference
  Schema format(std::string f) const;
  Schema required(std::vector<std::string> names) const;  // object: these properties must be present
  Schema nullable() const;
  Schema describe(std::string text) const;
  Schema fallback(boost::json::value v) const;  // documented default for absent query parameters

  Type type() const { return n_->type; }
  const std::vector<std::pair<std::string, Schema>>& properties() const { return n_->properties; }

  // Appends a FieldError for every violation; field paths look like "items[0].quantity".
  void validate(const boost::json::value& v, const std::string& path, std::vector<FieldError>& out) const;
  // Query strings arrive as text: converts "2" to 2 and "true" to true as declared, then validates.
  // Returns the converted object; unknown parameters are dropped.
  boost::json::object coerce_query(const std::vector<std::pair<std::string, std::string>>& query,
                                   std::vector<FieldError>& out) const;
  boost::json::value to_json_schema() const;

 private:
  struct Node {
    Type type = Type::any;
    std::optional<std::size_t> min_length, max_length, min_items, max_items;
    std::optional<double> minimum, maximum;
    std::vector<std::string> enum_values;
    std::string format, description;
    std::optional<boost::json::value> default_value;
    std::vector<std::pair<std::string, Schema>> properties;
    std::vector<std::string> required;
    std::shared_ptr<const Schema> items;
    bool nullable = false;
  };
  explicit Schema(Type t);
  template <class F>
  Schema edit(F f) const {
    Schema copy = *this;
    auto n = std::make_shared<Node>(*n_);
    f(*n);
    copy.n_ = std::move(n);
    return copy;
  }
  std::shared_ptr<const Node> n_;
};

bool is_valid_email(std::string_view s);
bool is_valid_phone(std::string_view s);   // E.164-ish: optional +, 10 to 15 digits
bool is_valid_upi_id(std::string_view s);  // name@bank
bool is_valid_upi_reference(std::string_view s);

}  // namespace tiptop::http
