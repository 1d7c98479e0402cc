#include "storage/postgres/postgres_follow_up.h"

#include "storage/codec.h"
#include "storage/directory_repository.h"
#include "storage/postgres/postgres_internal.h"

namespace parcours::storage::postgres_internal {
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

std::int64_t Affected(const PgResult& r) {
  std::string_view n(PQcmdTuples(r.get()));
  std::int64_t v = 0;
  std::from_chars(n.data(), n.data() + n.size(), v);
  return v;
}

class PostgresFollowUp : public FollowUpRepository {
 public:
  PostgresFollowUp(PgConn& c, Status* first_error) : c_(c), first_error_(first_error) {}

  Status InsertRecord(const FollowUpRecord& r) override {
    Params p;
    p.Text(r.id)
        .Text(r.territory_code)
        .Text(r.created_by)
        .Int(r.created_at)
        .Int(r.updated_at)
        .Text(domain::ToString(r.respondent))
        .Bytes(r.identity_sealed)
        .OptText(r.other_parent_of)
        .OptInt64(r.other_parent_consent_at)
        .OptText(r.other_parent_consent_by);
    auto res = Run(kInsertRecord, p);
    return res.ok() ? Status::Ok() : res.status();
  }

  Result<std::optional<FollowUpRecord>> FindRecord(std::string_view id) override {
    auto r = Records(kFindRecord, Params().Text(id));
    if (!r.ok()) return r.status();
    if (r->empty()) return std::optional<FollowUpRecord>();
    return std::optional<FollowUpRecord>(std::move(r->front()));
  }

  Status LinkOtherParent(std::string_view id, std::string_view other, domain::TimestampMs at,
                         std::string_view by) override {
    auto r = Run(kLinkOther, Params().Text(other).Int(at).Text(by).Text(id));
    if (!r.ok()) return r.status();
    if (Affected(*r) == 0) return Status::NotFound("no record");
    return Status::Ok();
  }

  Result<std::vector<FollowUpRecord>> ListRecordsOfMember(
      std::string_view user_id, const std::vector<std::string>& territories, int limit) override {
    return Records(kListOfMember, Params().Text(user_id).Text(EncodeList(territories)).Int(limit));
  }

  Result<std::vector<FollowUpRecord>> ListOtherParents(std::string_view id) override {
    return Records(kListOtherParents, Params().Text(id));
  }

  Status AddMember(const RecordMember& m) override {
    auto r = Run(kAddMember,
                 Params().Text(m.record_id).Text(m.user_id).Text(m.added_by).Int(m.added_at));
    return r.ok() ? Status::Ok() : r.status();
  }

  Result<bool> IsMember(std::string_view record_id, std::string_view user_id) override {
    auto r = Run(kIsMember, Params().Text(record_id).Text(user_id));
    if (!r.ok()) return r.status();
    return PQntuples(r->get()) > 0;
  }

  Result<std::vector<RecordMember>> ListMembers(std::string_view record_id) override {
    auto r = Run(kListMembers, Params().Text(record_id));
    if (!r.ok()) return r.status();
    Rows q(r->get());
    std::vector<RecordMember> out;
    out.reserve(static_cast<std::size_t>(q.size()));
    for (int i = 0; i < q.size(); ++i) {
      out.push_back(RecordMember{q.Text(i, 0), q.Text(i, 1), q.Text(i, 2), q.Int(i, 3)});
    }
    if (q.corrupt()) return Track(Status::Internal("corrupt row in follow_up_members"));
    return out;
  }

  Status AttachScreening(const RecordScreeningLink& l) override {
    auto r = Run(kAttach, Params()
                              .Text(l.record_id)
                              .Text(l.screening_id)
                              .Text(l.attached_by)
                              .Int(l.attached_at)
                              .Text(l.via));
    return r.ok() ? Status::Ok() : r.status();
  }

  Result<std::vector<RecordScreeningLink>> ListRecordScreenings(
      std::string_view record_id) override {
    auto r = Run(kListAttached, Params().Text(record_id));
    if (!r.ok()) return r.status();
    Rows q(r->get());
    std::vector<RecordScreeningLink> out;
    out.reserve(static_cast<std::size_t>(q.size()));
    for (int i = 0; i < q.size(); ++i) {
      out.push_back(
          RecordScreeningLink{q.Text(i, 0), q.Text(i, 1), q.Text(i, 2), q.Int(i, 3), q.Text(i, 4)});
    }
    if (q.corrupt()) return Track(Status::Internal("corrupt row in follow_up_screenings"));
    return out;
  }

  Status InsertNote(const RecordNote& n) override {
    Params p;
    p.Text(n.id).Text(n.record_id).Text(n.author_id).Int(n.created_at).Bytes(n.text_sealed);
    auto r = Run(kInsertNote, p);
    return r.ok() ? Status::Ok() : r.status();
  }

