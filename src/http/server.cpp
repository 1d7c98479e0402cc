#include "http/server.h"

#include <sys/sendfile.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <deque>
#include <list>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "core/log.h"
#include "core/thread_annotations.h"

namespace parcours::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Bodies sent with sendfile(2) rather than copied: up to one pipe buffer
// (16 pages), which sendfile moves in one step. Measured on 2 cores
// (docs/performance.md): the 52 KB gzip CSS goes from ~20k to ~59k req/s,
// while the 420 KB uncompressed CSS fell from ~8.5k to ~4k, so larger
// bodies keep the copying path.
constexpr std::size_t kSendfileMaxBytes = 64 * 1024;

// A connection's buffer never grows past this: chunk-size lines, chunk
// extensions and trailers must fit (a longer one is a 413), as headers must
// fit header_limit.
constexpr std::size_t kBufferSlack = 16 * 1024;

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string MakeRequestIdPrefix() {
  std::random_device rd;
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", rd());
  return buf;
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, Handlers hs)
      : opt(std::move(o)),
        h(std::move(hs)),
        id_prefix(MakeRequestIdPrefix()),
        ioc(opt.io_threads),
        control(net::make_strand(ioc)),
        acceptor(control),
        workers(static_cast<std::size_t>(opt.worker_threads)),
        signals(control),
        drain_timer(control),
        accept_timer(control) {}

  class Session;

  // Declared before the io_context: sessions destroyed with its pending
  // handlers still touch these counters.
  ServerOptions opt;
  Handlers h;
  std::string id_prefix;
  std::atomic<std::uint64_t> next_id{1};
  std::atomic<bool> stopping{false};
  std::atomic<int> connections{0};
  std::atomic<int> in_flight{0};
  std::atomic<std::size_t> queued{0};  // requests posted to the workers, not yet started
  std::atomic<long long> evicted{0};
  std::atomic<long long> accept_errors{0};
  std::atomic<long long> queue_full{0};
  std::atomic<long long> departed{0};
  std::atomic<bool> workers_abandoned{false};
  std::atomic<int> running_handlers{0};                  // on the worker pool, started
  std::chrono::steady_clock::time_point drain_deadline;  // set on the control strand
  core::Mutex sessions_mu;
  std::list<std::weak_ptr<Session>> sessions GUARDED_BY(sessions_mu);

  net::io_context ioc;
  // Accepting, stopping and the drain run on this one strand.
  net::strand<net::io_context::executor_type> control;
  tcp::acceptor acceptor;
  net::thread_pool workers;
  net::signal_set signals;
  net::steady_timer drain_timer;
  net::steady_timer accept_timer;

  void Accept();
  void OnAccepted(tcp::socket socket);
  void MakeRoom();
  void BeginStop();
  void CheckDrained();
  void RunIoThread();
};

