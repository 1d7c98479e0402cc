#include "http/views/renderer.h"

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <sstream>
#include <unordered_map>

#include "core/html.h"
#include "http/i18n.h"

namespace parcours::http {
namespace {

namespace mus = kainjow::mustache;

mus::data ToData(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::object: {
      mus::data d{mus::data::type::object};
      for (const auto& [k, val] : v.as_object()) d.set(std::string(k), ToData(val));
      return d;
    }
    case boost::json::kind::array: {
      mus::data d{mus::data::type::list};
      for (const auto& val : v.as_array()) d.push_back(ToData(val));
      return d;
    }
    case boost::json::kind::string: return mus::data(std::string(v.as_string()));
    case boost::json::kind::bool_:
      return v.as_bool() ? mus::data(mus::data::type::bool_true)
                         : mus::data(mus::data::type::bool_false);
    case boost::json::kind::int64: return mus::data(std::to_string(v.as_int64()));
    case boost::json::kind::uint64: return mus::data(std::to_string(v.as_uint64()));
    case boost::json::kind::double_: {
      std::ostringstream ss;
      ss << v.as_double();
      return mus::data(ss.str());
    }
    case boost::json::kind::null: return mus::data(mus::data::type::bool_false);
  }
  return mus::data(mus::data::type::bool_false);
}

// Inlines {{> name}} partials (recursively, depth-bounded).
Result<std::string> Inline(const std::string& name, const std::map<std::string, std::string>& src,
                           int depth) {
  if (depth > 8) return Status::Internal("template " + name + ": partials nested too deeply");
  const std::string& text = src.at(name);
  std::string out;
  std::size_t pos = 0;
  for (std::size_t at; (at = text.find("{{>", pos)) != std::string::npos;) {
    const std::size_t end = text.find("}}", at);
    if (end == std::string::npos) return Status::Internal("template " + name + ": unclosed {{>");
    std::string partial = text.substr(at + 3, end - at - 3);
    partial.erase(0, partial.find_first_not_of(' '));
    partial.erase(partial.find_last_not_of(' ') + 1);
    if (src.count(partial) == 0) {
      std::string msg = "template " + name;
      msg += ": unknown partial ";
      msg += partial;
      return Status::Internal(msg);
    }
    auto inner = Inline(partial, src, depth + 1);
    if (!inner.ok()) return inner.status();
    out.append(text, pos, at - pos);
    out += *inner;
    pos = end + 2;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

// Replaces {{t.key}} (escaped) and {{{t.key}}} (raw) with catalog texts.
Result<std::string> Translate(const std::string& name, const std::string& text,
                              const std::map<std::string, std::string>& texts) {
  std::string out;
  std::size_t pos = 0;
  for (std::size_t at; (at = text.find("{{", pos)) != std::string::npos;) {
    const bool triple = text.compare(at, 3, "{{{") == 0;
    const std::size_t open = at + (triple ? 3 : 2);
    if (text.compare(open, 2, "t.") != 0) {
      out.append(text, pos, open - pos);
      pos = open;
      continue;
    }
    const std::size_t end = text.find(triple ? "}}}" : "}}", open);
    if (end == std::string::npos) return Status::Internal("template " + name + ": unclosed tag");
    const std::string key = text.substr(open + 2, end - open - 2);
    auto it = texts.find(key);
    if (it == texts.end()) {
      std::string msg = "template " + name;
      msg += ": no text t.";
      msg += key;
      return Status::Internal(msg);
    }
    out.append(text, pos, at - pos);
    out += triple ? it->second : EscapeHtml(it->second);
    pos = end + (triple ? 3 : 2);
  }
  out.append(text, pos, std::string::npos);
  return out;
}

std::atomic<std::uint64_t> g_next_generation{1};

}  // namespace

struct Renderer::Impl {
  std::uint64_t generation = 0;
  std::map<std::string, std::string> compiled;  // "lang/name" → template text
};

Renderer::~Renderer() = default;

Result<std::unique_ptr<Renderer>> Renderer::Load(const std::string& dir, const Catalogs& catalogs) {
  namespace fs = std::filesystem;
  std::map<std::string, std::string> sources;
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    if (it->path().extension() != ".mustache") continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    sources[it->path().stem().string()] = ss.str();
  }
  if (ec) return Status::Unavailable("cannot read templates in " + dir + ": " + ec.message());
  if (sources.empty()) return Status::Unavailable("no templates in " + dir);
  auto r = std::unique_ptr<Renderer>(new Renderer());
  r->impl_ = std::make_unique<Impl>();
  r->impl_->generation = g_next_generation++;
  for (const auto& [name, text] : sources) {
    auto whole = Inline(name, sources, 0);
    if (!whole.ok()) return whole.status();
    for (const auto& lang : catalogs.languages()) {
      auto done = Translate(name, *whole, catalogs.All(lang));
      if (!done.ok()) return done.status();
      mus::mustache check(*done);
      if (!check.is_valid()) {
        return Status::Internal("template " + name + ": " + check.error_message());
      }
      std::string key = lang;
      key += '/';
      key += name;
      r->impl_->compiled[key] = std::move(*done);
    }
  }
  return r;
}

Result<std::string> Renderer::Render(const std::string& name, const std::string& lang,
                                     const boost::json::value& view) const {
  // kainjow's render() is not const: each thread keeps its parsed copies.
  thread_local std::unordered_map<std::string, std::unique_ptr<mus::mustache>> cache;
  thread_local std::uint64_t cache_generation = 0;
  if (cache_generation != impl_->generation) {
    cache.clear();
    cache_generation = impl_->generation;
  }
  const std::string key = lang + "/" + name;
  auto it = cache.find(key);
  if (it == cache.end()) {
    auto src = impl_->compiled.find(key);
    if (src == impl_->compiled.end()) return Status::Internal("unknown template " + key);
    it = cache.emplace(key, std::make_unique<mus::mustache>(src->second)).first;
  }
  std::string out = it->second->render(ToData(view));
  if (!it->second->is_valid()) {
    return Status::Internal("template " + key + ": " + it->second->error_message());
  }
  return out;
}

}  // namespace parcours::http
