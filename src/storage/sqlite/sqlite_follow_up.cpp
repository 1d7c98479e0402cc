#include "storage/sqlite/sqlite_follow_up.h"

#include <sqlite3.h>

#include "storage/codec.h"
#include "storage/directory_repository.h"
#include "storage/sqlite/sqlite_internal.h"

namespace parcours::storage::sqlite_internal {
namespace {

using namespace row_codec;  // NOLINT(google-build-using-namespace): the readers and binders

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
constexpr const char* kListLinkedScreenings =
    "SELECT " PARCOURS_SCREENING_COLS
    ", l.record_id, l.screening_id, l.attached_by, l.attached_at, l.via "
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

class SqliteFollowUp : public FollowUpRepository, private TxnStatements {
 public:
  SqliteFollowUp(Conn& c, Status* first_error) : TxnStatements(c, first_error) {}

  Status InsertRecord(const FollowUpRecord& r) override {
    Stmt q(c_, kInsertRecord);
    BindFollowUpRecord(q, r);
    return Write(q);
  }

  Result<std::optional<FollowUpRecord>> FindRecord(std::string_view id) override {
    Stmt q(c_, kFindRecord);
    q.Bind(id);
    return FindOne(q, ReadFollowUpRecord<const Stmt>);
  }

  Status LinkOtherParent(std::string_view id, std::string_view other, domain::TimestampMs at,
                         std::string_view by) override {
    Stmt q(c_, kLinkOther);
    q.Bind(other).Bind(at).Bind(by).Bind(at).Bind(id);
    return WriteOne(q, "no record");
  }

  Result<std::vector<FollowUpRecord>> ListRecordsOfMember(
      std::string_view user_id, const std::vector<std::string>& territories, int limit) override {
    Stmt q(c_, kListOfMember);
    q.Bind(user_id).Bind(EncodeList(territories)).Bind(limit);
    return All(q, ReadFollowUpRecord<const Stmt>);
  }

  Result<std::vector<FollowUpRecord>> ListOtherParents(std::string_view id) override {
    Stmt q(c_, kListOtherParents);
    q.Bind(id);
    return All(q, ReadFollowUpRecord<const Stmt>);
  }

  Status AddMember(const RecordMember& m) override {
    Stmt q(c_, kAddMember);
    q.Bind(m.record_id).Bind(m.user_id).Bind(m.added_by).Bind(m.added_at);
    return Write(q);
  }

  Result<bool> IsMember(std::string_view record_id, std::string_view user_id) override {
    Stmt q(c_, kIsMember);
    q.Bind(record_id).Bind(user_id);
    return Exists(q);
  }

  Result<std::vector<RecordMember>> ListMembers(std::string_view record_id) override {
    Stmt q(c_, kListMembers);
    q.Bind(record_id);
    return All(q, ReadMember<const Stmt>);
  }

  Status AttachScreening(const RecordScreeningLink& l) override {
    Stmt q(c_, kAttach);
    q.Bind(l.record_id).Bind(l.screening_id).Bind(l.attached_by).Bind(l.attached_at).Bind(l.via);
    return Write(q);
  }

  Result<std::vector<RecordScreeningLink>> ListRecordScreenings(
      std::string_view record_id) override {
    Stmt q(c_, kListAttached);
    q.Bind(record_id);
    return All(q, ReadScreeningLink<const Stmt>);
  }

  Result<std::vector<LinkedScreening>> ListLinkedScreenings(std::string_view record_id) override {
    Stmt q(c_, kListLinkedScreenings);
    q.Bind(record_id);
    return All(q, ReadLinkedScreening<const Stmt>);
  }

  Status InsertNote(const RecordNote& n) override {
    Stmt q(c_, kInsertNote);
    q.Bind(n.id).Bind(n.record_id).Bind(n.author_id).Bind(n.created_at).Bind(n.text_sealed);
    return Write(q);
  }

