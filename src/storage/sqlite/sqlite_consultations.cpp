#include "storage/sqlite/sqlite_consultations.h"

#include "storage/codec.h"
#include "storage/directory_repository.h"
#include "storage/sqlite/sqlite_internal.h"

namespace parcours::storage::sqlite_internal {
namespace {

using namespace row_codec;  // NOLINT(google-build-using-namespace): the readers and binders

constexpr const char* kInsert =
    "INSERT INTO consultations (" PARCOURS_CONSULTATION_COLS ") VALUES (?,?,?,?,?,?)";
constexpr const char* kFind =
    "SELECT " PARCOURS_CONSULTATION_COLS " FROM consultations WHERE screening_id = ?";
constexpr const char* kCount =
    "SELECT c.context, count(*), sum(s.item10_positive), sum(c.vulnerability <> '') "
    "FROM consultations c JOIN screenings s ON s.id = c.screening_id "
    "WHERE c.territory_code = ? AND c.created_at >= ? AND c.created_at < ? GROUP BY c.context";

class SqliteConsultations : public ConsultationRepository, private TxnStatements {
 public:
  SqliteConsultations(Conn& c, Status* first_error) : TxnStatements(c, first_error) {}

  Status InsertConsultation(const ConsultationRecord& r) override {
    Stmt q(c_, kInsert);
    BindConsultation(q, r);
    return Write(q);
  }

  Result<std::optional<ConsultationRecord>> FindConsultation(std::string_view id) override {
    Stmt q(c_, kFind);
    q.Bind(id);
    return FindOne(q, ReadConsultation<const Stmt>);
  }

  Result<std::vector<ConsultationCount>> CountByContext(std::string_view territory,
                                                        domain::TimestampMs from,
                                                        domain::TimestampMs until) override {
    Stmt q(c_, kCount);
    q.Bind(territory).Bind(from).Bind(until);
    auto found = All(q, ReadConsultationCount<const Stmt>);
    if (!found.ok()) return found.status();
    return InContextOrder(*found);
  }
};

}  // namespace

std::unique_ptr<ConsultationRepository> MakeSqliteConsultations(Conn& c, Status* first_error) {
  return std::make_unique<SqliteConsultations>(c, first_error);
}

}  // namespace parcours::storage::sqlite_internal
