#include "domain/pathway/pathway_rules.h"

#include <algorithm>
#include <boost/json.hpp>

#include "domain/common/json_document.h"

namespace parcours::domain {
namespace {

namespace json = boost::json;

Status Bad(const std::string& path, const std::string& why) {
  return Status::InvalidArgument(path, path + ": " + why);
}

Result<int> Int(const json::object& o, const char* key, const std::string& path, int lo, int hi) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_int64() || v->as_int64() < lo || v->as_int64() > hi) {
    return Bad(path + "." + key,
               "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
  }
  return static_cast<int>(v->as_int64());
}

Result<BandCutoffs> Cutoffs(const json::object& parent, const char* key, const std::string& path) {
  const json::value* v = parent.if_contains(key);
  const std::string p = path + "." + key;
  if (v == nullptr || !v->is_object()) return Bad(p, "missing");
  BandCutoffs c;
  auto w = Int(v->as_object(), "watch", p, 1, 30);
  auto po = Int(v->as_object(), "possible", p, 1, 30);
  auto pr = Int(v->as_object(), "probable", p, 1, 30);
  for (const Status* s : {&w.status(), &po.status(), &pr.status()}) {
    if (!s->ok()) return *s;
  }
  c.watch = *w;
  c.possible = *po;
  c.probable = *pr;
  if (!(c.watch <= c.possible && c.possible <= c.probable)) {
    return Bad(p, "needs watch <= possible <= probable");
  }
  return c;
}

Result<CareLevel> Level(const json::object& o, const char* key, const std::string& path) {
  const json::value* v = o.if_contains(key);
  auto l = (v != nullptr && v->is_string()) ? ParseCareLevel(v->as_string()) : std::nullopt;
  if (!l) return Bad(path + "." + key, "must be a level of care");
  return *l;
}

Result<std::optional<int>> OptionalInt(const json::object& o, const char* key,
                                       const std::string& path, int hi) {
  if (!o.contains(key)) return std::optional<int>();
  auto v = Int(o, key, path, 1, hi);
  if (!v.ok()) return v.status();
  return std::optional<int>(*v);
}

Result<Urgency> UrgencyAt(const json::object& o, const char* key, const std::string& path) {
  const json::value* v = o.if_contains(key);
  auto u = (v != nullptr && v->is_string()) ? ParseUrgency(v->as_string()) : std::nullopt;
  if (!u) return Bad(path + "." + key, "must be one of immediate, 24h, 72h, 7d");
  return *u;
}

}  // namespace

const BandCutoffs& ThresholdSet::For(Respondent r) const {
  switch (r) {
    case Respondent::kMother: return mother;
    case Respondent::kFather: return father;
    case Respondent::kCoparent: return coparent;
  }
  return mother;
}

CareLevel MaxLevel(CareLevel a, CareLevel b) {
  return static_cast<int>(a) >= static_cast<int>(b) ? a : b;
}

Result<PathwayRules> PathwayRules::Parse(std::string_view text) {
  auto root = ParseJsonDocument(text, "pathway rules");
  if (!root.ok()) return root.status();
  PathwayRules r;
  for (const char* key : {"thresholds", "orientation", "urgency", "timing"}) {
    if (!root->contains(key)) return Bad(key, "missing in the defaults");
  }
  PARCOURS_RETURN_IF_ERROR(r.Apply(*root, ""));
  return r;
}

Result<PathwayRules> PathwayRules::WithOverrides(const json::object& overrides,
                                                 const std::string& where) const {
  PathwayRules r = *this;
  PARCOURS_RETURN_IF_ERROR(r.Apply(overrides, where));
  return r;
}

