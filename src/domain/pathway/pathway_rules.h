// The clinical rules of the pathway, one source of truth for every screen,
// API and indicator: EPDS bands (thresholds per respondent, versioned),
// suggested level of care, urgency of an alert, timing notes.
//
// Rules are data: data/pathway/defaults.json, overridden per territory
// (data/territories/<code>.json). Readable cases a clinician can review:
// tests/cases/epds_bands.json and tests/cases/orientation.json.
//
// Immutable after Parse(); pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "domain/common/types.h"

namespace boost::json {
class object;
}

namespace parcours::domain {

// A score >= watch is "watch", >= possible "possible", >= probable "probable".
struct BandCutoffs {
  int watch = 0;
  int possible = 0;
  int probable = 0;
  bool operator==(const BandCutoffs&) const = default;
};

struct ThresholdSet {
  std::string id;
  int version = 0;
  BandCutoffs mother;
  BandCutoffs father;
  BandCutoffs coparent;

  const BandCutoffs& For(Respondent r) const;
  // Same cut-offs for every respondent (ids and versions aside).
  bool SameValues(const ThresholdSet& o) const {
    return mother == o.mother && father == o.father && coparent == o.coparent;
  }
};

struct BandRule {
  CareLevel level = CareLevel::kInformation;
  CareLevel with_vulnerability = CareLevel::kInformation;
  std::optional<int> rescreen_days;  // screen again after this many days
  std::optional<int> within_days;    // see the suggested level within
  std::optional<int> within_hours;
};

struct TimingRules {
  int validated_from_week = 4;    // EPDS validated from about week 4 after birth
  int baby_blues_until_week = 2;  // a result before this carries a baby-blues note
  int second_peak_week = 6;       // reminder target
  // The postnatal interview (EPNP) window, in weeks after birth: the
  // follow-up record's next screening dates (optional keys; these defaults).
  int epnp_from_week = 4;
  int epnp_until_week = 8;
};

// What the pathway suggests for one result.
struct Orientation {
  Band band = Band::kLow;
  bool crisis = false;                                  // item 10 > 0: emergency block first
  CareLevel level = CareLevel::kInformation;            // emergency when crisis
  CareLevel follow_up_level = CareLevel::kInformation;  // after the emergency block
  Urgency urgency = Urgency::kWithin7d;                 // of a recontact alert
  std::optional<int> rescreen_days;
  std::optional<int> within_days;
  std::optional<int> within_hours;  // after item 10 > 0: at most 24 (safety floor)
  bool baby_blues_note = false;     // postnatal result before the validated window
};

struct AssessmentInput {
  Respondent respondent = Respondent::kMother;
  Period period = Period::kPostnatal;
  std::optional<int> child_age_weeks;
  int score = 0;
  bool item10_positive = false;
  bool vulnerability = false;  // any HAS vulnerability factor recorded
};

class PathwayRules {
 public:
  // Parses defaults.json.
  static Result<PathwayRules> Parse(std::string_view json);
  // Returns a copy with the keys present in `overrides` (thresholds,
  // orientation, urgency, timing: the same shape as defaults) replaced.
  // Neither checks the safety floors: see CheckSafetyFloors.
  // field of an error: the JSON path, prefixed with `where`.
  Result<PathwayRules> WithOverrides(const boost::json::object& overrides,
                                     const std::string& where) const;

  const ThresholdSet& thresholds() const { return thresholds_; }
  const TimingRules& timing() const { return timing_; }
  // What the safety floors check (safety_floors.h).
  Urgency item10_urgency() const { return urgency_item10_; }
  CareLevel item10_minimum_follow_up() const { return item10_minimum_; }
  int item10_within_hours() const { return item10_within_hours_; }
  Urgency UrgencyOf(Band b) const { return urgency_[static_cast<int>(b)]; }

  Band BandFor(Respondent r, int score) const;
  Orientation Assess(const AssessmentInput& in) const;

  // Days until the parent should screen again: the band's re-screen delay
  // (watch: 14); in the baby-blues window, until the validated week (4);
  // after birth before the second peak, until it (week 6); otherwise 28.
  int ReminderDays(const AssessmentInput& in, const Orientation& o) const;

 private:
  Status Apply(const boost::json::object& o, const std::string& where);

  ThresholdSet thresholds_;
  BandRule rules_[4];
  CareLevel item10_minimum_ = CareLevel::kFirstLine;
  int item10_within_hours_ = 24;  // professional assessment after item 10 > 0
  Urgency urgency_item10_ = Urgency::kImmediate;
  Urgency urgency_[4] = {Urgency::kWithin7d, Urgency::kWithin7d, Urgency::kWithin72h,
                         Urgency::kWithin24h};
  TimingRules timing_;
};

// Levels are ordered information < first_line < specialised < hospital < emergency.
CareLevel MaxLevel(CareLevel a, CareLevel b);

}  // namespace parcours::domain
