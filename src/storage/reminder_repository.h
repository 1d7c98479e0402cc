// ReminderRepository: parents' reminders to screen again (issue 12),
// opted into on the result page. Reached from a Transaction
// (Transaction::reminders()), so a reminder is marked sent in the same
// transaction as the outbox messages that carry it.
//
// Contract (both backends, tests/storage/reminder_conformance_test.cpp):
// - Ids are given by the caller (app::NewId). One reminder per screening:
//   a second insert for the same screening (or the same id, or the same
//   opt-out hash) is kConflict; the screening must exist.
// - The contact is opaque sealed bytes (JSON {"email","phone"}): storage
//   never sees it in clear. MarkReminderSent and CancelReminder erase it
//   (the outbox keeps its own sealed copy of what it must send).
// - A state change applies only to a `scheduled` reminder: kConflict when
//   it is sent or cancelled already (two instances sending at once: one
//   wins), kNotFound when there is no such row.
// - ListDueReminders: scheduled reminders with due_at <= now, oldest
//   due_at first, at most `limit`.
// - DeleteFinishedReminders removes sent or cancelled reminders finished
//   (sent_at / cancelled_at) before `before`, and nothing else.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/common/types.h"

namespace parcours::storage {

struct ReminderRecord {
  std::string id;
  std::string screening_id;
  std::string territory_code;
  domain::TimestampMs created_at = 0;
  // When it is sent: the due date already moved into the decent local window.
  domain::TimestampMs due_at = 0;
  std::string channels;                       // "email", "sms" or "email,sms"
  std::vector<unsigned char> contact_sealed;  // empty once sent or cancelled
  std::string language;                       // "fr", "en"
  std::string status = "scheduled";           // "scheduled", "sent", "cancelled"
  // Keyed hash of the opt-out token (the token itself is only in the link).
  std::string optout_hash;
  std::optional<domain::TimestampMs> sent_at;
  std::optional<domain::TimestampMs> cancelled_at;

  bool operator==(const ReminderRecord&) const = default;
};

class ReminderRepository {
 public:
  virtual ~ReminderRepository() = default;

  virtual Status InsertReminder(const ReminderRecord& r) = 0;
  virtual Result<std::optional<ReminderRecord>> FindReminder(std::string_view id) = 0;
  virtual Result<std::optional<ReminderRecord>> FindReminderByScreening(
      std::string_view screening_id) = 0;
  virtual Result<std::optional<ReminderRecord>> FindReminderByOptOut(
      std::string_view optout_hash) = 0;
  virtual Result<std::vector<ReminderRecord>> ListDueReminders(domain::TimestampMs now,
                                                               int limit) = 0;
  // scheduled → sent at `at`, contact erased.
  virtual Status MarkReminderSent(std::string_view id, domain::TimestampMs at) = 0;
  // scheduled → cancelled at `at`, contact erased.
  virtual Status CancelReminder(std::string_view id, domain::TimestampMs at) = 0;
  // Returns how many rows were deleted.
  virtual Result<std::int64_t> DeleteFinishedReminders(domain::TimestampMs before) = 0;
};

}  // namespace parcours::storage
