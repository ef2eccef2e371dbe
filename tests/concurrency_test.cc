// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// One shared engine, many threads (issue #8): 8 threads run every C ABI
// entry point (route, route_into, batch with its own worker threads,
// service, diff, admission, lifecycle apply and supervise, assessment,
// analysis) on one engine at once while 2 more
// create, use and destroy engines of their own; every thread's output bytes
// equal the single-threaded ones. Saving a snapshot of an engine while
// other threads route on it is a read like any other (the save path once
// wrote to the engine: a race). Built under ThreadSanitizer by the
// tsan preset (label "tsan"), where any data race fails the run.

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "jiceng/jiceng.h"
#include "tests/transcript.h"

namespace jiceng {
namespace {

constexpr int kSharers = 8;
constexpr int kRounds = 2;

TEST(Concurrency, SharedEngineGivesTheSingleThreadedBytes) {
  const SampleInputs& in = SampleInputs::Get();
  jc_engine* engine = nullptr;
  ASSERT_EQ(jc_engine_create_sample(&engine, nullptr), JC_OK);
  const std::string expected = Transcript(engine, in, 1);

  void* dataset = nullptr;
  size_t dataset_size = 0;
  ASSERT_EQ(jc_sample_dataset(&dataset, &dataset_size, nullptr), JC_OK);

  std::atomic<int> mismatches{0};
  std::atomic<int> own_engine_failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kSharers; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        // Odd threads batch with worker threads of their own.
        const int batch_threads = t % 2 == 0 ? 1 : 3;
        if (Transcript(engine, in, batch_threads) != expected) ++mismatches;
      }
    });
  }
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < kRounds; ++round) {
        jc_engine* own = nullptr;
        if (jc_engine_create(dataset, dataset_size, JC_FORMAT_BINARY, &own,
                             nullptr) != JC_OK) {
          ++own_engine_failures;
          continue;
        }
        void* out = nullptr;
        size_t size = 0;
        const std::string& c = in.cases.front();
        if (jc_engine_route(own, c.data(), c.size(), 0, &out, &size,
                            nullptr) != JC_OK) {
          ++own_engine_failures;
        }
        jc_free(out);
        jc_engine_destroy(own);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(own_engine_failures.load(), 0);
  jc_free(dataset);
  jc_engine_destroy(engine);
}

// Snapshots saved of one engine while other threads route cases on it:
// every snapshot has the single-threaded bytes, every decision too (and,
// under TSan, no access of the save path races with routing's reads).
TEST(Concurrency, SaveSnapshotWhileRouting) {
  const SampleInputs& in = SampleInputs::Get();
  jc_engine* engine = nullptr;
  ASSERT_EQ(jc_engine_create_sample(&engine, nullptr), JC_OK);
  void* out = nullptr;
  size_t size = 0;
  ASSERT_EQ(jc_engine_save_snapshot(engine, &out, &size, nullptr), JC_OK);
  const std::string snapshot(static_cast<const char*>(out), size);
  jc_free(out);
  // Each case's status and decision bytes (empty unless JC_OK).
  auto route = [&](const std::string& c) {
    void* d = nullptr;
    size_t n = 0;
    const jc_status s = jc_engine_route(engine, c.data(), c.size(),
                                        JC_ROUTE_EXPLAIN_TEXT, &d, &n, nullptr);
    std::string result = absl::StrCat(static_cast<int>(s), ":");
    if (s == JC_OK) {
      result.append(static_cast<const char*>(d), n);
      jc_free(d);
    }
    return result;
  };
  std::vector<std::string> decisions;
  for (const std::string& c : in.cases) decisions.push_back(route(c));

  constexpr int kRouters = 4;
  constexpr int kSavers = 2;
  // Each saver saves at least this often, and on while routers run (so
  // that saving and routing overlap however the threads are scheduled).
  constexpr int kSaves = 4;
  constexpr int kMaxSaves = 1000;
  std::atomic<int> mismatches{0};
  std::atomic<int> routing{kRouters};
  std::vector<std::thread> threads;
  for (int t = 0; t < kRouters; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < kRounds; ++round) {
        for (size_t i = 0; i < in.cases.size(); ++i) {
          if (route(in.cases[i]) != decisions[i]) ++mismatches;
        }
      }
      --routing;
    });
  }
  for (int t = 0; t < kSavers; ++t) {
    threads.emplace_back([&] {
      for (int round = 0;
           round < kSaves || (routing.load() > 0 && round < kMaxSaves);
           ++round) {
        void* bytes = nullptr;
        size_t n = 0;
        if (jc_engine_save_snapshot(engine, &bytes, &n, nullptr) != JC_OK ||
            std::string(static_cast<const char*>(bytes), n) != snapshot) {
          ++mismatches;
        }
        jc_free(bytes);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
  jc_engine_destroy(engine);
}

}  // namespace
}  // namespace jiceng
