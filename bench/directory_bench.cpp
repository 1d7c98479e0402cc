// Directory benchmarks, driven by bench/directory.sh:
//   directory_bench gen-rpps FILE LINES
//       writes a synthetic RPPS extract (real 56-column header, UTF-8, every
//       row 56 fields + trailing '|') with a realistic mix: ~18 % pathway
//       professions, departments uniform over mainland + overseas (so ~35 %
//       in the six territories).
//   directory_bench knn DATABASE_URL PG_URL RESOURCES QUERIES
//       generates RESOURCES published resources clustered around 3 000
//       synthetic towns, stores them (SQLite), loads app::DirectorySearch and
//       times nearest-10 searches: in memory (DirectorySearch::Nearest) and
//       the full use case (with the rows read back from SQLite); then loads
//       the same points into PostGIS (geography, GiST) and times the same
//       KNN queries back to back over one connection. Prints one
//       "key value" line per figure.
#include <libpq-fe.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "app/directory/directory_search.h"
#include "domain/directory/resource.h"
#include "storage/storage.h"

namespace {

using parcours::Status;
using parcours::domain::CareLevel;
using parcours::domain::LatLon;
using parcours::domain::ResourceKind;
using Clock = std::chrono::steady_clock;

int Die(const std::string& msg) {
  std::fprintf(stderr, "directory_bench: %s\n", msg.c_str());
  return 1;
}

// Departments: mainland 01..95 (2A/2B as 20 -> skipped) + five overseas.
std::vector<std::string> Departments() {
  std::vector<std::string> d;
  for (int i = 1; i <= 95; ++i) {
    if (i == 20) continue;
    char b[4];
    std::snprintf(b, sizeof b, "%02d", i);
    d.emplace_back(b);
  }
  for (const char* o : {"971", "972", "973", "974", "976"}) d.emplace_back(o);
  return d;
}

int GenRpps(const char* path, long lines) {
  std::FILE* f = std::fopen(path, "wb");
  if (!f) return Die(std::string("cannot write ") + path);
  static const char* kHeader =
      "Type d'identifiant PP|Identifiant PP|Identification nationale PP|Code civilité "
      "d'exercice|Libellé civilité d'exercice|Code civilité|Libellé civilité|Nom "
      "d'exercice|Prénom d'exercice|Code profession|Libellé profession|Code catégorie "
      "professionnelle|Libellé catégorie professionnelle|Code type savoir-faire|Libellé type "
      "savoir-faire|Code savoir-faire|Libellé savoir-faire|Code mode exercice|Libellé mode "
      "exercice|Numéro SIRET site|Numéro SIREN site|Numéro FINESS site|Numéro FINESS "
      "établissement juridique|Identifiant technique de la structure|Raison sociale "
      "site|Enseigne commerciale site|Complément destinataire (coord. structure)|Complément "
      "point géographique (coord. structure)|Numéro Voie (coord. structure)|Indice répétition "
      "voie (coord. structure)|Code type de voie (coord. structure)|Libellé type de voie "
      "(coord. structure)|Libellé Voie (coord. structure)|Mention distribution (coord. "
      "structure)|Bureau cedex (coord. structure)|Code postal (coord. structure)|Code commune "
      "(coord. structure)|Libellé commune (coord. structure)|Code pays (coord. "
      "structure)|Libellé pays (coord. structure)|Téléphone (coord. structure)|Téléphone 2 "
      "(coord. structure)|Télécopie (coord. structure)|Adresse e-mail (coord. "
      "structure)|Code Département (structure)|Libellé Département (structure)|Ancien "
      "identifiant de la structure|Autorité d'enregistrement|Code secteur d'activité|Libellé "
      "secteur d'activité|Code section tableau pharmaciens|Libellé section tableau "
      "pharmaciens|Code rôle|Libellé rôle|Code genre activité|Libellé genre activité|\n";
  std::fputs(kHeader, f);
  struct Prof {
    const char* code;
    const char* label;
    const char* sf;
    const char* sf_label;
    int weight;  // per 1000 rows
  };
  // Pathway rows ~18 %, the rest: other doctors, nurses, pharmacists, ...
  static const Prof kProfs[] = {
      {"10", "Médecin", "SM54", "Médecine Générale", 60},
      {"10", "Médecin", "SM42", "Psychiatrie", 8},
      {"10", "Médecin", "SM40", "Pédiatrie", 5},
      {"10", "Médecin", "SM20", "Gynécologie-obstétrique", 4},
      {"50", "Sage-Femme", "", "", 12},
      {"93", "Psychologue", "", "", 70},
      {"60", "Infirmier", "SI08", "Infirmier puériculteur", 10},
      {"96", "Psychomotricien", "", "", 11},
      {"10", "Médecin", "SM02", "Anesthésie-réanimation", 60},
      {"60", "Infirmier", "", "", 430},
      {"21", "Pharmacien", "", "", 160},
      {"40", "Chirurgien-Dentiste", "", "", 90},
      {"70", "Masseur-Kinésithérapeute", "", "", 80},
  };
  int total = 0;
  for (const auto& p : kProfs) total += p.weight;
  const auto depts = Departments();
  std::mt19937_64 rng(42);
  static const char* kFirst[] = {"Camille", "Louise", "Hélène", "Thomas",
                                 "Inès",    "Éric",   "Zoé",    "Karim"};
  static const char* kLast[] = {"MARTIN",  "DUPRÉ", "LEFÈVRE", "N'DIAYE",
                                "BERNARD", "PETIT", "MOREAU",  "GARCIA"};
  std::string line;
  line.reserve(1024);
  for (long i = 1; i < lines; ++i) {
    int w = static_cast<int>(rng() % static_cast<unsigned>(total));
    const Prof* p = &kProfs[0];
    for (const auto& q : kProfs) {
      if (w < q.weight) {
        p = &q;
        break;
      }
      w -= q.weight;
    }
    const std::string& dept = depts[rng() % depts.size()];
    char commune[8];
    char postcode[8];
    const unsigned num = 1 + static_cast<unsigned>(rng() % (dept.size() == 3 ? 34 : 600));
    if (dept.size() == 3) {
      std::snprintf(commune, sizeof commune, "%s%02u", dept.c_str(), num % 100);
      std::snprintf(postcode, sizeof postcode, "%s%02u", dept.c_str(), num % 100);
    } else {
      std::snprintf(commune, sizeof commune, "%s%03u", dept.c_str(), num);
      std::snprintf(postcode, sizeof postcode, "%s%03u", dept.c_str(), (num % 10) * 10);
    }
    const long pp = 10000000000L + i / 2;  // two activities per person on average
    char buf[1600];
    int n = std::snprintf(
        buf, sizeof buf,
        "8|%ld|8%ld|DR|Docteur|MME|Madame|%s|%s|%s|%s|C|Civil|%s|%s|%s|%s|L|Libéral|"
        "%014ld|%09ld|||S%ld|CABINET %s %s||||%u||R|Rue|DE LA RÉPUBLIQUE|||%s|%s|Commune "
        "%s|||03%08ld|||contact%ld@example.org|%s|Département %s||CNOM/CNOM/ARS|||||||||\n",
        pp, pp, kLast[rng() % 8], kFirst[rng() % 8], p->code, p->label, *p->sf ? "S" : "",
        *p->sf ? "Spécialité ordinale" : "", p->sf, p->sf_label, i, i / 3, i, p->label,
        kLast[rng() % 8], 1 + static_cast<unsigned>(rng() % 200), postcode, commune, commune,
        i % 100000000L, i, dept.c_str(), dept.c_str());
    std::fwrite(buf, 1, static_cast<std::size_t>(n), f);
  }
  std::fclose(f);
  return 0;
}

struct Point {
  std::int64_t id;
  LatLon pos;
  ResourceKind kind;
  parcours::domain::CareLevelSet levels;
};

std::vector<LatLon> Towns(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> lat(42.4, 51.0);
  std::uniform_real_distribution<double> lon(-4.5, 8.0);
  std::vector<LatLon> towns;
  for (int i = 0; i < 2970; ++i) towns.push_back({lat(rng), lon(rng)});
  // Martinique.
  for (int i = 0; i < 30; ++i) {
    towns.push_back({14.45 + (rng() % 1000) * 0.00035, -61.2 + (rng() % 1000) * 0.0004});
  }
  return towns;
}

std::vector<Point> MakePoints(long n, const std::vector<LatLon>& towns, std::mt19937_64& rng) {
  struct Mix {
    ResourceKind kind;
    int weight;
  };
  static const Mix kMix[] = {
      {ResourceKind::kGeneralPractitioner, 300},
      {ResourceKind::kMidwife, 90},
      {ResourceKind::kPsychologist, 300},
      {ResourceKind::kPaediatrician, 40},
      {ResourceKind::kPsychiatrist, 80},
      {ResourceKind::kPmiCentre, 40},
      {ResourceKind::kAdultCmp, 60},
      {ResourceKind::kPerinatalPsychiatry, 20},
      {ResourceKind::kMaternity, 30},
      {ResourceKind::kEmergencyDepartment, 30},
      {ResourceKind::kGeneralHospital, 8},
      {ResourceKind::kMotherBabyUnit, 2},
  };
  int total = 0;
  for (const auto& m : kMix) total += m.weight;
  std::normal_distribution<double> spread(0.0, 0.04);
  std::vector<Point> pts;
  pts.reserve(static_cast<std::size_t>(n));
  for (long i = 0; i < n; ++i) {
    int w = static_cast<int>(rng() % static_cast<unsigned>(total));
    ResourceKind k = kMix[0].kind;
    for (const auto& m : kMix) {
      if (w < m.weight) {
        k = m.kind;
        break;
      }
      w -= m.weight;
    }
    const LatLon& t = towns[rng() % towns.size()];
    pts.push_back(
        {0, {t.lat + spread(rng), t.lon + spread(rng)}, k, parcours::domain::DefaultLevels(k)});
  }
  return pts;
}

struct Stats {
  double p50 = 0, p99 = 0, max = 0, mean = 0;
};

Stats Summarise(std::vector<double> us) {
  std::sort(us.begin(), us.end());
  Stats s;
  s.p50 = us[us.size() / 2];
  s.p99 = us[us.size() * 99 / 100];
  s.max = us.back();
  double sum = 0;
  for (double v : us) sum += v;
  s.mean = sum / static_cast<double>(us.size());
  return s;
}

void Print(const char* name, const Stats& s) {
  std::printf("%s_p50_us %.1f\n%s_p99_us %.1f\n%s_max_us %.1f\n", name, s.p50, name, s.p99, name,
              s.max);
}

long PeakRssMb() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

int Knn(const std::string& db_url, const std::string& pg_url, long n, long queries) {
  std::mt19937_64 rng(7);
  const auto towns = Towns(rng);
  auto points = MakePoints(n, towns, rng);
  auto storage = parcours::storage::OpenStorage(db_url, 4);
  if (!storage.ok()) return Die(storage.status().ToString());
  auto v = (*storage)->Migrate();
  if (!v.ok()) return Die(v.status().ToString());

  auto t0 = Clock::now();
  constexpr long kBatch = 50000;
  for (long from = 0; from < n; from += kBatch) {
    Status st = (*storage)->Transact([&](parcours::storage::Transaction& tx) -> Status {
      for (long i = from; i < std::min(n, from + kBatch); ++i) {
        Point& p = points[static_cast<std::size_t>(i)];
        parcours::storage::ResourceRecord r;
        r.source = "demo";
        r.source_key = "bench:" + std::to_string(i);
        r.resource.kind = p.kind;
        r.resource.levels = p.levels;
        r.resource.name = "Ressource " + std::to_string(i);
        r.resource.postcode = "59000";
        r.resource.commune_code = "59350";
        r.resource.position = p.pos;
        r.resource.phone = "0199000000";
        r.published = true;
        r.created_at = r.updated_at = 1;
        auto id = tx.directory().InsertResource(r);
        if (!id.ok()) return id.status();
        p.id = *id;
      }
      return Status::Ok();
    });
    if (!st.ok()) return Die(st.ToString());
  }
  std::printf("resources %ld\nstore_seconds %.2f\n", n,
              std::chrono::duration<double>(Clock::now() - t0).count());

  t0 = Clock::now();
  parcours::app::DirectorySearch::Options opt;
  opt.refresh_interval = std::chrono::hours(1);
  auto search = parcours::app::DirectorySearch::Create(**storage, opt);
  if (!search.ok()) return Die(search.status().ToString());
  std::printf("index_load_seconds %.2f\nindexed %zu\npeak_rss_mb_after_index %ld\n",
              std::chrono::duration<double>(Clock::now() - t0).count(), (*search)->size(),
              PeakRssMb());

  // Queries near random towns, cycling levels; every 10th asks for the rare
  // kind (mother-baby units, 0.2 % of the rows).
  std::normal_distribution<double> spread(0.0, 0.05);
  struct Q {
    LatLon pos;
    CareLevel level;
    bool rare;
  };
  std::vector<Q> qs;
  const CareLevel levels[] = {CareLevel::kFirstLine, CareLevel::kSpecialised, CareLevel::kHospital,
                              CareLevel::kEmergency};
  for (long i = 0; i < queries; ++i) {
    const LatLon& t = towns[rng() % towns.size()];
    qs.push_back({{t.lat + spread(rng), t.lon + spread(rng)}, levels[i % 4], i % 10 == 9});
  }
  std::vector<double> mem_us;
  std::vector<double> rare_us;
  std::vector<double> full_us;
  std::vector<std::vector<std::int64_t>> mem_ids;
  for (const Q& q : qs) {
    parcours::app::DirectoryQuery dq;
    dq.position = q.pos;
    if (q.rare) {
      dq.kind = ResourceKind::kMotherBabyUnit;
    } else {
      dq.level = q.level;
    }
    parcours::app::DirectoryOrigin origin;
    auto a = Clock::now();
    auto hits = (*search)->Nearest(dq, &origin);
    auto b = Clock::now();
    if (!hits.ok() || hits->size() != 10) return Die("in-memory search failed");
    (q.rare ? rare_us : mem_us).push_back(std::chrono::duration<double, std::micro>(b - a).count());
    std::vector<std::int64_t> ids;
    for (const auto& h : *hits) ids.push_back(h.id);
    mem_ids.push_back(ids);
  }
  for (std::size_t i = 0; i < qs.size() && i < 5000; ++i) {
    parcours::app::DirectoryQuery dq;
    dq.position = qs[i].pos;
    dq.level = qs[i].level;
    auto a = Clock::now();
    auto r = (*search)->Search(dq);
    auto b = Clock::now();
    if (!r.ok() || r->items.size() != 10) return Die("search failed");
    full_us.push_back(std::chrono::duration<double, std::micro>(b - a).count());
  }
  Print("memory_knn10", Summarise(mem_us));
  Print("memory_knn10_rare_kind", Summarise(rare_us));
  Print("usecase_knn10_with_rows", Summarise(full_us));

  // PostGIS on the same points.
  PGconn* c = PQconnectdb(pg_url.c_str());
  if (PQstatus(c) != CONNECTION_OK) return Die(std::string("PostgreSQL: ") + PQerrorMessage(c));
  auto exec = [&](const char* sql) {
    PGresult* r = PQexec(c, sql);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok) std::fprintf(stderr, "%s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    return ok;
  };
  if (!exec("SET client_min_messages = warning") ||
      !exec("CREATE EXTENSION IF NOT EXISTS postgis") ||
      !exec("DROP TABLE IF EXISTS bench_resources") ||
      !exec("CREATE TABLE bench_resources (id bigint PRIMARY KEY, kind text NOT NULL, "
            "levels int NOT NULL, published boolean NOT NULL, geog geography(Point, 4326) NOT "
            "NULL)")) {
    return Die("PostGIS setup failed");
  }
  PGresult* copy = PQexec(c, "COPY bench_resources FROM STDIN");
  if (PQresultStatus(copy) != PGRES_COPY_IN) return Die(PQresultErrorMessage(copy));
  PQclear(copy);
  std::string buf;
  for (const Point& p : points) {
    int mask = 0;
    for (CareLevel l : p.levels.ToVector()) mask |= 1 << static_cast<int>(l);
    char line[160];
    int len = std::snprintf(line, sizeof line, "%lld\t%s\t%d\tt\tSRID=4326;POINT(%.9f %.9f)\n",
                            static_cast<long long>(p.id),
                            std::string(parcours::domain::ToString(p.kind)).c_str(), mask,
                            p.pos.lon, p.pos.lat);
    buf.append(line, static_cast<std::size_t>(len));
    if (buf.size() > (1 << 20)) {
      PQputCopyData(c, buf.data(), static_cast<int>(buf.size()));
      buf.clear();
    }
  }
  PQputCopyData(c, buf.data(), static_cast<int>(buf.size()));
  PQputCopyEnd(c, nullptr);
  PGresult* copied = PQgetResult(c);
  if (PQresultStatus(copied) != PGRES_COMMAND_OK) return Die(PQresultErrorMessage(copied));
  PQclear(copied);
  t0 = Clock::now();
  if (!exec("CREATE INDEX bench_resources_geog ON bench_resources USING gist (geog)") ||
      !exec("ANALYZE bench_resources")) {
    return Die("PostGIS index failed");
  }
  std::printf("postgis_index_seconds %.2f\n",
              std::chrono::duration<double>(Clock::now() - t0).count());
  PGresult* prep =
      PQprepare(c, "knn",
                "SELECT id, ST_Distance(geog, q.g) / 1000 FROM bench_resources, "
                "(SELECT ST_SetSRID(ST_MakePoint($2::float8, $1::float8), 4326)::geography AS g) q "
                "WHERE published AND ($3::text = '' OR kind = $3::text) AND levels & $4::int <> 0 "
                "ORDER BY geog <-> q.g LIMIT 10",
                4, nullptr);
  if (PQresultStatus(prep) != PGRES_COMMAND_OK) return Die(PQresultErrorMessage(prep));
  PQclear(prep);
  std::vector<double> pg_us;
  std::vector<double> pg_rare_us;
  long agree = 0;
  long compared = 0;
  for (std::size_t i = 0; i < qs.size(); ++i) {
    const Q& q = qs[i];
    std::string lat = std::to_string(q.pos.lat);
    std::string lon = std::to_string(q.pos.lon);
    std::string kind = q.rare ? "mother_baby_unit" : "";
    std::string mask = std::to_string(q.rare ? 0x1f : 1 << static_cast<int>(q.level));
    const char* params[] = {lat.c_str(), lon.c_str(), kind.c_str(), mask.c_str()};
    auto a = Clock::now();
    PGresult* r = PQexecPrepared(c, "knn", 4, params, nullptr, nullptr, 0);
    auto b = Clock::now();
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 10) {
      return Die(std::string("KNN query failed: ") + PQresultErrorMessage(r));
    }
    // Same first result? (distances differ slightly: PostGIS uses the
    // spheroid, the index a sphere; ties at equal distance may swap.)
    ++compared;
    if (std::atoll(PQgetvalue(r, 0, 0)) == mem_ids[i][0]) ++agree;
    PQclear(r);
    (q.rare ? pg_rare_us : pg_us)
        .push_back(std::chrono::duration<double, std::micro>(b - a).count());
  }
  PQfinish(c);
  Print("postgis_knn10", Summarise(pg_us));
  Print("postgis_knn10_rare_kind", Summarise(pg_rare_us));
  std::printf("same_nearest_as_postgis_percent %.1f\n", 100.0 * agree / compared);
  std::printf("peak_rss_mb %ld\n", PeakRssMb());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "gen-rpps") return GenRpps(argv[2], std::atol(argv[3]));
  if (argc == 6 && std::string(argv[1]) == "knn") {
    return Knn(argv[2], argv[3], std::atol(argv[4]), std::atol(argv[5]));
  }
  std::fprintf(stderr,
               "usage: directory_bench gen-rpps FILE LINES\n"
               "       directory_bench knn DATABASE_URL PG_URL RESOURCES QUERIES\n");
  return 2;
}
