#include "app/directory/directory_import.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "domain/directory/commune_code.h"
#include "domain/directory/commune_parser.h"
#include "domain/directory/etalab_communes.h"
#include "domain/directory/experiment_territories.h"
#include "domain/directory/finess_parser.h"
#include "domain/directory/resource.h"
#include "domain/directory/rpps_parser.h"
#include "domain/text/line_stream.h"
#include "geo/coordinate_converter.h"

namespace parcours::app {
namespace {

using domain::LineError;
using domain::Resource;
using storage::DirectoryRepository;
using storage::ResourceRecord;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// Feeds a file through a LineStream in 1 MiB chunks.
Result<domain::TextEncoding> StreamFile(const std::string& path, domain::LineSink* sink) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) return Status::InvalidArgument("file", "cannot open " + path);
  domain::LineStream stream(sink);
  std::vector<char> buf(std::size_t{1} << 20);
  for (;;) {
    std::size_t n = std::fread(buf.data(), 1, buf.size(), f.get());
    if (n > 0) stream.Feed(std::string_view(buf.data(), n));
    if (n < buf.size()) break;
  }
  if (std::ferror(f.get())) return Status::Unavailable("read error on " + path);
  stream.Finish();
  return stream.encoding();
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) return Status::InvalidArgument("file", "cannot open " + path);
  std::string out;
  std::vector<char> buf(std::size_t{1} << 20);
  for (;;) {
    std::size_t n = std::fread(buf.data(), 1, buf.size(), f.get());
    out.append(buf.data(), n);
    if (n < buf.size()) break;
  }
  if (std::ferror(f.get())) return Status::Unavailable("read error on " + path);
  return out;
}

std::vector<std::string> DefaultDepartments() {
  std::vector<std::string> out;
  for (const auto& t : domain::ExperimentTerritories()) {
    for (auto d : t.departments) out.emplace_back(d);
  }
  return out;
}

