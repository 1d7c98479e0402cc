#include "storage/sqlite/sqlite_directory.h"

#include "domain/directory/commune_code.h"
#include "domain/text/fold.h"
#include "storage/repository_steps.h"
#include "storage/sqlite/sqlite_internal.h"

namespace parcours::storage::sqlite_internal {
namespace {

using namespace row_codec;  // NOLINT(google-build-using-namespace): the readers and binders

// The postcodes of the commune, joined by spaces.
#define PARCOURS_COMMUNE_POSTCODES                                  \
  "(SELECT group_concat(postcode, ' ') FROM (SELECT postcode FROM " \
  "commune_postcodes p WHERE p.insee_code = c.insee_code ORDER BY postcode))"
#define PARCOURS_COMMUNE_COLS PARCOURS_COMMUNE_FIELDS PARCOURS_COMMUNE_POSTCODES

constexpr const char* kFindCommune =
    "SELECT " PARCOURS_COMMUNE_COLS " FROM communes c WHERE c.insee_code = ?";
constexpr const char* kCommunesByPostcode =
    "SELECT " PARCOURS_COMMUNE_COLS
    " FROM commune_postcodes cp JOIN communes c ON c.insee_code = cp.insee_code "
    "WHERE cp.postcode = ? ORDER BY c.population IS NULL, c.population DESC, c.insee_code";
constexpr const char* kCommunesByName =
    "SELECT " PARCOURS_COMMUNE_COLS
    " FROM communes c WHERE c.name_key >= ?1 AND c.name_key < ?2 "
    "ORDER BY c.name_key <> ?1, c.population IS NULL, c.population DESC, c.insee_code LIMIT ?3";
constexpr const char* kAllCommunes =
    "SELECT " PARCOURS_COMMUNE_COLS " FROM communes c ORDER BY c.insee_code";
constexpr const char* kUpsertCommune =
    "INSERT INTO communes (insee_code, name, name_key, department_code, region_code, latitude, "
    "longitude, population) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (insee_code) DO UPDATE SET "
    "name = excluded.name, name_key = excluded.name_key, department_code = "
    "excluded.department_code, region_code = excluded.region_code, latitude = excluded.latitude, "
    "longitude = excluded.longitude, population = excluded.population";
constexpr const char* kDeletePostcodes = "DELETE FROM commune_postcodes WHERE insee_code = ?";
constexpr const char* kInsertPostcode =
    "INSERT OR IGNORE INTO commune_postcodes (postcode, insee_code) VALUES (?, ?)";

constexpr const char* kInsertResource =
    "INSERT INTO resources (source, source_key, kind, levels, name, organisation, address, "
    "postcode, commune_code, department_code, latitude, longitude, phone, email, website, "
    "opening_notes, accepts_fathers, teleconsultation, mon_soutien_psy, languages, rpps, finess, "
    "siret, active, published, manual_fields, import_hash, verified_at, created_at, updated_at, "
    "change_seq) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kUpdateResource =
    "UPDATE resources SET source = ?, source_key = ?, kind = ?, levels = ?, name = ?, "
    "organisation = ?, address = ?, postcode = ?, commune_code = ?, department_code = ?, "
    "latitude = ?, longitude = ?, phone = ?, email = ?, website = ?, opening_notes = ?, "
    "accepts_fathers = ?, teleconsultation = ?, mon_soutien_psy = ?, languages = ?, rpps = ?, "
    "finess = ?, siret = ?, active = ?, published = ?, manual_fields = ?, import_hash = ?, "
    "verified_at = ?, updated_at = ?, change_seq = ? WHERE id = ?";
constexpr const char* kFindResource =
    "SELECT " PARCOURS_RESOURCE_COLS " FROM resources WHERE id = ?";
constexpr const char* kFindResourceByKey =
    "SELECT " PARCOURS_RESOURCE_COLS " FROM resources WHERE source_key = ?";
constexpr const char* kFindResources =
    "SELECT " PARCOURS_RESOURCE_COLS " FROM resources WHERE id IN (SELECT value FROM json_each(?))";
constexpr const char* kResourceKeys =
    "SELECT source_key, id, import_hash, active, manual_fields <> '', department_code "
    "FROM resources "
    "WHERE source = ? AND source_key IS NOT NULL";
constexpr const char* kChangedSince =
    "SELECT " PARCOURS_RESOURCE_COLS " FROM resources WHERE change_seq > ? ORDER BY change_seq, id";
constexpr const char* kCommuneSeq =
    "SELECT value FROM directory_counters WHERE name = 'commune_seq'";
constexpr const char* kBumpCommuneSeq =
    "UPDATE directory_counters SET value = value + 1 WHERE name = 'commune_seq'";
constexpr const char* kChangeSeq =
    "SELECT value FROM directory_counters WHERE name = 'resource_seq'";
constexpr const char* kNextSeq =
    "UPDATE directory_counters SET value = value + 1 WHERE name = 'resource_seq' RETURNING value";
constexpr const char* kDeactivate =
    "UPDATE resources SET active = 0, updated_at = ?, change_seq = ? WHERE id = ?";
constexpr const char* kSetPublished =
    "UPDATE resources SET published = ?1, updated_at = ?2, change_seq = ?3 "
    "WHERE active = 1 AND published <> ?1 AND (?4 IS NULL OR kind = ?4) "
    "AND (?5 IS NULL OR source = ?5) "
    "AND (?6 = '' OR instr(',' || ?6 || ',', ',' || department_code || ',') > 0) RETURNING id";
constexpr const char* kCountAll = "SELECT count(*) FROM resources";
constexpr const char* kCountActive = "SELECT count(*) FROM resources WHERE active = 1";
constexpr const char* kInsertHistory =
    "INSERT INTO resource_history (resource_id, at, actor, action, detail) VALUES (?,?,?,?,?)";
constexpr const char* kListHistory =
    "SELECT id, resource_id, at, actor, action, detail FROM resource_history "
    "WHERE resource_id = ? ORDER BY id";

constexpr const char* kUpsertSub =
    "INSERT INTO sub_territories (code, territory_code, name, kind) VALUES (?,?,?,?) "
    "ON CONFLICT (code) DO UPDATE SET territory_code = excluded.territory_code, "
    "name = excluded.name, kind = excluded.kind";
constexpr const char* kDeleteSubMembers =
    "DELETE FROM sub_territory_members WHERE sub_territory_code = ?";
constexpr const char* kInsertSubMember =
    "INSERT OR IGNORE INTO sub_territory_members (sub_territory_code, member_code) VALUES (?,?)";
constexpr const char* kListSubs =
    "SELECT code, territory_code, name, kind FROM sub_territories WHERE territory_code = ? "
    "ORDER BY code";
constexpr const char* kSubsOfCommune =
    "SELECT DISTINCT s.code, s.territory_code, s.name, s.kind FROM sub_territories s "
    "JOIN sub_territory_members m ON m.sub_territory_code = s.code "
    "WHERE (m.member_code = ?1 AND s.kind <> 'department') "
    "OR (m.member_code = ?2 AND s.kind IN ('department', 'ptsm')) ORDER BY s.code";
constexpr const char* kSubMembers =
    "SELECT member_code FROM sub_territory_members WHERE sub_territory_code = ? "
    "ORDER BY member_code";

constexpr const char* kCountCommunes = "SELECT count(*) FROM communes";

#undef PARCOURS_COMMUNE_COLS
#undef PARCOURS_COMMUNE_POSTCODES

// The integer of a one-column row.
std::int64_t ReadInt(const Stmt& q) { return q.Int(0); }

class SqliteDirectory final : public DirectoryRepository, private TxnStatements {
 public:
  SqliteDirectory(Conn& c, Status* first_error) : TxnStatements(c, first_error) {}

