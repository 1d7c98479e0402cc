#include "storage/storage.h"

#include <optional>

namespace parcours::storage {

Status TransactAndRollBack(Storage& storage, const std::function<Status(Transaction&)>& fn) {
  // Transact() keeps nothing when its callback fails, so a successful fn is
  // answered with a failure that only this function returns. Whether fn
  // succeeded is recorded here, as a value: the rollback is never recognised
  // by its code or message.
  std::optional<Status> fn_status;
  Status st = storage.Transact([&](Transaction& tx) -> Status {
    fn_status = fn(tx);
    if (!fn_status->ok()) return *fn_status;
    return Status(StatusCode::kInternal, "rolled back on purpose");
  });
  if (fn_status && fn_status->ok()) return Status::Ok();
  return st;
}

}  // namespace parcours::storage
