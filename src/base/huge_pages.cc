// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/base/huge_pages.h"

#include <cstdint>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace jiceng {
namespace internal_huge_pages {

#if defined(__linux__) && defined(MADV_HUGEPAGE)

namespace {

size_t PageBytes() {
  static const size_t page = [] {
    const long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? static_cast<size_t>(p) : size_t{4096};
  }();
  return page;
}

size_t RoundUp(size_t n, size_t to) { return (n + to - 1) / to * to; }

}  // namespace

bool Mapped(size_t bytes) { return bytes >= kHugePageBytes; }

void* Map(size_t bytes) {
  const size_t length = RoundUp(bytes, PageBytes());
  if (length < bytes || length > SIZE_MAX - kHugePageBytes) {
    throw std::bad_alloc();
  }
  // Over-map by one huge page, then trim both ends so that what is left
  // starts at a 2 MiB boundary.
  const size_t mapped = length + kHugePageBytes;
  void* p = mmap(nullptr, mapped, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  const uintptr_t begin = reinterpret_cast<uintptr_t>(p);
  const uintptr_t aligned = RoundUp(begin, kHugePageBytes);
  if (aligned > begin) munmap(p, aligned - begin);
  const uintptr_t end = begin + mapped;
  if (end > aligned + length) {
    munmap(reinterpret_cast<void*>(aligned + length), end - (aligned + length));
  }
  void* out = reinterpret_cast<void*>(aligned);
  // Only advice: refused (THP "never", an old kernel), the pages are
  // ordinary ones.
  (void)madvise(out, length, MADV_HUGEPAGE);
  return out;
}

void Unmap(void* p, size_t bytes) { munmap(p, RoundUp(bytes, PageBytes())); }

#else

bool Mapped(size_t) { return false; }
void* Map(size_t) { throw std::bad_alloc(); }
void Unmap(void*, size_t) {}

#endif

}  // namespace internal_huge_pages
}  // namespace jiceng
