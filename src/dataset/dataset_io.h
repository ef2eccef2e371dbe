// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Reading a Dataset from binary, JSON or text protobuf, from memory or a
// file. Parsing only: validation is ValidateDataset's job.
//
// Example:
//   JC_ASSIGN_OR_RETURN(v1::Dataset d,
//                       ReadDatasetFile("luhe.textproto", DatasetFormat::kAuto));
//   JC_ASSIGN_OR_RETURN(v1::Dataset e, ParseDataset(bytes, DatasetFormat::kBinary));

#ifndef JICENG_SRC_DATASET_DATASET_IO_H_
#define JICENG_SRC_DATASET_DATASET_IO_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/message.h"
#include "jiceng/v1/dataset.pb.h"

namespace jiceng {

// Values pinned: they are the C ABI's JC_FORMAT_* values.
enum class DatasetFormat {
  kAuto = 0,    // JSON if the first non-blank byte is '{', text format if
                // the bytes are valid UTF-8 without control characters other
                // than blanks, else binary
  kBinary = 1,
  kJson = 2,
  kText = 3,
};

// The largest dataset accepted, in bytes (protobuf parses at most 2 GiB).
inline constexpr size_t kMaxDatasetBytes = size_t{1} << 30;

// "binary", "json", "text", "auto".
absl::string_view DatasetFormatName(DatasetFormat format);

// The format a file name implies: .pb/.bin/.binpb -> binary, .json -> JSON,
// .textproto/.txtpb/.pbtxt/.txt -> text, anything else -> kAuto.
DatasetFormat DatasetFormatFromPath(absl::string_view path);

// What kAuto resolves to for these bytes.
DatasetFormat DetectDatasetFormat(absl::string_view bytes);

// `bytes` without a leading UTF-8 byte-order mark (editors on Windows
// begin text with one; neither protobuf's JSON nor its text parser takes
// it) when they are JSON or text: `format` says so, or, for kAuto, what
// follows the mark. A binary message keeps its bytes: its first bytes are
// a field tag, whatever they are.
absl::string_view WithoutByteOrderMark(absl::string_view bytes,
                                       DatasetFormat format);

// Parses JSON or protobuf text (`format`, kJson or kText) into `message`
// as every loader here does: JSON must be UTF-8 and its parser's error
// comes on one line; a text error names its line:column, protobuf logging
// nothing; strings the text parser lets through must be UTF-8.
// INVALID_ARGUMENT "<what>: <reason>", or from CheckUtf8Strings with
// `strings_what` for a string that is not UTF-8.
absl::Status ParseJsonOrText(absl::string_view bytes, DatasetFormat format,
                             absl::string_view what,
                             absl::string_view strings_what,
                             google::protobuf::Message* message);

// Parses `bytes`. INVALID_ARGUMENT naming the format and the position
// (line:column for text, the parser's message for JSON) on malformed input
// — including truncated or corrupted binaries; RESOURCE_EXHAUSTED when
// larger than kMaxDatasetBytes.
absl::StatusOr<v1::Dataset> ParseDataset(absl::string_view bytes,
                                         DatasetFormat format);

// Reads and parses a file. When it cannot be opened, an error naming the
// path and the reason: NOT_FOUND when it does not exist, PERMISSION_DENIED
// when it may not be read; kAuto picks the format from the extension, then the content.
absl::StatusOr<v1::Dataset> ReadDatasetFile(const std::string& path,
                                            DatasetFormat format);

// Reads a whole file. NOT_FOUND / PERMISSION_DENIED (see ReadDatasetFile)
// or RESOURCE_EXHAUSTED naming the path.
absl::StatusOr<std::string> ReadFileBytes(const std::string& path,
                                          size_t max_bytes);

// The errors for a file that fopen() or fread() refused with errno `err`,
// naming the path and the reason. Opening: NOT_FOUND (ENOENT, ENOTDIR),
// PERMISSION_DENIED (EACCES, EPERM), absl's mapping otherwise. Reading:
// INVALID_ARGUMENT for a directory (EISDIR), DATA_LOSS otherwise.
absl::Status FileOpenError(const std::string& path, int err);
absl::Status FileReadError(const std::string& path, int err);

// Collects protobuf's text-format parser errors: the first, with its place
// ("line 3:14: ..."), and how many. Given to TextFormat::Parser::
// RecordErrorsTo, it also keeps protobuf from logging them to stderr.
class TextParseErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (count_++ == 0) {
      first_ = absl::StrCat("line ", line + 1, ":", column + 1, ": ", message);
    }
  }
  void AddWarning(int, int, const std::string&) override {}
  const std::string& first() const { return first_; }
  int count() const { return count_; }

 private:
  std::string first_;
  int count_ = 0;
};

}  // namespace jiceng

#endif  // JICENG_SRC_DATASET_DATASET_IO_H_
