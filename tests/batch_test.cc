// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/routing/batch.h"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "src/base/civil_date.h"
#include "src/sample/sample_cases.h"
#include "src/sample/sample_dataset.h"
#include "tests/alloc_counter.h"
#include "tests/catalogue_fixture.h"
#include "tests/status_matchers.h"

namespace jiceng {
namespace {

std::unique_ptr<const Engine> Sample() {
  auto e = Engine::Load(SampleDatasetBinary(), DatasetFormat::kBinary);
  EXPECT_THAT(e, IsOk());
  return e.ok() ? std::move(*e) : nullptr;
}

std::vector<v1::BatchEntry> Entries(const std::string& out) {
  std::vector<absl::string_view> frames;
  EXPECT_THAT(SplitDelimited(out, &frames), IsOk());
  std::vector<v1::BatchEntry> entries;
  for (absl::string_view f : frames) {
    v1::BatchEntry e;
    EXPECT_TRUE(e.ParseFromArray(f.data(), static_cast<int>(f.size())));
    entries.push_back(e);
  }
  return entries;
}

TEST(Batch, ResultsInInputOrderWithErrorsInPlace) {
  auto engine = Sample();
  const Router router(*engine);
  std::vector<v1::Case> cases = SampleCases(*engine);
  ASSERT_GE(cases.size(), 200u);
  std::string in;
  for (const v1::Case& c : cases) AppendDelimited(c, &in);
  // A frame of garbage in the middle.
  std::string garbage = "\x05\xff\xff\xff\xff\xff";
  in.insert(0, garbage);
  auto out = RouteBatch(router, in, BatchOptions{});
  ASSERT_THAT(out, IsOk());
  std::vector<v1::BatchEntry> entries = Entries(*out);
  ASSERT_EQ(entries.size(), cases.size() + 1);
  EXPECT_TRUE(entries[0].has_error());
  EXPECT_EQ(entries[0].error().code(),
            static_cast<int>(absl::StatusCode::kInvalidArgument));
  int errors = 0;
  for (size_t i = 1; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].index(), static_cast<int64_t>(i));
    EXPECT_EQ(entries[i].case_id(), cases[i - 1].id());
    if (entries[i].has_error()) ++errors;
  }
  EXPECT_EQ(errors, 2);  // the sample's two malformed cases
  // Each decision equals the single-case API's.
  for (size_t i = 1; i < entries.size(); i += 37) {
    auto d = router.Decide(cases[i - 1]);
    if (!d.ok()) continue;
    EXPECT_EQ(d->SerializeAsString(),
              entries[i].decision().SerializeAsString());
  }
}

TEST(Batch, IdenticalBytesForAnyThreadCount) {
  auto engine = Sample();
  const Router router(*engine);
  std::string in;
  for (const v1::Case& c : SampleCases(*engine)) AppendDelimited(c, &in);
  auto one = RouteBatch(router, in, BatchOptions{1, {}});
  ASSERT_THAT(one, IsOk());
  for (int threads : {0, 2, 3, 8, 64, 100}) {
    auto many = RouteBatch(router, in, BatchOptions{threads, {}});
    ASSERT_THAT(many, IsOk());
    EXPECT_EQ(*one, *many) << threads << " threads";
  }
  EXPECT_THAT(RouteBatch(router, in, BatchOptions{-1, {}}),
              StatusIs(absl::StatusCode::kInvalidArgument, "threads: -1"));
}

TEST(Batch, TruncatedStreamEndsWithAnErrorEntry) {
  auto engine = Sample();
  const Router router(*engine);
  std::vector<v1::Case> cases = SampleCases(*engine);
  std::string in;
  AppendDelimited(cases[0], &in);
  AppendDelimited(cases[1], &in);
  in.resize(in.size() - 3);
  auto out = RouteBatch(router, in, BatchOptions{});
  ASSERT_THAT(out, IsOk());
  std::vector<v1::BatchEntry> entries = Entries(*out);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_TRUE(entries[0].has_decision());
  EXPECT_TRUE(entries[1].has_error());
  EXPECT_NE(entries[1].error().message().find("frame 1"), std::string::npos);
  // Empty input: empty output.
  auto empty = RouteBatch(router, "", BatchOptions{4, {}});
  ASSERT_THAT(empty, IsOk());
  EXPECT_TRUE(empty->empty());
}

// A stream routed a part at a time, each part told where it stands
// (first_index, first_byte), gives the bytes of one call over the whole
// stream: entry indexes, the errors' case numbers and the final frame
// error's number and offset included, on one thread or several.
TEST(Batch, PartsOfAStreamConcatenateToOneCall) {
  auto engine = Sample();
  const Router router(*engine);
  std::vector<absl::string_view> frames;
  std::string in;
  for (const v1::Case& c : SampleCases(*engine)) AppendDelimited(c, &in);
  // A case of garbage at 100 (its error names "case 100") and a frame
  // running past the end.
  ASSERT_THAT(SplitDelimited(in, &frames), IsOk());
  const size_t at100 =
      static_cast<size_t>(frames[99].data() + frames[99].size() - in.data());
  in.insert(at100, std::string("\x05\xff\xff\xff\xff\xff", 6));
  in += std::string("\x40\x0a\x03", 3);
  auto whole = RouteBatch(router, in, BatchOptions{1, {}});
  ASSERT_THAT(whole, IsOk());
  std::vector<v1::BatchEntry> entries = Entries(*whole);
  ASSERT_GT(entries.size(), 101u);
  EXPECT_THAT(entries[100].error().message(), testing::HasSubstr("case 100"));
  EXPECT_THAT(entries.back().error().message(),
              testing::HasSubstr(absl::StrCat("frame ", entries.size() - 1,
                                              " at byte ", in.size() - 3)));
  frames.clear();
  ASSERT_THAT(SplitDelimited(in, &frames),
              StatusIs(absl::StatusCode::kInvalidArgument, "frame"));
  for (int threads : {1, 2}) {
    for (size_t per : {1u, 7u, 64u, 1000u}) {
      std::string joined;
      for (size_t first = 0; first < frames.size(); first += per) {
        const size_t last = std::min(frames.size(), first + per);
        const size_t begin = first == 0 ? 0 : static_cast<size_t>(
            frames[first - 1].data() + frames[first - 1].size() - in.data());
        // The last part takes the broken tail too.
        const size_t end = last == frames.size()
                               ? in.size()
                               : static_cast<size_t>(frames[last - 1].data() +
                                                     frames[last - 1].size() -
                                                     in.data());
        BatchOptions options;
        options.threads = threads;
        options.first_index = static_cast<int64_t>(first);
        options.first_byte = static_cast<int64_t>(begin);
        auto part = RouteBatch(router, in.substr(begin, end - begin), options);
        ASSERT_THAT(part, IsOk());
        joined += *part;
      }
      const auto differ = std::mismatch(joined.begin(), joined.end(),
                                        whole->begin(), whole->end());
      EXPECT_TRUE(joined == *whole)
          << threads << " threads, " << per << " a part: " << joined.size()
          << " bytes against " << whole->size() << ", first difference at "
          << (differ.first - joined.begin());
    }
  }
  BatchOptions negative;
  negative.first_index = -1;
  EXPECT_THAT(RouteBatch(router, in, negative),
              StatusIs(absl::StatusCode::kInvalidArgument, "first_index: -1"));
  negative.first_index = 0;
  negative.first_byte = -2;
  EXPECT_THAT(RouteBatch(router, in, negative),
              StatusIs(absl::StatusCode::kInvalidArgument, "first_byte: -2"));
}

