// The CommuneLookup of the parent journey (app/geography.h) backed by the
// directory's commune list: postcode -> communes, most populous first.
// Thread-safe (each call is one read transaction); storage is borrowed.
#pragma once

#include "app/geography.h"
#include "storage/storage.h"

namespace parcours::app {

class DirectoryCommuneLookup final : public CommuneLookup {
 public:
  explicit DirectoryCommuneLookup(storage::Storage& storage) : storage_(storage) {}
  Result<std::vector<CommuneInfo>> ByPostcode(std::string_view postcode) const override;

 private:
  storage::Storage& storage_;
};

}  // namespace parcours::app
