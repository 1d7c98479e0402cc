#include "app/alerts/alert_reports.h"

#include <algorithm>

#include "app/auth/access_rules.h"
#include "app/auth/audit.h"
#include "app/clock.h"
#include "app/crypto/sealer.h"
#include "app/geography.h"
#include "app/notify/alert_notices.h"
#include "app/pathway_config.h"
#include "app/recontact_gate.h"
#include "domain/common/contact.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

constexpr std::size_t kMaxName = 60;
constexpr std::size_t kMaxReason = 1000;

std::string Trimmed(std::string_view s) {
  const auto a = s.find_first_not_of(" \t\r\n");
  if (a == std::string_view::npos) return {};
  const auto b = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(a, b - a + 1));
}

bool HasControl(std::string_view s, bool allow_newlines) {
  for (unsigned char c : s) {
    if (allow_newlines && (c == '\n' || c == '\r' || c == '\t')) continue;
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// A name, a phone and/or an e-mail: the normalised values, errors under
// `prefix` + field.
void ReadPerson(FieldErrors& errors, const std::string& prefix, const std::string& name_in,
                const std::string& phone_in, const std::string& email_in, std::string& name,
                std::string& phone, std::string& email) {
  auto add = [&](const std::string& field, const char* message) {
    if (!errors.Has(field)) errors.Add(field, message);
  };
  name = Trimmed(name_in);
  if (name.empty()) {
    add(prefix + "name", "give a first name or a pseudonym");
  } else if (name.size() > kMaxName || HasControl(name, false)) {
    add(prefix + "name", "at most 60 characters");
  }
  const std::string p = Trimmed(phone_in), e = Trimmed(email_in);
  if (!p.empty()) {
    auto n = domain::NormalisePhone(p);
    if (!n || domain::IsShortNumber(*n)) {
      add(prefix + "phone", "not a phone number, e.g. 06 12 34 56 78");
    } else {
      phone = *n;
    }
  }
  if (!e.empty()) {
    if (!domain::IsEmail(e)) {
      add(prefix + "email", "not an e-mail address, e.g. nom@exemple.fr");
    } else {
      email = e;
    }
  }
  if (p.empty() && e.empty()) add(prefix + "contact", "give a phone number or an e-mail address");
}

}  // namespace

AlertReports::AlertReports(AlertService& alerts, const PathwayConfig& config,
                           const RecontactGate& gate, const CommuneLookup& communes,
                           storage::Storage& storage, Clock& clock, Random& random,
                           const Sealer& sealer)
    : alerts_(alerts),
      config_(config),
      gate_(gate),
      communes_(communes),
      storage_(storage),
      clock_(clock),
      random_(random),
      sealer_(sealer) {}

Result<ReportReceipt> AlertReports::FromProfessional(const domain::Principal& p,
                                                     const ReportInput& in) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kAlertsRaise, &p));
  FieldErrors errors = in.unreadable;
  std::string territory = in.territory_code;
  if (territory.empty() && p.territories.size() == 1) territory = p.territories.front();
  const domain::Territory* t = config_.territories().Find(territory);
  if (territory.empty() || t == nullptr || !domain::InScope(p, territory)) {
    errors.Add("territory", "one of your territories");
  }
  ContactDetails c;
  ReadPerson(errors, "", in.parent_name, in.parent_phone, in.parent_email, c.name, c.phone,
             c.email);
  const std::string reason = Trimmed(in.reason);
  if (reason.empty() || reason.size() > kMaxReason || HasControl(reason, true)) {
    errors.Add("reason", "say why, in at most 1000 characters");
  }
  if (!errors.empty()) return errors.ToStatus();
  return Store(*t, in, domain::AlertSource::kProfessional, p.user_id, p.user_id, false);
}

