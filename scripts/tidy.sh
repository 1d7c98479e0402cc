#!/usr/bin/env bash
# clang-tidy over the project's .cpp files, using BUILD_DIR/compile_commands.json.
# Results are cached by content (file + .clang-tidy + compiler flags), so an
# unchanged file is not analysed again. Exit 1 on any finding.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-asan}
cache="$build/tidy-cache"
mkdir -p "$cache"
cfg=$(sha256sum .clang-tidy | cut -c1-16)
todo=()
for f in $(git ls-files -co --exclude-standard 'src/*.cpp'); do
  key=$(cat "$f" | sha256sum | cut -c1-24)-$cfg
  [ -f "$cache/$key" ] || todo+=("$f:$key")
done
[ ${#todo[@]} -eq 0 ] && { echo "clang-tidy: nothing changed"; exit 0; }
echo "clang-tidy: ${#todo[@]} file(s)"
status=0
printf '%s\n' "${todo[@]}" | xargs -P "$(nproc)" -I{} sh -c '
  f=${1%%:*}; key=${1##*:}
  if clang-tidy -quiet -p "'"$build"'" "$f" >"'"$cache"'/$key.log" 2>&1; then
    mv "'"$cache"'/$key.log" "'"$cache"'/$key"
  else
    cat "'"$cache"'/$key.log"; exit 1
  fi' _ {} || status=1
exit $status
