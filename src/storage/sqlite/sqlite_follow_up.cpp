#include "storage/sqlite/sqlite_follow_up.h"

#include <sqlite3.h>

#include "storage/codec.h"
#include "storage/directory_repository.h"
#include "storage/sqlite/sqlite_internal.h"

namespace parcours::storage::sqlite_internal {
namespace {

#define PARCOURS_RECORD_COLS                                                         \
  "r.id, r.territory_code, r.created_by, r.created_at, r.updated_at, r.respondent, " \
  "r.identity_sealed, r.other_parent_of, r.other_parent_consent_at, r.other_parent_consent_by"
#define PARCOURS_SHARE_COLS \
  "code_hash, screening_id, created_at, expires_at, used_at, used_by, record_id"
#define PARCOURS_REFERRAL_COLS                                                                 \
  "id, territory_code, referrer_id, record_id, screening_id, target_kind, resource_id, "       \
  "team_user_id, joint_care, status, decline_reason, first_appointment, outcome, created_at, " \
  "updated_at"

constexpr const char* kInsertRecord =
    "INSERT INTO follow_up_records (id, territory_code, created_by, created_at, updated_at, "
    "respondent, identity_sealed, other_parent_of, other_parent_consent_at, "
    "other_parent_consent_by) VALUES (?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kFindRecord =
    "SELECT " PARCOURS_RECORD_COLS " FROM follow_up_records r WHERE r.id = ?";
constexpr const char* kLinkOther =
    "UPDATE follow_up_records SET other_parent_of = ?, other_parent_consent_at = ?, "
    "other_parent_consent_by = ?, updated_at = ? WHERE id = ?";
constexpr const char* kListOfMember =
    "SELECT " PARCOURS_RECORD_COLS
    " FROM follow_up_members m JOIN follow_up_records r ON r.id = m.record_id "
    "WHERE m.user_id = ? AND instr(',' || ? || ',', ',' || r.territory_code || ',') > 0 "
    "ORDER BY r.id DESC LIMIT ?";
constexpr const char* kListOtherParents = "SELECT " PARCOURS_RECORD_COLS
                                          " FROM follow_up_records r WHERE r.other_parent_of = ? "
                                          "ORDER BY r.id";

constexpr const char* kAddMember =
    "INSERT INTO follow_up_members (record_id, user_id, added_by, added_at) VALUES (?,?,?,?)";
constexpr const char* kIsMember =
    "SELECT 1 FROM follow_up_members WHERE record_id = ? AND user_id = ?";
constexpr const char* kListMembers =
    "SELECT record_id, user_id, added_by, added_at FROM follow_up_members WHERE record_id = ? "
    "ORDER BY added_at, user_id";

constexpr const char* kAttach =
    "INSERT INTO follow_up_screenings (record_id, screening_id, attached_by, attached_at, via) "
    "VALUES (?,?,?,?,?)";
constexpr const char* kListAttached =
    "SELECT l.record_id, l.screening_id, l.attached_by, l.attached_at, l.via "
    "FROM follow_up_screenings l JOIN screenings s ON s.id = l.screening_id "
    "WHERE l.record_id = ? ORDER BY s.created_at, s.id";

constexpr const char* kInsertNote =
    "INSERT INTO follow_up_notes (id, record_id, author_id, created_at, text_sealed) "
    "VALUES (?,?,?,?,?)";
constexpr const char* kListNotes =
    "SELECT id, record_id, author_id, created_at, text_sealed FROM follow_up_notes "
    "WHERE record_id = ? ORDER BY created_at, id";

constexpr const char* kInsertShare =
    "INSERT INTO share_codes (" PARCOURS_SHARE_COLS ") VALUES (?,?,?,?,?,?,?)";
constexpr const char* kFindShare =
    "SELECT " PARCOURS_SHARE_COLS " FROM share_codes WHERE code_hash = ?";
constexpr const char* kUseShare =
    "UPDATE share_codes SET used_at = ?, used_by = ?, record_id = ? "
    "WHERE code_hash = ? AND used_at IS NULL";
constexpr const char* kShareExists = "SELECT 1 FROM share_codes WHERE code_hash = ?";

constexpr const char* kAddAttempt =
    "INSERT INTO attempt_counters (key, window_start, count) VALUES (?1, ?2, 1) "
    "ON CONFLICT (key) DO UPDATE SET "
    "count = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE count + 1 END, "
    "window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END "
    "RETURNING count";
constexpr const char* kCountAttempts =
    "SELECT count FROM attempt_counters WHERE key = ? AND window_start > ?";

constexpr const char* kInsertReferral =
    "INSERT INTO referrals (" PARCOURS_REFERRAL_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kFindReferral =
    "SELECT " PARCOURS_REFERRAL_COLS " FROM referrals WHERE id = ?";
constexpr const char* kUpdateReferral =
    "UPDATE referrals SET status = ?, decline_reason = ?, first_appointment = ?, outcome = ?, "
    "updated_at = ? WHERE id = ? AND status = ?";
constexpr const char* kReferralExists = "SELECT 1 FROM referrals WHERE id = ?";
constexpr const char* kListByReferrer =
    "SELECT " PARCOURS_REFERRAL_COLS
    " FROM referrals WHERE referrer_id = ? ORDER BY id DESC LIMIT ?";
constexpr const char* kListToTeam =
    "SELECT " PARCOURS_REFERRAL_COLS
    " FROM referrals WHERE team_user_id = ? ORDER BY id DESC LIMIT ?";
constexpr const char* kListOfRecord =
    "SELECT " PARCOURS_REFERRAL_COLS " FROM referrals WHERE record_id = ? ORDER BY id";
constexpr const char* kAppendEvent =
    "INSERT INTO referral_events (referral_id, at, actor, event, from_status, to_status, detail) "
    "VALUES (?,?,?,?,?,?,?)";
constexpr const char* kListEvents =
    "SELECT id, referral_id, at, actor, event, from_status, to_status, detail "
    "FROM referral_events WHERE referral_id = ? ORDER BY id";

Result<FollowUpRecord> ReadRecord(const Stmt& q) {
  FollowUpRecord r;
  r.id = q.Text(0);
  r.territory_code = q.Text(1);
  r.created_by = q.Text(2);
  r.created_at = q.Int(3);
  r.updated_at = q.Int(4);
  RowDecoder row("follow_up_records", r.id);
  r.respondent = row.Enum("respondent", q.Text(5), domain::ParseRespondent);
  r.identity_sealed = q.Blob(6);
  r.other_parent_of = q.OptText(7);
  r.other_parent_consent_at = q.OptInt64(8);
  r.other_parent_consent_by = q.OptText(9);
  if (!row.status().ok()) return row.status();
  return r;
}

ShareCodeRecord ReadShare(const Stmt& q) {
  return ShareCodeRecord{q.Text(0),     q.Text(1),    q.Int(2),    q.Int(3),
                         q.OptInt64(4), q.OptText(5), q.OptText(6)};
}

ReferralRecord ReadReferral(const Stmt& q) {
  ReferralRecord r;
  r.id = q.Text(0);
  r.territory_code = q.Text(1);
  r.referrer_id = q.Text(2);
  r.record_id = q.OptText(3);
  r.screening_id = q.OptText(4);
  r.target_kind = q.Text(5);
  r.resource_id = q.OptText(6);
  r.team_user_id = q.OptText(7);
  r.joint_care = q.Text(8);
  r.status = q.Text(9);
  r.decline_reason = q.OptText(10);
  r.first_appointment = q.OptText(11);
  r.outcome = q.OptText(12);
  r.created_at = q.Int(13);
  r.updated_at = q.Int(14);
  return r;
}

class SqliteFollowUp : public FollowUpRepository {
 public:
  SqliteFollowUp(Conn& c, Status* first_error) : c_(c), first_error_(first_error) {}

