// Rows as the storage layer keeps them. Enumerations are domain values here
// and stored by their API identifier (domain::ToString); a stored identifier
// that does not parse back makes the read fail (kInternal), never a default.
// Timestamps are UTC milliseconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/alert/alert_machine.h"
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
  // Keyed hashes of the normalised phone and e-mail ("p:…", "e:…", space
  // separated), so a repeat request of one contact is found without
  // storing the contact in clear. Empty: none (requests made before V006).
  std::optional<std::string> contact_key;
  // Accepted while the territory received more requests than its flood
  // threshold: the coordinator's report lists these.
  bool suspected_flood = false;
  // The alert circuit (V007). status holds a domain::AlertStatus identifier.
  domain::AlertSource source = domain::AlertSource::kParent;
  std::optional<domain::CareLevel> level;  // level of response set at qualification
  std::optional<std::string> assigned_user_id;
  std::optional<std::string> emitter_user_id;  // the professional who raised it
  std::vector<unsigned char> reporter_sealed;  // third party: identity + relation, sealed
  std::optional<domain::CloseOutcome> closed_outcome;
  std::optional<std::string> resource_id;      // closed as oriented: the resource
  std::optional<std::string> consultation_id;  // raised from a consultation
  // Optimistic concurrency: bumped by every AlertRepository::ApplyEvent.
  std::int64_t version = 0;

  bool operator==(const AlertRecord&) const = default;
};

// One line of an alert's append-only history (V007). Written with the
// alert's new state in one transaction; `seq` is assigned by storage and
// grows in commit order, so "events after seq N" is a cursor a consumer (the
// live inbox, the notifications) can follow without missing one.
struct AlertEventRecord {
  std::int64_t seq = 0;  // assigned by storage
  std::string id;        // app::NewId
  std::string alert_id;
  std::string territory_code;
  TimestampMs at = 0;
  std::string actor;  // account id or "system"
  domain::AlertEventType type = domain::AlertEventType::kCreated;
  domain::AlertStatus status_after = domain::AlertStatus::kNew;
  // The event's non-sensitive fields as a JSON object (urgency, level,
  // channel, outcome, user_id, resource_id, deadline_at, escalation level…).
  std::string fields = "{}";
  std::vector<unsigned char> note_sealed;  // free text is health data: sealed
  // Escalations only: "<alert id>/<deadline_at>/<level>", unique.
  std::optional<std::string> escalation_key;

  bool operator==(const AlertEventRecord&) const = default;
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
