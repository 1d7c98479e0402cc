// JSON shapes of the alert circuit, shared by the API, the live stream and
// the pages' forms: items (never a contact detail), state, events, and the
// readers of commands and list filters.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "app/alerts/alert_service.h"

namespace parcours::http {

// {"id","reference","status","urgency","overdue","created_at","deadline_at",
//  "territory","sub_territory","source"}
boost::json::object AlertItemJson(const app::AlertItem& item);
// The item plus version, crisis, suspected_flood, level, assigned_user_id,
// emitter_user_id, closed_outcome, resource_id.
boost::json::object AlertStateJson(const app::AlertItem& item);
// {"seq","id","alert_id","territory","type","at","actor","status","fields"}
// (no note).
boost::json::object AlertEventJson(const storage::AlertEventRecord& e);

// "id: <seq>\nevent: alert\ndata: <AlertEventJson>\n\n"
std::string AlertEventFrame(const storage::AlertEventRecord& e);

// A command from a JSON body ({"type", ...}); unknown values are reported
// in the result's `unreadable`.
app::AlertCommandInput AlertCommandFromJson(const boost::json::object& body);
// The inbox filters from a query string (status, urgency, sub_territory,
// source, overdue, flood).
Result<app::AlertListFilter> AlertFilterFromQuery(std::string_view query);

}  // namespace parcours::http
