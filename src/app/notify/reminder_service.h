// Parents' reminders to screen again (issue 12): the opt-in on the result
// page (and POST /api/v1/screenings/{id}/reminders), the opt-out link, and
// ReminderJob, which hands due reminders to the outbox.
//
// Offered only where a due date can be computed (domain/reminder/
// reminder_schedule.h) and where the installation knows its public address
// (`public-url`): a reminder without a working link would promise what the
// system does not do. The contact is sealed with the contact key; the
// opt-out token is a keyed hash of the reminder's id (so the job can put
// it in the link without storing it), kept only as a keyed hash of itself.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "app/notify/outbox.h"
#include "app/notify/scheduled_job.h"
#include "app/seams.h"
#include "core/status.h"
#include "storage/reminder_repository.h"

namespace parcours::app {

class ScreeningService;
struct ScreeningOutcome;

struct ReminderOptIn {
  std::string screening_id;
  bool by_email = false;
  bool by_sms = false;
  std::string email;  // as typed; needed with by_email
  std::string phone;  // as typed; needed with by_sms (a mobile number)
  bool consent = false;
  std::string language;  // "" : the screening's
  FieldErrors unreadable;
};

struct ReminderReceipt {
  storage::ReminderRecord reminder;  // contact_sealed cleared
  bool already_requested = false;    // the screening had a reminder already
};

// The contact as sealed (JSON {"email","phone"}).
struct ReminderContact {
  std::string email, phone;
};

class ReminderService {
 public:
  ReminderService(ScreeningService& screenings, storage::Storage& storage, const Clock& clock,
                  Random& random, const Sealer& sealer, std::string public_url);

  // When the reminder of this screening would be sent (due date moved into
  // the decent local window), or nullopt when none is offered (no date, no
  // public address for the links, no channel configured).
  std::optional<domain::TimestampMs> SendTime(const ScreeningOutcome& s) const;

  // Every field at fault at once (kInvalidArgument, in this order):
  // screening_id (unknown), channels (none chosen, or one that is not
  // configured), email, phone, consent.
  // A screening where no reminder is offered: kConflict, field "reminder".
  // A second opt-in for the same screening returns the first
  // (already_requested), whatever it asked. Audited (actor "parent").
  Result<ReminderReceipt> OptIn(const ReminderOptIn& in);

  // The reminder an opt-out token names (nothing changes); kNotFound.
  Result<storage::ReminderRecord> FindByToken(const std::string& token);
  // Cancels it (idempotent: a reminder already cancelled or sent is
  // returned as it is); audited when it cancels; kNotFound.
  Result<storage::ReminderRecord> OptOut(const std::string& token);

  const std::string& public_url() const { return public_url_; }

  // The channels this installation can send by (`smtp-url`,
  // `sms-gateway-url`): only those are offered, and none at all (no
  // reminder) when neither is configured. Off until set.
  void SetChannels(bool email, bool sms) {
    email_on_ = email;
    sms_on_ = sms;
  }
  bool email_on() const { return email_on_; }
  bool sms_on() const { return sms_on_; }

 private:
  ScreeningService& screenings_;
  storage::Storage& storage_;
  const Clock& clock_;
  Random& random_;
  const Sealer& sealer_;
  std::string public_url_;
  bool email_on_ = false;
  bool sms_on_ = false;
};

// The opt-out token of reminder `id`, and the hash stored to find it.
std::string ReminderOptOutToken(const Sealer& sealer, std::string_view reminder_id);
std::string ReminderOptOutHash(const Sealer& sealer, std::string_view token);
// The opt-out page of a token, in `language` ("fr": /rappel/arret, else /{lang}/rappel/arret).
std::string ReminderOptOutUrl(const std::string& public_url, const std::string& language,
                              const std::string& token);

std::string EncodeReminderContact(const ReminderContact& c);
Result<ReminderContact> DecodeReminderContact(std::string_view json);

// Writes one message to the outbox in the caller's transaction
// (app::EnqueueMessage bound to the sealer, clock and randomness).
using Enqueuer = std::function<Status(storage::Transaction&, const OutgoingMessage&)>;

// Due reminders → one outbox message per channel (dedupe keys
// "reminder/<id>/email" and "reminder/<id>/sms") and the reminder marked
// sent (its contact erased), in one transaction per reminder; audited.
// Another instance that already sent it makes the transaction a no-op.
class ReminderJob : public ScheduledJob {
 public:
  ReminderJob(storage::Storage& storage, const Sealer& sealer, Enqueuer enqueue,
              std::string public_url, int batch = 200);
  std::string_view Name() const override { return "reminders"; }
  Result<int> RunDue(domain::TimestampMs now) override;

 private:
  storage::Storage& storage_;
  const Sealer& sealer_;
  Enqueuer enqueue_;
  std::string public_url_;
  int batch_;
};

}  // namespace parcours::app