// The bytes RouteBatch must give for `in`, entry by entry from the
// single-case API (error entries, whose messages it does not give, taken
// from `out` after checking that the case fails there too).
std::string ExpectedBatch(const Router& router, const std::string& in,
                          const std::string& out) {
  std::vector<absl::string_view> frames;
  EXPECT_THAT(SplitDelimited(in, &frames), IsOk());
  std::vector<v1::BatchEntry> entries = Entries(out);
  EXPECT_EQ(entries.size(), frames.size());
  std::string expected;
  for (size_t i = 0; i < frames.size() && i < entries.size(); ++i) {
    v1::Case c;
    if (c.ParseFromArray(frames[i].data(),
                         static_cast<int>(frames[i].size()))) {
      auto d = router.Decide(c);
      if (d.ok()) {
        v1::BatchEntry e;
        e.set_index(static_cast<int64_t>(i));
        e.set_case_id(c.id());
        *e.mutable_decision() = *d;
        AppendDelimited(e, &expected);
        continue;
      }
    }
    EXPECT_TRUE(entries[i].has_error()) << i;
    AppendDelimited(entries[i], &expected);
  }
  return expected;
}

// Past the first few hundred cases the output is sized from what they
// produced: an estimate too low (errors first, decisions after) or too high
// (the reverse) changes no byte.
TEST(Batch, OutputSizedFromTheFirstCasesKeepsEveryByte) {
  auto engine = Sample();
  const Router router(*engine);
  const std::vector<v1::Case> cases = SampleCases(*engine);
  std::string cases_in, errors_in;
  for (int copy = 0; copy < 3; ++copy) {
    for (const v1::Case& c : cases) AppendDelimited(c, &cases_in);
  }
  for (int k = 0; k < 600; ++k) errors_in += std::string("\x01\xff", 2);
  for (const std::string& in :
       {cases_in, errors_in + cases_in, cases_in + errors_in}) {
    auto out = RouteBatch(router, in, BatchOptions{1, {}});
    ASSERT_THAT(out, IsOk());
    EXPECT_EQ(*out, ExpectedBatch(router, in, *out));
    auto two = RouteBatch(router, in, BatchOptions{2, {}});
    ASSERT_THAT(two, IsOk());
    EXPECT_EQ(*out, *two);
  }
}

// On several threads the caller's first cases size every part's slice of
// the output. Mixtures of cases that give few output bytes per input byte
// (decisions with long free text) and many (plain decisions, errors) make
// the estimate wrong for some parts: too low for part 0 itself (it
// leaves its slice, and the parts after it move right), too low for the
// others (they leave theirs), too high (the parts after move left), or
// right; and parts shorter than the sample keep buffers of their own. None
// changes a byte.
TEST(Batch, PartsSizedFromTheFirstCasesKeepEveryByte) {
  auto engine = Sample();
  const Router router(*engine);
  const std::vector<v1::Case> cases = SampleCases(*engine);
  auto decisions = [&](int copies) {
    std::string in;
    for (int copy = 0; copy < copies; ++copy) {
      for (const v1::Case& c : cases) AppendDelimited(c, &in);
    }
    return in;
  };
  // Decisions whose cases carry 4,000 bytes of free text (not repeated in
  // the decision): few output bytes per input byte.
  auto padded = [&](int n) {
    std::string in;
    for (int k = 0; k < n; ++k) {
      v1::Case c = cases[static_cast<size_t>(k) % cases.size()];
      c.set_free_text(std::string(4000, 'x'));
      AppendDelimited(c, &in);
    }
    return in;
  };
  auto errors = [](int n) {
    std::string in;
    for (int k = 0; k < n; ++k) in += std::string("\x01\xff", 2);
    return in;
  };
  const size_t per_copy = cases.size();
  const std::vector<std::string> inputs = {
      decisions(8),
      errors(1200) + decisions(8),
      decisions(8) + errors(1200),
      errors(300) + decisions(8),
      // Part 0 of three: 256 errors, then decisions past its slice; the
      // rest errors, in place, moved right.
      errors(256) + decisions(2) +
          errors(static_cast<int>(2 * (256 + 2 * per_copy))),
      // Part 0 of three: padded cases, then plain ones far past its slice;
      // the rest padded, in place, both moved right.
      padded(256) + decisions(1) + padded(2 * (256 + static_cast<int>(per_copy))),
      // Decisions and errors alternating in runs.
      decisions(2) + errors(400) + decisions(3) + errors(100) + decisions(3),
  };
  for (const std::string& in : inputs) {
    auto one = RouteBatch(router, in, BatchOptions{1, {}});
    ASSERT_THAT(one, IsOk());
    EXPECT_EQ(*one, ExpectedBatch(router, in, *one));
    for (int threads : {2, 3, 4, 8}) {
      auto many = RouteBatch(router, in, BatchOptions{threads, {}});
      ASSERT_THAT(many, IsOk());
      EXPECT_EQ(*one, *many) << threads << " threads";
    }
  }
}

