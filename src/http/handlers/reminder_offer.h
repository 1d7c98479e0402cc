// The reminder offer on the result page (issue 12), shared by the result
// page (screening_pages.cpp) and the reminder routes (reminders.cpp).
#pragma once

#include <boost/json/object.hpp>

#include "core/status.h"

namespace parcours::app {
struct ScreeningOutcome;
}

namespace parcours::http {

class FormData;
class PageTexts;
struct WebContext;

// Sets view["reminder"] (the partial_reminder_offer section) when a
// reminder can be offered for `s`; nothing otherwise. `typed` and `error`:
// the form as sent and the use case's refusal, to show it again.
void AddReminderOffer(const WebContext& ctx, const PageTexts& t, const app::ScreeningOutcome& s,
                      const FormData* typed, const Status* error, boost::json::object& view);

}  // namespace parcours::http
