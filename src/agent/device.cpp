#include "agent/device.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace tiptop::agent {
namespace {

void write_tcp(const std::string& target, const std::string& bytes) {
  const auto colon = target.rfind(':');
  const std::string host = colon == std::string::npos ? target : target.substr(0, colon);
  const std::string port = colon == std::string::npos ? "9100" : target.substr(colon + 1);
  boost::asio::io_context io;
  boost::asio::ip::tcp::resolver resolver(io);
  boost::asio::ip::tcp::socket socket(io);
  boost::asio::connect(socket, resolver.resolve(host, port));
  boost::asio::write(socket, boost::asio::buffer(bytes));
  socket.shutdown(boost::asio::ip::tcp::socket::shutdown_send);
}

void write_file(const std::string& path, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error(path + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      throw std::runtime_error(path + ": " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  struct stat st {};
  // A file is durable before the job is acknowledged; a printer's device has no such notion.
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) ::fsync(fd);
  ::close(fd);
}

}  // namespace

void write_to_device(const std::string& device, const std::string& bytes) {
  if (device.starts_with("tcp://")) return write_tcp(device.substr(6), bytes);
  write_file(device, bytes);
}

}  // namespace tiptop::agent
