#pragma once
// The one place where errors become the envelope of spec §3.2.
#include <exception>
#include <string>

#include "core/errors.hpp"
#include "http/response.hpp"

namespace tiptop::http {

Response error_response(const AppError& e, const std::string& request_id);
// Maps whatever is in flight: AppError subclasses by their status and code, anything else to 500
// INTERNAL_ERROR with the request id and no internals (the details go to the log).
Response error_response(std::exception_ptr error, const std::string& request_id);

}  // namespace tiptop::http
