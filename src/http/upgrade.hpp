#pragma once
// A connection that asked to become a WebSocket, handed by the HTTP server to whoever mounted
// the path (the Engine.IO server). Only transport code includes this: it carries Beast types.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/request.hpp"

namespace tiptop::http {

struct Upgrade {
  boost::beast::tcp_stream& stream;   // moved from by the taker
  boost::beast::flat_buffer& buffer;  // bytes read past the request header
  boost::beast::http::request<boost::beast::http::string_body>& head;
};

}  // namespace tiptop::http
