#include "app/pathway_config.h"

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "domain/pathway/safety_floors.h"

namespace parcours::app {
namespace {

namespace fs = std::filesystem;

Result<std::string> ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return Status::Unavailable("cannot read " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status InFile(const fs::path& p, const Status& st) {
  return Status(st.code(), p.filename().string() + ": " + st.message(), st.field());
}

Result<std::vector<Partner>> ParsePartners(const std::string& text) {
  std::error_code ec;
  boost::json::parse_options opts;
  opts.max_depth = 8;
  auto v = boost::json::parse(text, ec, {}, opts);
  if (ec || !v.is_object() || !v.as_object().contains("partners") ||
      !v.as_object().at("partners").is_array()) {
    return Status::InvalidArgument("partners", "expected {\"partners\": [...]}");
  }
  std::vector<Partner> out;
  for (const auto& pv : v.as_object().at("partners").as_array()) {
    if (!pv.is_object()) return Status::InvalidArgument("partners", "each partner is an object");
    const auto& o = pv.as_object();
    Partner p;
    const auto* id = o.if_contains("id");
    const auto* name = o.if_contains("name");
    const auto* origins = o.if_contains("origins");
    if (id == nullptr || !id->is_string() || id->as_string().empty() ||
        id->as_string() == "direct" || id->as_string() == "unknown") {
      return Status::InvalidArgument("partners.id", "missing or reserved id");
    }
    p.id = std::string(id->as_string());
    if (name == nullptr || !name->is_string()) {
      return Status::InvalidArgument("partners.name", "missing for " + p.id);
    }
    p.name = std::string(name->as_string());
    if (origins == nullptr || !origins->is_array()) {
      return Status::InvalidArgument("partners.origins", "missing for " + p.id);
    }
    for (const auto& ov : origins->as_array()) {
      // An origin goes into a CSP header: scheme://host[:port] only.
      if (!ov.is_string()) return Status::InvalidArgument("partners.origins", "not text");
      std::string origin(ov.as_string());
      const bool scheme = origin.starts_with("https://") || origin.starts_with("http://");
      const bool clean =
          origin.find_first_of(" ;,'\"\r\n/", origin.find("//") + 2) == std::string::npos;
      if (!scheme || !clean) {
        return Status::InvalidArgument("partners.origins",
                                       "invalid origin \"" + origin + "\" for " + p.id);
      }
      p.origins.push_back(std::move(origin));
    }
    out.push_back(std::move(p));
  }
  return out;
}

// {"pages": [{"id", "title", "site", "url", "language"}]}: https URLs only.
Result<std::vector<OfficialPage>> ParseOfficialPages(const std::string& text) {
  std::error_code ec;
  boost::json::parse_options opts;
  opts.max_depth = 8;
  auto v = boost::json::parse(text, ec, {}, opts);
  if (ec || !v.is_object() || !v.as_object().contains("pages") ||
      !v.as_object().at("pages").is_array()) {
    return Status::InvalidArgument("pages", "pages: expected {\"pages\": [...]}");
  }
  std::vector<OfficialPage> out;
  const auto& list = v.as_object().at("pages").as_array();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = "pages[" + std::to_string(i) + "]";
    if (!list[i].is_object()) return Status::InvalidArgument(at, at + ": must be an object");
    const auto& o = list[i].as_object();
    OfficialPage p;
    for (auto [key, field] : {std::pair{"id", &p.id},
                              {"title", &p.title},
                              {"site", &p.site},
                              {"url", &p.url},
                              {"language", &p.language}}) {
      const auto* x = o.if_contains(key);
      if (x == nullptr || !x->is_string() || x->as_string().empty()) {
        return Status::InvalidArgument(at + "." + key, at + "." + key + ": missing");
      }
      *field = std::string(x->as_string());
    }
    // The URL goes into an href: an https address without quotes or spaces.
    if (!p.url.starts_with("https://") ||
        p.url.find_first_of(" \"'<>\r\n\t") != std::string::npos) {
      return Status::InvalidArgument(at + ".url", at + ".url: must be an https:// address");
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

Result<PathwayConfig> PathwayConfig::Load(const std::string& share_dir) {
  PathwayConfig c;
  const fs::path data = fs::path(share_dir) / "data";
  std::error_code ec;
  for (auto it = fs::directory_iterator(data / "questionnaires", ec);
       !ec && it != fs::directory_iterator(); it.increment(ec)) {
    if (it->path().extension() != ".json") continue;
    auto text = ReadFile(it->path());
    if (!text.ok()) return text.status();
    auto q = domain::Questionnaire::Parse(*text);
    if (!q.ok()) return InFile(it->path(), q.status());
    const std::string key = q->instrument() + "." + q->language();
    c.questionnaires_.emplace(key, std::move(*q));
  }
  if (ec) return Status::Unavailable("cannot read " + (data / "questionnaires").string());
  if (c.questionnaires_.count("epds.fr") == 0) {
    return Status::Unavailable("no French EPDS in " + (data / "questionnaires").string());
  }

  auto defaults_text = ReadFile(data / "pathway" / "defaults.json");
  if (!defaults_text.ok()) return defaults_text.status();
  auto defaults = domain::PathwayRules::Parse(*defaults_text);
  if (!defaults.ok()) return InFile(data / "pathway" / "defaults.json", defaults.status());
  PARCOURS_RETURN_IF_ERROR(domain::CheckSafetyFloors(*defaults, "data/pathway/defaults.json"));
  c.defaults_ = std::move(*defaults);

  auto vulnerability_text = ReadFile(data / "pathway" / "vulnerability.json");
  if (!vulnerability_text.ok()) return vulnerability_text.status();
  auto vulnerability = domain::VulnerabilityFactors::Parse(*vulnerability_text);
  if (!vulnerability.ok()) {
    return InFile(data / "pathway" / "vulnerability.json", vulnerability.status());
  }
  c.vulnerability_ = std::move(*vulnerability);

  // LOINC codes of the EPDS for its FHIR form (after the questionnaires: the
  // answer lists are as long as the French questionnaire's).
  if (const domain::Questionnaire* epds = c.Questionnaire("epds", "fr")) {
    auto loinc_text = ReadFile(data / "fhir" / "epds_loinc.json");
    if (!loinc_text.ok()) return loinc_text.status();
    auto loinc = domain::LoincCodes::Parse(*loinc_text, static_cast<int>(epds->size()), 4);
    if (!loinc.ok()) return InFile(data / "fhir" / "epds_loinc.json", loinc.status());
    if (loinc->panel().code != epds->loinc()) {
      return Status::InvalidArgument(
          "panel", "epds_loinc.json: panel differs from the questionnaire's loinc");
    }
    c.epds_loinc_ = std::move(*loinc);
  }

  auto holidays_text = ReadFile(data / "pathway" / "holidays.json");
  if (!holidays_text.ok()) return holidays_text.status();
  auto holidays = domain::HolidayTable::Parse(*holidays_text);
  if (!holidays.ok()) return InFile(data / "pathway" / "holidays.json", holidays.status());

  std::map<std::string, std::string> files;
  for (auto it = fs::directory_iterator(data / "territories", ec);
       !ec && it != fs::directory_iterator(); it.increment(ec)) {
    if (it->path().extension() != ".json") continue;
    auto text = ReadFile(it->path());
    if (!text.ok()) return text.status();
    files[it->path().filename().string()] = std::move(*text);
  }
  if (ec) return Status::Unavailable("cannot read " + (data / "territories").string());
  auto territories = domain::TerritoryCatalog::Load(files, c.defaults_, *holidays);
  if (!territories.ok()) return territories.status();
  c.territories_ = std::move(*territories);

  if (fs::exists(data / "partners.json")) {
    auto text = ReadFile(data / "partners.json");
    if (!text.ok()) return text.status();
    auto partners = ParsePartners(*text);
    if (!partners.ok()) return InFile(data / "partners.json", partners.status());
    c.partners_ = std::move(*partners);
  }

  auto pages_text = ReadFile(data / "content" / "official_pages.json");
  if (!pages_text.ok()) return pages_text.status();
  auto pages = ParseOfficialPages(*pages_text);
  if (!pages.ok()) return InFile(data / "content" / "official_pages.json", pages.status());
  c.official_pages_ = std::move(*pages);
  return c;
}

const domain::Questionnaire* PathwayConfig::Questionnaire(std::string_view instrument,
                                                          std::string_view language) const {
  auto it = questionnaires_.find(std::string(instrument) + "." + std::string(language));
  return it == questionnaires_.end() ? nullptr : &it->second;
}

const OfficialPage* PathwayConfig::FindOfficialPage(std::string_view id) const {
  for (const auto& p : official_pages_) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

const Partner* PathwayConfig::FindPartner(std::string_view id) const {
  for (const auto& p : partners_) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

std::string SourceOf(const PathwayConfig& config, std::string_view given) {
  if (given.empty() || given == "direct") return "direct";
  return config.FindPartner(given) != nullptr ? std::string(given) : "unknown";
}

}  // namespace parcours::app
