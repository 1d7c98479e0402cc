// Rows <-> records, once for both backends. A row reader is a template over
// the backend's row (sqlite_internal::Stmt, postgres_internal::Row), which
// read columns with the same names: Text, OptText, Int, OptInt, OptInt64,
// Double, Flag (a boolean), Blob, IsNull. A binder is a template over the
// backend's parameters (Stmt, postgres_internal::Params), which take values
// with overloads of Bind. Only the SQL texts differ between the backends.
//
// Readers return the record, or Result<record> when a column must parse (an
// enumeration stored by its identifier): a value that does not is a corrupt
// row, never a default (RowDecoder).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/status.h"
#include "storage/account_repository.h"
#include "storage/codec.h"
#include "storage/consultation_repository.h"
#include "storage/directory_repository.h"
#include "storage/follow_up_repository.h"
#include "storage/outbox_repository.h"
#include "storage/records.h"
#include "storage/reminder_repository.h"

namespace parcours::storage::row_codec {

// What a reader makes: T for a reader returning T or Result<T>.
template <class T>
struct Unwrapped {
  using type = T;
  static constexpr bool kIsResult = false;
};
template <class T>
struct Unwrapped<Result<T>> {
  using type = T;
  static constexpr bool kIsResult = true;
};
template <class Read, class Row>
using ReadType = typename Unwrapped<std::invoke_result_t<Read&, Row&>>::type;

// Moves what `read(row)` made into *out; the status of a reader that failed.
template <class Read, class Row>
Status ReadInto(Read& read, Row& row, std::optional<ReadType<Read, Row>>* out) {
  auto v = read(row);
  if constexpr (Unwrapped<decltype(v)>::kIsResult) {
    if (!v.ok()) return v.status();
    out->emplace(std::move(*v));
  } else {
    out->emplace(std::move(v));
  }
  return Status::Ok();
}

// The identifier of an optional enumeration, or NULL.
std::optional<std::string> OptName(const auto& v) {
  if (!v) return std::nullopt;
  return std::string(domain::ToString(*v));
}

// An optional enumeration read back: NULL is none, anything else must parse.
template <typename E>
std::optional<E> OptEnum(RowDecoder& row, std::string_view column,
                         const std::optional<std::string>& text,
                         std::optional<E> (*parse)(std::string_view)) {
  if (!text) return std::nullopt;
  return row.Enum(column, *text, parse);
}

// audit_log: id, at, actor, action, subject_type, subject_id, territory_code,
// detail.
template <class Row>
AuditEntry ReadAudit(Row& q) {
  return AuditEntry{q.Int(0),  q.Int(1),  q.Text(2), q.Text(3),
                    q.Text(4), q.Text(5), q.Text(6), q.Text(7)};
}

// --- screenings (Transaction) ---

#define PARCOURS_SCREENING_COLS                                                           \
  "id, created_at, instrument, language, respondent, period, child_age_weeks, postcode, " \
  "commune_code, territory_code, source, answers, score, band, item10_positive, "         \
  "threshold_set_id, threshold_version, level"

template <class Row>
Result<ScreeningRecord> ReadScreening(Row& q) {
  ScreeningRecord s;
  s.id = q.Text(0);
  s.created_at = q.Int(1);
  s.instrument = q.Text(2);
  s.language = q.Text(3);
  RowDecoder row("screenings", s.id);
  s.respondent = row.Enum("respondent", q.Text(4), domain::ParseRespondent);
  s.period = row.Enum("period", q.Text(5), domain::ParsePeriod);
  s.child_age_weeks = q.OptInt(6);
  s.postcode = q.OptText(7);
  s.commune_code = q.OptText(8);
  s.territory_code = q.OptText(9);
  s.source = q.Text(10);
  auto answers = DecodeIntList(q.Text(11));
  if (!answers) return Status::Internal("corrupt answers in screening " + s.id);
  s.answers = std::move(*answers);
  s.score = static_cast<int>(q.Int(12));
  s.band = row.Enum("band", q.Text(13), domain::ParseBand);
  s.item10_positive = q.Flag(14);
  s.threshold_set_id = q.Text(15);
  s.threshold_version = static_cast<int>(q.Int(16));
  s.level = row.Enum("level", q.Text(17), domain::ParseCareLevel);
  if (!row.status().ok()) return row.status();
  return s;
}

template <class Binder>
Binder& BindScreening(Binder& b, const ScreeningRecord& s) {
  return b.Bind(s.id)
      .Bind(s.created_at)
      .Bind(s.instrument)
      .Bind(s.language)
      .Bind(std::string(domain::ToString(s.respondent)))
      .Bind(std::string(domain::ToString(s.period)))
      .Bind(s.child_age_weeks)
      .Bind(s.postcode)
      .Bind(s.commune_code)
      .Bind(s.territory_code)
      .Bind(s.source)
      .Bind(EncodeIntList(s.answers))
      .Bind(s.score)
      .Bind(std::string(domain::ToString(s.band)))
      .Bind(s.item10_positive)
      .Bind(s.threshold_set_id)
      .Bind(s.threshold_version)
      .Bind(std::string(domain::ToString(s.level)));
}

// audit_log's INSERT: at, actor, action, subject_type, subject_id,
// territory_code, detail (the id is the database's).
template <class Binder>
Binder& BindAudit(Binder& b, const AuditEntry& e) {
  return b.Bind(e.at)
      .Bind(e.actor)
      .Bind(e.action)
      .Bind(e.subject_type)
      .Bind(e.subject_id)
      .Bind(e.territory_code)
      .Bind(e.detail);
}

// --- alerts (Transaction, AlertRepository) ---

#define PARCOURS_ALERT_COLS                                                               \
  "id, reference, created_at, kind, screening_id, territory_code, urgency, deadline_at, " \
  "status, crisis, contact_sealed, updated_at, sub_territory_code, contact_key, "         \
  "suspected_flood, source, level, assigned_user_id, emitter_user_id, reporter_sealed, "  \
  "closed_outcome, resource_id, consultation_id, version"
#define PARCOURS_ALERT_EVENT_COLS                                                           \
  "seq, id, alert_id, territory_code, at, actor, type, status_after, fields, note_sealed, " \
  "escalation_key"

template <class Row>
Result<AlertRecord> ReadAlert(Row& q) {
  AlertRecord a;
  a.id = q.Text(0);
  a.reference = q.Text(1);
  a.created_at = q.Int(2);
  a.kind = q.Text(3);
  a.screening_id = q.OptText(4);
  a.territory_code = q.Text(5);
  RowDecoder row("alerts", a.id);
  a.urgency = row.Enum("urgency", q.Text(6), domain::ParseUrgency);
  a.deadline_at = q.Int(7);
  a.status = q.Text(8);
  a.crisis = q.Flag(9);
  a.contact_sealed = q.Blob(10);
  a.updated_at = q.Int(11);
  a.sub_territory_code = q.OptText(12);
  a.contact_key = q.OptText(13);
  a.suspected_flood = q.Flag(14);
  a.source = row.Enum("source", q.Text(15), domain::ParseAlertSource);
  a.level = OptEnum(row, "level", q.OptText(16), domain::ParseCareLevel);
  a.assigned_user_id = q.OptText(17);
  a.emitter_user_id = q.OptText(18);
  a.reporter_sealed = q.Blob(19);
  a.closed_outcome = OptEnum(row, "closed_outcome", q.OptText(20), domain::ParseCloseOutcome);
  a.resource_id = q.OptText(21);
  a.consultation_id = q.OptText(22);
  a.version = q.Int(23);
  if (!row.status().ok()) return row.status();
  return a;
}

// Every column of PARCOURS_ALERT_COLS, in order.
template <class Binder>
Binder& BindAlert(Binder& b, const AlertRecord& a) {
  return b.Bind(a.id)
      .Bind(a.reference)
      .Bind(a.created_at)
      .Bind(a.kind)
      .Bind(a.screening_id)
      .Bind(a.territory_code)
      .Bind(std::string(domain::ToString(a.urgency)))
      .Bind(a.deadline_at)
      .Bind(a.status)
      .Bind(a.crisis)
      .Bind(a.contact_sealed)
      .Bind(a.updated_at)
      .Bind(a.sub_territory_code)
      .Bind(a.contact_key)
      .Bind(a.suspected_flood)
      .Bind(std::string(domain::ToString(a.source)))
      .Bind(OptName(a.level))
      .Bind(a.assigned_user_id)
      .Bind(a.emitter_user_id)
      .Bind(a.reporter_sealed)
      .Bind(OptName(a.closed_outcome))
      .Bind(a.resource_id)
      .Bind(a.consultation_id)
      .Bind(a.version);
}

// The UPDATE of an alert's state: urgency, deadline_at, status, updated_at,
// level, assigned_user_id, closed_outcome, resource_id, then id and the
// expected version.
template <class Binder>
Binder& BindAlertUpdate(Binder& b, const AlertRecord& a, std::int64_t expected_version) {
  return b.Bind(std::string(domain::ToString(a.urgency)))
      .Bind(a.deadline_at)
      .Bind(a.status)
      .Bind(a.updated_at)
      .Bind(OptName(a.level))
      .Bind(a.assigned_user_id)
      .Bind(OptName(a.closed_outcome))
      .Bind(a.resource_id)
      .Bind(a.id)
      .Bind(expected_version);
}

template <class Row>
Result<AlertEventRecord> ReadAlertEvent(Row& q) {
  AlertEventRecord e;
  e.seq = q.Int(0);
  e.id = q.Text(1);
  e.alert_id = q.Text(2);
  e.territory_code = q.Text(3);
  e.at = q.Int(4);
  e.actor = q.Text(5);
  RowDecoder row("alert_events", e.id);
  e.type = row.Enum("type", q.Text(6), domain::ParseAlertEventType);
  e.status_after = row.Enum("status_after", q.Text(7), domain::ParseAlertStatus);
  e.fields = q.Text(8);
  e.note_sealed = q.Blob(9);
  e.escalation_key = q.OptText(10);
  if (!row.status().ok()) return row.status();
  return e;
}

// PARCOURS_ALERT_EVENT_COLS but seq (the database's), in order.
template <class Binder>
Binder& BindAlertEvent(Binder& b, const AlertEventRecord& e) {
  return b.Bind(e.id)
      .Bind(e.alert_id)
      .Bind(e.territory_code)
      .Bind(e.at)
      .Bind(e.actor)
      .Bind(std::string(domain::ToString(e.type)))
      .Bind(std::string(domain::ToString(e.status_after)))
      .Bind(e.fields)
      .Bind(e.note_sealed)
      .Bind(e.escalation_key);
}

// --- accounts (AccountRepository) ---

#define PARCOURS_USER_COLS                                                                   \
  "id, email, name, role, territories, sub_territories, phone, password_hash, totp_sealed, " \
  "totp_enrolled, totp_last_step, disabled, created_at, updated_at, last_login_at"
#define PARCOURS_SESSION_COLS \
  "token_hash, user_id, stage, csrf_token, created_at, last_seen_at, expires_at"
#define PARCOURS_THROTTLE_COLS "key, failures, lockouts, locked_until, last_failure_at"
#define PARCOURS_TOKEN_COLS \
  "token_hash, user_id, purpose, created_by, created_at, expires_at, used_at"

template <class Row>
UserRecord ReadUser(Row& q) {
  UserRecord u;
  u.id = q.Text(0);
  u.email = q.Text(1);
  u.name = q.Text(2);
  u.role = q.Text(3);
  u.territories = DecodeList(q.Text(4));
  u.sub_territories = DecodeList(q.Text(5));
  u.phone = q.OptText(6);
  u.password_hash = q.Text(7);
  u.totp_sealed = q.Blob(8);
  u.totp_enrolled = q.Flag(9);
  u.totp_last_step = q.Int(10);
  u.disabled = q.Flag(11);
  u.created_at = q.Int(12);
  u.updated_at = q.Int(13);
  u.last_login_at = q.OptInt64(14);
  return u;
}

// The columns of users from email to disabled, in PARCOURS_USER_COLS order
// (shared by the INSERT, after id, and the UPDATE).
template <class Binder>
Binder& BindUserFields(Binder& b, const UserRecord& u) {
  return b.Bind(u.email)
      .Bind(u.name)
      .Bind(u.role)
      .Bind(EncodeList(u.territories))
      .Bind(EncodeList(u.sub_territories))
      .Bind(u.phone)
      .Bind(u.password_hash)
      .Bind(u.totp_sealed)
      .Bind(u.totp_enrolled)
      .Bind(u.totp_last_step)
      .Bind(u.disabled);
}

template <class Row>
SessionRecord ReadSession(Row& q) {
  return SessionRecord{q.Text(0), q.Text(1), q.Text(2), q.Text(3), q.Int(4), q.Int(5), q.Int(6)};
}

template <class Binder>
Binder& BindSession(Binder& b, const SessionRecord& s) {
  return b.Bind(s.token_hash)
      .Bind(s.user_id)
      .Bind(s.stage)
      .Bind(s.csrf_token)
      .Bind(s.created_at)
      .Bind(s.last_seen_at)
      .Bind(s.expires_at);
}

template <class Row>
LoginThrottleRecord ReadThrottle(Row& q) {
  return LoginThrottleRecord{q.Text(0), static_cast<int>(q.Int(1)), static_cast<int>(q.Int(2)),
                             q.Int(3), q.Int(4)};
}

template <class Row>
AccountTokenRecord ReadToken(Row& q) {
  return AccountTokenRecord{q.Text(0), q.Text(1), q.Text(2),    q.Text(3),
                            q.Int(4),  q.Int(5),  q.OptInt64(6)};
}

template <class Binder>
Binder& BindToken(Binder& b, const AccountTokenRecord& t) {
  return b.Bind(t.token_hash)
      .Bind(t.user_id)
      .Bind(t.purpose)
      .Bind(t.created_by)
      .Bind(t.created_at)
      .Bind(t.expires_at)
      .Bind(t.used_at);
}

// --- follow-up records and referrals (FollowUpRepository) ---

#define PARCOURS_RECORD_COLS                                                         \
  "r.id, r.territory_code, r.created_by, r.created_at, r.updated_at, r.respondent, " \
  "r.identity_sealed, r.other_parent_of, r.other_parent_consent_at, r.other_parent_consent_by"
#define PARCOURS_SHARE_COLS \
  "code_hash, screening_id, created_at, expires_at, used_at, used_by, record_id"
#define PARCOURS_REFERRAL_COLS                                                                 \
  "id, territory_code, referrer_id, record_id, screening_id, target_kind, resource_id, "       \
  "team_user_id, joint_care, status, decline_reason, first_appointment, outcome, created_at, " \
  "updated_at"

template <class Row>
Result<FollowUpRecord> ReadFollowUpRecord(Row& q) {
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

template <class Binder>
Binder& BindFollowUpRecord(Binder& b, const FollowUpRecord& r) {
  return b.Bind(r.id)
      .Bind(r.territory_code)
      .Bind(r.created_by)
      .Bind(r.created_at)
      .Bind(r.updated_at)
      .Bind(std::string(domain::ToString(r.respondent)))
      .Bind(r.identity_sealed)
      .Bind(r.other_parent_of)
      .Bind(r.other_parent_consent_at)
      .Bind(r.other_parent_consent_by);
}

// follow_up_members: record_id, user_id, added_by, added_at.
template <class Row>
RecordMember ReadMember(Row& q) {
  return RecordMember{q.Text(0), q.Text(1), q.Text(2), q.Int(3)};
}

// follow_up_screenings: record_id, screening_id, attached_by, attached_at, via,
// from column `first`.
template <class Row>
RecordScreeningLink ReadScreeningLinkAt(Row& q, int first) {
  return RecordScreeningLink{q.Text(first), q.Text(first + 1), q.Text(first + 2), q.Int(first + 3),
                             q.Text(first + 4)};
}
template <class Row>
RecordScreeningLink ReadScreeningLink(Row& q) {
  return ReadScreeningLinkAt(q, 0);
}

// Columns in a comma-separated list such as PARCOURS_SCREENING_COLS.
constexpr int ColumnCount(std::string_view cols) {
  int n = 1;
  for (char c : cols) n += c == ',' ? 1 : 0;
  return n;
}

// PARCOURS_SCREENING_COLS, then the follow_up_screenings columns.
template <class Row>
Result<LinkedScreening> ReadLinkedScreening(Row& q) {
  auto s = ReadScreening(q);
  if (!s.ok()) return s.status();
  return LinkedScreening{ReadScreeningLinkAt(q, ColumnCount(PARCOURS_SCREENING_COLS)),
                         std::move(*s)};
}

// follow_up_notes: id, record_id, author_id, created_at, text_sealed.
template <class Row>
RecordNote ReadNote(Row& q) {
  return RecordNote{q.Text(0), q.Text(1), q.Text(2), q.Int(3), q.Blob(4)};
}

template <class Row>
ShareCodeRecord ReadShare(Row& q) {
  return ShareCodeRecord{q.Text(0),     q.Text(1),    q.Int(2),    q.Int(3),
                         q.OptInt64(4), q.OptText(5), q.OptText(6)};
}

template <class Binder>
Binder& BindShare(Binder& b, const ShareCodeRecord& c) {
  return b.Bind(c.code_hash)
      .Bind(c.screening_id)
      .Bind(c.created_at)
      .Bind(c.expires_at)
      .Bind(c.used_at)
      .Bind(c.used_by)
      .Bind(c.record_id);
}

template <class Row>
ReferralRecord ReadReferral(Row& q) {
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

template <class Binder>
Binder& BindReferral(Binder& b, const ReferralRecord& r) {
  return b.Bind(r.id)
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
}

// The UPDATE of a referral's state: status, decline_reason,
// first_appointment, outcome, updated_at, then id and the expected status.
template <class Binder>
Binder& BindReferralUpdate(Binder& b, const ReferralRecord& r, std::string_view expected) {
  return b.Bind(r.status)
      .Bind(r.decline_reason)
      .Bind(r.first_appointment)
      .Bind(r.outcome)
      .Bind(r.updated_at)
      .Bind(r.id)
      .Bind(expected);
}

// referral_events: id, referral_id, at, actor, event, from_status,
// to_status, detail (the INSERT binds all but id).
template <class Row>
ReferralEventRecord ReadReferralEvent(Row& q) {
  return ReferralEventRecord{q.Int(0),  q.Text(1), q.Int(2),  q.Text(3),
                             q.Text(4), q.Text(5), q.Text(6), q.Text(7)};
}

template <class Binder>
Binder& BindReferralEvent(Binder& b, const ReferralEventRecord& e) {
  return b.Bind(e.referral_id)
      .Bind(e.at)
      .Bind(e.actor)
      .Bind(e.event)
      .Bind(e.from_status)
      .Bind(e.to_status)
      .Bind(e.detail);
}

// --- consultations (ConsultationRepository) ---

#define PARCOURS_CONSULTATION_COLS \
  "screening_id, created_at, context, professional_id, territory_code, vulnerability"

template <class Row>
Result<ConsultationRecord> ReadConsultation(Row& q) {
  ConsultationRecord r;
  r.screening_id = q.Text(0);
  r.created_at = q.Int(1);
  RowDecoder row("consultations", r.screening_id);
  r.context = row.Enum("context", q.Text(2), domain::ParseConsultationContext);
  r.professional_id = q.Text(3);
  r.territory_code = q.Text(4);
  r.vulnerability = DecodeList(q.Text(5));
  if (!row.status().ok()) return row.status();
  return r;
}

template <class Binder>
Binder& BindConsultation(Binder& b, const ConsultationRecord& r) {
  return b.Bind(r.screening_id)
      .Bind(r.created_at)
      .Bind(std::string(domain::ToString(r.context)))
      .Bind(r.professional_id)
      .Bind(r.territory_code)
      .Bind(EncodeList(r.vulnerability));
}

// A count by context: context, screenings, item10_positive,
// with_vulnerability.
template <class Row>
Result<ConsultationCount> ReadConsultationCount(Row& q) {
  ConsultationCount n;
  RowDecoder row("consultations", "count");
  n.context = row.Enum("context", q.Text(0), domain::ParseConsultationContext);
  if (!row.status().ok()) return row.status();
  n.screenings = q.Int(1);
  n.item10_positive = q.Int(2);
  n.with_vulnerability = q.Int(3);
  return n;
}

// The counts in the order of domain::AllConsultationContexts().
inline std::vector<ConsultationCount> InContextOrder(const std::vector<ConsultationCount>& found) {
  std::vector<ConsultationCount> out;
  for (domain::ConsultationContext c : domain::AllConsultationContexts()) {
    for (const auto& n : found) {
      if (n.context == c) out.push_back(n);
    }
  }
  return out;
}

// --- directory (DirectoryRepository) ---

// The commune columns end with the postcodes joined by spaces (an aggregate
// each backend spells its own way).
#define PARCOURS_COMMUNE_FIELDS                                                       \
  "c.insee_code, c.name, c.department_code, c.region_code, c.latitude, c.longitude, " \
  "c.population, "
#define PARCOURS_RESOURCE_COLS                                                                  \
  "id, source, source_key, kind, levels, name, organisation, address, postcode, commune_code, " \
  "latitude, longitude, phone, email, website, opening_notes, accepts_fathers, "                \
  "teleconsultation, mon_soutien_psy, languages, rpps, finess, siret, active, published, "      \
  "manual_fields, import_hash, verified_at, created_at, updated_at, change_seq"

// "a b  c" -> {a, b, c}.
inline std::vector<std::string> SplitSpaces(const std::string& s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = s.find(' ', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// Latitude and longitude at columns `col`, `col` + 1: none when either is
// NULL.
template <class Row>
std::optional<domain::LatLon> ReadLatLon(Row& q, int col) {
  if (q.IsNull(col) || q.IsNull(col + 1)) return std::nullopt;
  return domain::LatLon{q.Double(col), q.Double(col + 1)};
}

template <class Binder>
Binder& BindLatLon(Binder& b, const std::optional<domain::LatLon>& p) {
  if (p) return b.Bind(p->lat).Bind(p->lon);
  return b.BindNull().BindNull();
}

template <class Row>
CommuneRecord ReadCommune(Row& q) {
  CommuneRecord c;
  c.insee_code = q.Text(0);
  c.name = q.Text(1);
  c.department_code = q.Text(2);
  c.region_code = q.Text(3);
  c.centroid = ReadLatLon(q, 4);
  c.population = q.OptInt64(6);
  c.postcodes = SplitSpaces(q.Text(7));
  return c;
}

// The communes row: insee_code, name, name_key, department_code,
// region_code, latitude, longitude, population.
template <class Binder>
Binder& BindCommune(Binder& b, const CommuneRecord& c, const std::string& name_key) {
  b.Bind(c.insee_code).Bind(c.name).Bind(name_key).Bind(c.department_code).Bind(c.region_code);
  return BindLatLon(b, c.centroid).Bind(c.population);
}

template <class Row>
Result<ResourceRecord> ReadResource(Row& q) {
  ResourceRecord r;
  r.id = q.Int(0);
  r.source = q.Text(1);
  r.source_key = q.OptText(2);
  auto kind = domain::ParseResourceKind(q.Text(3));
  auto levels = DecodeLevels(q.Text(4));
  if (!kind || !levels) return Status::Internal("corrupt kind/levels in resource " + q.Text(0));
  domain::Resource& x = r.resource;
  x.kind = *kind;
  x.levels = *levels;
  x.name = q.Text(5);
  x.organisation = q.Text(6);
  x.address = q.Text(7);
  x.postcode = q.Text(8);
  x.commune_code = q.Text(9);
  x.position = ReadLatLon(q, 10);
  x.phone = q.Text(12);
  x.email = q.Text(13);
  x.website = q.Text(14);
  x.opening_notes = q.Text(15);
  x.accepts_fathers = q.Flag(16);
  x.teleconsultation = q.Flag(17);
  x.mon_soutien_psy = q.Flag(18);
  x.languages = DecodeList(q.Text(19));
  x.rpps = q.Text(20);
  x.finess = q.Text(21);
  x.siret = q.Text(22);
  r.active = q.Flag(23);
  r.published = q.Flag(24);
  r.manual_fields = DecodeList(q.Text(25));
  r.import_hash = q.Text(26);
  r.verified_at = q.OptInt64(27);
  r.created_at = q.Int(28);
  r.updated_at = q.Int(29);
  r.change_seq = q.Int(30);
  return r;
}

// The resource's fields in the column order shared by INSERT and UPDATE
// (source .. verified_at, with department_code after commune_code).
template <class Binder>
Binder& BindResourceFields(Binder& b, const ResourceRecord& r) {
  const domain::Resource& x = r.resource;
  b.Bind(r.source)
      .Bind(r.source_key)
      .Bind(std::string(domain::ToString(x.kind)))
      .Bind(EncodeLevels(x.levels))
      .Bind(x.name)
      .Bind(x.organisation)
      .Bind(x.address)
      .Bind(x.postcode)
      .Bind(x.commune_code)
      .Bind(r.DepartmentCode());
  return BindLatLon(b, x.position)
      .Bind(x.phone)
      .Bind(x.email)
      .Bind(x.website)
      .Bind(x.opening_notes)
      .Bind(x.accepts_fathers)
      .Bind(x.teleconsultation)
      .Bind(x.mon_soutien_psy)
      .Bind(EncodeList(x.languages))
      .Bind(x.rpps)
      .Bind(x.finess)
      .Bind(x.siret)
      .Bind(r.active)
      .Bind(r.published)
      .Bind(EncodeList(r.manual_fields))
      .Bind(r.import_hash)
      .Bind(r.verified_at);
}

// A resource's import key and state: source_key, id, import_hash, active,
// has manual fields, department_code.
template <class Row>
std::pair<std::string, ResourceKeyState> ReadResourceKey(Row& q) {
  ResourceKeyState st;
  st.id = q.Int(1);
  st.import_hash = q.Text(2);
  st.active = q.Flag(3);
  st.has_manual_fields = q.Flag(4);
  st.department_code = q.Text(5);
  return {q.Text(0), std::move(st)};
}

// resource_history: id, resource_id, at, actor, action, detail.
template <class Row>
ResourceHistoryEntry ReadResourceHistory(Row& q) {
  return ResourceHistoryEntry{q.Int(0), q.Int(1), q.Int(2), q.Text(3), q.Text(4), q.Text(5)};
}

// sub_territories: code, territory_code, name, kind (members apart).
template <class Row>
SubTerritoryRecord ReadSubTerritory(Row& q) {
  return SubTerritoryRecord{q.Text(0), q.Text(1), q.Text(2), q.Text(3), {}};
}

// The records of `rows` whose ids are in `ids`, in the order of `ids`.
inline std::vector<ResourceRecord> InIdOrder(const std::vector<ResourceRecord>& rows,
                                             const std::vector<std::int64_t>& ids) {
  std::vector<ResourceRecord> out;
  out.reserve(rows.size());
  for (std::int64_t id : ids) {
    for (const auto& r : rows) {
      if (r.id == id && r.id != 0) {
        out.push_back(r);
        break;
      }
    }
  }
  return out;
}

// --- outbox (V010) ----------------------------------------------------------

template <class Row>
OutboxMessageRecord ReadOutboxMessage(Row& q) {
  OutboxMessageRecord m;
  m.id = q.Text(0);
  m.dedupe_key = q.Text(1);
  m.channel = q.Text(2);
  m.kind = q.Text(3);
  m.territory_code = q.Text(4);
  m.payload_sealed = q.Blob(5);
  m.status = q.Text(6);
  m.created_at = q.Int(7);
  m.next_attempt_at = q.Int(8);
  m.attempts = static_cast<int>(q.Int(9));
  m.starts = static_cast<int>(q.Int(10));
  m.lease_owner = q.OptText(11);
  m.lease_until = q.Int(12);
  m.last_error = q.OptText(13);
  m.sent_at = q.OptInt64(14);
  return m;
}

// Every column of outbox_messages, in the order ReadOutboxMessage reads them.
template <class Binder>
Binder& BindOutboxMessage(Binder& b, const OutboxMessageRecord& m) {
  return b.Bind(m.id)
      .Bind(m.dedupe_key)
      .Bind(m.channel)
      .Bind(m.kind)
      .Bind(m.territory_code)
      .Bind(m.payload_sealed)
      .Bind(m.status)
      .Bind(m.created_at)
      .Bind(m.next_attempt_at)
      .Bind(m.attempts)
      .Bind(m.starts)
      .Bind(m.lease_owner)
      .Bind(m.lease_until)
      .Bind(m.last_error)
      .Bind(m.sent_at);
}

// --- reminders (V011) -------------------------------------------------------

template <class Row>
ReminderRecord ReadReminder(Row& q) {
  ReminderRecord r;
  r.id = q.Text(0);
  r.screening_id = q.Text(1);
  r.territory_code = q.Text(2);
  r.created_at = q.Int(3);
  r.due_at = q.Int(4);
  r.channels = q.Text(5);
  r.contact_sealed = q.Blob(6);
  r.language = q.Text(7);
  r.status = q.Text(8);
  r.optout_hash = q.Text(9);
  r.sent_at = q.OptInt64(10);
  r.cancelled_at = q.OptInt64(11);
  return r;
}

// Every column of reminders, in the order ReadReminder reads them.
template <class Binder>
Binder& BindReminder(Binder& b, const ReminderRecord& r) {
  return b.Bind(r.id)
      .Bind(r.screening_id)
      .Bind(r.territory_code)
      .Bind(r.created_at)
      .Bind(r.due_at)
      .Bind(r.channels)
      .Bind(r.contact_sealed)
      .Bind(r.language)
      .Bind(r.status)
      .Bind(r.optout_hash)
      .Bind(r.sent_at)
      .Bind(r.cancelled_at);
}

}  // namespace parcours::storage::row_codec
