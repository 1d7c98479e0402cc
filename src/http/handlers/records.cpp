// Follow-up records, share codes, referrals and the FHIR QuestionnaireResponse
// search (issue 13, part B):
//   GET  /pro/dossiers                      the caller's records + creation form
//   POST /pro/dossiers                      create (then 303 to the record)
//   GET  /pro/dossiers/{record}                 the record (chart + table, screenings,
//                                           next dates, notes, sharing, other parent)
//   POST /pro/dossiers/{record}/notes|partage|code|autre-parent
//   GET  /pro/orientations/nouvelle?dossier={id}[&screening={id}]   referral form
//   POST /pro/orientations                  create a referral (then 303)
//   GET  /pro/orientations                  the referrer's referrals and their events
//   GET  /pro/orientations/recues           a specialised team's inbox
//   POST /pro/orientations/{referral}             apply an event (accept, decline…)
//   GET  /fhir/QuestionnaireResponse?subject={record id}
//   POST /partage, /{lang}/partage          the parent asks for a share code
// Pages follow post-redirect-get; a refused form is shown again (400) with
// the field and the reason.
#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <ctime>
#include <functional>

#include "app/auth/access_rules.h"
#include "app/clock.h"
#include "app/pathway_config.h"
#include "app/records/record_service.h"
#include "app/records/referral_service.h"
#include "app/screening/screening_service.h"
#include "domain/questionnaire/loinc_codes.h"
#include "domain/questionnaire/questionnaire.h"
#include "http/form.h"
#include "http/handlers/base_url.h"
#include "http/handlers/context.h"
#include "http/handlers/fhir.h"
#include "http/views/score_chart.h"
#include "http/views/time_format.h"

