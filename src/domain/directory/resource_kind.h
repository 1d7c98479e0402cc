// What a directory resource is (a kind of professional or of structure) and
// the levels of care (DESIGN.md "Levels of care", annex 2 of the instruction)
// it offers by default. A project lead may change a resource's levels by
// hand; these are only the defaults given to imported rows.
//
// Identifiers (ToString) are the API and storage identifiers. Pure,
// thread-safe.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "domain/common/types.h"
#include "domain/directory/care_level_set.h"

namespace parcours::domain {

enum class ResourceKind {
  // Professionals (RPPS).
  kGeneralPractitioner,        // general_practitioner
  kPsychiatrist,               // psychiatrist
  kChildPsychiatrist,          // child_psychiatrist
  kPaediatrician,              // paediatrician
  kGynaecologistObstetrician,  // gynaecologist_obstetrician
  kMidwife,                    // midwife
  kPaediatricNurse,            // paediatric_nurse (infirmière puéricultrice)
  kPsychiatricNurse,           // psychiatric_nurse
  kPsychomotorTherapist,       // psychomotor_therapist
  kPsychologist,               // psychologist
  // Structures (FINESS).
  kAdultCmp,             // adult_cmp: centre médico-psychologique
  kChildCmp,             // child_cmp: CMP infanto-juvénile
  kPerinatalPsychiatry,  // perinatal_psychiatry: perinatal CMP / unit
  kCmpp,                 // cmpp: centre médico-psycho-pédagogique (children)
  kCattp,                // cattp: centre d'accueil thérapeutique à temps partiel
  kCrisisCentre,         // crisis_centre: centre de crise et d'accueil permanent
  kPmiCentre,            // pmi_centre: protection maternelle et infantile
  kPsychiatricHospital,  // psychiatric_hospital: CHS
  kPsychiatricClinic,    // psychiatric_clinic: maison de santé pour maladies mentales
  kGeneralHospital,      // general_hospital: CH, CHR/CHU
  // Entered by hand (not FINESS categories).
  kMaternity,            // maternity
  kMotherBabyUnit,       // mother_baby_unit: unité mère-bébé (full or part time)
  kPerinatalMobileTeam,  // perinatal_mobile_team: équipe mobile de psychiatrie périnatale
  kLiaisonTeam,          // liaison_team: psychiatric liaison team in a maternity
  kCattg,                // cattg: centre d'accueil thérapeutique à temps gradué
  kEmergencyDepartment,  // emergency_department
  kHelpline,             // helpline: national or regional listening line
  kDayHospital,          // day_hospital: hôpital de jour (part-time hospitalisation)
  kHomeCare,             // home_care: hospitalisation / intensive care at home
};

std::string_view ToString(ResourceKind kind);
std::optional<ResourceKind> ParseResourceKind(std::string_view s);
// Every kind, in declaration order.
const std::vector<ResourceKind>& AllResourceKinds();

// True for services meant for children (the baby's side of parent–baby
// care), so a search for the parent's own care can leave them out.
bool IsChildService(ResourceKind kind);

// Default levels of care of a kind:
//   first_line  general_practitioner, paediatrician, gynaecologist_obstetrician,
//               midwife, paediatric_nurse, psychomotor_therapist, psychologist,
//               pmi_centre
//   specialised psychiatrist, child_psychiatrist, psychiatric_nurse,
//               adult_cmp, child_cmp, perinatal_psychiatry, cmpp, cattp
//   specialised + emergency  crisis_centre (permanent reception)
//   hospital    psychiatric_hospital, psychiatric_clinic, general_hospital,
//               mother_baby_unit
//   first_line  maternity;  specialised  perinatal_mobile_team, liaison_team, cattg
//   emergency   emergency_department;  information  helpline
//   hospital    day_hospital (part-time hospitalisation, annex 2)
//   specialised + hospital  home_care (care at home by a psychiatric team,
//               up to hospitalisation at home, instead of a full-time stay)
CareLevelSet DefaultLevels(ResourceKind kind);

}  // namespace parcours::domain
