#include "storage/postgres/postgres_directory.h"

#include <algorithm>
#include <limits>

#include "domain/directory/commune_code.h"
#include "domain/text/fold.h"
#include "storage/postgres/postgres_internal.h"

namespace parcours::storage::postgres_internal {
namespace {

#define PARCOURS_COMMUNE_COLS                                                         \
  "c.insee_code, c.name, c.department_code, c.region_code, c.latitude, c.longitude, " \
  "c.population, (SELECT string_agg(postcode, ' ' ORDER BY postcode COLLATE \"C\") "  \
  "FROM commune_postcodes p WHERE p.insee_code = c.insee_code)"

#define PARCOURS_RESOURCE_COLS                                                                  \
  "id, source, source_key, kind, levels, name, organisation, address, postcode, commune_code, " \
  "latitude, longitude, phone, email, website, opening_notes, accepts_fathers, "                \
  "teleconsultation, mon_soutien_psy, languages, rpps, finess, siret, active, published, "      \
  "manual_fields, import_hash, verified_at, created_at, updated_at, change_seq"

constexpr StatementDef kFindCommune{"parcours_dir_find_commune",
                                    "SELECT " PARCOURS_COMMUNE_COLS
                                    " FROM communes c WHERE c.insee_code = $1"};
constexpr StatementDef kCommunesByPostcode{
    "parcours_dir_communes_by_postcode",
    "SELECT " PARCOURS_COMMUNE_COLS
    " FROM commune_postcodes cp JOIN communes c ON c.insee_code = cp.insee_code "
    "WHERE cp.postcode = $1 ORDER BY c.population DESC NULLS LAST, c.insee_code COLLATE \"C\""};
constexpr StatementDef kCommunesByName{
    "parcours_dir_communes_by_name",
    "SELECT " PARCOURS_COMMUNE_COLS
    " FROM communes c WHERE c.name_key COLLATE \"C\" >= $1 AND c.name_key COLLATE \"C\" < $2 "
    "ORDER BY c.name_key <> $1, c.population DESC NULLS LAST, c.insee_code COLLATE \"C\" "
    "LIMIT $3"};
constexpr StatementDef kAllCommunes{"parcours_dir_all_communes",
                                    "SELECT " PARCOURS_COMMUNE_COLS
                                    " FROM communes c ORDER BY c.insee_code COLLATE \"C\""};
constexpr StatementDef kCountCommunes{"parcours_dir_count_communes",
                                      "SELECT count(*) FROM communes"};
constexpr StatementDef kUpsertCommune{
    "parcours_dir_upsert_commune",
    "INSERT INTO communes (insee_code, name, name_key, department_code, region_code, latitude, "
    "longitude, population) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (insee_code) DO UPDATE "
    "SET name = excluded.name, name_key = excluded.name_key, department_code = "
    "excluded.department_code, region_code = excluded.region_code, latitude = excluded.latitude, "
    "longitude = excluded.longitude, population = excluded.population"};
constexpr StatementDef kDeletePostcodes{"parcours_dir_delete_postcodes",
                                        "DELETE FROM commune_postcodes WHERE insee_code = $1"};
constexpr StatementDef kInsertPostcodes{
    "parcours_dir_insert_postcodes",
    "INSERT INTO commune_postcodes (postcode, insee_code) "
    "SELECT DISTINCT p, $1 FROM unnest(string_to_array(NULLIF($2, ''), ' ')) AS p"};

constexpr StatementDef kInsertResource{
    "parcours_dir_insert_resource",
    "INSERT INTO resources (source, source_key, kind, levels, name, organisation, address, "
    "postcode, commune_code, department_code, latitude, longitude, phone, email, website, "
    "opening_notes, accepts_fathers, teleconsultation, mon_soutien_psy, languages, rpps, finess, "
    "siret, active, published, manual_fields, import_hash, verified_at, created_at, updated_at, "
    "change_seq) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,"
    "$21,$22,$23,$24,$25,$26,$27,$28,$29,$30,$31) RETURNING id"};
constexpr StatementDef kUpdateResource{
    "parcours_dir_update_resource",
    "UPDATE resources SET source = $1, source_key = $2, kind = $3, levels = $4, name = $5, "
    "organisation = $6, address = $7, postcode = $8, commune_code = $9, department_code = $10, "
    "latitude = $11, longitude = $12, phone = $13, email = $14, website = $15, "
    "opening_notes = $16, accepts_fathers = $17, teleconsultation = $18, mon_soutien_psy = $19, "
    "languages = $20, rpps = $21, finess = $22, siret = $23, active = $24, published = $25, "
    "manual_fields = $26, import_hash = $27, verified_at = $28, updated_at = $29, "
    "change_seq = $30 WHERE id = $31"};
constexpr StatementDef kFindResource{
    "parcours_dir_find_resource", "SELECT " PARCOURS_RESOURCE_COLS " FROM resources WHERE id = $1"};
constexpr StatementDef kFindResourceByKey{"parcours_dir_find_resource_by_key",
                                          "SELECT " PARCOURS_RESOURCE_COLS
                                          " FROM resources WHERE source_key = $1"};
constexpr StatementDef kFindResources{"parcours_dir_find_resources",
                                      "SELECT " PARCOURS_RESOURCE_COLS
                                      " FROM resources WHERE id = ANY($1::bigint[])"};
constexpr StatementDef kResourceKeys{
    "parcours_dir_resource_keys",
    "SELECT source_key, id, import_hash, active, manual_fields <> '', department_code "
    "FROM resources "
    "WHERE source = $1 AND source_key IS NOT NULL"};
constexpr StatementDef kChangedSince{
    "parcours_dir_changed_since",
    "SELECT " PARCOURS_RESOURCE_COLS
    " FROM resources WHERE change_seq > $1 OR (change_seq = $1 AND id > $2) "
    "ORDER BY change_seq, id LIMIT $3"};
constexpr StatementDef kCommuneSeq{
    "parcours_dir_commune_seq", "SELECT value FROM directory_counters WHERE name = 'commune_seq'"};
constexpr StatementDef kBumpCommuneSeq{
    "parcours_dir_bump_commune_seq",
    "UPDATE directory_counters SET value = value + 1 WHERE name = 'commune_seq'"};
constexpr StatementDef kChangeSeq{
    "parcours_dir_change_seq", "SELECT value FROM directory_counters WHERE name = 'resource_seq'"};
constexpr StatementDef kNextSeq{
    "parcours_dir_next_seq",
    "UPDATE directory_counters SET value = value + 1 WHERE name = 'resource_seq' RETURNING value"};
constexpr StatementDef kDeactivate{
    "parcours_dir_deactivate",
    "UPDATE resources SET active = false, updated_at = $1, change_seq = $2 "
    "WHERE id = ANY($3::bigint[])"};
constexpr StatementDef kSetPublished{
    "parcours_dir_set_published",
    "UPDATE resources SET published = $1, updated_at = $2, change_seq = $3 "
    "WHERE active AND published <> $1 AND ($4::text IS NULL OR kind = $4) "
    "AND ($5::text IS NULL OR source = $5) "
    "AND ($6 = '' OR department_code = ANY(string_to_array($6, ','))) RETURNING id"};
constexpr StatementDef kCountAll{"parcours_dir_count_all", "SELECT count(*) FROM resources"};
constexpr StatementDef kCountActive{"parcours_dir_count_active",
                                    "SELECT count(*) FROM resources WHERE active"};
constexpr StatementDef kInsertHistory{
    "parcours_dir_insert_history",
    "INSERT INTO resource_history (resource_id, at, actor, action, detail) "
    "VALUES ($1,$2,$3,$4,$5) RETURNING id"};
constexpr StatementDef kListHistory{
    "parcours_dir_list_history",
    "SELECT id, resource_id, at, actor, action, detail FROM resource_history "
    "WHERE resource_id = $1 ORDER BY id"};
constexpr StatementDef kUpsertSub{
    "parcours_dir_upsert_sub",
    "INSERT INTO sub_territories (code, territory_code, name, kind) VALUES ($1,$2,$3,$4) "
    "ON CONFLICT (code) DO UPDATE SET territory_code = excluded.territory_code, "
    "name = excluded.name, kind = excluded.kind"};
constexpr StatementDef kDeleteSubMembers{
    "parcours_dir_delete_sub_members",
    "DELETE FROM sub_territory_members WHERE sub_territory_code = $1"};
constexpr StatementDef kInsertSubMembers{
    "parcours_dir_insert_sub_members",
    "INSERT INTO sub_territory_members (sub_territory_code, member_code) "
    "SELECT DISTINCT $1, m FROM unnest(string_to_array(NULLIF($2, ''), ',')) AS m"};
constexpr StatementDef kListSubs{
    "parcours_dir_list_subs",
    "SELECT code, territory_code, name, kind FROM sub_territories WHERE territory_code = $1 "
    "ORDER BY code COLLATE \"C\""};
constexpr StatementDef kSubsOfCommune{
    "parcours_dir_subs_of_commune",
    "SELECT DISTINCT s.code COLLATE \"C\" AS code, s.territory_code, s.name, s.kind "
    "FROM sub_territories s JOIN sub_territory_members m ON m.sub_territory_code = s.code "
    "WHERE (m.member_code = $1 AND s.kind <> 'department') "
    "OR (m.member_code = $2 AND s.kind IN ('department', 'ptsm')) ORDER BY 1"};
constexpr StatementDef kSubMembers{
    "parcours_dir_sub_members",
    "SELECT member_code FROM sub_territory_members WHERE sub_territory_code = $1 "
    "ORDER BY member_code COLLATE \"C\""};

#undef PARCOURS_COMMUNE_COLS
#undef PARCOURS_RESOURCE_COLS

constexpr int kChangedBatch = 5000;

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

std::string IdArray(const std::vector<std::int64_t>& ids) {
  std::string a = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) a += ',';
    a += std::to_string(ids[i]);
  }
  return a + "}";
}

