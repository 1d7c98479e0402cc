// Maps (method, path) to a handler. Patterns are '/'-separated segments:
// literals, "{name}" (one segment, captured) or a final "{*name}" (the rest).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "domain/access/access.h"
#include "http/message.h"

namespace parcours::http {

using HandlerFn = std::function<Response(Request&)>;

// Who may call a route, declared where it is registered. Public routes need
// nothing; the others need a session (401 without one), a role of the rule
// (403 otherwise; the use case behind checks the same rule again), and a
// CSRF token on state-changing methods. kEnrolment routes take the
// half-open session of a first login (password checked, TOTP to enrol).
struct RouteAccess {
  enum class Kind { kPublic, kSession, kEnrolment };
  Kind kind = Kind::kPublic;
  domain::AccessRule rule{"public", domain::RoleSet::All()};

  static RouteAccess Public() { return {}; }
  static RouteAccess Session(const domain::AccessRule& r) { return {Kind::kSession, r}; }
  static RouteAccess Enrolment() {
    return {Kind::kEnrolment, {"enrolment", domain::RoleSet::All()}};
  }
  bool is_public() const { return kind == Kind::kPublic; }
};

class Router {
 public:
  // inline_safe: the handler never blocks (answered on the I/O thread).
  void Add(std::string method, const std::string& pattern, HandlerFn fn, bool inline_safe = false);
  // A route with its access declaration (non-public routes are never inline).
  void Add(std::string method, const std::string& pattern, RouteAccess access, HandlerFn fn);

  // Every route as registered, for the access matrix and `parcours routes`.
  struct RouteInfo {
    std::string method;
    std::string pattern;
    RouteAccess access;
  };
  std::vector<RouteInfo> Routes() const;

  struct Match {
    const HandlerFn* handler = nullptr;  // null: not found or method not allowed
    bool inline_safe = false;
    const RouteAccess* access = nullptr;
    std::vector<std::string> allowed;  // non-empty: path known, method not allowed
  };
  // Fills req.path_params, req.route and req.route_index on success.
  Match Find(Request& req) const;
  // The match Find made for this request, from req.route_index, without
  // matching the path again (a request read on an I/O thread and served on a
  // worker); Find's answer when Find has not matched it.
  Match Found(Request& req) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    HandlerFn fn;
    bool inline_safe;
    RouteAccess access;
  };
  static Match MatchOf(const Route& r);
  static bool MatchPath(const Route& r, const std::vector<std::string_view>& parts,
                        std::map<std::string, std::string>* params);
  std::vector<Route> routes_;
};

}  // namespace parcours::http
