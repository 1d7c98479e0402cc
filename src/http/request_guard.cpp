#include "http/request_guard.h"

#include <algorithm>

#include "http/handlers/context.h"

namespace parcours::http {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The route pattern without its "/{lang}" prefix.
std::string_view BaseRoute(std::string_view route) {
  if (route.starts_with("/{lang}/")) route.remove_prefix(7);
  return route;
}

bool SafeMethod(std::string_view m) { return m == "GET" || m == "HEAD" || m == "OPTIONS"; }

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

// A page form posting its answers (the last step of the screening).
bool PostsAnswers(std::string_view body) {
  return body.starts_with("q1=") || body.find("&q1=") != std::string_view::npos;
}

}  // namespace

RequestGuard::RequestGuard(GuardOptions options)
    : opt_(std::move(options)),
      screenings_(opt_.screening_limit, opt_.window),
      recontacts_(opt_.recontact_limit, opt_.window),
      lookups_(opt_.lookup_limit, opt_.window) {}

RequestGuard::Family RequestGuard::FamilyOf(const Request& req) {
  const std::string_view route = BaseRoute(req.route);
  if (req.method == "POST") {
    if (route == "/api/v1/screenings") return Family::kScreening;
    if (route == "/depistage" && PostsAnswers(req.body)) return Family::kScreening;
    if (route == "/api/v1/recontact-requests" || route == "/rappel") return Family::kRecontact;
    // A reminder opt-in (issue 12) is limited as a recontact request.
    if (route == "/rappel/inscription" || route == "/api/v1/screenings/{id}/reminders") {
      return Family::kRecontact;
    }
    // A third party's report (issue 11) is limited as a recontact request.
    if (route == "/signaler") return Family::kRecontact;
  }
  if (req.method == "GET" || req.method == "HEAD") {
    if (route == "/api/v1/recontact-requests/{reference}" || route == "/demande/{reference}") {
      return Family::kLookup;
    }
    if (route == "/demande" && !req.query.empty()) return Family::kLookup;
  }
  return Family::kNone;
}

bool RequestGuard::CrossSite(const Request& req) {
  if (SafeMethod(req.method)) return false;
  // The one-click opt-out of a reminder (RFC 8058) is posted by mail
  // clients from anywhere; the token in its URL is the authority, and all
  // it can do is stop a message (issue 12).
  if (BaseRoute(req.route) == "/rappel/arret") return false;
  const std::string fetch_site = Lower(Trim(req.Header("sec-fetch-site")));
  if (fetch_site == "cross-site") return true;
  // Under "Referrer-Policy: no-referrer" browsers send "Origin: null" even
  // for a form of this very site; their Sec-Fetch-Site tells the truth.
  if (fetch_site == "same-origin") return false;
  const std::string_view origin = Trim(req.Header("origin"));
  if (origin.empty()) return false;  // server-to-server: no browser involved
  // "scheme://host[:port]" must name this server, as the Host field does.
  const auto sep = origin.find("://");
  if (sep == std::string_view::npos) return true;  // "null" and garbage
  const std::string scheme = Lower(origin.substr(0, sep));
  if (scheme != "http" && scheme != "https") return true;
  std::string host = Lower(origin.substr(sep + 3));
  if (host.empty() || host.find('/') != std::string::npos) return true;
  std::string expected = Lower(Trim(req.Header("host")));
  // Default ports may be written or not.
  auto strip = [](std::string& h, std::string_view port) {
    if (h.ends_with(port)) h.resize(h.size() - port.size());
  };
  const std::string_view default_port = scheme == "https" ? ":443" : ":80";
  strip(host, default_port);
  strip(expected, default_port);
  return host != expected;
}

std::string RequestGuard::ClientAddress(const Request& req) const {
  auto trusted = [&](std::string_view a) {
    return std::find(opt_.trusted_proxies.begin(), opt_.trusted_proxies.end(), a) !=
           opt_.trusted_proxies.end();
  };
  if (!trusted(req.remote_address)) return req.remote_address;
  // Right to left: the first address a trusted proxy did not add.
  std::string xff;
  for (const auto& [k, v] : req.headers) {
    if (k == "x-forwarded-for") xff += (xff.empty() ? "" : ",") + v;
  }
  std::string_view rest = xff;
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    std::string_view item = Trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    if (item.empty()) continue;
    if (!trusted(item)) return std::string(item.substr(0, 64));
  }
  return req.remote_address;
}

std::optional<Response> RequestGuard::Check(const Request& req, const WebContext& ctx,
                                            std::chrono::steady_clock::time_point now) {
  if (CrossSite(req)) {
    if (req.path.starts_with("/api/")) {
      return JsonError(403, "forbidden",
                       "cross-site request refused: no Origin header expected "
                       "from another site");
    }
    return ctx.ErrorPage(req, 403);
  }
  const Family family = FamilyOf(req);
  if (family == Family::kNone) return std::nullopt;
  const std::string client = ClientAddress(req);
  RateLimiter::Decision d;
  switch (family) {
    case Family::kScreening: {
      double burst = 0;
      const std::string_view key = Trim(req.Header("x-partner-key"));
      if (!key.empty()) {
        for (const auto& k : opt_.partner_keys) {
          if (ConstantTimeEquals(k, key)) burst = opt_.partner_screening_limit;
        }
      }
      d = screenings_.Take((burst > 0 ? "p:" : "") + client, now, burst);
      break;
    }
    case Family::kRecontact: d = recontacts_.Take(client, now); break;
    case Family::kLookup: d = lookups_.Take(client, now); break;
    case Family::kNone: break;
  }
  if (d.allowed) return std::nullopt;
  Response r = req.path.starts_with("/api/")
                   ? JsonError(429, "rate_limited",
                               "too many requests from this address: retry after " +
                                   std::to_string(d.retry_after_seconds) + " s")
                   : ctx.ErrorPage(req, 429);
  r.SetHeader("Retry-After", std::to_string(d.retry_after_seconds));
  return r;
}

}  // namespace parcours::http