CommuneRecord ReadCommune(Rows& q, int i) {
  CommuneRecord c;
  c.insee_code = q.Text(i, 0);
  c.name = q.Text(i, 1);
  c.department_code = q.Text(i, 2);
  c.region_code = q.Text(i, 3);
  if (!q.IsNull(i, 4) && !q.IsNull(i, 5))
    c.centroid = domain::LatLon{q.Double(i, 4), q.Double(i, 5)};
  c.population = q.OptInt64(i, 6);
  c.postcodes = SplitSpaces(q.Text(i, 7));
  return c;
}

Result<ResourceRecord> ReadResource(Rows& q, int i) {
  ResourceRecord r;
  r.id = q.Int(i, 0);
  r.source = q.Text(i, 1);
  r.source_key = q.OptText(i, 2);
  auto kind = domain::ParseResourceKind(q.Text(i, 3));
  auto levels = DecodeLevels(q.Text(i, 4));
  if (!kind || !levels) return Status::Internal("corrupt kind/levels in resource " + q.Text(i, 0));
  domain::Resource& x = r.resource;
  x.kind = *kind;
  x.levels = *levels;
  x.name = q.Text(i, 5);
  x.organisation = q.Text(i, 6);
  x.address = q.Text(i, 7);
  x.postcode = q.Text(i, 8);
  x.commune_code = q.Text(i, 9);
  if (!q.IsNull(i, 10) && !q.IsNull(i, 11)) {
    x.position = domain::LatLon{q.Double(i, 10), q.Double(i, 11)};
  }
  x.phone = q.Text(i, 12);
  x.email = q.Text(i, 13);
  x.website = q.Text(i, 14);
  x.opening_notes = q.Text(i, 15);
  x.accepts_fathers = q.Bool(i, 16);
  x.teleconsultation = q.Bool(i, 17);
  x.mon_soutien_psy = q.Bool(i, 18);
  x.languages = DecodeList(q.Text(i, 19));
  x.rpps = q.Text(i, 20);
  x.finess = q.Text(i, 21);
  x.siret = q.Text(i, 22);
  r.active = q.Bool(i, 23);
  r.published = q.Bool(i, 24);
  r.manual_fields = DecodeList(q.Text(i, 25));
  r.import_hash = q.Text(i, 26);
  r.verified_at = q.OptInt64(i, 27);
  r.created_at = q.Int(i, 28);
  r.updated_at = q.Int(i, 29);
  r.change_seq = q.Int(i, 30);
  if (q.corrupt()) return Status::Internal("corrupt row in resource " + q.Text(i, 0));
  return r;
}

