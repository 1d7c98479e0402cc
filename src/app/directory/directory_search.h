// DirectorySearch: "the nearest help" — the use case behind the parents'
// search page, the API GET /api/v1/resources and the result page of a
// screening ("nearest N published resources of level L near commune C").
//
// It keeps in memory what a search needs: the communes (code, name key,
// postcodes, centroid) and, per active resource, its kind, levels, flags,
// commune and position (own coordinates, else its commune's centroid), with
// one SpatialIndex per level and one per kind, separately for published and
// unpublished rows (so neither a rare kind nor a mostly unpublished import
// degrades a search to a scan). Display fields are read from storage for
// the few rows returned.
//
// Freshness: the memory catches up incrementally from storage
// (DirectoryRepository::ForEachResourceChangedSince / CommuneChangeSeq) at
// most once per `refresh_interval` on a search, and on Refresh(); changes
// made by another process (the CLI) are therefore seen within that interval.
//
// Thread-safety: Search() may run on many threads at once; catching up
// takes an exclusive lock briefly (core/fair_shared_mutex.h: a writer is not starved).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/geography.h"
#include "core/status.h"
#include "core/thread_annotations.h"
#include "domain/common/types.h"
#include "domain/directory/resource_kind.h"
#include "domain/geo/lat_lon.h"
#include "storage/storage.h"

namespace parcours::app {

struct DirectoryQuery {
  // Where: the parent's own position, or a commune given by INSEE code, by
  // postcode (commune_code then picks among its communes) or by name (typed
  // freely: accents, case, "St" for "Saint" do not matter). One of them is
  // required.
  std::optional<domain::LatLon> position;
  std::string commune_code;
  std::string postcode;
  std::string place;

  std::optional<domain::CareLevel> level;    // none: every level
  std::optional<domain::ResourceKind> kind;  // none: every kind
  bool fathers = false;                      // only those that accept fathers/co-parents
  bool teleconsultation = false;             // only those offering teleconsultation
  bool include_unpublished = false;          // professionals' views only
  int limit = 10;                            // 1..100
};

// How the distance was measured, or which fallback replaced it.
enum class DirectoryOrigin {
  kPosition,         // from the parent's own position
  kCommuneCentroid,  // from the commune's centroid
  kSameCommune,      // no centroid: resources of the same commune (no distance)
  kSameDepartment,   // no centroid: the commune's, then the department's (no distance)
};
std::string_view ToString(DirectoryOrigin o);

struct DirectoryItem {
  storage::ResourceRecord record;
  std::optional<double> distance_km;
  std::string commune_name;
};

struct DirectoryResult {
  std::optional<storage::CommuneRecord> commune;  // the commune searched around, if any
  // Other communes the postcode or name could mean (the chosen one first);
  // more than one: the page asks which.
  std::vector<storage::CommuneRecord> choices;
  DirectoryOrigin origin = DirectoryOrigin::kCommuneCentroid;
  std::vector<DirectoryItem> items;
};

// One hit of the in-memory part (ids and distances), for benchmarks.
struct DirectoryHit {
  std::int64_t id = 0;
  std::optional<double> distance_km;
};

// Also the CommuneLookup of the screening use cases: a postcode's communes
// come from memory, with no storage read on the screening's write path.
class DirectorySearch final : public CommuneLookup {
 public:
  struct Options {
    std::chrono::milliseconds refresh_interval{1000};
  };

  // Loads communes and resources from storage (borrowed; must outlive this).
  static Result<std::unique_ptr<DirectorySearch>> Create(storage::Storage& storage,
                                                         Options options);
  static Result<std::unique_ptr<DirectorySearch>> Create(storage::Storage& storage) {
    return Create(storage, Options());
  }
  ~DirectorySearch() override;

  // kInvalidArgument (field "postcode", "place", "commune_code", "position"
  // or "limit") when the place cannot be resolved or an argument is out of
  // range; kUnavailable when storage fails.
  Result<DirectoryResult> Search(const DirectoryQuery& q);

  // The in-memory part of Search only (no storage read, no refresh): the
  // resolved origin and ids with distances.
  Result<std::vector<DirectoryHit>> Nearest(const DirectoryQuery& q, DirectoryOrigin* origin);

  // Communes whose postcodes include `postcode`, most populous first (then
  // by code), as DirectoryRepository::FindCommunesByPostcode orders them.
  Result<std::vector<CommuneInfo>> ByPostcode(std::string_view postcode) const override;
  Result<std::optional<CommuneInfo>> ByCode(std::string_view insee_code) const override;

  // Catches up with storage now.
  Status Refresh();

  // Resources held in memory (active ones), for /metrics and tests.
  std::size_t size() const;

 private:
  struct Impl;
  explicit DirectorySearch(std::unique_ptr<Impl> impl);
  // Refresh() with refresh_mu_ already held by the caller.
  Status RefreshLocked() const REQUIRES(refresh_mu_);
  // Catches up when refresh_interval has passed since the last catch-up
  // (one caller does; the others answer from memory meanwhile).
  void CatchUpIfDue() const;
  std::unique_ptr<Impl> impl_;
  mutable core::Mutex refresh_mu_;  // one refresher at a time
};

}  // namespace parcours::app
