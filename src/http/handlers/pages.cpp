// Information pages: home, accessibility statement, personal data & legal.
#include <boost/json.hpp>

#include "http/handlers/context.h"

namespace parcours::http {
namespace {

struct StaticPage {
  const char* slug;  // "" for the home page
  const char* tmpl;
  const char* title_key;
};

constexpr StaticPage kPages[] = {
    {"", "home", "home_title"},
    {"accessibilite", "accessibility", "accessibility_title"},
    {"confidentialite", "privacy", "privacy_title"},
};

}  // namespace

void RegisterPageRoutes(Router& r, WebContext& ctx) {
  for (const StaticPage& p : kPages) {
    auto handler = [&ctx, p](Request& req) {
      auto lang = ctx.PageLanguage(req);
      if (!lang) return ctx.ErrorPage(req, 404);
      return ctx.Page(req, *lang, p.tmpl, p.title_key, boost::json::object());
    };
    std::string slug = p.slug;
    r.Add("GET", "/" + slug, handler);
    r.Add("GET", "/{lang}" + (slug.empty() ? "" : "/" + slug), handler);
  }
}

}  // namespace parcours::http
