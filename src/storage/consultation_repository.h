// ConsultationRepository: what a screening made in consultation adds to its
// screening row (the screenings table and its ids are shared with the
// parents' self-screenings): the context (EPP, EPNP, referent midwife...),
// the professional's account, the territory and the vulnerability factors,
// so that the indicators can count EPP/EPNP screenings. Reached from a
// Transaction (Transaction::consultations()), so a consultation and its
// screening are written atomically.
//
// Contract (both backends, tests/storage/consultation_conformance_test.cpp):
// - One consultation per screening (the screening id is the key); a second
//   insert is kConflict; the screening and the professional's account must
//   exist (the insert fails otherwise, and fails its transaction).
// - Vulnerability codes are stored in the order given and read back equal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/common/types.h"
#include "domain/pathway/consultation.h"

namespace parcours::storage {

struct ConsultationRecord {
  std::string screening_id;
  domain::TimestampMs created_at = 0;
  domain::ConsultationContext context = domain::ConsultationContext::kOther;
  std::string professional_id;  // users.id of the professional who passed it
  std::string territory_code;
  std::vector<std::string> vulnerability;  // factor codes (data/pathway/vulnerability.json)

  bool operator==(const ConsultationRecord&) const = default;
};

// Consultation screenings of one context in a period.
struct ConsultationCount {
  domain::ConsultationContext context = domain::ConsultationContext::kOther;
  std::int64_t screenings = 0;
  std::int64_t item10_positive = 0;  // of which item 10 > 0
  std::int64_t with_vulnerability = 0;

  bool operator==(const ConsultationCount&) const = default;
};

class ConsultationRepository {
 public:
  virtual ~ConsultationRepository() = default;

  virtual Status InsertConsultation(const ConsultationRecord& c) = 0;
  virtual Result<std::optional<ConsultationRecord>> FindConsultation(
      std::string_view screening_id) = 0;
  // Consultations of `territory_code` created in [from, until), one row per
  // context that has any, in the order of domain::AllConsultationContexts().
  virtual Result<std::vector<ConsultationCount>> CountByContext(std::string_view territory_code,
                                                                domain::TimestampMs from,
                                                                domain::TimestampMs until) = 0;
};

}  // namespace parcours::storage
