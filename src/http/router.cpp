#include "http/router.h"

#include <algorithm>

namespace parcours::http {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    parts.push_back(path.substr(i, j - i));
    i = j;
  }
  return parts;
}

}  // namespace

void Router::Add(std::string method, const std::string& pattern, HandlerFn fn, bool inline_safe) {
  Route r{std::move(method), pattern, {}, std::move(fn), inline_safe, RouteAccess::Public()};
  for (auto s : Split(pattern)) r.segments.emplace_back(s);
  routes_.push_back(std::move(r));
}

void Router::Add(std::string method, const std::string& pattern, RouteAccess access, HandlerFn fn) {
  bool inline_safe = false;
  Add(std::move(method), pattern, std::move(fn), inline_safe);
  routes_.back().access = access;
}

std::vector<Router::RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  out.reserve(routes_.size());
  for (const Route& r : routes_) out.push_back({r.method, r.pattern, r.access});
  return out;
}

bool Router::MatchPath(const Route& r, const std::vector<std::string_view>& parts,
                       std::map<std::string, std::string>* params) {
  std::size_t i = 0;
  for (; i < r.segments.size(); ++i) {
    const std::string& seg = r.segments[i];
    if (seg.starts_with("{*")) {
      if (i >= parts.size()) return false;
      std::string rest;
      for (std::size_t k = i; k < parts.size(); ++k) {
        if (k > i) rest += '/';
        rest += parts[k];
      }
      if (params) (*params)[seg.substr(2, seg.size() - 3)] = rest;
      return true;
    }
    if (i >= parts.size()) return false;
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      if (params) (*params)[seg.substr(1, seg.size() - 2)] = std::string(parts[i]);
      continue;
    }
    if (seg != parts[i]) return false;
  }
  return i == parts.size();
}

// Among the routes matching the path, the one with the most literal segments
// wins ("/accessibilite" before "/{lang}"), then the first registered.
Router::Match Router::Find(Request& req) const {
  auto parts = Split(req.path);
  Match m;
  std::string method = req.method == "HEAD" ? "GET" : req.method;
  const Route* best = nullptr;
  int best_score = -1;
  for (const Route& r : routes_) {
    if (!MatchPath(r, parts, nullptr)) continue;
    if (r.method != method) {
      if (std::find(m.allowed.begin(), m.allowed.end(), r.method) == m.allowed.end()) {
        m.allowed.push_back(r.method);
      }
      continue;
    }
    int score = 0;
    for (const auto& seg : r.segments) {
      if (seg.empty() || seg.front() != '{') ++score;
    }
    if (score > best_score) {
      best = &r;
      best_score = score;
    }
  }
  if (!best) return m;
  req.path_params.clear();
  MatchPath(*best, parts, &req.path_params);
  req.route = best->pattern;
  req.route_index = static_cast<int>(best - routes_.data());
  return MatchOf(*best);
}

Router::Match Router::Found(Request& req) const {
  const auto i = static_cast<std::size_t>(req.route_index);
  if (req.route_index < 0 || i >= routes_.size() || routes_[i].pattern != req.route) {
    return Find(req);
  }
  return MatchOf(routes_[i]);
}

Router::Match Router::MatchOf(const Route& r) {
  Match m;
  m.handler = &r.fn;
  m.inline_safe = r.inline_safe;
  m.access = &r.access;
  return m;
}

}  // namespace parcours::http
