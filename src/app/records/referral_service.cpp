#include "app/records/referral_service.h"

#include <algorithm>
#include <charconv>

#include "app/auth/access_rules.h"
#include "app/auth/audit.h"
#include "app/clock.h"
#include "app/crypto/sealer.h"
#include "app/records/record_service.h"
#include "domain/record/follow_up.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

constexpr int kListLimit = 200;
const std::string kTeam = "team";
const std::string kResource = "resource";

bool IsTeamAccount(const storage::UserRecord& u, std::string_view territory) {
  return !u.disabled && u.role == domain::ToString(domain::Role::kSpecialisedTeam) &&
         std::find(u.territories.begin(), u.territories.end(), territory) != u.territories.end();
}

std::optional<std::int64_t> ParseResourceId(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

std::string EventDetail(domain::ReferralEvent e, const domain::ReferralEventData& d) {
  switch (e) {
    case domain::ReferralEvent::kDecline: return "reason " + d.reason.value_or("");
    case domain::ReferralEvent::kFirstAppointment: return "on " + d.appointment_date.value_or("");
    case domain::ReferralEvent::kEnd: return "outcome " + d.outcome.value_or("");
    default: return "";
  }
}

}  // namespace

ReferralService::ReferralService(storage::Storage& storage, const Clock& clock, Random& random,
                                 const Sealer& sealer)
    : storage_(storage), clock_(clock), random_(random), sealer_(sealer) {}

Result<storage::ReferralRecord> ReferralService::Create(const domain::Principal& p,
                                                        const NewReferralInput& in) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kReferralsSend, &p));
  std::vector<FieldError> errors;
  if (in.record_id.empty()) errors.push_back({"record", "required"});
  std::optional<std::int64_t> resource_id;
  if (in.target_kind == kResource) {
    resource_id = ParseResourceId(in.resource_id);
    if (!resource_id) errors.push_back({"resource", "choose a resource of the directory"});
  } else if (in.target_kind == kTeam) {
    if (in.team_user_id.empty()) errors.push_back({"team", "choose a team"});
  } else {
    errors.push_back({"target_kind", "a resource or a team"});
  }
  if (!in.joint_care) {
    errors.push_back({"joint_care", "answer whether joint parent–baby care is needed"});
  }
  if (!errors.empty()) return Status::InvalidArguments(std::move(errors));

  const auto now = clock_.NowMs();
  storage::ReferralRecord r;
  PARCOURS_RETURN_IF_ERROR(storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto record = RecordService::ReadableRecord(tx, p, in.record_id);
    if (!record.ok()) return record.status();
    std::vector<FieldError> found_errors;
    if (in.screening_id && !in.screening_id->empty()) {
      auto links = tx.follow_up().ListRecordScreenings(record->id);
      if (!links.ok()) return links.status();
      const bool linked = std::any_of(links->begin(), links->end(), [&](const auto& l) {
        return l.screening_id == *in.screening_id;
      });
      // A screening the caller passed in consultation, in the record's
      // territory, joins the record with the referral (the consultation
      // result links to the referral form).
      std::optional<storage::ConsultationRecord> consultation;
      if (!linked) {
        auto c = tx.consultations().FindConsultation(*in.screening_id);
        if (!c.ok()) return c.status();
        if (*c && (*c)->professional_id == p.user_id &&
            (*c)->territory_code == record->territory_code) {
          consultation = std::move(**c);
        } else {
          found_errors.push_back({"screening", "not a screening of this record"});
        }
      }
      if (consultation && found_errors.empty()) {
        PARCOURS_RETURN_IF_ERROR(tx.follow_up().AttachScreening(
            {record->id, consultation->screening_id, p.user_id, now, "consultation"}));
        PARCOURS_RETURN_IF_ERROR(
            WriteAudit(tx, now,
                       {p.user_id, "attach", "follow_up_record", record->id, record->territory_code,
                        "screening " + consultation->screening_id}));
      }
    }
    std::optional<storage::UserRecord> team;
    if (resource_id) {
      auto res = tx.directory().FindResource(*resource_id);
      if (!res.ok()) return res.status();
      if (!*res || !(*res)->active) {
        found_errors.push_back({"resource", "no such resource in the directory"});
      }
    } else {
      auto u = tx.accounts().FindUser(in.team_user_id);
      if (!u.ok()) return u.status();
      if (!*u || !IsTeamAccount(**u, record->territory_code)) {
        found_errors.push_back({"team", "no specialised team of the record's territory"});
      } else {
        team = std::move(**u);
      }
    }
    if (!found_errors.empty()) return Status::InvalidArguments(std::move(found_errors));

    r.id = NewId(clock_, random_);
    r.territory_code = record->territory_code;
    r.referrer_id = p.user_id;
    r.record_id = record->id;
    if (in.screening_id && !in.screening_id->empty()) r.screening_id = *in.screening_id;
    r.target_kind = in.target_kind;
    if (resource_id) r.resource_id = std::to_string(*resource_id);
    if (team) r.team_user_id = team->id;
    r.joint_care = std::string(domain::ToString(*in.joint_care));
    r.status = std::string(domain::ToString(domain::ReferralStatus::kProposed));
    r.created_at = r.updated_at = now;
    PARCOURS_RETURN_IF_ERROR(tx.follow_up().InsertReferral(r));
    auto ev = tx.follow_up().AppendReferralEvent(
        {0, r.id, now, p.user_id, "propose", "", r.status, "joint_care " + r.joint_care});
    if (!ev.ok()) return ev.status();
    if (in.send) {
      auto to = domain::ApplyReferralEvent(domain::ReferralStatus::kProposed,
                                           domain::ReferralEvent::kSend,
                                           domain::ReferralSide::kReferrer, team.has_value(), {});
      if (!to.ok()) return to.status();
      const std::string from = r.status;
      r.status = std::string(domain::ToString(*to));
      PARCOURS_RETURN_IF_ERROR(tx.follow_up().UpdateReferral(r, from));
      auto sent =
          tx.follow_up().AppendReferralEvent({0, r.id, now, p.user_id, "send", from, r.status, ""});
      if (!sent.ok()) return sent.status();
    }
    // The team must know whom it receives: the record is shared with it.
    if (team) {
      auto member = tx.follow_up().IsMember(record->id, team->id);
      if (!member.ok()) return member.status();
      if (!*member) {
        PARCOURS_RETURN_IF_ERROR(tx.follow_up().AddMember({record->id, team->id, p.user_id, now}));
        PARCOURS_RETURN_IF_ERROR(WriteAudit(tx, now,
                                            {p.user_id, "share", "follow_up_record", record->id,
                                             record->territory_code, "referral to " + team->id}));
      }
    }
    return WriteAudit(tx, now,
                      {p.user_id, "create", "referral", r.id, r.territory_code,
                       "record " + record->id + ", status " + r.status});
  }));
  return r;
}