  Result<bool> UpsertCommune(const CommuneRecord& c) override {
    auto existing = FindCommune(c.insee_code);
    if (!existing.ok()) return existing.status();
    if (*existing && **existing == c) return false;
    {
      Stmt q(c_, kUpsertCommune);
      BindCommune(q, c, domain::FoldPlaceName(c.name));
      PARCOURS_RETURN_IF_ERROR(Write(q));
    }
    {
      Stmt q(c_, kDeletePostcodes);
      q.Bind(c.insee_code);
      PARCOURS_RETURN_IF_ERROR(Write(q));
    }
    for (const auto& p : c.postcodes) {
      Stmt q(c_, kInsertPostcode);
      q.Bind(p).Bind(c.insee_code);
      PARCOURS_RETURN_IF_ERROR(Write(q));
    }
    Stmt bump(c_, kBumpCommuneSeq);
    PARCOURS_RETURN_IF_ERROR(Write(bump));
    return true;
  }

  Result<std::optional<CommuneRecord>> FindCommune(std::string_view insee_code) override {
    Stmt q(c_, kFindCommune);
    q.Bind(insee_code);
    return FindOne(q, ReadCommune<const Stmt>);
  }

  Result<std::vector<CommuneRecord>> FindCommunesByPostcode(std::string_view postcode) override {
    Stmt q(c_, kCommunesByPostcode);
    q.Bind(postcode);
    return All(q, ReadCommune<const Stmt>);
  }