class Server::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Impl& impl, tcp::socket socket)
      : impl_(impl),
        stream_(std::move(socket)),
        send_timer_(stream_.get_executor()),
        buffer_(impl.opt.header_limit + kBufferSlack) {
    ++impl_.connections;
    boost::system::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
  }
  ~Session() {
    // A session dropped mid-request (an exception unwound its handler) must
    // not hold the drain open.
    if (counted_) --impl_.in_flight;
    --impl_.connections;
  }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  // Closes the connection if it is between requests (called on Stop).
  void CloseIfIdle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) self->Close();
    });
  }

  // True while the connection waits for a request's header (idle keep-alive,
  // new, or a client sending its header slowly). Any thread.
  bool waiting() const { return waiting_.load(std::memory_order_relaxed); }
  // True once a complete request header has arrived on this connection.
  bool served() const { return served_.load(std::memory_order_relaxed); }

  // Closes the connection to make room at the cap, if it still waits for a
  // request when its strand runs this.
  void Evict() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->waiting_ || self->closed_) return;
      ++self->impl_.evicted;
      self->Close();
    });
  }

 private:
  void ReadHeader() {
    if (impl_.stopping) return Close();
    waiting_ = true;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(impl_.opt.header_limit));
    // The body limit depends on the target: set once the header is read.
    parser_->body_limit(boost::none);
    stream_.expires_after(first_ ? impl_.opt.read_timeout : impl_.opt.idle_timeout);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    first_ = false;
    waiting_ = false;
    if (ec) {
      if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
        return Refuse(431);
      }
      if (ec == bhttp::error::body_limit) return Refuse(413);
      if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
          ec == net::error::operation_aborted || ec == net::error::connection_reset ||
          ec == net::error::eof || ec == net::error::bad_descriptor) {
        return Close();
      }
      return Refuse(400);
    }
    served_ = true;
    busy_ = true;
    started_ = std::chrono::steady_clock::now();
    ++impl_.in_flight;
    counted_ = true;
    const auto& hdr = parser_->get();
    // RFC 9112 §3.2: exactly one Host field.
    if (hdr.count(bhttp::field::host) != 1) return Refuse(400);
    // Only "chunked" is a transfer coding we decode; with Content-Length
    // beside it the framing is ambiguous (request smuggling).
    if (hdr.count(bhttp::field::transfer_encoding) > 0) {
      if (hdr.count(bhttp::field::transfer_encoding) != 1 ||
          !IEquals(TrimOws(hdr[bhttp::field::transfer_encoding]), "chunked")) {
        return Refuse(501);
      }
      if (hdr.count(bhttp::field::content_length) > 0) return Refuse(400);
    }
    bool api = hdr.target().starts_with("/api/");
    limit_ = api ? impl_.opt.api_body_limit : impl_.opt.form_body_limit;
    parser_->body_limit(limit_);
    if (auto cl = parser_->content_length(); cl && *cl > limit_) return Refuse(413);
    body_wire_bytes_ = 0;
    stream_.expires_after(impl_.opt.read_timeout);
    auto expect = hdr[bhttp::field::expect];
    if (!expect.empty()) {
      if (!IEquals(TrimOws(expect), "100-continue")) return Refuse(417);
      if (!parser_->is_done()) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                         [self = shared_from_this()](beast::error_code ec2, std::size_t) {
                           if (ec2) return self->Finish(/*close=*/true);
                           self->ReadBody();
                         });
        return;
      }
    }
    ReadBody();
  }

  // Reads the body piece by piece, counting every byte the parser consumes
  // (chunk-size lines, extensions, trailers included) against the limit.
  void ReadBody() {
    if (parser_->is_done()) return OnBody({});
    bhttp::async_read_some(stream_, buffer_, *parser_,
                           [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                             if (ec) return self->OnBody(ec);
                             self->body_wire_bytes_ += n;
                             if (self->body_wire_bytes_ > self->limit_ + kBufferSlack) {
                               return self->Refuse(413);
                             }
                             self->ReadBody();
                           });
  }

  void OnBody(beast::error_code ec) {
    if (ec) {
      if (ec == bhttp::error::body_limit || ec == bhttp::error::buffer_overflow) {
        return Refuse(413);
      }
      if (ec == beast::error::timeout || ec == net::error::operation_aborted ||
          ec == bhttp::error::end_of_stream || ec == net::error::eof ||
          ec == net::error::connection_reset) {
        return Finish(/*close=*/true);
      }
      return Refuse(400);
    }
    auto req = std::make_shared<Request>();
    if (!BuildRequest(*req)) return Refuse(400);
    keep_alive_ = parser_->get().keep_alive();
    if (impl_.h.answer_inline) {
      if (std::optional<Response> resp = impl_.h.answer_inline(*req)) {
        return Write(req, std::move(*resp));
      }
    }
    if (impl_.queued.fetch_add(1) >= impl_.opt.max_queue) {
      --impl_.queued;
      ++impl_.queue_full;
      return Refuse(503, req);
    }
    net::post(impl_.workers, [self = shared_from_this(), req]() mutable {
      --self->impl_.queued;
      if (self->ClientGone()) {
        // Nobody will read the answer: do not run it (it may write).
        ++self->impl_.departed;
        net::post(self->stream_.get_executor(), [self] { self->Finish(/*close=*/true); });
        return;
      }
      ++self->impl_.running_handlers;
      Response resp = self->impl_.h.handle(*req);
      --self->impl_.running_handlers;
      net::post(self->stream_.get_executor(), [self, req, resp = std::move(resp)]() mutable {
        self->Write(req, std::move(resp));
      });
    });
  }

  // The client closed or reset its end while the request waited for a
  // worker. Runs on a worker thread while the session is busy: no operation
  // is pending on the socket, so peeking at it races with nothing.
  bool ClientGone() {
    if (buffer_.size() > 0) return false;  // pipelined bytes: still there
    char c;
    const ssize_t n =
        ::recv(stream_.socket().native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n == 0) return true;
    return n < 0 && (errno == ECONNRESET || errno == EPIPE || errno == ENOTCONN);
  }

  bool BuildRequest(Request& r) {
    auto& m = parser_->get();
    r.method = std::string(m.method_string());
    r.target = std::string(m.target());
    auto parsed = boost::urls::parse_origin_form(r.target);
    if (!parsed) return false;
    r.path = parsed->path();
    if (r.path.empty()) r.path = "/";
    r.query = std::string(parsed->encoded_query());
    r.headers.reserve(16);
    for (const auto& f : m) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    r.body = std::move(m.body());
    r.remote_address = remote_;
    r.request_id = impl_.id_prefix + "-" + std::to_string(impl_.next_id++);
    return true;
  }

  void Refuse(int status, std::shared_ptr<Request> req = nullptr) {
    if (!req) {
      req = std::make_shared<Request>();
      if (parser_ && parser_->is_header_done()) {
        req->method = std::string(parser_->get().method_string());
        req->target = std::string(parser_->get().target());
        auto sp = req->target.find('?');
        req->path = req->target.substr(0, sp);
        for (const auto& f : parser_->get()) {
          if (f.name() == bhttp::field::accept_language) {
            req->headers.emplace_back("accept-language", std::string(f.value()));
          }
        }
      }
      req->remote_address = remote_;
      req->request_id = impl_.id_prefix + "-" + std::to_string(impl_.next_id++);
    }
    req->route = "(refused)";
    if (!counted_) {
      ++impl_.in_flight;
      counted_ = true;
      started_ = std::chrono::steady_clock::now();
    }
    busy_ = true;
    Response resp = impl_.h.refusal ? impl_.h.refusal(*req, status) : Response{status};
    if (status == 503 && !resp.HasHeader("Retry-After")) resp.SetHeader("Retry-After", "1");
    // The request's body may be unread: answer, then half-close and drain
    // (Linger) so the client reads the answer instead of a reset.
    resp.close_connection = true;
    keep_alive_ = false;
    linger_ = true;
    Write(req, std::move(resp));
  }

  void Write(const std::shared_ptr<Request>& req, Response resp) {
    auto out = std::make_shared<Response>(std::move(resp));
    if (out->stream && req->method != "HEAD" && !impl_.stopping) return WriteStream(req, out);
    if (out->file.fd >= 0 && out->file.length <= kSendfileMaxBytes && req->method != "HEAD") {
      return WriteFile(req, out);
    }
    auto msg = std::make_shared<bhttp::response<bhttp::span_body<const char>>>();
    msg->result(static_cast<unsigned>(out->status));
    msg->version(11);
    msg->set(bhttp::field::server, "parcours");
    msg->set(bhttp::field::content_type, out->content_type);
    for (const auto& [k, v] : out->headers) msg->insert(k, v);
    const std::string& body = out->shared_body ? *out->shared_body : out->body;
    if (req->method == "HEAD") {
      msg->body() = {};
      msg->content_length(body.size());
    } else {
      msg->body() = boost::span<const char>(body.data(), body.size());
      msg->prepare_payload();
    }
    bool close = out->close_connection || !keep_alive_ || impl_.stopping;
    msg->keep_alive(!close);
    stream_.expires_after(impl_.opt.read_timeout);
    bhttp::async_write(
        stream_, *msg,
        [self = shared_from_this(), msg, out, req, close](beast::error_code ec, std::size_t) {
          self->OnWritten(ec, *req, *out, close);
        });
  }

  // The header of a response whose body is sent apart (a file, a stream):
  // status, server, content type and the response's headers.
  static bhttp::response<bhttp::empty_body> HeaderOf(const Response& out) {
    bhttp::response<bhttp::empty_body> msg;
    msg.result(static_cast<unsigned>(out.status));
    msg.version(11);
    msg.set(bhttp::field::server, "parcours");
    msg.set(bhttp::field::content_type, out.content_type);
    for (const auto& [k, v] : out.headers) msg.insert(k, v);
    return msg;
  }

  // Sends the header, then the body straight from the file with sendfile(2)
  // (no copy through the program: static assets). The header goes with
  // MSG_MORE so that it leaves in the same segment as the start of the body.
  void WriteFile(const std::shared_ptr<Request>& req, const std::shared_ptr<Response>& out) {
    bhttp::response<bhttp::empty_body> msg = HeaderOf(*out);
    msg.content_length(out->file.length);
    bool close = out->close_connection || !keep_alive_ || impl_.stopping;
    msg.keep_alive(!close);
    std::ostringstream head;
    head << msg.base();
    send_ = {req,
             out,
             head.str(),
             0,
             static_cast<off_t>(out->file.offset),
             out->file.length,
             close,
             ++send_generation_};
    if (!native_non_blocking_) {  // once per connection (it costs an ioctl)
      boost::system::error_code ec;
      stream_.socket().native_non_blocking(true, ec);
      if (ec) return OnWritten(ec, *req, *out, true);
      native_non_blocking_ = true;
    }
    send_timer_.expires_after(impl_.opt.read_timeout);
    send_timer_.async_wait(
        [weak = weak_from_this(), gen = send_.generation](beast::error_code tec) {
          auto self = weak.lock();
          // A timer that fired as its send ended must not cancel the next one.
          if (tec || !self || !self->send_.out || self->send_.generation != gen) return;
          boost::system::error_code ignored;
          self->stream_.socket().cancel(ignored);  // the pending wait ends with an error
        });
    SendFileStep();
  }

  void SendFileStep() {
    const int sock = stream_.socket().native_handle();
    for (;;) {
      ssize_t n = 0;
      if (send_.head_sent < send_.head.size()) {
        n = ::send(sock, send_.head.data() + send_.head_sent, send_.head.size() - send_.head_sent,
                   MSG_NOSIGNAL | MSG_MORE);
        if (n > 0) send_.head_sent += static_cast<std::size_t>(n);
      } else if (send_.left > 0) {
        n = ::sendfile(sock, send_.out->file.fd, &send_.offset, send_.left);
        if (n > 0) send_.left -= static_cast<std::size_t>(n);
        if (n == 0) errno = EIO;  // the file is shorter than announced
      } else {
        return EndSendFile({});
      }
      if (n > 0) continue;
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        stream_.socket().async_wait(tcp::socket::wait_write,
                                    [self = shared_from_this()](beast::error_code ec) {
                                      if (ec) return self->EndSendFile(ec);
                                      self->SendFileStep();
                                    });
        return;
      }
      return EndSendFile(beast::error_code(errno, boost::system::system_category()));
    }
  }

  void EndSendFile(beast::error_code ec) {
    send_timer_.cancel();
    SendState done = std::move(send_);
    send_ = {};
    OnWritten(ec, *done.req, *done.out, done.close);
  }

  void OnWritten(beast::error_code ec, const Request& req, const Response& resp, bool close) {
    double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    if (impl_.h.on_done) impl_.h.on_done(req, resp, secs);
    if (linger_ && !ec.failed()) {
      Finish(/*close=*/false, /*linger=*/true);
      return;
    }
    Finish(close || ec.failed());
  }

  void Finish(bool close, bool linger = false) {
    if (counted_) {
      --impl_.in_flight;
      counted_ = false;
    }
    busy_ = false;
    if (linger) return Linger();
    if (close || impl_.stopping) return Close();
    ReadHeader();
  }

  // A streamed response (server-sent events): the header without a length,
  // then whatever the sink is given, written asynchronously from a bounded
  // queue on this strand. The connection no longer counts as in flight and
  // is not busy, so a drain does not wait for it and Stop() closes it; it
  // still counts toward max_connections (it is an open connection) but is
  // never evicted (it does not wait for a request). A read watches for the
  // client going away.
  class Sink : public StreamSink {
   public:
    explicit Sink(std::weak_ptr<Session> s) : session_(std::move(s)) {}
    bool Send(std::string bytes) override {
      auto s = session_.lock();
      if (!s || s->stream_closed_) return false;
      net::post(s->stream_.get_executor(),
                [s, b = std::move(bytes)]() mutable { s->StreamPush(std::move(b)); });
      return true;
    }
    bool open() const override {
      auto s = session_.lock();
      return s && !s->stream_closed_;
    }
    void Close() override {
      if (auto s = session_.lock()) {
        net::post(s->stream_.get_executor(), [s] { s->Close(); });
      }
    }

   private:
    std::weak_ptr<Session> session_;
  };

  void WriteStream(const std::shared_ptr<Request>& req, const std::shared_ptr<Response>& out) {
    bhttp::response<bhttp::empty_body> msg = HeaderOf(*out);
    msg.keep_alive(false);  // the body ends with the connection
    std::ostringstream head;
    head << msg.base();
    keep_alive_ = false;
    busy_ = false;
    if (counted_) {
      --impl_.in_flight;
      counted_ = false;
    }
    stream_.expires_never();
    StreamPush(head.str());
    double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    if (impl_.h.on_done) impl_.h.on_done(*req, *out, secs);
    WatchStreamClient();
    out->stream(std::make_shared<Sink>(weak_from_this()));
  }

  void StreamPush(std::string bytes) {
    if (closed_) return;
    stream_queued_ += bytes.size();
    if (stream_queued_ > kMaxStreamQueue) return Close();  // a client that does not read
    stream_queue_.push_back(std::move(bytes));
    if (!stream_writing_) StreamWriteNext();
  }

  void StreamWriteNext() {
    if (closed_ || stream_queue_.empty()) {
      stream_writing_ = false;
      return;
    }
    stream_writing_ = true;
    net::async_write(stream_.socket(), net::buffer(stream_queue_.front()),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return self->Close();
                       self->stream_queued_ -= self->stream_queue_.front().size();
                       self->stream_queue_.pop_front();
                       self->StreamWriteNext();
                     });
  }

  // The client sends nothing on a stream: any read completion (end of
  // stream, reset, or bytes it should not send) closes it.
  void WatchStreamClient() {
    stream_.socket().async_read_some(
        net::buffer(drain_),
        [self = shared_from_this()](beast::error_code, std::size_t) { self->Close(); });
  }

  // After a refusal: no more writes (FIN), then read and discard what the
  // client still sends, for at most opt.linger, so that closing with unread
  // bytes does not make the kernel answer with a reset before the client
  // has read the refusal.
  void Linger() {
    boost::system::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    buffer_.clear();
    linger_deadline_ = std::chrono::steady_clock::now() + impl_.opt.linger;
    DrainStep();
  }

  void DrainStep() {
    auto left = linger_deadline_ - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return Close();
    stream_.expires_after(left);
    stream_.async_read_some(net::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->Close();
                              self->DrainStep();
                            });
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    stream_closed_ = true;
    waiting_ = false;
    boost::system::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
    if (impl_.stopping) net::post(impl_.control, [&impl = impl_] { impl.CheckDrained(); });
  }

  // A response being sent from a file (WriteFile).
  struct SendState {
    std::shared_ptr<Request> req;
    std::shared_ptr<Response> out;
    std::string head;
    std::size_t head_sent = 0;
    off_t offset = 0;
    std::size_t left = 0;
    bool close = false;
    std::uint64_t generation = 0;
  };

  Impl& impl_;
  beast::tcp_stream stream_;
  net::steady_timer send_timer_;  // bounds a WriteFile like read_timeout bounds a write
  SendState send_;
  std::uint64_t send_generation_ = 0;
  bool native_non_blocking_ = false;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string remote_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point linger_deadline_;
  std::array<char, 4096> drain_{};
  std::size_t limit_ = 0;
  std::size_t body_wire_bytes_ = 0;
  std::atomic<bool> waiting_{false};
  std::atomic<bool> served_{false};
  bool first_ = true;
  bool busy_ = false;
  bool counted_ = false;
  bool keep_alive_ = true;
  bool linger_ = false;
  bool closed_ = false;
  // Streamed responses (WriteStream).
  static constexpr std::size_t kMaxStreamQueue = 1 << 20;
  bool stream_writing_ = false;
  std::size_t stream_queued_ = 0;
  std::deque<std::string> stream_queue_;
  std::atomic<bool> stream_closed_{false};
};

