// Opens the key that seals contact details, checking it against the
// fingerprint the database keeps (setting "contact_key_fingerprint"):
// - key file present: loaded; the fingerprint is recorded on first use and
//   must match afterwards (a wrong key is refused, never used to write);
// - key file missing and no fingerprint yet (new installation): a key is
//   created at `path` (mode 0600) and its fingerprint recorded;
// - key file missing but a fingerprint exists: refused (sealed data would
//   become unreadable).
// The key file is created with O_EXCL and the fingerprint inserted only if
// none exists: of two instances starting on one new database, one records
// its key and the other is refused (kConflict) until it has that key file.
#pragma once

#include <string>

#include "app/crypto/sealer.h"
#include "core/status.h"

namespace parcours::storage {
class Storage;
}

namespace parcours::app {

class Random;

inline constexpr const char* kContactKeySetting = "contact_key_fingerprint";

Result<Sealer> OpenContactKey(storage::Storage& storage, const std::string& path, Random& random);

}  // namespace parcours::app
