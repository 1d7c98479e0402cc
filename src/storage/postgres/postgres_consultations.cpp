#include "storage/postgres/postgres_consultations.h"

#include "storage/codec.h"
#include "storage/directory_repository.h"
#include "storage/postgres/postgres_internal.h"

namespace parcours::storage::postgres_internal {
namespace {

#define PARCOURS_CONSULTATION_COLS \
  "screening_id, created_at, context, professional_id, territory_code, vulnerability"

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

class PostgresConsultations : public ConsultationRepository {
 public:
  PostgresConsultations(PgConn& c, Status* first_error) : c_(c), first_error_(first_error) {}

  Status InsertConsultation(const ConsultationRecord& r) override {
    Params p;
    p.Text(r.screening_id)
        .Int(r.created_at)
        .Text(domain::ToString(r.context))
        .Text(r.professional_id)
        .Text(r.territory_code)
        .Text(EncodeList(r.vulnerability));
    auto res = Run(kInsert, p);
    return res.ok() ? Status::Ok() : res.status();
  }

  Result<std::optional<ConsultationRecord>> FindConsultation(std::string_view id) override {
    auto res = Run(kFind, Params().Text(id));
    if (!res.ok()) return res.status();
    Rows q(res->get());
    if (q.size() == 0) return std::optional<ConsultationRecord>();
    ConsultationRecord r;
    r.screening_id = q.Text(0, 0);
    r.created_at = q.Int(0, 1);
    RowDecoder row("consultations", r.screening_id);
    r.context = row.Enum("context", q.Text(0, 2), domain::ParseConsultationContext);
    r.professional_id = q.Text(0, 3);
    r.territory_code = q.Text(0, 4);
    r.vulnerability = DecodeList(q.Text(0, 5));
    if (q.corrupt()) return Track(Status::Internal("corrupt row in consultations"));
    if (!row.status().ok()) return Track(row.status());
    return std::optional<ConsultationRecord>(std::move(r));
  }

  Result<std::vector<ConsultationCount>> CountByContext(std::string_view territory,
                                                        domain::TimestampMs from,
                                                        domain::TimestampMs until) override {
    auto res = Run(kCount, Params().Text(territory).Int(from).Int(until));
    if (!res.ok()) return res.status();
    Rows q(res->get());
    std::vector<ConsultationCount> found;
    for (int i = 0; i < q.size(); ++i) {
      ConsultationCount n;
      RowDecoder row("consultations", "count");
      n.context = row.Enum("context", q.Text(i, 0), domain::ParseConsultationContext);
      if (!row.status().ok()) return Track(row.status());
      n.screenings = q.Int(i, 1);
      n.item10_positive = q.Int(i, 2);
      n.with_vulnerability = q.Int(i, 3);
      found.push_back(n);
    }
    if (q.corrupt()) return Track(Status::Internal("corrupt count of consultations"));
    std::vector<ConsultationCount> out;
    for (domain::ConsultationContext c : domain::AllConsultationContexts()) {
      for (const auto& n : found) {
        if (n.context == c) out.push_back(n);
      }
    }
    return out;
  }

 private:
  Status Track(Status s) {
    if (!s.ok() && first_error_->ok()) *first_error_ = s;
    return s;
  }

  Result<PgResult> Run(const StatementDef& st, const Params& p) {
    auto r = c_.Run(st, p);
    // Recorded as the transaction's first error; r itself carries the failure to the caller.
    if (!r.ok()) (void)Track(r.status());
    return r;
  }

  PgConn& c_;
  Status* first_error_;
};

}  // namespace

std::unique_ptr<ConsultationRepository> MakePostgresConsultations(PgConn& c, Status* first_error) {
  return std::make_unique<PostgresConsultations>(c, first_error);
}

}  // namespace parcours::storage::postgres_internal
