// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/cli/case_reader.h"

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/utf8.h"
#include "src/routing/batch.h"
#include "src/sample/sample_cases.h"
#include "src/sample/sample_dataset.h"
#include "tests/status_matchers.h"

namespace jiceng {
namespace {

using ::testing::HasSubstr;

// Next(), which must not fail: whether there was a part.
bool NextPart(CaseReader& reader, CaseReader::Part* part) {
  absl::StatusOr<bool> more = reader.Next(part);
  EXPECT_THAT(more, IsOk());
  return more.ok() && *more;
}

// A directory of its own for each test, removed with its files.
class CaseReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "case_reader_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    for (const std::string& f : files_) std::remove(f.c_str());
    rmdir(dir_.c_str());
  }
  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = absl::StrCat(dir_, "/", name);
    std::ofstream(path, std::ios::binary) << bytes;
    files_.push_back(path);
    return path;
  }
  static std::unique_ptr<const Engine> Sample() {
    auto engine = Engine::Compile(SampleDataset());
    EXPECT_THAT(engine, IsOk());
    return std::move(*engine);
  }
  // Every part of `path`, read with `options`.
  static std::vector<CaseReader::Part> ReadAll(const std::string& path,
                                               const CaseReader::Options& options,
                                               std::vector<std::string>* bytes) {
    std::vector<CaseReader::Part> parts;
    auto reader = CaseReader::Open(path, options);
    EXPECT_THAT(reader, IsOk());
    if (!reader.ok()) return parts;
    CaseReader::Part part;
    while (true) {
      absl::StatusOr<bool> more = (*reader)->Next(&part);
      EXPECT_THAT(more, IsOk());
      if (!more.ok() || !*more) break;
      parts.push_back(part);
      bytes->emplace_back(part.frames);  // frames live until the next call
    }
    return parts;
  }

  std::string dir_;
  std::vector<std::string> files_;
};

TEST_F(CaseReaderTest, BinaryPartsAreTheStreamInWholeFrames) {
  auto engine = Sample();
  std::string stream;
  for (const v1::Case& c : SampleCases(*engine)) AppendDelimited(c, &stream);
  const std::string path = Write("cases", stream);
  // Small reads: frames straddle every read boundary.
  for (size_t block : {1u, 7u, 100u, 1u << 20}) {
    CaseReader::Options options;
    options.part_cases = 50;
    options.read_block = block;
    std::vector<std::string> bytes;
    std::vector<CaseReader::Part> parts = ReadAll(path, options, &bytes);
    std::string joined;
    int64_t index = 0;
    for (size_t k = 0; k < parts.size(); ++k) {
      EXPECT_THAT(parts[k].error, IsOk());
      EXPECT_EQ(parts[k].first_index, index) << k;
      EXPECT_EQ(parts[k].first_byte, static_cast<int64_t>(joined.size())) << k;
      EXPECT_LE(parts[k].cases, 50);
      std::vector<absl::string_view> frames;
      EXPECT_THAT(SplitDelimited(bytes[k], &frames), IsOk());
      EXPECT_EQ(static_cast<int64_t>(frames.size()), parts[k].cases);
      index += parts[k].cases;
      joined += bytes[k];
    }
    EXPECT_EQ(joined, stream) << block;
    EXPECT_EQ(static_cast<size_t>(index), SampleCases(*engine).size());
  }
  // A part also ends at part_bytes.
  CaseReader::Options small;
  small.part_bytes = 1;
  std::vector<std::string> bytes;
  std::vector<CaseReader::Part> parts = ReadAll(path, small, &bytes);
  ASSERT_FALSE(parts.empty());
  EXPECT_EQ(parts[0].cases, 1);
}

// Routed a part at a time, a stream that ends in a broken frame gives the
// bytes of one batch over the whole file.
TEST_F(CaseReaderTest, PartsRouteAsOneBatch) {
  auto engine = Sample();
  const Router router(*engine);
  std::string stream;
  for (const v1::Case& c : SampleCases(*engine)) AppendDelimited(c, &stream);
  stream += std::string("\x30\x0a\x01", 3);  // declares 48 bytes, 2 follow
  const std::string path = Write("broken.bin", stream);
  auto whole = RouteBatch(router, stream, BatchOptions{});
  ASSERT_THAT(whole, IsOk());
  EXPECT_THAT(*whole, HasSubstr(absl::StrCat("at byte ", stream.size() - 3)));
  CaseReader::Options options;
  options.part_cases = 40;
  options.read_block = 64;
  std::vector<std::string> bytes;
  std::vector<CaseReader::Part> parts = ReadAll(path, options, &bytes);
  std::string joined;
  for (size_t k = 0; k < parts.size(); ++k) {
    BatchOptions b;
    b.threads = 2;
    b.first_index = parts[k].first_index;
    b.first_byte = parts[k].first_byte;
    auto out = RouteBatch(router, bytes[k], b);
    ASSERT_THAT(out, IsOk());
    joined += *out;
  }
  EXPECT_TRUE(joined == *whole);
}

