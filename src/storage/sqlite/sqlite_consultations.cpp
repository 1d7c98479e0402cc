#include "storage/sqlite/sqlite_consultations.h"

#include "storage/codec.h"
#include "storage/directory_repository.h"
#include "storage/sqlite/sqlite_internal.h"

namespace parcours::storage::sqlite_internal {
namespace {

#define PARCOURS_CONSULTATION_COLS \
  "screening_id, created_at, context, professional_id, territory_code, vulnerability"

constexpr const char* kInsert =
    "INSERT INTO consultations (" PARCOURS_CONSULTATION_COLS ") VALUES (?,?,?,?,?,?)";
constexpr const char* kFind =
    "SELECT " PARCOURS_CONSULTATION_COLS " FROM consultations WHERE screening_id = ?";
constexpr const char* kCount =
    "SELECT c.context, count(*), sum(s.item10_positive), sum(c.vulnerability <> '') "
    "FROM consultations c JOIN screenings s ON s.id = c.screening_id "
    "WHERE c.territory_code = ? AND c.created_at >= ? AND c.created_at < ? GROUP BY c.context";

class SqliteConsultations : public ConsultationRepository {
 public:
  SqliteConsultations(Conn& c, Status* first_error) : c_(c), first_error_(first_error) {}

  Status InsertConsultation(const ConsultationRecord& r) override {
    Stmt q(c_, kInsert);
    q.Bind(r.screening_id)
        .Bind(r.created_at)
        .Bind(domain::ToString(r.context))
        .Bind(r.professional_id)
        .Bind(r.territory_code)
        .Bind(EncodeList(r.vulnerability));
    return Note(q.Run());
  }

  Result<std::optional<ConsultationRecord>> FindConsultation(std::string_view id) override {
    Stmt q(c_, kFind);
    q.Bind(id);
    if (q.Step()) {
      ConsultationRecord r;
      r.screening_id = q.Text(0);
      r.created_at = q.Int(1);
      RowDecoder row("consultations", r.screening_id);
      r.context = row.Enum("context", q.Text(2), domain::ParseConsultationContext);
      r.professional_id = q.Text(3);
      r.territory_code = q.Text(4);
      r.vulnerability = DecodeList(q.Text(5));
      if (!row.status().ok()) return Note(row.status());
      return std::optional<ConsultationRecord>(std::move(r));
    }
    if (!q.ok()) return Note(q.status());
    return std::optional<ConsultationRecord>();
  }

  Result<std::vector<ConsultationCount>> CountByContext(std::string_view territory,
                                                        domain::TimestampMs from,
                                                        domain::TimestampMs until) override {
    Stmt q(c_, kCount);
    q.Bind(territory).Bind(from).Bind(until);
    std::vector<ConsultationCount> found;
    while (q.Step()) {
      ConsultationCount n;
      RowDecoder row("consultations", "count");
      n.context = row.Enum("context", q.Text(0), domain::ParseConsultationContext);
      if (!row.status().ok()) return Note(row.status());
      n.screenings = q.Int(1);
      n.item10_positive = q.Int(2);
      n.with_vulnerability = q.Int(3);
      found.push_back(n);
    }
    if (!q.ok()) return Note(q.status());
    return InContextOrder(found);
  }

 private:
  static std::vector<ConsultationCount> InContextOrder(
      const std::vector<ConsultationCount>& found) {
    std::vector<ConsultationCount> out;
    for (domain::ConsultationContext c : domain::AllConsultationContexts()) {
      for (const auto& n : found) {
        if (n.context == c) out.push_back(n);
      }
    }
    return out;
  }

  Status Note(Status st) {
    if (!st.ok() && first_error_->ok()) *first_error_ = st;
    return st;
  }

  Conn& c_;
  Status* first_error_;
};

}  // namespace

std::unique_ptr<ConsultationRepository> MakeSqliteConsultations(Conn& c, Status* first_error) {
  return std::make_unique<SqliteConsultations>(c, first_error);
}

}  // namespace parcours::storage::sqlite_internal