Result<storage::ReferralRecord> ReferralService::Apply(const domain::Principal& p,
                                                       std::string_view referral_id,
                                                       domain::ReferralEvent event,
                                                       const domain::ReferralEventData& data) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kReferralsAct, &p));
  const auto now = clock_.NowMs();
  storage::ReferralRecord r;
  PARCOURS_RETURN_IF_ERROR(storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto found = tx.follow_up().FindReferral(referral_id);
    if (!found.ok()) return found.status();
    if (!*found || !domain::InScope(p, (*found)->territory_code)) {
      return Status::NotFound("no such referral");
    }
    r = std::move(**found);
    const bool has_account = r.target_kind == kTeam;
    domain::ReferralSide side;
    if (r.referrer_id == p.user_id) {
      side = domain::ReferralSide::kReferrer;
    } else if (has_account && r.team_user_id == p.user_id) {
      side = domain::ReferralSide::kAddressee;
    } else {
      return Status::NotFound("no such referral");
    }
    auto from = domain::ParseReferralStatus(r.status);
    if (!from) return Status::Internal("corrupt referral status " + r.status);
    auto to = domain::ApplyReferralEvent(*from, event, side, has_account, data);
    if (!to.ok()) return to.status();
    const std::string before = r.status;
    r.status = std::string(domain::ToString(*to));
    if (event == domain::ReferralEvent::kDecline) r.decline_reason = data.reason;
    if (event == domain::ReferralEvent::kFirstAppointment) {
      r.first_appointment = domain::ToIsoDate(*domain::ParseIsoDate(*data.appointment_date));
    }
    if (event == domain::ReferralEvent::kEnd) r.outcome = data.outcome;
    r.updated_at = now;
    PARCOURS_RETURN_IF_ERROR(tx.follow_up().UpdateReferral(r, before));
    const std::string detail = EventDetail(event, data);
    auto ev = tx.follow_up().AppendReferralEvent(
        {0, r.id, now, p.user_id, std::string(domain::ToString(event)), before, r.status, detail});
    if (!ev.ok()) return ev.status();
    return WriteAudit(tx, now,
                      {p.user_id, std::string(domain::ToString(event)), "referral", r.id,
                       r.territory_code, before + " -> " + r.status});
  }));
  return r;
}

