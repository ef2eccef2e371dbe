// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// glibc lets a program interpose malloc, calloc and realloc; the originals
// stay reachable as __libc_malloc and friends. Only allocations are
// counted (free is passed through), so free and delete need no wrapping
// beyond the forms the standard requires to be replaced together.

#include "tests/alloc_counter.h"

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define JICENG_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JICENG_TEST_ASAN 1
#endif
#endif

// ThreadSanitizer's C++ runtime defines operator new and delete itself
// (strong symbols: a second definition fails to link) and owns malloc:
// nothing is replaced, nothing counted (AllocationCountingAvailable()).
#if defined(__SANITIZE_THREAD__)
#define JICENG_TEST_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define JICENG_TEST_TSAN 1
#endif
#endif

#ifdef JICENG_TEST_ASAN
// ASan intercepts malloc: operator new allocates through it.
#define JICENG_TEST_MALLOC std::malloc
#else
extern "C" {
void* __libc_malloc(size_t size);
void* __libc_calloc(size_t n, size_t size);
void* __libc_realloc(void* p, size_t size);
void __libc_free(void* p);
}
#define JICENG_TEST_MALLOC __libc_malloc
#endif

namespace jiceng_test {
namespace {

std::atomic<int> g_scopes{0};
std::atomic<int64_t> g_count{0};
// Allocations left before the armed failure; negative: disarmed.
std::atomic<int64_t> g_fail_in{-1};
std::atomic<bool> g_failed{false};
// The calling thread's allocations: in the program's static TLS, so that
// counting needs neither an allocation nor a lock.
thread_local int64_t t_count = 0;

#ifndef JICENG_TEST_TSAN
// What every replaced allocation function does first.
void Count() {
  ++t_count;
  if (g_scopes.load(std::memory_order_relaxed) > 0) {
    g_count.fetch_add(1, std::memory_order_relaxed);
  }
}

// Whether this operator new must fail.
bool NewMustFail() {
  if (g_fail_in.load(std::memory_order_relaxed) < 0) return false;
  if (g_fail_in.fetch_sub(1, std::memory_order_acq_rel) == 0) {
    g_failed.store(true, std::memory_order_release);
    return true;
  }
  return false;
}

void* NewOrNull(size_t size, size_t alignment) {
  Count();
  if (NewMustFail()) return nullptr;
  if (size == 0) size = 1;
  if (alignment <= alignof(std::max_align_t)) return JICENG_TEST_MALLOC(size);
  void* p = nullptr;
  return posix_memalign(&p, alignment, size) == 0 ? p : nullptr;
}

void* NewOrThrow(size_t size, size_t alignment) {
  void* p = NewOrNull(size, alignment);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
#endif  // JICENG_TEST_TSAN

// The value of `field` (e.g. "VmRSS:") in /proc/self/status, in kB; 0
// where unavailable. Reads with stdio into a stack buffer.
int64_t StatusKilobytes(const char* field) {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return 0;
  char line[256];
  int64_t kb = 0;
  const size_t n = std::strlen(field);
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::strncmp(line, field, n) == 0) {
      kb = std::strtoll(line + n, nullptr, 10);
      break;
    }
  }
  std::fclose(f);
  return kb;
}

}  // namespace

int64_t AllocationCount() { return g_count.load(std::memory_order_relaxed); }

int64_t ThreadAllocationCount() { return t_count; }

int64_t ResidentBytes() { return StatusKilobytes("VmRSS:") * 1024; }

int64_t PeakResidentBytes() { return StatusKilobytes("VmHWM:") * 1024; }

void FailNewAfter(int64_t n) {
  g_failed.store(false, std::memory_order_release);
  g_fail_in.store(n < 0 ? -1 : n, std::memory_order_release);
}

bool NewFailureTriggered() { return g_failed.load(std::memory_order_acquire); }

bool MallocCounted() {
#if defined(JICENG_TEST_ASAN) || defined(JICENG_TEST_TSAN)
  return false;
#else
  return true;
#endif
}

bool AllocationCountingAvailable() {
#ifdef JICENG_TEST_TSAN
  return false;
#else
  return true;
#endif
}

AllocationScope::AllocationScope() {
  g_scopes.fetch_add(1, std::memory_order_acq_rel);
  start_ = AllocationCount();
}

AllocationScope::~AllocationScope() {
  g_scopes.fetch_sub(1, std::memory_order_acq_rel);
}

}  // namespace jiceng_test

#ifndef JICENG_TEST_TSAN
using jiceng_test::NewOrNull;
using jiceng_test::NewOrThrow;

#ifndef JICENG_TEST_ASAN
extern "C" {
void* malloc(size_t size) {
  jiceng_test::Count();
  return __libc_malloc(size);
}
void* calloc(size_t n, size_t size) {
  jiceng_test::Count();
  return __libc_calloc(n, size);
}
void* realloc(void* p, size_t size) {
  jiceng_test::Count();
  return __libc_realloc(p, size);
}
}
#endif  // JICENG_TEST_ASAN

void* operator new(size_t n) { return NewOrThrow(n, 0); }
void* operator new[](size_t n) { return NewOrThrow(n, 0); }
void* operator new(size_t n, const std::nothrow_t&) noexcept {
  return NewOrNull(n, 0);
}
void* operator new[](size_t n, const std::nothrow_t&) noexcept {
  return NewOrNull(n, 0);
}
void* operator new(size_t n, std::align_val_t a) {
  return NewOrThrow(n, static_cast<size_t>(a));
}
void* operator new[](size_t n, std::align_val_t a) {
  return NewOrThrow(n, static_cast<size_t>(a));
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, size_t, std::align_val_t) noexcept {
  std::free(p);
}
#endif  // JICENG_TEST_TSAN
