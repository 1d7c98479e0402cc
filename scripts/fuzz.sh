#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/*_fuzz.cpp) with clang + ASan + UBSan and
# runs each for SECONDS (default 8) from its seed corpus (fuzz/corpus/NAME/).
# Exit 1 on any crash, leak or sanitizer report. Crash, leak and timeout
# inputs are written to fuzz/artifacts/NAME/ (ignored by git), never to the
# checkout's root; turn one into a regression test and a seed of
# fuzz/corpus/NAME/ (see tests/unit/http/form_regression_test.cpp).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-8}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPARCOURS_FUZZ=ON -DPARCOURS_TESTS=OFF -DPARCOURS_BENCH=OFF >/dev/null
targets=$(ls fuzz/*_fuzz.cpp 2>/dev/null | xargs -rn1 basename | sed 's/\.cpp$//')
[ -n "$targets" ] || { echo "no fuzz targets"; exit 0; }
cmake --build build-fuzz -j"$(nproc)" --target $targets
status=0
for t in $targets; do
  name=${t%_fuzz}
  corpus=$(mktemp -d)
  [ -d "fuzz/corpus/$name" ] && cp -r "fuzz/corpus/$name/." "$corpus/"
  artifacts="fuzz/artifacts/$name"
  mkdir -p "$artifacts"
  if ./build-fuzz/"$t" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" >"build-fuzz/$t.log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "build-fuzz/$t.log" | grep -o '[0-9]*$' || echo "?")
    echo "fuzz $t: ok ($runs inputs in ${seconds}s)"
  else
    echo "fuzz $t: FAILED (input kept in $artifacts/)"; tail -40 "build-fuzz/$t.log"; status=1
  fi
  rm -rf "$corpus"
done
exit $status
