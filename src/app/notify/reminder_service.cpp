#include "app/notify/reminder_service.h"

#include <boost/json.hpp>

#include "app/auth/audit.h"
#include "app/clock.h"
#include "app/crypto/sealer.h"
#include "app/screening/screening_service.h"
#include "domain/common/contact.h"
#include "domain/common/json_document.h"
#include "domain/pathway/pathway_rules.h"
#include "domain/reminder/reminder_schedule.h"
#include "domain/territory/territory.h"
#include "domain/text/field_splitter.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

// Overseas mobile prefixes (ARCEP numbering plan) → country calling code.
struct OverseasMobile {
  std::string_view prefix;
  std::string_view country;
};
constexpr OverseasMobile kOverseasMobiles[] = {{"0690", "590"}, {"0691", "590"}, {"0694", "594"},
                                               {"0696", "596"}, {"0697", "596"}, {"0692", "262"},
                                               {"0693", "262"}, {"0639", "262"}};

// A normalised number (domain::NormalisePhone) as E.164 when it is a mobile
// a text message can reach: French 06/07 (mainland and overseas) or an
// international number; nullopt for a landline or a short number.
std::optional<std::string> MobileE164(std::string_view n) {
  if (n.starts_with('+')) return std::string(n);
  if (n.size() != 10 || n[0] != '0' || (n[1] != '6' && n[1] != '7')) return std::nullopt;
  for (const auto& m : kOverseasMobiles) {
    if (n.starts_with(m.prefix)) return "+" + std::string(m.country) + std::string(n.substr(1));
  }
  return "+33" + std::string(n.substr(1));
}

std::string LanguagePrefix(const std::string& public_url, const std::string& language) {
  return public_url + (language == "fr" || language.empty() ? "" : "/" + language);
}

storage::ReminderRecord WithoutContact(storage::ReminderRecord r) {
  r.contact_sealed.clear();
  return r;
}

}  // namespace

std::string ReminderOptOutToken(const Sealer& sealer, std::string_view reminder_id) {
  return sealer.Mac("remindot", reminder_id);
}

std::string ReminderOptOutHash(const Sealer& sealer, std::string_view token) {
  return sealer.Mac("remindoh", token);
}

std::string ReminderOptOutUrl(const std::string& public_url, const std::string& language,
                              const std::string& token) {
  return LanguagePrefix(public_url, language) + "/rappel/arret?t=" + token;
}

std::string EncodeReminderContact(const ReminderContact& c) {
  return boost::json::serialize(boost::json::object{{"email", c.email}, {"phone", c.phone}});
}

Result<ReminderContact> DecodeReminderContact(std::string_view json) {
  auto doc = domain::ParseJsonDocument(json, "reminder contact");
  if (!doc.ok()) return doc.status();
  ReminderContact c;
  const auto* email = doc->if_contains("email");
  const auto* phone = doc->if_contains("phone");
  if (!email || !email->is_string() || !phone || !phone->is_string()) {
    return Status::Internal("reminder contact lacks email or phone");
  }
  c.email = std::string(email->as_string());
  c.phone = std::string(phone->as_string());
  return c;
}

ReminderService::ReminderService(ScreeningService& screenings, storage::Storage& storage,
                                 const Clock& clock, Random& random, const Sealer& sealer,
                                 std::string public_url)
    : screenings_(screenings),
      storage_(storage),
      clock_(clock),
      random_(random),
      sealer_(sealer),
      public_url_(std::move(public_url)) {
  while (!public_url_.empty() && public_url_.back() == '/') public_url_.pop_back();
}

std::optional<domain::TimestampMs> ReminderService::SendTime(const ScreeningOutcome& s) const {
  if (public_url_.empty() || s.territory == nullptr || (!email_on_ && !sms_on_)) {
    return std::nullopt;
  }
  domain::ReminderInput in;
  in.period = s.record.period;
  in.child_age_weeks = s.record.child_age_weeks;
  in.band = s.orientation.band;
  in.rescreen_days = s.orientation.rescreen_days;
  in.screened_at = s.record.created_at;
  const auto due = domain::ReminderDueAt(in, s.territory->rules.timing());
  if (!due) return std::nullopt;
  return domain::DecentSendTime(*due, s.territory->time_zone, s.territory->recontact.closed_days);
}