void Server::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || stopping) return;
      ++accept_errors;
      if (ec == net::error::no_descriptors || ec.value() == ENFILE || ec.value() == ENOBUFS ||
          ec.value() == ENOMEM) {
        // Out of file descriptors: accepting again at once would spin (the
        // pending connection stays in the backlog). Make room and wait.
        log::Warn("accept failed, backing off", {{"error", std::string_view(ec.message())}});
        MakeRoom();
        accept_timer.expires_after(opt.accept_backoff);
        accept_timer.async_wait([this](beast::error_code tec) {
          if (!tec && !stopping) Accept();
        });
        return;
      }
      return Accept();  // ECONNABORTED and such: the next one is fine
    }
    if (stopping) return;
    OnAccepted(std::move(socket));
    Accept();
  });
}

void Server::Impl::OnAccepted(tcp::socket socket) {
  auto session = std::make_shared<Session>(*this, std::move(socket));
  {
    core::MutexLock lock(sessions_mu);
    for (auto it = sessions.begin(); it != sessions.end();) {
      it = it->expired() ? sessions.erase(it) : std::next(it);
    }
    sessions.push_back(session);
  }
  if (connections > opt.max_connections) MakeRoom();
  session->Start();
}

// Closes the oldest connection waiting for its first request (a slowloris or
// an idle client), else the oldest idle keep-alive connection.
void Server::Impl::MakeRoom() {
  std::shared_ptr<Session> victim;
  core::MutexLock lock(sessions_mu);
  for (const auto& w : sessions) {
    auto s = w.lock();
    if (s && s->waiting() && !s->served()) {
      victim = s;
      break;
    }
  }
  if (!victim) {
    for (const auto& w : sessions) {
      auto s = w.lock();
      if (s && s->waiting()) {
        victim = s;
        break;
      }
    }
  }
  if (victim) victim->Evict();
}

