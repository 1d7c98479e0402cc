#include "storage/postgres/postgres_follow_up.h"

#include "storage/codec.h"
#include "storage/directory_repository.h"
#include "storage/postgres/postgres_internal.h"

namespace parcours::storage::postgres_internal {
namespace {

using namespace row_codec;  // NOLINT(google-build-using-namespace): the readers and binders

constexpr StatementDef kInsertRecord{
    "parcours_fu_insert_record",
    "INSERT INTO follow_up_records (id, territory_code, created_by, created_at, updated_at, "
    "respondent, identity_sealed, other_parent_of, other_parent_consent_at, "
    "other_parent_consent_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)"};
constexpr StatementDef kFindRecord{"parcours_fu_find_record",
                                   "SELECT " PARCOURS_RECORD_COLS
                                   " FROM follow_up_records r WHERE r.id = $1"};
constexpr StatementDef kLinkOther{
    "parcours_fu_link_other",
    "UPDATE follow_up_records SET other_parent_of = $1, other_parent_consent_at = $2, "
    "other_parent_consent_by = $3, updated_at = $2 WHERE id = $4"};
constexpr StatementDef kListOfMember{
    "parcours_fu_list_of_member",
    "SELECT " PARCOURS_RECORD_COLS
    " FROM follow_up_members m JOIN follow_up_records r ON r.id = m.record_id "
    "WHERE m.user_id = $1 AND r.territory_code = ANY (string_to_array($2, ',')) "
    "ORDER BY r.id COLLATE \"C\" DESC LIMIT $3"};
constexpr StatementDef kListOtherParents{"parcours_fu_list_other_parents",
                                         "SELECT " PARCOURS_RECORD_COLS
                                         " FROM follow_up_records r WHERE r.other_parent_of = $1 "
                                         "ORDER BY r.id COLLATE \"C\""};

constexpr StatementDef kAddMember{
    "parcours_fu_add_member",
    "INSERT INTO follow_up_members (record_id, user_id, added_by, added_at) VALUES ($1,$2,$3,$4)"};
constexpr StatementDef kIsMember{
    "parcours_fu_is_member",
    "SELECT 1 FROM follow_up_members WHERE record_id = $1 AND user_id = $2"};
constexpr StatementDef kListMembers{
    "parcours_fu_list_members",
    "SELECT record_id, user_id, added_by, added_at FROM follow_up_members WHERE record_id = $1 "
    "ORDER BY added_at, user_id COLLATE \"C\""};

constexpr StatementDef kAttach{
    "parcours_fu_attach",
    "INSERT INTO follow_up_screenings (record_id, screening_id, attached_by, attached_at, via) "
    "VALUES ($1,$2,$3,$4,$5)"};
constexpr StatementDef kListAttached{
    "parcours_fu_list_attached",
    "SELECT l.record_id, l.screening_id, l.attached_by, l.attached_at, l.via "
    "FROM follow_up_screenings l JOIN screenings s ON s.id = l.screening_id "
    "WHERE l.record_id = $1 ORDER BY s.created_at, s.id COLLATE \"C\""};
constexpr StatementDef kListLinkedScreenings{
    "parcours_fu_list_linked_screenings",
    "SELECT " PARCOURS_SCREENING_COLS
    ", l.record_id, l.screening_id, l.attached_by, l.attached_at, l.via "
    "FROM follow_up_screenings l JOIN screenings s ON s.id = l.screening_id "
    "WHERE l.record_id = $1 ORDER BY s.created_at, s.id COLLATE \"C\""};

constexpr StatementDef kInsertNote{
    "parcours_fu_insert_note",
    "INSERT INTO follow_up_notes (id, record_id, author_id, created_at, text_sealed) "
    "VALUES ($1,$2,$3,$4,$5)"};
constexpr StatementDef kListNotes{
    "parcours_fu_list_notes",
    "SELECT id, record_id, author_id, created_at, text_sealed FROM follow_up_notes "
    "WHERE record_id = $1 ORDER BY created_at, id COLLATE \"C\""};

constexpr StatementDef kInsertShare{"parcours_fu_insert_share",
                                    "INSERT INTO share_codes (" PARCOURS_SHARE_COLS
                                    ") VALUES ($1,$2,$3,$4,$5,$6,$7)"};
constexpr StatementDef kFindShare{"parcours_fu_find_share",
                                  "SELECT " PARCOURS_SHARE_COLS
                                  " FROM share_codes WHERE code_hash = $1"};
constexpr StatementDef kUseShare{
    "parcours_fu_use_share",
    "UPDATE share_codes SET used_at = $1, used_by = $2, record_id = $3 "
    "WHERE code_hash = $4 AND used_at IS NULL"};
constexpr StatementDef kShareExists{"parcours_fu_share_exists",
                                    "SELECT 1 FROM share_codes WHERE code_hash = $1"};

constexpr StatementDef kAddAttempt{
    "parcours_fu_add_attempt",
    "INSERT INTO attempt_counters AS a (key, window_start, count) VALUES ($1, $2, 1) "
    "ON CONFLICT (key) DO UPDATE SET "
    "count = CASE WHEN a.window_start <= $2 - $3::bigint THEN 1 ELSE a.count + 1 END, "
    "window_start = CASE WHEN a.window_start <= $2 - $3::bigint THEN $2 ELSE a.window_start END "
    "RETURNING count"};
constexpr StatementDef kCountAttempts{
    "parcours_fu_count_attempts",
    "SELECT count FROM attempt_counters WHERE key = $1 AND window_start > $2"};

constexpr StatementDef kInsertReferral{"parcours_fu_insert_referral",
                                       "INSERT INTO referrals (" PARCOURS_REFERRAL_COLS
                                       ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,"
                                       "$14,$15)"};
constexpr StatementDef kFindReferral{
    "parcours_fu_find_referral", "SELECT " PARCOURS_REFERRAL_COLS " FROM referrals WHERE id = $1"};
constexpr StatementDef kUpdateReferral{
    "parcours_fu_update_referral",
    "UPDATE referrals SET status = $1, decline_reason = $2, first_appointment = $3, "
    "outcome = $4, updated_at = $5 WHERE id = $6 AND status = $7"};
constexpr StatementDef kReferralExists{"parcours_fu_referral_exists",
                                       "SELECT 1 FROM referrals WHERE id = $1"};
constexpr StatementDef kListByReferrer{
    "parcours_fu_list_by_referrer",
    "SELECT " PARCOURS_REFERRAL_COLS
    " FROM referrals WHERE referrer_id = $1 ORDER BY id COLLATE \"C\" DESC LIMIT $2"};
constexpr StatementDef kListToTeam{
    "parcours_fu_list_to_team",
    "SELECT " PARCOURS_REFERRAL_COLS
    " FROM referrals WHERE team_user_id = $1 ORDER BY id COLLATE \"C\" DESC LIMIT $2"};
constexpr StatementDef kListOfRecord{
    "parcours_fu_list_of_record", "SELECT " PARCOURS_REFERRAL_COLS
                                  " FROM referrals WHERE record_id = $1 ORDER BY id COLLATE \"C\""};
constexpr StatementDef kAppendEvent{
    "parcours_fu_append_event",
    "INSERT INTO referral_events (referral_id, at, actor, event, from_status, to_status, detail) "
    "VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id"};
constexpr StatementDef kListEvents{
    "parcours_fu_list_events",
    "SELECT id, referral_id, at, actor, event, from_status, to_status, detail "
    "FROM referral_events WHERE referral_id = $1 ORDER BY id"};

class PostgresFollowUp : public FollowUpRepository, private TxnStatements {
 public:
  PostgresFollowUp(PgConn& c, Status* first_error) : TxnStatements(c, first_error) {}

