#!/usr/bin/env bash
# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
#
# Compares benchmark binaries on a machine whose speed drifts (a shared
# VM): runs them alternately N times, so that each sees the same
# conditions, and prints each run's time, rate and latency counters. Take
# the best of the runs of each binary.
#
#   N=4 bench/ab.sh old/router_benchmark build-release/bench/router_benchmark
#
# FILTER (default 'Route$|RouteMany|RouteHot|Latency') selects benchmarks.
set -euo pipefail
N=${N:-3}
FILTER=${FILTER:-'Route$|RouteMany|RouteHot|Latency'}
for i in $(seq "$N"); do
  for b in "$@"; do
    echo "== $b run $i"
    "$b" --benchmark_min_time=0.3 --benchmark_filter="$FILTER" 2>&1 |
      grep '^BM_' | sed -E 's/ +/ /g' |
      awk '{printf "%s %s %s", $1, $2, $3;
            for (i = 4; i <= NF; i++)
              if ($i ~ /items_per_second|p50|p99_/) printf " %s", $i;
            print ""}'
  done
done
