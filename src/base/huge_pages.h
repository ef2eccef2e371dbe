// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// HugePageAllocator: a std::allocator for the big flat tables that routing
// reads at random (region keys and nodes and their sorted copies, the
// township row numbers, the village committees by region, the
// per-township delegation entries). Tables under
// 2 MiB (the code directory, the delegation filter) gain nothing from it
// and keep std::vector. An allocation of at least
// kHugePageBytes is mapped on its own at a 2 MiB boundary and advised for
// transparent huge pages (madvise MADV_HUGEPAGE) before anything touches
// it, so that the kernel backs it with 2 MiB pages where it can. A
// province-scale engine spreads a case's ~25 cache lines over ~50 MB:
// with 4 KiB pages nearly every one of them also misses the TLB and costs
// a page walk; with 2 MiB pages the tables' translations fit the TLB.
//
// It only advises: where the kernel has transparent huge pages off
// ("never"), or no 2 MiB page is free, the memory is ordinary 4 KiB pages
// and everything works the same. Smaller allocations, and platforms
// without MADV_HUGEPAGE, use operator new. The mapping is not rounded up
// to a whole huge page (its tail stays in small pages), so resident memory
// does not grow. Out of memory throws std::bad_alloc, as operator new
// does.
//
// Example:
//   HugePageVector<uint64_t> keys(n);  // a std::vector with this allocator
//
// Thread safety: stateless; allocate and deallocate from any thread.

#ifndef JICENG_SRC_BASE_HUGE_PAGES_H_
#define JICENG_SRC_BASE_HUGE_PAGES_H_

#include <cstddef>
#include <new>
#include <vector>

namespace jiceng {
namespace internal_huge_pages {

// Whether an allocation of `bytes` is mapped on its own (and advised).
bool Mapped(size_t bytes);
// A mapping of `bytes` at a 2 MiB boundary, advised for huge pages; throws
// std::bad_alloc when the system refuses.
void* Map(size_t bytes);
void Unmap(void* p, size_t bytes);

}  // namespace internal_huge_pages

// The smallest allocation that gets its own advised mapping: one huge page
// (a smaller one could not hold a whole one).
inline constexpr size_t kHugePageBytes = size_t{2} << 20;

template <typename T>
class HugePageAllocator {
 public:
  using value_type = T;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: rebinding

  T* allocate(size_t n) {
    if (n > static_cast<size_t>(-1) / sizeof(T)) throw std::bad_alloc();
    const size_t bytes = n * sizeof(T);
    if (internal_huge_pages::Mapped(bytes)) {
      return static_cast<T*>(internal_huge_pages::Map(bytes));
    }
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, size_t n) {
    const size_t bytes = n * sizeof(T);
    if (internal_huge_pages::Mapped(bytes)) {
      internal_huge_pages::Unmap(p, bytes);
    } else {
      std::allocator<T>().deallocate(p, n);
    }
  }

  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const { return true; }
  template <typename U>
  bool operator!=(const HugePageAllocator<U>&) const { return false; }
};

template <typename T>
using HugePageVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace jiceng

#endif  // JICENG_SRC_BASE_HUGE_PAGES_H_
