// Rows as the storage layer keeps them. Enumerations are domain values here
// and stored by their API identifier (domain::ToString); a stored identifier
// that does not parse back makes the read fail (kInternal), never a default.
// Timestamps are UTC milliseconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/common/types.h"

namespace parcours::storage {

using domain::TimestampMs;

// One EPDS self- or assisted screening. Pseudonymous health data: it carries
// no name or contact; it keeps the threshold set version that produced band.
struct ScreeningRecord {
  std::string id;
  TimestampMs created_at = 0;
  std::string instrument;  // "epds"
  std::string language;    // "fr", "en"
  domain::Respondent respondent = domain::Respondent::kMother;
  domain::Period period = domain::Period::kPostnatal;
  std::optional<int> child_age_weeks;
  std::optional<std::string> postcode;
  std::optional<std::string> commune_code;
  std::optional<std::string> territory_code;  // empty: outside the territories
  std::string source;                         // partner source, "direct" or "unknown"
  std::vector<int> answers;                   // option indices in display order
  int score = 0;
  domain::Band band = domain::Band::kLow;
  bool item10_positive = false;
  std::string threshold_set_id;
  int threshold_version = 0;
  domain::CareLevel level = domain::CareLevel::kInformation;

  bool operator==(const ScreeningRecord&) const = default;
};

// An alert someone must act on (recontact request, item-10 event with a way
// to reach the parent). Stored with its territory and deadline from the
// moment it is raised; the inbox and its state machine come later.
struct AlertRecord {
  std::string id;
  std::string reference;  // short code shown to the parent
  TimestampMs created_at = 0;
  std::string kind;  // "recontact", "item10"
  std::optional<std::string> screening_id;
  std::string territory_code;  // "" = outside territories queue
  // Sub-territory routed to within the territory (most specific match of
  // the parent's commune), if any.
  std::optional<std::string> sub_territory_code;
  domain::Urgency urgency = domain::Urgency::kWithin7d;
  TimestampMs deadline_at = 0;
  std::string status;  // "new", ...
  bool crisis = false;
  std::vector<unsigned char> contact_sealed;  // secretbox(nonce||ciphertext), may be empty
  TimestampMs updated_at = 0;

  bool operator==(const AlertRecord&) const = default;
};

// One line of the audit log: who read or changed which personal data.
struct AuditEntry {
  std::int64_t id = 0;  // assigned by storage
  TimestampMs at = 0;
  std::string actor;   // account id, "parent", "system", "cli:<user>"
  std::string action;  // "read", "create", "update", "export", ...
  std::string subject_type;
  std::string subject_id;
  std::string territory_code;
  std::string detail;

  bool operator==(const AuditEntry&) const = default;
};

}  // namespace parcours::storage
