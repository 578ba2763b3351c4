#pragma once
// Beast's parsed request head turned into our Request: the one place that does it, used by the
// server and by the HTTP fuzz target (tests/fuzz/http_request.cpp). Transport code only: Beast types.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/request.hpp"

namespace tiptop::http {

// Method, target, lower-cased header names, decoded path and query. False when the target is not
// origin-form (the request is then a 400); the body is left to the caller.
bool read_head(const boost::beast::http::request<boost::beast::http::string_body>& head, Request& req);

}  // namespace tiptop::http