TEST_F(CaseReaderTest, JsonLinesWithABadLineInPlace) {
  const std::string path = Write(
      "cases.jsonl",
      "{\"id\": \"a\", \"matterCode\": \"01001\"}\n"
      "\n"
      "   \n"
      "{\"id\": \"b\"}\r\n"
      "{\"id\": \"c\", \"noSuchField\": 1}\n"
      "{\"id\": \"d\"}\n"
      "{\"id\": \"e\"}");  // no final newline
  CaseReader::Options options;
  options.read_block = 5;
  std::vector<std::string> bytes;
  std::vector<CaseReader::Part> parts = ReadAll(path, options, &bytes);
  ASSERT_EQ(parts.size(), 3u);
  // a and b; then c's error alone, naming its line; then d and e.
  EXPECT_EQ(parts[0].first_index, 0);
  EXPECT_EQ(parts[0].cases, 2);
  EXPECT_THAT(parts[0].error, IsOk());
  EXPECT_EQ(parts[1].first_index, 2);
  EXPECT_EQ(parts[1].cases, 1);
  EXPECT_TRUE(bytes[1].empty());
  EXPECT_THAT(parts[1].error,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       absl::StrCat(path, ":5: not a jiceng.v1.Case")));
  EXPECT_EQ(parts[2].first_index, 3);
  EXPECT_EQ(parts[2].cases, 2);
  std::vector<std::string> ids;
  for (size_t k : {0u, 2u}) {
    std::vector<absl::string_view> frames;
    ASSERT_THAT(SplitDelimited(bytes[k], &frames), IsOk());
    for (absl::string_view f : frames) {
      v1::Case c;
      ASSERT_TRUE(c.ParseFromArray(f.data(), static_cast<int>(f.size())));
      ids.push_back(c.id());
    }
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b", "d", "e"}));
}

TEST_F(CaseReaderTest, FormatFromTheNameElseTheFirstBytes) {
  const std::string json = "  {\"id\": \"a\"}\n";
  // A binary stream whose first frame is 123 bytes starts with '{' too.
  v1::Case c;
  c.set_id("x");
  c.set_matter_code(std::string(123 - 2 - 1 - 2, 'm'));
  ASSERT_EQ(c.ByteSizeLong(), 123u);
  std::string binary;
  AppendDelimited(c, &binary);
  ASSERT_EQ(binary[0], '{');

  auto is_json = [&](const std::string& name, const std::string& bytes) {
    auto reader = CaseReader::Open(Write(name, bytes));
    EXPECT_THAT(reader, IsOk());
    return reader.ok() && (*reader)->json();
  };
  EXPECT_TRUE(is_json("a", json));
  EXPECT_FALSE(is_json("b", binary));
  EXPECT_TRUE(is_json("c.jsonl", binary));  // the name wins
  EXPECT_FALSE(is_json("d.bin", json));
  EXPECT_TRUE(is_json("e", ""));  // no case either way
  EXPECT_TRUE(is_json("f", "{}"));
  EXPECT_TRUE(is_json("g", "\xEF\xBB\xBF{\"id\": \"a\"}\n"));
}

TEST_F(CaseReaderTest, AByteOrderMarkIsSkipped) {
  for (const std::string name : {"bom", "bom.jsonl"}) {
    std::vector<std::string> bytes;
    std::vector<CaseReader::Part> parts =
        ReadAll(Write(name, "\xEF\xBB\xBF{\"id\": \"a\"}\n{\"id\": \"b\"}\n"),
                CaseReader::Options(), &bytes);
    ASSERT_EQ(parts.size(), 1u) << name;
    EXPECT_THAT(parts[0].error, IsOk()) << name;
    EXPECT_EQ(parts[0].cases, 2) << name;
  }
}

