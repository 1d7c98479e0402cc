// Imports of the national open data into the directory: RPPS / Annuaire
// Santé activities, FINESS establishments, the commune list.
//
// Contract:
// - Streaming: the file is read in chunks (memory: one chunk, one line, and
//   one small entry per existing row of the same source), whatever its size.
// - Atomic: everything is written in one transaction; with dry_run the same
//   work is done and rolled back, so the report of a dry run is exactly what
//   the real run would do.
// - Idempotent: a row is keyed by its national identifiers (RPPS:
//   Identification nationale PP + structure; FINESS: nofinesset); a re-import
//   updates rows whose imported fields changed, never creates a duplicate,
//   and never overwrites a field a project lead edited by hand
//   (ResourceRecord::manual_fields). Rows of the imported departments that are
//   gone from the extract become inactive (never deleted); a row that comes
//   back is reactivated.
// - Bad rows (malformed, or failing domain::Validate) are reported with their
//   line number and reason and skipped; they never abort the file.
// - Publication: RPPS professionals are imported unpublished (a project lead
//   publishes them); FINESS structures are imported published (public
//   services), unless options say otherwise. Existing rows keep their flag.
// Thread-safe (each call has its own state); blocks the caller.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/clock.h"
#include "core/status.h"
#include "domain/directory/import_report.h"
#include "storage/storage.h"

namespace parcours::app {

struct ImportOptions {
  bool dry_run = false;
  // INSEE department codes kept; empty = the six experiment territories.
  std::vector<std::string> departments;
  std::string actor = "import";  // recorded in the resources' history
  // nullopt: the source's default (RPPS unpublished, FINESS published).
  std::optional<bool> publish_new;
  std::size_t max_reported_errors = 1000;
};

struct ImportSummary {
  std::string source;    // "rpps", "finess", "communes"
  std::string encoding;  // "utf-8", "latin-1", "ascii"
  bool dry_run = false;
  domain::ImportCounts counts;         // lines / records / skipped / errors (parser + validation)
  std::int64_t outside_territory = 0;  // well-formed rows of other departments
  std::int64_t duplicates = 0;         // a key seen again in the same file (first kept)
  std::int64_t inserted = 0;
  std::int64_t updated = 0;      // imported fields changed (manual fields kept)
  std::int64_t reactivated = 0;  // was inactive, back in the extract (also counted in updated)
  std::int64_t unchanged = 0;
  std::int64_t deactivated = 0;           // gone from the extract
  std::vector<domain::LineError> errors;  // the first max_reported_errors
  std::vector<std::string> warnings;      // e.g. coordinates that could not be converted
  double seconds = 0;
};

// `parcours import rpps FILE`.
Result<ImportSummary> ImportRpps(storage::Storage& storage, const Clock& clock,
                                 const std::string& path, const ImportOptions& options);

// `parcours import finess FILE`: coordinates converted to WGS84 with PROJ.
Result<ImportSummary> ImportFiness(storage::Storage& storage, const Clock& clock,
                                   const std::string& path, const ImportOptions& options);

// `parcours import communes FILE`: the CSV of domain/directory/commune_parser.h
// (format "csv") or the communes.json of the npm package
// @etalab/decoupage-administratif (format "etalab-json", no centroids; a
// commune already known keeps its centroid). Every commune is kept
// (departments ignored): updated = changed rows, inserted counts new ones.
Result<ImportSummary> ImportCommunes(storage::Storage& storage, const std::string& path,
                                     const std::string& format, const ImportOptions& options);

// Human-readable report (English, for the CLI).
std::string FormatImportSummary(const ImportSummary& s);

}  // namespace parcours::app
