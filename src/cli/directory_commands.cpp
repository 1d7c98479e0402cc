#include "cli/directory_commands.h"

#include <charconv>
#include <cstdio>
#include <string>

#include "app/clock.h"
#include "app/demo_mode.h"
#include "app/directory/demo_directory.h"
#include "app/directory/directory_import.h"
#include "app/directory/resource_admin.h"
#include "app/pathway_config.h"
#include "cli/cli_common.h"
#include "cli/user_commands.h"
#include "domain/directory/commune_code.h"
#include "domain/directory/experiment_territories.h"
#include "domain/directory/resource.h"
#include "storage/storage.h"

namespace parcours::cli {
namespace {

int Usage(const char* text) {
  std::fprintf(stderr, "usage: %s\n", text);
  return 2;
}

Result<std::int64_t> ParseId(const std::string& s) {
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || p != s.data() + s.size() || id <= 0) {
    return Status::InvalidArgument("id", "'" + s + "' is not a resource id");
  }
  return id;
}

Result<app::FieldValues> ParseFields(const std::vector<std::string>& args, std::size_t from) {
  app::FieldValues out;
  for (std::size_t i = from; i < args.size(); ++i) {
    auto eq = args[i].find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument(args[i], "expected field=value, got '" + args[i] + "'");
    }
    out.emplace_back(args[i].substr(0, eq), args[i].substr(eq + 1));
  }
  return out;
}

void PrintResource(const storage::ResourceRecord& r) {
  std::printf("resource %lld (%s%s%s) %s, %s\n", static_cast<long long>(r.id), r.source.c_str(),
              r.active ? "" : ", inactive", r.published ? ", published" : ", unpublished",
              std::string(domain::ToString(r.resource.kind)).c_str(), r.resource.name.c_str());
  for (std::string_view f : domain::FieldNames()) {
    std::string v = domain::FieldValue(r.resource, f);
    if (v.empty()) continue;
    const bool manual =
        std::find(r.manual_fields.begin(), r.manual_fields.end(), f) != r.manual_fields.end();
    std::printf("  %-17s %s%s\n", std::string(f).c_str(), v.c_str(), manual ? "  [by hand]" : "");
  }
}

}  // namespace

int ImportCommand(const Config& c) {
  const auto& args = c.positional();
  if (args.size() != 2 || (args[0] != "rpps" && args[0] != "finess" && args[0] != "communes")) {
    return Usage("parcours import rpps|finess|communes FILE [--dry-run] [--territory CODES]");
  }
  app::ImportOptions options;
  options.dry_run = c.Get("dry-run") == "true";
  options.actor = Actor(c);
  for (const auto& code : SplitList(c.Get("territory"))) {
    const auto* t = domain::FindExperimentTerritory(code);
    if (!t) return Fail(Status::InvalidArgument("territory", "unknown territory '" + code + "'"));
    for (auto d : t->departments) options.departments.emplace_back(d);
  }
  auto storage = OpenDatabase(c);
  if (!storage.ok()) return Fail(storage.status());
  app::SystemClock clock;
  Result<app::ImportSummary> r = Status::Internal("unreachable");
  if (args[0] == "rpps") {
    r = app::ImportRpps(**storage, clock, args[1], options);
  } else if (args[0] == "finess") {
    r = app::ImportFiness(**storage, clock, args[1], options);
  } else {
    r = app::ImportCommunes(**storage, args[1], c.Get("format"), options);
  }
  if (!r.ok()) return Fail(r.status());
  std::fputs(app::FormatImportSummary(*r).c_str(), stdout);
  return 0;
}

int ResourceCommand(const Config& c) {
  const auto& args = c.positional();
  const char* usage =
      "parcours resource add field=value...\n"
      "       parcours resource edit ID field=value...\n"
      "       parcours resource show|verify|deactivate|reactivate ID\n"
      "       parcours resource publish|unpublish ID\n"
      "       parcours resource publish|unpublish [--kind KIND] [--territory CODE] [--source S]\n"
      "fields: kind levels name organisation address postcode commune latitude longitude\n"
      "        phone email website opening_notes accepts_fathers teleconsultation\n"
      "        mon_soutien_psy languages rpps finess siret";
  if (args.empty()) return Usage(usage);
  auto storage = OpenDatabase(c);
  if (!storage.ok()) return Fail(storage.status());
  app::SystemClock clock;
  const std::string actor = Actor(c);
  const std::string& action = args[0];
  if (action == "add") {
    auto fields = ParseFields(args, 1);
    if (!fields.ok()) return Fail(fields.status());
    auto r = app::AddResource(**storage, clock, actor, *fields);
    if (!r.ok()) return Fail(r.status());
    PrintResource(*r);
    return 0;
  }
  const bool publish = action == "publish" || action == "unpublish";
  if (publish && args.size() == 1) {
    auto opt = [&](const char* k) -> std::optional<std::string> {
      return c.Get(k).empty() ? std::nullopt : std::optional<std::string>(c.Get(k));
    };
    auto ids = app::PublishWhere(**storage, clock, actor, opt("kind"), opt("territory"),
                                 opt("source"), action == "publish");
    if (!ids.ok()) return Fail(ids.status());
    std::printf("%s %zu resource(s)\n", action == "publish" ? "published" : "unpublished",
                ids->size());
    return 0;
  }
  if (args.size() < 2) return Usage(usage);
  auto id = ParseId(args[1]);
  if (!id.ok()) return Fail(id.status());
  const bool known = action == "edit" || action == "show" || action == "verify" ||
                     action == "deactivate" || action == "reactivate" || publish;
  if (!known || (action != "edit" && args.size() != 2)) return Usage(usage);
  Result<storage::ResourceRecord> r = Status::Internal("unreachable");
  if (action == "edit") {
    auto fields = ParseFields(args, 2);
    if (!fields.ok()) return Fail(fields.status());
    r = app::EditResource(**storage, clock, actor, *id, *fields);
  } else if (action == "show") {
    auto d = app::ShowResource(**storage, *id);
    if (!d.ok()) return Fail(d.status());
    PrintResource(d->record);
    std::printf("history:\n");
    for (const auto& h : d->history) {
      std::printf("  %lld %s %s: %s\n", static_cast<long long>(h.at), h.actor.c_str(),
                  h.action.c_str(), h.detail.c_str());
    }
    return 0;
  } else if (action == "verify") {
    r = app::VerifyResource(**storage, clock, actor, *id);
  } else if (action == "deactivate" || action == "reactivate") {
    r = app::SetResourceActive(**storage, clock, actor, *id, action == "reactivate");
  } else {
    r = app::PublishResource(**storage, clock, actor, *id, action == "publish");
  }
  if (!r.ok()) return Fail(r.status());
  PrintResource(*r);
  return 0;
}

