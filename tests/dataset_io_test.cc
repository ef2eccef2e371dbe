// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/dataset/dataset_io.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "src/base/json_error.h"
#include "tests/status_matchers.h"
#include "tests/test_datasets.h"

namespace jiceng {
namespace {

using google::protobuf::util::MessageDifferencer;

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/jiceng_io_test_" + name;
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary);
  f << bytes;
}

std::string AsJson(const v1::Dataset& d) {
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(d, &json).ok());
  return json;
}

std::string AsText(const v1::Dataset& d) {
  std::string text;
  EXPECT_TRUE(google::protobuf::TextFormat::PrintToString(d, &text));
  return text;
}

TEST(DatasetIo, ParsesAllThreeFormatsFromMemory) {
  const v1::Dataset d = TinyDataset();
  for (DatasetFormat f : {DatasetFormat::kBinary, DatasetFormat::kAuto}) {
    auto parsed = ParseDataset(d.SerializeAsString(), f);
    ASSERT_THAT(parsed, IsOk());
    EXPECT_TRUE(MessageDifferencer::Equals(*parsed, d));
  }
  for (DatasetFormat f : {DatasetFormat::kJson, DatasetFormat::kAuto}) {
    auto parsed = ParseDataset(AsJson(d), f);
    ASSERT_THAT(parsed, IsOk());
    EXPECT_TRUE(MessageDifferencer::Equals(*parsed, d));
  }
  for (DatasetFormat f : {DatasetFormat::kText, DatasetFormat::kAuto}) {
    auto parsed = ParseDataset(AsText(d), f);
    ASSERT_THAT(parsed, IsOk());
    EXPECT_TRUE(MessageDifferencer::Equals(*parsed, d));
  }
}

TEST(DatasetIo, DetectsFormats) {
  const v1::Dataset d = TinyDataset();
  EXPECT_EQ(DetectDatasetFormat(d.SerializeAsString()),
            DatasetFormat::kBinary);
  EXPECT_EQ(DetectDatasetFormat("  \n{\"meta\":{}}"), DatasetFormat::kJson);
  EXPECT_EQ(DetectDatasetFormat("meta { id: \"六合\" }"), DatasetFormat::kText);
  EXPECT_EQ(DatasetFormatFromPath("a/b.JSON"), DatasetFormat::kJson);
  EXPECT_EQ(DatasetFormatFromPath("x.textproto"), DatasetFormat::kText);
  EXPECT_EQ(DatasetFormatFromPath("x.binpb"), DatasetFormat::kBinary);
  EXPECT_EQ(DatasetFormatFromPath("x.data"), DatasetFormat::kAuto);
}

TEST(DatasetIo, ReadsFilesOfEachFormat) {
  const v1::Dataset d = TinyDataset();
  const std::string bin = TempPath("d.binpb");
  const std::string json = TempPath("d.json");
  const std::string text = TempPath("d.textproto");
  const std::string unknown = TempPath("d.data");
  WriteFile(bin, d.SerializeAsString());
  WriteFile(json, AsJson(d));
  WriteFile(text, AsText(d));
  WriteFile(unknown, AsText(d));
  for (const std::string& path : {bin, json, text, unknown}) {
    auto parsed = ReadDatasetFile(path, DatasetFormat::kAuto);
    ASSERT_THAT(parsed, IsOk()) << path;
    EXPECT_TRUE(MessageDifferencer::Equals(*parsed, d)) << path;
  }
}

