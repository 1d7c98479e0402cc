#include "app/screening/recontact_service.h"

#include <algorithm>
#include <boost/json.hpp>

#include "app/alerts/alert_service.h"
#include "app/auth/audit.h"
#include "app/clock.h"
#include "app/crypto/sealer.h"
#include "app/notify/alert_notices.h"
#include "domain/common/contact.h"
#include "domain/common/json_document.h"
#include "domain/pathway/opening_hours.h"
#include "storage/directory_repository.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

constexpr std::size_t kMaxName = 60;

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

std::string Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

std::optional<std::string> MostSpecificSubTerritory(
    const std::vector<storage::SubTerritoryRecord>& candidates, std::string_view territory_code) {
  // A list of communes is narrower than a PTSM area, itself narrower than a
  // department; ties go to the first code (candidates come ordered by code).
  auto rank = [](const std::string& kind) {
    if (kind == "communes") return 0;
    if (kind == "ptsm") return 1;
    return 2;
  };
  const storage::SubTerritoryRecord* best = nullptr;
  for (const auto& c : candidates) {
    if (c.territory_code != territory_code) continue;
    if (best == nullptr || rank(c.kind) < rank(best->kind)) best = &c;
  }
  if (best == nullptr) return std::nullopt;
  return best->code;
}

std::string_view ToString(TimeSlot v) {
  switch (v) {
    case TimeSlot::kMorning: return "morning";
    case TimeSlot::kMidday: return "midday";
    case TimeSlot::kAfternoon: return "afternoon";
    case TimeSlot::kEvening: return "evening";
  }
  return "morning";
}

std::string_view ToString(CallerIntro v) {
  return v == CallerIntro::kService ? "service" : "neutral";
}

std::optional<TimeSlot> ParseTimeSlot(std::string_view s) {
  for (TimeSlot t : kTimeSlots) {
    if (ToString(t) == s) return t;
  }
  return std::nullopt;
}

std::optional<CallerIntro> ParseCallerIntro(std::string_view s) {
  if (s == "neutral") return CallerIntro::kNeutral;
  if (s == "service") return CallerIntro::kService;
  return std::nullopt;
}

std::string NewReference(Random& random) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const std::string bytes = random.Bytes(10);
  std::string ref;
  int bit = 0;  // 15 symbols × 5 bits taken from the 80 random bits
  for (int i = 0; i < 15; ++i) {
    int v = 0;
    for (int k = 0; k < 5; ++k, ++bit) {
      const auto byte = static_cast<unsigned char>(bytes[static_cast<std::size_t>(bit / 8)]);
      v = (v << 1) | ((byte >> (7 - bit % 8)) & 1);
    }
    if (i == 5 || i == 10) ref += '-';
    ref += kAlphabet[v];
  }
  return ref;
}

std::string NormaliseReference(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ') continue;
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    out += c;
  }
  return out;
}

bool IsReference(std::string_view s) {
  // 17 characters in groups of 5 (current), or 9 in groups of 4 (before).
  const bool current = s.size() == 17 && s[5] == '-' && s[11] == '-';
  const bool legacy = s.size() == 9 && s[4] == '-';
  if (!current && !legacy) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '-' && (current ? (i == 5 || i == 11) : i == 4)) continue;
    const char c = s[i];
    const bool ok = (c >= '0' && c <= '9') ||
                    (c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' && c != 'O' && c != 'U');
    if (!ok) return false;
  }
  return true;
}

std::vector<std::string> ContactHashes(const Sealer& sealer, const ContactDetails& c) {
  std::vector<std::string> out;
  if (!c.phone.empty()) out.push_back("p:" + sealer.Mac("contactm", "phone:" + c.phone));
  if (!c.email.empty()) {
    std::string email = c.email;
    for (auto& ch : email) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    out.push_back("e:" + sealer.Mac("contactm", "email:" + email));
  }
  return out;
}