  Result<std::vector<RecordNote>> ListNotes(std::string_view record_id) override {
    auto r = Run(kListNotes, Params().Text(record_id));
    if (!r.ok()) return r.status();
    Rows q(r->get());
    std::vector<RecordNote> out;
    out.reserve(static_cast<std::size_t>(q.size()));
    for (int i = 0; i < q.size(); ++i) {
      out.push_back(
          RecordNote{q.Text(i, 0), q.Text(i, 1), q.Text(i, 2), q.Int(i, 3), q.Bytes(i, 4)});
    }
    if (q.corrupt()) return Track(Status::Internal("corrupt row in follow_up_notes"));
    return out;
  }

  Status InsertShareCode(const ShareCodeRecord& c) override {
    Params p;
    p.Text(c.code_hash)
        .Text(c.screening_id)
        .Int(c.created_at)
        .Int(c.expires_at)
        .OptInt64(c.used_at)
        .OptText(c.used_by)
        .OptText(c.record_id);
    auto r = Run(kInsertShare, p);
    return r.ok() ? Status::Ok() : r.status();
  }

  Result<std::optional<ShareCodeRecord>> FindShareCode(std::string_view hash) override {
    auto r = Run(kFindShare, Params().Text(hash));
    if (!r.ok()) return r.status();
    Rows q(r->get());
    if (q.size() == 0) return std::optional<ShareCodeRecord>();
    ShareCodeRecord c{q.Text(0, 0),     q.Text(0, 1),    q.Int(0, 2),    q.Int(0, 3),
                      q.OptInt64(0, 4), q.OptText(0, 5), q.OptText(0, 6)};
    if (q.corrupt()) return Track(Status::Internal("corrupt row in share_codes"));
    return std::optional<ShareCodeRecord>(std::move(c));
  }

  Status UseShareCode(std::string_view hash, domain::TimestampMs at, std::string_view user_id,
                      std::string_view record_id) override {
    auto r = Run(kUseShare, Params().Int(at).Text(user_id).Text(record_id).Text(hash));
    if (!r.ok()) return r.status();
    if (Affected(*r) == 1) return Status::Ok();
    auto e = Run(kShareExists, Params().Text(hash));
    if (!e.ok()) return e.status();
    return PQntuples(e->get()) > 0 ? Status::Conflict("share code already used")
                                   : Status::NotFound("no such share code");
  }

  Result<std::int64_t> AddAttempt(std::string_view key, domain::TimestampMs at,
                                  domain::TimestampMs window_ms) override {
    auto r = Run(kAddAttempt, Params().Text(key).Int(at).Int(window_ms));
    if (!r.ok()) return r.status();
    Rows q(r->get());
    if (q.size() != 1) return Track(Status::Internal("upsert returned no row"));
    std::int64_t n = q.Int(0, 0);
    if (q.corrupt()) return Track(Status::Internal("corrupt row in attempt_counters"));
    return n;
  }

  Result<std::int64_t> CountAttempts(std::string_view key, domain::TimestampMs at,
                                     domain::TimestampMs window_ms) override {
    auto r = Run(kCountAttempts, Params().Text(key).Int(at - window_ms));
    if (!r.ok()) return r.status();
    Rows q(r->get());
    if (q.size() == 0) return std::int64_t{0};
    std::int64_t n = q.Int(0, 0);
    if (q.corrupt()) return Track(Status::Internal("corrupt row in attempt_counters"));
    return n;
  }

  Status InsertReferral(const ReferralRecord& r) override {
    Params p;
    p.Text(r.id)
        .Text(r.territory_code)
        .Text(r.referrer_id)
        .OptText(r.record_id)
        .OptText(r.screening_id)
        .Text(r.target_kind)
        .OptText(r.resource_id)
        .OptText(r.team_user_id)
        .Text(r.joint_care)
        .Text(r.status)
        .OptText(r.decline_reason)
        .OptText(r.first_appointment)
        .OptText(r.outcome)
        .Int(r.created_at)
        .Int(r.updated_at);
    auto res = Run(kInsertReferral, p);
    return res.ok() ? Status::Ok() : res.status();
  }

  Result<std::optional<ReferralRecord>> FindReferral(std::string_view id) override {
    auto r = Referrals(kFindReferral, Params().Text(id));
    if (!r.ok()) return r.status();
    if (r->empty()) return std::optional<ReferralRecord>();
    return std::optional<ReferralRecord>(std::move(r->front()));
  }

  Status UpdateReferral(const ReferralRecord& r, std::string_view expected) override {
    Params p;
    p.Text(r.status)
        .OptText(r.decline_reason)
        .OptText(r.first_appointment)
        .OptText(r.outcome)
        .Int(r.updated_at)
        .Text(r.id)
        .Text(expected);
    auto res = Run(kUpdateReferral, p);
    if (!res.ok()) return res.status();
    if (Affected(*res) == 1) return Status::Ok();
    auto e = Run(kReferralExists, Params().Text(r.id));
    if (!e.ok()) return e.status();
    return PQntuples(e->get()) > 0 ? Status::Conflict("referral changed meanwhile")
                                   : Status::NotFound("no such referral");
  }

  Result<std::vector<ReferralRecord>> ListReferralsByReferrer(std::string_view user_id,
                                                              int limit) override {
    return Referrals(kListByReferrer, Params().Text(user_id).Int(limit));
  }

