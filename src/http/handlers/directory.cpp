// Nearest help: the parents' search page and the API.
//   GET /trouver-de-l-aide, /{lang}/trouver-de-l-aide   (q, commune, level, fathers,
//                                                        teleconsultation)
//   GET /api/v1/resources?postcode=59000&level=specialised&limit=10
//       (also commune_code, q, kind, fathers, teleconsultation, lat, lon)
// Both call app::DirectorySearch and show published resources only (the
// professionals' view, with unpublished rows, comes with accounts).
#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <charconv>
#include <cstdio>

#include "app/directory/directory_search.h"
#include "domain/directory/resource_kind.h"
#include "http/form.h"
#include "http/handlers/context.h"
#include "http/views/resource_view.h"

namespace parcours::http {
namespace {

namespace json = boost::json;

constexpr const char* kPagePath = "trouver-de-l-aide";

bool IsPostcodeLike(const std::string& s) {
  return !s.empty() && s.size() <= 6 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Percent-encodes a query value (RFC 3986 unreserved characters kept).
std::string EncodeQueryValue(const std::string& s) {
  return boost::urls::encode(s, boost::urls::unreserved_chars);
}

bool Truthy(const std::string& v) { return v == "1" || v == "true" || v == "on" || v == "yes"; }

Result<double> ParseCoordinate(const std::string& s, const char* field) {
  double d = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(d)) {
    return Status::InvalidArgument(field, "must be a decimal number");
  }
  return d;
}

// Reads the query shared by the page and the API.
Result<app::DirectoryQuery> ReadQuery(const FormData& f, bool api) {
  app::DirectoryQuery q;
  q.postcode = f.Value("postcode");
  q.commune_code = f.Value(api ? "commune_code" : "commune");
  q.place = f.Value("q");
  if (!f.Value("level").empty()) {
    auto l = domain::ParseCareLevel(f.Value("level"));
    if (!l) {
      return Status::InvalidArgument(
          "level", "level must be information, first_line, specialised, hospital or emergency");
    }
    q.level = *l;
  }
  if (!f.Value("kind").empty()) {
    auto k = domain::ParseResourceKind(f.Value("kind"));
    if (!k) return Status::InvalidArgument("kind", "unknown kind");
    q.kind = *k;
  }
  q.fathers = Truthy(f.Value("fathers"));
  q.teleconsultation = Truthy(f.Value("teleconsultation"));
  if (f.Has("lat") || f.Has("lon")) {
    auto lat = ParseCoordinate(f.Value("lat"), "lat");
    if (!lat.ok()) return lat.status();
    auto lon = ParseCoordinate(f.Value("lon"), "lon");
    if (!lon.ok()) return lon.status();
    q.position = domain::LatLon{*lat, *lon};
  }
  if (f.Has("limit")) {
    const std::string v = f.Value("limit");
    int n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || p != v.data() + v.size()) {
      return Status::InvalidArgument("limit", "limit must be from 1 to 100");
    }
    q.limit = n;
  }
  return q;
}

json::array Levels(const domain::CareLevelSet& levels) {
  json::array a;
  for (auto l : levels.ToVector()) a.emplace_back(domain::ToString(l));
  return a;
}

json::object CommuneJson(const storage::CommuneRecord& c) {
  json::object o;
  o["insee_code"] = c.insee_code;
  o["name"] = c.name;
  json::array pcs;
  for (const auto& p : c.postcodes) pcs.emplace_back(p);
  o["postcodes"] = std::move(pcs);
  o["department_code"] = c.department_code;
  o["has_centroid"] = c.centroid.has_value();
  return o;
}

std::optional<std::string_view> Fallback(app::DirectoryOrigin o) {
  switch (o) {
    case app::DirectoryOrigin::kSameCommune: return "same_commune";
    case app::DirectoryOrigin::kSameDepartment: return "same_department";
    default: return std::nullopt;
  }
}

Response ApiSearch(WebContext& ctx, Request& req) {
  auto form = ParseForm(req.query);
  if (!form.ok()) return JsonError(form.status());
  auto q = ReadQuery(*form, /*api=*/true);
  if (!q.ok()) return JsonError(q.status());
  if (q->postcode.empty() && q->commune_code.empty() && q->place.empty() && !q->position) {
    return JsonError(
        Status::InvalidArgument("postcode", "give postcode, commune_code, q or lat/lon"));
  }
  auto r = ctx.directory->Search(*q);
  if (!r.ok()) return JsonError(r.status());
  json::object out;
  out["origin"] = app::ToString(r->origin);
  auto fb = Fallback(r->origin);
  out["fallback"] = fb ? json::value(*fb) : json::value(nullptr);
  out["commune"] = r->commune ? json::value(CommuneJson(*r->commune)) : json::value(nullptr);
  json::array choices;
  for (const auto& c : r->choices) choices.push_back(CommuneJson(c));
  out["choices"] = std::move(choices);
  json::array items;
  for (const auto& it : r->items) {
    const auto& x = it.record.resource;
    json::object o = ResourceJson(it);
    o["levels"] = Levels(x.levels);
    o["organisation"] = x.organisation;
    o["email"] = x.email;
    o["website"] = x.website;
    o["opening_notes"] = x.opening_notes;
    o["accepts_fathers"] = x.accepts_fathers;
    o["teleconsultation"] = x.teleconsultation;
    o["mon_soutien_psy"] = x.mon_soutien_psy;
    json::array langs;
    for (const auto& l : x.languages) langs.emplace_back(l);
    o["languages"] = std::move(langs);
    if (x.position) {
      o["latitude"] = x.position->lat;
      o["longitude"] = x.position->lon;
    }
    o["source"] = it.record.source;
    items.push_back(std::move(o));
  }
  out["items"] = std::move(items);
  return JsonResponse(200, out);
}

Response PageSearch(WebContext& ctx, Request& req, const std::string& lang) {
  const auto& t = [&](const std::string& key) { return ctx.catalogs->Get(lang, key); };
  auto form = ParseForm(req.query);
  FormData f = form.ok() ? *form : FormData();
  json::object v;
  v["action"] = WebContext::Prefix(lang) + "/" + kPagePath;
  v["q"] = f.Value("q");
  const std::string level = f.Value("level");
  json::array levels;
  {
    json::object any;
    any["value"] = "";
    any["label"] = t("dir_level_any");
    any["selected"] = level.empty();
    levels.push_back(std::move(any));
  }
  for (const char* l : {"information", "first_line", "specialised", "hospital", "emergency"}) {
    json::object o;
    o["value"] = l;
    o["label"] = t(std::string("dir_level_") + l);
    o["selected"] = level == l;
    levels.push_back(std::move(o));
  }
  v["levels"] = std::move(levels);
  v["fathers"] = Truthy(f.Value("fathers"));
  v["teleconsultation"] = Truthy(f.Value("teleconsultation"));

  const bool searched = !f.Value("q").empty() || !f.Value("commune").empty();
  int status = 200;
  if (!form.ok()) {
    v["q_error"] = t("dir_error_query");
    status = 400;
  } else if (searched) {
    auto q = ReadQuery(f, /*api=*/false);
    Result<app::DirectoryResult> r =
        q.ok() ? ctx.directory->Search(*q) : Result<app::DirectoryResult>(q.status());
    if (!r.ok()) {
      if (r.status().code() != StatusCode::kInvalidArgument) return ctx.Error(req, r.status());
      const std::string& field = r.status().field();
      v["q_error"] = t(field == "level" || field == "kind" ? "dir_error_query"
                       : IsPostcodeLike(f.Value("q"))      ? "dir_error_postcode"
                                                           : "dir_error_place");
      status = 400;
    } else {
      v["searched"] = true;
      if (r->commune) {
        v["commune_name"] = r->commune->name;
        v["commune_department"] = r->commune->department_code;
      }
      if (r->choices.size() > 1) {
        json::array choices;
        for (const auto& c : r->choices) {
          json::object o;
          std::string href = WebContext::Prefix(lang) + "/" + kPagePath +
                             "?q=" + EncodeQueryValue(f.Value("q")) + "&commune=" + c.insee_code;
          if (!level.empty()) href += "&level=" + level;
          if (Truthy(f.Value("fathers"))) href += "&fathers=1";
          if (Truthy(f.Value("teleconsultation"))) href += "&teleconsultation=1";
          o["href"] = href;
          o["label"] = c.name + " (" + c.department_code + ")";
          o["current"] = r->commune && c.insee_code == r->commune->insee_code;
          choices.push_back(std::move(o));
        }
        v["choices"] = std::move(choices);
        v["has_choices"] = true;
      }
      if (r->origin == app::DirectoryOrigin::kSameCommune)
        v["fallback_text"] = t("dir_fallback_commune");
      if (r->origin == app::DirectoryOrigin::kSameDepartment) {
        v["fallback_text"] = t("dir_fallback_department");
      }
      json::array items;
      for (const auto& it : r->items) {
        json::object o = ResourceItemView(it, t);
        items.push_back(std::move(o));
      }
      v["has_items"] = !items.empty();
      v["count_text"] = t(items.size() == 1 ? "dir_count_one" : "dir_count_many");
      v["count"] = static_cast<std::int64_t>(items.size());
      v["items"] = std::move(items);
    }
  }
  return ctx.Page(req, lang, "directory_search", "dir_title", std::move(v), status);
}

}  // namespace

void RegisterDirectoryRoutes(Router& r, WebContext& ctx) {
  r.Add("GET", "/api/v1/resources", [&ctx](Request& req) { return ApiSearch(ctx, req); });
  AddPage(r, ctx, "GET", std::string("/") + kPagePath,
          [&ctx](Request& req, const std::string& lang) { return PageSearch(ctx, req, lang); });
}

}  // namespace parcours::http