// A binary stream whose first length prefix begins EF BB BF (a first
// frame of 2 MiB or more) is not taken for JSON lines with a byte-order
// mark; a byte-order mark before JSON, or before a line that is neither,
// still starts JSON lines.
TEST_F(CaseReaderTest, ALengthPrefixThatLooksLikeAByteOrderMarkIsBinary) {
  auto engine = Sample();
  const v1::Case base = SampleCases(*engine)[0];
  // EF BB BF then the prefix's last byte: 0x01, or 0x0A (a newline,
  // which the test for '{' after the mark skips as whitespace).
  for (const uint64_t last : {0x01u, 0x0Au}) {
    const uint64_t length = 0x6Fu | (0x3Bu << 7) | (0x3Fu << 14) | (last << 21);
    v1::Case big = base;
    size_t pad = length - base.ByteSizeLong() - 5;
    while (true) {
      big.set_free_text(std::string(pad, 'x'));
      if (big.ByteSizeLong() <= length) break;
      --pad;
    }
    big.set_free_text(std::string(pad + (length - big.ByteSizeLong()), 'x'));
    ASSERT_EQ(big.ByteSizeLong(), length);
    std::string stream;
    AppendDelimited(big, &stream);
    AppendDelimited(base, &stream);
    ASSERT_EQ(stream.substr(0, 4), absl::StrCat("\xEF\xBB\xBF",
                                                std::string(1, char(last))));
    std::vector<std::string> bytes;
    std::vector<CaseReader::Part> parts =
        ReadAll(Write(absl::StrCat("big", last), stream),
                CaseReader::Options(), &bytes);
    int cases = 0;
    for (const CaseReader::Part& part : parts) {
      EXPECT_THAT(part.error, IsOk()) << last;
      cases += part.cases;
    }
    EXPECT_EQ(cases, 2) << last;
    EXPECT_TRUE(absl::StrJoin(bytes, "") == stream) << last;
    // The name still wins.
    auto named = CaseReader::Open(Write(absl::StrCat("big", last, ".jsonl"), stream));
    ASSERT_THAT(named, IsOk());
    EXPECT_TRUE((*named)->json());
  }
  for (const std::string text :
       {"\xEF\xBB\xBF\n\n{\"id\": \"a\"}\n", "\xEF\xBB\xBFnot a case\n",
        "\xEF\xBB\xBF", "\xEF\xBB\xBF\x01\x02"}) {
    auto reader = CaseReader::Open(Write("bom", text));
    ASSERT_THAT(reader, IsOk());
    EXPECT_TRUE((*reader)->json()) << EscapeInvalidUtf8(text);
  }
}

// A length prefix of more than five bytes, or a frame above
// max_case_bytes, ends the stream with an error part at once: the rest of
// the file is neither framed nor read.
TEST_F(CaseReaderTest, ABrokenFrameEndsTheStreamWithoutReadingOn) {
  auto engine = Sample();
  std::vector<v1::Case> cases = SampleCases(*engine);
  std::string head;
  for (int i = 0; i < 3; ++i) AppendDelimited(cases[i], &head);
  const std::string tail(1 << 20, '\x01');
  CaseReader::Options options;
  options.read_block = 4096;
  options.max_case_bytes = 1000;
  struct Broken {
    std::string bytes;
    std::string message;
  };
  for (const Broken& b : {
           Broken{"\xff\xff\xff\xff\xff\x01",
                  "has a truncated or oversized length prefix"},
           Broken{"\xe9\x07", "declares 1001 bytes, more than the 1000"}}) {
    auto reader = CaseReader::Open(Write("broken", head + b.bytes + tail), options);
    ASSERT_THAT(reader, IsOk());
    CaseReader::Part part;
    ASSERT_TRUE(NextPart(**reader, &part));
    EXPECT_EQ(part.cases, 3);
    EXPECT_EQ(part.frames, head);
    ASSERT_TRUE(NextPart(**reader, &part));
    EXPECT_EQ(part.first_index, 3);
    EXPECT_EQ(part.first_byte, static_cast<int64_t>(head.size()));
    EXPECT_EQ(part.cases, 1);
    EXPECT_TRUE(part.frames.empty());
    EXPECT_THAT(part.error,
                StatusIs(absl::StatusCode::kInvalidArgument,
                         absl::StrCat("frame 3 at byte ", head.size(), " ")));
    EXPECT_THAT(part.error.message(), HasSubstr(b.message));
    EXPECT_FALSE(NextPart(**reader, &part));
    EXPECT_LT((*reader)->bytes_read(), 3 * 4096) << b.message;
  }
}