  Result<std::vector<ReferralRecord>> ListReferralsToTeam(std::string_view user_id,
                                                          int limit) override {
    return Referrals(kListToTeam, Params().Text(user_id).Int(limit));
  }

  Result<std::vector<ReferralRecord>> ListReferralsOfRecord(std::string_view record_id) override {
    return Referrals(kListOfRecord, Params().Text(record_id));
  }

  Result<std::int64_t> AppendReferralEvent(const ReferralEventRecord& e) override {
    Params p;
    p.Text(e.referral_id)
        .Int(e.at)
        .Text(e.actor)
        .Text(e.event)
        .Text(e.from_status)
        .Text(e.to_status)
        .Text(e.detail);
    auto r = Run(kAppendEvent, p);
    if (!r.ok()) return r.status();
    Rows q(r->get());
    std::int64_t id = q.size() == 1 ? q.Int(0, 0) : 0;
    if (q.size() != 1 || q.corrupt()) return Track(Status::Internal("insert returned no id"));
    return id;
  }

  Result<std::vector<ReferralEventRecord>> ListReferralEvents(
      std::string_view referral_id) override {
    auto r = Run(kListEvents, Params().Text(referral_id));
    if (!r.ok()) return r.status();
    Rows q(r->get());
    std::vector<ReferralEventRecord> out;
    out.reserve(static_cast<std::size_t>(q.size()));
    for (int i = 0; i < q.size(); ++i) {
      out.push_back(ReferralEventRecord{q.Int(i, 0), q.Text(i, 1), q.Int(i, 2), q.Text(i, 3),
                                        q.Text(i, 4), q.Text(i, 5), q.Text(i, 6), q.Text(i, 7)});
    }
    if (q.corrupt()) return Track(Status::Internal("corrupt row in referral_events"));
    return out;
  }

 private:
  Status Track(Status s) {
    if (!s.ok() && first_error_->ok()) *first_error_ = s;
    return s;
  }

  Result<PgResult> Run(const StatementDef& st, const Params& p) {
    auto r = c_.Run(st, p);
    // Recorded as the transaction's first error by Track; the caller gets r.
    if (!r.ok()) (void)Track(r.status());
    return r;
  }

  Result<std::vector<FollowUpRecord>> Records(const StatementDef& st, const Params& p) {
    auto r = Run(st, p);
    if (!r.ok()) return r.status();
    Rows q(r->get());
    std::vector<FollowUpRecord> out;
    out.reserve(static_cast<std::size_t>(q.size()));
    for (int i = 0; i < q.size(); ++i) {
      FollowUpRecord f;
      f.id = q.Text(i, 0);
      f.territory_code = q.Text(i, 1);
      f.created_by = q.Text(i, 2);
      f.created_at = q.Int(i, 3);
      f.updated_at = q.Int(i, 4);
      RowDecoder row("follow_up_records", f.id);
      f.respondent = row.Enum("respondent", q.Text(i, 5), domain::ParseRespondent);
      f.identity_sealed = q.Bytes(i, 6);
      f.other_parent_of = q.OptText(i, 7);
      f.other_parent_consent_at = q.OptInt64(i, 8);
      f.other_parent_consent_by = q.OptText(i, 9);
      if (!row.status().ok()) return Track(row.status());
      out.push_back(std::move(f));
    }
    if (q.corrupt()) return Track(Status::Internal("corrupt row in follow_up_records"));
    return out;
  }

  Result<std::vector<ReferralRecord>> Referrals(const StatementDef& st, const Params& p) {
    auto r = Run(st, p);
    if (!r.ok()) return r.status();
    Rows q(r->get());
    std::vector<ReferralRecord> out;
    out.reserve(static_cast<std::size_t>(q.size()));
    for (int i = 0; i < q.size(); ++i) {
      ReferralRecord x;
      x.id = q.Text(i, 0);
      x.territory_code = q.Text(i, 1);
      x.referrer_id = q.Text(i, 2);
      x.record_id = q.OptText(i, 3);
      x.screening_id = q.OptText(i, 4);
      x.target_kind = q.Text(i, 5);
      x.resource_id = q.OptText(i, 6);
      x.team_user_id = q.OptText(i, 7);
      x.joint_care = q.Text(i, 8);
      x.status = q.Text(i, 9);
      x.decline_reason = q.OptText(i, 10);
      x.first_appointment = q.OptText(i, 11);
      x.outcome = q.OptText(i, 12);
      x.created_at = q.Int(i, 13);
      x.updated_at = q.Int(i, 14);
      out.push_back(std::move(x));
    }
    if (q.corrupt()) return Track(Status::Internal("corrupt row in referrals"));
    return out;
  }

  PgConn& c_;
  Status* first_error_;
};

}  // namespace

std::unique_ptr<FollowUpRepository> MakePostgresFollowUp(PgConn& c, Status* first_error) {
  return std::make_unique<PostgresFollowUp>(c, first_error);
}

}  // namespace parcours::storage::postgres_internal
