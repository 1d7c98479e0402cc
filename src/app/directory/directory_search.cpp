#include "app/directory/directory_search.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <limits>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <utility>

#include "app/geography.h"
#include "core/fair_shared_mutex.h"
#include "domain/directory/commune_code.h"
#include "domain/geo/spatial_index.h"
#include "domain/text/fold.h"

namespace parcours::app {
namespace {

using domain::CareLevel;
using domain::LatLon;
using domain::ResourceKind;
using domain::SpatialIndex;

constexpr std::size_t kLevels = 5;
constexpr std::size_t kMaxChoices = 10;

struct CommuneMem {
  storage::CommuneRecord record;
  std::string key;  // FoldPlaceName(name)
};

struct ResMem {
  ResourceKind kind = ResourceKind::kGeneralPractitioner;
  domain::CareLevelSet levels;
  bool published = false;
  bool fathers = false;
  bool teleconsultation = false;
  std::optional<LatLon> own_position;
  std::optional<LatLon> position;  // own, else the commune's centroid
  std::string commune;
  std::string department;
};

// Spatial indexes of one publication state: per level and per kind,
// allocated on first use.
struct Family {
  std::array<std::unique_ptr<SpatialIndex>, kLevels> by_level;
  std::vector<std::unique_ptr<SpatialIndex>> by_kind;

  Family() : by_kind(domain::AllResourceKinds().size()) {}

  SpatialIndex& Level(CareLevel l) {
    auto& p = by_level[static_cast<std::size_t>(l)];
    if (!p) p = std::make_unique<SpatialIndex>();
    return *p;
  }
  SpatialIndex& Kind(ResourceKind k) {
    auto& p = by_kind[static_cast<std::size_t>(k)];
    if (!p) p = std::make_unique<SpatialIndex>();
    return *p;
  }
  const SpatialIndex* LevelIfAny(CareLevel l) const {
    return by_level[static_cast<std::size_t>(l)].get();
  }
  const SpatialIndex* KindIfAny(ResourceKind k) const {
    return by_kind[static_cast<std::size_t>(k)].get();
  }
};

void EraseId(std::vector<std::int64_t>* v, std::int64_t id) {
  auto it = std::find(v->begin(), v->end(), id);
  if (it != v->end()) {
    *it = v->back();
    v->pop_back();
  }
}

}  // namespace

std::string_view ToString(DirectoryOrigin o) {
  switch (o) {
    case DirectoryOrigin::kPosition: return "position";
    case DirectoryOrigin::kCommuneCentroid: return "commune_centroid";
    case DirectoryOrigin::kSameCommune: return "same_commune";
    case DirectoryOrigin::kSameDepartment: return "same_department";
  }
  return "";
}

struct DirectorySearch::Impl {
  storage::Storage* storage = nullptr;
  Options options;

  std::atomic<std::int64_t> last_refresh_ns{0};

  // Fair: a refresher (writer) gets in within the time current searches
  // take, whatever the search load (a deactivated emergency service must
  // leave the results within seconds).
  mutable FairSharedMutex mu;
  std::int64_t resource_seq GUARDED_BY(mu) = 0;
  std::int64_t commune_seq GUARDED_BY(mu) = -1;
  std::vector<CommuneMem> communes GUARDED_BY(mu);
  std::unordered_map<std::string, std::size_t> commune_index GUARDED_BY(mu);
  std::unordered_map<std::string, std::vector<std::size_t>> by_postcode GUARDED_BY(mu);
  std::vector<std::pair<std::string, std::size_t>> by_key GUARDED_BY(mu);  // sorted by key
  std::unordered_map<std::int64_t, ResMem> resources GUARDED_BY(mu);
  std::unordered_map<std::string, std::vector<std::int64_t>> by_commune GUARDED_BY(mu);
  std::unordered_map<std::string, std::vector<std::int64_t>> by_department GUARDED_BY(mu);
  Family published GUARDED_BY(mu);
  Family unpublished GUARDED_BY(mu);

  // The commune a query is about, first, then the other communes its input
  // could mean (the other communes of a postcode, or of the same name);
  // empty for a position alone.
  Result<std::vector<const CommuneMem*>> ResolveCommunes(const DirectoryQuery& q) const
      REQUIRES_SHARED(mu);
  // The nearest resources from q.position, else from the commune's
  // centroid, else those of the same commune then department.
  std::vector<DirectoryHit> NearestLocked(const DirectoryQuery& q, const CommuneMem* commune,
                                          DirectoryOrigin* origin) const REQUIRES_SHARED(mu);

