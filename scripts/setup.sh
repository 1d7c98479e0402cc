#!/usr/bin/env bash
# Installs what is missing on a Debian 12 machine, for `./run` (profile
# "run") or `./test` (profile "test"). Idempotent: does nothing when all is
# there. Needs root (or sudo) only when something must be installed.
set -euo pipefail
profile=${1:-run}
cd "$(dirname "$0")/.."

run_pkgs=(build-essential cmake ninja-build pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libkainjow-mustache-dev
  libsqlite3-dev libpq-dev libsodium-dev libicu-dev libproj-dev proj-data liboath-dev libqrencode-dev
  libcurl4-openssl-dev libssl-dev zlib1g-dev nodejs npm)
test_pkgs=(ccache libgtest-dev libgmock-dev libbenchmark-dev postgresql-15 postgresql-client-15
  chromium clang libclang-rt-14-dev clang-format clang-tidy wrk nginx-light
  postgresql-15-postgis-3 sqlite3 curl procps time python3-jsonschema python3-aiosmtpd)

pkgs=("${run_pkgs[@]}")
if [ "$profile" = test ] || [ "$profile" = bench ]; then pkgs+=("${test_pkgs[@]}"); fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# node and npm may come from elsewhere than Debian (e.g. a newer npm on the image).
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=()
  for p in "${missing[@]}"; do [ "$p" = nodejs ] || [ "$p" = npm ] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Front-end packages (DSFR; playwright-core and axe-core for the tests).
stamp=node_modules/.parcours-stamp
want=$(sha256sum package.json package-lock.json | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
