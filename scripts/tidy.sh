#!/usr/bin/env bash
# clang-tidy over the project's .cpp files, using BUILD_DIR/compile_commands.json.
# Results are kept by content (file + .clang-tidy): a file whose content was
# already found clean is not analysed again. Two records of clean files:
#   - BUILD_DIR/tidy-cache/KEY, this checkout's own runs;
#   - .tidy-clean (committed), the keys of every file of the last run that
#     found the whole tree clean, so a fresh clone (CI) analyses only what
#     changed since. A changed .cpp or .clang-tidy changes its key: it is
#     analysed again. (Like the cache, a key covers the .cpp, not the
#     headers it includes.)
# Exit 1 on any finding. TIDY_ALL=1 ignores both records.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-asan}
cache="$build/tidy-cache"
mkdir -p "$cache"
cfg=$(sha256sum .clang-tidy | cut -c1-16)
declare -A clean=()
if [ "${TIDY_ALL:-0}" != 1 ] && [ -f .tidy-clean ]; then
  while read -r k; do [ -n "$k" ] && clean[$k]=1; done < .tidy-clean
fi
todo=()
keys=()
for f in $(git ls-files -co --exclude-standard 'src/*.cpp'); do
  key=$(sha256sum < "$f" | cut -c1-24)-$cfg
  keys+=("$key")
  if [ "${TIDY_ALL:-0}" = 1 ] || { [ ! -f "$cache/$key" ] && [ -z "${clean[$key]:-}" ]; }; then
    todo+=("$f:$key")
  fi
done
record_clean() { printf '%s\n' "${keys[@]}" | sort -u > .tidy-clean; }
if [ ${#todo[@]} -eq 0 ]; then
  echo "clang-tidy: nothing changed"
  record_clean
  exit 0
fi
echo "clang-tidy: ${#todo[@]} file(s)"
status=0
printf '%s\n' "${todo[@]}" | xargs -P "$(nproc)" -I{} sh -c '
  f=${1%%:*}; key=${1##*:}
  if clang-tidy -quiet -p "'"$build"'" "$f" >"'"$cache"'/$key.log" 2>&1; then
    mv "'"$cache"'/$key.log" "'"$cache"'/$key"
  else
    cat "'"$cache"'/$key.log"; exit 1
  fi' _ {} || status=1
[ $status -eq 0 ] && record_clean
exit $status
