#pragma once
// tiptop print-agent: drives one registered printer. It claims the server's print jobs (told over
// Socket.IO, polling as a fallback), renders each as ESC/POS, says "printing", writes it to the
// device and acknowledges it. Killed at any moment, it loses nothing: an unacknowledged job's lease
// runs out and the next claim prints it, marked REPRINT if it had reached the paper.
#include <chrono>
#include <string>

namespace tiptop::agent {

struct AgentOptions {
  std::string server;                    // http(s)://host[:port] of the TipTop API
  std::string token;                     // the printer's token (POST /api/v1/admin/printers)
  std::string device;                    // /dev/usb/lp0, a file, or tcp://host:9100
  std::chrono::milliseconds poll{3000};  // how often to ask while the socket is down
};

// Runs until SIGINT or SIGTERM; returns the process exit code.
int run_print_agent(const AgentOptions& options);

}  // namespace tiptop::agent
