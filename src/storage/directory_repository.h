// DirectoryRepository: communes, resources (professionals and structures),
// their history and publication, and sub-territories. Reached from a
// Transaction (Transaction::directory()), so it shares that transaction's
// atomicity: nothing is kept if the transaction fails.
//
// Contract (both backends, tests/storage/directory_conformance_test.cpp):
// - Resources are never deleted; deactivation is an update (active=false).
// - Every resource write (insert, update, publication) stamps the row with
//   the transaction's change sequence number: one number per transaction,
//   strictly greater than that of every transaction committed before it, so
//   a reader that has seen all rows up to N catches up with
//   ForEachResourceChangedSince(N) and misses nothing (writers of resources
//   are serialised on the counter row).
// - Commune names are searched through name_key = domain::FoldPlaceName(name)
//   (the caller folds the query the same way).
// - Expected failures are Status values as in storage.h: kConflict for a
//   duplicate source_key, kNotFound for an update of a missing id.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/common/types.h"
#include "domain/directory/resource.h"
#include "domain/geo/lat_lon.h"

namespace parcours::storage {

struct CommuneRecord {
  std::string insee_code;
  std::string name;
  std::vector<std::string> postcodes;  // sorted
  std::string department_code;
  std::string region_code;
  std::optional<domain::LatLon> centroid;
  std::optional<std::int64_t> population;

  bool operator==(const CommuneRecord&) const = default;
};

struct ResourceRecord {
  std::int64_t id = 0;                    // assigned by InsertResource
  std::string source;                     // "rpps", "finess", "manual", "demo"
  std::optional<std::string> source_key;  // unique when set; none for hand-made rows
  domain::Resource resource;
  bool active = true;
  bool published = false;
  std::vector<std::string> manual_fields;  // sorted, unique
  std::string import_hash;                 // domain::ImportFingerprint of the last import
  std::optional<domain::TimestampMs> verified_at;
  domain::TimestampMs created_at = 0;
  domain::TimestampMs updated_at = 0;
  std::int64_t change_seq = 0;  // set by storage

  // The department of resource.commune_code (stored for filtering).
  std::string DepartmentCode() const;

  bool operator==(const ResourceRecord&) const = default;
};

// What an import needs to decide, per existing row, without reading it all.
struct ResourceKeyState {
  std::int64_t id = 0;
  std::string import_hash;
  bool active = true;
  bool has_manual_fields = false;
  std::string department_code;
};

struct ResourceHistoryEntry {
  std::int64_t id = 0;  // assigned by storage
  std::int64_t resource_id = 0;
  domain::TimestampMs at = 0;
  std::string actor;
  std::string action;  // create, edit, verify, deactivate, reactivate, publish, unpublish, import
  std::string detail;

  bool operator==(const ResourceHistoryEntry&) const = default;
};

// Which resources a bulk publication applies to. Every set criterion must
// hold; departments empty = all.
struct PublicationFilter {
  std::optional<std::string> kind;
  std::optional<std::string> source;
  std::vector<std::string> departments;
};

struct SubTerritoryRecord {
  std::string code;            // "hdf-ptsm-lille"
  std::string territory_code;  // "hauts-de-france"
  std::string name;
  std::string kind;                  // "department", "ptsm", "communes"
  std::vector<std::string> members;  // department codes or commune codes, sorted

  bool operator==(const SubTerritoryRecord&) const = default;
};

class DirectoryRepository {
 public:
  virtual ~DirectoryRepository() = default;

  // --- communes ---------------------------------------------------------
  // Inserts or replaces the commune and its postcodes. Returns true when
  // something changed (false for an identical row).
  virtual Result<bool> UpsertCommune(const CommuneRecord& c) = 0;
  virtual Result<std::optional<CommuneRecord>> FindCommune(std::string_view insee_code) = 0;
  // Communes served by a postcode, by decreasing population then code.
  virtual Result<std::vector<CommuneRecord>> FindCommunesByPostcode(std::string_view postcode) = 0;
  // Communes whose name_key equals folded_name or starts with it followed by
  // anything; exact matches first, then by decreasing population, then code.
  virtual Result<std::vector<CommuneRecord>> SearchCommunesByName(std::string_view folded_name,
                                                                  int limit) = 0;
  virtual Result<std::int64_t> CountCommunes() = 0;
  // Grows with every UpsertCommune that changed something (0 initially).
  virtual Result<std::int64_t> CommuneChangeSeq() = 0;
  // Every commune, in code order.
  virtual Status ForEachCommune(const std::function<void(const CommuneRecord&)>& fn) = 0;

  // --- resources ---------------------------------------------------------
  // Inserts r (r.id ignored); returns the new id. kConflict when
  // r.source_key is taken.
  virtual Result<std::int64_t> InsertResource(const ResourceRecord& r) = 0;
  // Replaces every field of row r.id (created_at kept). kNotFound if absent.
  virtual Status UpdateResource(const ResourceRecord& r) = 0;
  virtual Result<std::optional<ResourceRecord>> FindResource(std::int64_t id) = 0;
  virtual Result<std::optional<ResourceRecord>> FindResourceBySourceKey(std::string_view key) = 0;
  // The rows with these ids (missing ids skipped), in the order of ids.
  virtual Result<std::vector<ResourceRecord>> FindResources(
      const std::vector<std::int64_t>& ids) = 0;
  // source_key -> state of every row of one source, for imports.
  virtual Status ForEachResourceKey(
      std::string_view source,
      const std::function<void(std::string_view key, const ResourceKeyState&)>& fn) = 0;
  // Every row with change_seq > seq, by increasing change_seq then id.
  virtual Status ForEachResourceChangedSince(
      std::int64_t seq, const std::function<void(const ResourceRecord&)>& fn) = 0;
  // The highest change_seq committed (0 when none).
  virtual Result<std::int64_t> ResourceChangeSeq() = 0;
  // Sets active=false (and updated_at=at) on these rows; history is the
  // caller's. Unknown ids are ignored.
  virtual Status DeactivateResources(const std::vector<std::int64_t>& ids,
                                     domain::TimestampMs at) = 0;
  // Sets published on every active row matching the filter whose flag
  // differs; returns their ids.
  virtual Result<std::vector<std::int64_t>> SetPublished(const PublicationFilter& filter,
                                                         bool published,
                                                         domain::TimestampMs at) = 0;
  virtual Result<std::int64_t> CountResources(bool active_only) = 0;

  virtual Result<std::int64_t> AppendResourceHistory(const ResourceHistoryEntry& e) = 0;
  virtual Result<std::vector<ResourceHistoryEntry>> ListResourceHistory(
      std::int64_t resource_id) = 0;

  // --- sub-territories ---------------------------------------------------
  // Inserts or replaces (members included).
  virtual Status UpsertSubTerritory(const SubTerritoryRecord& s) = 0;
  virtual Result<std::vector<SubTerritoryRecord>> ListSubTerritories(
      std::string_view territory_code) = 0;
  // Sub-territories that contain the commune: by its code or by its
  // department; ordered by code.
  virtual Result<std::vector<SubTerritoryRecord>> SubTerritoriesOfCommune(
      std::string_view insee_code) = 0;
};

// Encodings shared by the backends: "first_line,specialised" <-> levels,
// "a,b" <-> {"a","b"} (empty string <-> empty list).
std::string EncodeLevels(const domain::CareLevelSet& levels);
std::optional<domain::CareLevelSet> DecodeLevels(std::string_view s);
std::string EncodeList(const std::vector<std::string>& v);
std::vector<std::string> DecodeList(std::string_view s);

}  // namespace parcours::storage