  Status InsertRecord(const FollowUpRecord& r) override {
    Stmt q(c_, kInsertRecord);
    q.Bind(r.id)
        .Bind(r.territory_code)
        .Bind(r.created_by)
        .Bind(r.created_at)
        .Bind(r.updated_at)
        .Bind(domain::ToString(r.respondent))
        .Bind(r.identity_sealed)
        .Bind(r.other_parent_of)
        .Bind(r.other_parent_consent_at)
        .Bind(r.other_parent_consent_by);
    return Note(q.Run());
  }

  Result<std::optional<FollowUpRecord>> FindRecord(std::string_view id) override {
    Stmt q(c_, kFindRecord);
    q.Bind(id);
    if (q.Step()) {
      auto r = ReadRecord(q);
      if (!r.ok()) return Note(r.status());
      return std::optional<FollowUpRecord>(std::move(*r));
    }
    if (!q.ok()) return Note(q.status());
    return std::optional<FollowUpRecord>();
  }

  Status LinkOtherParent(std::string_view id, std::string_view other, domain::TimestampMs at,
                         std::string_view by) override {
    Stmt q(c_, kLinkOther);
    q.Bind(other).Bind(at).Bind(by).Bind(at).Bind(id);
    PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    if (sqlite3_changes(c_.db()) == 0) return Status::NotFound("no record");
    return Status::Ok();
  }

