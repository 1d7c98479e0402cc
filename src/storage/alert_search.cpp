#include "storage/alert_search.h"

#include <algorithm>
#include <climits>
#include <limits>
#include <tuple>

#include "domain/alert/alert_machine.h"

namespace parcours::storage {
namespace {

constexpr TimestampMs kMinTime = std::numeric_limits<TimestampMs>::min();
constexpr TimestampMs kMaxTime = std::numeric_limits<TimestampMs>::max();

bool IsClosed(std::string_view status) {
  return status == domain::ToString(domain::AlertStatus::kClosed);
}

// The statuses the query's status filter admits.
std::vector<std::string> Statuses(const std::optional<std::string>& filter) {
  if (filter && *filter != "open") return {*filter};
  std::vector<std::string> out;
  for (domain::AlertStatus s : domain::kAlertStatuses) {
    std::string name(domain::ToString(s));
    if (filter && IsClosed(name)) continue;  // "open": all but closed
    out.push_back(std::move(name));
  }
  return out;
}

// The territories to search: given once each, none holding a comma (the
// lists of territories are comma-separated elsewhere; such a code matches
// nothing).
std::vector<std::string> Territories(const std::vector<std::string>& given) {
  std::vector<std::string> out;
  for (const auto& t : given) {
    if (t.find(',') != std::string::npos) continue;
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  }
  return out;
}

bool Overdue(const AlertRecord& a, TimestampMs now) {
  return !IsClosed(a.status) && a.deadline_at < now;
}

// The inbox order: overdue first, then deadline_at, created_at, id (bytes).
bool InboxBefore(const AlertRecord& a, const AlertRecord& b, TimestampMs now) {
  return std::make_tuple(!Overdue(a, now), a.deadline_at, a.created_at, std::string_view(a.id)) <
         std::make_tuple(!Overdue(b, now), b.deadline_at, b.created_at, std::string_view(b.id));
}

int Limit(const AlertQuery& q) { return q.limit < 0 ? INT_MAX : q.limit; }

// The ranges of one part: overdue (open statuses, deadline_at < now) or the
// rest (open statuses from now on, closed whatever the deadline).
std::vector<AlertRange> Part(const AlertQuery& q, bool overdue, int limit) {
  std::vector<AlertRange> out;
  if (limit <= 0) return out;
  for (const auto& t : Territories(q.territories)) {
    for (const auto& s : Statuses(q.status)) {
      if (overdue) {
        if (IsClosed(s) || q.now == kMinTime) continue;
        out.push_back(AlertRange{t, s, kMinTime, q.now - 1, limit});
      } else if (!q.overdue_only) {
        out.push_back(AlertRange{t, s, IsClosed(s) ? kMinTime : q.now, kMaxTime, limit});
      }
    }
  }
  return out;
}

}  // namespace

Result<std::vector<AlertRecord>> SearchAlertRanges(
    const AlertQuery& q,
    const std::function<Result<std::vector<AlertRecord>>(const AlertRange&)>& run) {
  const auto limit = static_cast<std::size_t>(std::max(0, Limit(q)));
  std::vector<AlertRecord> out;
  // The overdue part first; the rest only for what the limit leaves.
  for (bool overdue : {true, false}) {
    const std::size_t before = out.size();
    if (before >= limit) break;
    for (const AlertRange& r : Part(q, overdue, static_cast<int>(limit - before))) {
      auto rows = run(r);
      if (!rows.ok()) return rows.status();
      for (auto& a : *rows) out.push_back(std::move(a));
    }
    auto part = out.begin() + static_cast<std::ptrdiff_t>(before);
    std::sort(part, out.end(),
              [&](const AlertRecord& a, const AlertRecord& b) { return InboxBefore(a, b, q.now); });
    if (out.size() > limit) out.resize(limit);
  }
  return out;
}

}  // namespace parcours::storage