TEST(DatasetIo, ATextFileMayBeginWithAByteOrderMark) {
  const v1::Dataset d = TinyDataset();
  const std::string bom = "\xEF\xBB\xBF";
  for (DatasetFormat f : {DatasetFormat::kJson, DatasetFormat::kAuto}) {
    auto parsed = ParseDataset(bom + AsJson(d), f);
    ASSERT_THAT(parsed, IsOk());
    EXPECT_TRUE(MessageDifferencer::Equals(*parsed, d));
  }
  for (DatasetFormat f : {DatasetFormat::kText, DatasetFormat::kAuto}) {
    auto parsed = ParseDataset(bom + AsText(d), f);
    ASSERT_THAT(parsed, IsOk());
    EXPECT_TRUE(MessageDifferencer::Equals(*parsed, d));
  }
  // A binary dataset is never stripped: the bytes are a field tag there.
  EXPECT_FALSE(ParseDataset(bom + d.SerializeAsString(),
                            DatasetFormat::kBinary)
                   .ok());
  const std::string path = TempPath("bom.json");
  WriteFile(path, bom + AsJson(d));
  auto read = ReadDatasetFile(path, DatasetFormat::kAuto);
  ASSERT_THAT(read, IsOk());
  EXPECT_TRUE(MessageDifferencer::Equals(*read, d));
}

TEST(DatasetIo, AFileOverTheLimitIsRefusedBeforeReadingIt) {
  const std::string path = TempPath("big.binpb");
  WriteFile(path, std::string(4096, 'x'));
  EXPECT_THAT(ReadFileBytes(path, 1000),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       "is 4096 bytes, larger than the limit of 1000 bytes"));
  auto exact = ReadFileBytes(path, 4096);
  ASSERT_THAT(exact, IsOk());
  EXPECT_EQ(exact->size(), 4096u);
  // A pipe reports no size: it is checked as it is read.
  EXPECT_THAT(ReadFileBytes("/proc/self/cmdline", 1),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       "larger than the limit of 1 bytes"));
}

TEST(DatasetIo, ADirectoryIsNotADataFile) {
  EXPECT_THAT(ReadDatasetFile(::testing::TempDir(), DatasetFormat::kAuto),
              StatusIs(absl::StatusCode::kInvalidArgument, "Is a directory"));
}

// protobuf's JSON errors come on three lines (reason, excerpt, caret):
// every message here is one line, the excerpt from the error's place.
TEST(DatasetIo, AJsonErrorIsOneLine) {
  EXPECT_EQ(JsonErrorLine("Unexpected token.\nx}\n^"),
            "Unexpected token. at \"x}\"");
  EXPECT_EQ(JsonErrorLine("Unexpected token.\n{\"meta\": x}\n         ^\n"),
            "Unexpected token. at \"x}\"");
  EXPECT_EQ(JsonErrorLine("one line"), "one line");
  EXPECT_EQ(JsonErrorLine("two\nlines"), "two; lines");
  auto parsed = ParseDataset("{\"meta\": x}", DatasetFormat::kJson);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message().find('\n'), absl::string_view::npos)
      << parsed.status();
  EXPECT_THAT(parsed.status(), StatusIs(absl::StatusCode::kInvalidArgument,
                                        "JSON dataset: "));
}

TEST(DatasetIo, MissingFileIsNotFoundNamingThePath) {
  EXPECT_THAT(ReadDatasetFile("/nonexistent/luhe.binpb", DatasetFormat::kAuto),
              StatusIs(absl::StatusCode::kNotFound, "/nonexistent/luhe.binpb"));
}

TEST(DatasetIo, AFileInPlaceOfADirectoryIsNotFound) {
  EXPECT_THAT(ReadDatasetFile("/proc/self/exe/luhe.binpb", DatasetFormat::kAuto),
              StatusIs(absl::StatusCode::kNotFound, "/proc/self/exe/luhe.binpb"));
}

