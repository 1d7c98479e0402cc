// What a first-line professional adds when they pass the EPDS with a parent
// in a consultation (annex 2 of the instruction): the context of the
// consultation, counted later by the indicators (EPP, EPNP, referent
// midwife), and the HAS 2024 vulnerability factors, a data list with stable
// codes (data/pathway/vulnerability.json). Any factor recorded makes
// AssessmentInput::vulnerability true: the one rule source
// (PathwayRules::Assess) then raises the level as the pathway file says.
// Readable cases: tests/cases/orientation_vulnerability.json.
//
// Pure; immutable after Parse, thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace parcours::domain {

// Identifiers of the API and of storage.
enum class ConsultationContext {
  kEpp,              // epp: entretien prénatal précoce
  kEpnp,             // epnp: entretien postnatal précoce
  kReferentMidwife,  // referent_midwife: visit of the sage-femme référente
  kPaediatric,       // paediatric
  kGp,               // gp: general practitioner
  kOther,            // other
};

std::string_view ToString(ConsultationContext c);
std::optional<ConsultationContext> ParseConsultationContext(std::string_view s);
// Every context, in declaration order (the order of a form).
const std::vector<ConsultationContext>& AllConsultationContexts();

struct VulnerabilityFactor {
  std::string code;                           // "isolation"
  std::map<std::string, std::string> labels;  // language → label
};

class VulnerabilityFactors {
 public:
  // Parses vulnerability.json: {"factors": [{"code", "label": {"fr", ...}}]}.
  // Codes are lower-case [a-z0-9_], unique; every factor has a French label.
  // Errors name the JSON path.
  static Result<VulnerabilityFactors> Parse(std::string_view json);

  const std::vector<VulnerabilityFactor>& all() const { return factors_; }
  // nullptr when unknown.
  const VulnerabilityFactor* Find(std::string_view code) const;
  // Label in `lang`, French fallback; the code itself when unknown.
  std::string Label(std::string_view code, const std::string& lang) const;

  // The codes given, checked: each must be a known code (field
  // "vulnerability[i]", reason "unknown"); duplicates are folded. Returns
  // them in list order (the file's), so equal sets compare equal.
  Result<std::vector<std::string>> Check(const std::vector<std::string>& codes) const;

 private:
  std::vector<VulnerabilityFactor> factors_;
};

}  // namespace parcours::domain