// Entries are written with two-byte lengths guessed ahead; a decision too
// long for them (here: a 17,000-byte dataset version in every decision)
// takes the slower path and still gives the bytes of the single-case API,
// on any number of threads.
TEST(Batch, DecisionsOfSixteenKibibytesOrMoreKeepEveryByte) {
  v1::Dataset d = SampleDataset();
  d.mutable_meta()->set_version(std::string(17000, 'v'));
  auto engine = Engine::Compile(d);
  ASSERT_THAT(engine, IsOk());
  const Router router(**engine);
  const std::vector<v1::Case> cases = SampleCases(**engine);
  std::string in;
  for (const v1::Case& c : cases) AppendDelimited(c, &in);
  auto out = RouteBatch(router, in, BatchOptions{1, {}});
  ASSERT_THAT(out, IsOk());
  std::string expected;
  for (size_t i = 0; i < cases.size(); ++i) {
    auto decision = router.Decide(cases[i]);
    v1::BatchEntry e;
    e.set_index(static_cast<int64_t>(i));
    e.set_case_id(cases[i].id());
    if (decision.ok()) {
      ASSERT_GE(decision->ByteSizeLong(), 16384u);
      *e.mutable_decision() = *decision;
    } else {
      e.mutable_error()->set_code(
          static_cast<int32_t>(decision.status().code()));
      e.mutable_error()->set_message(std::string(decision.status().message()));
    }
    AppendDelimited(e, &expected);
  }
  EXPECT_EQ(*out, expected);
  auto three = RouteBatch(router, in, BatchOptions{3, {}});
  ASSERT_THAT(three, IsOk());
  EXPECT_EQ(*three, expected);
}

// Routes `in` on `threads` with operator new failing at its n-th call, for
// n = 0, 1, ... until a run allocates fewer times: each run either throws
// std::bad_alloc or gives `want`, and after each, check(n) must hold (it
// reports its own failure); at least one run throws.
void SweepOutOfMemory(const Router& router, const std::string& in, int threads,
                      const std::string& want,
                      const std::function<bool(int64_t n)>& check) {
  int64_t exhausted = 0;
  for (int64_t n = 0;; ++n) {
    ByteBuffer out;
    absl::Status s;
    bool threw = false;
    jiceng_test::FailNewAfter(n);  // nothing but the batch while armed
    try {
      s = RouteBatch(router, in, BatchOptions{threads, {}}, &out);
    } catch (const std::bad_alloc&) {
      threw = true;
    }
    const bool triggered = jiceng_test::NewFailureTriggered();
    jiceng_test::FailNewAfter(-1);
    if (!threw) {
      EXPECT_THAT(s, IsOk());
      EXPECT_EQ(out.view(), want) << threads << " threads, " << n;
    }
    if (!check(n)) return;
    if (!triggered) break;
    exhausted += threw;
  }
  EXPECT_GT(exhausted, 0) << threads << " threads";
}

// Out of memory on several threads: operator new failing at each point in
// turn, on whichever thread reaches it (the caller's, a worker's, while
// routing, sizing the slices or planning the moves), gives std::bad_alloc
// to the caller once every thread is joined (no std::terminate), or the
// whole output.
TEST(Batch, OutOfMemoryOnSeveralThreadsReachesTheCaller) {
  JICENG_TEST_NEEDS_ALLOCATION_COUNTING();
  auto engine = Sample();
  const Router router(*engine);
  std::string in;
  for (int copy = 0; copy < 4; ++copy) {
    for (const v1::Case& c : SampleCases(*engine)) AppendDelimited(c, &in);
  }
  auto want = RouteBatch(router, in, BatchOptions{1, {}});
  ASSERT_THAT(want, IsOk());
  for (int threads : {2, 3}) {
    SweepOutOfMemory(router, in, threads, *want, [](int64_t) { return true; });
  }
}

// A system that will not start another thread (a container's limit on
// tasks: EAGAIN) is not an error: the calling thread routes the batch,
// whether no extra thread started or some did before one was refused.
TEST(Batch, ThreadsThatCannotStartLeaveTheBatchToTheCaller) {
  auto engine = Sample();
  const Router router(*engine);
  std::string in;
  for (int copy = 0; copy < 4; ++copy) {
    for (const v1::Case& c : SampleCases(*engine)) AppendDelimited(c, &in);
  }
  in += std::string("\x7f\x01", 2);  // a frame running past the end
  auto want = RouteBatch(router, in, BatchOptions{1, {}});
  ASSERT_THAT(want, IsOk());
  for (int refused : {1, 2, 3}) {
    batch_internal::fail_thread_start_from.store(refused);
    auto got = RouteBatch(router, in, BatchOptions{4, {}});
    batch_internal::fail_thread_start_from.store(0);
    ASSERT_THAT(got, IsOk()) << "thread " << refused << " refused";
    EXPECT_EQ(*got, *want) << "thread " << refused << " refused";
  }
}

// What batch_internal::on_threads_started sees and does in the budget
// tests: every batch's calling thread reports how many extra threads it
// started, and waits there while the gate holds it, its threads running
// and its share of the budget held.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  int arrived = 0;          // batches that have reached the hook
  int barrier = 0;          // each waits there until this many have
  bool hold_first = false;  // the first to arrive waits until `open`
  bool open = false;
  int most_in_use = 0;  // batch_internal::WorkersInUse() seen there, at most
};

Gate* gate = nullptr;
thread_local int workers_here = -1;  // this thread's last batch's, seen there

// batch_internal::WorkersInUse() as batch_internal::on_route_alone saw it
// (-1: not called).
int in_use_alone = -1;
void AtRouteAlone() { in_use_alone = batch_internal::WorkersInUse(); }

void AtThreadsStarted(int workers) {
  workers_here = workers;
  std::unique_lock<std::mutex> lock(gate->mu);
  const bool first = gate->arrived++ == 0;
  gate->most_in_use =
      std::max(gate->most_in_use, batch_internal::WorkersInUse());
  gate->cv.notify_all();
  gate->cv.wait(lock, [&] {
    return gate->arrived >= gate->barrier &&
           (!first || !gate->hold_first || gate->open);
  });
}

// Threads = 0 on a machine of four hardware threads, whatever the test runs
// on: a budget of three extra threads, shared by all batches at once.
// `in_`: enough cases for four threads (800 and more); `single_`: its bytes
// on one thread.
class BatchBudget : public ::testing::Test {
 protected:
  static constexpr int kMachine = 4;
  static constexpr int kBudget = kMachine - 1;

  void SetUp() override {
    engine_ = Sample();
    ASSERT_NE(engine_, nullptr);
    router_ = std::make_unique<Router>(*engine_);
    for (int copy = 0; copy < 4; ++copy) {
      for (const v1::Case& c : SampleCases(*engine_)) AppendDelimited(c, &in_);
    }
    auto one = RouteBatch(*router_, in_, BatchOptions{1, {}});
    ASSERT_THAT(one, IsOk());
    single_ = *one;
    ASSERT_EQ(batch_internal::WorkersInUse(), 0);
    batch_internal::hardware_threads.store(kMachine);
    gate = &gate_;
    batch_internal::on_threads_started.store(&AtThreadsStarted);
  }