  const CommuneMem* FindCommune(std::string_view code) const REQUIRES_SHARED(mu) {
    auto it = commune_index.find(std::string(code));
    return it == commune_index.end() ? nullptr : &communes[it->second];
  }

  std::optional<LatLon> CentroidOf(const std::string& commune) const REQUIRES_SHARED(mu) {
    const CommuneMem* c = FindCommune(commune);
    return c ? c->record.centroid : std::nullopt;
  }

  void Unindex(std::int64_t id, const ResMem& m) REQUIRES(mu) {
    if (m.position) {
      Family& f = m.published ? published : unpublished;
      for (CareLevel l : m.levels.ToVector()) f.Level(l).Remove(static_cast<SpatialIndex::Id>(id));
      f.Kind(m.kind).Remove(static_cast<SpatialIndex::Id>(id));
    }
    EraseId(&by_commune[m.commune], id);
    EraseId(&by_department[m.department], id);
  }

  void Index(std::int64_t id, const ResMem& m) REQUIRES(mu) {
    if (m.position) {
      Family& f = m.published ? published : unpublished;
      for (CareLevel l : m.levels.ToVector()) {
        (void)f.Level(l).Insert(static_cast<SpatialIndex::Id>(id), *m.position);
      }
      (void)f.Kind(m.kind).Insert(static_cast<SpatialIndex::Id>(id), *m.position);
    }
    by_commune[m.commune].push_back(id);
    by_department[m.department].push_back(id);
  }

  // Replaces (or removes, when !m) one resource in memory.
  void Apply(std::int64_t id, std::optional<ResMem> m) REQUIRES(mu) {
    auto it = resources.find(id);
    if (it != resources.end()) {
      Unindex(id, it->second);
      resources.erase(it);
    }
    if (!m) return;
    m->position = m->own_position ? m->own_position : CentroidOf(m->commune);
    Index(id, *m);
    resources.emplace(id, std::move(*m));
  }

  void SetCommunes(std::vector<storage::CommuneRecord> list) REQUIRES(mu) {
    communes.clear();
    commune_index.clear();
    by_postcode.clear();
    by_key.clear();
    communes.reserve(list.size());
    for (auto& c : list) {
      std::string key = domain::FoldPlaceName(c.name);
      communes.push_back(CommuneMem{std::move(c), std::move(key)});
    }
    for (std::size_t i = 0; i < communes.size(); ++i) {
      commune_index.emplace(communes[i].record.insee_code, i);
      for (const auto& p : communes[i].record.postcodes) by_postcode[p].push_back(i);
      by_key.emplace_back(communes[i].key, i);
    }
    // The lambda reads through a pointer taken here, under mu (the
    // analysis does not follow a capability into a lambda).
    const std::vector<CommuneMem>* all = &communes;
    auto more_populous = [all](std::size_t a, std::size_t b) {
      auto pa = (*all)[a].record.population.value_or(-1);
      auto pb = (*all)[b].record.population.value_or(-1);
      if (pa != pb) return pa > pb;
      return (*all)[a].record.insee_code < (*all)[b].record.insee_code;
    };
    for (auto& [pc, v] : by_postcode) std::sort(v.begin(), v.end(), more_populous);
    std::sort(by_key.begin(), by_key.end(), [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first < b.first;
      return more_populous(a.second, b.second);
    });
    // Positions taken from centroids may have changed.
    std::vector<std::pair<std::int64_t, ResMem>> moved;
    for (const auto& [id, m] : resources) {
      if (!m.own_position && m.position != CentroidOf(m.commune)) moved.emplace_back(id, m);
    }
    for (auto& [id, m] : moved) Apply(id, std::move(m));
  }

