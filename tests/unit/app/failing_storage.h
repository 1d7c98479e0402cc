// A storage::Storage decorator that fails on the Nth write, for use-case
// tests where loss matters (LevelDB's fault-injecting Env). Writes are the
// repository calls that change data (InsertScreening, InsertAlert,
// PutSetting, AppendAudit, InsertConsultation, outbox Enqueue) and each commit of Transact(),
// counted from 1 across transactions. The failing call returns kUnavailable without reaching the
// database, and its transaction is rolled back even if the use case ignores the error (storage.h
// contract). Reads and the directory repositories pass through.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "storage/storage.h"

namespace parcours::app::testing {

class FailingStorage : public storage::Storage {
 public:
  // fail_at: the write that fails (0: none).
  FailingStorage(storage::Storage& inner, int fail_at) : inner_(inner), fail_at_(fail_at) {}

  int writes() const { return writes_; }

  std::string_view Backend() const override { return inner_.Backend(); }
  Result<int> Migrate() override { return inner_.Migrate(); }
  Result<int> SchemaVersion() override { return inner_.SchemaVersion(); }
  Status Ping() override { return inner_.Ping(); }
  PoolStats Stats() const override { return inner_.Stats(); }
  Status Read(const std::function<Status(storage::Transaction&)>& fn) override {
    return inner_.Read(fn);
  }

  Status Transact(const std::function<Status(storage::Transaction&)>& fn) override {
    return inner_.Transact([&](storage::Transaction& tx) {
      FailingTransaction failing(*this, tx);
      Status st = fn(failing);
      if (!failing.failure().ok()) return failing.failure();
      if (!st.ok()) return st;
      return Write("commit");  // a failed commit: the inner transaction rolls back
    });
  }

 private:
  class FailingTransaction : public storage::Transaction {
   public:
    FailingTransaction(FailingStorage& s, storage::Transaction& tx) : s_(s), tx_(tx) {}
    const Status& failure() const { return failure_; }

    Status InsertScreening(const storage::ScreeningRecord& r) override {
      PARCOURS_RETURN_IF_ERROR(Note(s_.Write("InsertScreening")));
      return tx_.InsertScreening(r);
    }
    Result<std::optional<storage::ScreeningRecord>> FindScreening(std::string_view id) override {
      return tx_.FindScreening(id);
    }
    Status InsertAlert(const storage::AlertRecord& a) override {
      PARCOURS_RETURN_IF_ERROR(Note(s_.Write("InsertAlert")));
      return tx_.InsertAlert(a);
    }
    Result<std::optional<storage::AlertRecord>> FindAlert(std::string_view id) override {
      return tx_.FindAlert(id);
    }
    Result<std::optional<storage::AlertRecord>> FindAlertByReference(std::string_view r) override {
      return tx_.FindAlertByReference(r);
    }
    Result<std::optional<storage::AlertRecord>> FindAlertByScreening(std::string_view s) override {
      return tx_.FindAlertByScreening(s);
    }
    Result<std::optional<storage::AlertRecord>> FindOpenAlertByContact(
        std::string_view t, const std::vector<std::string>& hashes) override {
      return tx_.FindOpenAlertByContact(t, hashes);
    }
    Result<std::vector<storage::AlertRecord>> ListAlerts(std::string_view t, int limit) override {
      return tx_.ListAlerts(t, limit);
    }
    Result<std::optional<std::string>> GetSetting(std::string_view name) override {
      return tx_.GetSetting(name);
    }
    Status PutSetting(std::string_view name, std::string_view value) override {
      PARCOURS_RETURN_IF_ERROR(Note(s_.Write("PutSetting")));
      return tx_.PutSetting(name, value);
    }
    Result<bool> InsertSettingIfAbsent(std::string_view name, std::string_view value) override {
      PARCOURS_RETURN_IF_ERROR(Note(s_.Write("InsertSettingIfAbsent")));
      return tx_.InsertSettingIfAbsent(name, value);
    }
    Result<std::int64_t> AppendAudit(const storage::AuditEntry& e) override {
      PARCOURS_RETURN_IF_ERROR(Note(s_.Write("AppendAudit")));
      return tx_.AppendAudit(e);
    }
    Result<std::vector<storage::AuditEntry>> ListAudit(std::string_view type,
                                                       std::string_view id) override {
      return tx_.ListAudit(type, id);
    }
    storage::DirectoryRepository& directory() override { return tx_.directory(); }
    // Accounts are not under fault injection here (no use case of this file writes them).
    storage::AccountRepository& accounts() override { return tx_.accounts(); }
    // Follow-up writes are not counted: a failed AppendAudit or commit of
    // the same transaction rolls them back (tests/unit/app/records/).
    storage::FollowUpRepository& follow_up() override { return tx_.follow_up(); }
    storage::AlertRepository& alerts() override { return tx_.alerts(); }
    // Outbox: Enqueue counts as a write (a message is part of its cause's
    // transaction); the sender's calls pass through.
    storage::OutboxRepository& outbox() override {
      if (!outbox_) outbox_.emplace(*this, tx_.outbox());
      return *outbox_;
    }
    // Consultations: InsertConsultation counts as a write.
    storage::ConsultationRepository& consultations() override {
      if (!consultations_) consultations_.emplace(*this, tx_.consultations());
      return *consultations_;
    }
    // Reminders are not under fault injection: the failing AppendAudit or
    // commit of the same transaction rolls them back.
    storage::ReminderRepository& reminders() override { return tx_.reminders(); }
    storage::RetentionRepository& retention() override { return tx_.retention(); }