  void TearDown() override {
    batch_internal::on_threads_started.store(nullptr);
    batch_internal::on_route_alone.store(nullptr);
    batch_internal::hardware_threads.store(0);
    batch_internal::fail_thread_start_from.store(0);
    gate = nullptr;
  }

  // Routes in_ on `threads`: the bytes; *workers: the extra threads the
  // batch ran on.
  std::string Route(int threads, int* workers) {
    workers_here = -1;
    auto out = RouteBatch(*router_, in_, BatchOptions{threads, {}});
    EXPECT_THAT(out, IsOk()) << threads << " threads";
    *workers = workers_here;
    return out.ok() ? *out : std::string();
  }

  // Starts a batch of in_ on `threads` on a thread of its own, held at the
  // hook (gate_.hold_first) until Release(); returns once it is held.
  void Hold(int threads) {
    {
      std::lock_guard<std::mutex> lock(gate_.mu);
      gate_.arrived = 0;
      gate_.hold_first = true;
      gate_.open = false;
    }
    held_ = std::thread(
        [this, threads] { held_out_ = Route(threads, &held_workers_); });
    std::unique_lock<std::mutex> lock(gate_.mu);
    gate_.cv.wait(lock, [&] { return gate_.arrived == 1; });
  }

  // Lets the held batch finish; checks its bytes.
  void Release() {
    {
      std::lock_guard<std::mutex> lock(gate_.mu);
      gate_.open = true;
    }
    gate_.cv.notify_all();
    held_.join();
    EXPECT_EQ(held_out_, single_);
  }

  std::unique_ptr<const Engine> engine_;
  std::unique_ptr<Router> router_;
  std::string in_, single_;
  Gate gate_;
  std::thread held_;
  std::string held_out_;
  int held_workers_ = -1;
};

// Many threads = 0 batches at once, each with cases enough for every
// thread of the machine. The hook holds each until all have started theirs
// (a barrier, not a timing): then every worker thread any of them started
// is alive at once, and together they are within the budget; one batch
// took all of it and the others route alone. Then rounds without the
// barrier (for ThreadSanitizer). Every batch gives the one-thread bytes.
TEST_F(BatchBudget, ConcurrentThreadsZeroBatchesStayWithinTheBudget) {
  constexpr int kCallers = 6;
  for (int round = 0; round < 4; ++round) {
    const bool barrier = round == 0;
    {
      std::lock_guard<std::mutex> lock(gate_.mu);
      gate_.arrived = 0;
      gate_.barrier = barrier ? kCallers : 0;
    }
    std::vector<std::string> outs(kCallers);
    std::vector<int> workers(kCallers, -1);
    std::vector<std::thread> callers;
    for (int k = 0; k < kCallers; ++k) {
      callers.emplace_back([&, k] { outs[k] = Route(0, &workers[k]); });
    }
    for (std::thread& t : callers) t.join();
    int alive = 0;
    for (int k = 0; k < kCallers; ++k) {
      EXPECT_EQ(outs[k], single_) << "round " << round << ", caller " << k;
      EXPECT_GE(workers[k], 0) << "round " << round << ", caller " << k;
      alive += workers[k];
    }
    if (barrier) {
      EXPECT_EQ(alive, kBudget);
    }
    EXPECT_EQ(batch_internal::WorkersInUse(), 0) << "round " << round;
  }
  EXPECT_LE(gate_.most_in_use, kBudget);
  EXPECT_GT(gate_.most_in_use, 0);
}

// A threads = 0 batch in flight holding the whole budget: another threads
// = 0 batch routes alone, the same bytes; an explicit thread count is not
// cut by the budget. Once the first returns, the budget is whole again.
TEST_F(BatchBudget, AnExhaustedBudgetLeavesABatchToItsCallingThread) {
  Hold(0);
  EXPECT_EQ(batch_internal::WorkersInUse(), kBudget);
  int workers = -1;
  EXPECT_EQ(Route(0, &workers), single_);
  EXPECT_EQ(workers, 0);
  EXPECT_EQ(Route(3, &workers), single_);
  EXPECT_EQ(workers, 2);
  EXPECT_EQ(batch_internal::WorkersInUse(), kBudget);
  Release();
  EXPECT_EQ(held_workers_, kBudget);
  EXPECT_EQ(batch_internal::WorkersInUse(), 0);
  EXPECT_EQ(Route(0, &workers), single_);
  EXPECT_EQ(workers, kBudget);
}

// An explicit batch's extra threads count in the budget while it runs,
// past it if need be: a threads = 0 batch beside it takes what is left.
TEST_F(BatchBudget, ExplicitThreadsCountInTheBudget) {
  struct Beside {
    int held_threads;
    int left;  // what a threads = 0 batch beside it gets
  };
  for (const Beside& c :
       {Beside{2, 2}, Beside{3, 1}, Beside{4, 0}, Beside{8, 0}}) {
    Hold(c.held_threads);
    EXPECT_EQ(batch_internal::WorkersInUse(), c.held_threads - 1);
    int workers = -1;
    EXPECT_EQ(Route(0, &workers), single_) << c.held_threads;
    EXPECT_EQ(workers, c.left) << c.held_threads;
    Release();
    EXPECT_EQ(held_workers_, c.held_threads - 1);
    EXPECT_EQ(batch_internal::WorkersInUse(), 0) << c.held_threads;
  }
}

