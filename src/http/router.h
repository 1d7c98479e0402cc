// Maps (method, path) to a handler. Patterns are '/'-separated segments:
// literals, "{name}" (one segment, captured) or a final "{*name}" (the rest).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/message.h"

namespace parcours::http {

using HandlerFn = std::function<Response(Request&)>;

class Router {
 public:
  // inline_safe: the handler never blocks (answered on the I/O thread).
  void Add(std::string method, const std::string& pattern, HandlerFn fn, bool inline_safe = false);

  struct Match {
    const HandlerFn* handler = nullptr;  // null: not found or method not allowed
    bool inline_safe = false;
    std::vector<std::string> allowed;  // non-empty: path known, method not allowed
  };
  // Fills req.path_params and req.route on success.
  Match Find(Request& req) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    HandlerFn fn;
    bool inline_safe;
  };
  static bool MatchPath(const Route& r, const std::vector<std::string_view>& parts,
                        std::map<std::string, std::string>* params);
  std::vector<Route> routes_;
};

}  // namespace parcours::http
