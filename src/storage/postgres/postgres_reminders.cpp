#include "storage/postgres/postgres_reminders.h"

#include "storage/postgres/postgres_internal.h"
#include "storage/row_codec.h"

namespace parcours::storage::postgres_internal {
namespace {

#define PARCOURS_REMINDER_COLS                                                                 \
  "id, screening_id, territory_code, created_at, due_at, channels, contact_sealed, language, " \
  "status, optout_hash, sent_at, cancelled_at"

constexpr StatementDef kInsert{"parcours_rem_insert",
                               "INSERT INTO reminders (" PARCOURS_REMINDER_COLS
                               ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)"};
constexpr StatementDef kFind{"parcours_rem_find",
                             "SELECT " PARCOURS_REMINDER_COLS " FROM reminders WHERE id = $1"};
constexpr StatementDef kFindByScreening{"parcours_rem_find_screening",
                                        "SELECT " PARCOURS_REMINDER_COLS
                                        " FROM reminders WHERE screening_id = $1"};
constexpr StatementDef kFindByOptOut{"parcours_rem_find_optout",
                                     "SELECT " PARCOURS_REMINDER_COLS
                                     " FROM reminders WHERE optout_hash = $1"};
constexpr StatementDef kListDue{"parcours_rem_list_due",
                                "SELECT " PARCOURS_REMINDER_COLS
                                " FROM reminders WHERE status = 'scheduled' AND due_at <= $1 "
                                "ORDER BY due_at, id LIMIT $2"};
constexpr StatementDef kMarkSent{
    "parcours_rem_mark_sent",
    "UPDATE reminders SET status = 'sent', sent_at = $1, contact_sealed = NULL "
    "WHERE id = $2 AND status = 'scheduled'"};
constexpr StatementDef kCancel{
    "parcours_rem_cancel",
    "UPDATE reminders SET status = 'cancelled', cancelled_at = $1, contact_sealed = NULL "
    "WHERE id = $2 AND status = 'scheduled'"};
constexpr StatementDef kExists{"parcours_rem_exists", "SELECT 1 FROM reminders WHERE id = $1"};
constexpr StatementDef kDeleteFinished{
    "parcours_rem_delete_finished",
    "DELETE FROM reminders WHERE (status = 'sent' AND sent_at < $1) "
    "OR (status = 'cancelled' AND cancelled_at < $1)"};

class PostgresReminders : public ReminderRepository, private TxnStatements {
 public:
  PostgresReminders(PgConn& c, Status* first_error) : TxnStatements(c, first_error) {}

  Status InsertReminder(const ReminderRecord& r) override {
    Params p;
    row_codec::BindReminder(p, r);
    return Exec(kInsert, p);
  }

  Result<std::optional<ReminderRecord>> FindReminder(std::string_view id) override {
    return FindOne(kFind, Params().Text(id), row_codec::ReadReminder<Row>, "reminders");
  }
  Result<std::optional<ReminderRecord>> FindReminderByScreening(std::string_view id) override {
    return FindOne(kFindByScreening, Params().Text(id), row_codec::ReadReminder<Row>, "reminders");
  }
  Result<std::optional<ReminderRecord>> FindReminderByOptOut(std::string_view hash) override {
    return FindOne(kFindByOptOut, Params().Text(hash), row_codec::ReadReminder<Row>, "reminders");
  }

  Result<std::vector<ReminderRecord>> ListDueReminders(domain::TimestampMs now,
                                                       int limit) override {
    auto res = Run(kListDue, Params().Int(now).Int(limit));
    if (!res.ok()) return res.status();
    Rows q(res->get());
    std::vector<ReminderRecord> out;
    out.reserve(static_cast<std::size_t>(q.size()));
    for (int i = 0; i < q.size(); ++i) {
      Row row(q, i);
      out.push_back(row_codec::ReadReminder<Row>(row));
    }
    if (q.corrupt()) return Track(Status::Internal("corrupt row in reminders"));
    return out;
  }

  Status MarkReminderSent(std::string_view id, domain::TimestampMs at) override {
    return Change(kMarkSent, id, at);
  }
  Status CancelReminder(std::string_view id, domain::TimestampMs at) override {
    return Change(kCancel, id, at);
  }

  Result<std::int64_t> DeleteFinishedReminders(domain::TimestampMs before) override {
    return ExecCount(kDeleteFinished, Params().Int(before));
  }

 private:
  // See the SQLite twin: kConflict when no longer scheduled, not recorded
  // as the transaction's error.
  Status Change(const StatementDef& st, std::string_view id, domain::TimestampMs at) {
    return ExecGuarded(st, Params().Int(at).Text(id), kExists, id,
                       "reminder is no longer scheduled", "no such reminder");
  }
};

}  // namespace

std::unique_ptr<ReminderRepository> MakePostgresReminders(PgConn& c, Status* first_error) {
  return std::make_unique<PostgresReminders>(c, first_error);
}

}  // namespace parcours::storage::postgres_internal