  Result<std::vector<CommuneRecord>> SearchCommunesByName(std::string_view folded,
                                                          int limit) override {
    if (folded.empty()) return std::vector<CommuneRecord>();
    Stmt q(c_, kCommunesByName);
    // Folded keys hold only [a-z0-9 ]: "~" sorts after all of them.
    q.Bind(folded).Bind(std::string(folded) + "~").Bind(limit);
    return All(q, ReadCommune<const Stmt>);
  }

  Result<std::int64_t> CommuneChangeSeq() override { return Count(kCommuneSeq); }

  Result<std::int64_t> CountCommunes() override { return Count(kCountCommunes); }

  Status ForEachCommune(const std::function<void(const CommuneRecord&)>& fn) override {
    Stmt q(c_, kAllCommunes);
    while (q.Step()) fn(ReadCommune(q));
    return Note(q.status());
  }

  Result<std::int64_t> InsertResource(const ResourceRecord& r) override {
    auto seq = Seq();
    if (!seq.ok()) return seq.status();
    Stmt q(c_, kInsertResource);
    BindResourceFields(q, r).Bind(r.created_at).Bind(r.updated_at).Bind(*seq);
    PARCOURS_RETURN_IF_ERROR(Write(q));
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(c_.db()));
  }

  Status UpdateResource(const ResourceRecord& r) override {
    auto seq = Seq();
    if (!seq.ok()) return seq.status();
    Stmt q(c_, kUpdateResource);
    BindResourceFields(q, r).Bind(r.updated_at).Bind(*seq).Bind(r.id);
    return Note(WriteOne(q, "no resource " + std::to_string(r.id)));
  }

  Result<std::optional<ResourceRecord>> FindResource(std::int64_t id) override {
    Stmt q(c_, kFindResource);
    q.Bind(id);
    return FindOne(q, ReadResource<const Stmt>);
  }

  Result<std::optional<ResourceRecord>> FindResourceBySourceKey(std::string_view key) override {
    Stmt q(c_, kFindResourceByKey);
    q.Bind(key);
    return FindOne(q, ReadResource<const Stmt>);
  }

  Result<std::vector<ResourceRecord>> FindResources(const std::vector<std::int64_t>& ids) override {
    if (ids.empty()) return std::vector<ResourceRecord>();
    std::string json = "[";
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (i) json += ',';
      json += std::to_string(ids[i]);
    }
    json += ']';
    Stmt q(c_, kFindResources);
    q.Bind(json);
    auto rows = All(q, ReadResource<const Stmt>);
    if (!rows.ok()) return rows.status();
    return InIdOrder(*rows, ids);
  }

  Status ForEachResourceKey(
      std::string_view source,
      const std::function<void(std::string_view, const ResourceKeyState&)>& fn) override {
    Stmt q(c_, kResourceKeys);
    q.Bind(source);
    while (q.Step()) {
      auto [key, st] = ReadResourceKey(q);
      fn(key, st);
    }
    return Note(q.status());
  }

  Status ForEachResourceChangedSince(
      std::int64_t seq, const std::function<void(const ResourceRecord&)>& fn) override {
    Stmt q(c_, kChangedSince);
    q.Bind(seq);
    while (q.Step()) {
      auto r = ReadResource(q);
      if (!r.ok()) return Note(r.status());
      fn(*r);
    }
    return Note(q.status());
  }

