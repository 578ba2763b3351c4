#pragma once
// The print agent's ear: a Socket.IO client (Engine.IO 4 over WebSocket) authenticated by the
// printer's token, joined to the server's "printers" room, calling wake() on each print:job. It
// reconnects by itself; while it is down the agent simply polls more often. Plain http:// only
// (an https server is polled).
#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace tiptop::agent {

class JobListener {
 public:
  JobListener(std::string host, std::string port, std::string token, std::function<void()> wake);
  ~JobListener();
  void start();
  bool connected() const { return connected_.load(); }

 private:
  void run();
  void listen_once();

  std::string host_, port_, token_;
  std::function<void()> wake_;
  std::atomic<bool> stop_{false}, connected_{false};
  std::thread thread_;
};

}  // namespace tiptop::agent
