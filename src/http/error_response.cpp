#include "http/error_response.hpp"

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/log.hpp"

namespace tiptop::http {
namespace {

boost::json::object error_object(const std::string& code, const std::string& message,
                                 const std::vector<FieldError>& details, const std::string& request_id) {
  boost::json::object error{{"code", code}, {"message", message}};
  if (!details.empty()) {
    boost::json::array d;
    for (const auto& f : details) d.push_back(boost::json::object{{"field", f.field}, {"message", f.message}});
    error["details"] = std::move(d);
  }
  error["timestamp"] = clock::to_iso8601(clock::now_ms());
  error["requestId"] = request_id;
  return error;
}

PublicError describe(const AppError& e, const std::string& request_id) {
  std::string message = e.what();
  if (e.code() == "DATABASE_ERROR") {
    // Driver messages name tables and constraints: log them, never send them.
    log::error("database error", {{"requestId", request_id}, {"error", e.what()}});
    message = e.status() == 503 ? "Database is temporarily unavailable, try again" : "Database operation failed";
  }
  return {e.status(), error_object(e.code(), message, e.details(), request_id)};
}

Response envelope(PublicError e) {
  Response r;
  r.status = e.status;
  r.body = json::serialize(boost::json::object{{"success", false}, {"error", std::move(e.error)}});
  return r;
}

}  // namespace

PublicError describe(std::exception_ptr error, const std::string& request_id) {
  try {
    std::rethrow_exception(error);
  } catch (const AppError& e) {
    return describe(e, request_id);
  } catch (const std::exception& e) {
    log::error("unhandled exception", {{"requestId", request_id}, {"error", e.what()}});
  } catch (...) {
    log::error("unhandled non-standard exception", {{"requestId", request_id}});
  }
  return {500, error_object("INTERNAL_ERROR", "An unexpected error occurred", {}, request_id)};
}

Response error_response(const AppError& e, const std::string& request_id) {
  Response r = envelope(describe(e, request_id));
  if (auto* m = dynamic_cast<const MethodNotAllowedError*>(&e)) r.set_header("Allow", m->allow);
  if (auto* rl = dynamic_cast<const RateLimitError*>(&e)) r.set_header("Retry-After", std::to_string(rl->retry_after));
  if (e.status() == 413 || e.status() == 431) r.close = true;
  return r;
}

Response error_response(std::exception_ptr error, const std::string& request_id) {
  try {
    std::rethrow_exception(error);
  } catch (const AppError& e) {
    return error_response(e, request_id);
  } catch (...) {
    return envelope(describe(std::current_exception(), request_id));
  }
}

}  // namespace tiptop::http
