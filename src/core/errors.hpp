#pragma once
// The one error family (spec §5.1). Domain code throws these; http/error_response.cpp is the
// only place that turns them into the envelope of spec §3.2.
#include <stdexcept>
#include <string>
#include <vector>

namespace tiptop {

struct FieldError {
  std::string field;
  std::string message;
};

class AppError : public std::runtime_error {
 public:
  AppError(int status, std::string code, std::string message, std::vector<FieldError> details = {})
      : std::runtime_error(std::move(message)), status_(status), code_(std::move(code)), details_(std::move(details)) {}

  int status() const noexcept { return status_; }
  const std::string& code() const noexcept { return code_; }
  const std::vector<FieldError>& details() const noexcept { return details_; }

 private:
  int status_;
  std::string code_;
  std::vector<FieldError> details_;
};

struct ValidationError : AppError {
  explicit ValidationError(std::string message = "Validation failed", std::vector<FieldError> details = {})
      : AppError(400, "VALIDATION_ERROR", std::move(message), std::move(details)) {}
};

// A request the server cannot even interpret (malformed JSON, too deep, bad framing).
struct BadRequestError : AppError {
  BadRequestError(std::string code, std::string message) : AppError(400, std::move(code), std::move(message)) {}
};

// A business rule refuses the request as it was sent (the restaurant is closed, the order is below
// the minimum, the address is outside the delivery area…): 400 with the rule's own code.
struct RefusedError : AppError {
  RefusedError(std::string code, std::string message, std::vector<FieldError> details = {})
      : AppError(400, std::move(code), std::move(message), std::move(details)) {}
};

// Well-formed, but not processable as sent (an Idempotency-Key reused with another body).
struct UnprocessableError : AppError {
  UnprocessableError(std::string code, std::string message) : AppError(422, std::move(code), std::move(message)) {}
};

struct AuthenticationError : AppError {
  explicit AuthenticationError(std::string message = "Authentication failed", std::string code = "AUTHENTICATION_ERROR")
      : AppError(401, std::move(code), std::move(message)) {}
};

struct AuthorizationError : AppError {
  explicit AuthorizationError(std::string message = "Insufficient permissions")
      : AppError(403, "AUTHORIZATION_ERROR", std::move(message)) {}
};

struct NotFoundError : AppError {
  explicit NotFoundError(const std::string& resource = "Resource")
      : AppError(404, "NOT_FOUND", resource + " not found") {}
};

struct MethodNotAllowedError : AppError {
  explicit MethodNotAllowedError(std::string allow)
      : AppError(405, "METHOD_NOT_ALLOWED", "Method not allowed"), allow(std::move(allow)) {}
  std::string allow;
};

struct ConflictError : AppError {
  explicit ConflictError(std::string message, std::string code = "CONFLICT", std::vector<FieldError> details = {})
      : AppError(409, std::move(code), std::move(message), std::move(details)) {}
};

struct PayloadTooLargeError : AppError {
  explicit PayloadTooLargeError(std::string message = "Request body too large")
      : AppError(413, "PAYLOAD_TOO_LARGE", std::move(message)) {}
};

struct HeadersTooLargeError : AppError {
  HeadersTooLargeError() : AppError(431, "HEADERS_TOO_LARGE", "Request headers exceed 16 KB") {}
};

struct UnsupportedMediaTypeError : AppError {
  explicit UnsupportedMediaTypeError(std::string message = "Content-Type must be application/json")
      : AppError(415, "UNSUPPORTED_MEDIA_TYPE", std::move(message)) {}
};

struct RateLimitError : AppError {
  explicit RateLimitError(long retry_after_seconds, std::string message = "Too many requests, please try again later",
                          std::string code = "RATE_LIMITED")
      : AppError(429, std::move(code), std::move(message)), retry_after(retry_after_seconds) {}
  long retry_after;
};

struct DatabaseError : AppError {
  explicit DatabaseError(std::string message = "Database operation failed", int status = 500)
      : AppError(status, "DATABASE_ERROR", std::move(message)) {}
};

struct ExternalServiceError : AppError {
  ExternalServiceError(const std::string& service, const std::string& message)
      : AppError(503, "SERVICE_ERROR", service + " service error: " + message) {}
};

}  // namespace tiptop
