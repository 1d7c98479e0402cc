#include "storage/sqlite/sqlite_reminders.h"

#include "storage/row_codec.h"
#include "storage/sqlite/sqlite_internal.h"

namespace parcours::storage::sqlite_internal {
namespace {

#define PARCOURS_REMINDER_COLS                                                                 \
  "id, screening_id, territory_code, created_at, due_at, channels, contact_sealed, language, " \
  "status, optout_hash, sent_at, cancelled_at"

constexpr const char* kInsert =
    "INSERT INTO reminders (" PARCOURS_REMINDER_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kFind = "SELECT " PARCOURS_REMINDER_COLS " FROM reminders WHERE id = ?";
constexpr const char* kFindByScreening =
    "SELECT " PARCOURS_REMINDER_COLS " FROM reminders WHERE screening_id = ?";
constexpr const char* kFindByOptOut =
    "SELECT " PARCOURS_REMINDER_COLS " FROM reminders WHERE optout_hash = ?";
constexpr const char* kListDue = "SELECT " PARCOURS_REMINDER_COLS
                                 " FROM reminders WHERE status = 'scheduled' AND due_at <= ? "
                                 "ORDER BY due_at, id LIMIT ?";
constexpr const char* kMarkSent =
    "UPDATE reminders SET status = 'sent', sent_at = ?, contact_sealed = NULL "
    "WHERE id = ? AND status = 'scheduled'";
constexpr const char* kCancel =
    "UPDATE reminders SET status = 'cancelled', cancelled_at = ?, contact_sealed = NULL "
    "WHERE id = ? AND status = 'scheduled'";
constexpr const char* kExists = "SELECT 1 FROM reminders WHERE id = ?";
constexpr const char* kDeleteFinished =
    "DELETE FROM reminders WHERE (status = 'sent' AND sent_at < ?) "
    "OR (status = 'cancelled' AND cancelled_at < ?)";

class SqliteReminders : public ReminderRepository, TxnStatements {
 public:
  SqliteReminders(Conn& c, Status* first_error) : TxnStatements(c, first_error) {}

  Status InsertReminder(const ReminderRecord& r) override {
    Stmt q(c_, kInsert);
    row_codec::BindReminder(q, r);
    return Note(q.Run());
  }

  Result<std::optional<ReminderRecord>> FindReminder(std::string_view id) override {
    return FindBy(kFind, id);
  }
  Result<std::optional<ReminderRecord>> FindReminderByScreening(std::string_view id) override {
    return FindBy(kFindByScreening, id);
  }
  Result<std::optional<ReminderRecord>> FindReminderByOptOut(std::string_view hash) override {
    return FindBy(kFindByOptOut, hash);
  }

  Result<std::vector<ReminderRecord>> ListDueReminders(domain::TimestampMs now,
                                                       int limit) override {
    Stmt q(c_, kListDue);
    q.Bind(now).Bind(limit);
    std::vector<ReminderRecord> out;
    while (q.Step()) out.push_back(row_codec::ReadReminder<Stmt>(q));
    if (!q.ok()) return Note(q.status());
    return out;
  }

  Status MarkReminderSent(std::string_view id, domain::TimestampMs at) override {
    return Change(kMarkSent, id, at);
  }
  Status CancelReminder(std::string_view id, domain::TimestampMs at) override {
    return Change(kCancel, id, at);
  }

  Result<std::int64_t> DeleteFinishedReminders(domain::TimestampMs before) override {
    Stmt q(c_, kDeleteFinished);
    q.Bind(before).Bind(before);
    return WriteCount(q);
  }

 private:
  Result<std::optional<ReminderRecord>> FindBy(const char* sql, std::string_view key) {
    Stmt q(c_, sql);
    q.Bind(key);
    return FindOne(q, row_codec::ReadReminder<Stmt>);
  }

  // A scheduled → sent/cancelled change; kConflict when not scheduled. Not
  // recorded as the transaction's error: the caller decides (a lost race is
  // expected with several instances).
  Status Change(const char* sql, std::string_view id, domain::TimestampMs at) {
    Stmt q(c_, sql);
    q.Bind(at).Bind(id);
    return WriteGuarded(q, kExists, id, "reminder is no longer scheduled", "no such reminder");
  }
};

}  // namespace

std::unique_ptr<ReminderRepository> MakeSqliteReminders(Conn& c, Status* first_error) {
  return std::make_unique<SqliteReminders>(c, first_error);
}

}  // namespace parcours::storage::sqlite_internal
