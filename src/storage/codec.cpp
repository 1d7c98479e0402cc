#include "storage/codec.h"

#include <algorithm>
#include <charconv>
#include <tuple>

#include "core/log.h"

namespace parcours::storage {

std::string EncodeIntList(const std::vector<int>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(v[i]);
  }
  return out;
}

std::optional<std::vector<int>> DecodeIntList(std::string_view s) {
  std::vector<int> out;
  if (s.empty()) return out;
  const char* p = s.data();
  const char* end = s.data() + s.size();
  while (p < end) {
    int value = 0;
    auto [next, ec] = std::from_chars(p, end, value);
    if (ec != std::errc()) return std::nullopt;
    out.push_back(value);
    p = next;
    if (p < end) {
      if (*p != ',') return std::nullopt;
      ++p;
    }
  }
  return out;
}

Result<std::string> OutboxStatusAfter(const OutboxAttemptRecord& attempt) {
  const std::string& outcome = attempt.outcome;
  if (outcome == "sent") return std::string("sent");
  if (outcome == "retry") return std::string("pending");
  if (outcome == "failed") return std::string("failed");
  return Status::InvalidArgument("outcome", "unknown outcome " + outcome);
}

void SortClaimedDueFirst(std::vector<OutboxMessageRecord>& messages) {
  std::sort(messages.begin(), messages.end(), [](const auto& a, const auto& b) {
    return std::tie(a.next_attempt_at, a.id) < std::tie(b.next_attempt_at, b.id);
  });
}

Status OutboxNotHeld(std::string_view id) {
  return Status::Conflict("outbox message " + std::string(id) + " is not leased to this sender");
}

Status OutboxRetryRefused(const Result<std::optional<OutboxMessageRecord>>& found,
                          std::string_view id) {
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("outbox message " + std::string(id));
  return Status::Conflict("outbox message " + std::string(id) + " is not failed");
}

void RowDecoder::Fail(std::string_view column, std::string_view text) {
  // The stored text is not logged: it may be health data.
  log::Error("corrupt stored value", {{"table", std::string_view(table_)},
                                      {"id", std::string_view(id_)},
                                      {"column", column},
                                      {"length", static_cast<std::int64_t>(text.size())}});
  if (status_.ok()) {
    status_ = Status::Internal("corrupt " + table_ + " row " + id_ + ": column " +
                               std::string(column) + " holds no valid value");
  }
}

}  // namespace parcours::storage
