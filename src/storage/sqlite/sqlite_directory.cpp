#include "storage/sqlite/sqlite_directory.h"

#include <algorithm>

#include "domain/directory/commune_code.h"
#include "domain/text/fold.h"
#include "storage/sqlite/sqlite_internal.h"

namespace parcours::storage::sqlite_internal {
namespace {

#define PARCOURS_COMMUNE_COLS                                                         \
  "c.insee_code, c.name, c.department_code, c.region_code, c.latitude, c.longitude, " \
  "c.population, (SELECT group_concat(postcode, ' ') FROM (SELECT postcode FROM "     \
  "commune_postcodes p WHERE p.insee_code = c.insee_code ORDER BY postcode))"

#define PARCOURS_RESOURCE_COLS                                                                  \
  "id, source, source_key, kind, levels, name, organisation, address, postcode, commune_code, " \
  "latitude, longitude, phone, email, website, opening_notes, accepts_fathers, "                \
  "teleconsultation, mon_soutien_psy, languages, rpps, finess, siret, active, published, "      \
  "manual_fields, import_hash, verified_at, created_at, updated_at, change_seq"

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

#undef PARCOURS_COMMUNE_COLS
#undef PARCOURS_RESOURCE_COLS

std::vector<std::string> SplitSpaces(const std::string& s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = s.find(' ', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

CommuneRecord ReadCommune(const Stmt& q) {
  CommuneRecord c;
  c.insee_code = q.Text(0);
  c.name = q.Text(1);
  c.department_code = q.Text(2);
  c.region_code = q.Text(3);
  if (!q.IsNull(4) && !q.IsNull(5)) c.centroid = domain::LatLon{q.Double(4), q.Double(5)};
  c.population = q.OptInt64(6);
  c.postcodes = SplitSpaces(q.Text(7));
  return c;
}

Result<ResourceRecord> ReadResource(const Stmt& q) {
  ResourceRecord r;
  r.id = q.Int(0);
  r.source = q.Text(1);
  r.source_key = q.OptText(2);
  auto kind = domain::ParseResourceKind(q.Text(3));
  auto levels = DecodeLevels(q.Text(4));
  if (!kind || !levels) return Status::Internal("corrupt kind/levels in resource " + q.Text(0));
  domain::Resource& x = r.resource;
  x.kind = *kind;
  x.levels = *levels;
  x.name = q.Text(5);
  x.organisation = q.Text(6);
  x.address = q.Text(7);
  x.postcode = q.Text(8);
  x.commune_code = q.Text(9);
  if (!q.IsNull(10) && !q.IsNull(11)) x.position = domain::LatLon{q.Double(10), q.Double(11)};
  x.phone = q.Text(12);
  x.email = q.Text(13);
  x.website = q.Text(14);
  x.opening_notes = q.Text(15);
  x.accepts_fathers = q.Int(16) != 0;
  x.teleconsultation = q.Int(17) != 0;
  x.mon_soutien_psy = q.Int(18) != 0;
  x.languages = DecodeList(q.Text(19));
  x.rpps = q.Text(20);
  x.finess = q.Text(21);
  x.siret = q.Text(22);
  r.active = q.Int(23) != 0;
  r.published = q.Int(24) != 0;
  r.manual_fields = DecodeList(q.Text(25));
  r.import_hash = q.Text(26);
  r.verified_at = q.OptInt64(27);
  r.created_at = q.Int(28);
  r.updated_at = q.Int(29);
  r.change_seq = q.Int(30);
  return r;
}

// Binds the resource's fields in the column order shared by INSERT and
// UPDATE (source .. verified_at).
void BindResource(Stmt& q, const ResourceRecord& r) {
  const domain::Resource& x = r.resource;
  q.Bind(r.source)
      .Bind(r.source_key)
      .Bind(std::string(domain::ToString(x.kind)))
      .Bind(EncodeLevels(x.levels))
      .Bind(x.name)
      .Bind(x.organisation)
      .Bind(x.address)
      .Bind(x.postcode)
      .Bind(x.commune_code)
      .Bind(r.DepartmentCode());
  if (x.position) {
    q.Bind(x.position->lat).Bind(x.position->lon);
  } else {
    q.BindNull().BindNull();
  }
  q.Bind(x.phone)
      .Bind(x.email)
      .Bind(x.website)
      .Bind(x.opening_notes)
      .Bind(x.accepts_fathers)
      .Bind(x.teleconsultation)
      .Bind(x.mon_soutien_psy)
      .Bind(EncodeList(x.languages))
      .Bind(x.rpps)
      .Bind(x.finess)
      .Bind(x.siret)
      .Bind(r.active)
      .Bind(r.published)
      .Bind(EncodeList(r.manual_fields))
      .Bind(r.import_hash)
      .Bind(r.verified_at);
}

class SqliteDirectory final : public DirectoryRepository, private TxnStatements {
 public:
  SqliteDirectory(Conn& c, Status* first_error) : TxnStatements(c, first_error) {}

  Result<bool> UpsertCommune(const CommuneRecord& c) override {
    auto existing = FindCommune(c.insee_code);
    if (!existing.ok()) return existing.status();
    if (*existing && **existing == c) return false;
    {
      Stmt q(c_, kUpsertCommune);
      q.Bind(c.insee_code)
          .Bind(c.name)
          .Bind(domain::FoldPlaceName(c.name))
          .Bind(c.department_code)
          .Bind(c.region_code);
      if (c.centroid) {
        q.Bind(c.centroid->lat).Bind(c.centroid->lon);
      } else {
        q.BindNull().BindNull();
      }
      q.Bind(c.population);
      PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    }
    {
      Stmt q(c_, kDeletePostcodes);
      q.Bind(c.insee_code);
      PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    }
    for (const auto& p : c.postcodes) {
      Stmt q(c_, kInsertPostcode);
      q.Bind(p).Bind(c.insee_code);
      PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    }
    Stmt bump(c_, kBumpCommuneSeq);
    PARCOURS_RETURN_IF_ERROR(Note(bump.Run()));
    return true;
  }

  Result<std::optional<CommuneRecord>> FindCommune(std::string_view insee_code) override {
    Stmt q(c_, kFindCommune);
    q.Bind(insee_code);
    if (q.Step()) return std::optional<CommuneRecord>(ReadCommune(q));
    if (!q.ok()) return Note(q.status());
    return std::optional<CommuneRecord>();
  }

  Result<std::vector<CommuneRecord>> FindCommunesByPostcode(std::string_view postcode) override {
    Stmt q(c_, kCommunesByPostcode);
    q.Bind(postcode);
    return Communes(q);
  }

  Result<std::vector<CommuneRecord>> SearchCommunesByName(std::string_view folded,
                                                          int limit) override {
    if (folded.empty()) return std::vector<CommuneRecord>();
    Stmt q(c_, kCommunesByName);
    // Folded keys hold only [a-z0-9 ]: "~" sorts after all of them.
    q.Bind(folded).Bind(std::string(folded) + "~").Bind(limit);
    return Communes(q);
  }

  Result<std::int64_t> CommuneChangeSeq() override {
    Stmt q(c_, kCommuneSeq);
    if (q.Step()) return q.Int(0);
    if (!q.ok()) return Note(q.status());
    return std::int64_t{0};
  }

  Result<std::int64_t> CountCommunes() override {
    Stmt q(c_, "SELECT count(*) FROM communes");
    if (q.Step()) return q.Int(0);
    return Note(q.status());
  }

  Status ForEachCommune(const std::function<void(const CommuneRecord&)>& fn) override {
    Stmt q(c_, kAllCommunes);
    while (q.Step()) fn(ReadCommune(q));
    return Note(q.status());
  }

  Result<std::int64_t> InsertResource(const ResourceRecord& r) override {
    auto seq = Seq();
    if (!seq.ok()) return seq.status();
    Stmt q(c_, kInsertResource);
    BindResource(q, r);
    q.Bind(r.created_at).Bind(r.updated_at).Bind(*seq);
    PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(c_.db()));
  }

  Status UpdateResource(const ResourceRecord& r) override {
    auto seq = Seq();
    if (!seq.ok()) return seq.status();
    Stmt q(c_, kUpdateResource);
    BindResource(q, r);
    q.Bind(r.updated_at).Bind(*seq).Bind(r.id);
    PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    if (sqlite3_changes(c_.db()) == 0) {
      return Note(Status::NotFound("no resource " + std::to_string(r.id)));
    }
    return Status::Ok();
  }

  Result<std::optional<ResourceRecord>> FindResource(std::int64_t id) override {
    Stmt q(c_, kFindResource);
    q.Bind(id);
    return One(q);
  }

  Result<std::optional<ResourceRecord>> FindResourceBySourceKey(std::string_view key) override {
    Stmt q(c_, kFindResourceByKey);
    q.Bind(key);
    return One(q);
  }

  Result<std::vector<ResourceRecord>> FindResources(const std::vector<std::int64_t>& ids) override {
    std::vector<ResourceRecord> out;
    if (ids.empty()) return out;
    std::string json = "[";
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (i) json += ',';
      json += std::to_string(ids[i]);
    }
    json += ']';
    Stmt q(c_, kFindResources);
    q.Bind(json);
    while (q.Step()) {
      auto r = ReadResource(q);
      if (!r.ok()) return Note(r.status());
      out.push_back(std::move(*r));
    }
    if (!q.ok()) return Note(q.status());
    std::vector<ResourceRecord> ordered;
    ordered.reserve(out.size());
    for (std::int64_t id : ids) {
      for (auto& r : out) {
        if (r.id == id && r.id != 0) {
          ordered.push_back(r);
          break;
        }
      }
    }
    return ordered;
  }

  Status ForEachResourceKey(
      std::string_view source,
      const std::function<void(std::string_view, const ResourceKeyState&)>& fn) override {
    Stmt q(c_, kResourceKeys);
    q.Bind(source);
    ResourceKeyState st;
    while (q.Step()) {
      st.id = q.Int(1);
      st.import_hash = q.Text(2);
      st.active = q.Int(3) != 0;
      st.has_manual_fields = q.Int(4) != 0;
      st.department_code = q.Text(5);
      fn(q.Text(0), st);
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

  Result<std::int64_t> ResourceChangeSeq() override {
    Stmt q(c_, kChangeSeq);
    if (q.Step()) return q.Int(0);
    if (!q.ok()) return Note(q.status());
    return std::int64_t{0};
  }

  Status DeactivateResources(const std::vector<std::int64_t>& ids,
                             domain::TimestampMs at) override {
    if (ids.empty()) return Status::Ok();
    auto seq = Seq();
    if (!seq.ok()) return seq.status();
    for (std::int64_t id : ids) {
      Stmt q(c_, kDeactivate);
      q.Bind(at).Bind(*seq).Bind(id);
      PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    }
    return Status::Ok();
  }

  Result<std::vector<std::int64_t>> SetPublished(const PublicationFilter& f, bool published,
                                                 domain::TimestampMs at) override {
    auto seq = Seq();
    if (!seq.ok()) return seq.status();
    Stmt q(c_, kSetPublished);
    q.Bind(published).Bind(at).Bind(*seq).Bind(f.kind).Bind(f.source).Bind(
        EncodeList(f.departments));
    std::vector<std::int64_t> ids;
    while (q.Step()) ids.push_back(q.Int(0));
    if (!q.ok()) return Note(q.status());
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  Result<std::int64_t> CountResources(bool active_only) override {
    Stmt q(c_, active_only ? kCountActive : kCountAll);
    if (q.Step()) return q.Int(0);
    return Note(q.status());
  }

  Result<std::int64_t> AppendResourceHistory(const ResourceHistoryEntry& e) override {
    Stmt q(c_, kInsertHistory);
    q.Bind(e.resource_id).Bind(e.at).Bind(e.actor).Bind(e.action).Bind(e.detail);
    PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(c_.db()));
  }

  Result<std::vector<ResourceHistoryEntry>> ListResourceHistory(std::int64_t id) override {
    Stmt q(c_, kListHistory);
    q.Bind(id);
    std::vector<ResourceHistoryEntry> out;
    while (q.Step()) {
      out.push_back({q.Int(0), q.Int(1), q.Int(2), q.Text(3), q.Text(4), q.Text(5)});
    }
    if (!q.ok()) return Note(q.status());
    return out;
  }

  Status UpsertSubTerritory(const SubTerritoryRecord& s) override {
    {
      Stmt q(c_, kUpsertSub);
      q.Bind(s.code).Bind(s.territory_code).Bind(s.name).Bind(s.kind);
      PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    }
    {
      Stmt q(c_, kDeleteSubMembers);
      q.Bind(s.code);
      PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    }
    for (const auto& m : s.members) {
      Stmt q(c_, kInsertSubMember);
      q.Bind(s.code).Bind(m);
      PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
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
  // This transaction's change sequence number, taken on first use.
  Result<std::int64_t> Seq() {
    if (seq_) return *seq_;
    Stmt q(c_, kNextSeq);
    if (!q.Step()) {
      return Note(q.ok() ? Status::Internal("directory_counters row missing") : q.status());
    }
    seq_ = q.Int(0);
    PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    return *seq_;
  }

  Result<std::vector<CommuneRecord>> Communes(Stmt& q) {
    std::vector<CommuneRecord> out;
    while (q.Step()) out.push_back(ReadCommune(q));
    if (!q.ok()) return Note(q.status());
    return out;
  }

  Result<std::optional<ResourceRecord>> One(Stmt& q) {
    if (q.Step()) {
      auto r = ReadResource(q);
      if (!r.ok()) return Note(r.status());
      return std::optional<ResourceRecord>(std::move(*r));
    }
    if (!q.ok()) return Note(q.status());
    return std::optional<ResourceRecord>();
  }

  Result<std::vector<SubTerritoryRecord>> Subs(Stmt& q) {
    std::vector<SubTerritoryRecord> out;
    while (q.Step()) out.push_back({q.Text(0), q.Text(1), q.Text(2), q.Text(3), {}});
    if (!q.ok()) return Note(q.status());
    for (auto& s : out) {
      Stmt m(c_, kSubMembers);
      m.Bind(s.code);
      while (m.Step()) s.members.push_back(m.Text(0));
      if (!m.ok()) return Note(m.status());
    }
    return out;
  }

  std::optional<std::int64_t> seq_;
};

}  // namespace

std::unique_ptr<DirectoryRepository> MakeSqliteDirectory(Conn& c, Status* first_error) {
  return std::make_unique<SqliteDirectory>(c, first_error);
}

}  // namespace parcours::storage::sqlite_internal