TEST_F(CaseReaderTest, JsonLinesTooLongOrNotUtf8) {
  CaseReader::Options options;
  options.read_block = 16;
  options.max_case_bytes = 40;
  const std::string path = Write(
      "long.jsonl", absl::StrCat("{\"id\": \"", std::string(100, 'x'),
                                 "\"}\n{\"id\": \"\xb2\xe2\"}\n{\"id\": \"ok\"}\n"));
  std::vector<std::string> bytes;
  std::vector<CaseReader::Part> parts = ReadAll(path, options, &bytes);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_THAT(parts[0].error,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       absl::StrCat(path, ":1: a line of more than 40 bytes")));
  // GBK bytes are quoted escaped: the message stays UTF-8.
  EXPECT_THAT(parts[1].error,
              StatusIs(absl::StatusCode::kInvalidArgument, absl::StrCat(path, ":2: ")));
  EXPECT_TRUE(IsValidUtf8(parts[1].error.message()));
  EXPECT_THAT(parts[2].error, IsOk());
  EXPECT_EQ(parts[2].first_index, 2);
  EXPECT_EQ(parts[2].cases, 1);
}

TEST_F(CaseReaderTest, OnlyWhitespaceHasNoCase) {
  for (const std::string bytes : {"", "\n", "  \n\t\n"}) {
    std::vector<std::string> read;
    EXPECT_TRUE(ReadAll(Write("blank", bytes), CaseReader::Options(), &read).empty())
        << bytes.size();
  }
}

// A binary stream whose first frame is 123 bytes and begins with
// matter_code starts with '{"', as JSON does: the first line decides.
TEST_F(CaseReaderTest, ABinaryFrameThatLooksLikeJson) {
  v1::Case c;
  c.set_matter_code(std::string(121, 'm'));
  ASSERT_EQ(c.ByteSizeLong(), 123u);
  std::string binary;
  for (int i = 0; i < 3; ++i) AppendDelimited(c, &binary);
  ASSERT_EQ(binary.substr(0, 2), "{\"");
  std::vector<std::string> bytes;
  std::vector<CaseReader::Part> parts =
      ReadAll(Write("noid", binary), CaseReader::Options(), &bytes);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].cases, 3);
  EXPECT_EQ(bytes[0], binary);
}

// From a pipe, a part ends with the cases that have come when no more are
// waiting: a live stream is routed as it arrives.
TEST_F(CaseReaderTest, ALiveStreamIsReadAsItComes) {
  auto engine = Sample();
  std::vector<v1::Case> cases = SampleCases(*engine);
  for (bool json : {false, true}) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    std::FILE* in = fdopen(fds[0], "rb");
    ASSERT_NE(in, nullptr);
    std::string first, second;
    if (json) {
      first = "{\"id\": \"a\"}\n{\"id\": \"b\"}\n";
      second = "{\"id\": \"c\"}\n";
    } else {
      AppendDelimited(cases[0], &first);
      AppendDelimited(cases[1], &first);
      AppendDelimited(cases[2], &second);
    }
    ASSERT_EQ(write(fds[1], first.data(), first.size()),
              static_cast<ssize_t>(first.size()));
    auto reader = CaseReader::Open(in, json ? "live.jsonl" : "live.bin",
                                   CaseReader::Options());
    ASSERT_THAT(reader, IsOk());
    CaseReader::Part part;
    // Would block for ever if the reader waited for a whole block.
    ASSERT_TRUE(NextPart(**reader, &part));
    EXPECT_EQ(part.cases, 2) << json;
    ASSERT_EQ(write(fds[1], second.data(), second.size()),
              static_cast<ssize_t>(second.size()));
    close(fds[1]);
    ASSERT_TRUE(NextPart(**reader, &part));
    EXPECT_EQ(part.first_index, 2);
    EXPECT_EQ(part.cases, 1);
    EXPECT_FALSE(NextPart(**reader, &part));
    reader->reset();
    std::fclose(in);
  }
}

TEST_F(CaseReaderTest, FilesThatCannotBeRead) {
  EXPECT_THAT(CaseReader::Open(dir_ + "/missing.jsonl"),
              StatusIs(absl::StatusCode::kNotFound, "missing.jsonl"));
  EXPECT_THAT(CaseReader::Open(dir_),
              StatusIs(absl::StatusCode::kInvalidArgument, "cannot read"));
}

}  // namespace
}  // namespace jiceng
