#include "http/static_assets.h"

#include <fcntl.h>
#include <sys/mman.h>  // memfd_create
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>

namespace parcours::http {
namespace {

namespace fs = std::filesystem;

// DSFR components whose CSS is shipped: those the templates use (the header
// and footer of the layout, the main navigation, links, buttons, callouts and
// cards of the information pages) and the form components of the screening
// and directory-search pages. tests/functional/assets.test.mjs fails when a
// template uses a DSFR class that the shipped CSS does not define, so a page
// needing another component must add it here.
constexpr const char* kDsfrComponents[] = {
    "skiplink", "logo",  "header",  "footer", "navigation", "link",     "button",
    "callout",  "card",  "form",    "input",  "radio",      "checkbox", "select",
    "notice",   "alert", "stepper", "badge",  "table"};

// Web fonts shipped: Marianne regular and bold only (about 58 KB each in
// woff2). The core CSS declares nine more faces (light, medium, italics,
// Spectral); their @font-face rules are dropped from the bundle, so text in
// those weights uses the nearest declared face (300/500 → 400, 900 → 700)
// and italics are synthesised, instead of costing a download each.
constexpr const char* kFonts[] = {"Marianne-Regular", "Marianne-Bold"};

// Removes the @font-face rules of `css` that load none of kFonts.
std::string KeepShippedFontFaces(const std::string& css) {
  std::string out;
  out.reserve(css.size());
  std::size_t pos = 0;
  for (std::size_t at; (at = css.find("@font-face{", pos)) != std::string::npos;) {
    std::size_t end = css.find('}', at);
    if (end == std::string::npos) break;
    std::string_view rule(css.data() + at, end + 1 - at);
    bool keep = false;
    for (const char* f : kFonts) {
      std::string needle = std::string("/fonts/") + f + ".woff2";
      keep = keep || rule.find(needle) != std::string_view::npos;
    }
    out.append(css, pos, at - pos);
    if (keep) out.append(rule);
    pos = end + 1;
  }
  out.append(css, pos, std::string::npos);
  return out;
}

std::optional<std::string> ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ContentTypeFor(const std::string& path) {
  auto ext = fs::path(path).extension().string();
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".woff") return "font/woff";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".webmanifest") return "application/manifest+json";
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

// FNV-1a 64, hex: stable content fingerprint for ETags and URLs.
std::string Fingerprint(const std::string& data) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::shared_ptr<const std::string> Gzip(const std::string& in) {
  z_stream zs{};
  if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return nullptr;
  std::string out;
  out.resize(deflateBound(&zs, in.size()) + 32);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return nullptr;
  return std::make_shared<const std::string>(std::move(out));
}

bool Compressible(const std::string& type) {
  return type.starts_with("text/") || type.starts_with("image/svg") ||
         type.starts_with("application/manifest");
}

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
    s.replace(pos, from.size(), to);
  }
}

}  // namespace

void StaticAssets::Add(const std::string& url, std::string body, const std::string& type) {
  Asset a;
  // Appended rather than "\"" + x + "\"", which GCC 12 -O3 flags (-Wrestrict,
  // a false positive that breaks the release build under -Werror).
  a.etag = "\"";
  a.etag.append(Fingerprint(body)).append("\"");
  a.content_type = type;
  if (Compressible(type) && body.size() > 512) {
    auto gz = Gzip(body);
    if (gz && gz->size() < body.size()) a.gzip = gz;
  }
  a.body = std::make_shared<const std::string>(std::move(body));
  by_url_[url] = std::move(a);
}

StaticAssets::~StaticAssets() {
  if (file_fd_ >= 0) ::close(file_fd_);
}