std::string EncodeContact(const ContactDetails& c) {
  boost::json::object o;
  o["name"] = c.name;
  o["phone"] = c.phone;
  o["email"] = c.email;
  o["caller_intro"] = c.caller_intro;
  o["language"] = c.language;
  o["may_leave_message"] = c.may_leave_message;
  boost::json::array slots;
  for (const auto& s : c.slots) slots.emplace_back(s);
  o["slots"] = std::move(slots);
  return boost::json::serialize(o);
}

Result<ContactDetails> DecodeContact(std::string_view json) {
  auto o = domain::ParseStoredObject(json, "corrupt contact details");
  if (!o.ok()) return o.status();
  ContactDetails c;
  c.name = domain::StringOr(*o, "name");
  c.phone = domain::StringOr(*o, "phone");
  c.email = domain::StringOr(*o, "email");
  c.caller_intro = domain::StringOr(*o, "caller_intro");
  c.language = domain::StringOr(*o, "language");
  const auto* m = o->if_contains("may_leave_message");
  c.may_leave_message = m != nullptr && m->is_bool() && m->as_bool();
  if (const auto* s = o->if_contains("slots"); s != nullptr && s->is_array()) {
    for (const auto& x : s->as_array()) {
      if (x.is_string()) c.slots.emplace_back(x.as_string());
    }
  }
  return c;
}

RecontactService::RecontactService(ScreeningService& screenings, storage::Storage& storage,
                                   Clock& clock, Random& random, const Sealer& sealer)
    : screenings_(screenings), storage_(storage), clock_(clock), random_(random), sealer_(sealer) {}