std::string JoinNonEmpty(std::initializer_list<std::string_view> parts, const char* sep) {
  std::string out;
  for (auto p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

// Remembers the number of the line being parsed, for rows reported by a
// reader's record callback (which does not carry it).
class LineNumberTap final : public domain::LineSink {
 public:
  LineNumberTap(domain::LineSink* inner, std::int64_t* line) : inner_(inner), line_(line) {}
  void OnLine(std::string_view line, std::int64_t n) override {
    *line_ = n;
    inner_->OnLine(line, n);
  }
  void OnOverlongLine(std::int64_t n) override {
    *line_ = n;
    inner_->OnOverlongLine(n);
  }

 private:
  domain::LineSink* inner_;
  std::int64_t* line_;
};

// The state shared by the RPPS and FINESS imports: existing rows of the
// source, what this file has seen, the counters.
class ResourceImport {
 public:
  ResourceImport(DirectoryRepository& dir, std::string source, const ImportOptions& options,
                 domain::TimestampMs now, ImportSummary* summary, bool publish_new)
      : dir_(dir),
        source_(std::move(source)),
        options_(options),
        now_(now),
        summary_(summary),
        publish_new_(publish_new) {
    auto depts = options.departments.empty() ? DefaultDepartments() : options.departments;
    departments_.insert(depts.begin(), depts.end());
  }

  Status LoadExisting() {
    PARCOURS_RETURN_IF_ERROR(dir_.ForEachCommune([this](const storage::CommuneRecord& c) {
      if (!c.postcodes.empty()) commune_postcode_[c.insee_code] = c.postcodes.front();
    }));
    return dir_.ForEachResourceKey(
        source_, [this](std::string_view key, const storage::ResourceKeyState& st) {
          existing_.emplace(std::string(key), Existing{st, false});
        });
  }

  bool InScope(std::string_view commune_code) const {
    return departments_.contains(std::string(domain::DepartmentOfCommune(commune_code)));
  }

  // A CEDEX address has no commune postcode: take the commune's.
  void FillPostcode(Resource* r, const std::string& cedex_postcode) const {
    if (!r->postcode.empty()) return;
    auto it = commune_postcode_.find(r->commune_code);
    r->postcode = it != commune_postcode_.end() ? it->second : cedex_postcode;
  }

  void Error(std::int64_t line, std::string reason) {
    ++summary_->counts.errors;
    if (summary_->errors.size() < options_.max_reported_errors) {
      summary_->errors.push_back(LineError{line, std::move(reason)});
    }
  }

  // Applies one valid row. Stops at the first storage failure (the
  // transaction is then rolled back by the caller).
  // `label` prefixes validation messages ("" or "nofinesset 010000024: ").
  void Apply(std::int64_t line, const std::string& key, Resource r, const std::string& label = "") {
    if (!failure_.ok()) return;
    auto errors = domain::Validate(r);
    if (!errors.empty()) {
      std::string reason = label;
      for (const auto& e : errors) {
        reason += (reason.size() == label.size() ? "" : "; ") + e.field + " " + e.reason;
      }
      ++invalid_;
      Error(line, reason);
      return;
    }
    const std::string fingerprint = domain::ImportFingerprint(r);
    auto it = existing_.find(key);
    if (it != existing_.end()) {
      Existing& e = it->second;
      if (e.seen) {
        ++summary_->duplicates;
        return;
      }
      e.seen = true;
      if (e.state.import_hash == fingerprint && e.state.active) {
        ++summary_->unchanged;
        return;
      }
      auto current = dir_.FindResource(e.state.id);
      if (!current.ok() || !*current) {
        failure_ = current.ok() ? Status::Internal("resource vanished: " + key) : current.status();
        return;
      }
      ResourceRecord rec = std::move(**current);
      Resource merged = domain::MergeImport(rec.resource, r, rec.manual_fields);
      auto changed = domain::ChangedFields(rec.resource, merged);
      const bool reactivate = !rec.active;
      rec.resource = std::move(merged);
      rec.active = true;
      rec.import_hash = fingerprint;
      rec.updated_at = now_;
      failure_ = dir_.UpdateResource(rec);
      if (!failure_.ok()) return;
      std::string detail = reactivate ? "back in the extract" : "";
      for (const auto& f : changed) detail += (detail.empty() ? "" : ", ") + f;
      failure_ =
          dir_.AppendResourceHistory({0, rec.id, now_, options_.actor,
                                      reactivate ? "reactivate" : "import", "fields: " + detail})
              .status();
      ++summary_->updated;
      if (reactivate) ++summary_->reactivated;
      return;
    }
    ResourceRecord rec;
    rec.source = source_;
    rec.source_key = key;
    rec.resource = std::move(r);
    rec.active = true;
    rec.published = publish_new_;
    rec.import_hash = fingerprint;
    rec.created_at = rec.updated_at = now_;
    auto id = dir_.InsertResource(rec);
    if (!id.ok()) {
      failure_ = id.status();
      return;
    }
    existing_.emplace(key, Existing{{*id, fingerprint, true, false, rec.DepartmentCode()}, true});
    ++summary_->inserted;
  }

  // Records what the parser counted (`parsed`): rows outside the territories
  // are skipped ones, invalid rows are errors (counted by Error); then
  // deactivates rows of the imported departments the file did not contain.
  Status Finish(const domain::ImportCounts& parsed) {
    summary_->counts.lines = parsed.lines;
    summary_->counts.records = parsed.records - summary_->outside_territory - invalid_;
    summary_->counts.skipped = parsed.skipped + summary_->outside_territory;
    PARCOURS_RETURN_IF_ERROR(failure_);
    std::vector<std::int64_t> gone;
    for (const auto& [key, e] : existing_) {
      if (!e.seen && e.state.active && departments_.contains(e.state.department_code)) {
        gone.push_back(e.state.id);
      }
    }
    std::sort(gone.begin(), gone.end());
    summary_->deactivated = static_cast<std::int64_t>(gone.size());
    PARCOURS_RETURN_IF_ERROR(dir_.DeactivateResources(gone, now_));
    for (std::int64_t id : gone) {
      PARCOURS_RETURN_IF_ERROR(
          dir_.AppendResourceHistory({0, id, now_, options_.actor, "deactivate",
                                      "gone from the " + source_ + " extract"})
              .status());
    }
    return Status::Ok();
  }

  const Status& failure() const { return failure_; }
  // Rows the parser kept that failed domain::Validate.

 private:
  struct Existing {
    storage::ResourceKeyState state;
    bool seen = false;
  };

  DirectoryRepository& dir_;
  std::string source_;
  const ImportOptions& options_;
  domain::TimestampMs now_;
  ImportSummary* summary_;
  bool publish_new_;
  std::unordered_set<std::string> departments_;
  std::unordered_map<std::string, std::string> commune_postcode_;
  std::unordered_map<std::string, Existing> existing_;
  Status failure_;
  std::int64_t invalid_ = 0;
};

Resource FromRpps(const domain::RppsActivity& a) {
  Resource r;
  r.kind = a.kind;
  r.levels = a.levels;
  const bool doctor = a.profession_code == "10";
  r.name = JoinNonEmpty(
      {doctor ? std::string_view("Dr") : std::string_view(), a.first_name, a.last_name}, " ");
  r.organisation = a.structure_name;
  std::string street =
      JoinNonEmpty({a.street_number + a.street_repetition, a.street_type, a.street_name}, " ");
  r.address = JoinNonEmpty({street, a.distribution_mention}, ", ");
  r.postcode = a.postcode;
  r.commune_code = a.commune_code;
  if (auto p = domain::NormalisePhone(a.phone)) r.phone = *p;
  r.email = a.email;
  r.rpps = a.national_id;
  if (a.site_finess.size() == 9) r.finess = a.site_finess;
  if (a.site_siret.size() == 14) r.siret = a.site_siret;
  return r;
}

// One transaction, kept by a real run and rolled back by a dry run
// (storage::TransactAndRollBack), so both do exactly the same work.
Status RunImport(storage::Storage& storage, const ImportOptions& options,
                 const std::function<Status(storage::Transaction&)>& fn) {
  return options.dry_run ? storage::TransactAndRollBack(storage, fn) : storage.Transact(fn);
}

// The summary of an import of `source` before anything is read.
ImportSummary EmptySummary(const char* source, const ImportOptions& options) {
  ImportSummary s;
  s.source = source;
  s.dry_run = options.dry_run;
  return s;
}

Status Finalise(Status st, ImportSummary* s, std::chrono::steady_clock::time_point start) {
  s->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return st;
}

}  // namespace

Result<ImportSummary> ImportRpps(storage::Storage& storage, const Clock& clock,
                                 const std::string& path, const ImportOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ImportSummary s = EmptySummary("rpps", options);
  Status st = RunImport(storage, options, [&](storage::Transaction& tx) -> Status {
    s = EmptySummary("rpps", options);  // a retried transaction starts afresh
    ResourceImport imp(tx.directory(), "rpps", options, clock.NowMs(), &s,
                       options.publish_new.value_or(false));
    std::int64_t current_line = 0;
    PARCOURS_RETURN_IF_ERROR(imp.LoadExisting());
    domain::RppsReader reader(
        [&](const domain::RppsActivity& a) {
          if (!imp.InScope(a.commune_code)) {
            ++s.outside_territory;
            return;
          }
          Resource r = FromRpps(a);
          imp.FillPostcode(&r, a.cedex_postcode);
          imp.Apply(current_line, "rpps:" + a.key, std::move(r));
        },
        [&](const LineError& e) { imp.Error(e.line_number, e.reason); });
    LineNumberTap tap(&reader, &current_line);
    auto enc = StreamFile(path, &tap);
    if (!enc.ok()) return enc.status();
    s.encoding = std::string(domain::ToString(*enc));
    PARCOURS_RETURN_IF_ERROR(reader.status());
    // Parser errors and invalid rows were both counted by imp.Error.
    return imp.Finish(reader.counts());
  });
  st = Finalise(st, &s, start);
  if (!st.ok()) return st;
  return s;
}

Result<ImportSummary> ImportFiness(storage::Storage& storage, const Clock& clock,
                                   const std::string& path, const ImportOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ImportSummary s = EmptySummary("finess", options);
  // Parse first (FINESS is small: ~100 000 rows, a few thousand kept), then
  // write in one transaction.
  std::vector<LineError> parse_errors;
  domain::FinessCollector collector([&](const LineError& e) { parse_errors.push_back(e); });
  auto enc = StreamFile(path, &collector);
  if (!enc.ok()) return enc.status();
  if (collector.counts().lines == 0) return Status::InvalidArgument("file", "empty file " + path);
  auto converter = geo::CoordinateConverter::Create();
  if (!converter.ok()) return converter.status();
  std::vector<domain::FinessEstablishment> rows = collector.TakeEstablishments();
  const domain::ImportCounts parsed = collector.counts();

  Status st = RunImport(storage, options, [&](storage::Transaction& tx) -> Status {
    s = EmptySummary("finess", options);  // a retried transaction starts afresh
    s.encoding = std::string(domain::ToString(*enc));
    ResourceImport imp(tx.directory(), "finess", options, clock.NowMs(), &s,
                       options.publish_new.value_or(true));
    PARCOURS_RETURN_IF_ERROR(imp.LoadExisting());
    for (const auto& e : parse_errors) imp.Error(e.line_number, e.reason);
    for (const auto& e : rows) {
      if (!imp.InScope(e.commune_code)) {
        ++s.outside_territory;
        continue;
      }
      Resource r;
      r.kind = e.kind;
      r.levels = e.levels;
      r.name = e.long_name.empty() ? e.name : e.long_name;
      std::string street =
          JoinNonEmpty({e.street_number + e.street_complement, e.street_type, e.street_name}, " ");
      r.address = JoinNonEmpty({e.distribution_complement, street, e.locality}, ", ");
      r.postcode = e.postcode;
      r.commune_code = e.commune_code;
      if (auto p = domain::NormalisePhone(e.phone)) r.phone = *p;
      r.finess = e.finess_id;
      if (e.siret.size() == 14) r.siret = e.siret;
      if (e.position) {
        auto ll = (*converter)->ToWgs84(*e.position);
        if (ll.ok()) {
          r.position = *ll;
        } else {
          s.warnings.push_back("nofinesset " + e.finess_id + ": coordinates not converted (" +
                               ll.status().message() + "); the commune's centroid is used");
        }
      }
      imp.FillPostcode(&r, e.cedex_postcode);
      imp.Apply(0, "finess:" + e.finess_id, std::move(r), "nofinesset " + e.finess_id + ": ");
    }
    return imp.Finish(parsed);
  });
  st = Finalise(st, &s, start);
  if (!st.ok()) return st;
  return s;
}

Result<ImportSummary> ImportCommunes(storage::Storage& storage, const std::string& path,
                                     const std::string& format, const ImportOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (format != "csv" && format != "etalab-json") {
    return Status::InvalidArgument("format", "format must be csv or etalab-json");
  }
  ImportSummary s = EmptySummary("communes", options);
  Status st = RunImport(storage, options, [&](storage::Transaction& tx) -> Status {
    s = EmptySummary("communes", options);  // a retried transaction starts afresh
    auto& dir = tx.directory();
    Status failure;
    auto on_error = [&](const LineError& e) {
      if (s.errors.size() < options.max_reported_errors) s.errors.push_back(e);
    };
    auto on_commune = [&](const domain::Commune& c) {
      if (!failure.ok()) return;
      storage::CommuneRecord rec{c.insee_code,  c.name,     c.postcodes, c.department_code,
                                 c.region_code, c.centroid, c.population};
      auto existing = dir.FindCommune(c.insee_code);
      if (!existing.ok()) {
        failure = existing.status();
        return;
      }
      // A list without centroids keeps the centroid a commune already has.
      if (!rec.centroid && *existing) rec.centroid = (*existing)->centroid;
      auto changed = dir.UpsertCommune(rec);
      if (!changed.ok()) {
        failure = changed.status();
        return;
      }
      if (!*existing) {
        ++s.inserted;
      } else if (*changed) {
        ++s.updated;
      } else {
        ++s.unchanged;
      }
    };
    if (format == "csv") {
      domain::CommuneReader reader(on_commune, on_error);
      auto enc = StreamFile(path, &reader);
      if (!enc.ok()) return enc.status();
      s.encoding = std::string(domain::ToString(*enc));
      PARCOURS_RETURN_IF_ERROR(reader.status());
      s.counts = reader.counts();
    } else {
      auto bytes = ReadWholeFile(path);
      if (!bytes.ok()) return bytes.status();
      s.encoding = "utf-8";
      PARCOURS_RETURN_IF_ERROR(domain::ReadEtalabCommunes(*bytes, on_commune, on_error, &s.counts));
    }
    PARCOURS_RETURN_IF_ERROR(failure);
    return Status::Ok();
  });
  st = Finalise(st, &s, start);
  if (!st.ok()) return st;
  return s;
}

std::string FormatImportSummary(const ImportSummary& s) {
  std::string out;
  auto line = [&out](const std::string& k, std::int64_t v) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "  %-22s %lld\n", k.c_str(), static_cast<long long>(v));
    out += buf;
  };
  out += "import " + s.source + (s.dry_run ? " (dry run: nothing written)" : "") + "\n";
  if (!s.encoding.empty()) out += "  encoding               " + s.encoding + "\n";
  line("lines", s.counts.lines);
  line("rows kept", s.counts.records);
  line("rows skipped", s.counts.skipped);
  if (s.source != "communes") line("  outside territories", s.outside_territory);
  line("rows with errors", s.counts.errors);
  line("new", s.inserted);
  line("updated", s.updated);
  if (s.source != "communes") {
    line("  reactivated", s.reactivated);
    line("duplicates (ignored)", s.duplicates);
  }
  line("unchanged", s.unchanged);
  if (s.source != "communes") line("deactivated (gone)", s.deactivated);
  char secs[64];
  std::snprintf(secs, sizeof secs, "  %-22s %.2f\n", "seconds", s.seconds);
  out += secs;
  for (const auto& e : s.errors) {
    out += e.line_number > 0 ? "  line " + std::to_string(e.line_number) + ": " : "  ";
    out += e.reason + "\n";
  }
  if (static_cast<std::int64_t>(s.errors.size()) < s.counts.errors) {
    out += "  (" + std::to_string(s.counts.errors - static_cast<std::int64_t>(s.errors.size())) +
           " more errors not listed)\n";
  }
  for (const auto& w : s.warnings) out += "  warning: " + w + "\n";
  return out;
}

}  // namespace parcours::app