void AddResource(Params& p, const ResourceRecord& r) {
  const domain::Resource& x = r.resource;
  p.Text(r.source)
      .OptText(r.source_key)
      .Text(domain::ToString(x.kind))
      .Text(EncodeLevels(x.levels))
      .Text(x.name)
      .Text(x.organisation)
      .Text(x.address)
      .Text(x.postcode)
      .Text(x.commune_code)
      .Text(r.DepartmentCode());
  if (x.position) {
    p.Double(x.position->lat).Double(x.position->lon);
  } else {
    p.Null().Null();
  }
  p.Text(x.phone)
      .Text(x.email)
      .Text(x.website)
      .Text(x.opening_notes)
      .Bool(x.accepts_fathers)
      .Bool(x.teleconsultation)
      .Bool(x.mon_soutien_psy)
      .Text(EncodeList(x.languages))
      .Text(x.rpps)
      .Text(x.finess)
      .Text(x.siret)
      .Bool(r.active)
      .Bool(r.published)
      .Text(EncodeList(r.manual_fields))
      .Text(r.import_hash)
      .OptInt64(r.verified_at);
}

class PostgresDirectory final : public DirectoryRepository, private TxnStatements {
 public:
  PostgresDirectory(PgConn& c, Status* first_error) : TxnStatements(c, first_error) {}

