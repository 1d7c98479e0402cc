#include "domain/common/types.h"

#include <array>
#include <utility>

#include "domain/common/enum_names.h"

namespace parcours::domain {
namespace {

constexpr std::array<std::pair<Respondent, std::string_view>, 3> kRespondents{{
    {Respondent::kMother, "mother"},
    {Respondent::kFather, "father"},
    {Respondent::kCoparent, "coparent"},
}};
constexpr std::array<std::pair<Period, std::string_view>, 2> kPeriods{{
    {Period::kPrenatal, "prenatal"},
    {Period::kPostnatal, "postnatal"},
}};
constexpr std::array<std::pair<Band, std::string_view>, 4> kBands{{
    {Band::kLow, "low"},
    {Band::kWatch, "watch"},
    {Band::kPossible, "possible"},
    {Band::kProbable, "probable"},
}};
constexpr std::array<std::pair<CareLevel, std::string_view>, 5> kLevels{{
    {CareLevel::kInformation, "information"},
    {CareLevel::kFirstLine, "first_line"},
    {CareLevel::kSpecialised, "specialised"},
    {CareLevel::kHospital, "hospital"},
    {CareLevel::kEmergency, "emergency"},
}};
constexpr std::array<std::pair<Urgency, std::string_view>, 4> kUrgencies{{
    {Urgency::kImmediate, "immediate"},
    {Urgency::kWithin24h, "24h"},
    {Urgency::kWithin72h, "72h"},
    {Urgency::kWithin7d, "7d"},
}};

}  // namespace

std::string_view ToString(Respondent v) { return EnumName(kRespondents, v); }
std::string_view ToString(Period v) { return EnumName(kPeriods, v); }
std::string_view ToString(Band v) { return EnumName(kBands, v); }
std::string_view ToString(CareLevel v) { return EnumName(kLevels, v); }
std::string_view ToString(Urgency v) { return EnumName(kUrgencies, v); }

std::optional<Respondent> ParseRespondent(std::string_view s) { return ParseEnum(kRespondents, s); }
std::optional<Period> ParsePeriod(std::string_view s) { return ParseEnum(kPeriods, s); }
std::optional<Band> ParseBand(std::string_view s) { return ParseEnum(kBands, s); }
std::optional<CareLevel> ParseCareLevel(std::string_view s) { return ParseEnum(kLevels, s); }
std::optional<Urgency> ParseUrgency(std::string_view s) { return ParseEnum(kUrgencies, s); }

}  // namespace parcours::domain
