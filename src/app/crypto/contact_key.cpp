#include "app/crypto/contact_key.h"

#include <filesystem>

#include "storage/storage.h"

namespace parcours::app {

Result<Sealer> OpenContactKey(storage::Storage& storage, const std::string& path, Random& random) {
  std::optional<std::string> recorded;
  PARCOURS_RETURN_IF_ERROR(storage.Read([&](storage::Transaction& tx) {
    auto r = tx.GetSetting(kContactKeySetting);
    if (!r.ok()) return r.status();
    recorded = *r;
    return Status::Ok();
  }));
  std::error_code ec;
  bool created = false;
  if (!std::filesystem::exists(path, ec)) {
    if (recorded) {
      return Status::InvalidArgument(
          "key-file", "key file " + path +
                          " is missing but the database holds contact details sealed with key " +
                          *recorded + ": restore the key file");
    }
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) {
      std::filesystem::create_directories(parent, ec);
    }
    // O_EXCL: of two processes creating it at once, one wins and the other
    // reads the winner's key.
    Status st = Sealer::NewKeyFile(path, random);
    if (st.ok()) {
      created = true;
    } else if (st.code() != StatusCode::kConflict) {
      return st;
    }
  }
  auto sealer = Sealer::FromFile(path);
  if (!sealer.ok()) return sealer.status();
  const std::string fp = sealer->Fingerprint();
  if (recorded && *recorded != fp) {
    return Status::InvalidArgument("key-file", "key file " + path + " (key " + fp +
                                                   ") is not the key of this database (" +
                                                   *recorded + ")");
  }
  if (!recorded) {
    // Recorded only if no other instance recorded its own key meanwhile
    // (two instances starting on one new PostgreSQL database).
    std::optional<std::string> winner;
    PARCOURS_RETURN_IF_ERROR(storage.Transact([&](storage::Transaction& tx) {
      auto inserted = tx.InsertSettingIfAbsent(kContactKeySetting, fp);
      if (!inserted.ok()) return inserted.status();
      if (*inserted) return Status::Ok();
      auto r = tx.GetSetting(kContactKeySetting);
      if (!r.ok()) return r.status();
      winner = *r;
      return Status::Ok();
    }));
    if (winner && *winner != fp) {
      // Nothing was sealed with the key made here: remove it so the
      // operator copies the winner's key file.
      if (created) std::filesystem::remove(path, ec);
      return Status::Conflict("another instance recorded contact key " + *winner +
                              " first: copy its key file to " + path + " and start again");
    }
  }
  return sealer;
}

}  // namespace parcours::app
