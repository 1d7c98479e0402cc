#include "cli/territory_commands.h"

#include <cstdio>
#include <string>

#include "app/clock.h"
#include "app/demo_mode.h"
#include "app/pathway_config.h"
#include "app/recontact_gate.h"
#include "cli/cli_common.h"
#include "domain/pathway/opening_hours.h"
#include "storage/storage.h"

namespace parcours::cli {
namespace {

int Usage() {
  std::fprintf(stderr,
               "usage: parcours territory holidays CODE YEAR\n"
               "       parcours territory deadline CODE immediate|24h|72h|7d YYYY-MM-DDTHH:MM\n");
  return 2;
}

std::string Two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

std::string FormatLocal(const domain::LocalTime& t) {
  return std::to_string(t.year) + "-" + Two(t.month) + "-" + Two(t.day) + "T" + Two(t.hour) + ":" +
         Two(t.minute);
}

// "YYYY-MM-DDTHH:MM" as local wall-clock parts.
std::optional<domain::LocalTime> ParseLocal(const std::string& s) {
  if (s.size() != 16 || s[10] != 'T' || s[13] != ':') return std::nullopt;
  auto date = domain::ParseIsoDate(s.substr(0, 10));
  if (!date) return std::nullopt;
  for (std::size_t i : {11u, 12u, 14u, 15u}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  domain::LocalTime t;
  t.year = date->year;
  t.month = date->month;
  t.day = date->day;
  t.hour = (s[11] - '0') * 10 + (s[12] - '0');
  t.minute = (s[14] - '0') * 10 + (s[15] - '0');
  if (t.hour > 23 || t.minute > 59) return std::nullopt;
  return t;
}

int Holidays(const domain::Territory& t, const std::string& year_text) {
  int year = 0;
  for (char ch : year_text) {
    if (ch < '0' || ch > '9') return Usage();
    year = year * 10 + (ch - '0');
  }
  if (year_text.size() != 4) return Usage();
  for (const auto& [date, name] : t.recontact.closed_days.InYear(year)) {
    std::printf("%s\t%s\n", domain::ToIsoDate(date).c_str(), name.c_str());
  }
  return 0;
}

int Deadline(const Config& c, const app::PathwayConfig& config, const domain::Territory& t,
             const std::string& urgency_text, const std::string& when) {
  auto urgency = domain::ParseUrgency(urgency_text);
  auto local = ParseLocal(when);
  if (!urgency || !local) return Usage();
  auto storage = storage::OpenStorage(c.Get("database"), 1);
  if (!storage.ok()) return FailMessage(storage.status());
  app::SystemClock clock;
  app::DemoMode demo(**storage, config, clock);
  // The deadline as the hours make it: whether an account is there to
  // answer is not this command's question (no account check).
  app::RecontactGate gate(&demo, nullptr);
  auto terms = gate.Terms(t);
  const domain::TimestampMs raised = domain::FromLocal(t.time_zone, *local);
  const domain::RecontactConfig closed;
  const domain::TimestampMs due =
      domain::AlertDeadline(terms ? *terms : closed, t.time_zone, *urgency, raised);
  std::printf("raised\t%s %s\n", FormatLocal(domain::ToLocal(t.time_zone, raised)).c_str(),
              t.time_zone.c_str());
  std::printf("due\t%s %s\n", FormatLocal(domain::ToLocal(t.time_zone, due)).c_str(),
              t.time_zone.c_str());
  std::printf("due_utc_ms\t%lld\n", static_cast<long long>(due));
  std::printf("recontact\t%s\n", terms ? "open" : "closed (no opening hours: elapsed time)");
  return 0;
}

}  // namespace

int TerritoryCommand(const Config& c) {
  const auto& args = c.positional();
  if (args.size() < 2) return Usage();
  auto config = app::PathwayConfig::Load(ShareDir(c));
  if (!config.ok()) return FailMessage(config.status());
  const domain::Territory* t = config->territories().Find(args[1]);
  if (t == nullptr || t->outside()) {
    return FailMessage(Status::NotFound("no territory \"" + args[1] + "\" in data/territories"));
  }
  if (args[0] == "holidays" && args.size() == 3) return Holidays(*t, args[2]);
  if (args[0] == "deadline" && args.size() == 4) return Deadline(c, *config, *t, args[2], args[3]);
  return Usage();
}

}  // namespace parcours::cli