void Server::Impl::BeginStop() {
  if (stopping.exchange(true)) return;
  drain_deadline = std::chrono::steady_clock::now() + opt.drain_timeout;
  boost::system::error_code ec;
  acceptor.close(ec);
  accept_timer.cancel();
  {
    core::MutexLock lock(sessions_mu);
    for (auto& w : sessions) {
      if (auto s = w.lock()) s->CloseIfIdle();
    }
  }
  CheckDrained();
}

// Runs on the control strand only, so the drain timer is armed by one
// thread at a time.
void Server::Impl::CheckDrained() {
  if (!stopping) return;
  if (in_flight == 0 || std::chrono::steady_clock::now() >= drain_deadline) {
    // Sessions still open here are idle or past the deadline.
    ioc.stop();
    return;
  }
  drain_timer.expires_after(std::chrono::milliseconds(20));
  drain_timer.async_wait([this](beast::error_code ec) {
    if (!ec) CheckDrained();
  });
}

// An exception escaping a handler is logged; the handler's session (and its
// connection) died with the unwinding; the thread goes back to serving.
void Server::Impl::RunIoThread() {
  for (;;) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& e) {
      log::Error("exception on an I/O thread; connection closed",
                 {{"error", std::string_view(e.what())}});
    } catch (...) {
      log::Error("exception on an I/O thread; connection closed", {});
    }
  }
}