// The budget is whole again after every kind of call: one that ran on
// threads, one too small for them (no case, a broken frame, two cases),
// an argument error, and one whose threads would not all start (the
// caller routes alone), threads = 0 or explicit.
TEST_F(BatchBudget, EveryCallGivesTheBudgetBack) {
  int workers = -1;
  EXPECT_EQ(Route(0, &workers), single_);
  EXPECT_EQ(workers, kBudget);
  EXPECT_EQ(gate_.most_in_use, kBudget);
  EXPECT_EQ(batch_internal::WorkersInUse(), 0);

  std::vector<v1::Case> cases = SampleCases(*engine_);
  std::string two;
  AppendDelimited(cases[0], &two);
  AppendDelimited(cases[1], &two);
  for (const std::string& in : {std::string(), two.substr(0, two.size() - 3),
                                two, in_ + std::string("\x7f\x01", 2)}) {
    auto one = RouteBatch(*router_, in, BatchOptions{1, {}});
    auto shared = RouteBatch(*router_, in, BatchOptions{0, {}});
    ASSERT_THAT(shared, IsOk());
    EXPECT_EQ(*shared, *one);
    EXPECT_EQ(batch_internal::WorkersInUse(), 0) << in.size() << " bytes";
  }

  EXPECT_THAT(RouteBatch(*router_, in_, BatchOptions{-1, {}}),
              StatusIs(absl::StatusCode::kInvalidArgument, "threads: -1"));
  EXPECT_EQ(batch_internal::WorkersInUse(), 0);

  // A batch whose threads would not all start gives them back before it
  // routes alone, not only at its end: the budget is whole while it does.
  batch_internal::on_route_alone.store(&AtRouteAlone);
  for (int refused : {1, 2, 3}) {
    in_use_alone = -1;
    batch_internal::fail_thread_start_from.store(refused);
    EXPECT_EQ(Route(0, &workers), single_) << "thread " << refused;
    batch_internal::fail_thread_start_from.store(0);
    EXPECT_EQ(workers, refused - 1);
    EXPECT_EQ(in_use_alone, 0) << "thread " << refused;
    EXPECT_EQ(batch_internal::WorkersInUse(), 0) << "thread " << refused;
  }
  // The explicit count's charge too.
  in_use_alone = -1;
  batch_internal::fail_thread_start_from.store(2);
  EXPECT_EQ(Route(4, &workers), single_);
  batch_internal::fail_thread_start_from.store(0);
  EXPECT_EQ(in_use_alone, 0);
  EXPECT_EQ(batch_internal::WorkersInUse(), 0);
  // Only a refused start calls it: not a batch that routes alone because
  // the budget is spent or the cases are few.
  in_use_alone = -1;
  EXPECT_EQ(Route(1, &workers), single_);
  EXPECT_EQ(in_use_alone, -1);
  batch_internal::on_route_alone.store(nullptr);
}

// Out of memory at each allocation in turn, on whichever thread: a batch
// that throws std::bad_alloc gives its share of the budget back too.
TEST_F(BatchBudget, ACallThatRunsOutOfMemoryGivesTheBudgetBack) {
  JICENG_TEST_NEEDS_ALLOCATION_COUNTING();
  batch_internal::on_threads_started.store(nullptr);
  for (int threads : {0, 3}) {
    SweepOutOfMemory(*router_, in_, threads, single_, [&](int64_t n) {
      EXPECT_EQ(batch_internal::WorkersInUse(), 0)
          << threads << " threads, " << n;
      return batch_internal::WorkersInUse() == 0;
    });
  }
}

// A 01005 (construction waste) case at the tiny dataset's street grid.
v1::Case StreetGridCase(const std::string& id, int64_t reported_at) {
  v1::Case c;
  c.set_id(id);
  c.set_matter_code("01005");
  c.set_location_code(32011600100101);
  c.set_reported_at(reported_at);
  return c;
}

TEST(Diff, DelegationChangesTheLeadOnlyWhereItReaches) {
  v1::Dataset before = TinyWithCatalogue();
  before.mutable_catalogue()->clear_delegations();
  before.mutable_meta()->set_version("before");
  v1::Dataset after = TinyWithCatalogue();
  after.mutable_meta()->set_version("after");
  auto a = Engine::Compile(before);
  auto b = Engine::Compile(after);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  const Router ra(**a), rb(**b);
  auto at = [](int m, int d) {
    return int64_t{DaysFromCivil(2026, m, d)} * 86400 + 2 * 3600;
  };
  std::vector<v1::Case> work(3);
  work[0].set_id("town-after");
  work[0].set_matter_code("01005");
  work[0].set_location_code(32011610020101);
  work[0].set_reported_at(at(7, 2));
  work[1] = work[0];
  work[1].set_id("town-before");
  work[1].set_reported_at(at(6, 2));
  work[2] = work[0];
  work[2].set_id("street-after");
  work[2].set_location_code(32011600100101);
  // The changed case last: its diff names its position.
  std::rotate(work.begin(), work.begin() + 1, work.end());
  v1::DiffReport r = DiffWorkload(ra, rb, work);
  EXPECT_EQ(r.cases(), 3);
  EXPECT_EQ(r.changed_cases(), 1);
  ASSERT_EQ(r.diffs_size(), 1);
  EXPECT_EQ(r.diffs(0).case_id(), "town-after");
  EXPECT_EQ(r.diffs(0).index(), 2);
  EXPECT_EQ(r.before_version(), "before");
  EXPECT_EQ(r.after_version(), "after");
  EXPECT_EQ(r.diffs(0).before().lead().code(), "LH-CG");
  EXPECT_EQ(r.diffs(0).after().lead().code(), "ZZ-ZFD");
  // The delegation sets the lead and its mode, and makes the department a
  // co-handler the township may whistle: each field that differs is named,
  // in CaseDiff's order.
  EXPECT_THAT(r.diffs(0).changed(),
              testing::ElementsAre("lead", "co_handlers", "enforcement_mode",
                                   "whistle"));
  EXPECT_FALSE(r.diffs(0).after().trace(0).text().empty());
  // Each side is the decision Decide explains, to the byte.
  v1::RouteOptions explain;
  explain.set_explain_text(true);
  const v1::Case& moved = work[2];
  ASSERT_EQ(moved.id(), "town-after");
  EXPECT_EQ(r.diffs(0).before().SerializeAsString(),
            ra.Decide(moved, explain)->SerializeAsString());
  EXPECT_EQ(r.diffs(0).after().SerializeAsString(),
            rb.Decide(moved, explain)->SerializeAsString());
  // Why: the delegation only after, where the after decision explains it
  // (before the lead it sets), then the two leads; nothing else differs.
  const auto& steps = r.diffs(0).changed_steps();
  ASSERT_EQ(steps.size(), 2) << r.diffs(0).DebugString();
  EXPECT_EQ(steps[0].reason(), v1::REASON_DELEGATION_APPLIED);
  EXPECT_FALSE(steps[0].has_before());
  EXPECT_THAT(steps[0].after().text(),
              testing::HasSubstr("item delegated to the township by "));
  EXPECT_EQ(steps[1].reason(), v1::REASON_LEAD);
  EXPECT_EQ(steps[1].before().ref(), "LH-CG");
  EXPECT_EQ(steps[1].after().ref(), "ZZ-ZFD");
  // Reversed, the delegation is only before.
  const v1::DiffReport back = DiffWorkload(rb, ra, work);
  ASSERT_EQ(back.diffs_size(), 1);
  ASSERT_EQ(back.diffs(0).changed_steps_size(), 2);
  EXPECT_EQ(back.diffs(0).changed_steps(0).reason(),
            v1::REASON_DELEGATION_APPLIED);
  EXPECT_TRUE(back.diffs(0).changed_steps(0).has_before());
  EXPECT_FALSE(back.diffs(0).changed_steps(0).has_after());
  // Each side carries its decision and no error.
  EXPECT_TRUE(r.diffs(0).has_before());
  EXPECT_TRUE(r.diffs(0).has_after());
  EXPECT_FALSE(r.diffs(0).has_before_error());
  EXPECT_FALSE(r.diffs(0).has_after_error());

  // The same workload as a length-delimited stream: the same report.
  std::string stream;
  for (const v1::Case& c : work) AppendDelimited(c, &stream);
  const v1::DiffReport streamed = DiffStream(ra, rb, stream);
  EXPECT_EQ(streamed.SerializeAsString(), r.SerializeAsString());
}

