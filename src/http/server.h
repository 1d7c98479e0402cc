// The HTTP/1.1 server (Boost.Beast, asynchronous). The only translation unit
// that includes Beast.
//
// Connections are handled on `io_threads` Asio threads; handlers that may
// block (database) run on a separate pool of `worker_threads`, so idle
// keep-alive clients cost no thread and a slow commit never stalls accepts.
// Requests whose body exceeds the limit get a 413 (then the connection
// half-closes and drains briefly, so the client reads the 413 rather than a
// reset); headers are limited too. Chunked bodies count toward the limit
// with their framing, extensions and trailers. A request needs exactly one
// Host field (RFC 9112 §3.2); Transfer-Encoding other than "chunked" gets
// 501. "Expect: 100-continue" is answered once the limits are checked.
//
// Open connections are capped (max_connections): at the cap, the oldest
// connection waiting for a request (never sent one first) is closed so a new
// client is always served. EMFILE on accept backs off instead of spinning.
// The worker queue is bounded (max_queue): beyond it, 503 + Retry-After; a
// queued request whose client has gone is dropped before it runs. An
// exception escaping a handler on an I/O thread is logged, its connection
// closed, and the thread keeps serving.
//
// Stop() stops accepting, lets in-flight requests finish (up to
// drain_timeout, on one strand), then returns from Run(); joining the worker
// pool is bounded by the same timeout.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/message.h"

namespace parcours::http {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  unsigned short port = 8080;  // 0 = pick a free port (see Server::port())
  int io_threads = 2;
  int worker_threads = 64;
  std::size_t api_body_limit = 256 * 1024;  // bodies under /api/
  std::size_t form_body_limit = 64 * 1024;  // other bodies (HTML forms)
  std::size_t header_limit = 16 * 1024;
  std::chrono::seconds read_timeout{30};  // for one request, headers + body
  std::chrono::seconds idle_timeout{60};  // between keep-alive requests
  std::chrono::seconds drain_timeout{20};
  int max_connections = 4096;
  std::size_t max_queue = 2048;                  // requests waiting for a worker
  std::chrono::milliseconds accept_backoff{50};  // after EMFILE / ENFILE
  std::chrono::milliseconds linger{1000};        // draining after a refusal
};

// What the server is doing, for /metrics. Counters count since start.
struct ServerStats {
  int connections = 0;        // open
  int in_flight = 0;          // requests read and not yet answered
  std::size_t queued = 0;     // waiting for a worker
  int running = 0;            // handlers running on the workers
  int workers = 0;            // size of the worker pool
  std::size_t max_queue = 0;  // the bound of the queue
  long long queue_full = 0;   // 503s because the queue was full
  long long departed = 0;     // queued requests dropped: the client had left
  long long evicted = 0;      // idle connections closed at the cap
  long long accept_errors = 0;
};

// Decides where a request runs. `answer_inline` runs first, on the I/O
// thread, and must not block: it answers what needs no database (static
// files, metrics, refusals that cost nothing) or returns nullopt, and the
// request then waits for `handle` on the worker pool (bounded queue).
struct Handlers {
  std::function<std::optional<Response>(Request&)> answer_inline;
  std::function<Response(Request&)> handle;
  // Called for every response after it is sent (logs, metrics).
  std::function<void(const Request&, const Response&, double seconds)> on_done;
  // Builds the response for a request refused by the server itself
  // (413, 400 on malformed HTTP, 503 while draining).
  std::function<Response(const Request&, int status)> refusal;
};

class Server {
 public:
  Server(ServerOptions options, Handlers handlers);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; returns an error message or empty on success.
  std::string Listen();
  // Bound port (after Listen).
  unsigned short port() const;
  // Runs until Stop() and the drain complete. Call from one thread.
  void Run();
  // Thread- and signal-safe to call from any thread.
  void Stop();
  // Installs SIGTERM/SIGINT handling that calls Stop().
  void StopOnSignals();

  // Thread-safe; each field is read on its own (not one snapshot).
  ServerStats Stats() const;
  // True when Run() returned with handlers still running past the drain
  // timeout; the destructor would wait for them: the caller should exit.
  bool workers_abandoned() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parcours::http
