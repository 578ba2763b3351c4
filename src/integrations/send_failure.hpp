#pragma once
// How a provider refused or failed a message, so the outbox knows what to do next.
#include <stdexcept>
#include <string>

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

}  // namespace tiptop::integrations