  Result<std::vector<FollowUpRecord>> ListRecordsOfMember(
      std::string_view user_id, const std::vector<std::string>& territories, int limit) override {
    Stmt q(c_, kListOfMember);
    q.Bind(user_id).Bind(EncodeList(territories)).Bind(limit);
    return Records(q);
  }

  Result<std::vector<FollowUpRecord>> ListOtherParents(std::string_view id) override {
    Stmt q(c_, kListOtherParents);
    q.Bind(id);
    return Records(q);
  }

  Status AddMember(const RecordMember& m) override {
    Stmt q(c_, kAddMember);
    q.Bind(m.record_id).Bind(m.user_id).Bind(m.added_by).Bind(m.added_at);
    return Note(q.Run());
  }

  Result<bool> IsMember(std::string_view record_id, std::string_view user_id) override {
    Stmt q(c_, kIsMember);
    q.Bind(record_id).Bind(user_id);
    bool found = q.Step();
    if (!q.ok()) return Note(q.status());
    return found;
  }

  Result<std::vector<RecordMember>> ListMembers(std::string_view record_id) override {
    Stmt q(c_, kListMembers);
    q.Bind(record_id);
    std::vector<RecordMember> out;
    while (q.Step()) out.push_back(RecordMember{q.Text(0), q.Text(1), q.Text(2), q.Int(3)});
    if (!q.ok()) return Note(q.status());
    return out;
  }

  Status AttachScreening(const RecordScreeningLink& l) override {
    Stmt q(c_, kAttach);
    q.Bind(l.record_id).Bind(l.screening_id).Bind(l.attached_by).Bind(l.attached_at).Bind(l.via);
    return Note(q.Run());
  }

  Result<std::vector<RecordScreeningLink>> ListRecordScreenings(
      std::string_view record_id) override {
    Stmt q(c_, kListAttached);
    q.Bind(record_id);
    std::vector<RecordScreeningLink> out;
    while (q.Step()) {
      out.push_back(RecordScreeningLink{q.Text(0), q.Text(1), q.Text(2), q.Int(3), q.Text(4)});
    }
    if (!q.ok()) return Note(q.status());
    return out;
  }

  Status InsertNote(const RecordNote& n) override {
    Stmt q(c_, kInsertNote);
    q.Bind(n.id).Bind(n.record_id).Bind(n.author_id).Bind(n.created_at).Bind(n.text_sealed);
    return Note(q.Run());
  }

  Result<std::vector<RecordNote>> ListNotes(std::string_view record_id) override {
    Stmt q(c_, kListNotes);
    q.Bind(record_id);
    std::vector<RecordNote> out;
    while (q.Step()) {
      out.push_back(RecordNote{q.Text(0), q.Text(1), q.Text(2), q.Int(3), q.Blob(4)});
    }
    if (!q.ok()) return Note(q.status());
    return out;
  }

  Status InsertShareCode(const ShareCodeRecord& c) override {
    Stmt q(c_, kInsertShare);
    q.Bind(c.code_hash)
        .Bind(c.screening_id)
        .Bind(c.created_at)
        .Bind(c.expires_at)
        .Bind(c.used_at)
        .Bind(c.used_by)
        .Bind(c.record_id);
    return Note(q.Run());
  }

  Result<std::optional<ShareCodeRecord>> FindShareCode(std::string_view hash) override {
    Stmt q(c_, kFindShare);
    q.Bind(hash);
    if (q.Step()) return std::optional<ShareCodeRecord>(ReadShare(q));
    if (!q.ok()) return Note(q.status());
    return std::optional<ShareCodeRecord>();
  }

  Status UseShareCode(std::string_view hash, domain::TimestampMs at, std::string_view user_id,
                      std::string_view record_id) override {
    {
      Stmt q(c_, kUseShare);
      q.Bind(at).Bind(user_id).Bind(record_id).Bind(hash);
      PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
      if (sqlite3_changes(c_.db()) == 1) return Status::Ok();
    }
    Stmt e(c_, kShareExists);
    e.Bind(hash);
    bool exists = e.Step();
    if (!e.ok()) return Note(e.status());
    return exists ? Status::Conflict("share code already used")
                  : Status::NotFound("no such share code");
  }

  Result<std::int64_t> AddAttempt(std::string_view key, domain::TimestampMs at,
                                  domain::TimestampMs window_ms) override {
    Stmt q(c_, kAddAttempt);
    q.Bind(key).Bind(at).Bind(window_ms);
    if (!q.Step()) return Note(q.ok() ? Status::Internal("upsert returned no row") : q.status());
    std::int64_t n = q.Int(0);
    while (q.Step()) {
    }
    if (!q.ok()) return Note(q.status());
    return n;
  }