Result<ReportReceipt> AlertReports::FromThirdParty(const ReportInput& in) {
  FieldErrors errors = in.unreadable;
  const domain::Territory* t = nullptr;
  const std::string postcode = Trimmed(in.postcode);
  if (!IsPostcode(postcode)) {
    errors.Add("postcode", "a French postcode of 5 digits");
  } else {
    auto communes = communes_.ByPostcode(postcode);
    if (!communes.ok()) return communes.status();
    const std::string department =
        communes->empty() ? DepartmentOfPostcode(postcode) : communes->front().department_code;
    t = &config_.territories().ForDepartment(department);
  }
  std::string name, phone, email;
  ReadPerson(errors, "reporter_", in.reporter_name, in.reporter_phone, in.reporter_email, name,
             phone, email);
  const std::string relation = Trimmed(in.reporter_relation);
  if (relation.empty() || relation.size() > kMaxName || HasControl(relation, false)) {
    errors.Add("reporter_relation", "say who you are to the parent, in at most 60 characters");
  }
  ReadPerson(errors, "", in.parent_name, in.parent_phone, in.parent_email, name, phone, email);
  const std::string reason = Trimmed(in.reason);
  if (reason.empty() || reason.size() > kMaxReason || HasControl(reason, true)) {
    errors.Add("reason", "say why, in at most 1000 characters");
  }
  if (!in.consent) errors.Add("consent", "the parent will be told who reported: confirm");
  if (!errors.empty()) return errors.ToStatus();
  // Only where a team answers; elsewhere the page shows the numbers.
  if (t->outside() || !gate_.IsOpen(*t)) {
    return Status(StatusCode::kConflict,
                  "no team answers reports in this territory: call the numbers shown", "recontact");
  }
  const bool flood = flood_->Record(t->code, clock_.NowMs());
  return Store(*t, in, domain::AlertSource::kThirdParty, "third_party", std::nullopt, flood);
}

Result<ReportReceipt> AlertReports::Store(const domain::Territory& t, const ReportInput& in,
                                          domain::AlertSource source, const std::string& actor,
                                          std::optional<std::string> emitter, bool flood) {
  ContactDetails c;
  {
    FieldErrors ignored;
    ReadPerson(ignored, "", in.parent_name, in.parent_phone, in.parent_email, c.name, c.phone,
               c.email);
  }
  c.may_leave_message = in.may_leave_message.value_or(false);
  c.caller_intro = std::string(ToString(in.caller_intro.value_or(CallerIntro::kNeutral)));
  c.language = "fr";
  const domain::TimestampMs now = clock_.NowMs();
  storage::AlertRecord a;
  a.id = NewId(clock_, random_);
  a.reference = NewReference(random_);
  a.created_at = now;
  a.kind = source == domain::AlertSource::kThirdParty ? "third_party" : "professional";
  a.territory_code = t.code;
  a.crisis = in.item10;
  a.urgency =
      in.item10 ? domain::Urgency::kImmediate : in.urgency.value_or(domain::Urgency::kWithin24h);
  a.deadline_at = alerts_.Deadline(t.code, a.urgency, now);
  a.status = "new";
  a.contact_sealed = sealer_.Seal(EncodeContact(c));
  a.updated_at = now;
  a.suspected_flood = flood;
  a.source = source;
  a.emitter_user_id = std::move(emitter);
  a.consultation_id = in.consultation_id;
  if (source == domain::AlertSource::kThirdParty) {
    ReporterDetails r;
    FieldErrors ignored;
    ReadPerson(ignored, "reporter_", in.reporter_name, in.reporter_phone, in.reporter_email, r.name,
               r.phone, r.email);
    r.relation = Trimmed(in.reporter_relation);
    a.reporter_sealed = sealer_.Seal(EncodeReporter(r));
  }
  storage::AlertEventRecord created = CreatedEvent(a, NewId(clock_, random_), actor);
  created.note_sealed = sealer_.Seal(Trimmed(in.reason));
  Status st = storage_.Transact([&](storage::Transaction& tx) -> Status {
    PARCOURS_RETURN_IF_ERROR(tx.InsertAlert(a));
    auto seq = tx.alerts().AppendEvent(created);
    if (!seq.ok()) return seq.status();
    if (notices_) {
      auto sent = notices_->AlertCreated(tx, a);
      if (!sent.ok()) return sent.status();
    }
    return WriteAudit(tx, now,
                      {actor, "create", "alert", a.id, a.territory_code,
                       a.kind + " alert, contact details sealed"});
  });
  if (!st.ok()) return st;
  if (on_raised_) on_raised_();
  if (notices_) notices_->Enqueued();
  return ReportReceipt{std::move(a), &t};
}

Result<std::vector<AlertItem>> AlertReports::Mine(const domain::Principal& p) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kAlertsRaise, &p));
  storage::AlertQuery q;
  q.territories = p.territories;
  q.emitter_user_id = p.user_id;
  q.now = clock_.NowMs();
  q.limit = 500;
  std::vector<AlertItem> out;
  Status st = storage_.Read([&](storage::Transaction& tx) -> Status {
    auto rows = tx.alerts().Search(q);
    if (!rows.ok()) return rows.status();
    for (auto& a : *rows) {
      const bool overdue = a.status != "closed" && a.deadline_at < q.now;
      out.push_back(AlertItem{std::move(a), overdue});
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace parcours::app
