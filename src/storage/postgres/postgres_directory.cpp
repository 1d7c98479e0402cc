#include "storage/postgres/postgres_directory.h"

#include <limits>

#include "domain/directory/commune_code.h"
#include "domain/text/fold.h"
#include "storage/postgres/postgres_internal.h"
#include "storage/repository_steps.h"

namespace parcours::storage::postgres_internal {
namespace {

using namespace row_codec;  // NOLINT(google-build-using-namespace): the readers and binders

// The postcodes of the commune, joined by spaces.
#define PARCOURS_COMMUNE_POSTCODES                                     \
  "(SELECT string_agg(postcode, ' ' ORDER BY postcode COLLATE \"C\") " \
  "FROM commune_postcodes p WHERE p.insee_code = c.insee_code)"
#define PARCOURS_COMMUNE_COLS PARCOURS_COMMUNE_FIELDS PARCOURS_COMMUNE_POSTCODES

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
#undef PARCOURS_COMMUNE_POSTCODES

constexpr int kChangedBatch = 5000;

std::string IdArray(const std::vector<std::int64_t>& ids) {
  std::string a = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) a += ',';
    a += std::to_string(ids[i]);
  }
  return a + "}";
}

// The integer of a one-column row.
std::int64_t ReadInt(Row& q) { return q.Int(0); }

class PostgresDirectory final : public DirectoryRepository, private TxnStatements {
 public:
  PostgresDirectory(PgConn& c, Status* first_error) : TxnStatements(c, first_error) {}

  Result<bool> UpsertCommune(const CommuneRecord& c) override {
    auto existing = FindCommune(c.insee_code);
    if (!existing.ok()) return existing.status();
    if (*existing && **existing == c) return false;
    Params p;
    PARCOURS_RETURN_IF_ERROR(
        Exec(kUpsertCommune, BindCommune(p, c, domain::FoldPlaceName(c.name))));
    std::string codes;
    for (const auto& pc : c.postcodes) codes += (codes.empty() ? "" : " ") + pc;
    PARCOURS_RETURN_IF_ERROR(Exec(kDeletePostcodes, Params().Text(c.insee_code)));
    PARCOURS_RETURN_IF_ERROR(Exec(kInsertPostcodes, Params().Text(c.insee_code).Text(codes)));
    PARCOURS_RETURN_IF_ERROR(Exec(kBumpCommuneSeq, Params()));
    return true;
  }

  Result<std::optional<CommuneRecord>> FindCommune(std::string_view insee_code) override {
    return FindOne(kFindCommune, Params().Text(insee_code), ReadCommune<Row>, "communes");
  }

  Result<std::vector<CommuneRecord>> FindCommunesByPostcode(std::string_view postcode) override {
    return All(kCommunesByPostcode, Params().Text(postcode), ReadCommune<Row>, "communes");
  }

  Result<std::vector<CommuneRecord>> SearchCommunesByName(std::string_view folded,
                                                          int limit) override {
    if (folded.empty()) return std::vector<CommuneRecord>();
    return All(kCommunesByName, Params().Text(folded).Text(std::string(folded) + "~").Int(limit),
               ReadCommune<Row>, "communes");
  }

  Result<std::int64_t> CountCommunes() override { return Count(kCountCommunes); }
  Result<std::int64_t> CommuneChangeSeq() override { return Count(kCommuneSeq); }

  Status ForEachCommune(const std::function<void(const CommuneRecord&)>& fn) override {
    auto v = All(kAllCommunes, Params(), ReadCommune<Row>, "communes");
    if (!v.ok()) return v.status();
    for (const auto& c : *v) fn(c);
    return Status::Ok();
  }

  Result<std::int64_t> InsertResource(const ResourceRecord& r) override {
    auto seq = Seq();
    if (!seq.ok()) return seq.status();
    Params p;
    BindResourceFields(p, r).Int(r.created_at).Int(r.updated_at).Int(*seq);
    return One(kInsertResource, p, ReadInt, "resources", "INSERT returned no id");
  }

