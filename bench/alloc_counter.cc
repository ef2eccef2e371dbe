// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "bench/alloc_counter.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

namespace {
thread_local int64_t g_allocations = 0;

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

void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace jiceng {
namespace bench {

int64_t Allocations() { return g_allocations; }
int64_t ResidentBytes() { return StatusKilobytes("VmRSS:") * 1024; }
int64_t PeakResidentBytes() { return StatusKilobytes("VmHWM:") * 1024; }

}  // namespace bench
}  // namespace jiceng
