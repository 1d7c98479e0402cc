// Follow-up records (issue 13): created only when a professional needs
// one; a pseudonymous identity sealed at rest (app::Sealer); the screenings
// of one parent over time (a self-screening only through the share code
// the parent gave); sealed notes; sharing with other professionals of the
// territory; the other parent of the same child, linked only with that
// parent's recorded consent; next screening dates from the domain.
//
// Access: every call takes the acting Principal and checks its rule
// (app/auth/access_rules.h). A record is readable only by its members
// whose territories include the record's: anyone else gets kNotFound (ids
// reveal nothing). Every read and change is written to the audit log in
// the same transaction; a failed write leaves nothing.
//
// Share codes (parent side, anonymous): a code is valid 30 days, works
// once, and is kept as a keyed hash. A professional's attempts to use one
// are counted per account in the database (every server process shares
// the count): past kShareAttemptLimit failures within kShareAttemptWindow,
// attempts are refused with kTooManyRequests until the window ends.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/seams.h"
#include "core/status.h"
#include "domain/access/access.h"
#include "domain/pathway/pathway_rules.h"
#include "domain/record/follow_up.h"
#include "storage/follow_up_repository.h"
#include "storage/records.h"

namespace parcours::app {

struct NewRecordInput {
  std::optional<domain::Respondent> respondent;  // field "respondent"
  domain::RecordIdentity identity;
  // Field "territory": required when the principal has several.
  std::optional<std::string> territory;
};

using AttachedScreening = storage::LinkedScreening;

struct RecordNoteView {
  std::string author_name;
  domain::TimestampMs at = 0;
  std::string text;
};

struct RecordMemberView {
  std::string user_id;
  std::string name;
  std::string role;
};

// A linked record of the other parent: named only to members of both.
struct OtherParentView {
  std::string record_id;
  std::optional<std::string> name;  // when the caller may read that record
  domain::TimestampMs consent_at = 0;
};

struct RecordSummary {
  std::string id;
  std::string name;
  domain::Respondent respondent = domain::Respondent::kMother;
  std::string territory_code;
  domain::TimestampMs created_at = 0;
};

struct RecordView {
  storage::FollowUpRecord record;
  domain::RecordIdentity identity;
  std::vector<AttachedScreening> screenings;  // oldest first
  std::vector<RecordNoteView> notes;          // oldest first
  std::vector<RecordMemberView> members;
  std::optional<domain::NextScreenings> next;
  std::vector<OtherParentView> other_parents;
  std::vector<storage::ReferralRecord> referrals;
};

struct IssuedShareCode {
  std::string code;  // "K7M2Q-9QXDA", shown once
  domain::TimestampMs expires_at = 0;
};

class RecordService {
 public:
  static constexpr std::chrono::hours kShareCodeValidity{24 * 30};
  static constexpr int kShareAttemptLimit = 10;
  static constexpr std::chrono::hours kShareAttemptWindow{1};

  // All borrowed; they must outlive the service.
  RecordService(storage::Storage& storage, const Clock& clock, Random& random, const Sealer& sealer,
                const domain::TimingRules& timing);

  // Field errors (all at once): respondent, territory, name, birth_year,
  // child_birth_date, phone. Returns the new record's id; the creator is
  // its first member.
  Result<std::string> Create(const domain::Principal& p, const NewRecordInput& in);
  // The caller's records in their territories, newest first.
  Result<std::vector<RecordSummary>> List(const domain::Principal& p);
  // Audited read of everything the record page shows.
  Result<RecordView> Open(const domain::Principal& p, std::string_view record_id);
  // Sealed note (field "note": 1 to 4000 characters).
  Status AddNote(const domain::Principal& p, std::string_view record_id, std::string_view text);
  // Shares the record with the account of `email` (field "email": an
  // active professional or specialised team of the record's territory).
  Status Share(const domain::Principal& p, std::string_view record_id, std::string_view email);
  // Links the record of the other parent of the same child (field
  // "other_record": a record the caller may read, of the same territory,
  // not this one); field "consent": that parent's consent must be recorded.
  Status LinkOtherParent(const domain::Principal& p, std::string_view record_id,
                         std::string_view other_record_id, bool consent);
  // Attaches the screening of a share code (field "code"): kNotFound for
  // an unknown or expired code, kConflict for a used one,
  // kTooManyRequests past the attempt limit; every attempt is audited.
  Result<AttachedScreening> AttachByShareCode(const domain::Principal& p,
                                              std::string_view record_id, std::string_view code);

  // The screenings of a record the caller may read, oldest first (audited
  // as a read of the record, detail "fhir"): kNotFound otherwise.
  Result<std::vector<storage::ScreeningRecord>> Screenings(const domain::Principal& p,
                                                           std::string_view record_id);

  // --- parent side (anonymous: whoever holds the screening's result page) ---
  Result<IssuedShareCode> IssueShareCode(std::string_view screening_id);

  // Is the record readable by p (member, in scope)? For other use cases
  // (referrals, FHIR) inside their own transaction.
  static Result<storage::FollowUpRecord> ReadableRecord(storage::Transaction& tx,
                                                        const domain::Principal& p,
                                                        std::string_view record_id);

 private:
  storage::Storage& storage_;
  const Clock& clock_;
  Random& random_;
  const Sealer& sealer_;
  const domain::TimingRules& timing_;
};

}  // namespace parcours::app
