// The professional side's account pages and their JSON twins:
//   GET  /pro                          home page of the role
//   GET  /pro/comptes, POST /pro/comptes (invitation)      coordinator, admin
//   GET  /pro/comptes/{id}, POST /pro/comptes/{id}/reinitialisation (admin)
//   GET|POST /pro/lien/{token}         invitation / reset link (anonymous)
//   GET  /pro/journal                  audit-log search
//   GET  /api/v1/users, GET /api/v1/users/{id}, POST /api/v1/invitations,
//   POST /api/v1/users/{id}/password-reset, GET /api/v1/audit
#include <boost/json.hpp>
#include <charconv>
#include <ctime>

#include "app/auth/access_rules.h"
#include "app/auth/account_service.h"
#include "app/auth/audit.h"
#include "app/auth/auth_service.h"
#include "app/pathway_config.h"
#include "http/form.h"
#include "http/handlers/base_url.h"
#include "http/handlers/context.h"
#include "http/json_body.h"
#include "http/views/time_format.h"

namespace parcours::http {
namespace {

namespace json = boost::json;
using app::access::kAuditSearch;
using app::access::kSelf;
using app::access::kUsersInvite;
using app::access::kUsersRead;
using app::access::kUsersResetPassword;

// "2026-11-29" → midnight UTC in ms; nullopt when malformed.
std::optional<domain::TimestampMs> ParseDay(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  auto num = [&](int from, int len, int* out) {
    auto [p, ec] = std::from_chars(s.data() + from, s.data() + from + len, *out);
    return ec == std::errc() && p == s.data() + from + len;
  };
  if (!num(0, 4, &y) || !num(5, 2, &m) || !num(8, 2, &d)) return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 2000 || y > 2200) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  return static_cast<domain::TimestampMs>(timegm(&tm)) * 1000;
}

std::string RoleLabel(const WebContext& ctx, const std::string& role) {
  return ctx.catalogs->Get("fr", "pro_role_" + role);
}

std::string TerritoryName(const WebContext& ctx, const std::string& code) {
  const auto* t = ctx.pathway->territories().Find(code);
  if (!t) return code;
  auto it = t->names.find("fr");
  return it == t->names.end() ? code : it->second;
}

std::string TerritoriesText(const WebContext& ctx, const std::vector<std::string>& codes) {
  if (codes.empty()) return ctx.catalogs->Get("fr", "pro_all_territories");
  std::string out;
  for (const auto& c : codes) out += (out.empty() ? "" : ", ") + TerritoryName(ctx, c);
  return out;
}

json::object SummaryJson(const app::AccountSummary& s) {
  json::array territories;
  for (const auto& t : s.territories) territories.emplace_back(t);
  json::object o;
  o["id"] = s.id;
  o["email"] = s.email;
  o["name"] = s.name;
  o["role"] = s.role;
  o["territories"] = std::move(territories);
  if (s.phone) {
    o["phone"] = *s.phone;
  } else {
    o["phone"] = nullptr;
  }
  o["disabled"] = s.disabled;
  o["enrolled"] = s.enrolled;
  if (s.last_login_at) {
    o["last_login_at"] = *s.last_login_at;
  } else {
    o["last_login_at"] = nullptr;
  }
  return o;
}

json::object SummaryView(const WebContext& ctx, const app::AccountSummary& s) {
  json::object o;
  o["id"] = s.id;
  o["email"] = s.email;
  o["name"] = s.name;
  o["role"] = RoleLabel(ctx, s.role);
  o["territories"] = TerritoriesText(ctx, s.territories);
  o["phone"] = s.phone.value_or("");
  o["status"] = ctx.catalogs->Get(
      "fr", s.disabled ? "pro_status_disabled"
                       : (s.enrolled ? "pro_status_active" : "pro_status_pending"));
  o["last_login"] = s.last_login_at ? UtcMinute(*s.last_login_at) : std::string("—");
  return o;
}

// Roles a principal may give in an invitation, for the form.
json::array RoleOptions(const WebContext& ctx, const domain::Principal& p,
                        const std::string& selected) {
  json::array out;
  for (domain::Role r : domain::kAllRoles) {
    if (!domain::IsNationalRole(p.role) && domain::IsNationalRole(r)) continue;
    std::string code(domain::ToString(r));
    out.push_back(
        {{"value", code}, {"label", RoleLabel(ctx, code)}, {"selected", code == selected}});
  }
  return out;
}

json::array TerritoryOptions(const WebContext& ctx, const domain::Principal& p,
                             const std::vector<std::string>& selected) {
  json::array out;
  for (const auto& code : ctx.accounts->known_territories()) {
    if (!domain::InScope(p, code)) continue;
    bool on = std::find(selected.begin(), selected.end(), code) != selected.end();
    out.push_back({{"value", code},
                   {"label", TerritoryName(ctx, code)},
                   {"checked", on},
                   {"id", "territoire-" + code}});
  }
  return out;
}

Response AccountsPage(WebContext& ctx, const Request& req, json::object extra, int status) {
  auto list = ctx.accounts->List(*req.principal);
  if (!list.ok()) return ctx.Error(req, list.status());
  json::array rows;
  for (const auto& s : *list) rows.push_back(SummaryView(ctx, s));
  json::object view = std::move(extra);
  view["has_accounts"] = !rows.empty();
  view["accounts"] = std::move(rows);
  view["may_invite"] = domain::CheckAccess(kUsersInvite, req.principal.get()).ok();
  if (!view.contains("roles")) view["roles"] = RoleOptions(ctx, *req.principal, "responder");
  if (!view.contains("territory_options")) {
    std::vector<std::string> pre;
    if (req.principal->territories.size() == 1) pre = req.principal->territories;
    view["territory_options"] = TerritoryOptions(ctx, *req.principal, pre);
  }
  return ctx.ProPage(req, "pro_accounts", "pro_accounts_title", std::move(view), status);
}

Response LinkCreatedPage(WebContext& ctx, const Request& req, const app::OneTimeLink& link,
                         const std::string& email) {
  json::object view;
  view["url"] = BaseUrl(ctx, req) + "/pro/lien/" + link.token;
  view["email"] = email;
  view["expires"] = UtcMinute(link.expires_at);
  view["invitation"] = link.purpose == "invitation";
  view["emailed"] = link.emailed;
  return ctx.ProPage(req, "pro_link_created", "pro_link_created_title", std::move(view), 201);
}

Response LinkPage(WebContext& ctx, const Request& req, const app::LinkInfo& info,
                  const std::string& error_field, const std::string& error_message, int status) {
  json::object view;
  view["token"] = req.path_params.at("token");
  view["email"] = info.email;
  view["name"] = info.name;
  view["invitation"] = info.purpose == "invitation";
  view["has_errors"] = !error_field.empty();
  view["error"] = error_message;
  view["error_anchor"] = error_field == "password_confirm" ? "confirmation" : "mot-de-passe";
  view["password_error"] = error_field == "password";
  view["confirm_error"] = error_field == "password_confirm";
  return ctx.ProPage(req, "pro_link", "pro_link_title", std::move(view), status);
}

std::string FieldMessage(const WebContext& ctx, const Status& st) {
  const std::string key = "pro_error_" + st.field();
  std::string text = ctx.catalogs->Has("fr") ? ctx.catalogs->Get("fr", key) : std::string();
  if (text.empty() || text == key) text = st.message();
  return text;
}

}  // namespace

