// Recontact requests: a parent who took a screening asks to be called back.
// Offered only where the territory's configuration says a team answers;
// the request becomes an alert routed to that territory with a deadline
// from its urgency (item 10 > 0 → immediate) and the team's opening hours.
// Contact details are sealed (Sealer) before they reach storage, and the
// creation is written to the audit log in the same transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/screening/screening_service.h"
#include "core/status.h"
#include "storage/records.h"

namespace parcours::storage {
struct SubTerritoryRecord;
}

namespace parcours::app {

class Sealer;

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
  // request for the same screening returns the first one (already_requested).
  Result<RecontactReceipt> Request(const RecontactInput& in);

  // Status of a request by its reference (no contact details). kNotFound.
  Result<RecontactReceipt> FindByReference(const std::string& reference);

  // True when parents of this territory may ask to be recontacted.
  static bool Offered(const domain::Territory& t) { return t.recontact.open; }

 private:
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

// "K7M2-9QXD": 8 symbols of Crockford base32 (40 bits), upper case.
std::string NewReference(Random& random);
bool IsReference(std::string_view s);

}  // namespace parcours::app
