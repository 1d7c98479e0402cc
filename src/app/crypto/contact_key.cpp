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
  if (!std::filesystem::exists(path, ec)) {
    if (recorded) {
      return Status::InvalidArgument(
          "key-file", "key file " + path +
                          " is missing but the database holds contact details sealed with key " +
                          *recorded + ": restore the key file");
    }
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    PARCOURS_RETURN_IF_ERROR(Sealer::NewKeyFile(path, random));
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
    PARCOURS_RETURN_IF_ERROR(storage.Transact(
        [&](storage::Transaction& tx) { return tx.PutSetting(kContactKeySetting, fp); }));
  }
  return sealer;
}

}  // namespace parcours::app
