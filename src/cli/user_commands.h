// Accounts and audit subcommands: `parcours user …` and `parcours audit export`.
#pragma once

#include <string>
#include <vector>

#include "cli/config.h"

namespace parcours::cli {

// `parcours user add --email E --name N --role R --territory T[,T2] [--phone P]
//  [--password-file F]` prints one line `totp_uri=otpauth://totp/…`;
// `parcours user disable|enable|reset-password|reset-totp EMAIL`, `parcours user list`.
int UserCommand(const Config& c);
// `parcours demo load`: one responder account per territory the demo opens
// (a territory takes recontact requests only with an active responder or
// coordinator, app/recontact_gate.h), fictional and marked so; an existing
// one is kept. Prints one line per territory.
int DemoResponders(const Config& c, const std::vector<std::string>& territories);
// `parcours audit export [--output FILE]`: the whole audit log as JSON lines.
int AuditCommand(const Config& c);

}  // namespace parcours::cli
