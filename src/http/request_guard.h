// Request-level rules applied before a handler runs (web_app.cpp):
// - Origin: a state-changing request (not GET/HEAD/OPTIONS) with an Origin
//   other than the server's own (scheme://Host), or with
//   "Sec-Fetch-Site: cross-site", is refused with 403. No Origin at all is a
//   server-to-server client (a partner's back end) and is allowed.
//   "Sec-Fetch-Site: same-origin" is believed over "Origin: null" (which
//   browsers send for our own forms under Referrer-Policy: no-referrer).
// - Rate limits per client address: screenings, recontact requests and
//   reference lookups, each a token bucket (RateLimiter); 429 with
//   Retry-After and, on pages, a message in the page's language beside the
//   emergency numbers. A configured partner key raises the screening limit.
// - The client address is the peer address, or, when the peer is one of the
//   trusted proxies, the right-most X-Forwarded-For entry that is not.
// Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "http/message.h"
#include "http/rate_limiter.h"

namespace parcours::http {

struct WebContext;

struct GuardOptions {
  // Requests per window and per address (the burst a client may send at once).
  int screening_limit = 30;
  int recontact_limit = 5;
  int lookup_limit = 20;
  std::chrono::seconds window{3600};
  // X-Forwarded-For is read only from these peer addresses.
  std::vector<std::string> trusted_proxies;
  // Keys given to partners (X-Partner-Key header) and their screening limit.
  std::vector<std::string> partner_keys;
  int partner_screening_limit = 3000;
};

class RequestGuard {
 public:
  explicit RequestGuard(GuardOptions options);

  // The route family a rate limit applies to ("" when none), from the
  // router's pattern (req.route) and method.
  enum class Family { kNone, kScreening, kRecontact, kLookup };
  static Family FamilyOf(const Request& req);

  // A refusal (403, 429) or nullopt to go on. req.route must be set.
  std::optional<Response> Check(const Request& req, const WebContext& ctx,
                                std::chrono::steady_clock::time_point now);

  // The client's address (see above).
  std::string ClientAddress(const Request& req) const;
  // True when a state-changing request comes from another site.
  static bool CrossSite(const Request& req);

 private:
  GuardOptions opt_;
  RateLimiter screenings_, recontacts_, lookups_;
};

}  // namespace parcours::http
