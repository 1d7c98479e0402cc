#include "cli/main_command.h"

int main(int argc, char** argv) { return parcours::cli::Main(argc, argv); }