  Result<std::int64_t> CountAttempts(std::string_view key, domain::TimestampMs at,
                                     domain::TimestampMs window_ms) override {
    Stmt q(c_, kCountAttempts);
    q.Bind(key).Bind(at - window_ms);
    std::int64_t n = q.Step() ? q.Int(0) : 0;
    if (!q.ok()) return Note(q.status());
    return n;
  }

  Status InsertReferral(const ReferralRecord& r) override {
    Stmt q(c_, kInsertReferral);
    q.Bind(r.id)
        .Bind(r.territory_code)
        .Bind(r.referrer_id)
        .Bind(r.record_id)
        .Bind(r.screening_id)
        .Bind(r.target_kind)
        .Bind(r.resource_id)
        .Bind(r.team_user_id)
        .Bind(r.joint_care)
        .Bind(r.status)
        .Bind(r.decline_reason)
        .Bind(r.first_appointment)
        .Bind(r.outcome)
        .Bind(r.created_at)
        .Bind(r.updated_at);
    return Note(q.Run());
  }

  Result<std::optional<ReferralRecord>> FindReferral(std::string_view id) override {
    Stmt q(c_, kFindReferral);
    q.Bind(id);
    if (q.Step()) return std::optional<ReferralRecord>(ReadReferral(q));
    if (!q.ok()) return Note(q.status());
    return std::optional<ReferralRecord>();
  }

  Status UpdateReferral(const ReferralRecord& r, std::string_view expected) override {
    {
      Stmt q(c_, kUpdateReferral);
      q.Bind(r.status)
          .Bind(r.decline_reason)
          .Bind(r.first_appointment)
          .Bind(r.outcome)
          .Bind(r.updated_at)
          .Bind(r.id)
          .Bind(expected);
      PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
      if (sqlite3_changes(c_.db()) == 1) return Status::Ok();
    }
    Stmt e(c_, kReferralExists);
    e.Bind(r.id);
    bool exists = e.Step();
    if (!e.ok()) return Note(e.status());
    return exists ? Status::Conflict("referral changed meanwhile")
                  : Status::NotFound("no such referral");
  }

  Result<std::vector<ReferralRecord>> ListReferralsByReferrer(std::string_view user_id,
                                                              int limit) override {
    Stmt q(c_, kListByReferrer);
    q.Bind(user_id).Bind(limit);
    return Referrals(q);
  }

  Result<std::vector<ReferralRecord>> ListReferralsToTeam(std::string_view user_id,
                                                          int limit) override {
    Stmt q(c_, kListToTeam);
    q.Bind(user_id).Bind(limit);
    return Referrals(q);
  }

  Result<std::vector<ReferralRecord>> ListReferralsOfRecord(std::string_view record_id) override {
    Stmt q(c_, kListOfRecord);
    q.Bind(record_id);
    return Referrals(q);
  }

  Result<std::int64_t> AppendReferralEvent(const ReferralEventRecord& e) override {
    Stmt q(c_, kAppendEvent);
    q.Bind(e.referral_id)
        .Bind(e.at)
        .Bind(e.actor)
        .Bind(e.event)
        .Bind(e.from_status)
        .Bind(e.to_status)
        .Bind(e.detail);
    PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(c_.db()));
  }

  Result<std::vector<ReferralEventRecord>> ListReferralEvents(
      std::string_view referral_id) override {
    Stmt q(c_, kListEvents);
    q.Bind(referral_id);
    std::vector<ReferralEventRecord> out;
    while (q.Step()) {
      out.push_back(ReferralEventRecord{q.Int(0), q.Text(1), q.Int(2), q.Text(3), q.Text(4),
                                        q.Text(5), q.Text(6), q.Text(7)});
    }
    if (!q.ok()) return Note(q.status());
    return out;
  }

 private:
  Status Note(Status st) {
    if (!st.ok() && first_error_->ok()) *first_error_ = st;
    return st;
  }

  Result<std::vector<FollowUpRecord>> Records(Stmt& q) {
    std::vector<FollowUpRecord> out;
    while (q.Step()) {
      auto r = ReadRecord(q);
      if (!r.ok()) return Note(r.status());
      out.push_back(std::move(*r));
    }
    if (!q.ok()) return Note(q.status());
    return out;
  }

  Result<std::vector<ReferralRecord>> Referrals(Stmt& q) {
    std::vector<ReferralRecord> out;
    while (q.Step()) out.push_back(ReadReferral(q));
    if (!q.ok()) return Note(q.status());
    return out;
  }

  Conn& c_;
  Status* first_error_;
};

}  // namespace

std::unique_ptr<FollowUpRepository> MakeSqliteFollowUp(Conn& c, Status* first_error) {
  return std::make_unique<SqliteFollowUp>(c, first_error);
}

}  // namespace parcours::storage::sqlite_internal
