// HTTP request and response as the handlers see them: plain structs, no
// Beast types, so only server.cpp compiles Beast.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parcours::domain {
struct Principal;
}

namespace parcours::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // raw target, e.g. "/api/v1/x?a=b"
  std::string path;    // percent-decoded path, without the query
  std::string query;   // raw query string, without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  std::string remote_address;
  std::string request_id;
  std::map<std::string, std::string> path_params;  // filled by the router
  std::string route;                               // route pattern matched, for logs and metrics
  int route_index = -1;                            // filled by the router (Router::Found)
  // Set by the session guard on routes that are not public: who is calling
  // and the CSRF token of their session (forms echo it).
  std::shared_ptr<const domain::Principal> principal;
  std::string csrf_token;
  std::string session_stage;  // "full" or "enrolment"
  std::string session_name;   // display name of the account

  // Value of the first header with that (lower-case) name, or empty.
  std::string_view Header(std::string_view lower_name) const;
};

// A byte range of an open file. The server sends it with sendfile(2), so the
// kernel sends the pages without copying them through the program. The file
// must outlive the response (StaticAssets owns its file for its lifetime).
struct FileRange {
  int fd = -1;
  std::int64_t offset = 0;
  std::size_t length = 0;
};

// The sending end of a streamed response (server-sent events), given by the
// server once the response's header is on its way. Thread-safe: Send only
// queues bytes for an asynchronous write on the connection's I/O strand
// (no thread waits on the client); it returns false once the connection is
// closed (client gone, queue over its bound, or server stopping).
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  virtual bool Send(std::string bytes) = 0;
  virtual bool open() const = 0;
  virtual void Close() = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When set, sent instead of body without copying (static assets).
  std::shared_ptr<const std::string> shared_body;
  // When file.fd >= 0 it holds the same bytes as shared_body, and the server
  // sends them from the file (shared_body still serves HEAD and tests).
  FileRange file;
  bool close_connection = false;
  // When set, the response is a stream: the server sends the header without
  // a length (the body ends when the connection closes), then calls
  // stream(sink) on the I/O thread; body is ignored. The connection leaves
  // the in-flight count (a stream does not hold up a drain) and is closed
  // when the server stops.
  std::function<void(std::shared_ptr<StreamSink>)> stream;

  void SetHeader(std::string name, std::string value);
  bool HasHeader(std::string_view name) const;
  std::size_t BodySize() const { return shared_body ? shared_body->size() : body.size(); }
};

}  // namespace parcours::http
