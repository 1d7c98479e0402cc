// The alert inbox search (AlertRepository::Search) as index range scans,
// once for both backends.
//
// The inbox lists overdue alerts first (open, deadline_at < now), then the
// others, each part by (deadline_at, created_at, id). One SQL statement with
// that order over several territories and statuses cannot walk an index: the
// database reads every matching row and sorts them (1.4 s at 20,000 alerts).
// Here the search is cut into ranges of one territory, one status and one
// deadline interval: each range is a prefix of the index alerts_inbox
// (territory_code, status, deadline_at, created_at, id), already in order,
// read up to `limit` rows; the ranges' rows are then merged in that order.
// At most ranges × limit rows are read, however many alerts are stored.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/alert_repository.h"
#include "storage/row_codec.h"

namespace parcours::storage {

// One index range: alerts of `territory` with `status` and
// deadline_from <= deadline_at <= deadline_to that pass the query's other
// filters (urgency, sub_territory, source, emitter_user_id, flood_only),
// ordered by (deadline_at, created_at, id), at most `limit`.
struct AlertRange {
  std::string territory;
  std::string status;
  TimestampMs deadline_from = 0;
  TimestampMs deadline_to = 0;
  int limit = 0;
};

// Binds a range query's parameters in the order both backends' SQL takes
// them: territory, status, deadline_from, deadline_to, then the query's
// urgency, sub_territory, source, emitter_user_id, flood_only, and the
// range's limit. Binder: a backend's parameters (see row_codec.h).
template <class Binder>
Binder& BindAlertRange(Binder& b, const AlertQuery& q, const AlertRange& r) {
  return b.Bind(r.territory)
      .Bind(r.status)
      .Bind(r.deadline_from)
      .Bind(r.deadline_to)
      .Bind(row_codec::OptName(q.urgency))
      .Bind(q.sub_territory)
      .Bind(row_codec::OptName(q.source))
      .Bind(q.emitter_user_id)
      .Bind(q.flood_only)
      .Bind(r.limit);
}

// Runs `q` as index ranges through `run` (the backend's range query) and
// merges their rows: overdue first, then by (deadline_at,
// created_at, id), at most q.limit.
Result<std::vector<AlertRecord>> SearchAlertRanges(
    const AlertQuery& q,
    const std::function<Result<std::vector<AlertRecord>>(const AlertRange&)>& run);

}  // namespace parcours::storage