  Result<bool> UpsertCommune(const CommuneRecord& c) override {
    auto existing = FindCommune(c.insee_code);
    if (!existing.ok()) return existing.status();
    if (*existing && **existing == c) return false;
    Params p;
    p.Text(c.insee_code)
        .Text(c.name)
        .Text(domain::FoldPlaceName(c.name))
        .Text(c.department_code)
        .Text(c.region_code);
    if (c.centroid) {
      p.Double(c.centroid->lat).Double(c.centroid->lon);
    } else {
      p.Null().Null();
    }
    p.OptInt64(c.population);
    PARCOURS_RETURN_IF_ERROR(Exec(kUpsertCommune, p));
    std::string codes;
    for (const auto& pc : c.postcodes) codes += (codes.empty() ? "" : " ") + pc;
    PARCOURS_RETURN_IF_ERROR(Exec(kDeletePostcodes, Params().Text(c.insee_code)));
    PARCOURS_RETURN_IF_ERROR(Exec(kInsertPostcodes, Params().Text(c.insee_code).Text(codes)));
    PARCOURS_RETURN_IF_ERROR(Exec(kBumpCommuneSeq, Params()));
    return true;
  }

  Result<std::optional<CommuneRecord>> FindCommune(std::string_view insee_code) override {
    auto v = Communes(kFindCommune, Params().Text(insee_code));
    if (!v.ok()) return v.status();
    if (v->empty()) return std::optional<CommuneRecord>();
    return std::optional<CommuneRecord>(std::move(v->front()));
  }

  Result<std::vector<CommuneRecord>> FindCommunesByPostcode(std::string_view postcode) override {
    return Communes(kCommunesByPostcode, Params().Text(postcode));
  }

  Result<std::vector<CommuneRecord>> SearchCommunesByName(std::string_view folded,
                                                          int limit) override {
    if (folded.empty()) return std::vector<CommuneRecord>();
    return Communes(kCommunesByName,
                    Params().Text(folded).Text(std::string(folded) + "~").Int(limit));
  }

  Result<std::int64_t> CountCommunes() override { return Count(kCountCommunes); }
  Result<std::int64_t> CommuneChangeSeq() override { return Count(kCommuneSeq); }

  Status ForEachCommune(const std::function<void(const CommuneRecord&)>& fn) override {
    auto v = Communes(kAllCommunes, Params());
    if (!v.ok()) return v.status();
    for (const auto& c : *v) fn(c);
    return Status::Ok();
  }

  Result<std::int64_t> InsertResource(const ResourceRecord& r) override {
    auto seq = Seq();
    if (!seq.ok()) return seq.status();
    Params p;
    AddResource(p, r);
    p.Int(r.created_at).Int(r.updated_at).Int(*seq);
    auto res = Run(kInsertResource, p);
    if (!res.ok()) return res.status();
    Rows q(res->get());
    std::int64_t id = q.size() == 1 ? q.Int(0, 0) : 0;
    if (q.corrupt() || id == 0) return Track(Status::Internal("INSERT returned no id"));
    return id;
  }

  Status UpdateResource(const ResourceRecord& r) override {
    auto seq = Seq();
    if (!seq.ok()) return seq.status();
    Params p;
    AddResource(p, r);
    p.Int(r.updated_at).Int(*seq).Int(r.id);
    auto res = Run(kUpdateResource, p);
    if (!res.ok()) return res.status();
    if (std::string_view(PQcmdTuples(res->get())) == "0") {
      return Track(Status::NotFound("no resource " + std::to_string(r.id)));
    }
    return Status::Ok();
  }