// Ends `cal` on 2026-06-30, with the holidays and make-up working days
// that would lie past it: a case reported later is outside its range.
void EndCalendarInJune(v1::WorkCalendar* cal) {
  cal->set_last_date("2026-06-30");
  auto holidays = cal->mutable_holidays();
  holidays->erase(std::remove_if(holidays->begin(), holidays->end(),
                                 [](const v1::Holiday& h) {
                                   return h.last_date() > "2026-06-30";
                                 }),
                  holidays->end());
  auto makeups = cal->mutable_makeup_workdays();
  makeups->erase(std::remove_if(makeups->begin(), makeups->end(),
                                [](const v1::MakeupWorkday& m) {
                                  return m.date() > "2026-06-30";
                                }),
                 makeups->end());
}

TEST(Diff, ACaseThatFailsOnOneSideCarriesItsErrorThere) {
  // The calendar of A ends in June: a case of July is out of its range.
  v1::Dataset before = TinyWithCatalogue();
  EndCalendarInJune(before.mutable_calendar());
  auto a = Engine::Compile(before);
  auto b = Engine::Compile(TinyWithCatalogue());
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  const Router ra(**a), rb(**b);
  const v1::Case c = StreetGridCase(
      "july", int64_t{DaysFromCivil(2026, 7, 2)} * 86400 + 2 * 3600);

  v1::DiffReport r = DiffWorkload(ra, rb, {c});
  ASSERT_EQ(r.diffs_size(), 1);
  const v1::CaseDiff& d = r.diffs(0);
  ASSERT_EQ(d.changed_size(), 1);
  EXPECT_EQ(d.changed(0), "error");
  EXPECT_TRUE(d.has_before_error());
  EXPECT_FALSE(d.has_before());
  EXPECT_EQ(d.before_error().code(),
            static_cast<int32_t>(absl::StatusCode::kOutOfRange));
  EXPECT_THAT(d.before_error().message(), testing::HasSubstr("2026-07-02"));
  EXPECT_TRUE(d.has_after());
  EXPECT_FALSE(d.has_after_error());
  EXPECT_EQ(d.after().lead().code(), "LH-CG");

  // An error is its own explanation: no steps are compared.
  EXPECT_EQ(d.changed_steps_size(), 0);
  // Reversed, the error moves to the other side.
  v1::DiffReport back = DiffWorkload(rb, ra, {c});
  ASSERT_EQ(back.diffs_size(), 1);
  EXPECT_TRUE(back.diffs(0).has_before());
  EXPECT_TRUE(back.diffs(0).has_after_error());
  EXPECT_FALSE(back.diffs(0).has_after());
}

// Every case major: the county centre supervises it and is next on its
// escalation chain, and the diff names those fields too.
TEST(Diff, AMajorCaseNamesItsNewSupervisorAndEscalation) {
  v1::Dataset after = TinyWithCatalogue();
  after.mutable_routing_policy()->set_major_urgency(1);
  auto a = Engine::Compile(TinyWithCatalogue());
  auto b = Engine::Compile(after);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  const Router ra(**a), rb(**b);
  const v1::DiffReport r = DiffWorkload(
      ra, rb,
      {StreetGridCase("march",
                      int64_t{DaysFromCivil(2026, 3, 2)} * 86400 + 3600)});
  ASSERT_EQ(r.diffs_size(), 1);
  const v1::CaseDiff& d = r.diffs(0);
  EXPECT_THAT(d.changed(),
              testing::IsSupersetOf({"tier", "supervisor", "escalation"}));
  EXPECT_EQ(d.after().supervisor().code(), "LH-SZZX");
  EXPECT_NE(d.before().supervisor().code(), "LH-SZZX");
  bool major_step = false;
  for (const v1::StepChange& step : d.changed_steps()) {
    major_step |= step.reason() == v1::REASON_MAJOR && !step.has_before();
  }
  EXPECT_TRUE(major_step) << d.DebugString();
}

// The fields a decision message shows as changed, computed here from the
// two compact decisions (as the diff did before it compared the engines'
// results): the reference for the test below.
std::vector<std::string> ChangedFields(
    const absl::StatusOr<v1::RoutingDecision>& a,
    const absl::StatusOr<v1::RoutingDecision>& b) {
  if (a.ok() != b.ok() || (!a.ok() && a.status().code() != b.status().code())) {
    return {"error"};
  }
  if (!a.ok()) return {};
  auto same_handler = [](const v1::Handler& x, const v1::Handler& y) {
    return x.kind() == y.kind() && x.code() == y.code();
  };
  auto same_list = [](const auto& x, const auto& y, auto equal) {
    if (x.size() != y.size()) return false;
    for (int i = 0; i < x.size(); ++i) {
      if (!equal(x.Get(i), y.Get(i))) return false;
    }
    return true;
  };
  // Order-free: each of x in y, as many of each.
  auto same_set = [](const auto& x, const auto& y, auto equal) {
    if (x.size() != y.size()) return false;
    for (const auto& e : x) {
      if (std::none_of(y.begin(), y.end(),
                       [&](const auto& f) { return equal(e, f); })) {
        return false;
      }
    }
    return true;
  };
  std::vector<std::string> changed;
  if (a->outcome() != b->outcome()) changed.push_back("outcome");
  if (!same_handler(a->lead(), b->lead())) changed.push_back("lead");
  if (!same_set(a->candidates(), b->candidates(), same_handler)) {
    changed.push_back("candidates");
  }
  if (!same_handler(a->arbitrator(), b->arbitrator())) {
    changed.push_back("arbitrator");
  }
  if (a->tier() != b->tier()) changed.push_back("tier");
  if (!same_set(a->co_handlers(), b->co_handlers(), same_handler)) {
    changed.push_back("co_handlers");
  }
  if (!same_handler(a->supervisor(), b->supervisor())) {
    changed.push_back("supervisor");
  }
  if (a->enforcement_mode() != b->enforcement_mode()) {
    changed.push_back("enforcement_mode");
  }
  if (!same_list(a->deadlines(), b->deadlines(),
                 [](const v1::Deadline& x, const v1::Deadline& y) {
                   return x.stage() == y.stage() && x.due_at() == y.due_at();
                 })) {
    changed.push_back("deadlines");
  }
  if (!same_list(a->escalation(), b->escalation(),
                 [&](const v1::EscalationStep& x, const v1::EscalationStep& y) {
                   return same_handler(x.handler(), y.handler());
                 })) {
    changed.push_back("escalation");
  }
  if (!same_set(a->whistle(), b->whistle(),
                [&](const v1::WhistleSummons& x, const v1::WhistleSummons& y) {
                  return same_handler(x.department(), y.department()) &&
                         x.report_by() == y.report_by();
                })) {
    changed.push_back("whistle");
  }
  return changed;
}

