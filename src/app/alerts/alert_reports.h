// Alerts from other sources than a parent's own request (issue 11):
//   - a professional's alert about a parent seen in consultation (role
//     professional, one of their territories; item 10 > 0 → immediate);
//   - a third party's report (a relative, a social worker) through the
//     public form: the territory comes from the parent's postcode and must
//     take requests (RecontactGate) — otherwise kConflict on field
//     "recontact" and nothing is stored, so no callback is promised; reports
//     past the territory's flood threshold are accepted and flagged.
// Both store the parent's contact sealed (and the reporter's identity and
// relation, sealed), a `created` event whose note (sealed) is the reason,
// and an audit row, in one transaction. A professional also lists the
// alerts they raised, with their stage and outcome.
//
// Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/alerts/alert_service.h"
#include "app/screening/flood_monitor.h"

namespace parcours::app {

class CommuneLookup;
class AlertNotices;

struct ReportInput {
  // Third party: the parent's postcode (territory from its commune).
  std::string postcode;
  // Professional: the territory (may be empty when they have only one).
  std::string territory_code;
  // The parent.
  std::string parent_name, parent_phone, parent_email;
  std::optional<bool> may_leave_message;
  std::optional<CallerIntro> caller_intro;
  // Third party: who reports, and their relation to the parent.
  std::string reporter_name, reporter_relation, reporter_phone, reporter_email;
  // Why (free text, health data: sealed in the created event).
  std::string reason;
  // Professional: the parent answered item 10 > 0 (immediate), or the
  // urgency they suggest (default 24h).
  bool item10 = false;
  std::optional<domain::Urgency> urgency;
  std::optional<std::string> consultation_id;
  bool consent = false;  // third party: confirms the parent will be told who reported
  FieldErrors unreadable;
};

struct ReportReceipt {
  storage::AlertRecord alert;
  const domain::Territory* territory = nullptr;
};

class AlertReports {
 public:
  AlertReports(AlertService& alerts, const PathwayConfig& config, const RecontactGate& gate,
               const CommuneLookup& communes, storage::Storage& storage, Clock& clock,
               Random& random, const Sealer& sealer);

  // Field errors, all at once, in form order.
  Result<ReportReceipt> FromProfessional(const domain::Principal& p, const ReportInput& in);
  Result<ReportReceipt> FromThirdParty(const ReportInput& in);

  // The alerts `p` raised, newest deadline first (stage and outcome).
  Result<std::vector<AlertItem>> Mine(const domain::Principal& p);

  void SetFloodThreshold(int per_hour) { flood_ = std::make_unique<FloodMonitor>(per_hour); }
  void SetOnAlertRaised(std::function<void()> fn) { on_raised_ = std::move(fn); }
  // The responders' messages, enqueued in the alert's transaction (issue
  // 12); nullptr = none.
  void SetNotices(const AlertNotices* n) { notices_ = n; }

 private:
  Result<ReportReceipt> Store(const domain::Territory& t, const ReportInput& in,
                              domain::AlertSource source, const std::string& actor,
                              std::optional<std::string> emitter, bool flood);

  AlertService& alerts_;
  const PathwayConfig& config_;
  const RecontactGate& gate_;
  const CommuneLookup& communes_;
  storage::Storage& storage_;
  Clock& clock_;
  Random& random_;
  const Sealer& sealer_;
  std::unique_ptr<FloodMonitor> flood_ = std::make_unique<FloodMonitor>(20);
  std::function<void()> on_raised_;
  const AlertNotices* notices_ = nullptr;
};

}  // namespace parcours::app
