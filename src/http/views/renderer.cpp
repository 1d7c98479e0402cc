#include "http/views/renderer.h"

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <sstream>

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

}  // namespace

struct Renderer::Impl {
  std::map<std::string, std::string> sources;
};

Renderer::~Renderer() = default;

Result<std::unique_ptr<Renderer>> Renderer::Load(const std::string& dir) {
  namespace fs = std::filesystem;
  auto r = std::unique_ptr<Renderer>(new Renderer());
  r->impl_ = std::make_unique<Impl>();
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    if (it->path().extension() != ".mustache") continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string name = it->path().stem().string();
    mus::mustache check(ss.str());
    if (!check.is_valid()) {
      return Status::Internal("template " + name + ": " + check.error_message());
    }
    r->impl_->sources[name] = ss.str();
  }
  if (ec) return Status::Unavailable("cannot read templates in " + dir + ": " + ec.message());
  if (r->impl_->sources.empty()) return Status::Unavailable("no templates in " + dir);
  return r;
}

Result<std::string> Renderer::Render(const std::string& name,
                                     const boost::json::value& view) const {
  auto it = impl_->sources.find(name);
  if (it == impl_->sources.end()) return Status::Internal("unknown template " + name);
  mus::mustache tmpl(it->second);
  mus::data data = ToData(view);
  for (const auto& [pname, src] : impl_->sources) {
    if (pname == name) continue;
    const std::string* source = &src;
    data.set(pname, mus::partial([source] { return *source; }));
  }
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid()) return Status::Internal("template " + name + ": " + tmpl.error_message());
  return out;
}

}  // namespace parcours::http
