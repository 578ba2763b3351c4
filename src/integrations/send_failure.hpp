#pragma once
// How a provider refused or failed a message, so the outbox knows what to do next.
#include <stdexcept>
#include <string>

#include "integrations/http_client.hpp"

namespace tiptop::integrations {

struct SendFailure : std::runtime_error {
  enum class Kind {
    retry,         // may succeed later: network, timeout, 429, 5xx, a 4xx SMTP reply
    permanent,     // will never succeed: bad address, refused content
    unregistered,  // push only: the device token is gone; forget it
  };
  SendFailure(Kind k, const std::string& what) : std::runtime_error(what), kind(k) {}
  Kind kind;
};

// A call to a provider's HTTP API: a transport failure (no connection, a timeout) is worth a retry.
inline HttpReply call_provider(const HttpCall& call, const std::string& provider) {
  try {
    return http_send(call);
  } catch (const TransportError& e) {
    throw SendFailure(SendFailure::Kind::retry, provider + ": " + e.what());
  }
}

}  // namespace tiptop::integrations
