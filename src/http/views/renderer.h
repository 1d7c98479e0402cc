// Renders logic-less mustache templates (templates/*.mustache) over view
// models given as JSON values. Values are HTML-escaped unless a template uses
// a triple mustache, which only the layout does for the already-rendered page
// body.
//
// Catalog texts are compiled in: at Load, each template is made once per
// language with its partials ({{> name}}) inlined and every {{t.key}}
// replaced by the HTML-escaped text of the catalog, so a render only walks
// the view model. An unknown {{t.key}} or partial fails Load. Parsed
// templates are cached per thread; Render() is thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <map>
#include <memory>
#include <string>

#include "core/status.h"

namespace parcours::http {

class Catalogs;

class Renderer {
 public:
  static Result<std::unique_ptr<Renderer>> Load(const std::string& dir, const Catalogs& catalogs);
  ~Renderer();

  // Renders template `name` (file name without .mustache) in `lang`.
  // Errors are programmer errors (unknown template or language) and yield
  // kInternal.
  Result<std::string> Render(const std::string& name, const std::string& lang,
                             const boost::json::value& view) const;

 private:
  Renderer() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parcours::http
