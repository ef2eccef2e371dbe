// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/assessment/records_io.h"

#include <cstdio>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/assessment_fixture.h"
#include "tests/status_matchers.h"

namespace jiceng {
namespace {

using Records = google::protobuf::RepeatedPtrField<v1::CaseRecord>;

TEST(RecordsIo, FormatFromPath) {
  EXPECT_EQ(RecordsFormatFromPath("a/b.jsonl"), RecordsFormat::kJsonLines);
  EXPECT_EQ(RecordsFormatFromPath("a/b.records"), RecordsFormat::kBinary);
  EXPECT_EQ(RecordsFormatFromPath("jsonl"), RecordsFormat::kBinary);
}

TEST(RecordsIo, BothFormatsRoundTrip) {
  const v1::AssessRequest q = FixedAssessRequest();
  for (RecordsFormat f : {RecordsFormat::kBinary, RecordsFormat::kJsonLines}) {
    const std::string bytes = SerializeRecords(q.records(), f);
    Records back;
    ASSERT_THAT(ParseRecords(bytes, f, &back), IsOk());
    ASSERT_EQ(back.size(), q.records_size());
    for (int i = 0; i < back.size(); ++i) {
      EXPECT_EQ(back[i].SerializeAsString(), q.records(i).SerializeAsString())
          << i;
    }
  }
}

TEST(RecordsIo, TruncatedFrameNamesItsIndex) {
  const v1::AssessRequest q = FixedAssessRequest();
  std::string bytes = SerializeRecords(q.records(), RecordsFormat::kBinary);
  bytes.pop_back();
  Records back;
  EXPECT_THAT(ParseRecords(bytes, RecordsFormat::kBinary, &back),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "frame 11 at byte"));
  // The records before the broken frame are kept.
  EXPECT_EQ(back.size(), 11);
}

TEST(RecordsIo, GarbageFrame) {
  // A frame of 3 bytes that are not a record (field 0 is invalid).
  const std::string bytes("\x03\x00\x00\x00", 4);
  Records back;
  EXPECT_THAT(ParseRecords(bytes, RecordsFormat::kBinary, &back),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "frame 0 (3 bytes) is not a jiceng.v1.CaseRecord"));
  EXPECT_EQ(back.size(), 0);
}

TEST(RecordsIo, BadJsonLineNamesTheLine) {
  const std::string text =
      "{\"state\": \"CASE_STATE_CLOSED\"}\n\n{\"state\": 1, \"nope\": 2}\n";
  Records back;
  EXPECT_THAT(ParseRecords(text, RecordsFormat::kJsonLines, &back),
              StatusIs(absl::StatusCode::kInvalidArgument, "line 3:"));
  ASSERT_EQ(back.size(), 1);
  EXPECT_EQ(back[0].state(), v1::CASE_STATE_CLOSED);
}

TEST(RecordsIo, ReadFilePrefixesThePath) {
  const std::string path = ::testing::TempDir() + "/records_io_test.jsonl";
  {
    std::ofstream f(path);
    f << "not json\n";
  }
  Records back;
  EXPECT_THAT(ReadRecordsFile(path, &back),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "records_io_test.jsonl: line 1"));
  EXPECT_THAT(ReadRecordsFile(path + ".missing", &back),
              StatusIs(absl::StatusCode::kNotFound, "cannot open"));
  std::remove(path.c_str());
}

}  // namespace
}  // namespace jiceng
