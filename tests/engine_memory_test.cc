// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Engine::MemoryBytes against what the allocator actually holds for an
// engine: the account must count every compiled structure (within the
// allocator's own per-block overhead), or engine_MB and bytes per grid in
// the benchmarks would flatter the engine.

#include <malloc.h>

#include <cstddef>
#include <memory>

#include "gtest/gtest.h"
#include "src/engine/engine.h"
#include "src/gen/province_generator.h"
#include "tests/status_matchers.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define JICENG_TEST_OWN_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define JICENG_TEST_OWN_ALLOCATOR 1
#endif
#endif

namespace jiceng {
namespace {

#ifndef JICENG_TEST_OWN_ALLOCATOR
// Bytes in use: small blocks from the arena, large ones mapped.
size_t HeapInUse() {
  const struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}
#endif

TEST(EngineMemory, MemoryBytesAccountsForTheHeapTheEngineHolds) {
#ifdef JICENG_TEST_OWN_ALLOCATOR
  GTEST_SKIP() << "a sanitizer's allocator does not report to mallinfo2";
#else
  const v1::Dataset dataset = GenerateProvince(ProvinceOptions::Small());
  // A first compile sets up what lives for the process (enum name tables,
  // descriptors), so that the measured one holds only its own engine.
  ASSERT_THAT(Engine::Compile(dataset), IsOk());
  const size_t before = HeapInUse();
  auto engine = Engine::Compile(dataset);
  ASSERT_THAT(engine, IsOk());
  // Compile's temporaries are freed by now: what is left is the engine.
  const size_t held = HeapInUse() - before;
  const size_t counted = (*engine)->MemoryBytes();
  // malloc adds 8–16 bytes per block and rounds sizes up; the account
  // leaves those out. Everything else must be there.
  EXPECT_GE(counted, held * 80 / 100) << "held " << held;
  EXPECT_LE(counted, held * 105 / 100) << "held " << held;
#endif
}

}  // namespace
}  // namespace jiceng
