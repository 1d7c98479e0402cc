// The pathway configuration of an installation, read once at start-up from
// the share directory: questionnaires (data/questionnaires/), national
// rules (data/pathway/defaults.json), territories (data/territories/) and
// embedding partners (data/partners.json), public holidays
// (data/pathway/holidays.json) and the official information pages parents
// are sent to (data/content/official_pages.json), and the vulnerability
// factors of consultation screenings (data/pathway/vulnerability.json). The safety floors
// (domain/pathway/safety_floors.h) are checked on the defaults and every
// territory file. Immutable afterwards: safe to share between threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/pathway/consultation.h"
#include "domain/pathway/pathway_rules.h"
#include "domain/questionnaire/loinc_codes.h"
#include "domain/questionnaire/questionnaire.h"
#include "domain/territory/territory.h"

namespace parcours::app {

// A partner site allowed to embed the screening page.
struct Partner {
  std::string id;  // recorded as the screening's source
  std::string name;
  std::vector<std::string> origins;  // e.g. "https://www.example.fr"
};

// A public page parents are sent to (annex 1A of the instruction). The
// operator corrects its URL in the data file if the site moves it; the link
// text is the page's own title, in the page's language.
struct OfficialPage {
  std::string id;  // "1000-premiers-jours-baby-blues"
  std::string title;
  std::string site;      // "1000-premiers-jours.fr"
  std::string url;       // https://…
  std::string language;  // of the page ("fr")
};

class PathwayConfig {
 public:
  // Errors name the file and field at fault.
  static Result<PathwayConfig> Load(const std::string& share_dir);

  // nullptr when there is no such questionnaire.
  const domain::Questionnaire* Questionnaire(std::string_view instrument,
                                             std::string_view language) const;
  const domain::TerritoryCatalog& territories() const { return territories_; }
  const domain::PathwayRules& defaults() const { return defaults_; }
  const std::vector<Partner>& partners() const { return partners_; }
  const Partner* FindPartner(std::string_view id) const;
  const std::vector<OfficialPage>& official_pages() const { return official_pages_; }
  const OfficialPage* FindOfficialPage(std::string_view id) const;
  // The vulnerability factors a professional records (data/pathway/vulnerability.json).
  const domain::VulnerabilityFactors& vulnerability() const { return vulnerability_; }
  // LOINC codes of the EPDS (data/fhir/epds_loinc.json); null when no EPDS ships.
  const domain::LoincCodes* epds_loinc() const { return epds_loinc_ ? &*epds_loinc_ : nullptr; }

 private:
  std::map<std::string, domain::Questionnaire> questionnaires_;  // "epds.fr"
  domain::PathwayRules defaults_;
  domain::TerritoryCatalog territories_;
  std::vector<Partner> partners_;
  std::vector<OfficialPage> official_pages_;
  domain::VulnerabilityFactors vulnerability_;
  std::optional<domain::LoincCodes> epds_loinc_;
};

// Recorded source of a screening: a registered partner's id, "direct" when
// none was given, "unknown" otherwise (an unknown source still works).
std::string SourceOf(const PathwayConfig& config, std::string_view given);

}  // namespace parcours::app
