// Recontact requests: a parent who took a screening asks to be called back.
// Offered only where the territory's configuration says a team answers;
// the request becomes an alert routed to that territory with a deadline
// from its urgency (item 10 > 0 → immediate) and the team's opening hours.
// Contact details are sealed (Sealer) before they reach storage, and the
// creation is written to the audit log in the same transaction.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/screening/flood_monitor.h"
#include "app/screening/screening_service.h"
#include "core/status.h"
#include "storage/records.h"

namespace parcours::storage {
struct SubTerritoryRecord;
}

namespace parcours::app {

class Sealer;
class AlertNotices;

// When a parent may be called back.
enum class TimeSlot { kMorning, kMidday, kAfternoon, kEvening };
inline constexpr TimeSlot kTimeSlots[] = {TimeSlot::kMorning, TimeSlot::kMidday,
                                          TimeSlot::kAfternoon, TimeSlot::kEvening};
// How the caller introduces themselves: without naming the service, or by it.
enum class CallerIntro { kNeutral, kService };

// API identifiers: "morning"…; "neutral", "service".
std::string_view ToString(TimeSlot v);
std::string_view ToString(CallerIntro v);
std::optional<TimeSlot> ParseTimeSlot(std::string_view s);
std::optional<CallerIntro> ParseCallerIntro(std::string_view s);

struct RecontactInput {
  std::string screening_id;
  std::string name;   // first name or pseudonym, as typed (trimmed here)
  std::string phone;  // phone and/or email, as typed (normalised here)
  std::string email;
  std::vector<TimeSlot> slots;  // empty: any time
  std::optional<bool> may_leave_message;
  std::optional<CallerIntro> caller_intro;  // nullopt: not given or not a known value
  bool consent = false;
  std::string language;  // "" : the screening's
  // What the caller could not read into a value (an unknown slot, a
  // consent that is not a boolean): reported with the use case's errors.
  FieldErrors unreadable;
};

struct RecontactReceipt {
  storage::AlertRecord alert;
  const domain::Territory* territory = nullptr;
  bool already_requested = false;  // the screening had a request already
  // Terms the request was taken under (who calls back); null when read back
  // by reference.
  std::shared_ptr<const domain::RecontactConfig> recontact;
};

// The contact details as sealed (JSON inside the box).
struct ContactDetails {
  std::string name, phone, email, caller_intro, language;
  std::vector<std::string> slots;
  bool may_leave_message = false;
};

class RecontactService {
 public:
  RecontactService(ScreeningService& screenings, storage::Storage& storage, Clock& clock,
                   Random& random, const Sealer& sealer);

  // A territory where no team answers is a kConflict (field "recontact").
  // Otherwise every field at fault at once (kInvalidArgument, in this
  // order): screening_id (unknown), name, phone, email, contact (neither
  // given), slots, may_leave_message, caller_intro, consent. A second
  // request for the same screening, or from the same contact (phone or
  // e-mail) while a request of that contact is open in the territory,
  // returns the first one (already_requested) — unless the new one is more
  // urgent (item 10), which is always recorded. Requests past the
  // territory's flood threshold are accepted and flagged (suspected_flood).
  Result<RecontactReceipt> Request(const RecontactInput& in);

  // Status of a request by its reference (no contact details). kNotFound.
  Result<RecontactReceipt> FindByReference(const std::string& reference);

  // True when the parent of this screening may ask to be recontacted
  // (decided by RecontactGate when the outcome was computed).
  static bool Offered(const ScreeningOutcome& s) { return s.recontact != nullptr; }

  // Requests per territory per hour past which new ones are flagged.
  void SetFloodThreshold(int per_hour) { flood_ = std::make_unique<FloodMonitor>(per_hour); }
  // Called after a new alert is committed (the live inbox reads the log
  // now rather than at its next poll). Set once, before serving.
  void SetOnAlertRaised(std::function<void()> fn) { on_alert_raised_ = std::move(fn); }
  // The responders' messages, enqueued in the alert's transaction (issue
  // 12); nullptr = none (unit tests of other rules).
  void SetNotices(const AlertNotices* n) { notices_ = n; }

 private:
  std::function<void()> on_alert_raised_;
  const AlertNotices* notices_ = nullptr;
  std::unique_ptr<FloodMonitor> flood_ = std::make_unique<FloodMonitor>(20);
  ScreeningService& screenings_;
  storage::Storage& storage_;
  Clock& clock_;
  Random& random_;
  const Sealer& sealer_;
};

std::string EncodeContact(const ContactDetails& c);
Result<ContactDetails> DecodeContact(std::string_view json);

// The sub-territory an alert of `territory_code` is routed to, among those
// containing the parent's commune: a list of communes before a PTSM area
// before a department; nullopt when none.
std::optional<std::string> MostSpecificSubTerritory(
    const std::vector<storage::SubTerritoryRecord>& candidates, std::string_view territory_code);

// "K7M2Q-9QXDA-3B4C7": 15 symbols of Crockford base32 (75 bits), upper case,
// in three groups a parent can read over the phone.
std::string NewReference(Random& random);
// A reference as typed: upper case, O read as 0, I and L as 1, spaces
// dropped (Crockford's rules).
std::string NormaliseReference(std::string_view s);
// True for the current format and for the 8-symbol one ("K7M2-9QXD") of
// requests made before it.
bool IsReference(std::string_view s);
// The keyed hashes ("p:…" of the phone, "e:…" of the lower-case e-mail)
// stored to find a repeat request of one contact.
std::vector<std::string> ContactHashes(const Sealer& sealer, const ContactDetails& c);

}  // namespace parcours::app
