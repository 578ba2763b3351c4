#pragma once
// The one place where errors become the envelope of spec §3.2.
#include <exception>
#include <string>

#include <boost/json/object.hpp>

#include "core/errors.hpp"
#include "http/response.hpp"

namespace tiptop::http {

// An error as any client is told it, over HTTP or in a Socket.IO acknowledgement: the status and
// {code, message, details?, timestamp, requestId}. AppErrors keep their words, except a database
// failure's (they name tables and constraints: logged, never sent); anything else is a 500
// INTERNAL_ERROR whose details go only to the log.
struct PublicError {
  int status = 500;
  boost::json::object error;
};
PublicError describe(std::exception_ptr error, const std::string& request_id);

Response error_response(const AppError& e, const std::string& request_id);
// Maps whatever is in flight: AppError subclasses by their status and code, anything else to 500
// INTERNAL_ERROR with the request id and no internals (the details go to the log).
Response error_response(std::exception_ptr error, const std::string& request_id);

}  // namespace tiptop::http
