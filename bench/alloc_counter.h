// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Benchmark-only: counts heap allocations. Linking alloc_counter.cc into a
// benchmark replaces the global operator new with one that bumps a
// thread-local counter (thread-local, so that counting does not serialise
// threads) and then calls malloc.
//
// Example:
//   const int64_t before = jiceng::bench::Allocations();
//   router.Route(c, &r);
//   allocs += jiceng::bench::Allocations() - before;

#ifndef JICENG_BENCH_ALLOC_COUNTER_H_
#define JICENG_BENCH_ALLOC_COUNTER_H_

#include <cstdint>

namespace jiceng {
namespace bench {

// operator new calls made by this thread so far.
int64_t Allocations();

// The process's resident set size now and at its peak, in bytes (from
// /proc/self/status; 0 where unavailable).
int64_t ResidentBytes();
int64_t PeakResidentBytes();

}  // namespace bench
}  // namespace jiceng

#endif  // JICENG_BENCH_ALLOC_COUNTER_H_
