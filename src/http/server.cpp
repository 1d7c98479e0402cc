#include "http/server.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <cstdio>
#include <list>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <vector>

namespace parcours::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

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
        acceptor(net::make_strand(ioc)),
        workers(static_cast<std::size_t>(opt.worker_threads)),
        signals(ioc),
        drain_timer(ioc) {}

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
  std::chrono::steady_clock::time_point drain_deadline;
  std::mutex sessions_mu;
  std::list<std::weak_ptr<Session>> sessions;  // GUARDED_BY(sessions_mu)

  net::io_context ioc;
  tcp::acceptor acceptor;
  net::thread_pool workers;
  net::signal_set signals;
  net::steady_timer drain_timer;

  void Accept();
  void BeginStop();
  void CheckDrained();
};

class Server::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Impl& impl, tcp::socket socket) : impl_(impl), stream_(std::move(socket)) {
    ++impl_.connections;
    boost::system::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
  }
  ~Session() { --impl_.connections; }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  // Closes the connection if it is between requests (called on Stop).
  void CloseIfIdle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) {
        boost::system::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.close();
      }
    });
  }

 private:
  void ReadHeader() {
    if (impl_.stopping) return Close();
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
    if (ec) {
      if (ec == bhttp::error::header_limit) return Refuse(431);
      if (ec == bhttp::error::body_limit) return Refuse(413);
      if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
          ec == net::error::operation_aborted || ec == net::error::connection_reset ||
          ec == net::error::eof || ec == net::error::bad_descriptor) {
        return Close();
      }
      return Refuse(400);
    }
    busy_ = true;
    started_ = std::chrono::steady_clock::now();
    ++impl_.in_flight;
    counted_ = true;
    const auto& hdr = parser_->get();
    bool api = hdr.target().starts_with("/api/");
    std::size_t limit = api ? impl_.opt.api_body_limit : impl_.opt.form_body_limit;
    parser_->body_limit(limit);
    if (auto cl = parser_->content_length(); cl && *cl > limit) return Refuse(413);
    stream_.expires_after(impl_.opt.read_timeout);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec2, std::size_t) { self->OnBody(ec2); });
  }

  void OnBody(beast::error_code ec) {
    if (ec) {
      if (ec == bhttp::error::body_limit) return Refuse(413);
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
    if (impl_.h.runs_inline && impl_.h.runs_inline(*req)) {
      Response resp = impl_.h.handle(*req);
      return Write(req, std::move(resp));
    }
    net::post(impl_.workers, [self = shared_from_this(), req]() mutable {
      Response resp = self->impl_.h.handle(*req);
      net::post(self->stream_.get_executor(), [self, req, resp = std::move(resp)]() mutable {
        self->Write(req, std::move(resp));
      });
    });
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

  void Refuse(int status) {
    auto req = std::make_shared<Request>();
    if (parser_ && parser_->is_header_done()) {
      req->method = std::string(parser_->get().method_string());
      req->target = std::string(parser_->get().target());
      auto sp = req->target.find('?');
      req->path = req->target.substr(0, sp);
    }
    req->remote_address = remote_;
    req->request_id = impl_.id_prefix + "-" + std::to_string(impl_.next_id++);
    req->route = "(refused)";
    if (!counted_) {
      ++impl_.in_flight;
      counted_ = true;
      started_ = std::chrono::steady_clock::now();
    }
    busy_ = true;
    Response resp = impl_.h.refusal ? impl_.h.refusal(*req, status) : Response{status};
    resp.close_connection = true;
    keep_alive_ = false;
    Write(req, std::move(resp));
  }

  void Write(const std::shared_ptr<Request>& req, Response resp) {
    auto out = std::make_shared<Response>(std::move(resp));
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

  void OnWritten(beast::error_code ec, const Request& req, const Response& resp, bool close) {
    double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    if (impl_.h.on_done) impl_.h.on_done(req, resp, secs);
    Finish(close || ec.failed());
  }

  void Finish(bool close) {
    if (counted_) {
      --impl_.in_flight;
      counted_ = false;
    }
    busy_ = false;
    if (close || impl_.stopping) return Close();
    ReadHeader();
  }

  void Close() {
    boost::system::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
    if (impl_.stopping) net::post(impl_.ioc, [&impl = impl_] { impl.CheckDrained(); });
  }

  Impl& impl_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string remote_;
  std::chrono::steady_clock::time_point started_;
  bool first_ = true;
  bool busy_ = false;
  bool counted_ = false;
  bool keep_alive_ = true;
};

void Server::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || stopping) return;
      // Transient (EMFILE...): keep accepting.
      return Accept();
    }
    if (stopping) return;
    auto session = std::make_shared<Session>(*this, std::move(socket));
    {
      std::lock_guard lock(sessions_mu);
      for (auto it = sessions.begin(); it != sessions.end();) {
        it = it->expired() ? sessions.erase(it) : std::next(it);
      }
      sessions.push_back(session);
    }
    session->Start();
    Accept();
  });
}

void Server::Impl::BeginStop() {
  if (stopping.exchange(true)) return;
  drain_deadline = std::chrono::steady_clock::now() + opt.drain_timeout;
  net::post(acceptor.get_executor(), [this] {
    boost::system::error_code ec;
    acceptor.close(ec);
  });
  {
    std::lock_guard lock(sessions_mu);
    for (auto& w : sessions) {
      if (auto s = w.lock()) s->CloseIfIdle();
    }
  }
  net::post(ioc, [this] { CheckDrained(); });
}

void Server::Impl::CheckDrained() {
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

Server::Server(ServerOptions options, Handlers handlers)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handlers))) {}

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
  impl_->Accept();
  return {};
}

unsigned short Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::Run() {
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->opt.io_threads; ++i) {
    threads.emplace_back([this] { impl_->ioc.run(); });
  }
  impl_->ioc.run();
  for (auto& t : threads) t.join();
  impl_->workers.join();
}

void Server::Stop() {
  net::post(impl_->ioc, [this] { impl_->BeginStop(); });
}

void Server::StopOnSignals() {
  impl_->signals.add(SIGTERM);
  impl_->signals.add(SIGINT);
  impl_->signals.async_wait([this](beast::error_code ec, int) {
    if (!ec) impl_->BeginStop();
  });
}

int Server::active_connections() const { return impl_->connections; }
int Server::in_flight() const { return impl_->in_flight; }

}  // namespace parcours::http