namespace parcours::http {
namespace {

namespace json = boost::json;
using app::access::kRecordsCreate;
using app::access::kRecordsRead;
using app::access::kRecordsWrite;
using app::access::kReferralsAct;
using app::access::kReferralsReceive;
using app::access::kReferralsSend;

std::string Day(domain::TimestampMs ms) {
  return domain::ToIsoDate(domain::CivilFromDays(static_cast<long>(ms / (24LL * 3600 * 1000))));
}

std::string T(const WebContext& ctx, const std::string& key) {
  return ctx.catalogs->Get("fr", key);
}

// A catalog text for the field at fault ("fu_err_<field>" or
// "ref_err_<field>"), else the
// use case's own message.
std::string FieldText(const WebContext& ctx, const FieldError& e) {
  for (const char* prefix : {"fu_err_", "ref_err_"}) {
    const std::string key = prefix + e.field;
    std::string text = ctx.catalogs->Get("fr", key);
    if (!text.empty() && text != key) return text;
  }
  return e.message;
}

// Errors of a refused form: the summary's list and per-field messages.
json::object ErrorsView(const WebContext& ctx, const Status& st, const std::string& anchor_prefix) {
  json::object v;
  json::array list;
  json::object by_field;
  for (const auto& e : st.field_errors()) {
    const std::string text = FieldText(ctx, e);
    list.push_back({{"anchor", anchor_prefix + e.field}, {"text", text}});
    by_field[e.field] = text;
  }
  if (list.empty()) list.push_back({{"anchor", ""}, {"text", st.message()}});
  v["has_errors"] = true;
  v["errors"] = std::move(list);
  v["field_errors"] = std::move(by_field);
  return v;
}

std::string RespondentLabel(const WebContext& ctx, domain::Respondent r) {
  return T(ctx, "fu_respondent_" + std::string(domain::ToString(r)));
}

std::string TerritoryName(const WebContext& ctx, const std::string& code) {
  const auto* t = ctx.pathway->territories().Find(code);
  if (!t) return code;
  auto it = t->names.find("fr");
  return it == t->names.end() ? code : it->second;
}

const domain::PathwayRules& RulesOf(const WebContext& ctx, const std::string& territory) {
  const auto* t = ctx.pathway->territories().Find(territory);
  return t ? t->rules : ctx.pathway->defaults();
}

// --- records -----------------------------------------------------------------

json::object CreateFormView(const WebContext& ctx, const domain::Principal& p,
                            const FormData* typed) {
  json::object v;
  auto value = [&](const char* k) { return typed ? typed->Value(k) : std::string(); };
  v["name"] = value("name");
  v["birth_year"] = value("birth_year");
  v["child_birth_date"] = value("child_birth_date");
  v["phone"] = value("phone");
  const std::string kind = typed ? typed->Value("birth_date_kind") : "expected";
  v["kind_expected"] = kind != "actual";
  v["kind_actual"] = kind == "actual";
  json::array respondents;
  const std::string resp = value("respondent");
  for (auto r :
       {domain::Respondent::kMother, domain::Respondent::kFather, domain::Respondent::kCoparent}) {
    const std::string code(domain::ToString(r));
    respondents.push_back({{"value", code},
                           {"label", RespondentLabel(ctx, r)},
                           {"id", "dossier-respondent-" + code},
                           {"checked", resp == code}});
  }
  v["respondents"] = std::move(respondents);
  json::array territories;
  for (const auto& t : p.territories) {
    territories.push_back(
        {{"value", t}, {"label", TerritoryName(ctx, t)}, {"selected", value("territory") == t}});
  }
  v["several_territories"] = p.territories.size() > 1;
  v["territories"] = std::move(territories);
  return v;
}

// One record in a list: id, name, respondent, created (day).
json::object RecordRow(const WebContext& ctx, const app::RecordSummary& r) {
  return {{"id", r.id},
          {"name", r.name},
          {"respondent", RespondentLabel(ctx, r.respondent)},
          {"created", Day(r.created_at)}};
}

Response RecordsPage(WebContext& ctx, const Request& req, json::object view, int status) {
  auto list = ctx.records->List(*req.principal);
  if (!list.ok()) return ctx.Error(req, list.status());
  json::array rows;
  for (const auto& r : *list) {
    json::object row = RecordRow(ctx, r);
    row["territory"] = TerritoryName(ctx, r.territory_code);
    rows.push_back(std::move(row));
  }
  view["has_records"] = !rows.empty();
  view["records"] = std::move(rows);
  view["may_create"] = domain::CheckAccess(kRecordsCreate, req.principal.get()).ok();
  if (!view.contains("form")) view["form"] = CreateFormView(ctx, *req.principal, nullptr);
  return ctx.ProPage(req, "pro_records", "fu_list_title", std::move(view), status);
}

json::array AnswersView(const WebContext& ctx, const storage::ScreeningRecord& s) {
  json::array out;
  const domain::Questionnaire* q = ctx.pathway->Questionnaire(s.instrument, s.language);
  if (q == nullptr) q = ctx.pathway->Questionnaire(s.instrument, "fr");
  if (q == nullptr) return out;
  const auto items = q->Items(s.respondent);
  for (std::size_t i = 0; i < items.size() && i < s.answers.size(); ++i) {
    const int option = s.answers[i];
    const bool known = option >= 0 && static_cast<std::size_t>(option) < items[i].options.size();
    out.push_back(
        {{"number", items[i].number},
         {"question", items[i].text},
         {"answer", known ? items[i].options[static_cast<std::size_t>(option)] : "?"},
         {"points", known ? domain::EpdsPublishedScore(static_cast<int>(i), option) : 0}});
  }
  return out;
}

Response RecordPage(WebContext& ctx, const Request& req, const std::string& id, json::object view,
                    int status) {
  auto rv = ctx.records->Open(*req.principal, id);
  if (!rv.ok()) return ctx.Error(req, rv.status());
  const auto& r = rv->record;
  const auto& identity = rv->identity;
  view["id"] = r.id;
  view["name"] = identity.name;
  view["birth_year"] = identity.birth_year;
  view["child_birth_date"] = identity.child_birth_date;
  view["birth_expected"] = identity.birth_expected;
  view["has_phone"] = !identity.phone.empty();
  view["phone"] = identity.phone;
  view["respondent"] = RespondentLabel(ctx, r.respondent);
  view["territory"] = TerritoryName(ctx, r.territory_code);
  view["created"] = Day(r.created_at);
  if (rv->next) {
    view["has_next"] = true;
    view["second_peak"] = domain::ToIsoDate(rv->next->second_peak);
    view["epnp_from"] = domain::ToIsoDate(rv->next->epnp_from);
    view["epnp_until"] = domain::ToIsoDate(rv->next->epnp_until);
  }
  // The chart and its table from the same points.
  std::vector<ChartPoint> points;
  json::array screenings;
  for (const auto& a : rv->screenings) {
    const auto& s = a.screening;
    const std::string band = T(ctx, "fu_band_" + std::string(domain::ToString(s.band)));
    points.push_back({s.created_at, Day(s.created_at), s.score, band});
    screenings.push_back({{"id", s.id},
                          {"date", Day(s.created_at)},
                          {"score", s.score},
                          {"band", band},
                          {"crisis", s.item10_positive},
                          {"via", T(ctx, "fu_via_" + a.link.via)},
                          {"attached", UtcMinute(a.link.attached_at)},
                          {"answers", AnswersView(ctx, s)}});
  }
  json::array table;
  for (const auto& p : points) {
    table.push_back({{"date", p.date}, {"score", p.score}, {"band", p.band}});
  }
  view["has_screenings"] = !points.empty();
  view["screenings"] = std::move(screenings);
  view["chart_rows"] = std::move(table);
  if (!points.empty()) {
    const auto& cut = RulesOf(ctx, r.territory_code).thresholds().For(r.respondent);
    ChartScale scale;
    scale.max_score = 30;
    scale.cutoffs = {{cut.watch, T(ctx, "fu_band_watch")},
                     {cut.possible, T(ctx, "fu_band_possible")},
                     {cut.probable, T(ctx, "fu_band_probable")}};
    std::string desc = T(ctx, "fu_chart_desc");
    for (const auto& p : points) desc += " " + p.date + " : " + std::to_string(p.score) + ".";
    view["chart_svg"] =
        RenderScoreChartSvg(points, scale, "graphique-scores", T(ctx, "fu_chart_title"), desc);
  }
  json::array notes;
  for (const auto& n : rv->notes) {
    notes.push_back({{"author", n.author_name}, {"at", UtcMinute(n.at)}, {"text", n.text}});
  }
  view["has_notes"] = !notes.empty();
  view["notes"] = std::move(notes);
  json::array members;
  for (const auto& m : rv->members) {
    members.push_back({{"name", m.name}, {"role", T(ctx, "pro_role_" + m.role)}});
  }
  view["members"] = std::move(members);
  json::array others;
  for (const auto& o : rv->other_parents) {
    others.push_back({{"id", o.record_id},
                      {"has_name", o.name.has_value()},
                      {"name", o.name.value_or("")},
                      {"consent_at", UtcMinute(o.consent_at)}});
  }
  view["has_other_parents"] = !others.empty();
  view["other_parents"] = std::move(others);
  json::array referrals;
  for (const auto& f : rv->referrals) {
    referrals.push_back({{"status", T(ctx, "ref_status_" + f.status)},
                         {"joint_care", T(ctx, "ref_joint_" + f.joint_care)},
                         {"created", Day(f.created_at)},
                         {"first_appointment", f.first_appointment.value_or("")}});
  }
  view["has_referrals"] = !referrals.empty();
  view["referrals"] = std::move(referrals);
  view["may_refer"] = domain::CheckAccess(kReferralsSend, req.principal.get()).ok();
  return ctx.ProPage(req, "pro_record", "fu_title", std::move(view), status);
}

// A refused form of the record page: the page again, the error in that form.
Response RecordFormError(WebContext& ctx, const Request& req, const std::string& id,
                         const std::string& form, const Status& st, const FormData& typed) {
  const StatusCode c = st.code();
  if (c != StatusCode::kInvalidArgument && c != StatusCode::kConflict &&
      c != StatusCode::kTooManyRequests && !(c == StatusCode::kNotFound && form == "code")) {
    return ctx.Error(req, st);
  }
  json::object view;
  json::object errors = ErrorsView(ctx, st, form + "-");
  if (c != StatusCode::kInvalidArgument) {
    // Share-code refusals: one message, on the code field.
    const std::string key = c == StatusCode::kConflict          ? "fu_err_code_used"
                            : c == StatusCode::kTooManyRequests ? "fu_err_code_limit"
                                                                : "fu_err_code_unknown";
    errors["errors"] = json::array{{{"anchor", "code-code"}, {"text", T(ctx, key)}}};
    errors["field_errors"] = json::object{{"code", T(ctx, key)}};
  }
  view["form_" + form] = errors;
  view["typed_note"] = typed.Value("note");
  view["typed_email"] = typed.Value("email");
  view["typed_code"] = typed.Value("code");
  view["typed_other"] = typed.Value("other_record");
  const int status = c == StatusCode::kTooManyRequests ? 429
                     : c == StatusCode::kConflict      ? 409
                     : c == StatusCode::kNotFound      ? 404
                                                       : 400;
  return RecordPage(ctx, req, id, std::move(view), status);
}

// A form posted on a record's page (/pro/dossiers/{record}/…): `act` runs the
// use case on the record and the form; on failure the page again with the
// form's errors (RecordFormError, section `form`), else back to the page at
// `anchor`.
Response RecordFormPost(WebContext& ctx, Request& req, const std::string& form,
                        const std::string& anchor,
                        const std::function<Status(const std::string&, const FormData&)>& act) {
  const std::string id = req.path_params.at("record");
  auto typed = ParseForm(req.body);
  if (!typed.ok()) return ctx.Error(req, typed.status());
  Status st = act(id, *typed);
  if (!st.ok()) return RecordFormError(ctx, req, id, form, st, *typed);
  return SeeOther("/pro/dossiers/" + id + "#" + anchor);
}

// --- referrals -----------------------------------------------------------------

json::object ReferralItemView(const WebContext& ctx, const app::ReferralView& v,
                              const std::string& back) {
  const auto& r = v.referral;
  json::array events;
  for (const auto& e : v.events) {
    events.push_back({{"at", UtcMinute(e.at)},
                      {"status", T(ctx, "ref_status_" + e.to_status)},
                      {"detail", e.detail}});
  }
  json::object o;
  o["id"] = r.id;
  o["target"] = v.target_name;
  o["target_kind"] = T(ctx, "ref_target_" + r.target_kind);
  o["referrer"] = v.referrer_name;
  o["parent"] = v.parent_name;
  o["has_parent"] = !v.parent_name.empty();
  o["record_id"] = r.record_id.value_or("");
  o["status"] = T(ctx, "ref_status_" + r.status);
  o["status_code"] = r.status;
  o["joint_care"] = T(ctx, "ref_joint_" + r.joint_care);
  o["created"] = UtcMinute(r.created_at);
  o["updated"] = UtcMinute(r.updated_at);
  o["has_decline_reason"] = r.decline_reason.has_value();
  o["decline_reason"] = r.decline_reason ? T(ctx, "ref_reason_" + *r.decline_reason) : "";
  o["has_first_appointment"] = r.first_appointment.has_value();
  o["first_appointment"] = r.first_appointment.value_or("");
  o["has_outcome"] = r.outcome.has_value();
  o["outcome"] = r.outcome ? T(ctx, "ref_outcome_" + *r.outcome) : "";
  o["events"] = std::move(events);
  o["tracked_by_referrer"] = !v.addressee_has_account;
  o["back"] = back;
  for (auto e : v.allowed) o["may_" + std::string(domain::ToString(e))] = true;
  o["may_act"] = !v.allowed.empty();
  json::array reasons, outcomes;
  for (auto c : domain::DeclineReasons()) {
    reasons.push_back({{"value", c}, {"label", T(ctx, "ref_reason_" + std::string(c))}});
  }
  for (auto c : domain::ReferralOutcomes()) {
    outcomes.push_back({{"value", c}, {"label", T(ctx, "ref_outcome_" + std::string(c))}});
  }
  o["reasons"] = std::move(reasons);
  o["outcomes"] = std::move(outcomes);
  return o;
}

Response ReferralList(WebContext& ctx, const Request& req, bool received, json::object view,
                      int status) {
  auto list = received ? ctx.referrals->ListReceived(*req.principal)
                       : ctx.referrals->ListSent(*req.principal);
  if (!list.ok()) return ctx.Error(req, list.status());
  json::array items;
  const std::string back = received ? "recues" : "envoyees";
  for (const auto& v : *list) items.push_back(ReferralItemView(ctx, v, back));
  view["has_items"] = !items.empty();
  view["items"] = std::move(items);
  return ctx.ProPage(req, received ? "pro_referral_inbox" : "pro_referrals",
                     received ? "ref_inbox_title" : "ref_list_title", std::move(view), status);
}

Response ReferralForm(WebContext& ctx, const Request& req, const std::string& record_id,
                      const std::string& screening_id, const FormData* typed, const Status* error) {
  auto rv = ctx.records->Open(*req.principal, record_id);
  if (!rv.ok()) return ctx.Error(req, rv.status());
  json::object view;
  if (error) view = ErrorsView(ctx, *error, "orientation-");
  view["record_id"] = record_id;
  view["screening_id"] = screening_id;
  view["name"] = rv->identity.name;
  auto teams = ctx.referrals->Teams(*req.principal, rv->record.territory_code);
  if (!teams.ok()) return ctx.Error(req, teams.status());
  const std::string kind = typed ? typed->Value("target_kind") : "team";
  const std::string team = typed ? typed->Value("team") : "";
  json::array team_options;
  for (const auto& t : *teams) {
    team_options.push_back(
        {{"value", t.user_id}, {"label", t.name}, {"selected", t.user_id == team}});
  }
  view["has_teams"] = !team_options.empty();
  view["teams"] = std::move(team_options);
  view["kind_team"] = kind != "resource";
  view["kind_resource"] = kind == "resource";
  view["resource"] = typed ? typed->Value("resource") : "";
  const std::string joint = typed ? typed->Value("joint_care") : "";
  json::array joint_options;
  for (auto j : {domain::JointCare::kYes, domain::JointCare::kNo, domain::JointCare::kToAssess}) {
    const std::string code(domain::ToString(j));
    joint_options.push_back({{"value", code},
                             {"label", T(ctx, "ref_joint_" + code)},
                             {"id", "orientation-joint-" + code},
                             {"checked", joint == code}});
  }
  view["joint_options"] = std::move(joint_options);
  // Resources of the specialised and hospital levels near the territory:
  // the directory search would need a commune; the record keeps none, so
  // the professional types the resource number shown in the directory.
  return ctx.ProPage(req, "pro_referral_new", "ref_new_title", std::move(view), error ? 400 : 200);
}

// --- FHIR ------------------------------------------------------------------------

std::string FhirDateTime(domain::TimestampMs ms) { return FormatUtc(ms, "%Y-%m-%dT%H:%M:%SZ"); }

json::object QuestionnaireResponse(const WebContext& ctx, const std::string& base,
                                   const std::string& record_id,
                                   const storage::ScreeningRecord& s) {
  json::array items;
  const domain::Questionnaire* q = ctx.pathway->Questionnaire(s.instrument, s.language);
  std::vector<domain::ShownItem> shown;
  if (q) shown = q->Items(s.respondent);
  for (std::size_t i = 0; i < s.answers.size(); ++i) {
    const int option = s.answers[i];
    json::object coding;
    // The answer's LOINC code where the shipped file knows one
    // (data/fhir/epds_loinc.json, as in Questionnaire/epds); no code is
    // invented: otherwise the option's text as shown (display) only.
    const domain::LoincCodes* loinc = ctx.pathway->epds_loinc();
    const domain::LoincItemCodes* codes =
        loinc != nullptr ? loinc->Item(static_cast<int>(i) + 1) : nullptr;
    if (codes != nullptr && option >= 0 &&
        static_cast<std::size_t>(option) < codes->answers.size() &&
        codes->answers[static_cast<std::size_t>(option)]) {
      coding["system"] = loinc->system();
      coding["code"] = codes->answers[static_cast<std::size_t>(option)]->code;
    }
    if (i < shown.size() && option >= 0 &&
        static_cast<std::size_t>(option) < shown[i].options.size()) {
      coding["display"] = shown[i].options[static_cast<std::size_t>(option)];
    }
    json::object item;
    item["linkId"] = std::to_string(i + 1);
    if (i < shown.size()) item["text"] = shown[i].text;
    item["answer"] = json::array{json::object{{"valueCoding", std::move(coding)}}};
    items.push_back(std::move(item));
  }
  json::object qr;
  qr["resourceType"] = "QuestionnaireResponse";
  qr["id"] = s.id;
  qr["questionnaire"] = FhirQuestionnaireUrl(base);
  qr["status"] = "completed";
  qr["subject"] = json::object{{"reference", "Patient/" + record_id}};
  qr["authored"] = FhirDateTime(s.created_at);
  qr["language"] = s.language;
  qr["item"] = std::move(items);
  return qr;
}

}  // namespace

void RegisterRecordRoutes(Router& r, WebContext& ctx) {
  // --- records ---------------------------------------------------------------
  r.Add("GET", "/pro/dossiers", RouteAccess::Session(kRecordsRead),
        [&ctx](Request& req) { return RecordsPage(ctx, req, {}, 200); });

  r.Add("POST", "/pro/dossiers", RouteAccess::Session(kRecordsCreate), [&ctx](Request& req) {
    auto form = ParseForm(req.body);
    if (!form.ok()) return ctx.Error(req, form.status());
    app::NewRecordInput in;
    in.respondent = domain::ParseRespondent(form->Value("respondent"));
    in.identity.name = form->Value("name");
    const std::string year = form->Value("birth_year");
    in.identity.birth_year = 0;
    if (year.size() == 4 && std::all_of(year.begin(), year.end(), ::isdigit)) {
      in.identity.birth_year = std::stoi(year);
    }
    in.identity.child_birth_date = form->Value("child_birth_date");
    in.identity.birth_expected = form->Value("birth_date_kind") != "actual";
    in.identity.phone = form->Value("phone");
    const std::string territory = form->Value("territory");
    if (!territory.empty()) in.territory = territory;
    auto id = ctx.records->Create(*req.principal, in);
    if (id.ok()) return SeeOther("/pro/dossiers/" + *id);
    if (id.status().code() != StatusCode::kInvalidArgument) return ctx.Error(req, id.status());
    json::object view = ErrorsView(ctx, id.status(), "dossier-");
    json::object f = CreateFormView(ctx, *req.principal, &*form);
    f["field_errors"] = view["field_errors"];
    view["form"] = std::move(f);
    return RecordsPage(ctx, req, std::move(view), 400);
  });

  r.Add("GET", "/pro/dossiers/{record}", RouteAccess::Session(kRecordsRead), [&ctx](Request& req) {
    return RecordPage(ctx, req, req.path_params.at("record"), {}, 200);
  });

  r.Add("POST", "/pro/dossiers/{record}/notes", RouteAccess::Session(kRecordsWrite),
        [&ctx](Request& req) {
          return RecordFormPost(
              ctx, req, "note", "notes", [&](const std::string& id, const FormData& form) {
                return ctx.records->AddNote(*req.principal, id, form.Value("note"));
              });
        });

  r.Add("POST", "/pro/dossiers/{record}/partage", RouteAccess::Session(kRecordsWrite),
        [&ctx](Request& req) {
          return RecordFormPost(
              ctx, req, "share", "partage", [&](const std::string& id, const FormData& form) {
                return ctx.records->Share(*req.principal, id, form.Value("email"));
              });
        });

  r.Add("POST", "/pro/dossiers/{record}/code", RouteAccess::Session(kRecordsWrite),
        [&ctx](Request& req) {
          return RecordFormPost(
              ctx, req, "code", "depistages", [&](const std::string& id, const FormData& form) {
                return ctx.records->AttachByShareCode(*req.principal, id, form.Value("code"))
                    .status();
              });
        });

  r.Add("POST", "/pro/dossiers/{record}/autre-parent", RouteAccess::Session(kRecordsWrite),
        [&ctx](Request& req) {
          return RecordFormPost(
              ctx, req, "other", "autre-parent", [&](const std::string& id, const FormData& form) {
                return ctx.records->LinkOtherParent(*req.principal, id, form.Value("other_record"),
                                                    form.Value("consent") == "yes");
              });
        });

  // --- referrals -----------------------------------------------------------------
  r.Add("GET", "/pro/orientations/nouvelle", RouteAccess::Session(kReferralsSend),
        [&ctx](Request& req) {
          auto q = ParseForm(req.query);
          if (!q.ok()) return ctx.Error(req, q.status());
          const std::string record = q->Value("dossier");
          const std::string screening = q->Value("screening");
          if (record.empty() && !screening.empty()) {
            // From a screening (e.g. a consultation's result): the record first.
            auto list = ctx.records->List(*req.principal);
            if (!list.ok()) return ctx.Error(req, list.status());
            json::array rows;
            for (const auto& r : *list) rows.push_back(RecordRow(ctx, r));
            json::object view;
            view["screening_id"] = screening;
            view["has_records"] = !rows.empty();
            view["records"] = std::move(rows);
            return ctx.ProPage(req, "pro_referral_choose", "ref_choose_title", std::move(view));
          }
          if (record.empty()) return ctx.Error(req, Status::NotFound("no record given"));
          return ReferralForm(ctx, req, record, screening, nullptr, nullptr);
        });

  r.Add("POST", "/pro/orientations", RouteAccess::Session(kReferralsSend), [&ctx](Request& req) {
    auto form = ParseForm(req.body);
    if (!form.ok()) return ctx.Error(req, form.status());
    app::NewReferralInput in;
    in.record_id = form->Value("record");
    const std::string screening = form->Value("screening");
    if (!screening.empty()) in.screening_id = screening;
    in.target_kind = form->Value("target_kind");
    in.resource_id = form->Value("resource");
    in.team_user_id = form->Value("team");
    in.joint_care = domain::ParseJointCare(form->Value("joint_care"));
    in.send = form->Value("action") != "propose";
    auto created = ctx.referrals->Create(*req.principal, in);
    if (created.ok()) return SeeOther("/pro/orientations#orientation-" + created->id);
    if (created.status().code() != StatusCode::kInvalidArgument) {
      return ctx.Error(req, created.status());
    }
    return ReferralForm(ctx, req, in.record_id, screening, &*form, &created.status());
  });

  r.Add("GET", "/pro/orientations", RouteAccess::Session(kReferralsSend),
        [&ctx](Request& req) { return ReferralList(ctx, req, false, {}, 200); });

  r.Add("GET", "/pro/orientations/recues", RouteAccess::Session(kReferralsReceive),
        [&ctx](Request& req) { return ReferralList(ctx, req, true, {}, 200); });

  r.Add("POST", "/pro/orientations/{referral}", RouteAccess::Session(kReferralsAct),
        [&ctx](Request& req) {
          const std::string id = req.path_params.at("referral");
          auto form = ParseForm(req.body);
          if (!form.ok()) return ctx.Error(req, form.status());
          const bool received = form->Value("back") == "recues";
          const std::string back = received ? "/pro/orientations/recues" : "/pro/orientations";
          auto event = domain::ParseReferralEvent(form->Value("event"));
          if (!event) return ctx.Error(req, Status::InvalidArgument("event", "unknown event"));
          domain::ReferralEventData data;
          for (auto [key, field] :
               {std::pair{"reason", &domain::ReferralEventData::reason},
                std::pair{"appointment_date", &domain::ReferralEventData::appointment_date},
                std::pair{"outcome", &domain::ReferralEventData::outcome}}) {
            const std::string v = form->Value(key);
            if (!v.empty()) data.*field = v;
          }
          auto done = ctx.referrals->Apply(*req.principal, id, *event, data);
          if (done.ok()) return SeeOther(back + "#orientation-" + id);
          const Status& st = done.status();
          if (st.code() != StatusCode::kInvalidArgument && st.code() != StatusCode::kConflict) {
            return ctx.Error(req, st);
          }
          json::object view = ErrorsView(ctx, st, "orientation-" + id + "-");
          if (st.code() == StatusCode::kConflict) {
            view["errors"] = json::array{{{"anchor", ""}, {"text", T(ctx, "ref_err_conflict")}}};
          }
          const bool may_list_received =
              domain::CheckAccess(kReferralsReceive, req.principal.get()).ok();
          return ReferralList(ctx, req, received && may_list_received, std::move(view),
                              st.code() == StatusCode::kConflict ? 409 : 400);
        });

  // --- FHIR (session required) ------------------------------------------------------
  // A search: a subject the caller may not read (or that does not exist)
  // matches nothing, so the answer is the same empty searchset Bundle.
  r.Add("GET", "/fhir/QuestionnaireResponse", RouteAccess::Session(kRecordsRead),
        [&ctx](Request& req) {
          auto q = ParseForm(req.query);
          if (!q.ok()) return FhirOutcome(400, "invalid", "malformed query");
          std::string subject = q->Value("subject");
          if (subject.rfind("Patient/", 0) == 0) subject = subject.substr(8);
          if (subject.empty()) return FhirOutcome(400, "required", "subject is required");
          auto screenings = ctx.records->Screenings(*req.principal, subject);
          if (!screenings.ok() && screenings.status().code() != StatusCode::kNotFound) {
            return FhirOutcome(503, "transient", "service unavailable: retry shortly");
          }
          const std::string base = BaseUrl(ctx, req);
          json::array entries;
          if (screenings.ok()) {
            for (const auto& s : *screenings) {
              entries.push_back({{"fullUrl", base + "/fhir/QuestionnaireResponse/" + s.id},
                                 {"resource", QuestionnaireResponse(ctx, base, subject, s)},
                                 {"search", json::object{{"mode", "match"}}}});
            }
          }
          json::object bundle;
          bundle["resourceType"] = "Bundle";
          bundle["type"] = "searchset";
          bundle["total"] = entries.size();
          bundle["link"] =
              json::array{{{"relation", "self"},
                           {"url", base + "/fhir/QuestionnaireResponse?subject=" + subject}}};
          bundle["entry"] = std::move(entries);
          return FhirJson(200, bundle);
        });

  // --- the parent's share code --------------------------------------------------------
  // JSON twin: whoever holds the screening's id (the parent: the API gave it
  // to them) asks for a code.
  r.Add("POST", "/api/v1/screenings/{id}/share-code", RouteAccess::Public(), [&ctx](Request& req) {
    auto issued = ctx.records->IssueShareCode(req.path_params.at("id"));
    if (!issued.ok()) return JsonError(issued.status());
    return JsonResponse(201,
                        json::object{{"code", issued->code},
                                     {"expires_at", issued->expires_at},
                                     {"shows", json::array{"date", "answers", "score", "band"}}});
  });

  AddPage(r, ctx, "POST", "/partage", [&ctx](Request& req, const std::string& lang) {
    auto form = ParseForm(req.body);
    if (!form.ok()) return ctx.ErrorPage(req, 400);
    const std::string screening = form->Value("screening_id");
    if (!ctx.results->CheckForm(form->Value("form_token"), screening)) {
      return ctx.ErrorPage(req, 403);
    }
    auto issued = ctx.records->IssueShareCode(screening);
    if (!issued.ok()) return ctx.Error(req, issued.status());
    json::object view;
    view["quick_exit_token"] = ctx.results->ResultToken(screening, false);
    view["code"] = issued->code;
    view["expires"] = Day(issued->expires_at);
    return ctx.Page(req, lang, "share_code", "share_title", std::move(view), 201);
  });
}

}  // namespace parcours::http
