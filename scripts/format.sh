#!/usr/bin/env bash
# Formats every C++ source of the project in place (.clang-format).
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files -co --exclude-standard 'src/*.h' 'src/*.cpp' 'tests/*.h' 'tests/*.cpp' 'bench/*.cpp' 'fuzz/*.cpp' | xargs -r clang-format -i