  Status InsertRecord(const FollowUpRecord& r) override {
    Params p;
    return Exec(kInsertRecord, BindFollowUpRecord(p, r));
  }

  Result<std::optional<FollowUpRecord>> FindRecord(std::string_view id) override {
    return FindOne(kFindRecord, Params().Text(id), ReadFollowUpRecord<Row>, "follow_up_records");
  }

  Status LinkOtherParent(std::string_view id, std::string_view other, domain::TimestampMs at,
                         std::string_view by) override {
    return ExecOne(kLinkOther, Params().Text(other).Int(at).Text(by).Text(id), "no record");
  }

  Result<std::vector<FollowUpRecord>> ListRecordsOfMember(
      std::string_view user_id, const std::vector<std::string>& territories, int limit) override {
    return All(kListOfMember, Params().Text(user_id).Text(EncodeList(territories)).Int(limit),
               ReadFollowUpRecord<Row>, "follow_up_records");
  }

  Result<std::vector<FollowUpRecord>> ListOtherParents(std::string_view id) override {
    return All(kListOtherParents, Params().Text(id), ReadFollowUpRecord<Row>, "follow_up_records");
  }

  Status AddMember(const RecordMember& m) override {
    return Exec(kAddMember,
                Params().Text(m.record_id).Text(m.user_id).Text(m.added_by).Int(m.added_at));
  }

  Result<bool> IsMember(std::string_view record_id, std::string_view user_id) override {
    return Exists(kIsMember, Params().Text(record_id).Text(user_id));
  }

  Result<std::vector<RecordMember>> ListMembers(std::string_view record_id) override {
    return All(kListMembers, Params().Text(record_id), ReadMember<Row>, "follow_up_members");
  }

