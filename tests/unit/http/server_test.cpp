// The server itself, over real sockets: an exception escaping a handler on
// an I/O thread closes that connection and the server keeps serving; the
// drain after Stop() returns within the drain timeout even when a handler
// is stuck.
#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

namespace parcours::http {
namespace {

// Sends `text` to 127.0.0.1:port and returns what comes back until the
// server closes (or 3 s pass).
std::string Exchange(unsigned short port, const std::string& text) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "connect failed";
  }
  timeval tv{3, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  (void)::send(fd, text.data(), text.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

Handlers TestHandlers(std::atomic<bool>* stuck_release = nullptr) {
  Handlers h;
  std::function<Response(Request&)> handle = [stuck_release](Request& r) -> Response {
    if (r.path == "/boom") throw std::runtime_error("handler bug");
    if (r.path == "/stuck") {
      while (stuck_release != nullptr && !*stuck_release) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    Response resp;
    resp.body = "fine";
    return resp;
  };
  h.answer_inline = [handle](Request& r) -> std::optional<Response> {
    if (r.path == "/boom" || r.path == "/ok") return handle(r);
    return std::nullopt;
  };
  h.handle = handle;
  return h;
}

TEST(ServerTest, ExceptionOnAnIoThreadClosesTheConnectionAndTheServerGoesOn) {
  ServerOptions o;
  o.port = 0;
  o.io_threads = 1;
  o.worker_threads = 1;
  Server server(o, TestHandlers());
  ASSERT_EQ(server.Listen(), "");
  const unsigned short port = server.port();
  std::thread run([&] { server.Run(); });
  const std::string boom = Exchange(port, "GET /boom HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(boom, "") << "connection closed without an answer";
  const std::string ok = Exchange(port, "GET /ok HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  EXPECT_NE(ok.find("200 OK"), std::string::npos) << ok;
  EXPECT_NE(ok.find("fine"), std::string::npos);
  server.Stop();
  run.join();
}

TEST(ServerTest, StopReturnsWithinTheDrainTimeoutWhenAHandlerIsStuck) {
  std::atomic<bool> release{false};
  ServerOptions o;
  o.port = 0;
  o.io_threads = 1;
  o.worker_threads = 1;
  o.drain_timeout = std::chrono::seconds(1);
  {
    Server server(o, TestHandlers(&release));
    ASSERT_EQ(server.Listen(), "");
    const unsigned short port = server.port();
    std::thread run([&] { server.Run(); });
    std::thread client([&] { (void)Exchange(port, "GET /stuck HTTP/1.1\r\nHost: a\r\n\r\n"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto t0 = std::chrono::steady_clock::now();
    server.Stop();
    run.join();
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_LT(secs, 2.5) << "Run() waited for the stuck handler";
    release = true;  // let the stuck worker finish before the server goes
    client.join();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace
}  // namespace parcours::http