  // Communes named like `folded` (exact first, then prefix), populous first.
  std::vector<const CommuneMem*> ByName(const std::string& folded) const REQUIRES_SHARED(mu) {
    std::vector<const CommuneMem*> exact;
    std::vector<const CommuneMem*> prefix;
    if (folded.empty()) return exact;
    for (auto it =
             std::lower_bound(by_key.begin(), by_key.end(), std::make_pair(folded, std::size_t{0}),
                              [](const auto&a, const auto&b) { return a.first < b.first; });
         it != by_key.end() && it->first.starts_with(folded); ++it) {
      const CommuneMem* c = &communes[it->second];
      (it->first == folded ? exact : prefix).push_back(c);
      if (exact.size() + prefix.size() > 200) break;
    }
    auto pop = [](const CommuneMem* a, const CommuneMem* b) {
      return a->record.population.value_or(-1) > b->record.population.value_or(-1);
    };
    std::stable_sort(prefix.begin(), prefix.end(), pop);
    exact.insert(exact.end(), prefix.begin(), prefix.end());
    return exact;
  }
};

DirectorySearch::DirectorySearch(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DirectorySearch::~DirectorySearch() = default;

Result<std::unique_ptr<DirectorySearch>> DirectorySearch::Create(storage::Storage& storage,
                                                                 Options options) {
  auto impl = std::make_unique<Impl>();
  impl->storage = &storage;
  impl->options = options;
  std::unique_ptr<DirectorySearch> s(new DirectorySearch(std::move(impl)));
  PARCOURS_RETURN_IF_ERROR(s->Refresh());
  return s;
}

std::size_t DirectorySearch::size() const {
  ReaderLock lock(impl_->mu);
  return impl_->resources.size();
}

Status DirectorySearch::Refresh() {
  core::MutexLock refresh(refresh_mu_);
  return RefreshLocked();
}

Status DirectorySearch::RefreshLocked() const {
  Impl& m = *impl_;
  std::int64_t seen_resources = 0;
  std::int64_t seen_communes = 0;
  {
    ReaderLock lock(m.mu);
    seen_resources = m.resource_seq;
    seen_communes = m.commune_seq;
  }
  std::optional<std::vector<storage::CommuneRecord>> communes;
  std::vector<std::pair<std::int64_t, std::optional<ResMem>>> changes;
  std::int64_t new_resource_seq = seen_resources;
  std::int64_t new_commune_seq = seen_communes;
  Status st = m.storage->Read([&](storage::Transaction& tx) -> Status {
    auto& d = tx.directory();
    auto cseq = d.CommuneChangeSeq();
    if (!cseq.ok()) return cseq.status();
    new_commune_seq = *cseq;
    if (*cseq != seen_communes) {
      communes.emplace();
      PARCOURS_RETURN_IF_ERROR(
          d.ForEachCommune([&](const storage::CommuneRecord& c) { communes->push_back(c); }));
    }
    auto rseq = d.ResourceChangeSeq();
    if (!rseq.ok()) return rseq.status();
    new_resource_seq = *rseq;
    if (*rseq == seen_resources) return Status::Ok();
    return d.ForEachResourceChangedSince(seen_resources, [&](const storage::ResourceRecord& r) {
      if (!r.active) {
        changes.emplace_back(r.id, std::nullopt);
        return;
      }
      ResMem x;
      x.kind = r.resource.kind;
      x.levels = r.resource.levels;
      x.published = r.published;
      x.fathers = r.resource.accepts_fathers;
      x.teleconsultation = r.resource.teleconsultation;
      x.own_position = r.resource.position;
      x.commune = r.resource.commune_code;
      x.department = r.DepartmentCode();
      changes.emplace_back(r.id, std::move(x));
    });
  });
  if (!st.ok()) return st;
  WriterLock lock(m.mu);
  if (communes) m.SetCommunes(std::move(*communes));
  for (auto& [id, x] : changes) m.Apply(id, std::move(x));
  m.resource_seq = new_resource_seq;
  m.commune_seq = new_commune_seq;
  m.last_refresh_ns = std::chrono::steady_clock::now().time_since_epoch().count();
  return Status::Ok();
}

namespace {

Status CheckQuery(const DirectoryQuery& q) {
  if (q.limit < 1 || q.limit > 100) {
    return Status::InvalidArgument("limit", "limit must be from 1 to 100");
  }
  if (q.position && !domain::IsValid(*q.position)) {
    return Status::InvalidArgument("position", "latitude/longitude out of range");
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<const CommuneMem*>> DirectorySearch::Impl::ResolveCommunes(
    const DirectoryQuery& q) const {
  std::vector<const CommuneMem*> out;
  if (!q.commune_code.empty()) {
    const CommuneMem* c = FindCommune(domain::NormaliseCommuneCode(q.commune_code));
    if (!c) return Status::InvalidArgument("commune_code", "unknown commune code");
    out.push_back(c);
    for (const auto& pc : {q.postcode, q.place}) {
      if (auto it = by_postcode.find(pc); it != by_postcode.end()) {
        for (std::size_t i : it->second) {
          if (&communes[i] != c) out.push_back(&communes[i]);
        }
      }
    }
  } else if (!q.postcode.empty() || IsPostcode(q.place)) {
    const std::string& pc = q.postcode.empty() ? q.place : q.postcode;
    if (!IsPostcode(pc)) return Status::InvalidArgument("postcode", "a postcode has 5 digits");
    auto it = by_postcode.find(pc);
    if (it == by_postcode.end() || it->second.empty()) {
      return Status::InvalidArgument(q.postcode.empty() ? "place" : "postcode",
                                     "no commune has this postcode");
    }
    for (std::size_t i : it->second) out.push_back(&communes[i]);
  } else if (!q.place.empty()) {
    out = ByName(domain::FoldPlaceName(q.place));
    if (out.empty()) return Status::InvalidArgument("place", "no commune of that name");
  } else if (!q.position) {
    return Status::InvalidArgument("place", "give a postcode, a commune or a position");
  }
  return out;
}

std::vector<DirectoryHit> DirectorySearch::Impl::NearestLocked(const DirectoryQuery& q,
                                                               const CommuneMem* commune,
                                                               DirectoryOrigin* origin) const {
  std::optional<LatLon> from = q.position;
  *origin = DirectoryOrigin::kPosition;
  if (!from && commune && commune->record.centroid) {
    from = commune->record.centroid;
    *origin = DirectoryOrigin::kCommuneCentroid;
  }
  const std::size_t limit = static_cast<std::size_t>(q.limit);
  // The lambdas read through this pointer, taken under mu (the analysis
  // does not follow a capability into a lambda).
  const std::unordered_map<std::int64_t, ResMem>* res = &resources;
  auto accept = [&](SpatialIndex::Id id) {
    auto it = res->find(static_cast<std::int64_t>(id));
    if (it == res->end()) return false;
    const ResMem& r = it->second;
    if (q.fathers && !r.fathers) return false;
    if (q.teleconsultation && !r.teleconsultation) return false;
    if (q.kind && q.level && !r.levels.Contains(*q.level)) return false;
    return true;
  };
  std::vector<DirectoryHit> hits;
  if (from) {
    std::vector<SpatialIndex::Neighbour> all;
    for (const Family* f : {&published, q.include_unpublished ? &unpublished : nullptr}) {
      if (!f) continue;
      std::vector<const SpatialIndex*> indexes;
      if (q.kind) {
        indexes.push_back(f->KindIfAny(*q.kind));
      } else if (q.level) {
        indexes.push_back(f->LevelIfAny(*q.level));
      } else {
        for (std::size_t l = 0; l < kLevels; ++l) {
          indexes.push_back(f->LevelIfAny(static_cast<CareLevel>(l)));
        }
      }
      for (const SpatialIndex* idx : indexes) {
        if (!idx) continue;
        auto n = idx->NearestIf(*from, limit, std::numeric_limits<double>::infinity(), accept);
        all.insert(all.end(), n.begin(), n.end());
      }
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
      if (a.distance_km != b.distance_km) return a.distance_km < b.distance_km;
      return a.id < b.id;
    });
    for (const auto& n : all) {
      if (hits.size() == limit) break;
      const auto id = static_cast<std::int64_t>(n.id);
      if (!hits.empty() && std::any_of(hits.begin(), hits.end(),
                                       [id](const DirectoryHit& h) { return h.id == id; })) {
        continue;
      }
      hits.push_back({id, n.distance_km});
    }
    return hits;
  }
  // No centroid: the same commune, then the same department.
  auto matches = [&](std::int64_t id) {
    const ResMem& r = res->at(id);
    if (!r.published && !q.include_unpublished) return false;
    if (q.kind && r.kind != *q.kind) return false;
    if (q.level && !r.levels.Contains(*q.level)) return false;
    return accept(static_cast<SpatialIndex::Id>(id));
  };
  auto take = [&](const std::vector<std::int64_t>& ids) {
    std::vector<std::int64_t> sorted(ids);
    std::sort(sorted.begin(), sorted.end());
    for (std::int64_t id : sorted) {
      if (hits.size() == limit) return;
      if (!matches(id)) continue;
      if (std::any_of(hits.begin(), hits.end(),
                      [id](const DirectoryHit& h) { return h.id == id; })) {
        continue;
      }
      hits.push_back({id, std::nullopt});
    }
  };
  *origin = DirectoryOrigin::kSameCommune;
  if (auto it = by_commune.find(commune->record.insee_code); it != by_commune.end()) {
    take(it->second);
  }
  if (hits.size() < limit) {
    const std::size_t before = hits.size();
    if (auto it = by_department.find(commune->record.department_code); it != by_department.end()) {
      take(it->second);
    }
    if (hits.size() > before || before == 0) *origin = DirectoryOrigin::kSameDepartment;
  }
  return hits;
}

Result<std::vector<DirectoryHit>> DirectorySearch::Nearest(const DirectoryQuery& q,
                                                           DirectoryOrigin* origin) {
  PARCOURS_RETURN_IF_ERROR(CheckQuery(q));
  const Impl& m = *impl_;
  ReaderLock lock(m.mu);
  auto communes = m.ResolveCommunes(q);
  if (!communes.ok()) return communes.status();
  return m.NearestLocked(q, communes->empty() ? nullptr : communes->front(), origin);
}

void DirectorySearch::CatchUpIfDue() const {
  Impl& m = *impl_;
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  const auto interval =
      std::chrono::duration_cast<std::chrono::nanoseconds>(m.options.refresh_interval).count();
  if (now - m.last_refresh_ns.load() >= interval) {
    // One caller catches up; the others meanwhile answer from memory. A
    // failed catch-up keeps serving what memory holds; the next call tries
    // again.
    if (refresh_mu_.TryLock()) {
      core::MutexLock refresh(refresh_mu_, std::adopt_lock);
      (void)RefreshLocked();
    }
  }
}

Result<std::vector<CommuneInfo>> DirectorySearch::ByPostcode(std::string_view postcode) const {
  CatchUpIfDue();
  const Impl& m = *impl_;
  std::vector<CommuneInfo> out;
  ReaderLock lock(m.mu);
  auto it = m.by_postcode.find(std::string(postcode));
  if (it == m.by_postcode.end()) return out;
  out.reserve(it->second.size());
  for (std::size_t i : it->second) {
    const storage::CommuneRecord& c = m.communes[i].record;
    out.push_back({c.insee_code, c.name, c.department_code});
  }
  return out;
}

Result<std::optional<CommuneInfo>> DirectorySearch::ByCode(std::string_view insee_code) const {
  CatchUpIfDue();
  const Impl& m = *impl_;
  ReaderLock lock(m.mu);
  const auto* c = m.FindCommune(domain::NormaliseCommuneCode(insee_code));
  if (c == nullptr) return std::optional<CommuneInfo>();
  return std::optional<CommuneInfo>(
      CommuneInfo{c->record.insee_code, c->record.name, c->record.department_code});
}

Result<DirectoryResult> DirectorySearch::Search(const DirectoryQuery& q) {
  Impl& m = *impl_;
  CatchUpIfDue();
  PARCOURS_RETURN_IF_ERROR(CheckQuery(q));
  DirectoryResult result;
  std::vector<DirectoryHit> hits;
  {
    ReaderLock lock(m.mu);
    auto communes = m.ResolveCommunes(q);
    if (!communes.ok()) return communes.status();
    hits = m.NearestLocked(q, communes->empty() ? nullptr : communes->front(), &result.origin);
    if (!communes->empty()) result.commune = communes->front()->record;
    for (const CommuneMem* c : *communes) {
      if (result.choices.size() == kMaxChoices) break;
      result.choices.push_back(c->record);
    }
  }
  std::vector<std::int64_t> ids;
  ids.reserve(hits.size());
  for (const auto& h : hits) ids.push_back(h.id);
  std::vector<storage::ResourceRecord> rows;
  Status st = m.storage->Read([&](storage::Transaction& tx) -> Status {
    auto r = tx.directory().FindResources(ids);
    if (!r.ok()) return r.status();
    rows = std::move(*r);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  ReaderLock lock(m.mu);
  for (const auto& h : hits) {
    for (auto& row : rows) {
      if (row.id != h.id) continue;
      DirectoryItem item;
      const CommuneMem* c = m.FindCommune(row.resource.commune_code);
      item.commune_name = c ? c->record.name : row.resource.commune_code;
      item.record = std::move(row);
      item.distance_km = h.distance_km;
      result.items.push_back(std::move(item));
      break;
    }
  }
  return result;
}

}  // namespace parcours::app
