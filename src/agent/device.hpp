#pragma once
// Where a print agent's bytes go: a character device (/dev/usb/lp0), a file (tests, or a spool),
// or a network printer's raw port (tcp://host:9100).
#include <string>

namespace tiptop::agent {

// Writes all of `bytes` and, for a file, makes them durable before returning; throws
// std::runtime_error naming the device when it cannot.
void write_to_device(const std::string& device, const std::string& bytes);

}  // namespace tiptop::agent
