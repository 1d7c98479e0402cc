// Hand edits of the directory by a project lead (CLI now, pages with the
// accounts issue): add, edit, verify, deactivate/reactivate, publish.
//
// Contract:
// - Validation first: every field is checked (domain::SetField, then
//   domain::Validate); any error returns kInvalidArgument whose message lists
//   every "field: reason" (one per line) and whose field() is the first
//   field, and nothing is written.
// - Never a hard delete: deactivate sets active=false; every change appends
//   a history entry (who, when, what: "field: old -> new").
// - A field edited by hand joins the row's manual_fields, so no re-import
//   overwrites it.
// - Hand-made rows (source "manual") are published when created unless told
//   otherwise; imported rows keep their flag until published.
// Thread-safe; each call is one transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/clock.h"
#include "core/status.h"
#include "storage/storage.h"

namespace parcours::app {

// "field=value" pairs in the order given (latitude/longitude pair up).
using FieldValues = std::vector<std::pair<std::string, std::string>>;

Result<storage::ResourceRecord> AddResource(storage::Storage& storage, const Clock& clock,
                                            const std::string& actor, const FieldValues& fields,
                                            bool published = true);

Result<storage::ResourceRecord> EditResource(storage::Storage& storage, const Clock& clock,
                                             const std::string& actor, std::int64_t id,
                                             const FieldValues& fields);

// Records that the project lead checked the row today (verified_at = now).
Result<storage::ResourceRecord> VerifyResource(storage::Storage& storage, const Clock& clock,
                                               const std::string& actor, std::int64_t id);

// active=false (or true again). kNotFound for an unknown id.
Result<storage::ResourceRecord> SetResourceActive(storage::Storage& storage, const Clock& clock,
                                                  const std::string& actor, std::int64_t id,
                                                  bool active);

// Publishes (or unpublishes) one row.
Result<storage::ResourceRecord> PublishResource(storage::Storage& storage, const Clock& clock,
                                                const std::string& actor, std::int64_t id,
                                                bool published);

// Bulk publication: by kind and/or territory (experiment territory code,
// e.g. "hauts-de-france") and/or source. Returns the ids changed.
// kInvalidArgument for an unknown kind or territory, or no criterion at all.
Result<std::vector<std::int64_t>> PublishWhere(storage::Storage& storage, const Clock& clock,
                                               const std::string& actor,
                                               const std::optional<std::string>& kind,
                                               const std::optional<std::string>& territory,
                                               const std::optional<std::string>& source,
                                               bool published);

// One row and its history, for `parcours resource show`.
struct ResourceDetail {
  storage::ResourceRecord record;
  std::vector<storage::ResourceHistoryEntry> history;
};
Result<ResourceDetail> ShowResource(storage::Storage& storage, std::int64_t id);

}  // namespace parcours::app
