#include "app/records/record_service.h"

#include <algorithm>
#include <map>

#include "app/auth/access_rules.h"
#include "app/auth/audit.h"
#include "app/clock.h"
#include "app/crypto/sealer.h"
#include "domain/record/share_code.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

constexpr domain::TimestampMs kDayMs = 24LL * 3600 * 1000;
constexpr std::string_view kMacContext = "sharecod";

domain::LocalDate UtcDay(domain::TimestampMs ms) {
  return domain::CivilFromDays(static_cast<long>(ms / kDayMs));
}

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string UserName(storage::Transaction& tx, const std::string& id,
                     std::map<std::string, std::string>& cache) {
  auto it = cache.find(id);
  if (it != cache.end()) return it->second;
  auto u = tx.accounts().FindUser(id);
  std::string name = (u.ok() && *u) ? (*u)->name : id;
  cache.emplace(id, name);
  return name;
}

// Reads run in a read snapshot (never in the writer: on SQLite one thread
// writes for everyone); the audit row is written next, and nothing is
// returned unless it is durable.
Status AuditRead(storage::Storage& storage, domain::TimestampMs at, const AuditRow& row) {
  return storage.Transact([&](storage::Transaction& tx) { return WriteAudit(tx, at, row); });
}

bool MayHoldRecords(const storage::UserRecord& u) {
  return !u.disabled && (u.role == domain::ToString(domain::Role::kProfessional) ||
                         u.role == domain::ToString(domain::Role::kSpecialisedTeam));
}

}  // namespace

RecordService::RecordService(storage::Storage& storage, const Clock& clock, Random& random,
                             const Sealer& sealer, const domain::TimingRules& timing)
    : storage_(storage), clock_(clock), random_(random), sealer_(sealer), timing_(timing) {}

Result<storage::FollowUpRecord> RecordService::ReadableRecord(storage::Transaction& tx,
                                                              const domain::Principal& p,
                                                              std::string_view record_id) {
  auto r = tx.follow_up().FindRecord(record_id);
  if (!r.ok()) return r.status();
  if (!*r || !domain::InScope(p, (*r)->territory_code)) {
    return Status::NotFound("no such record");
  }
  auto member = tx.follow_up().IsMember(record_id, p.user_id);
  if (!member.ok()) return member.status();
  if (!*member) return Status::NotFound("no such record");
  return std::move(**r);
}

Result<std::string> RecordService::Create(const domain::Principal& p, const NewRecordInput& in) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kRecordsCreate, &p));
  const auto now = clock_.NowMs();
  std::vector<FieldError> errors;
  if (!in.respondent) errors.push_back({"respondent", "required"});
  std::string territory;
  if (in.territory && !in.territory->empty()) {
    territory = *in.territory;
    if (!domain::InScope(p, territory)) errors.push_back({"territory", "not one of yours"});
  } else if (p.territories.size() == 1) {
    territory = p.territories.front();
  } else {
    errors.push_back({"territory", "required"});
  }
  auto identity = domain::ValidateIdentity(in.identity, UtcDay(now));
  if (!identity.ok()) {
    for (auto& e : identity.status().field_errors()) errors.push_back(e);
  }
  if (!errors.empty()) return Status::InvalidArguments(std::move(errors));

  storage::FollowUpRecord r;
  r.id = NewId(clock_, random_);
  r.territory_code = territory;
  r.created_by = p.user_id;
  r.created_at = r.updated_at = now;
  r.respondent = *in.respondent;
  r.identity_sealed = sealer_.Seal(domain::IdentityToJson(*identity));
  PARCOURS_RETURN_IF_ERROR(storage_.Transact([&](storage::Transaction& tx) -> Status {
    PARCOURS_RETURN_IF_ERROR(tx.follow_up().InsertRecord(r));
    PARCOURS_RETURN_IF_ERROR(tx.follow_up().AddMember({r.id, p.user_id, p.user_id, now}));
    return WriteAudit(tx, now, {p.user_id, "create", "follow_up_record", r.id, territory, ""});
  }));
  return r.id;
}

