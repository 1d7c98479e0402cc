// The repositories of one transaction, once for both backends: each made on
// first use by the backend's factory over the transaction's connection, all
// recording their first failure in first_error() (the storage.h contract:
// the transaction then fails even if the callback ignores that failure).
//
// Backend names the connection type (Backend::Conn) and the factories
// (Backend::MakeDirectory, MakeAccounts, MakeFollowUp, MakeAlerts,
// MakeConsultations, MakeOutbox, MakeReminders, MakeRetention), each `std::unique_ptr<R>(Conn&,
// Status* first_error)`.
#pragma once

#include <memory>

#include "core/status.h"
#include "storage/storage.h"

namespace parcours::storage {

template <class Backend>
class TransactionRepositories : public Transaction {
 public:
  using Conn = typename Backend::Conn;

  // First failure of a repository call.
  const Status& first_error() const { return first_error_; }

  DirectoryRepository& directory() override { return Lazy(directory_, Backend::MakeDirectory); }
  AccountRepository& accounts() override { return Lazy(accounts_, Backend::MakeAccounts); }
  FollowUpRepository& follow_up() override { return Lazy(follow_up_, Backend::MakeFollowUp); }
  AlertRepository& alerts() override { return Lazy(alerts_, Backend::MakeAlerts); }
  ConsultationRepository& consultations() override {
    return Lazy(consultations_, Backend::MakeConsultations);
  }
  OutboxRepository& outbox() override { return Lazy(outbox_, Backend::MakeOutbox); }
  ReminderRepository& reminders() override { return Lazy(reminders_, Backend::MakeReminders); }
  RetentionRepository& retention() override { return Lazy(retention_, Backend::MakeRetention); }

 protected:
  explicit TransactionRepositories(Conn& conn) : conn_(conn) {}

  // Where the transaction's own statements record their first failure too.
  Status* error_slot() { return &first_error_; }

 private:
  template <class R, class Make>
  R& Lazy(std::unique_ptr<R>& slot, Make make) {
    if (!slot) slot = make(conn_, &first_error_);
    return *slot;
  }

  Conn& conn_;
  Status first_error_;
  std::unique_ptr<DirectoryRepository> directory_;
  std::unique_ptr<AccountRepository> accounts_;
  std::unique_ptr<FollowUpRepository> follow_up_;
  std::unique_ptr<AlertRepository> alerts_;
  std::unique_ptr<ConsultationRepository> consultations_;
  std::unique_ptr<OutboxRepository> outbox_;
  std::unique_ptr<ReminderRepository> reminders_;
  std::unique_ptr<RetentionRepository> retention_;
};

}  // namespace parcours::storage