Result<RecontactReceipt> RecontactService::Request(const RecontactInput& in) {
  std::vector<FieldError> errors = in.unreadable.list();
  auto add = [&](const char* field, std::string message) {
    if (!in.unreadable.Has(field)) errors.push_back(FieldError{field, std::move(message)});
  };
  auto screening = screenings_.Find(in.screening_id);
  if (!screening.ok()) {
    if (screening.status().code() != StatusCode::kNotFound) return screening.status();
    add("screening_id", "no such screening");
  } else if (!Offered(*screening)) {
    return Status(StatusCode::kConflict,
                  "no team answers recontact requests in this territory: call the numbers shown",
                  "recontact");
  }
  ContactDetails c;
  c.name = Trimmed(in.name);
  if (c.name.empty()) {
    add("name", "give a first name or a pseudonym");
  } else if (c.name.size() > kMaxName || HasControl(c.name)) {
    add("name", "at most 60 characters");
  }
  const std::string phone_in = Trimmed(in.phone);
  const std::string email_in = Trimmed(in.email);
  if (!phone_in.empty()) {
    // A number to call the parent back on: not a short service number.
    auto phone = domain::NormalisePhone(phone_in);
    if (!phone || domain::IsShortNumber(*phone)) {
      add("phone", "not a phone number, e.g. 06 12 34 56 78");
    } else {
      c.phone = *phone;
    }
  }
  if (!email_in.empty()) {
    if (!domain::IsEmail(email_in)) {
      add("email", "not an e-mail address, e.g. nom@exemple.fr");
    } else {
      c.email = email_in;
    }
  }
  if (phone_in.empty() && email_in.empty()) {
    add("contact", "give a phone number or an e-mail address");
  }
  for (TimeSlot s : in.slots) {
    const std::string name(ToString(s));
    if (std::find(c.slots.begin(), c.slots.end(), name) == c.slots.end()) c.slots.push_back(name);
  }
  if (!in.may_leave_message) {
    add("may_leave_message", "say whether a message may be left");
  } else {
    c.may_leave_message = *in.may_leave_message;
  }
  if (!in.caller_intro) {
    add("caller_intro", "must be neutral or service");
  } else {
    c.caller_intro = std::string(ToString(*in.caller_intro));
  }
  if (!in.consent) add("consent", "your consent is needed to keep your details");
  if (!errors.empty()) {
    return InvalidInOrder(std::move(errors),
                          {"screening_id", "name", "phone", "email", "contact", "slots",
                           "may_leave_message", "caller_intro", "consent"});
  }
  c.language = in.language.empty() ? screening->record.language : in.language;
  const domain::Territory& territory = *screening->territory;

  const domain::TimestampMs now = clock_.NowMs();
  storage::AlertRecord a;
  a.id = NewId(clock_, random_);
  a.reference = NewReference(random_);
  a.created_at = now;
  a.kind = screening->orientation.crisis ? "item10" : "recontact";
  a.screening_id = screening->record.id;
  a.territory_code = territory.code;
  a.urgency = screening->orientation.urgency;
  a.deadline_at = domain::AlertDeadline(*screening->recontact, territory.time_zone,
                                        screening->orientation.urgency, now);
  a.status = "new";
  a.crisis = screening->orientation.crisis;
  a.contact_sealed = sealer_.Seal(EncodeContact(c));
  a.updated_at = now;
  const std::vector<std::string> hashes = ContactHashes(sealer_, c);
  std::string joined;
  for (const auto& h : hashes) joined += (joined.empty() ? "" : " ") + h;
  a.contact_key = joined;
  a.suspected_flood = flood_->Record(territory.code, now);

  std::optional<storage::AlertRecord> existing;
  Status st = storage_.Transact([&](storage::Transaction& tx) {
    auto prior = tx.FindAlertByScreening(a.screening_id.value_or(""));
    if (!prior.ok()) return prior.status();
    if (*prior) {
      existing = std::move(*prior);
      return Status::Ok();
    }
    // One open request per contact and territory, unless this one is more
    // urgent than the open one (an item-10 answer is never folded into a
    // routine request).
    auto same = tx.FindOpenAlertByContact(a.territory_code, hashes);
    if (!same.ok()) return same.status();
    if (*same && (!a.crisis || (*same)->crisis)) {
      existing = std::move(*same);
      return Status::Ok();
    }
    if (screening->record.commune_code) {
      auto subs = tx.directory().SubTerritoriesOfCommune(*screening->record.commune_code);
      if (!subs.ok()) return subs.status();
      a.sub_territory_code = MostSpecificSubTerritory(*subs, territory.code);
    }
    PARCOURS_RETURN_IF_ERROR(tx.InsertAlert(a));
    // The inbox and the notifications follow the event log.
    auto created = tx.alerts().AppendEvent(CreatedEvent(a, NewId(clock_, random_), "parent"));
    if (!created.ok()) return created.status();
    if (notices_) {
      auto sent = notices_->AlertCreated(tx, a);
      if (!sent.ok()) return sent.status();
    }
    const std::string detail = a.kind + " request, contact details sealed";
    return WriteAudit(tx, now,
                      {.actor = "parent",
                       .action = "create",
                       .subject_type = "alert",
                       .subject_id = a.id,
                       .territory_code = a.territory_code,
                       .detail = detail});
  });
  if (!st.ok()) return st;
  if (!existing && on_alert_raised_) on_alert_raised_();
  if (!existing && notices_) notices_->Enqueued();
  RecontactReceipt r;
  r.territory = &territory;
  r.recontact = screening->recontact;
  r.already_requested = existing.has_value();
  r.alert = existing ? std::move(*existing) : std::move(a);
  return r;
}

Result<RecontactReceipt> RecontactService::FindByReference(const std::string& typed) {
  const std::string reference = NormaliseReference(typed);
  if (!IsReference(reference)) return Status::NotFound("no such request");
  std::optional<storage::AlertRecord> alert;
  Status st = storage_.Read([&](storage::Transaction& tx) {
    auto r = tx.FindAlertByReference(reference);
    if (!r.ok()) return r.status();
    alert = std::move(*r);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (!alert) return Status::NotFound("no such request");
  RecontactReceipt r;
  const domain::Territory* t = screenings_.config().territories().Find(alert->territory_code);
  r.territory = t != nullptr ? t : &screenings_.config().territories().outside();
  r.alert = std::move(*alert);
  return r;
}

}  // namespace parcours::app