Result<std::vector<RecordSummary>> RecordService::List(const domain::Principal& p) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kRecordsRead, &p));
  const auto now = clock_.NowMs();
  std::vector<RecordSummary> out;
  PARCOURS_RETURN_IF_ERROR(storage_.Read([&](storage::Transaction& tx) -> Status {
    if (p.territories.empty()) return Status::Ok();
    auto rows = tx.follow_up().ListRecordsOfMember(p.user_id, p.territories, 200);
    if (!rows.ok()) return rows.status();
    for (const auto& r : *rows) {
      auto plain = sealer_.Open(r.identity_sealed);
      if (!plain.ok()) return Status::Internal("record identity does not open: " + r.id);
      auto id = domain::IdentityFromJson(*plain);
      if (!id.ok()) return id.status();
      out.push_back({r.id, id->name, r.respondent, r.territory_code, r.created_at});
    }
    return Status::Ok();
  }));
  PARCOURS_RETURN_IF_ERROR(AuditRead(
      storage_, now,
      {p.user_id, "list", "follow_up_record", "*", "", std::to_string(out.size()) + " records"}));
  return out;
}

Result<RecordView> RecordService::Open(const domain::Principal& p, std::string_view record_id) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kRecordsRead, &p));
  const auto now = clock_.NowMs();
  RecordView v;
  PARCOURS_RETURN_IF_ERROR(storage_.Read([&](storage::Transaction& tx) -> Status {
    auto r = ReadableRecord(tx, p, record_id);
    if (!r.ok()) return r.status();
    v.record = std::move(*r);
    auto plain = sealer_.Open(v.record.identity_sealed);
    if (!plain.ok()) return Status::Internal("record identity does not open: " + v.record.id);
    auto identity = domain::IdentityFromJson(*plain);
    if (!identity.ok()) return identity.status();
    v.identity = std::move(*identity);
    if (auto birth = domain::ParseIsoDate(v.identity.child_birth_date)) {
      v.next = domain::NextScreeningDates(*birth, timing_);
    }
    auto linked = tx.follow_up().ListLinkedScreenings(v.record.id);
    if (!linked.ok()) return linked.status();
    v.screenings = std::move(*linked);
    std::map<std::string, std::string> names;
    auto notes = tx.follow_up().ListNotes(v.record.id);
    if (!notes.ok()) return notes.status();
    for (const auto& n : *notes) {
      auto text = sealer_.Open(n.text_sealed);
      if (!text.ok()) return Status::Internal("note does not open: " + n.id);
      v.notes.push_back({UserName(tx, n.author_id, names), n.created_at, std::move(*text)});
    }
    auto members = tx.follow_up().ListMembers(v.record.id);
    if (!members.ok()) return members.status();
    for (const auto& m : *members) {
      auto u = tx.accounts().FindUser(m.user_id);
      if (!u.ok()) return u.status();
      v.members.push_back({m.user_id, *u ? (*u)->name : m.user_id, *u ? (*u)->role : ""});
    }
    // The other parent, both ways; named only when the caller may read it.
    std::vector<std::pair<std::string, domain::TimestampMs>> others;
    if (v.record.other_parent_of) {
      others.emplace_back(*v.record.other_parent_of, v.record.other_parent_consent_at.value_or(0));
    }
    auto back = tx.follow_up().ListOtherParents(v.record.id);
    if (!back.ok()) return back.status();
    for (const auto& o : *back) others.emplace_back(o.id, o.other_parent_consent_at.value_or(0));
    for (const auto& [other_id, at] : others) {
      OtherParentView ov{other_id, std::nullopt, at};
      auto member = tx.follow_up().IsMember(other_id, p.user_id);
      if (!member.ok()) return member.status();
      if (*member) {
        auto o = tx.follow_up().FindRecord(other_id);
        if (!o.ok()) return o.status();
        if (*o) {
          auto op = sealer_.Open((*o)->identity_sealed);
          auto oid = op.ok() ? domain::IdentityFromJson(*op)
                             : Result<domain::RecordIdentity>(Status::Internal("sealed"));
          if (oid.ok()) ov.name = oid->name;
        }
      }
      v.other_parents.push_back(std::move(ov));
    }
    auto referrals = tx.follow_up().ListReferralsOfRecord(v.record.id);
    if (!referrals.ok()) return referrals.status();
    v.referrals = std::move(*referrals);
    return Status::Ok();
  }));
  PARCOURS_RETURN_IF_ERROR(
      AuditRead(storage_, now,
                {p.user_id, "read", "follow_up_record", v.record.id, v.record.territory_code,
                 std::to_string(v.screenings.size()) + " screenings"}));
  return v;
}