Result<ReferralView> ReferralService::ViewOf(storage::Transaction& tx, const domain::Principal& p,
                                             storage::ReferralRecord r) {
  ReferralView v;
  auto events = tx.follow_up().ListReferralEvents(r.id);
  if (!events.ok()) return events.status();
  v.events = std::move(*events);
  v.addressee_has_account = r.target_kind == kTeam;
  if (r.team_user_id) {
    auto u = tx.accounts().FindUser(*r.team_user_id);
    if (!u.ok()) return u.status();
    v.target_name = *u ? (*u)->name : *r.team_user_id;
  } else if (r.resource_id) {
    auto id = ParseResourceId(*r.resource_id);
    if (id) {
      auto res = tx.directory().FindResource(*id);
      if (!res.ok()) return res.status();
      v.target_name = *res ? (*res)->resource.name : *r.resource_id;
    }
  }
  auto referrer = tx.accounts().FindUser(r.referrer_id);
  if (!referrer.ok()) return referrer.status();
  v.referrer_name = *referrer ? (*referrer)->name : r.referrer_id;
  if (r.record_id) {
    auto member = tx.follow_up().IsMember(*r.record_id, p.user_id);
    if (!member.ok()) return member.status();
    if (*member) {
      auto rec = tx.follow_up().FindRecord(*r.record_id);
      if (!rec.ok()) return rec.status();
      if (*rec) {
        auto plain = sealer_.Open((*rec)->identity_sealed);
        if (plain.ok()) {
          auto id = domain::IdentityFromJson(*plain);
          if (id.ok()) v.parent_name = id->name;
        }
      }
    }
  }
  const domain::ReferralSide side = r.referrer_id == p.user_id ? domain::ReferralSide::kReferrer
                                                               : domain::ReferralSide::kAddressee;
  if (auto st = domain::ParseReferralStatus(r.status)) {
    v.allowed = domain::AllowedReferralEvents(*st, side, v.addressee_has_account);
  }
  v.referral = std::move(r);
  return v;
}

Result<std::vector<ReferralView>> ReferralService::ListSent(const domain::Principal& p) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kReferralsSend, &p));
  return ListViews(p, "sent", [&](storage::Transaction& tx) {
    return tx.follow_up().ListReferralsByReferrer(p.user_id, kListLimit);
  });
}

Result<std::vector<ReferralView>> ReferralService::ListReceived(const domain::Principal& p) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kReferralsReceive, &p));
  return ListViews(p, "received", [&](storage::Transaction& tx) {
    return tx.follow_up().ListReferralsToTeam(p.user_id, kListLimit);
  });
}

Result<std::vector<ReferralView>> ReferralService::ListViews(
    const domain::Principal& p, std::string_view what,
    const std::function<Result<std::vector<storage::ReferralRecord>>(storage::Transaction&)>&
        list) {
  const auto now = clock_.NowMs();
  std::vector<ReferralView> out;
  PARCOURS_RETURN_IF_ERROR(storage_.Read([&](storage::Transaction& tx) -> Status {
    auto rows = list(tx);
    if (!rows.ok()) return rows.status();
    for (auto& r : *rows) {
      if (!domain::InScope(p, r.territory_code)) continue;
      auto v = ViewOf(tx, p, std::move(r));
      if (!v.ok()) return v.status();
      out.push_back(std::move(*v));
    }
    return Status::Ok();
  }));
  PARCOURS_RETURN_IF_ERROR(storage_.Transact([&](storage::Transaction& tx) {
    return WriteAudit(tx, now,
                      {p.user_id, "list", "referral", "*", "",
                       std::to_string(out.size()) + " " + std::string(what)});
  }));
  return out;
}

Result<std::vector<TeamOption>> ReferralService::Teams(const domain::Principal& p,
                                                       std::string_view territory) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kReferralsSend, &p));
  if (!domain::InScope(p, territory)) return Status::NotFound("no such territory");
  std::vector<TeamOption> out;
  PARCOURS_RETURN_IF_ERROR(storage_.Read([&](storage::Transaction& tx) -> Status {
    storage::UserFilter f;
    f.territories = {std::string(territory)};
    f.role = std::string(domain::ToString(domain::Role::kSpecialisedTeam));
    f.active_only = true;
    auto users = tx.accounts().ListUsers(f);
    if (!users.ok()) return users.status();
    for (const auto& u : *users) out.push_back({u.id, u.name});
    return Status::Ok();
  }));
  return out;
}

}  // namespace parcours::app
