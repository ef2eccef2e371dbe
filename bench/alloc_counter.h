// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Benchmark-only: the names the benchmarks use for the one allocation
// counter, tests/alloc_counter.h. A benchmark that includes this links the
// CMake target jiceng_alloc_counter (bench/CMakeLists.txt lists them). An
// allocation is a call of operator new (any form), malloc, calloc or
// realloc.
//
// Example:
//   const int64_t before = jiceng::bench::Allocations();
//   router.Route(c, &r);
//   allocs += jiceng::bench::Allocations() - before;

#ifndef JICENG_BENCH_ALLOC_COUNTER_H_
#define JICENG_BENCH_ALLOC_COUNTER_H_

#include <cstdint>

#include "tests/alloc_counter.h"

namespace jiceng {
namespace bench {

// Allocations made by this thread so far.
inline int64_t Allocations() { return jiceng_test::ThreadAllocationCount(); }

// The process's resident set size now and at its peak, in bytes (from
// /proc/self/status; 0 where unavailable).
inline int64_t ResidentBytes() { return jiceng_test::ResidentBytes(); }
inline int64_t PeakResidentBytes() { return jiceng_test::PeakResidentBytes(); }

}  // namespace bench
}  // namespace jiceng

#endif  // JICENG_BENCH_ALLOC_COUNTER_H_