Status PathwayRules::Apply(const json::object& o, const std::string& where) {
  const std::string base = where.empty() ? "" : where + ".";
  if (const json::value* t = o.if_contains("thresholds")) {
    const std::string p = base + "thresholds";
    if (!t->is_object()) return Bad(p, "must be an object");
    const auto& to = t->as_object();
    const json::value* id = to.if_contains("id");
    if (id == nullptr || !id->is_string() || id->as_string().empty()) {
      return Bad(p + ".id", "missing");
    }
    auto version = Int(to, "version", p, 1, 1000000);
    if (!version.ok()) return version.status();
    auto m = Cutoffs(to, "mother", p);
    if (!m.ok()) return m.status();
    auto f = Cutoffs(to, "father", p);
    if (!f.ok()) return f.status();
    auto c = Cutoffs(to, "coparent", p);
    if (!c.ok()) return c.status();
    thresholds_ = ThresholdSet{std::string(id->as_string()), *version, *m, *f, *c};
  }
  if (const json::value* v = o.if_contains("orientation")) {
    const std::string p = base + "orientation";
    if (!v->is_object()) return Bad(p, "must be an object");
    const auto& oo = v->as_object();
    for (Band b : {Band::kLow, Band::kWatch, Band::kPossible, Band::kProbable}) {
      const std::string key(ToString(b));
      std::string bp = p;
      bp += '.';
      bp += key;
      const json::value* bv = oo.if_contains(key);
      if (bv == nullptr || !bv->is_object()) return Bad(bp, "missing");
      const auto& bo = bv->as_object();
      BandRule rule;
      auto level = Level(bo, "level", bp);
      if (!level.ok()) return level.status();
      auto with_v = Level(bo, "with_vulnerability", bp);
      if (!with_v.ok()) return with_v.status();
      auto rescreen = OptionalInt(bo, "rescreen_days", bp, 365);
      auto within_d = OptionalInt(bo, "within_days", bp, 365);
      auto within_h = OptionalInt(bo, "within_hours", bp, 24 * 365);
      for (const Status* s : {&rescreen.status(), &within_d.status(), &within_h.status()}) {
        if (!s->ok()) return *s;
      }
      rule.level = *level;
      rule.with_vulnerability = MaxLevel(*level, *with_v);
      rule.rescreen_days = *rescreen;
      rule.within_days = *within_d;
      rule.within_hours = *within_h;
      rules_[static_cast<int>(b)] = rule;
    }
    auto min10 = Level(oo, "item10_minimum_follow_up", p);
    if (!min10.ok()) return min10.status();
    item10_minimum_ = *min10;
    if (oo.contains("item10_within_hours")) {
      auto h = Int(oo, "item10_within_hours", p, 1, 24 * 365);
      if (!h.ok()) return h.status();
      item10_within_hours_ = *h;
    }
  }
  if (const json::value* v = o.if_contains("urgency")) {
    const std::string p = base + "urgency";
    if (!v->is_object()) return Bad(p, "must be an object");
    auto u10 = UrgencyAt(v->as_object(), "item10", p);
    if (!u10.ok()) return u10.status();
    urgency_item10_ = *u10;
    for (Band b : {Band::kLow, Band::kWatch, Band::kPossible, Band::kProbable}) {
      auto u = UrgencyAt(v->as_object(), std::string(ToString(b)).c_str(), p);
      if (!u.ok()) return u.status();
      urgency_[static_cast<int>(b)] = *u;
    }
  }
  if (const json::value* v = o.if_contains("timing")) {
    const std::string p = base + "timing";
    if (!v->is_object()) return Bad(p, "must be an object");
    auto a = Int(v->as_object(), "validated_from_week", p, 0, 52);
    auto b = Int(v->as_object(), "baby_blues_until_week", p, 0, 52);
    auto c = Int(v->as_object(), "second_peak_week", p, 1, 52);
    for (const Status* s : {&a.status(), &b.status(), &c.status()}) {
      if (!s->ok()) return *s;
    }
    timing_ = TimingRules{*a, *b, *c};
    for (auto [key, field] : {std::pair{"epnp_from_week", &TimingRules::epnp_from_week},
                              std::pair{"epnp_until_week", &TimingRules::epnp_until_week}}) {
      if (!v->as_object().contains(key)) continue;
      auto w = Int(v->as_object(), key, p, 1, 52);
      if (!w.ok()) return w.status();
      timing_.*field = *w;
    }
    if (timing_.epnp_until_week < timing_.epnp_from_week) {
      return Bad(p + ".epnp_until_week", "must not be before epnp_from_week");
    }
  }
  return Status::Ok();
}

Band PathwayRules::BandFor(Respondent r, int score) const {
  const BandCutoffs& c = thresholds_.For(r);
  if (score >= c.probable) return Band::kProbable;
  if (score >= c.possible) return Band::kPossible;
  if (score >= c.watch) return Band::kWatch;
  return Band::kLow;
}

Orientation PathwayRules::Assess(const AssessmentInput& in) const {
  Orientation o;
  o.band = BandFor(in.respondent, in.score);
  const BandRule& rule = rules_[static_cast<int>(o.band)];
  const CareLevel band_level = in.vulnerability ? rule.with_vulnerability : rule.level;
  o.rescreen_days = rule.rescreen_days;
  o.within_days = rule.within_days;
  o.within_hours = rule.within_hours;
  o.urgency = urgency_[static_cast<int>(o.band)];
  o.crisis = in.item10_positive;
  if (o.crisis) {
    // Whatever the band: a professional assessment within item10_within_hours,
    // or sooner when the band asks for less.
    o.level = CareLevel::kEmergency;
    o.follow_up_level = MaxLevel(band_level, item10_minimum_);
    o.urgency = urgency_item10_;
    int hours = item10_within_hours_;
    if (rule.within_hours) hours = std::min(hours, *rule.within_hours);
    if (rule.within_days) hours = std::min(hours, *rule.within_days * 24);
    o.within_hours = hours;
    o.within_days.reset();
  } else {
    o.level = band_level;
    o.follow_up_level = band_level;
  }
  o.baby_blues_note = in.period == Period::kPostnatal && in.child_age_weeks.has_value() &&
                      *in.child_age_weeks < timing_.baby_blues_until_week;
  return o;
}

int PathwayRules::ReminderDays(const AssessmentInput& in, const Orientation& o) const {
  if (o.rescreen_days) return *o.rescreen_days;
  if (in.period == Period::kPostnatal && in.child_age_weeks) {
    const int age = *in.child_age_weeks;
    if (o.baby_blues_note) return std::max(1, (timing_.validated_from_week - age) * 7);
    if (age < timing_.second_peak_week) return (timing_.second_peak_week - age) * 7;
  }
  return 28;
}

}  // namespace parcours::domain
