#include "storage/postgres/postgres_consultations.h"

#include "storage/codec.h"
#include "storage/directory_repository.h"
#include "storage/postgres/postgres_internal.h"

namespace parcours::storage::postgres_internal {
namespace {

using namespace row_codec;  // NOLINT(google-build-using-namespace): the readers and binders

constexpr StatementDef kInsert{"parcours_con_insert",
                               "INSERT INTO consultations (" PARCOURS_CONSULTATION_COLS
                               ") VALUES ($1,$2,$3,$4,$5,$6)"};
constexpr StatementDef kFind{"parcours_con_find", "SELECT " PARCOURS_CONSULTATION_COLS
                                                  " FROM consultations WHERE screening_id = $1"};
constexpr StatementDef kCount{
    "parcours_con_count",
    "SELECT c.context, count(*), count(*) FILTER (WHERE s.item10_positive), "
    "count(*) FILTER (WHERE c.vulnerability <> '') "
    "FROM consultations c JOIN screenings s ON s.id = c.screening_id "
    "WHERE c.territory_code = $1 AND c.created_at >= $2 AND c.created_at < $3 "
    "GROUP BY c.context"};

class PostgresConsultations : public ConsultationRepository, private TxnStatements {
 public:
  PostgresConsultations(PgConn& c, Status* first_error) : TxnStatements(c, first_error) {}

  Status InsertConsultation(const ConsultationRecord& r) override {
    Params p;
    return Exec(kInsert, BindConsultation(p, r));
  }

  Result<std::optional<ConsultationRecord>> FindConsultation(std::string_view id) override {
    return FindOne(kFind, Params().Text(id), ReadConsultation<Row>, "consultations");
  }

  Result<std::vector<ConsultationCount>> CountByContext(std::string_view territory,
                                                        domain::TimestampMs from,
                                                        domain::TimestampMs until) override {
    auto found = All(kCount, Params().Text(territory).Int(from).Int(until),
                     ReadConsultationCount<Row>, "consultations");
    if (!found.ok()) return found.status();
    return InContextOrder(*found);
  }
};

}  // namespace

std::unique_ptr<ConsultationRepository> MakePostgresConsultations(PgConn& c, Status* first_error) {
  return std::make_unique<PostgresConsultations>(c, first_error);
}

}  // namespace parcours::storage::postgres_internal