Server::Server(ServerOptions options, Handlers handlers)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handlers))) {
  // sendfile(2) has no MSG_NOSIGNAL: a client gone mid-response must give
  // EPIPE, not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
}

Server::~Server() {
  impl_->ioc.stop();
  impl_->workers.join();
}

std::string Server::Listen() {
  boost::system::error_code ec;
  auto address = net::ip::make_address(impl_->opt.bind, ec);
  if (ec) return "invalid bind address '" + impl_->opt.bind + "'";
  tcp::endpoint ep(address, impl_->opt.port);
  impl_->acceptor.open(ep.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(ep, ec);
  if (!ec) impl_->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return "cannot listen on " + impl_->opt.bind + ":" + std::to_string(impl_->opt.port) + ": " +
           ec.message();
  }
  net::post(impl_->control, [this] { impl_->Accept(); });
  return {};
}

unsigned short Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::Run() {
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->opt.io_threads; ++i) {
    threads.emplace_back([this] { impl_->RunIoThread(); });
  }
  impl_->RunIoThread();
  for (auto& t : threads) t.join();
  // Handlers still running get what is left of the drain timeout; queued
  // ones are dropped (their connections are gone with the I/O threads).
  impl_->workers.stop();
  const auto now = std::chrono::steady_clock::now();
  const auto deadline =
      std::max(impl_->stopping ? impl_->drain_deadline : now, now + std::chrono::milliseconds(100));
  while (impl_->running_handlers > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (impl_->running_handlers > 0) {
    log::Warn("worker threads still busy after the drain timeout; leaving them", {});
    impl_->workers_abandoned = true;
    return;
  }
  impl_->workers.join();
}

void Server::Stop() {
  net::post(impl_->control, [this] { impl_->BeginStop(); });
}

void Server::StopOnSignals() {
  impl_->signals.add(SIGTERM);
  impl_->signals.add(SIGINT);
  impl_->signals.async_wait([this](beast::error_code ec, int) {
    if (!ec) impl_->BeginStop();
  });
}

ServerStats Server::Stats() const {
  ServerStats s;
  s.connections = impl_->connections;
  s.in_flight = impl_->in_flight;
  s.queued = impl_->queued;
  s.running = impl_->running_handlers;
  s.workers = impl_->opt.worker_threads;
  s.max_queue = impl_->opt.max_queue;
  s.queue_full = impl_->queue_full;
  s.departed = impl_->departed;
  s.evicted = impl_->evicted;
  s.accept_errors = impl_->accept_errors;
  return s;
}
bool Server::workers_abandoned() const { return impl_->workers_abandoned; }

}  // namespace parcours::http