  Result<std::optional<ResourceRecord>> FindResource(std::int64_t id) override {
    return One(kFindResource, Params().Int(id));
  }

  Result<std::optional<ResourceRecord>> FindResourceBySourceKey(std::string_view key) override {
    return One(kFindResourceByKey, Params().Text(key));
  }

  Result<std::vector<ResourceRecord>> FindResources(const std::vector<std::int64_t>& ids) override {
    std::vector<ResourceRecord> out;
    if (ids.empty()) return out;
    auto res = Run(kFindResources, Params().Text(IdArray(ids)));
    if (!res.ok()) return res.status();
    Rows q(res->get());
    std::vector<ResourceRecord> rows;
    for (int i = 0; i < q.size(); ++i) {
      auto r = ReadResource(q, i);
      if (!r.ok()) return Track(r.status());
      rows.push_back(std::move(*r));
    }
    for (std::int64_t id : ids) {
      for (auto& r : rows) {
        if (r.id == id) {
          out.push_back(r);
          break;
        }
      }
    }
    return out;
  }

  Status ForEachResourceKey(
      std::string_view source,
      const std::function<void(std::string_view, const ResourceKeyState&)>& fn) override {
    auto res = Run(kResourceKeys, Params().Text(source));
    if (!res.ok()) return res.status();
    Rows q(res->get());
    ResourceKeyState st;
    for (int i = 0; i < q.size(); ++i) {
      st.id = q.Int(i, 1);
      st.import_hash = q.Text(i, 2);
      st.active = q.Bool(i, 3);
      st.has_manual_fields = q.Bool(i, 4);
      st.department_code = q.Text(i, 5);
      if (q.corrupt()) return Track(Status::Internal("corrupt resource key row"));
      fn(q.Text(i, 0), st);
    }
    return Status::Ok();
  }

  Status ForEachResourceChangedSince(
      std::int64_t seq, const std::function<void(const ResourceRecord&)>& fn) override {
    std::int64_t after_seq = seq;
    std::int64_t after_id = std::numeric_limits<std::int64_t>::max();  // nothing at seq itself
    for (;;) {
      auto res = Run(kChangedSince, Params().Int(after_seq).Int(after_id).Int(kChangedBatch));
      if (!res.ok()) return res.status();
      Rows q(res->get());
      for (int i = 0; i < q.size(); ++i) {
        auto r = ReadResource(q, i);
        if (!r.ok()) return Track(r.status());
        after_seq = r->change_seq;
        after_id = r->id;
        fn(*r);
      }
      if (q.size() < kChangedBatch) return Status::Ok();
    }
  }

  Result<std::int64_t> ResourceChangeSeq() override { return Count(kChangeSeq); }

  Status DeactivateResources(const std::vector<std::int64_t>& ids,
                             domain::TimestampMs at) override {
    if (ids.empty()) return Status::Ok();
    auto seq = Seq();
    if (!seq.ok()) return seq.status();
    return Exec(kDeactivate, Params().Int(at).Int(*seq).Text(IdArray(ids)));
  }

