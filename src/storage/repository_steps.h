// Steps of the repositories written once for both backends, over a read the
// backend supplies (a callable running its own SQL). Only the SQL differs
// between the backends; what is done with the rows is here.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "core/status.h"
#include "storage/directory_repository.h"

namespace parcours::storage::repository_steps {

// A count or counter read as an optional row: 0 when the row is missing.
inline Result<std::int64_t> ZeroIfMissing(const Result<std::optional<std::int64_t>>& n) {
  if (!n.ok()) return n.status();
  return n->value_or(0);
}

// A transaction's directory change sequence number: taken by `take` on
// first use, the same afterwards. One per transaction (repository).
class ChangeSeq {
 public:
  template <class Take>
  Result<std::int64_t> Get(Take&& take) {
    if (seq_) return *seq_;
    Result<std::int64_t> n = take();
    if (!n.ok()) return n.status();
    seq_ = *n;
    return *seq_;
  }

 private:
  std::optional<std::int64_t> seq_;
};

// SetPublished's parameters in the order both backends' SQL takes them:
// published, at, seq, kind, source, departments (a list). Binder: a
// backend's parameters (see row_codec.h).
template <class Binder>
Binder& BindPublication(Binder& b, const PublicationFilter& f, bool published,
                        domain::TimestampMs at, std::int64_t seq) {
  return b.Bind(published).Bind(at).Bind(seq).Bind(f.kind).Bind(f.source).Bind(
      EncodeList(f.departments));
}

// The ids an UPDATE … RETURNING gave (in no order), ascending.
inline Result<std::vector<std::int64_t>> Ascending(Result<std::vector<std::int64_t>> ids) {
  if (!ids.ok()) return ids;
  std::sort(ids->begin(), ids->end());
  return ids;
}

// Sub-territories completed with their members, read for each by
// `members_of(code)` (a Result<std::vector<std::string>>); the first
// failure as is.
template <class MembersOf>
Result<std::vector<SubTerritoryRecord>> WithMembers(Result<std::vector<SubTerritoryRecord>> subs,
                                                    MembersOf&& members_of) {
  if (!subs.ok()) return subs;
  for (auto& s : *subs) {
    Result<std::vector<std::string>> members = members_of(s.code);
    if (!members.ok()) return members.status();
    s.members = std::move(*members);
  }
  return subs;
}

}  // namespace parcours::storage::repository_steps
