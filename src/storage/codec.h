// Small encodings shared by the backends.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/outbox_repository.h"

namespace parcours::storage {

// "0,1,3" <-> {0,1,3}. Decode returns nullopt on malformed text.
std::string EncodeIntList(const std::vector<int>& v);
std::optional<std::vector<int>> DecodeIntList(std::string_view s);

// The status of an outbox message after this attempt ("sent" → "sent",
// "retry" → "pending", "failed" → "failed"); kInvalidArgument for another
// outcome.
Result<std::string> OutboxStatusAfter(const OutboxAttemptRecord& attempt);
// Claimed messages in the contract's order, oldest due first (then by id):
// the backends' UPDATE … RETURNING gives them in no order.
void SortClaimedDueFirst(std::vector<OutboxMessageRecord>& messages);
// kConflict: the message's lease is not (or no longer) `owner`'s, or the
// message is done.
Status OutboxNotHeld(std::string_view id);
// Why Retry changed nothing, from a Find of the message: kNotFound or
// kConflict (not failed); Find's own failure as is.
Status OutboxRetryRefused(const Result<std::optional<OutboxMessageRecord>>& found,
                          std::string_view id);

// Decodes the columns of one stored row that must parse (enumerations
// stored by their identifier): a value that does not is a corrupt row,
// reported as kInternal naming table, row and column, and logged; never
// replaced by a default.
class RowDecoder {
 public:
  RowDecoder(std::string_view table, std::string_view id) : table_(table), id_(id) {}

  // `parse` is one of domain::Parse*; on failure returns E{} and records it.
  template <typename E>
  E Enum(std::string_view column, std::string_view text,
         std::optional<E> (*parse)(std::string_view)) {
    if (auto v = parse(text)) return *v;
    Fail(column, text);
    return E{};
  }
  // Records a column that did not decode (for other encodings).
  void Fail(std::string_view column, std::string_view text);

  // Ok, or the first failure (already logged).
  const Status& status() const { return status_; }

 private:
  std::string table_;
  std::string id_;
  Status status_;
};

}  // namespace parcours::storage