  Result<std::vector<std::int64_t>> SetPublished(const PublicationFilter& f, bool published,
                                                 domain::TimestampMs at) override {
    auto seq = Seq();
    if (!seq.ok()) return seq.status();
    Params p;
    p.Bool(published).Int(at).Int(*seq).OptText(f.kind).OptText(f.source).Text(
        EncodeList(f.departments));
    auto res = Run(kSetPublished, p);
    if (!res.ok()) return res.status();
    Rows q(res->get());
    std::vector<std::int64_t> ids;
    ids.reserve(static_cast<std::size_t>(q.size()));
    for (int i = 0; i < q.size(); ++i) ids.push_back(q.Int(i, 0));
    if (q.corrupt()) return Track(Status::Internal("corrupt resource id"));
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  Result<std::int64_t> CountResources(bool active_only) override {
    return Count(active_only ? kCountActive : kCountAll);
  }

  Result<std::int64_t> AppendResourceHistory(const ResourceHistoryEntry& e) override {
    Params p;
    p.Int(e.resource_id).Int(e.at).Text(e.actor).Text(e.action).Text(e.detail);
    auto res = Run(kInsertHistory, p);
    if (!res.ok()) return res.status();
    Rows q(res->get());
    std::int64_t id = q.size() == 1 ? q.Int(0, 0) : 0;
    if (q.corrupt() || id == 0) return Track(Status::Internal("INSERT returned no id"));
    return id;
  }

  Result<std::vector<ResourceHistoryEntry>> ListResourceHistory(std::int64_t id) override {
    auto res = Run(kListHistory, Params().Int(id));
    if (!res.ok()) return res.status();
    Rows q(res->get());
    std::vector<ResourceHistoryEntry> out;
    out.reserve(static_cast<std::size_t>(q.size()));
    for (int i = 0; i < q.size(); ++i) {
      out.push_back(
          {q.Int(i, 0), q.Int(i, 1), q.Int(i, 2), q.Text(i, 3), q.Text(i, 4), q.Text(i, 5)});
    }
    if (q.corrupt()) return Track(Status::Internal("corrupt resource_history row"));
    return out;
  }

  Status UpsertSubTerritory(const SubTerritoryRecord& s) override {
    PARCOURS_RETURN_IF_ERROR(
        Exec(kUpsertSub, Params().Text(s.code).Text(s.territory_code).Text(s.name).Text(s.kind)));
    PARCOURS_RETURN_IF_ERROR(Exec(kDeleteSubMembers, Params().Text(s.code)));
    return Exec(kInsertSubMembers, Params().Text(s.code).Text(EncodeList(s.members)));
  }

  Result<std::vector<SubTerritoryRecord>> ListSubTerritories(std::string_view territory) override {
    return Subs(kListSubs, Params().Text(territory));
  }

  Result<std::vector<SubTerritoryRecord>> SubTerritoriesOfCommune(
      std::string_view insee_code) override {
    return Subs(kSubsOfCommune,
                Params().Text(insee_code).Text(domain::DepartmentOfCommune(insee_code)));
  }

 private:
  Result<std::int64_t> Count(const StatementDef& st) {
    auto res = Run(st, Params());
    if (!res.ok()) return res.status();
    Rows q(res->get());
    std::int64_t n = q.size() == 1 ? q.Int(0, 0) : 0;
    if (q.corrupt()) return Track(Status::Internal("corrupt count"));
    return n;
  }

  Result<std::int64_t> Seq() {
    if (seq_) return *seq_;
    auto res = Run(kNextSeq, Params());
    if (!res.ok()) return res.status();
    Rows q(res->get());
    if (q.size() != 1) return Track(Status::Internal("directory_counters row missing"));
    seq_ = q.Int(0, 0);
    return *seq_;
  }

  Result<std::vector<CommuneRecord>> Communes(const StatementDef& st, const Params& p) {
    auto res = Run(st, p);
    if (!res.ok()) return res.status();
    Rows q(res->get());
    std::vector<CommuneRecord> out;
    out.reserve(static_cast<std::size_t>(q.size()));
    for (int i = 0; i < q.size(); ++i) out.push_back(ReadCommune(q, i));
    if (q.corrupt()) return Track(Status::Internal("corrupt commune row"));
    return out;
  }

  Result<std::optional<ResourceRecord>> One(const StatementDef& st, const Params& p) {
    auto res = Run(st, p);
    if (!res.ok()) return res.status();
    Rows q(res->get());
    if (q.size() == 0) return std::optional<ResourceRecord>();
    auto r = ReadResource(q, 0);
    if (!r.ok()) return Track(r.status());
    return std::optional<ResourceRecord>(std::move(*r));
  }

  Result<std::vector<SubTerritoryRecord>> Subs(const StatementDef& st, const Params& p) {
    auto res = Run(st, p);
    if (!res.ok()) return res.status();
    Rows q(res->get());
    std::vector<SubTerritoryRecord> out;
    out.reserve(static_cast<std::size_t>(q.size()));
    for (int i = 0; i < q.size(); ++i) {
      out.push_back({q.Text(i, 0), q.Text(i, 1), q.Text(i, 2), q.Text(i, 3), {}});
    }
    for (auto& s : out) {
      auto m = Run(kSubMembers, Params().Text(s.code));
      if (!m.ok()) return m.status();
      Rows mq(m->get());
      for (int i = 0; i < mq.size(); ++i) s.members.push_back(mq.Text(i, 0));
    }
    return out;
  }

  std::optional<std::int64_t> seq_;
};

}  // namespace

std::unique_ptr<DirectoryRepository> MakePostgresDirectory(PgConn& c, Status* first_error) {
  return std::make_unique<PostgresDirectory>(c, first_error);
}

}  // namespace parcours::storage::postgres_internal