  Result<std::int64_t> ResourceChangeSeq() override { return Count(kChangeSeq); }

  Status DeactivateResources(const std::vector<std::int64_t>& ids,
                             domain::TimestampMs at) override {
    if (ids.empty()) return Status::Ok();
    auto seq = Seq();
    if (!seq.ok()) return seq.status();
    for (std::int64_t id : ids) {
      Stmt q(c_, kDeactivate);
      q.Bind(at).Bind(*seq).Bind(id);
      PARCOURS_RETURN_IF_ERROR(Write(q));
    }
    return Status::Ok();
  }

  Result<std::vector<std::int64_t>> SetPublished(const PublicationFilter& f, bool published,
                                                 domain::TimestampMs at) override {
    auto seq = Seq();
    if (!seq.ok()) return seq.status();
    Stmt q(c_, kSetPublished);
    repository_steps::BindPublication(q, f, published, at, *seq);
    return repository_steps::Ascending(All(q, ReadInt));
  }

  Result<std::int64_t> CountResources(bool active_only) override {
    return Count(active_only ? kCountActive : kCountAll);
  }

  Result<std::int64_t> AppendResourceHistory(const ResourceHistoryEntry& e) override {
    Stmt q(c_, kInsertHistory);
    q.Bind(e.resource_id).Bind(e.at).Bind(e.actor).Bind(e.action).Bind(e.detail);
    PARCOURS_RETURN_IF_ERROR(Write(q));
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(c_.db()));
  }

  Result<std::vector<ResourceHistoryEntry>> ListResourceHistory(std::int64_t id) override {
    Stmt q(c_, kListHistory);
    q.Bind(id);
    return All(q, ReadResourceHistory<const Stmt>);
  }

  Status UpsertSubTerritory(const SubTerritoryRecord& s) override {
    {
      Stmt q(c_, kUpsertSub);
      q.Bind(s.code).Bind(s.territory_code).Bind(s.name).Bind(s.kind);
      PARCOURS_RETURN_IF_ERROR(Write(q));
    }
    {
      Stmt q(c_, kDeleteSubMembers);
      q.Bind(s.code);
      PARCOURS_RETURN_IF_ERROR(Write(q));
    }
    for (const auto& m : s.members) {
      Stmt q(c_, kInsertSubMember);
      q.Bind(s.code).Bind(m);
      PARCOURS_RETURN_IF_ERROR(Write(q));
    }
    return Status::Ok();
  }

  Result<std::vector<SubTerritoryRecord>> ListSubTerritories(std::string_view territory) override {
    Stmt q(c_, kListSubs);
    q.Bind(territory);
    return Subs(q);
  }

  Result<std::vector<SubTerritoryRecord>> SubTerritoriesOfCommune(
      std::string_view insee_code) override {
    Stmt q(c_, kSubsOfCommune);
    q.Bind(insee_code).Bind(domain::DepartmentOfCommune(insee_code));
    return Subs(q);
  }

 private:
  // The value of a count or counter (0 when the row is missing).
  Result<std::int64_t> Count(const char* sql) {
    Stmt q(c_, sql);
    return repository_steps::ZeroIfMissing(FindOne(q, ReadInt));
  }

  // This transaction's change sequence number, taken on first use.
  Result<std::int64_t> Seq() {
    return seq_.Get([this] {
      Stmt q(c_, kNextSeq);
      return One(q, ReadInt, "directory_counters row missing");
    });
  }

  Result<std::vector<SubTerritoryRecord>> Subs(Stmt& q) {
    return repository_steps::WithMembers(All(q, ReadSubTerritory<const Stmt>),
                                         [this](const std::string& code) {
                                           Stmt m(c_, kSubMembers);
                                           m.Bind(code);
                                           return All(m, [](const Stmt& r) { return r.Text(0); });
                                         });
  }

  repository_steps::ChangeSeq seq_;
};

}  // namespace

std::unique_ptr<DirectoryRepository> MakeSqliteDirectory(Conn& c, Status* first_error) {
  return std::make_unique<SqliteDirectory>(c, first_error);
}

}  // namespace parcours::storage::sqlite_internal