int SubTerritoryCommand(const Config& c) {
  const auto& args = c.positional();
  const char* usage =
      "parcours subterritory set CODE territory=T name=N kind=department|ptsm|communes "
      "members=A,B,...\n"
      "       parcours subterritory list TERRITORY\n"
      "       parcours subterritory of COMMUNE";
  if (args.size() < 2) return Usage(usage);
  auto storage = OpenDatabase(c);
  if (!storage.ok()) return Fail(storage.status());
  if (args[0] == "set") {
    auto fields = ParseFields(args, 2);
    if (!fields.ok()) return Fail(fields.status());
    storage::SubTerritoryRecord s;
    s.code = args[1];
    for (const auto& [k, v] : *fields) {
      if (k == "territory") {
        s.territory_code = v;
      } else if (k == "name") {
        s.name = v;
      } else if (k == "kind") {
        s.kind = v;
      } else if (k == "members") {
        s.members = SplitList(v);
      } else {
        return Fail(Status::InvalidArgument(k, "unknown field (territory, name, kind, members)"));
      }
    }
    auto st = app::ValidateSubTerritory(&s);
    if (!st.ok()) return Fail(st);
    st = (*storage)->Transact(
        [&](storage::Transaction& tx) { return tx.directory().UpsertSubTerritory(s); });
    if (!st.ok()) return Fail(st);
    std::printf("sub-territory %s (%s, %s): %zu member(s)\n", s.code.c_str(), s.kind.c_str(),
                s.territory_code.c_str(), s.members.size());
    return 0;
  }
  if (args.size() != 2 || (args[0] != "list" && args[0] != "of")) return Usage(usage);
  std::vector<storage::SubTerritoryRecord> list;
  Status st = (*storage)->Read([&](storage::Transaction& tx) -> Status {
    auto r = args[0] == "list"
                 ? tx.directory().ListSubTerritories(args[1])
                 : tx.directory().SubTerritoriesOfCommune(domain::NormaliseCommuneCode(args[1]));
    if (!r.ok()) return r.status();
    list = std::move(*r);
    return Status::Ok();
  });
  if (!st.ok()) return Fail(st);
  for (const auto& s : list) {
    std::string members;
    for (const auto& m : s.members) members += (members.empty() ? "" : ",") + m;
    std::printf("%s\t%s\t%s\t%s\t%s\n", s.code.c_str(), s.territory_code.c_str(), s.kind.c_str(),
                s.name.c_str(), members.c_str());
  }
  return 0;
}

int DemoCommand(const Config& c) {
  const auto& args = c.positional();
  if (args.size() != 1 || args[0] != "load") return Usage("parcours demo load");
  auto storage = OpenDatabase(c);
  if (!storage.ok()) return Fail(storage.status());
  const std::string share = ShareDir(c);
  app::SystemClock clock;
  auto config = app::PathwayConfig::Load(share);
  if (!config.ok()) return Fail(config.status());
  auto r = app::LoadDemoDirectory(**storage, clock, share);
  if (!r.ok()) return Fail(r.status());
  std::fputs(app::FormatDemoSummary(*r).c_str(), stdout);
  // Demo mode: the notice on every page, and territories opened for
  // recontact with fictional teams (in the database, never in the files).
  auto opened = app::RecordDemoMode(**storage, *config, clock, share);
  if (!opened.ok()) return Fail(opened.status());
  std::string codes;
  for (const auto& code : *opened) codes += (codes.empty() ? "" : ", ") + code;
  std::printf(
      "demo mode on: every page shows the demo notice; open for recontact (fictional "
      "teams): %s\n",
      codes.c_str());
  // A territory takes requests only while a responder or coordinator
  // account exists there: the demo makes one per territory it opens.
  return DemoResponders(c, *opened);
}

}  // namespace parcours::cli
