// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Test and benchmark support, not part of the library: the one allocation
// counter of the tests and benchmarks (CMake target jiceng_alloc_counter,
// an object library). It replaces the global operator new and delete
// (every form) and malloc, calloc and realloc of the program that links
// it, so that a test or benchmark can count heap allocations made by
// jiceng (and protobuf, Abseil, libstdc++) and make one of them fail.
// An allocation is a call of operator new (any form), malloc, calloc or
// realloc.
//
// Two ways to count:
//   - AllocationScope / AllocationCount(): every thread's allocations while
//     a scope lives (one atomic counter; what the tests assert on);
//   - ThreadAllocationCount(): the calling thread's allocations, always
//     counted, in a thread-local counter (no atomics, so threads counting
//     at once do not serialise: what the benchmarks' allocs_per_call use).
//
// Replacing the allocator is process-wide: a program links this instead of
// any other replacement, and never under AddressSanitizer.
//
// Under AddressSanitizer only operator new and delete are replaced (on top
// of ASan's malloc, so that ASan still checks every access and LSan every
// leak): malloc and friends are then not counted (MallocCounted() is false)
// while failure injection works the same.
//
// Under ThreadSanitizer nothing is replaced (its runtime defines operator
// new and delete itself, and a second definition does not link): nothing
// is counted and no failure is injected. AllocationCountingAvailable() is
// false, and the tests that count or inject skip themselves with
// JICENG_TEST_NEEDS_ALLOCATION_COUNTING(), so that every test target builds
// and runs under TSan too.
//
// Example:
//   jiceng_test::AllocationScope scope;
//   jc_engine_route_into(...);
//   EXPECT_EQ(scope.count(), 0);
//
//   const int64_t before = jiceng_test::ThreadAllocationCount();
//   router.Route(c, &r);
//   allocs += jiceng_test::ThreadAllocationCount() - before;
//
// Thread safety: every function may be called from any thread.

#ifndef JICENG_TESTS_ALLOC_COUNTER_H_
#define JICENG_TESTS_ALLOC_COUNTER_H_

#include <cstdint>

namespace jiceng_test {

// Allocations (new and malloc family) since the process started counting;
// counting is on while at least one AllocationScope lives.
int64_t AllocationCount();

// Makes the allocation `n` allocations from now (n >= 0: the next one is
// n = 0) fail: operator new throws std::bad_alloc (nothrow new returns
// nullptr); malloc and friends are never made to fail. A negative `n`
// disarms. Only operator new is failed because code outside the library
// (the C runtime) may not check malloc's result.
void FailNewAfter(int64_t n);

// Whether the armed failure has happened since FailNewAfter.
bool NewFailureTriggered();

// Allocations made by the calling thread since it started (counted with or
// without a scope).
int64_t ThreadAllocationCount();

// The process's resident set size now and at its peak, in bytes (VmRSS and
// VmHWM of /proc/self/status; 0 where unavailable).
int64_t ResidentBytes();
int64_t PeakResidentBytes();

// Whether AllocationCount() includes malloc, calloc and realloc (false
// under AddressSanitizer and ThreadSanitizer, which own them).
bool MallocCounted();

// Whether allocations are counted and failures injected at all (false
// under ThreadSanitizer).
bool AllocationCountingAvailable();

// First statement of a test that counts or fails allocations: skips it
// where that is unavailable (a gtest test only).
#define JICENG_TEST_NEEDS_ALLOCATION_COUNTING()                              \
  if (!::jiceng_test::AllocationCountingAvailable())                        \
  GTEST_SKIP() << "allocation counting is unavailable under ThreadSanitizer"

// Counts allocations while alive.
class AllocationScope {
 public:
  AllocationScope();
  ~AllocationScope();
  AllocationScope(const AllocationScope&) = delete;
  AllocationScope& operator=(const AllocationScope&) = delete;

  // Allocations since this scope began.
  int64_t count() const { return AllocationCount() - start_; }

 private:
  int64_t start_;
};

}  // namespace jiceng_test

#endif  // JICENG_TESTS_ALLOC_COUNTER_H_
