// Vocabulary shared by the whole domain: who answers, when, which band, which
// level of care. Identifiers are the ones of the API and DESIGN.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parcours::domain {

// Milliseconds since the Unix epoch, UTC. The domain never reads a clock:
// callers pass the time in.
using TimestampMs = std::int64_t;

enum class Respondent { kMother, kFather, kCoparent };
enum class Period { kPrenatal, kPostnatal };
enum class Band { kLow, kWatch, kPossible, kProbable };
enum class CareLevel { kInformation, kFirstLine, kSpecialised, kHospital, kEmergency };

// Urgency of an alert (PTSM 69 fiche 5.2): immediate = within 1 h of the
// team's opening hours, then 24 h, 72 h, 7 days.
enum class Urgency { kImmediate, kWithin24h, kWithin72h, kWithin7d };

std::string_view ToString(Respondent v);
std::string_view ToString(Period v);
std::string_view ToString(Band v);
std::string_view ToString(CareLevel v);
std::string_view ToString(Urgency v);

std::optional<Respondent> ParseRespondent(std::string_view s);
std::optional<Period> ParsePeriod(std::string_view s);
std::optional<Band> ParseBand(std::string_view s);
std::optional<CareLevel> ParseCareLevel(std::string_view s);
std::optional<Urgency> ParseUrgency(std::string_view s);

}  // namespace parcours::domain