// A file the process may not read is PERMISSION_DENIED, not "not found".
// Root reads any file, so the check runs in a child that gives up root
// (when it has it) before opening a file only its owner may read.
TEST(DatasetIo, UnreadableFileIsPermissionDenied) {
  const std::string path = ::testing::TempDir() + "dataset_io_unreadable.binpb";
  {
    std::ofstream f(path, std::ios::binary);
    f << TinyDataset().SerializeAsString();
  }
  ASSERT_EQ(chmod(path.c_str(), 0), 0);
  const pid_t pid = fork();
  ASSERT_NE(pid, -1);
  if (pid == 0) {
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(2);
    const absl::StatusOr<std::string> bytes = ReadFileBytes(path, 1 << 20);
    const bool denied =
        bytes.status().code() == absl::StatusCode::kPermissionDenied &&
        absl::StrContains(bytes.status().message(), path) &&
        absl::StrContains(bytes.status().message(), "Permission denied");
    _exit(denied ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  std::remove(path.c_str());
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0)
      << "1: not PERMISSION_DENIED naming the path; 2: could not drop root";
}

TEST(DatasetIo, TruncatedAndCorruptedBinaries) {
  const std::string bytes = TinyDataset().SerializeAsString();
  int refused = 0;
  // Every strict prefix that cuts a field in the middle is refused; a cut
  // between top-level fields is a valid (smaller) message, which
  // validation then judges.
  for (size_t n = 1; n < bytes.size(); n += 7) {
    auto parsed = ParseDataset(bytes.substr(0, n), DatasetFormat::kBinary);
    if (!parsed.ok()) {
      ++refused;
      EXPECT_THAT(parsed, StatusIs(absl::StatusCode::kInvalidArgument,
                                   "truncated or corrupted"));
    }
  }
  EXPECT_GT(refused, 0);
  std::string corrupt = bytes;
  corrupt[0] = '\xff';
  corrupt[1] = '\xff';
  EXPECT_THAT(ParseDataset(corrupt, DatasetFormat::kBinary),
              StatusIs(absl::StatusCode::kInvalidArgument, "binary"));
}

TEST(DatasetIo, MalformedTextNamesLineAndColumn) {
  EXPECT_THAT(ParseDataset("meta {\n  id: \"x\"\n  nonsense: 3\n}",
                           DatasetFormat::kText),
              StatusIs(absl::StatusCode::kInvalidArgument, "line 3:"));
  EXPECT_THAT(ParseDataset("{\"meta\": {\"id\": 3", DatasetFormat::kJson),
              StatusIs(absl::StatusCode::kInvalidArgument, "JSON"));
  EXPECT_THAT(ParseDataset("{\"unknownField\": 1}", DatasetFormat::kJson),
              StatusIs(absl::StatusCode::kInvalidArgument, "JSON"));
}

// Text but for one byte that is not UTF-8, in a file whose name says no
// format: the error is the text reader's, naming the element and field,
// not the binary reader's "not a jiceng.v1.Dataset".
TEST(DatasetIo, TextWithABadByteNamesTheFieldWhateverTheExtension) {
  v1::Dataset d = TinyDataset();
  d.mutable_regions(4)->set_name("@@");
  std::string text = AsText(d);
  const size_t at = text.find("@@");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 2, "\xff\xfe");
  EXPECT_EQ(DetectDatasetFormat(text), DatasetFormat::kBinary);
  EXPECT_THAT(ParseDataset(text, DatasetFormat::kAuto),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "text dataset: regions[4].name: not valid UTF-8"));
  const std::string path = TempPath("bad_byte.dat");
  WriteFile(path, text);
  EXPECT_THAT(ReadDatasetFile(path, DatasetFormat::kAuto),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "regions[4].name: not valid UTF-8"));
  std::remove(path.c_str());
  // Asked for binary, it stays binary.
  EXPECT_THAT(ParseDataset(text, DatasetFormat::kBinary),
              StatusIs(absl::StatusCode::kInvalidArgument, "binary"));
  // The bad byte in a comment: the text reads.
  auto parsed =
      ParseDataset("# \xff\n" + AsText(TinyDataset()), DatasetFormat::kAuto);
  ASSERT_THAT(parsed, IsOk());
  EXPECT_TRUE(MessageDifferencer::Equals(*parsed, TinyDataset()));
}

TEST(DatasetIo, EmptyInputIsAnEmptyDataset) {
  auto parsed = ParseDataset("", DatasetFormat::kBinary);
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(parsed->regions_size(), 0);
}

}  // namespace
}  // namespace jiceng
