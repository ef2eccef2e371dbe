// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The sample lifecycle script: the mix of outcomes the demo promises, and
// byte-for-byte determinism (also through the record file formats).

#include "src/sample/sample_lifecycle.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/assessment/records_io.h"
#include "src/lifecycle/supervise.h"
#include "src/sample/sample_cases.h"
#include "src/sample/sample_dataset.h"
#include "tests/status_matchers.h"

namespace jiceng {
namespace {

class SampleLifecycleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto e = Engine::Compile(SampleDataset());
    ASSERT_TRUE(e.ok()) << e.status();
    engine_ = e->release();
    result_ = new SampleLifecycleResult(RunSampleLifecycles(*engine_));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete engine_;
  }
  static const Engine* engine_;
  static SampleLifecycleResult* result_;
};

const Engine* SampleLifecycleTest::engine_ = nullptr;
SampleLifecycleResult* SampleLifecycleTest::result_ = nullptr;

TEST_F(SampleLifecycleTest, TheMixOfOutcomes) {
  std::map<v1::CaseState, int> states;
  v1::Counters sum;
  int ratings = 0, dissatisfied = 0, satisfied = 0, overdue = 0, arbitrated = 0,
      whistle_late = 0;
  for (const v1::CaseRecord& r : result_->records) {
    ++states[r.state()];
    sum.set_returns(sum.returns() + r.counters().returns());
    sum.set_reworks(sum.reworks() + r.counters().reworks());
    sum.set_extensions(sum.extensions() + r.counters().extensions());
    sum.set_parks(sum.parks() + r.counters().parks());
    sum.set_reopens(sum.reopens() + r.counters().reopens());
    sum.set_reassigns(sum.reassigns() + r.counters().reassigns());
    sum.set_merged(sum.merged() + r.counters().merged());
    sum.set_whistles(sum.whistles() + r.counters().whistles());
    sum.set_urges(sum.urges() + r.counters().urges());
    sum.set_co_handlers_added(sum.co_handlers_added() +
                              r.counters().co_handlers_added());
    ratings += r.ratings_size();
    arbitrated += r.binding_ruling();
    if (r.satisfaction() == v1::SATISFACTION_DISSATISFIED) ++dissatisfied;
    if (r.satisfaction() == v1::SATISFACTION_SATISFIED) ++satisfied;
    auto due = Supervise(*engine_, r, result_->end_time);
    ASSERT_THAT(due, IsOk());
    for (const auto& w : due->warnings()) {
      if (w.level() == v1::WARNING_LEVEL_RED) {
        ++overdue;
        break;
      }
    }
    whistle_late += due->overdue_report_ins_size();
  }
  EXPECT_GT(result_->records.size(), 250u);
  // Only the two malformed sample cases are refused (at receive).
  EXPECT_EQ(result_->actions_refused, 2);
  // Each with its case, action and reason.
  ASSERT_EQ(result_->refusals.size(), 2u);
  for (const SampleRefusal& f : result_->refusals) {
    EXPECT_EQ(f.action, "receive");
    EXPECT_EQ(f.status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_GT(f.at, 0);
  }
  // The two malformed sample cases: one with no such matter, the next at no
  // such location (their ids follow the dataset's own cases).
  std::string bad_matter, bad_location;
  const std::vector<v1::Case> cases = SampleCases(*engine_);
  for (size_t i = 0; i + 1 < cases.size(); ++i) {
    if (cases[i].matter_code() == "00000") {
      bad_matter = cases[i].id();
      bad_location = cases[i + 1].id();
    }
  }
  ASSERT_FALSE(bad_matter.empty());
  EXPECT_EQ(result_->refusals[0].case_id, bad_matter);
  EXPECT_NE(result_->refusals[0].status.message().find("matter_code"),
            absl::string_view::npos);
  EXPECT_EQ(result_->refusals[1].case_id, bad_location);
  EXPECT_NE(result_->refusals[1].status.message().find("location_code"),
            absl::string_view::npos);
  EXPECT_GT(states[v1::CASE_STATE_EVALUATED], 150);
  EXPECT_GT(states[v1::CASE_STATE_SIGNED], 10);   // left open, overdue
  EXPECT_GT(states[v1::CASE_STATE_PARKED], 5);
  EXPECT_GT(states[v1::CASE_STATE_CANCELLED], 5);
  EXPECT_GT(states[v1::CASE_STATE_WITHDRAWN], 5);
  EXPECT_GT(states[v1::CASE_STATE_MERGED], 5);
  EXPECT_GT(sum.returns(), 20);
  EXPECT_GT(sum.reassigns(), 20);
  EXPECT_GT(arbitrated, 5);
  EXPECT_GT(sum.reworks(), 5);
  EXPECT_GT(sum.extensions(), 5);
  EXPECT_GT(sum.parks(), 10);
  EXPECT_GT(sum.reopens(), 5);
  EXPECT_GT(sum.urges(), 5);
  EXPECT_GT(sum.merged(), 5);
  EXPECT_GT(sum.whistles(), 0);
  EXPECT_GT(sum.co_handlers_added(), 5);
  EXPECT_GT(ratings, 50);
  EXPECT_GT(dissatisfied, 5);
  EXPECT_GT(satisfied, 50);
  EXPECT_GT(overdue, 10);
  EXPECT_GT(whistle_late, 0);
}

TEST_F(SampleLifecycleTest, DeterministicBytesInBothFileFormats) {
  const SampleLifecycleResult again = RunSampleLifecycles(*engine_);
  // The record-file encodings themselves are tested in records_io_test.
  for (RecordsFormat format :
       {RecordsFormat::kBinary, RecordsFormat::kJsonLines}) {
    const std::string a = SerializeRecords(result_->records, format);
    EXPECT_EQ(a, SerializeRecords(again.records, format));
    google::protobuf::RepeatedPtrField<v1::CaseRecord> back;
    ASSERT_THAT(ParseRecords(a, format, &back), IsOk());
    ASSERT_EQ(back.size(), result_->records.size());
    EXPECT_EQ(SerializeRecords(back, format), a);
  }
}

}  // namespace
}  // namespace jiceng