Status RecordService::AddNote(const domain::Principal& p, std::string_view record_id,
                              std::string_view text) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kRecordsWrite, &p));
  std::string trimmed(text);
  while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\n' ||
                              trimmed.back() == '\r' || trimmed.back() == '\t')) {
    trimmed.pop_back();
  }
  if (trimmed.empty()) return Status::InvalidArgument("note", "required");
  if (CodePoints(trimmed) > 4000) return Status::InvalidArgument("note", "at most 4000 characters");
  const auto now = clock_.NowMs();
  return storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto r = ReadableRecord(tx, p, record_id);
    if (!r.ok()) return r.status();
    storage::RecordNote n{NewId(clock_, random_), r->id, p.user_id, now, sealer_.Seal(trimmed)};
    PARCOURS_RETURN_IF_ERROR(tx.follow_up().InsertNote(n));
    return WriteAudit(
        tx, now,
        {p.user_id, "update", "follow_up_record", r->id, r->territory_code, "note " + n.id});
  });
}

Status RecordService::Share(const domain::Principal& p, std::string_view record_id,
                            std::string_view email) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kRecordsWrite, &p));
  std::string lower(email);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!lower.empty() && lower.back() == ' ') lower.pop_back();
  while (!lower.empty() && lower.front() == ' ') lower.erase(lower.begin());
  if (lower.empty()) return Status::InvalidArgument("email", "required");
  const auto now = clock_.NowMs();
  return storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto r = ReadableRecord(tx, p, record_id);
    if (!r.ok()) return r.status();
    auto u = tx.accounts().FindUserByEmail(lower);
    if (!u.ok()) return u.status();
    const bool eligible = *u && MayHoldRecords(**u) &&
                          std::find((*u)->territories.begin(), (*u)->territories.end(),
                                    r->territory_code) != (*u)->territories.end();
    if (!eligible) {
      return Status::InvalidArgument(
          "email", "no professional or specialised team of the record's territory");
    }
    auto member = tx.follow_up().IsMember(r->id, (*u)->id);
    if (!member.ok()) return member.status();
    if (*member) return Status::InvalidArgument("email", "already shared with this account");
    PARCOURS_RETURN_IF_ERROR(tx.follow_up().AddMember({r->id, (*u)->id, p.user_id, now}));
    return WriteAudit(
        tx, now,
        {p.user_id, "share", "follow_up_record", r->id, r->territory_code, "with " + (*u)->id});
  });
}

Status RecordService::LinkOtherParent(const domain::Principal& p, std::string_view record_id,
                                      std::string_view other_record_id, bool consent) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kRecordsWrite, &p));
  std::vector<FieldError> errors;
  if (other_record_id.empty()) errors.push_back({"other_record", "required"});
  if (!consent) errors.push_back({"consent", "the other parent's consent is required"});
  if (!errors.empty()) return Status::InvalidArguments(std::move(errors));
  const auto now = clock_.NowMs();
  return storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto r = ReadableRecord(tx, p, record_id);
    if (!r.ok()) return r.status();
    if (other_record_id == r->id) return Status::InvalidArgument("other_record", "this record");
    // The other parent's record is the one that records their consent.
    auto other = ReadableRecord(tx, p, other_record_id);
    if (!other.ok()) {
      if (other.status().code() != StatusCode::kNotFound) return other.status();
      return Status::InvalidArgument("other_record", "no record of yours with this number");
    }
    if (other->territory_code != r->territory_code) {
      return Status::InvalidArgument("other_record", "a record of another territory");
    }
    if (other->other_parent_of) {
      return Status::InvalidArgument("other_record", "already linked to a parent");
    }
    PARCOURS_RETURN_IF_ERROR(tx.follow_up().LinkOtherParent(other->id, r->id, now, p.user_id));
    PARCOURS_RETURN_IF_ERROR(WriteAudit(tx, now,
                                        {p.user_id, "consent", "follow_up_record", other->id,
                                         other->territory_code, "other parent of " + r->id}));
    return WriteAudit(tx, now,
                      {p.user_id, "update", "follow_up_record", r->id, r->territory_code,
                       "other parent " + other->id});
  });
}