Result<ReminderReceipt> ReminderService::OptIn(const ReminderOptIn& in) {
  std::vector<FieldError> errors = in.unreadable.list();
  auto add = [&](const char* field, std::string message) {
    if (!in.unreadable.Has(field)) errors.push_back(FieldError{field, std::move(message)});
  };
  std::optional<domain::TimestampMs> send_at;
  auto screening = screenings_.Find(in.screening_id);
  if (!screening.ok()) {
    if (screening.status().code() != StatusCode::kNotFound) return screening.status();
    add("screening_id", "no such screening");
  } else {
    send_at = SendTime(*screening);
    if (!send_at) {
      return Status(StatusCode::kConflict,
                    "no reminder can be offered for this screening (no date can be computed)",
                    "reminder");
    }
  }
  ReminderContact c;
  if (!in.by_email && !in.by_sms) add("channels", "choose e-mail, text message or both");
  if ((in.by_email && !email_on_) || (in.by_sms && !sms_on_)) {
    add("channels", email_on_ ? "reminders are sent by e-mail only here"
                              : "reminders are sent by text message only here");
  }
  const std::string email(domain::TrimAscii(in.email));
  const std::string phone(domain::TrimAscii(in.phone));
  if (in.by_email) {
    if (email.empty()) {
      add("email", "give an e-mail address");
    } else if (!domain::IsEmail(email)) {
      add("email", "not an e-mail address, e.g. nom@exemple.fr");
    } else {
      c.email = email;
    }
  }
  if (in.by_sms) {
    auto normalised = domain::NormalisePhone(phone);
    auto mobile = normalised ? MobileE164(*normalised) : std::nullopt;
    if (phone.empty()) {
      add("phone", "give a mobile number");
    } else if (!mobile) {
      add("phone", "not a mobile number, e.g. 06 12 34 56 78");
    } else {
      c.phone = *mobile;
    }
  }
  if (!in.consent) add("consent", "your consent is needed to keep your details until the reminder");
  if (!errors.empty()) {
    return InvalidInOrder(std::move(errors),
                          {"screening_id", "channels", "email", "phone", "consent"});
  }

  const domain::TimestampMs now = clock_.NowMs();
  storage::ReminderRecord r;
  r.id = NewId(clock_, random_);
  r.screening_id = screening->record.id;
  r.territory_code = screening->record.territory_code.value_or("");
  r.created_at = now;
  r.due_at = *send_at;
  r.channels = in.by_email && in.by_sms ? "email,sms" : (in.by_email ? "email" : "sms");
  r.contact_sealed = sealer_.Seal(EncodeReminderContact(c));
  r.language = in.language.empty() ? screening->record.language : in.language;
  r.status = "scheduled";
  r.optout_hash = ReminderOptOutHash(sealer_, ReminderOptOutToken(sealer_, r.id));

  std::optional<storage::ReminderRecord> existing;
  Status st = storage_.Transact([&](storage::Transaction& tx) -> Status {
    existing.reset();
    auto prior = tx.reminders().FindReminderByScreening(r.screening_id);
    if (!prior.ok()) return prior.status();
    if (*prior) {
      existing = std::move(*prior);
      return Status::Ok();
    }
    PARCOURS_RETURN_IF_ERROR(tx.reminders().InsertReminder(r));
    return WriteAudit(tx, now,
                      {.actor = "parent",
                       .action = "create",
                       .subject_type = "reminder",
                       .subject_id = r.id,
                       .territory_code = r.territory_code,
                       .detail = "reminder by " + r.channels + ", contact sealed"});
  });
  if (!st.ok()) return st;
  ReminderReceipt out;
  out.already_requested = existing.has_value();
  out.reminder = WithoutContact(existing ? std::move(*existing) : std::move(r));
  return out;
}

