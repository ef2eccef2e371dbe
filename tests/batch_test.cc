// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/routing/batch.h"

#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <vector>

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
  for (int threads : {2, 3, 8, 64, 100}) {
    auto many = RouteBatch(router, in, BatchOptions{threads, {}});
    ASSERT_THAT(many, IsOk());
    EXPECT_EQ(*one, *many) << threads << " threads";
  }
  EXPECT_THAT(RouteBatch(router, in, BatchOptions{0, {}}),
              StatusIs(absl::StatusCode::kInvalidArgument, "threads"));
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
        EXPECT_EQ(out.view(), *want) << threads << " threads, " << n;
      }
      if (!triggered) break;
      exhausted += threw;
    }
    EXPECT_GT(exhausted, 0) << threads << " threads";
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
  v1::DiffReport r = DiffWorkload(ra, rb, work);
  EXPECT_EQ(r.cases(), 3);
  EXPECT_EQ(r.changed_cases(), 1);
  ASSERT_EQ(r.diffs_size(), 1);
  EXPECT_EQ(r.diffs(0).case_id(), "town-after");
  EXPECT_EQ(r.before_version(), "before");
  EXPECT_EQ(r.after_version(), "after");
  EXPECT_EQ(r.diffs(0).before().lead().code(), "LH-CG");
  EXPECT_EQ(r.diffs(0).after().lead().code(), "ZZ-ZFD");
  bool lead_changed = false;
  for (const auto& f : r.diffs(0).changed()) lead_changed |= f == "lead";
  EXPECT_TRUE(lead_changed);
  EXPECT_FALSE(r.diffs(0).after().trace(0).text().empty());

  // The same workload as a length-delimited stream: the same report.
  std::string stream;
  for (const v1::Case& c : work) AppendDelimited(c, &stream);
  absl::StatusOr<v1::DiffReport> streamed =
      DiffStream(ra, rb, stream, "cases_stream");
  ASSERT_THAT(streamed, IsOk());
  EXPECT_EQ(streamed->SerializeAsString(), r.SerializeAsString());
}

TEST(Diff, StreamErrorsNameTheFrame) {
  auto engine = Sample();
  const Router router(*engine);
  std::vector<v1::Case> cases = SampleCases(*engine);
  cases.resize(3);
  std::string good;
  for (const v1::Case& c : cases) AppendDelimited(c, &good);

  absl::StatusOr<v1::DiffReport> empty = DiffStream(router, router, "", "s");
  ASSERT_THAT(empty, IsOk());
  EXPECT_EQ(empty->cases(), 0);
  absl::StatusOr<v1::DiffReport> same = DiffStream(router, router, good, "s");
  ASSERT_THAT(same, IsOk());
  EXPECT_EQ(same->cases(), 3);
  EXPECT_EQ(same->changed_cases(), 0);

  // A frame that runs past the end: refused before any case is routed.
  EXPECT_THAT(DiffStream(router, router, good + std::string("\x05\x0a", 2),
                         "cases_stream"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "cases_stream: frame 3 at byte"));
  // A frame that is not a Case (field 1 declares 5 bytes, 2 follow).
  EXPECT_THAT(DiffStream(router, router, good + std::string("\x04\x0a\x05" "ab", 5),
                         "cases_stream"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "cases_stream: frame 3"));
}

}  // namespace
}  // namespace jiceng