  Status UpdateResource(const ResourceRecord& r) override {
    auto seq = Seq();
    if (!seq.ok()) return seq.status();
    Params p;
    BindResourceFields(p, r).Int(r.updated_at).Int(*seq).Int(r.id);
    return Track(ExecOne(kUpdateResource, p, "no resource " + std::to_string(r.id)));
  }

  Result<std::optional<ResourceRecord>> FindResource(std::int64_t id) override {
    return FindOne(kFindResource, Params().Int(id), ReadResource<Row>, "resources");
  }

  Result<std::optional<ResourceRecord>> FindResourceBySourceKey(std::string_view key) override {
    return FindOne(kFindResourceByKey, Params().Text(key), ReadResource<Row>, "resources");
  }

  Result<std::vector<ResourceRecord>> FindResources(const std::vector<std::int64_t>& ids) override {
    if (ids.empty()) return std::vector<ResourceRecord>();
    auto rows = All(kFindResources, Params().Text(IdArray(ids)), ReadResource<Row>, "resources");
    if (!rows.ok()) return rows.status();
    return InIdOrder(*rows, ids);
  }

  Status ForEachResourceKey(
      std::string_view source,
      const std::function<void(std::string_view, const ResourceKeyState&)>& fn) override {
    auto keys = All(kResourceKeys, Params().Text(source), ReadResourceKey<Row>, "resources");
    if (!keys.ok()) return keys.status();
    for (const auto& [key, st] : *keys) fn(key, st);
    return Status::Ok();
  }

  Status ForEachResourceChangedSince(
      std::int64_t seq, const std::function<void(const ResourceRecord&)>& fn) override {
    std::int64_t after_seq = seq;
    std::int64_t after_id = std::numeric_limits<std::int64_t>::max();  // nothing at seq itself
    for (;;) {
      auto rows = All(kChangedSince, Params().Int(after_seq).Int(after_id).Int(kChangedBatch),
                      ReadResource<Row>, "resources");
      if (!rows.ok()) return rows.status();
      for (const auto& r : *rows) {
        after_seq = r.change_seq;
        after_id = r.id;
        fn(r);
      }
      if (rows->size() < static_cast<std::size_t>(kChangedBatch)) return Status::Ok();
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
    repository_steps::BindPublication(p, f, published, at, *seq);
    return repository_steps::Ascending(All(kSetPublished, p, ReadInt, "resources"));
  }

  Result<std::int64_t> CountResources(bool active_only) override {
    return Count(active_only ? kCountActive : kCountAll);
  }

  Result<std::int64_t> AppendResourceHistory(const ResourceHistoryEntry& e) override {
    Params p;
    p.Int(e.resource_id).Int(e.at).Text(e.actor).Text(e.action).Text(e.detail);
    return One(kInsertHistory, p, ReadInt, "resource_history", "INSERT returned no id");
  }

  Result<std::vector<ResourceHistoryEntry>> ListResourceHistory(std::int64_t id) override {
    return All(kListHistory, Params().Int(id), ReadResourceHistory<Row>, "resource_history");
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
  // The value of a count or counter (0 when the row is missing).
  Result<std::int64_t> Count(const StatementDef& st) {
    return repository_steps::ZeroIfMissing(FindOne(st, Params(), ReadInt, "count"));
  }

  // This transaction's change sequence number, taken on first use.
  Result<std::int64_t> Seq() {
    return seq_.Get([this] {
      return One(kNextSeq, Params(), ReadInt, "directory_counters",
                 "directory_counters row missing");
    });
  }

  Result<std::vector<SubTerritoryRecord>> Subs(const StatementDef& st, const Params& p) {
    return repository_steps::WithMembers(
        All(st, p, ReadSubTerritory<Row>, "sub_territories"), [this](const std::string& code) {
          return All(
              kSubMembers, Params().Text(code), [](Row& r) { return r.Text(0); },
              "sub_territory_members");
        });
  }

  repository_steps::ChangeSeq seq_;
};

}  // namespace

std::unique_ptr<DirectoryRepository> MakePostgresDirectory(PgConn& c, Status* first_error) {
  return std::make_unique<PostgresDirectory>(c, first_error);
}

}  // namespace parcours::storage::postgres_internal
