#include "domain/directory/resource_kind.h"

#include <array>
#include <utility>

namespace parcours::domain {
namespace {

constexpr std::array<std::pair<ResourceKind, std::string_view>, 29> kKinds{{
    {ResourceKind::kGeneralPractitioner, "general_practitioner"},
    {ResourceKind::kPsychiatrist, "psychiatrist"},
    {ResourceKind::kChildPsychiatrist, "child_psychiatrist"},
    {ResourceKind::kPaediatrician, "paediatrician"},
    {ResourceKind::kGynaecologistObstetrician, "gynaecologist_obstetrician"},
    {ResourceKind::kMidwife, "midwife"},
    {ResourceKind::kPaediatricNurse, "paediatric_nurse"},
    {ResourceKind::kPsychiatricNurse, "psychiatric_nurse"},
    {ResourceKind::kPsychomotorTherapist, "psychomotor_therapist"},
    {ResourceKind::kPsychologist, "psychologist"},
    {ResourceKind::kAdultCmp, "adult_cmp"},
    {ResourceKind::kChildCmp, "child_cmp"},
    {ResourceKind::kPerinatalPsychiatry, "perinatal_psychiatry"},
    {ResourceKind::kCmpp, "cmpp"},
    {ResourceKind::kCattp, "cattp"},
    {ResourceKind::kCrisisCentre, "crisis_centre"},
    {ResourceKind::kPmiCentre, "pmi_centre"},
    {ResourceKind::kPsychiatricHospital, "psychiatric_hospital"},
    {ResourceKind::kPsychiatricClinic, "psychiatric_clinic"},
    {ResourceKind::kGeneralHospital, "general_hospital"},
    {ResourceKind::kMaternity, "maternity"},
    {ResourceKind::kMotherBabyUnit, "mother_baby_unit"},
    {ResourceKind::kPerinatalMobileTeam, "perinatal_mobile_team"},
    {ResourceKind::kLiaisonTeam, "liaison_team"},
    {ResourceKind::kCattg, "cattg"},
    {ResourceKind::kEmergencyDepartment, "emergency_department"},
    {ResourceKind::kHelpline, "helpline"},
    {ResourceKind::kDayHospital, "day_hospital"},
    {ResourceKind::kHomeCare, "home_care"},
}};

}  // namespace

std::string_view ToString(ResourceKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return {};
}

std::optional<ResourceKind> ParseResourceKind(std::string_view s) {
  for (const auto& [k, name] : kKinds) {
    if (name == s) return k;
  }
  return std::nullopt;
}

const std::vector<ResourceKind>& AllResourceKinds() {
  static const std::vector<ResourceKind>* const kAll = [] {
    auto* v = new std::vector<ResourceKind>();
    for (const auto& [k, name] : kKinds) v->push_back(k);
    return v;
  }();
  return *kAll;
}

bool IsChildService(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kChildPsychiatrist:
    case ResourceKind::kPaediatrician:
    case ResourceKind::kPaediatricNurse:
    case ResourceKind::kChildCmp:
    case ResourceKind::kCmpp: return true;
    default: return false;
  }
}

CareLevelSet DefaultLevels(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kGeneralPractitioner:
    case ResourceKind::kPaediatrician:
    case ResourceKind::kGynaecologistObstetrician:
    case ResourceKind::kMidwife:
    case ResourceKind::kPaediatricNurse:
    case ResourceKind::kPsychomotorTherapist:
    case ResourceKind::kPsychologist:
    case ResourceKind::kPmiCentre:
    case ResourceKind::kMaternity: return {CareLevel::kFirstLine};
    case ResourceKind::kPsychiatrist:
    case ResourceKind::kChildPsychiatrist:
    case ResourceKind::kPsychiatricNurse:
    case ResourceKind::kAdultCmp:
    case ResourceKind::kChildCmp:
    case ResourceKind::kPerinatalPsychiatry:
    case ResourceKind::kCmpp:
    case ResourceKind::kCattp:
    case ResourceKind::kPerinatalMobileTeam:
    case ResourceKind::kLiaisonTeam:
    case ResourceKind::kCattg: return {CareLevel::kSpecialised};
    case ResourceKind::kCrisisCentre: return {CareLevel::kSpecialised, CareLevel::kEmergency};
    case ResourceKind::kPsychiatricHospital:
    case ResourceKind::kPsychiatricClinic:
    case ResourceKind::kGeneralHospital:
    case ResourceKind::kMotherBabyUnit:
    case ResourceKind::kDayHospital: return {CareLevel::kHospital};
    case ResourceKind::kHomeCare: return {CareLevel::kSpecialised, CareLevel::kHospital};
    case ResourceKind::kEmergencyDepartment: return {CareLevel::kEmergency};
    case ResourceKind::kHelpline: return {CareLevel::kInformation};
  }
  return {};
}

}  // namespace parcours::domain
