// RetentionRepository: erasing personal data whose retention period is
// over (issue 12, PurgeJob), where no other repository owns the rule.
// Reached from a Transaction (Transaction::retention()).
//
// Contract (both backends, tests/storage/retention_conformance_test.cpp):
// - EraseClosedAlertContacts sets the parent's sealed contact, its keyed
//   hashes (contact_key) and a third party's sealed identity to NULL on
//   alerts closed (status "closed", closed at updated_at) before `before`
//   that still hold any of them, and returns how many alerts it changed.
//   Nothing else of the alert changes (its history, outcome and times stay
//   for the indicators); open alerts and alerts closed since are untouched.
// - EraseSentMessagePayloads empties the sealed payload (recipient address,
//   template variables) of outbox messages sent before `before`, and
//   returns how many it emptied; pending and failed messages (still to
//   send, or to replay) and the rows themselves (their dedupe keys, times
//   and attempts) stay.
// - The audit log is append-only: nothing here deletes or updates it.
#pragma once

#include <cstdint>

#include "core/status.h"
#include "domain/common/types.h"

namespace parcours::storage {

class RetentionRepository {
 public:
  virtual ~RetentionRepository() = default;

  virtual Result<std::int64_t> EraseClosedAlertContacts(domain::TimestampMs before) = 0;
  virtual Result<std::int64_t> EraseSentMessagePayloads(domain::TimestampMs before) = 0;
};

}  // namespace parcours::storage
