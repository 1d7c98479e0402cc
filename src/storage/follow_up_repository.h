// FollowUpRepository: follow-up records (pseudonymous, identity and notes
// sealed by the caller), who they are shared with, the screenings they
// link, share codes, per-key attempt counters, and referrals with their
// transitions. Reached from a Transaction (Transaction::follow_up()), so it
// shares that transaction's atomicity.
//
// Contract (both backends, tests/storage/follow_up_conformance_test.cpp):
// - Ids are given by the caller (app::NewId); a duplicate is kConflict.
// - Sealed fields are opaque bytes: storage never sees identity or notes
//   in clear. Share codes are kept by a hash the caller computes.
// - Updates of a missing row are kNotFound; a state change that lost a race
//   (the row is no longer in the expected state) is kConflict.
// - Lists are in a stable order given per method.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/common/types.h"
#include "storage/records.h"

namespace parcours::storage {

struct FollowUpRecord {
  std::string id;
  std::string territory_code;
  std::string created_by;  // account id
  domain::TimestampMs created_at = 0;
  domain::TimestampMs updated_at = 0;
  domain::Respondent respondent = domain::Respondent::kMother;
  std::vector<unsigned char> identity_sealed;  // app::Sealer box of the identity JSON
  // The record of the other parent of the same child, linked with this
  // parent's recorded consent (when and who recorded it).
  std::optional<std::string> other_parent_of;
  std::optional<domain::TimestampMs> other_parent_consent_at;
  std::optional<std::string> other_parent_consent_by;

  bool operator==(const FollowUpRecord&) const = default;
};

struct RecordMember {
  std::string record_id;
  std::string user_id;
  std::string added_by;
  domain::TimestampMs added_at = 0;
  bool operator==(const RecordMember&) const = default;
};

struct RecordScreeningLink {
  std::string record_id;
  std::string screening_id;
  std::string attached_by;
  domain::TimestampMs attached_at = 0;
  std::string via;  // "share_code", "consultation"
  bool operator==(const RecordScreeningLink&) const = default;
};

// A linked screening with its link (a record page reads both at once).
struct LinkedScreening {
  RecordScreeningLink link;
  ScreeningRecord screening;
};

struct RecordNote {
  std::string id;
  std::string record_id;
  std::string author_id;
  domain::TimestampMs created_at = 0;
  std::vector<unsigned char> text_sealed;
  bool operator==(const RecordNote&) const = default;
};

struct ShareCodeRecord {
  std::string code_hash;
  std::string screening_id;
  domain::TimestampMs created_at = 0;
  domain::TimestampMs expires_at = 0;
  std::optional<domain::TimestampMs> used_at;
  std::optional<std::string> used_by;
  std::optional<std::string> record_id;
  bool operator==(const ShareCodeRecord&) const = default;
};

struct ReferralRecord {
  std::string id;
  std::string territory_code;
  std::string referrer_id;
  std::optional<std::string> record_id;
  std::optional<std::string> screening_id;
  std::string target_kind;  // "resource" or "team"
  std::optional<std::string> resource_id;
  std::optional<std::string> team_user_id;
  std::string joint_care;  // domain::JointCare identifier
  std::string status;      // domain::ReferralStatus identifier
  std::optional<std::string> decline_reason;
  std::optional<std::string> first_appointment;  // YYYY-MM-DD
  std::optional<std::string> outcome;
  domain::TimestampMs created_at = 0;
  domain::TimestampMs updated_at = 0;
  bool operator==(const ReferralRecord&) const = default;
};

struct ReferralEventRecord {
  std::int64_t id = 0;  // assigned by storage
  std::string referral_id;
  domain::TimestampMs at = 0;
  std::string actor;
  std::string event;
  std::string from_status;
  std::string to_status;
  std::string detail;
  bool operator==(const ReferralEventRecord&) const = default;
};

class FollowUpRepository {
 public:
  virtual ~FollowUpRepository() = default;