// The diff against the reference above, on the sample's cases, for
// datasets that change in each way the fields can: delegations dropped,
// days off, rules dropped, a lower major urgency, a calendar that ends
// before some cases do (an error on one side), and the same dataset with
// a unit and a county added whose codes come first (every other unit and
// region then has another id, and the same code: nothing changes). Every case
// the reference finds changed is in the report with the same fields, in order,
// and no other is.
TEST(Diff, NamesExactlyTheFieldsTheDecisionsShowAsChanged) {
  std::unique_ptr<const Engine> sample = Sample();
  ASSERT_NE(sample, nullptr);
  const std::vector<v1::Case> cases = SampleCases(*sample);
  v1::Dataset base;
  ASSERT_TRUE(base.ParseFromString(std::string(SampleDatasetBinary())));
  struct Variant {
    const char* name;
    std::function<void(v1::Dataset*)> change;
    bool changes_some;
  };
  const std::vector<Variant> variants = {
      {"no delegations",
       [](v1::Dataset* d) { d->mutable_catalogue()->clear_delegations(); },
       true},
      {"days off",
       [](v1::Dataset* d) {
         for (const char* day : {"2026-03-03", "2026-05-06", "2026-09-10"}) {
           v1::Holiday* off = d->mutable_calendar()->add_holidays();
           off->set_name(absl::StrCat("off ", day));
           off->set_first_date(day);
           off->set_last_date(day);
         }
       },
       true},
      {"every third rule dropped",
       [](v1::Dataset* d) {
         auto* rules = d->mutable_catalogue()->mutable_rules();
         for (int i = rules->size() - 1; i >= 0; --i) {
           if (i % 3 == 1 && rules->Get(i).scenario_code().empty()) {
             rules->DeleteSubrange(i, 1);
           }
         }
       },
       true},
      {"major from urgency 2",
       [](v1::Dataset* d) {
         d->mutable_routing_policy()->set_major_urgency(2);
       },
       true},
      {"the calendar ends in June",
       [](v1::Dataset* d) { EndCalendarInJune(d->mutable_calendar()); }, true},
      // An AMBIGUOUS case has no lead: another disputed lead is a change.
      {"a disputed rule names another department",
       [](v1::Dataset* d) {
         for (v1::DispatchRule& r : *d->mutable_catalogue()->mutable_rules()) {
           if (r.id() == "R-01008-fringe-hb") {
             r.mutable_lead()->set_department_type("natural_resources");
           }
         }
       },
       true},
      // The same co-handlers in another order: nobody's duty changes.
      {"co-handlers reordered",
       [](v1::Dataset* d) {
         for (v1::DispatchRule& r : *d->mutable_catalogue()->mutable_rules()) {
           if (r.id() == "R-01002-base") {
             ASSERT_EQ(r.co_handlers_size(), 2);
             r.mutable_co_handlers()->SwapElements(0, 1);
           }
         }
       },
       false},
      {"a unit and a county more, listed first",
       [](v1::Dataset* d) {
         v1::Unit* unit = d->add_units();
         unit->set_code("AA-BGS");
         unit->set_name("an office whose code comes first");
         unit->set_kind(v1::UNIT_KIND_INTERNAL_OFFICE);
         unit->set_region_code("320116000000");
         unit->set_parent_unit_code("LH-GOV");
         unit->set_office_type(v1::OFFICE_TYPE_PARTY_BUILDING);
         v1::Region* county = d->add_regions();
         county->set_code("320115000000");
         county->set_parent_code("320100000000");
         county->set_level(v1::REGION_LEVEL_COUNTY);
         county->set_name("a county whose code comes first");
         std::rotate(d->mutable_units()->rbegin(),
                     d->mutable_units()->rbegin() + 1,
                     d->mutable_units()->rend());
         std::rotate(d->mutable_regions()->rbegin(),
                     d->mutable_regions()->rbegin() + 1,
                     d->mutable_regions()->rend());
       },
       false},
  };
  auto before = Engine::Compile(base);
  ASSERT_THAT(before, IsOk());
  const Router ra(**before);
  std::set<std::string> seen;  // the fields some variant changes
  for (const Variant& v : variants) {
    SCOPED_TRACE(v.name);
    v1::Dataset changed = base;
    v.change(&changed);
    auto after = Engine::Compile(changed);
    ASSERT_THAT(after, IsOk());
    const Router rb(**after);
    const v1::DiffReport r = DiffWorkload(ra, rb, cases);
    EXPECT_EQ(r.cases(), static_cast<int64_t>(cases.size()));
    int next = 0;  // the report's next diff
    for (size_t i = 0; i < cases.size(); ++i) {
      const std::vector<std::string> want =
          ChangedFields(ra.Decide(cases[i]), rb.Decide(cases[i]));
      if (want.empty()) continue;
      seen.insert(want.begin(), want.end());
      ASSERT_LT(next, r.diffs_size()) << "case " << i << " is missing";
      const v1::CaseDiff& d = r.diffs(next++);
      EXPECT_EQ(d.index(), static_cast<int64_t>(i));
      EXPECT_EQ(
          std::vector<std::string>(d.changed().begin(), d.changed().end()),
          want)
          << "case " << i;
    }
    EXPECT_EQ(next, r.diffs_size()) << "cases listed that did not change";
    EXPECT_EQ(r.changed_cases(), next);
    EXPECT_EQ(next > 0, v.changes_some);
  }
  // Every field a decision shows changed in some variant.
  EXPECT_THAT(seen, testing::IsSupersetOf(
                        {"error", "outcome", "lead", "candidates", "tier",
                         "co_handlers", "supervisor", "enforcement_mode",
                         "deadlines", "escalation", "whistle"}));
}