void RegisterAccountRoutes(Router& r, WebContext& ctx) {
  // --- home ------------------------------------------------------------------
  r.Add("GET", "/pro", RouteAccess::Session(kSelf), [&ctx](Request& req) {
    const domain::Principal& p = *req.principal;
    json::object view;
    view["name"] = req.session_name;
    view["role"] = RoleLabel(ctx, std::string(domain::ToString(p.role)));
    view["territories"] = TerritoriesText(ctx, p.territories);
    view["may_read_users"] = domain::CheckAccess(kUsersRead, &p).ok();
    view["may_invite"] = domain::CheckAccess(kUsersInvite, &p).ok();
    view["may_reset"] = domain::CheckAccess(kUsersResetPassword, &p).ok();
    view["may_audit"] = domain::CheckAccess(kAuditSearch, &p).ok();
    view["may_consult"] = domain::CheckAccess(app::access::kConsultationsCreate, &p).ok();
    view["nothing_else"] = !domain::CheckAccess(kUsersRead, &p).ok() &&
                           !domain::CheckAccess(kAuditSearch, &p).ok() &&
                           !domain::CheckAccess(app::access::kConsultationsCreate, &p).ok();
    return ctx.ProPage(req, "pro_home", "pro_home_title", std::move(view));
  });

  // --- accounts ----------------------------------------------------------------
  r.Add("GET", "/pro/comptes", RouteAccess::Session(kUsersRead),
        [&ctx](Request& req) { return AccountsPage(ctx, req, {}, 200); });

  r.Add("POST", "/pro/comptes", RouteAccess::Session(kUsersInvite), [&ctx](Request& req) {
    auto form = ParseForm(req.body);
    if (!form.ok()) return ctx.Error(req, form.status());
    app::NewAccount a;
    a.email = form->Value("email");
    a.name = form->Value("name");
    a.role = form->Value("role");
    a.territories = form->All("territory");
    std::string phone = form->Value("phone");
    if (!phone.empty()) a.phone = phone;
    auto link = ctx.accounts->Invite(*req.principal, a);
    if (!link.ok()) {
      if (link.status().code() != StatusCode::kInvalidArgument) {
        return ctx.Error(req, link.status());
      }
      json::object extra;
      extra["has_errors"] = true;
      extra["error"] = FieldMessage(ctx, link.status());
      extra["error_anchor"] = link.status().field() == "territory" ? "territoires"
                              : link.status().field().empty()
                                  ? "courriel"
                                  : "invitation-" + link.status().field();
      extra["email"] = a.email;
      extra["name"] = a.name;
      extra["phone"] = phone;
      extra["roles"] = RoleOptions(ctx, *req.principal, a.role);
      extra["territory_options"] = TerritoryOptions(ctx, *req.principal, a.territories);
      return AccountsPage(ctx, req, std::move(extra), 400);
    }
    return LinkCreatedPage(ctx, req, *link, a.email);
  });

  r.Add("GET", "/pro/comptes/{id}", RouteAccess::Session(kUsersRead), [&ctx](Request& req) {
    auto s = ctx.accounts->Get(*req.principal, req.path_params.at("id"));
    if (!s.ok()) return ctx.Error(req, s.status());
    json::object view;
    view["account"] = SummaryView(ctx, *s);
    view["account_id"] = s->id;
    view["may_reset"] = domain::CheckAccess(kUsersResetPassword, req.principal.get()).ok();
    return ctx.ProPage(req, "pro_account", "pro_account_title", std::move(view));
  });

  r.Add("POST", "/pro/comptes/{id}/reinitialisation", RouteAccess::Session(kUsersResetPassword),
        [&ctx](Request& req) {
          auto link = ctx.accounts->ResetPassword(*req.principal, req.path_params.at("id"));
          if (!link.ok()) return ctx.Error(req, link.status());
          auto s = ctx.accounts->Get(*req.principal, req.path_params.at("id"));
          if (!s.ok()) return ctx.Error(req, s.status());
          return LinkCreatedPage(ctx, req, *link, s->email);
        });

  // --- one-time links (anonymous; the action happens on POST only) -----------
  r.Add("GET", "/pro/lien/{token}", RouteAccess::Public(), [&ctx](Request& req) {
    auto info = ctx.accounts->OpenLink(req.path_params.at("token"));
    if (!info.ok()) {
      if (info.status().code() != StatusCode::kNotFound) return ctx.Error(req, info.status());
      return ctx.ProPage(req, "pro_link_gone", "pro_link_gone_title", json::object(), 404);
    }
    return LinkPage(ctx, req, *info, "", "", 200);
  });

  r.Add("POST", "/pro/lien/{token}", RouteAccess::Public(), [&ctx](Request& req) {
    const std::string token = req.path_params.at("token");
    auto info = ctx.accounts->OpenLink(token);
    if (!info.ok()) {
      if (info.status().code() != StatusCode::kNotFound) return ctx.Error(req, info.status());
      return ctx.ProPage(req, "pro_link_gone", "pro_link_gone_title", json::object(), 404);
    }
    auto form = ParseForm(req.body);
    if (!form.ok()) return LinkPage(ctx, req, *info, "password", form.status().message(), 400);
    auto done =
        ctx.accounts->AcceptLink(token, form->Value("password"), form->Value("password_confirm"));
    if (!done.ok()) {
      if (done.status().code() == StatusCode::kInvalidArgument) {
        return LinkPage(ctx, req, *info, done.status().field(), FieldMessage(ctx, done.status()),
                        400);
      }
      if (done.status().code() == StatusCode::kNotFound) {
        return ctx.ProPage(req, "pro_link_gone", "pro_link_gone_title", json::object(), 404);
      }
      return ctx.Error(req, done.status());
    }
    Response resp;
    resp.status = 303;
    if (*done) {
      resp.SetHeader("Location", "/pro/enrolement");
      resp.SetHeader("Set-Cookie", SetSessionCookie(req, (*done)->token));
    } else {
      resp.SetHeader("Location", "/pro/connexion?mot-de-passe=1");
    }
    return resp;
  });

  // --- audit log ----------------------------------------------------------------
  r.Add("GET", "/pro/journal", RouteAccess::Session(kAuditSearch), [&ctx](Request& req) {
    auto q = ParseForm(req.query);
    if (!q.ok()) return ctx.Error(req, q.status());
    app::AuditSearch s;
    json::object view;
    std::string territory = q->Value("territoire");
    if (!territory.empty()) s.territory = territory;
    std::string actor = q->Value("acteur");
    if (!actor.empty()) s.actor = actor;
    std::string subject = q->Value("sujet");
    if (!subject.empty()) s.subject_id = subject;
    std::string from = q->Value("du"), until = q->Value("au");
    std::string error;
    if (!from.empty()) {
      s.from = ParseDay(from);
      if (!s.from) error = "du";
    }
    if (!until.empty()) {
      auto u = ParseDay(until);
      if (u) s.until = *u + 24LL * 3600 * 1000;
      if (!u) error = "au";
    }
    std::string before = q->Value("avant");
    if (!before.empty()) {
      std::int64_t id = 0;
      auto [p, ec] = std::from_chars(before.data(), before.data() + before.size(), id);
      if (ec == std::errc() && p == before.data() + before.size()) s.before_id = id;
    }
    view["territory_options"] = [&] {
      json::array out;
      for (const auto& code : ctx.accounts->known_territories()) {
        if (!domain::InScope(*req.principal, code)) continue;
        out.push_back({{"value", code},
                       {"label", TerritoryName(ctx, code)},
                       {"selected", code == territory}});
      }
      return out;
    }();
    view["actor"] = actor;
    view["subject"] = subject;
    view["from"] = from;
    view["until"] = until;
    int status = 200;
    if (!error.empty()) {
      view["has_errors"] = true;
      view["error"] = ctx.catalogs->Get("fr", "pro_audit_bad_date");
      view["error_anchor"] = error == "du" ? "journal-du" : "journal-au";
      status = 400;
    } else {
      auto rows = ctx.accounts->SearchAudit(*req.principal, s);
      if (!rows.ok()) {
        if (rows.status().code() != StatusCode::kInvalidArgument) {
          return ctx.Error(req, rows.status());
        }
        view["has_errors"] = true;
        view["error"] = FieldMessage(ctx, rows.status());
        view["error_anchor"] = "journal-territoire";
        status = 400;
      } else {
        json::array out;
        for (const auto& e : *rows) {
          out.push_back(
              {{"at", UtcMinute(e.at)},
               {"actor", e.actor},
               {"action", e.action},
               {"subject", e.subject_type + " " + e.subject_id},
               {"territory",
                e.territory_code.empty() ? std::string("—") : TerritoryName(ctx, e.territory_code)},
               {"detail", e.detail}});
        }
        view["searched"] = true;
        view["has_rows"] = !out.empty();
        if (rows->size() == 50) {
          std::string next = "/pro/journal?territoire=" + territory + "&acteur=" + actor +
                             "&sujet=" + subject + "&du=" + from + "&au=" + until +
                             "&avant=" + std::to_string(rows->back().id);
          view["next_href"] = next;
        }
        view["rows"] = std::move(out);
      }
    }
    return ctx.ProPage(req, "pro_audit", "pro_audit_title", std::move(view), status);
  });

  // --- JSON twins -----------------------------------------------------------------
  r.Add("GET", "/api/v1/users", RouteAccess::Session(kUsersRead), [&ctx](Request& req) {
    auto list = ctx.accounts->List(*req.principal);
    if (!list.ok()) return JsonError(list.status());
    json::array items;
    for (const auto& s : *list) items.push_back(SummaryJson(s));
    return JsonResponse(200, json::object{{"items", std::move(items)}});
  });

  r.Add("GET", "/api/v1/users/{id}", RouteAccess::Session(kUsersRead), [&ctx](Request& req) {
    auto s = ctx.accounts->Get(*req.principal, req.path_params.at("id"));
    if (!s.ok()) return JsonError(s.status());
    return JsonResponse(200, SummaryJson(*s));
  });

  r.Add("POST", "/api/v1/invitations", RouteAccess::Session(kUsersInvite), [&ctx](Request& req) {
    auto body = ParseJsonObject(req.body);
    if (!body.ok()) return JsonError(body.status());
    app::NewAccount a;
    for (const char* key : {"email", "name", "role", "phone"}) {
      const json::value* v = body->if_contains(key);
      if (v == nullptr || v->is_null()) continue;
      if (!v->is_string()) return JsonError(400, "invalid_argument", "must be a string", key);
      std::string value(v->as_string());
      if (std::string_view(key) == "email") a.email = value;
      if (std::string_view(key) == "name") a.name = value;
      if (std::string_view(key) == "role") a.role = value;
      if (std::string_view(key) == "phone" && !value.empty()) a.phone = value;
    }
    if (const json::value* t = body->if_contains("territories")) {
      if (!t->is_array())
        return JsonError(400, "invalid_argument", "must be a list", "territories");
      for (const auto& x : t->as_array()) {
        if (!x.is_string()) {
          return JsonError(400, "invalid_argument", "must be a list of codes", "territories");
        }
        a.territories.emplace_back(x.as_string());
      }
    }
    auto link = ctx.accounts->Invite(*req.principal, a);
    if (!link.ok()) return JsonError(link.status());
    return JsonResponse(201, json::object{{"user_id", link->user_id},
                                          {"url", BaseUrl(ctx, req) + "/pro/lien/" + link->token},
                                          {"expires_at", link->expires_at}});
  });

  r.Add("POST", "/api/v1/users/{id}/password-reset", RouteAccess::Session(kUsersResetPassword),
        [&ctx](Request& req) {
          auto link = ctx.accounts->ResetPassword(*req.principal, req.path_params.at("id"));
          if (!link.ok()) return JsonError(link.status());
          return JsonResponse(201,
                              json::object{{"user_id", link->user_id},
                                           {"url", BaseUrl(ctx, req) + "/pro/lien/" + link->token},
                                           {"expires_at", link->expires_at}});
        });

  r.Add("GET", "/api/v1/audit", RouteAccess::Session(kAuditSearch), [&ctx](Request& req) {
    auto q = ParseForm(req.query);
    if (!q.ok()) return JsonError(q.status());
    app::AuditSearch s;
    if (auto v = q->Get("territory")) s.territory = *v;
    if (auto v = q->Get("actor")) s.actor = *v;
    if (auto v = q->Get("subject_id")) s.subject_id = *v;
    for (const char* key : {"from", "until", "before_id"}) {
      auto v = q->Get(key);
      if (!v) continue;
      std::int64_t n = 0;
      auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
      if (ec != std::errc() || p != v->data() + v->size()) {
        return JsonError(400, "invalid_argument", "must be an integer", key);
      }
      if (std::string_view(key) == "from") s.from = n;
      if (std::string_view(key) == "until") s.until = n;
      if (std::string_view(key) == "before_id") s.before_id = n;
    }
    auto rows = ctx.accounts->SearchAudit(*req.principal, s);
    if (!rows.ok()) return JsonError(rows.status());
    json::array items;
    for (const auto& e : *rows) items.push_back(app::AuditJson(e));
    return JsonResponse(200, json::object{{"items", std::move(items)}});
  });
}

}  // namespace parcours::http