  Result<std::vector<RecordNote>> ListNotes(std::string_view record_id) override {
    Stmt q(c_, kListNotes);
    q.Bind(record_id);
    return All(q, ReadNote<const Stmt>);
  }

  Status InsertShareCode(const ShareCodeRecord& c) override {
    Stmt q(c_, kInsertShare);
    BindShare(q, c);
    return Write(q);
  }

  Result<std::optional<ShareCodeRecord>> FindShareCode(std::string_view hash) override {
    Stmt q(c_, kFindShare);
    q.Bind(hash);
    return FindOne(q, ReadShare<const Stmt>);
  }

  Status UseShareCode(std::string_view hash, domain::TimestampMs at, std::string_view user_id,
                      std::string_view record_id) override {
    Stmt q(c_, kUseShare);
    q.Bind(at).Bind(user_id).Bind(record_id).Bind(hash);
    return WriteGuarded(q, kShareExists, hash, "share code already used", "no such share code");
  }

  Result<std::int64_t> AddAttempt(std::string_view key, domain::TimestampMs at,
                                  domain::TimestampMs window_ms) override {
    Stmt q(c_, kAddAttempt);
    q.Bind(key).Bind(at).Bind(window_ms);
    return One(
        q, [](const Stmt& r) { return r.Int(0); }, "upsert returned no row");
  }

  Result<std::int64_t> CountAttempts(std::string_view key, domain::TimestampMs at,
                                     domain::TimestampMs window_ms) override {
    Stmt q(c_, kCountAttempts);
    q.Bind(key).Bind(at - window_ms);
    auto n = FindOne(q, [](const Stmt& r) { return r.Int(0); });
    if (!n.ok()) return n.status();
    return n->value_or(0);
  }

  Status InsertReferral(const ReferralRecord& r) override {
    Stmt q(c_, kInsertReferral);
    BindReferral(q, r);
    return Write(q);
  }

  Result<std::optional<ReferralRecord>> FindReferral(std::string_view id) override {
    Stmt q(c_, kFindReferral);
    q.Bind(id);
    return FindOne(q, ReadReferral<const Stmt>);
  }

  Status UpdateReferral(const ReferralRecord& r, std::string_view expected) override {
    Stmt q(c_, kUpdateReferral);
    BindReferralUpdate(q, r, expected);
    return WriteGuarded(q, kReferralExists, r.id, "referral changed meanwhile", "no such referral");
  }

  Result<std::vector<ReferralRecord>> ListReferralsByReferrer(std::string_view user_id,
                                                              int limit) override {
    Stmt q(c_, kListByReferrer);
    q.Bind(user_id).Bind(limit);
    return All(q, ReadReferral<const Stmt>);
  }

  Result<std::vector<ReferralRecord>> ListReferralsToTeam(std::string_view user_id,
                                                          int limit) override {
    Stmt q(c_, kListToTeam);
    q.Bind(user_id).Bind(limit);
    return All(q, ReadReferral<const Stmt>);
  }

  Result<std::vector<ReferralRecord>> ListReferralsOfRecord(std::string_view record_id) override {
    Stmt q(c_, kListOfRecord);
    q.Bind(record_id);
    return All(q, ReadReferral<const Stmt>);
  }

  Result<std::int64_t> AppendReferralEvent(const ReferralEventRecord& e) override {
    Stmt q(c_, kAppendEvent);
    BindReferralEvent(q, e);
    PARCOURS_RETURN_IF_ERROR(Write(q));
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(c_.db()));
  }

  Result<std::vector<ReferralEventRecord>> ListReferralEvents(
      std::string_view referral_id) override {
    Stmt q(c_, kListEvents);
    q.Bind(referral_id);
    return All(q, ReadReferralEvent<const Stmt>);
  }
};

}  // namespace

std::unique_ptr<FollowUpRepository> MakeSqliteFollowUp(Conn& c, Status* first_error) {
  return std::make_unique<SqliteFollowUp>(c, first_error);
}

}  // namespace parcours::storage::sqlite_internal
