// Logging in and out (the login seam), as JSON and as pages:
//   POST   /api/v1/session   {"email","password","totp"} → 201 + cookie
//   GET    /api/v1/session   → 200 {"user","csrf_token"} or 401
//   DELETE /api/v1/session   (X-CSRF-Token)
//   GET|POST /pro/connexion, GET|POST /pro/enrolement, POST /pro/deconnexion
#include <boost/json.hpp>

#include "app/auth/access_rules.h"
#include "app/auth/auth_service.h"
#include "http/form.h"
#include "http/handlers/context.h"
#include "http/json_body.h"

namespace parcours::http {
namespace {

namespace json = boost::json;

json::object UserJson(const domain::Principal& p) {
  json::array territories;
  for (const auto& t : p.territories) territories.emplace_back(t);
  json::object u;
  u["id"] = p.user_id;
  u["role"] = domain::ToString(p.role);
  u["territories"] = std::move(territories);
  return u;
}

Response Locked(const WebContext& ctx, const Request& req, int retry_after) {
  Response r;
  if (req.path.starts_with("/api/")) {
    r = JsonError(429, "too_many_requests",
                  "too many failed attempts for this account; retry later");
  } else {
    json::object view;
    view["minutes"] = (retry_after + 59) / 60;
    r = ctx.ProPage(req, "pro_locked", "pro_locked_title", std::move(view), 429);
  }
  r.SetHeader("Retry-After", std::to_string(retry_after));
  return r;
}

// The login form with its values and errors (nothing is kept but the e-mail).
Response LoginPage(const WebContext& ctx, const Request& req, const std::string& email,
                   const std::string& error_key, int status) {
  json::object view;
  view["email"] = email;
  if (req.method == "GET") {
    if (req.query == "deconnecte=1")
      view["notice"] = ctx.catalogs->Get("fr", "pro_login_logged_out");
    if (req.query == "mot-de-passe=1") {
      view["notice"] = ctx.catalogs->Get("fr", "pro_login_password_set");
    }
  }
  if (!error_key.empty()) {
    view["has_errors"] = true;
    view["error"] = ctx.catalogs->Get("fr", error_key);
  }
  return ctx.ProPage(req, "pro_login", "pro_login_title", std::move(view), status);
}

Response EnrolmentPage(const WebContext& ctx, const Request& req, bool wrong_code) {
  auto v = ctx.auth->Enrolment(SessionCookieValue(req));
  if (!v.ok()) return ctx.Error(req, v.status());
  json::object view;
  view["qr_svg"] = v->qr_svg;
  view["secret"] = v->secret_base32;
  view["has_errors"] = wrong_code;
  if (wrong_code) view["error"] = ctx.catalogs->Get("fr", "pro_enrol_wrong_code");
  return ctx.ProPage(req, "pro_enrolment", "pro_enrol_title", std::move(view),
                     wrong_code ? 400 : 200);
}

}  // namespace

void RegisterAuthRoutes(Router& r, WebContext& ctx) {
  // --- JSON API ------------------------------------------------------------
  r.Add("POST", "/api/v1/session", RouteAccess::Public(), [&ctx](Request& req) {
    auto body = ParseJsonObject(req.body);
    if (!body.ok()) return JsonError(body.status());
    std::string fields[3];
    const char* names[3] = {"email", "password", "totp"};
    for (int i = 0; i < 3; ++i) {
      const json::value* v = body->if_contains(names[i]);
      if (v == nullptr || v->is_null()) continue;
      if (!v->is_string()) return JsonError(400, "invalid_argument", "must be a string", names[i]);
      fields[i] = std::string(v->as_string());
    }
    if (fields[2].empty()) {
      return JsonError(400, "invalid_argument", "the TOTP code is required", "totp");
    }
    auto result = ctx.auth->Login(fields[0], fields[1], fields[2]);
    if (!result.ok()) return JsonError(result.status());
    using Kind = app::LoginResult::Kind;
    if (result->kind == Kind::kLocked) return Locked(ctx, req, result->retry_after_seconds);
    if (result->kind != Kind::kAuthenticated) {
      return JsonError(401, "unauthenticated", "wrong e-mail, password or code");
    }
    const auto& s = *result->session;
    json::object o;
    o["user"] = UserJson(s.info.principal);
    o["csrf_token"] = s.info.csrf_token;
    Response resp = JsonResponse(201, o);
    resp.SetHeader("Set-Cookie", SetSessionCookie(req, s.token));
    return resp;
  });

  r.Add("GET", "/api/v1/session", RouteAccess::Session(app::access::kSelf), [](Request& req) {
    json::object o;
    o["user"] = UserJson(*req.principal);
    o["csrf_token"] = req.csrf_token;
    return JsonResponse(200, o);
  });

  r.Add("DELETE", "/api/v1/session", RouteAccess::Session(app::access::kSelf),
        [&ctx](Request& req) {
          Status st = ctx.auth->Logout(SessionCookieValue(req));
          if (!st.ok()) return JsonError(st);
          Response resp;
          resp.status = 204;
          resp.content_type.clear();
          resp.SetHeader("Set-Cookie", ClearSessionCookie(req));
          return resp;
        });

  // --- pages -----------------------------------------------------------------
  r.Add("GET", "/pro/connexion", RouteAccess::Public(), [&ctx](Request& req) {
    Response page = LoginPage(ctx, req, "", "", 200);
    return page;
  });

  r.Add("POST", "/pro/connexion", RouteAccess::Public(), [&ctx](Request& req) {
    auto form = ParseForm(req.body);
    if (!form.ok()) return LoginPage(ctx, req, "", "pro_login_error", 400);
    const std::string email = form->Value("email");
    auto result = ctx.auth->Login(email, form->Value("password"), form->Value("totp"));
    if (!result.ok()) {
      if (result.status().code() == StatusCode::kInvalidArgument) {
        return LoginPage(ctx, req, email, "pro_login_missing", 400);
      }
      return ctx.Error(req, result.status());
    }
    using Kind = app::LoginResult::Kind;
    switch (result->kind) {
      case Kind::kLocked: return Locked(ctx, req, result->retry_after_seconds);
      case Kind::kRejected: return LoginPage(ctx, req, email, "pro_login_error", 401);
      case Kind::kEnrolmentRequired:
      case Kind::kAuthenticated: break;
    }
    Response resp = SeeOther(result->kind == Kind::kAuthenticated ? "/pro" : "/pro/enrolement");
    resp.SetHeader("Set-Cookie", SetSessionCookie(req, result->session->token));
    return resp;
  });

  r.Add("GET", "/pro/enrolement", RouteAccess::Enrolment(),
        [&ctx](Request& req) { return EnrolmentPage(ctx, req, false); });

  r.Add("POST", "/pro/enrolement", RouteAccess::Enrolment(), [&ctx](Request& req) {
    auto form = ParseForm(req.body);
    if (!form.ok()) return EnrolmentPage(ctx, req, true);
    auto done = ctx.auth->CompleteEnrolment(SessionCookieValue(req), form->Value("totp"));
    if (!done.ok()) {
      if (done.status().code() == StatusCode::kInvalidArgument) {
        return EnrolmentPage(ctx, req, true);
      }
      if (done.status().code() == StatusCode::kTooManyRequests) return Locked(ctx, req, 60);
      return ctx.Error(req, done.status());
    }
    Response resp = SeeOther("/pro");
    resp.SetHeader("Set-Cookie", SetSessionCookie(req, done->token));
    return resp;
  });

  r.Add("POST", "/pro/deconnexion", RouteAccess::Session(app::access::kSelf), [&ctx](Request& req) {
    Status st = ctx.auth->Logout(SessionCookieValue(req));
    if (!st.ok()) return ctx.Error(req, st);
    Response resp = SeeOther("/pro/connexion?deconnecte=1");
    resp.SetHeader("Set-Cookie", ClearSessionCookie(req));
    return resp;
  });
}

}  // namespace parcours::http
