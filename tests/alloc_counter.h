// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Test support, not part of the library: replaces the global operator new
// and delete (every form) and malloc, calloc and realloc of the program
// that links alloc_counter.cc, so that a test or benchmark can count heap
// allocations made by libjiceng.so (and protobuf, Abseil, libstdc++) and
// make one of them fail.
//
// Link it only into programs that use the shared library: replacing the
// allocator is process-wide.
//
// Under AddressSanitizer only operator new and delete are replaced (on top
// of ASan's malloc, so that ASan still checks every access and LSan every
// leak): malloc and friends are then not counted (MallocCounted() is false)
// while failure injection works the same.
//
// Example:
//   jiceng_test::AllocationScope scope;
//   jc_engine_route_into(...);
//   EXPECT_EQ(scope.count(), 0);
//
// Thread safety: the counters are atomic; every thread's allocations count.

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

// Whether AllocationCount() includes malloc, calloc and realloc (false
// under AddressSanitizer, which owns them).
bool MallocCounted();

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
