// The `crisis_help` block of POST /api/v1/screenings: what a partner showing
// a result must show first when item 10 > 0 (README, API). In the language
// of the screening: the 3114, 15, 112 and SMS 114 with their labels, the
// urgent-help paragraph on puerperal psychosis, and the nearest emergency
// services when the parent's commune is known (the same directory search
// as the result page's crisis block). The key is absent when crisis is
// false. It never carries a score.
#pragma once

#include <boost/json/object.hpp>

namespace parcours::app {
struct ScreeningOutcome;
class DirectorySearch;
}  // namespace parcours::app

namespace parcours::http {

class Catalogs;

// Nearest emergency services listed (as on the result page).
inline constexpr int kCrisisNearestServices = 2;

// Adds "crisis_help" to `body` when out.orientation.crisis; does nothing
// otherwise. directory may be null (no directory: an empty list).
void AddCrisisHelp(const Catalogs& catalogs, app::DirectorySearch* directory,
                   const app::ScreeningOutcome& out, boost::json::object& body);

}  // namespace parcours::http
