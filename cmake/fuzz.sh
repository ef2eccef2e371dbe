#!/usr/bin/env bash
# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
#
# Longer fuzzing runs than the test suite's (issue #8).
#
#   bash cmake/fuzz.sh [SECONDS] [TARGET...]
#
# Builds the "fuzz" preset (clang, libFuzzer, ASan + UBSan) in build-fuzz/
# and runs each target (default: all of tests/fuzz/) for SECONDS (default
# 600) from its committed seeds, keeping what it finds in
# build-fuzz/fuzz-corpus/<target>/ (reused by the next run) and crashes in
# build-fuzz/fuzz-artifacts/<target>/. Prints executions and coverage per
# target. A crash stops that target and fails the script: reproduce with
#   build-fuzz/tests/fuzz/<target> build-fuzz/fuzz-artifacts/<target>/crash-…
# then add a regression test named after the issue (Issue8_…) and copy the
# input into tests/fuzz/corpus/<target>/.

set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${1:-600}
shift || true
launcher=""
command -v ccache >/dev/null && launcher=ccache
JICENG_LAUNCHER=$launcher cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for dir in tests/fuzz/corpus/*/; do
    targets+=("$(basename "$dir")")
  done
fi

failed=0
for t in "${targets[@]}"; do
  corpus=build-fuzz/fuzz-corpus/$t
  artifacts=build-fuzz/fuzz-artifacts/$t
  mkdir -p "$corpus" "$artifacts"
  echo "== $t: ${seconds} s"
  if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      "build-fuzz/tests/fuzz/$t" -max_total_time="$seconds" \
      -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
      -artifact_prefix="$artifacts/" "$corpus" "tests/fuzz/corpus/$t" \
      2>"build-fuzz/fuzz-$t.log"; then
    echo "   CRASH: see build-fuzz/fuzz-$t.log and $artifacts/"
    failed=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" \
    "build-fuzz/fuzz-$t.log" | sed 's/^/   /'
  tail -n 40 "build-fuzz/fuzz-$t.log" | grep -E "^#[0-9]+.*(DONE|cov:)" |
    tail -n 1 | sed 's/^/   /'
done
exit $failed