  // --- records --------------------------------------------------------------
  virtual Status InsertRecord(const FollowUpRecord& r) = 0;
  virtual Result<std::optional<FollowUpRecord>> FindRecord(std::string_view id) = 0;
  // Sets the other-parent link and its consent (kNotFound if absent).
  virtual Status LinkOtherParent(std::string_view id, std::string_view other_record_id,
                                 domain::TimestampMs consent_at, std::string_view consent_by) = 0;
  // Records shared with the user in one of `territories`, newest first.
  virtual Result<std::vector<FollowUpRecord>> ListRecordsOfMember(
      std::string_view user_id, const std::vector<std::string>& territories, int limit) = 0;
  // Records naming `id` as their other parent.
  virtual Result<std::vector<FollowUpRecord>> ListOtherParents(std::string_view id) = 0;

  // --- sharing --------------------------------------------------------------
  // kConflict when the user is already a member.
  virtual Status AddMember(const RecordMember& m) = 0;
  virtual Result<bool> IsMember(std::string_view record_id, std::string_view user_id) = 0;
  // In the order they were added.
  virtual Result<std::vector<RecordMember>> ListMembers(std::string_view record_id) = 0;

  // --- linked screenings ----------------------------------------------------
  // kConflict when the screening is already linked to the record.
  virtual Status AttachScreening(const RecordScreeningLink& l) = 0;
  // Oldest screening first (by the screening's creation time).
  virtual Result<std::vector<RecordScreeningLink>> ListRecordScreenings(
      std::string_view record_id) = 0;
  // The same links with their screenings, in the same order: one read for a
  // record page, where a lookup per screening cost a round trip each.
  virtual Result<std::vector<LinkedScreening>> ListLinkedScreenings(std::string_view record_id) = 0;

  // --- notes ----------------------------------------------------------------
  virtual Status InsertNote(const RecordNote& n) = 0;
  // Oldest first.
  virtual Result<std::vector<RecordNote>> ListNotes(std::string_view record_id) = 0;

  // --- share codes ----------------------------------------------------------
  virtual Status InsertShareCode(const ShareCodeRecord& c) = 0;
  virtual Result<std::optional<ShareCodeRecord>> FindShareCode(std::string_view code_hash) = 0;
  // Marks an unused code used; kConflict if it was already used (single
  // use even under concurrent requests), kNotFound if absent.
  virtual Status UseShareCode(std::string_view code_hash, domain::TimestampMs at,
                              std::string_view user_id, std::string_view record_id) = 0;

  // --- attempt counters -----------------------------------------------------
  // Adds one to the counter of `key` in its fixed window of `window_ms`
  // (a new window starts at `at` when the current one began at or before
  // at - window_ms) and returns the count in the window, this one included.
  virtual Result<std::int64_t> AddAttempt(std::string_view key, domain::TimestampMs at,
                                          domain::TimestampMs window_ms) = 0;
  // The count in the window ending at `at` (0 when none or expired).
  virtual Result<std::int64_t> CountAttempts(std::string_view key, domain::TimestampMs at,
                                             domain::TimestampMs window_ms) = 0;

  // --- referrals ------------------------------------------------------------
  virtual Status InsertReferral(const ReferralRecord& r) = 0;
  virtual Result<std::optional<ReferralRecord>> FindReferral(std::string_view id) = 0;
  // Replaces status, decline_reason, first_appointment, outcome and
  // updated_at of row r.id when its stored status is `expected_status`;
  // kConflict when it is not, kNotFound when there is no such row.
  virtual Status UpdateReferral(const ReferralRecord& r, std::string_view expected_status) = 0;
  // Newest first.
  virtual Result<std::vector<ReferralRecord>> ListReferralsByReferrer(std::string_view user_id,
                                                                      int limit) = 0;
  virtual Result<std::vector<ReferralRecord>> ListReferralsToTeam(std::string_view user_id,
                                                                  int limit) = 0;
  virtual Result<std::vector<ReferralRecord>> ListReferralsOfRecord(std::string_view record_id) = 0;
  // Returns the event's id.
  virtual Result<std::int64_t> AppendReferralEvent(const ReferralEventRecord& e) = 0;
  // Oldest first.
  virtual Result<std::vector<ReferralEventRecord>> ListReferralEvents(
      std::string_view referral_id) = 0;
};

}  // namespace parcours::storage
