#include "http/views/crisis_help_view.h"

#include <boost/json.hpp>

#include "app/directory/directory_search.h"
#include "app/screening/screening_service.h"
#include "http/i18n.h"
#include "http/views/resource_view.h"

namespace parcours::http {
namespace {

namespace json = boost::json;

struct Contact {
  const char* number;
  const char* channel;  // phone or sms
  const char* href;
  const char* label_key;
};

constexpr Contact kContacts[] = {
    {"3114", "phone", "tel:3114", "res_crisis_3114"},
    {"15", "phone", "tel:15", "res_crisis_15"},
    {"112", "phone", "tel:112", "res_crisis_112"},
    {"114", "sms", "sms:114", "res_crisis_114"},
};

// The nearest published emergency services around the parent's commune
// (query of the result page: fathers and co-parents first see the places
// that say they receive them).
json::array NearestEmergency(app::DirectorySearch* directory, const app::ScreeningOutcome& out) {
  json::array items;
  const auto& r = out.record;
  if (directory == nullptr || !r.postcode) return items;
  app::DirectoryQuery q;
  q.postcode = *r.postcode;
  q.commune_code = r.commune_code.value_or("");
  q.level = domain::CareLevel::kEmergency;
  q.fathers = r.respondent != domain::Respondent::kMother;
  q.limit = kCrisisNearestServices;
  auto found = directory->Search(q);
  if (q.fathers && (!found.ok() || found->items.empty())) {
    q.fathers = false;
    found = directory->Search(q);
  }
  if (!found.ok()) return items;
  for (const auto& it : found->items) items.push_back(ResourceJson(it));
  return items;
}

}  // namespace

void AddCrisisHelp(const Catalogs& catalogs, app::DirectorySearch* directory,
                   const app::ScreeningOutcome& out, json::object& body) {
  if (!out.orientation.crisis) return;
  const std::string lang =
      catalogs.Has(out.record.language) ? out.record.language : std::string("fr");
  auto t = [&](const char* key) { return catalogs.Get(lang, key); };
  json::object help;
  help["language"] = lang;
  help["title"] = t("res_crisis_title");
  help["text"] = t("res_crisis_text");
  json::array contacts;
  for (const Contact& c : kContacts) {
    json::object o;
    o["number"] = c.number;
    o["channel"] = c.channel;
    o["href"] = c.href;
    o["label"] = t(c.label_key);
    contacts.push_back(std::move(o));
  }
  help["contacts"] = std::move(contacts);
  help["emergency_department"] = t("res_crisis_ed");
  json::object psychosis;
  psychosis["title"] = t("psychosis_title");
  psychosis["text"] = t("psychosis_text");
  psychosis["source"] = t("psychosis_source");
  help["puerperal_psychosis"] = std::move(psychosis);
  help["nearest_emergency_services"] = NearestEmergency(directory, out);
  body["crisis_help"] = std::move(help);
}

}  // namespace parcours::http