namespace {

bool WriteAll(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

void StaticAssets::MapToFile() {
  // An unnamed file in the temporary directory (gone when closed); its page
  // cache may use large folios, which the kernel sends in fewer pieces than
  // the 4 KB pages of a memfd. memfd when the directory refuses O_TMPFILE.
  std::error_code ec;
  auto tmp = fs::temp_directory_path(ec);
  int fd = ec ? -1 : ::open(tmp.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) fd = ::memfd_create("parcours-static", MFD_CLOEXEC);
  if (fd < 0) return;  // sendfile is an optimisation: serve from memory
  std::int64_t offset = 0;
  for (auto& [url, a] : by_url_) {
    if (!WriteAll(fd, *a.body)) {
      ::close(fd);
      for (auto& [u, b] : by_url_) b.body_offset = b.gzip_offset = -1;
      return;
    }
    a.body_offset = offset;
    offset += static_cast<std::int64_t>(a.body->size());
    if (a.gzip) {
      if (!WriteAll(fd, *a.gzip)) {
        ::close(fd);
        for (auto& [u, b] : by_url_) b.body_offset = b.gzip_offset = -1;
        return;
      }
      a.gzip_offset = offset;
      offset += static_cast<std::int64_t>(a.gzip->size());
    }
  }
  file_fd_ = fd;
}

Result<std::unique_ptr<StaticAssets>> StaticAssets::Load(const std::string& dsfr_dist,
                                                         const std::string& dsfr_version,
                                                         const std::string& own_dir) {
  auto assets = std::unique_ptr<StaticAssets>(new StaticAssets());
  const fs::path dist(dsfr_dist);
  assets->dsfr_prefix_ = "/static/dsfr/" + dsfr_version + "/";
  const std::string& prefix = assets->dsfr_prefix_;

  // One CSS bundle: core + the components used, at a depth where the
  // components' "../../icons" URLs resolve; core's "../fonts" is rewritten.
  auto core = ReadFile(dist / "core/core.min.css");
  if (!core) {
    return Status::Unavailable("DSFR not found in " + dsfr_dist + " (run npm install)");
  }
  std::string bundle = KeepShippedFontFaces(*core);
  ReplaceAll(bundle, "url(../fonts/", "url(../../fonts/");
  for (const char* c : kDsfrComponents) {
    auto css = ReadFile(dist / "component" / c / (std::string(c) + ".min.css"));
    if (!css) return Status::Unavailable(std::string("DSFR component missing: ") + c);
    bundle += '\n';
    bundle += *css;
  }
  std::string bundle_url = prefix + "bundle/" + Fingerprint(bundle).substr(0, 12) + "/dsfr.css";
  assets->dsfr_css_url_ = bundle_url;
  assets->Add(bundle_url, std::move(bundle), "text/css; charset=utf-8");

  for (const char* f : kFonts) {
    for (const char* ext : {".woff2", ".woff"}) {
      std::string rel = std::string("fonts/") + f + ext;
      auto data = ReadFile(dist / rel);
      if (data) assets->Add(prefix + rel, std::move(*data), ContentTypeFor(rel));
    }
  }
  // Icons referenced by the component CSS, and the favicons.
  for (const char* dir : {"icons", "favicon"}) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dist / dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      auto rel = fs::relative(it->path(), dist).generic_string();
      auto data = ReadFile(it->path());
      if (data) assets->Add(prefix + rel, std::move(*data), ContentTypeFor(rel));
    }
  }

  // The service's own files, under a fingerprinted URL.
  std::error_code ec;
  for (auto it = fs::directory_iterator(own_dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    auto name = it->path().filename().string();
    auto data = ReadFile(it->path());
    if (!data) continue;
    std::string url = "/static/app/" + Fingerprint(*data).substr(0, 12) + "/" + name;
    assets->own_urls_[name] = url;
    assets->Add(url, std::move(*data), ContentTypeFor(name));
  }
  if (ec) return Status::Unavailable("cannot read static directory " + own_dir);
  assets->app_css_url_ = assets->Url("app.css");
  assets->MapToFile();
  return assets;
}

std::string StaticAssets::Url(const std::string& own_file) const {
  auto it = own_urls_.find(own_file);
  return it == own_urls_.end() ? std::string() : it->second;
}

Response StaticAssets::Serve(const Request& req) const {
  Response r;
  auto it = by_url_.find(req.path);
  if (it == by_url_.end()) {
    r.status = 404;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "Not found\n";
    return r;
  }
  const Asset& a = it->second;
  r.SetHeader("Cache-Control", "public, max-age=31536000, immutable");
  r.SetHeader("ETag", a.etag);
  r.SetHeader("Vary", "Accept-Encoding");
  r.content_type = a.content_type;
  auto inm = req.Header("if-none-match");
  if (!inm.empty() && inm.find(a.etag) != std::string_view::npos) {
    r.status = 304;
    return r;
  }
  const bool gzip = a.gzip && req.Header("accept-encoding").find("gzip") != std::string_view::npos;
  if (gzip) r.SetHeader("Content-Encoding", "gzip");
  r.shared_body = gzip ? a.gzip : a.body;
  const std::int64_t offset = gzip ? a.gzip_offset : a.body_offset;
  if (file_fd_ >= 0 && offset >= 0) r.file = {file_fd_, offset, r.shared_body->size()};
  return r;
}

}  // namespace parcours::http
