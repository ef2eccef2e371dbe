// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/base/huge_pages.h"

#include <cstdint>
#include <fstream>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace jiceng {
namespace {

// The VmFlags of the mapping of /proc/self/smaps holding `p`, or "" where
// there is no such file (not Linux).
std::string VmFlagsOf(const void* p) {
  std::ifstream smaps("/proc/self/smaps");
  const uintptr_t at = reinterpret_cast<uintptr_t>(p);
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    const std::vector<absl::string_view> range =
        absl::StrSplit(absl::string_view(line).substr(0, line.find(' ')), '-');
    uint64_t lo = 0, hi = 0;
    if (range.size() == 2 && absl::SimpleHexAtoi(range[0], &lo) &&
        absl::SimpleHexAtoi(range[1], &hi)) {
      inside = lo <= at && at < hi;
      continue;
    }
    if (inside && absl::StartsWith(line, "VmFlags:")) return line;
  }
  return "";
}

TEST(HugePageAllocator, SmallVectorsAreOrdinary) {
  HugePageVector<uint32_t> v(1000);
  std::iota(v.begin(), v.end(), 0u);
  EXPECT_EQ(v[999], 999u);
  EXPECT_FALSE(internal_huge_pages::Mapped(v.capacity() * sizeof(uint32_t)));
  HugePageVector<uint32_t> empty;
  EXPECT_TRUE(empty.empty());
}

TEST(HugePageAllocator, BigVectorsGrowCopyAndMoveLikeAnyVector) {
  HugePageVector<uint64_t> v;
  // Grows through both kinds of allocation: ordinary ones, then mapped.
  for (uint64_t i = 0; i < 3 * (kHugePageBytes / sizeof(uint64_t)); ++i) {
    v.push_back(i * 7);
  }
  for (size_t i = 0; i < v.size(); i += 4097) ASSERT_EQ(v[i], i * 7);
  HugePageVector<uint64_t> copy = v;
  EXPECT_EQ(copy, v);
  HugePageVector<uint64_t> moved = std::move(copy);
  EXPECT_EQ(moved, v);
  moved.resize(10);
  moved.shrink_to_fit();
  EXPECT_EQ(moved.back(), 63u);
  v.assign(kHugePageBytes, 1);
  EXPECT_EQ(v[kHugePageBytes - 1], 1u);
  v.clear();
  v.shrink_to_fit();
  EXPECT_EQ(v.capacity(), 0u);
}

#if defined(__linux__)
TEST(HugePageAllocator, BigAllocationsStartAtAHugePageAndAreAdvised) {
  // Not a whole number of pages: the mapping still covers every byte.
  const size_t n = 5 * kHugePageBytes / sizeof(uint32_t) + 3;
  HugePageVector<uint32_t> v(n, 0xA5A5A5A5u);
  ASSERT_TRUE(internal_huge_pages::Mapped(n * sizeof(uint32_t)));
  EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % kHugePageBytes, 0u);
  EXPECT_EQ(v[n - 1], 0xA5A5A5A5u);
  const std::string flags = VmFlagsOf(v.data());
  if (flags.empty()) GTEST_SKIP() << "no /proc/self/smaps";
  // "hg": advised MADV_HUGEPAGE (whether the kernel then uses huge pages
  // depends on its settings, not on us).
  EXPECT_NE(flags.find(" hg"), std::string::npos) << flags;
}
#endif

}  // namespace
}  // namespace jiceng
