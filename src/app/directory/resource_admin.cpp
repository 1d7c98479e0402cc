#include "app/directory/resource_admin.h"

#include <algorithm>

#include "domain/directory/experiment_territories.h"
#include "domain/directory/resource.h"

namespace parcours::app {
namespace {

using storage::ResourceRecord;

// Applies the fields to *r; returns every error as one InvalidArgument.
Status ApplyFields(domain::Resource* r, const FieldValues& fields, bool require_whole) {
  std::vector<domain::FieldError> errors;
  std::optional<double> lat;
  std::optional<double> lon;
  for (const auto& [field, value] : fields) {
    if (auto e = domain::SetField(r, field, value, &lat, &lon)) errors.push_back(*e);
  }
  if (lat.has_value() != lon.has_value() && !r->position) {
    errors.push_back({lat ? "longitude" : "latitude", "latitude and longitude go together"});
  }
  if (errors.empty() && require_whole) {
    for (auto& e : domain::Validate(*r)) errors.push_back(std::move(e));
  }
  if (errors.empty()) return Status::Ok();
  std::string message;
  for (const auto& e : errors) message += (message.empty() ? "" : "\n") + e.field + ": " + e.reason;
  return Status::InvalidArgument(errors.front().field, message);
}

std::string FieldOf(const std::string& f) {
  return f == "latitude" || f == "longitude" ? "position" : f;
}

Result<ResourceRecord> Load(storage::DirectoryRepository& d, std::int64_t id) {
  auto r = d.FindResource(id);
  if (!r.ok()) return r.status();
  if (!*r) return Status::NotFound("no resource " + std::to_string(id));
  return std::move(**r);
}

// Runs change(record) on row id in one transaction with a history entry.
Result<ResourceRecord> Change(storage::Storage& storage, const Clock& clock,
                              const std::string& actor, std::int64_t id, const std::string& action,
                              const std::function<Result<std::string>(ResourceRecord&)>& change) {
  ResourceRecord out;
  Status st = storage.Transact([&](storage::Transaction& tx) -> Status {
    auto& d = tx.directory();
    auto rec = Load(d, id);
    if (!rec.ok()) return rec.status();
    auto detail = change(*rec);
    if (!detail.ok()) return detail.status();
    rec->updated_at = clock.NowMs();
    PARCOURS_RETURN_IF_ERROR(d.UpdateResource(*rec));
    PARCOURS_RETURN_IF_ERROR(
        d.AppendResourceHistory({0, id, rec->updated_at, actor, action, *detail}).status());
    out = std::move(*rec);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace

Result<ResourceRecord> AddResource(storage::Storage& storage, const Clock& clock,
                                   const std::string& actor, const FieldValues& fields,
                                   bool published) {
  ResourceRecord rec;
  rec.source = "manual";
  rec.published = published;
  // Levels default to the kind's when not given.
  domain::Resource& r = rec.resource;
  bool has_levels = false;
  for (const auto& [f, v] : fields) has_levels = has_levels || f == "levels";
  for (const auto& [f, v] : fields) {
    if (f == "kind") {
      if (auto k = domain::ParseResourceKind(v); k && !has_levels)
        r.levels = domain::DefaultLevels(*k);
    }
  }
  PARCOURS_RETURN_IF_ERROR(ApplyFields(&r, fields, /*require_whole=*/true));
  for (const auto& [f, v] : fields) rec.manual_fields.push_back(FieldOf(f));
  std::sort(rec.manual_fields.begin(), rec.manual_fields.end());
  rec.manual_fields.erase(std::unique(rec.manual_fields.begin(), rec.manual_fields.end()),
                          rec.manual_fields.end());
  rec.created_at = rec.updated_at = clock.NowMs();
  Status st = storage.Transact([&](storage::Transaction& tx) -> Status {
    auto id = tx.directory().InsertResource(rec);
    if (!id.ok()) return id.status();
    rec.id = *id;
    return tx.directory()
        .AppendResourceHistory({0, *id, rec.created_at, actor, "create", "created by hand"})
        .status();
  });
  if (!st.ok()) return st;
  return rec;
}

Result<ResourceRecord> EditResource(storage::Storage& storage, const Clock& clock,
                                    const std::string& actor, std::int64_t id,
                                    const FieldValues& fields) {
  if (fields.empty()) return Status::InvalidArgument("fields", "nothing to change");
  return Change(storage, clock, actor, id, "edit", [&](ResourceRecord& rec) -> Result<std::string> {
    domain::Resource before = rec.resource;
    PARCOURS_RETURN_IF_ERROR(ApplyFields(&rec.resource, fields, /*require_whole=*/true));
    std::string detail;
    for (const auto& f : domain::ChangedFields(before, rec.resource)) {
      detail += (detail.empty() ? "" : "\n") + f + ": " + domain::FieldValue(before, f) + " -> " +
                domain::FieldValue(rec.resource, f);
    }
    // Every field named by hand is the lead's from now on, even if unchanged.
    for (const auto& [f, v] : fields) rec.manual_fields.push_back(FieldOf(f));
    std::sort(rec.manual_fields.begin(), rec.manual_fields.end());
    rec.manual_fields.erase(std::unique(rec.manual_fields.begin(), rec.manual_fields.end()),
                            rec.manual_fields.end());
    return detail.empty() ? std::string("no change") : detail;
  });
}

Result<ResourceRecord> VerifyResource(storage::Storage& storage, const Clock& clock,
                                      const std::string& actor, std::int64_t id) {
  return Change(storage, clock, actor, id, "verify",
                [&](ResourceRecord& rec) -> Result<std::string> {
                  rec.verified_at = clock.NowMs();
                  return std::string("checked by hand");
                });
}

Result<ResourceRecord> SetResourceActive(storage::Storage& storage, const Clock& clock,
                                         const std::string& actor, std::int64_t id, bool active) {
  return Change(storage, clock, actor, id, active ? "reactivate" : "deactivate",
                [&](ResourceRecord& rec) -> Result<std::string> {
                  rec.active = active;
                  return std::string(active ? "reactivated by hand" : "deactivated by hand");
                });
}

Result<ResourceRecord> PublishResource(storage::Storage& storage, const Clock& clock,
                                       const std::string& actor, std::int64_t id, bool published) {
  return Change(storage, clock, actor, id, published ? "publish" : "unpublish",
                [&](ResourceRecord& rec) -> Result<std::string> {
                  rec.published = published;
                  return std::string(published ? "shown to parents" : "hidden from parents");
                });
}

Result<std::vector<std::int64_t>> PublishWhere(storage::Storage& storage, const Clock& clock,
                                               const std::string& actor,
                                               const std::optional<std::string>& kind,
                                               const std::optional<std::string>& territory,
                                               const std::optional<std::string>& source,
                                               bool published) {
  storage::PublicationFilter f;
  if (!kind && !territory && !source) {
    return Status::InvalidArgument("filter", "give a kind, a territory or a source");
  }
  if (kind) {
    if (!domain::ParseResourceKind(*kind)) {
      return Status::InvalidArgument("kind", "unknown kind '" + *kind + "'");
    }
    f.kind = kind;
  }
  if (territory) {
    const auto* t = domain::FindExperimentTerritory(*territory);
    if (!t) return Status::InvalidArgument("territory", "unknown territory '" + *territory + "'");
    for (auto d : t->departments) f.departments.emplace_back(d);
  }
  if (source) {
    if (*source != "rpps" && *source != "finess" && *source != "manual" && *source != "demo") {
      return Status::InvalidArgument("source", "source must be rpps, finess, manual or demo");
    }
    f.source = source;
  }
  std::vector<std::int64_t> ids;
  Status st = storage.Transact([&](storage::Transaction& tx) -> Status {
    const auto now = clock.NowMs();
    auto changed = tx.directory().SetPublished(f, published, now);
    if (!changed.ok()) return changed.status();
    ids = std::move(*changed);
    for (std::int64_t id : ids) {
      PARCOURS_RETURN_IF_ERROR(
          tx.directory()
              .AppendResourceHistory(
                  {0, id, now, actor, published ? "publish" : "unpublish", "bulk publication"})
              .status());
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return ids;
}

Result<ResourceDetail> ShowResource(storage::Storage& storage, std::int64_t id) {
  ResourceDetail out;
  Status st = storage.Read([&](storage::Transaction& tx) -> Status {
    auto rec = Load(tx.directory(), id);
    if (!rec.ok()) return rec.status();
    out.record = std::move(*rec);
    auto h = tx.directory().ListResourceHistory(id);
    if (!h.ok()) return h.status();
    out.history = std::move(*h);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace parcours::app