Result<AttachedScreening> RecordService::AttachByShareCode(const domain::Principal& p,
                                                           std::string_view record_id,
                                                           std::string_view code) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kRecordsWrite, &p));
  const auto now = clock_.NowMs();
  const domain::TimestampMs window =
      std::chrono::duration_cast<std::chrono::milliseconds>(kShareAttemptWindow).count();
  const std::string counter = "share_code:" + p.user_id;
  auto canonical = domain::NormaliseShareCode(code);
  // The refusal to give back once the attempt is counted and audited.
  Status refusal;
  std::optional<AttachedScreening> out;
  PARCOURS_RETURN_IF_ERROR(storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto r = ReadableRecord(tx, p, record_id);
    if (!r.ok()) return r.status();
    auto so_far = tx.follow_up().CountAttempts(counter, now, window);
    if (!so_far.ok()) return so_far.status();
    if (*so_far >= kShareAttemptLimit) {
      refusal = Status(StatusCode::kTooManyRequests, "too many share-code attempts");
      return WriteAudit(tx, now,
                        {p.user_id, "share_code_refused", "follow_up_record", r->id,
                         r->territory_code, "attempt limit"});
    }
    auto fail = [&](Status st, std::string_view why) -> Status {
      refusal = std::move(st);
      auto n = tx.follow_up().AddAttempt(counter, now, window);
      if (!n.ok()) return n.status();
      return WriteAudit(
          tx, now,
          {p.user_id, "share_code_failed", "follow_up_record", r->id, r->territory_code, why});
    };
    if (!canonical) return fail(Status::InvalidArgument("code", "not a share code"), "malformed");
    const std::string hash = sealer_.Mac(kMacContext, *canonical);
    auto c = tx.follow_up().FindShareCode(hash);
    if (!c.ok()) return c.status();
    if (!*c) return fail(Status::NotFound("unknown or expired share code"), "unknown");
    if ((*c)->used_at) return fail(Status::Conflict("share code already used"), "used");
    if ((*c)->expires_at <= now) {
      return fail(Status::NotFound("unknown or expired share code"), "expired");
    }
    auto s = tx.FindScreening((*c)->screening_id);
    if (!s.ok()) return s.status();
    if (!*s) return fail(Status::NotFound("unknown or expired share code"), "no screening");
    storage::RecordScreeningLink link{r->id, (*s)->id, p.user_id, now, "share_code"};
    Status attached = tx.follow_up().AttachScreening(link);
    if (attached.code() == StatusCode::kConflict) {
      // Already on this record: the transaction is failed by the storage;
      // nothing is consumed. Reported as a used code.
      return Status::Conflict("screening already attached to this record");
    }
    PARCOURS_RETURN_IF_ERROR(attached);
    PARCOURS_RETURN_IF_ERROR(tx.follow_up().UseShareCode(hash, now, p.user_id, r->id));
    PARCOURS_RETURN_IF_ERROR(WriteAudit(tx, now,
                                        {p.user_id, "attach", "follow_up_record", r->id,
                                         r->territory_code, "screening " + (*s)->id}));
    out = AttachedScreening{std::move(link), std::move(**s)};
    return Status::Ok();
  }));
  if (!refusal.ok()) return refusal;
  return std::move(*out);
}

Result<std::vector<storage::ScreeningRecord>> RecordService::Screenings(
    const domain::Principal& p, std::string_view record_id) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kRecordsRead, &p));
  const auto now = clock_.NowMs();
  std::vector<storage::ScreeningRecord> out;
  std::string territory;
  PARCOURS_RETURN_IF_ERROR(storage_.Read([&](storage::Transaction& tx) -> Status {
    auto r = ReadableRecord(tx, p, record_id);
    if (!r.ok()) return r.status();
    auto links = tx.follow_up().ListRecordScreenings(r->id);
    if (!links.ok()) return links.status();
    for (const auto& l : *links) {
      auto s = tx.FindScreening(l.screening_id);
      if (!s.ok()) return s.status();
      if (!*s) return Status::Internal("linked screening is missing: " + l.screening_id);
      out.push_back(std::move(**s));
    }
    territory = r->territory_code;
    return Status::Ok();
  }));
  PARCOURS_RETURN_IF_ERROR(AuditRead(storage_, now,
                                     {p.user_id, "read", "follow_up_record", record_id, territory,
                                      "fhir " + std::to_string(out.size()) + " screenings"}));
  return out;
}

Result<IssuedShareCode> RecordService::IssueShareCode(std::string_view screening_id) {
  const auto now = clock_.NowMs();
  IssuedShareCode out;
  out.code = domain::ShareCodeFromBytes(random_.Bytes(8));
  out.expires_at =
      now + std::chrono::duration_cast<std::chrono::milliseconds>(kShareCodeValidity).count();
  PARCOURS_RETURN_IF_ERROR(storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto s = tx.FindScreening(screening_id);
    if (!s.ok()) return s.status();
    if (!*s) return Status::NotFound("no such screening");
    storage::ShareCodeRecord c;
    c.code_hash = sealer_.Mac(kMacContext, out.code);
    c.screening_id = (*s)->id;
    c.created_at = now;
    c.expires_at = out.expires_at;
    PARCOURS_RETURN_IF_ERROR(tx.follow_up().InsertShareCode(c));
    return WriteAudit(tx, now,
                      {"parent", "share_code", "screening", (*s)->id,
                       (*s)->territory_code.value_or(""), "valid 30 days"});
  }));
  return out;
}

}  // namespace parcours::app
