// Renders logic-less mustache templates (templates/*.mustache) over view
// models given as JSON values. Values are HTML-escaped unless a template uses
// a triple mustache, which only the layout does for the already-rendered page
// body. Templates are read once at start-up; Render() is thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <map>
#include <memory>
#include <string>

#include "core/status.h"

namespace parcours::http {

class Renderer {
 public:
  static Result<std::unique_ptr<Renderer>> Load(const std::string& dir);
  ~Renderer();

  // Renders template `name` (file name without .mustache). Partials
  // ({{> name}}) are the other templates. Errors are programmer errors
  // (unknown template, bad syntax caught at Load) and yield kInternal.
  Result<std::string> Render(const std::string& name, const boost::json::value& view) const;

 private:
  Renderer() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parcours::http