   private:
    class FailingConsultations : public storage::ConsultationRepository {
     public:
      FailingConsultations(FailingTransaction& t, storage::ConsultationRepository& inner)
          : t_(t), inner_(inner) {}
      Status InsertConsultation(const storage::ConsultationRecord& c) override {
        PARCOURS_RETURN_IF_ERROR(t_.Note(t_.s_.Write("InsertConsultation")));
        return inner_.InsertConsultation(c);
      }
      Result<std::optional<storage::ConsultationRecord>> FindConsultation(
          std::string_view id) override {
        return inner_.FindConsultation(id);
      }
      Result<std::vector<storage::ConsultationCount>> CountByContext(
          std::string_view t, domain::TimestampMs from, domain::TimestampMs until) override {
        return inner_.CountByContext(t, from, until);
      }

     private:
      FailingTransaction& t_;
      storage::ConsultationRepository& inner_;
    };

    class FailingOutbox : public storage::OutboxRepository {
     public:
      FailingOutbox(FailingTransaction& t, storage::OutboxRepository& inner)
          : t_(t), inner_(inner) {}
      Result<bool> Enqueue(const storage::OutboxMessageRecord& m) override {
        PARCOURS_RETURN_IF_ERROR(t_.Note(t_.s_.Write("Enqueue")));
        return inner_.Enqueue(m);
      }
      Result<std::vector<storage::OutboxMessageRecord>> Claim(domain::TimestampMs due_before,
                                                              domain::TimestampMs lease_now,
                                                              std::int64_t lease_ms,
                                                              std::string_view owner,
                                                              int limit) override {
        return inner_.Claim(due_before, lease_now, lease_ms, owner, limit);
      }
      Status Finish(std::string_view id, std::string_view owner,
                    const storage::OutboxAttemptRecord& a, domain::TimestampMs next) override {
        return inner_.Finish(id, owner, a, next);
      }
      Status MarkStarted(std::string_view id, std::string_view owner) override {
        return inner_.MarkStarted(id, owner);
      }
      Status Retry(std::string_view id, domain::TimestampMs now) override {
        return inner_.Retry(id, now);
      }
      Result<std::optional<storage::OutboxMessageRecord>> Find(std::string_view id) override {
        return inner_.Find(id);
      }
      Result<std::vector<storage::OutboxMessageRecord>> List(
          const storage::OutboxQuery& q) override {
        return inner_.List(q);
      }
      Result<std::vector<storage::OutboxAttemptRecord>> Attempts(std::string_view id) override {
        return inner_.Attempts(id);
      }
      Result<bool> ClaimJobSlot(std::string_view job, std::string_view slot,
                                domain::TimestampMs at) override {
        return inner_.ClaimJobSlot(job, slot, at);
      }

     private:
      FailingTransaction& t_;
      storage::OutboxRepository& inner_;
    };

    Status Note(Status st) {
      if (!st.ok() && failure_.ok()) failure_ = st;
      return st;
    }
    FailingStorage& s_;
    storage::Transaction& tx_;
    Status failure_;
    std::optional<FailingConsultations> consultations_;
    std::optional<FailingOutbox> outbox_;
  };

  Status Write(const char* what) {
    ++writes_;
    if (writes_ == fail_at_) {
      return Status::Unavailable(std::string("injected failure of write ") +
                                 std::to_string(writes_) + " (" + what + ")");
    }
    return Status::Ok();
  }

  storage::Storage& inner_;
  int fail_at_;
  int writes_ = 0;
};

}  // namespace parcours::app::testing