// A deadline moved by a calendar change: its step keeps its ref ("the
// handle stage, from the item") and its text gives both due times.
TEST(Diff, ADeadlineMovedByTheCalendarShowsInItsStep) {
  v1::Dataset before = TinyWithCatalogue();
  v1::Dataset after = TinyWithCatalogue();
  // 2026-03-03 becomes a day off.
  v1::Holiday* off = after.mutable_calendar()->add_holidays();
  off->set_name("a day off");
  off->set_first_date("2026-03-03");
  off->set_last_date("2026-03-03");
  auto a = Engine::Compile(before);
  auto b = Engine::Compile(after);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  const Router ra(**a), rb(**b);
  // Monday 2026-03-02 16:00 local: the limits run into Tuesday.
  const v1::Case c = StreetGridCase(
      "monday", int64_t{DaysFromCivil(2026, 3, 2)} * 86400 + 8 * 3600);
  const v1::DiffReport r = DiffWorkload(ra, rb, {c});
  ASSERT_EQ(r.diffs_size(), 1);
  const v1::CaseDiff& d = r.diffs(0);
  ASSERT_EQ(d.changed_size(), 1);
  EXPECT_EQ(d.changed(0), "deadlines");
  ASSERT_GT(d.changed_steps_size(), 0);
  for (const v1::StepChange& step : d.changed_steps()) {
    EXPECT_EQ(step.reason(), v1::REASON_DEADLINE) << step.DebugString();
    ASSERT_TRUE(step.has_before() && step.has_after());
    EXPECT_EQ(step.before().ref(), step.after().ref());
    EXPECT_NE(step.before().text(), step.after().text());
  }
}

TEST(Diff, StreamListsTheCasesItCannotReadAndGoesOn) {
  auto engine = Sample();
  const Router router(*engine);
  std::vector<v1::Case> cases = SampleCases(*engine);
  cases.resize(3);
  std::string good;
  for (const v1::Case& c : cases) AppendDelimited(c, &good);

  const v1::DiffReport empty = DiffStream(router, router, "");
  EXPECT_EQ(empty.cases(), 0);
  EXPECT_EQ(empty.unread_size(), 0);
  const v1::DiffReport same = DiffStream(router, router, good);
  EXPECT_EQ(same.cases(), 3);
  EXPECT_EQ(same.changed_cases(), 0);
  EXPECT_EQ(same.unread_size(), 0);

  // A frame that is not a Case (field 1 declares 5 bytes, 2 follow),
  // between good ones: listed with its batch entry's error, the rest
  // diffed, indexes counting it.
  const std::string bad(
      "\x04\x0a\x05"
      "ab",
      5);
  const v1::DiffReport middle = DiffStream(router, router, good + bad + good);
  EXPECT_EQ(middle.cases(), 6);
  ASSERT_EQ(middle.unread_size(), 1);
  EXPECT_EQ(middle.unread(0).index(), 3);
  EXPECT_EQ(middle.unread(0).error().code(),
            static_cast<int32_t>(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(middle.unread(0).error().message(),
              testing::StartsWith("case 3: jiceng.v1.Case"));
  // The batch says the same of that frame.
  absl::StatusOr<std::string> batch =
      RouteBatch(router, good + bad + good, BatchOptions{});
  ASSERT_THAT(batch, IsOk());
  std::vector<absl::string_view> entries;
  ASSERT_THAT(SplitDelimited(*batch, &entries), IsOk());
  ASSERT_EQ(entries.size(), 7u);
  v1::BatchEntry entry;
  ASSERT_TRUE(entry.ParseFromArray(entries[3].data(),
                                   static_cast<int>(entries[3].size())));
  EXPECT_EQ(entry.error().message(), middle.unread(0).error().message());

  // A frame that runs past the end: the cases before it diffed, the frame
  // listed, the stream ended.
  const v1::DiffReport cut =
      DiffStream(router, router, good + std::string("\x05\x0a", 2));
  EXPECT_EQ(cut.cases(), 3);
  ASSERT_EQ(cut.unread_size(), 1);
  EXPECT_EQ(cut.unread(0).index(), 3);
  EXPECT_THAT(
      cut.unread(0).error().message(),
      testing::StartsWith(absl::StrCat("frame 3 at byte ", good.size(),
                                       " declares 5 bytes but only 1 remain")));
}

TEST(Diff, ChangedCasesKeepTheirWorkloadIndexPastUnreadOnes) {
  auto engine = Sample();
  v1::Dataset changed;
  ASSERT_TRUE(changed.ParseFromString(std::string(SampleDatasetBinary())));
  changed.mutable_meta()->set_version("after");
  // Every revisit deadline moves: the policy's limit grows to 5 days.
  v1::Duration* revisit =
      changed.mutable_routing_policy()->mutable_defaults()->mutable_revisit();
  revisit->set_amount(5);
  revisit->set_unit(v1::TIME_UNIT_WORKING_DAYS);
  auto after = Engine::Compile(changed);
  ASSERT_THAT(after, IsOk());
  const Router ra(*engine), rb(**after);
  std::vector<v1::Case> cases = SampleCases(*engine);
  cases.resize(2);
  std::string stream;
  AppendDelimited(cases[0], &stream);
  stream += std::string("\x01\xff", 2);  // not a Case
  AppendDelimited(cases[1], &stream);
  const v1::DiffReport r = DiffStream(ra, rb, stream);
  EXPECT_EQ(r.cases(), 2);
  ASSERT_EQ(r.unread_size(), 1);
  EXPECT_EQ(r.unread(0).index(), 1);
  ASSERT_EQ(r.diffs_size(), 2);
  EXPECT_EQ(r.diffs(0).index(), 0);
  EXPECT_EQ(r.diffs(1).index(), 2);
  EXPECT_EQ(r.diffs(1).case_id(), cases[1].id());
}

}  // namespace
}  // namespace jiceng
