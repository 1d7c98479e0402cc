#include "http/handlers/context.h"

#include <boost/json.hpp>

#include "app/demo_mode.h"
#include "core/log.h"
#include "http/handlers/base_url.h"
#include "http/views/page_view.h"

namespace parcours::http {

Response SeeOther(const std::string& location) {
  Response r;
  r.status = 303;
  r.SetHeader("Location", location);
  return r;
}

std::string BaseUrl(const WebContext& ctx, const Request& req) {
  if (!ctx.options.public_url.empty()) {
    std::string u = ctx.options.public_url;
    while (!u.empty() && u.back() == '/') u.pop_back();
    return u;
  }
  std::string scheme = req.Header("x-forwarded-proto") == "https" ? "https" : "http";
  return scheme + "://" + std::string(req.Header("host"));
}

void AddPage(Router& r, WebContext& ctx, const std::string& method, const std::string& path,
             PageFn fn) {
  auto handler = [&ctx, fn = std::move(fn)](Request& req) {
    auto lang = ctx.PageLanguage(req);
    if (!lang) return ctx.ErrorPage(req, 404);
    return fn(req, *lang);
  };
  r.Add(method, path, handler);
  r.Add(method, path == "/" ? "/{lang}" : "/{lang}" + path, handler);
}

bool WebContext::DemoLoaded() const { return demo != nullptr && demo->Current()->loaded; }

std::optional<std::string> WebContext::PageLanguage(const Request& req) const {
  auto it = req.path_params.find("lang");
  if (it == req.path_params.end()) return std::string(Catalogs::kDefaultLanguage);
  if (it->second == Catalogs::kDefaultLanguage || !catalogs->Has(it->second)) return std::nullopt;
  return it->second;
}

std::string WebContext::Prefix(const std::string& lang) {
  return lang == Catalogs::kDefaultLanguage ? std::string() : "/" + lang;
}

std::string WebContext::PagePath(const Request& req) {
  auto it = req.path_params.find("lang");
  if (it == req.path_params.end()) return req.path;
  std::string rest = req.path.substr(1 + it->second.size());
  return rest.empty() ? "/" : rest;
}

Response WebContext::Page(const Request& req, const std::string& lang, const std::string& tmpl,
                          const std::string& title_key, boost::json::value view, int status,
                          bool parent_page) const {
  // Catalog texts are compiled into the templates (Renderer::Load).
  if (!view.is_object()) view = boost::json::object();
  view.as_object()["prefix"] = Prefix(lang);
  view.as_object()["home_href"] = Prefix(lang).empty() ? "/" : Prefix(lang);

  auto body = renderer->Render(tmpl, lang, view);
  if (!body.ok()) return RenderFailure(tmpl, body.status());
  LayoutView layout;
  layout.lang = lang;
  layout.title = catalogs->Get(lang, title_key);
  layout.prefix = Prefix(lang);
  layout.dsfr_css_url = assets->dsfr_css_url();
  layout.app_css_url = assets->app_css_url();
  layout.dsfr_prefix = assets->dsfr_prefix();
  layout.parent_page = parent_page;
  layout.demo = DemoLoaded();
  layout.quick_exit_href = Prefix(lang) + "/sortie";
  if (const auto* t = view.as_object().if_contains("quick_exit_token"); t && t->is_string()) {
    layout.quick_exit_href += "?r=" + std::string(t->as_string());
  }
  layout.quick_exit_js_url = assets->Url("quick-exit.js");
  layout.content_html = std::move(*body);
  std::string path = PagePath(req);
  layout.nav = MainNavigation(layout.prefix, path,
                              [&](const char* key) { return catalogs->Get(lang, key); });
  for (const auto& code : catalogs->languages()) {
    std::string href = Prefix(code) + (path == "/" && !Prefix(code).empty() ? "" : path);
    if (href.empty()) href = "/";
    if (!req.query.empty()) href += "?" + req.query;
    layout.languages.push_back({code, catalogs->Get(code, "language_name"), href, code == lang});
  }
  return LayoutResponse(status, lang, renderer->Render("layout", lang, layout.ToJson()));
}

Response RenderFailure(std::string_view tmpl, const Status& st) {
  log::Error("render failed", {{"template", std::string(tmpl)}, {"error", st.message()}});
  Response r;
  r.status = 500;
  r.content_type = "text/plain; charset=utf-8";
  r.body = "Internal error\n";
  return r;
}

Response LayoutResponse(int status, const std::string& lang, Result<std::string> html) {
  if (!html.ok()) return RenderFailure("layout", html.status());
  Response r;
  r.status = status;
  r.body = std::move(*html);
  r.SetHeader("Content-Language", lang);
  return r;
}

Response WebContext::ErrorPage(const Request& req, int status) const {
  std::string lang = Catalogs::kDefaultLanguage;
  // "/en/..." → English error page when that language exists.
  if (req.path.size() > 3 && req.path[0] == '/') {
    auto end = req.path.find('/', 1);
    std::string first = req.path.substr(1, end == std::string::npos ? std::string::npos : end - 1);
    if (catalogs->Has(first)) lang = first;
  }
  std::string key = "error_" + std::to_string(status);
  boost::json::object view;
  view["status"] = status;
  view["title_key"] = key + "_title";
  view["title"] = catalogs->Get(lang, key + "_title");
  view["text"] = catalogs->Get(lang, key + "_text");
  return Page(req, lang, "error", key + "_title", std::move(view), status);
}

Response WebContext::Error(const Request& req, const Status& st) const {
  if (req.path.starts_with("/api/")) return JsonError(st);
  return ErrorPage(req, HttpStatusFor(st.code()));
}

Response WebContext::Error(const Request& req, int status) const {
  if (req.path.starts_with("/api/")) {
    switch (status) {
      case 404: return JsonError(404, "not_found", "no such resource");
      case 405: return JsonError(405, "method_not_allowed", "method not allowed on this resource");
      case 413: return JsonError(413, "payload_too_large", "request body too large", "body");
      case 431: return JsonError(431, "headers_too_large", "request headers too large");
      case 400: return JsonError(400, "bad_request", "malformed HTTP request");
      case 503: return JsonError(503, "unavailable", "service unavailable: retry shortly");
      case 403: return JsonError(403, "forbidden", "request refused");
      case 410: return JsonError(410, "gone", "no longer available");
      case 417:
        return JsonError(417, "expectation_failed", "only Expect: 100-continue is understood");
      case 501:
        return JsonError(501, "not_implemented", "transfer coding not supported (only chunked)");
      default: return JsonError(status, "internal", "internal error");
    }
  }
  return ErrorPage(req, status);
}

}  // namespace parcours::http
