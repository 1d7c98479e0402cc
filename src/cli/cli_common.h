// Helpers shared by the `parcours` subcommands: error reporting, the actor
// recorded in the audit log, list settings, and opening the database and
// the contact key as `serve` does.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/config.h"
#include "core/status.h"

namespace parcours::storage {
class Storage;
}

namespace parcours::cli {

// Prints "parcours: FIELD: MESSAGE" (several field errors, joined by '\n',
// as a list) on stderr; returns the exit code: 2 for bad input
// (InvalidArgument, NotFound), 1 otherwise.
int Fail(const Status& st);
// The same without the field: for messages that already name it (settings,
// data files).
int FailMessage(const Status& st);

// Who the audit log names for a command: --actor, else "cli:$USER".
std::string Actor(const Config& c);

// "a, b,,c" -> {"a", "b", "c"}: comma-separated items, blanks trimmed, empty
// items dropped.
std::vector<std::string> SplitList(const std::string& s);

// --share-dir, else the installed default.
std::string ShareDir(const Config& c);

// Opens --database with --db-pool connections (creating a SQLite file's
// directory) and applies the migrations.
Result<std::unique_ptr<storage::Storage>> OpenDatabase(const Config& c);

// The contact key file as `serve` finds it: --key-file, else contact.key
// beside the SQLite file (required with PostgreSQL).
Result<std::string> KeyFile(const Config& c);

}  // namespace parcours::cli