Result<storage::ReminderRecord> ReminderService::FindByToken(const std::string& token) {
  if (token.empty() || token.size() > 64) return Status::NotFound("no such reminder");
  const std::string hash = ReminderOptOutHash(sealer_, token);
  std::optional<storage::ReminderRecord> found;
  Status st = storage_.Read([&](storage::Transaction& tx) -> Status {
    auto r = tx.reminders().FindReminderByOptOut(hash);
    if (!r.ok()) return r.status();
    found = std::move(*r);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (!found) return Status::NotFound("no such reminder");
  return WithoutContact(std::move(*found));
}

Result<storage::ReminderRecord> ReminderService::OptOut(const std::string& token) {
  if (token.empty() || token.size() > 64) return Status::NotFound("no such reminder");
  const std::string hash = ReminderOptOutHash(sealer_, token);
  const domain::TimestampMs now = clock_.NowMs();
  std::optional<storage::ReminderRecord> found;
  Status st = storage_.Transact([&](storage::Transaction& tx) -> Status {
    found.reset();
    auto r = tx.reminders().FindReminderByOptOut(hash);
    if (!r.ok()) return r.status();
    if (!*r) return Status::Ok();
    found = std::move(*r);
    if (found->status != "scheduled") return Status::Ok();  // already stopped or sent
    PARCOURS_RETURN_IF_ERROR(tx.reminders().CancelReminder(found->id, now));
    found->status = "cancelled";
    found->cancelled_at = now;
    return WriteAudit(tx, now,
                      {.actor = "parent",
                       .action = "cancel",
                       .subject_type = "reminder",
                       .subject_id = found->id,
                       .territory_code = found->territory_code,
                       .detail = "opt-out link, contact erased"});
  });
  if (!st.ok()) return st;
  if (!found) return Status::NotFound("no such reminder");
  return WithoutContact(std::move(*found));
}

ReminderJob::ReminderJob(storage::Storage& storage, const Sealer& sealer, Enqueuer enqueue,
                         std::string public_url, int batch)
    : storage_(storage),
      sealer_(sealer),
      enqueue_(std::move(enqueue)),
      public_url_(std::move(public_url)),
      batch_(batch) {
  while (!public_url_.empty() && public_url_.back() == '/') public_url_.pop_back();
}

Result<int> ReminderJob::RunDue(domain::TimestampMs now) {
  std::vector<storage::ReminderRecord> due;
  Status st = storage_.Read([&](storage::Transaction& tx) -> Status {
    auto r = tx.reminders().ListDueReminders(now, batch_);
    if (!r.ok()) return r.status();
    due = std::move(*r);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  int enqueued = 0;
  for (const auto& listed : due) {
    int here = 0;
    st = storage_.Transact([&](storage::Transaction& tx) -> Status {
      here = 0;
      // Read again in this transaction: another instance may have sent it.
      auto current = tx.reminders().FindReminder(listed.id);
      if (!current.ok()) return current.status();
      if (!*current || (*current)->status != "scheduled") return Status::Ok();
      const storage::ReminderRecord& r = **current;
      auto opened = sealer_.Open(r.contact_sealed);
      if (!opened.ok()) return Status::Internal("reminder " + r.id + ": contact does not open");
      auto contact = DecodeReminderContact(*opened);
      if (!contact.ok()) return contact.status();
      Status marked = tx.reminders().MarkReminderSent(r.id, now);
      if (marked.code() == StatusCode::kConflict) return Status::Ok();  // lost a race
      PARCOURS_RETURN_IF_ERROR(marked);
      const std::string token = ReminderOptOutToken(sealer_, r.id);
      OutgoingMessage m;
      m.kind = "reminder";
      m.territory_code = r.territory_code;
      m.language = r.language;
      m.template_name = "reminder";
      m.due_at = now;
      // The site's home page: no path in the message names the screening.
      m.vars["site_url"] = LanguagePrefix(public_url_, r.language) + "/";
      m.vars["unsubscribe_url"] = ReminderOptOutUrl(public_url_, r.language, token);
      m.unsubscribe_url = m.vars["unsubscribe_url"];
      for (std::string_view channel : {"email", "sms"}) {
        if (r.channels.find(channel) == std::string::npos) continue;
        m.channel = std::string(channel);
        m.dedupe_key = "reminder/" + r.id + "/" + m.channel;
        m.to = channel == "email" ? contact->email : contact->phone;
        PARCOURS_RETURN_IF_ERROR(enqueue_(tx, m));
        ++here;
      }
      return WriteAudit(
          tx, now,
          {.actor = "system",
           .action = "send",
           .subject_type = "reminder",
           .subject_id = r.id,
           .territory_code = r.territory_code,
           .detail = "reminder handed to the outbox by " + r.channels + ", contact erased"});
    });
    if (!st.ok()) return st;
    enqueued += here;
  }
  return enqueued;
}

}  // namespace parcours::app
