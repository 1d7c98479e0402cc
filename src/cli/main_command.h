// Entry point of the `parcours` program: dispatches subcommands.
#pragma once

namespace parcours::cli {

int Main(int argc, char** argv);

}  // namespace parcours::cli