  Status AttachScreening(const RecordScreeningLink& l) override {
    return Exec(kAttach, Params()
                             .Text(l.record_id)
                             .Text(l.screening_id)
                             .Text(l.attached_by)
                             .Int(l.attached_at)
                             .Text(l.via));
  }

  Result<std::vector<RecordScreeningLink>> ListRecordScreenings(
      std::string_view record_id) override {
    return All(kListAttached, Params().Text(record_id), ReadScreeningLink<Row>,
               "follow_up_screenings");
  }

  Result<std::vector<LinkedScreening>> ListLinkedScreenings(std::string_view record_id) override {
    return All(kListLinkedScreenings, Params().Text(record_id), ReadLinkedScreening<Row>,
               "follow_up_screenings");
  }

  Status InsertNote(const RecordNote& n) override {
    Params p;
    p.Text(n.id).Text(n.record_id).Text(n.author_id).Int(n.created_at).Bytes(n.text_sealed);
    return Exec(kInsertNote, p);
  }

  Result<std::vector<RecordNote>> ListNotes(std::string_view record_id) override {
    return All(kListNotes, Params().Text(record_id), ReadNote<Row>, "follow_up_notes");
  }

  Status InsertShareCode(const ShareCodeRecord& c) override {
    Params p;
    return Exec(kInsertShare, BindShare(p, c));
  }

  Result<std::optional<ShareCodeRecord>> FindShareCode(std::string_view hash) override {
    return FindOne(kFindShare, Params().Text(hash), ReadShare<Row>, "share_codes");
  }

  Status UseShareCode(std::string_view hash, domain::TimestampMs at, std::string_view user_id,
                      std::string_view record_id) override {
    return ExecGuarded(kUseShare, Params().Int(at).Text(user_id).Text(record_id).Text(hash),
                       kShareExists, hash, "share code already used", "no such share code");
  }

  Result<std::int64_t> AddAttempt(std::string_view key, domain::TimestampMs at,
                                  domain::TimestampMs window_ms) override {
    return One(
        kAddAttempt, Params().Text(key).Int(at).Int(window_ms), [](Row& r) { return r.Int(0); },
        "attempt_counters", "upsert returned no row");
  }

  Result<std::int64_t> CountAttempts(std::string_view key, domain::TimestampMs at,
                                     domain::TimestampMs window_ms) override {
    auto n = FindOne(
        kCountAttempts, Params().Text(key).Int(at - window_ms), [](Row& r) { return r.Int(0); },
        "attempt_counters");
    if (!n.ok()) return n.status();
    return n->value_or(0);
  }

  Status InsertReferral(const ReferralRecord& r) override {
    Params p;
    return Exec(kInsertReferral, BindReferral(p, r));
  }

  Result<std::optional<ReferralRecord>> FindReferral(std::string_view id) override {
    return FindOne(kFindReferral, Params().Text(id), ReadReferral<Row>, "referrals");
  }

  Status UpdateReferral(const ReferralRecord& r, std::string_view expected) override {
    Params p;
    return ExecGuarded(kUpdateReferral, BindReferralUpdate(p, r, expected), kReferralExists, r.id,
                       "referral changed meanwhile", "no such referral");
  }

  Result<std::vector<ReferralRecord>> ListReferralsByReferrer(std::string_view user_id,
                                                              int limit) override {
    return All(kListByReferrer, Params().Text(user_id).Int(limit), ReadReferral<Row>, "referrals");
  }

  Result<std::vector<ReferralRecord>> ListReferralsToTeam(std::string_view user_id,
                                                          int limit) override {
    return All(kListToTeam, Params().Text(user_id).Int(limit), ReadReferral<Row>, "referrals");
  }

  Result<std::vector<ReferralRecord>> ListReferralsOfRecord(std::string_view record_id) override {
    return All(kListOfRecord, Params().Text(record_id), ReadReferral<Row>, "referrals");
  }

  Result<std::int64_t> AppendReferralEvent(const ReferralEventRecord& e) override {
    Params p;
    return One(
        kAppendEvent, BindReferralEvent(p, e), [](Row& r) { return r.Int(0); }, "referral_events",
        "insert returned no id");
  }

  Result<std::vector<ReferralEventRecord>> ListReferralEvents(
      std::string_view referral_id) override {
    return All(kListEvents, Params().Text(referral_id), ReadReferralEvent<Row>, "referral_events");
  }
};

}  // namespace

std::unique_ptr<FollowUpRepository> MakePostgresFollowUp(PgConn& c, Status* first_error) {
  return std::make_unique<PostgresFollowUp>(c, first_error);
}

}  // namespace parcours::storage::postgres_internal
