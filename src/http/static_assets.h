// Static assets held in memory: the DSFR files the pages need (from the npm
// package, under a versioned URL) and the service's own files (under a
// content-hash URL), so every asset can be cached for a year and is
// revalidated by ETag. A gzip copy is kept for compressible types.
//
// Built once at start-up, then read-only: safe to share between threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "http/message.h"

namespace parcours::http {

struct Asset {
  std::shared_ptr<const std::string> body;
  std::shared_ptr<const std::string> gzip;  // null when not worth it
  // Where body and gzip are in the in-memory file (offsets into file_fd_),
  // or -1 when that file could not be made.
  std::int64_t body_offset = -1;
  std::int64_t gzip_offset = -1;
  std::string content_type;
  std::string etag;
};

class StaticAssets {
 public:
  ~StaticAssets();
  StaticAssets(const StaticAssets&) = delete;
  StaticAssets& operator=(const StaticAssets&) = delete;

  // dsfr_dist: node_modules/@gouvfr/dsfr/dist; own_dir: static/ of the
  // service. The list of DSFR files (and the CSS bundle) is fixed in code.
  static Result<std::unique_ptr<StaticAssets>> Load(const std::string& dsfr_dist,
                                                    const std::string& dsfr_version,
                                                    const std::string& own_dir);

  // URL path → response (200, 304 on a matching If-None-Match, 404).
  Response Serve(const Request& req) const;

  // URLs for templates.
  const std::string& dsfr_css_url() const { return dsfr_css_url_; }
  const std::string& app_css_url() const { return app_css_url_; }
  const std::string& dsfr_prefix() const { return dsfr_prefix_; }
  std::string Url(const std::string& own_file) const;  // e.g. "app.css"

 private:
  StaticAssets() = default;
  void Add(const std::string& url, std::string body, const std::string& content_type);
  // Copies every asset into one in-memory file (memfd) so responses can be
  // sent with sendfile(2); without it, responses carry only shared_body.
  void MapToFile();
  std::map<std::string, Asset> by_url_;
  std::map<std::string, std::string> own_urls_;
  std::string dsfr_prefix_;
  std::string dsfr_css_url_;
  std::string app_css_url_;
  int file_fd_ = -1;
};

}  // namespace parcours::http
