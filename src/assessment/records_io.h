// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Record stores: the files `jiceng assess` reads and the lifecycle's tools
// write. Two encodings of a sequence of jiceng.v1.CaseRecord:
//   - binary (the default): length-delimited frames, each a varint byte
//     length then the record (protobuf's writeDelimitedTo), as batches of
//     cases are (src/routing/batch.h);
//   - JSON lines (a file name ending in ".jsonl"): one record per line in
//     protobuf's JSON mapping; blank lines are skipped.
//
// Example:
//   google::protobuf::RepeatedPtrField<v1::CaseRecord> records;
//   JC_RETURN_IF_ERROR(ReadRecordsFile("march.records", &records));
//   // a frame cut short: INVALID_ARGUMENT "march.records: frame 7 at byte
//   //   1234 declares 300 bytes but only 12 remain"
//
// Thread safety: pure functions.

#ifndef JICENG_SRC_ASSESSMENT_RECORDS_IO_H_
#define JICENG_SRC_ASSESSMENT_RECORDS_IO_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_field.h"
#include "jiceng/v1/lifecycle.pb.h"

namespace jiceng {

// The largest record store read: 2 GiB.
inline constexpr size_t kMaxRecordsBytes = size_t{1} << 31;

enum class RecordsFormat { kBinary, kJsonLines };

// kJsonLines for a path ending in ".jsonl", else kBinary.
RecordsFormat RecordsFormatFromPath(absl::string_view path);

// Appends the records of `bytes` to *records. INVALID_ARGUMENT naming the
// frame (binary) or line (JSON) that does not parse; *records then holds
// the records before it. REQUIRES: records != nullptr.
absl::Status ParseRecords(
    absl::string_view bytes, RecordsFormat format,
    google::protobuf::RepeatedPtrField<v1::CaseRecord>* records);

// Calls fn with each record of `bytes` in turn (one message, reused: fn
// may take its contents, e.g. by Swap) until fn returns false. INVALID_ARGUMENT
// as ParseRecords for the first frame or line that does not parse, after fn had
// the records before it.
absl::Status ForEachRecord(absl::string_view bytes, RecordsFormat format,
                           absl::FunctionRef<bool(v1::CaseRecord&)> fn);

// Reads and parses a file (the format from its name); errors are prefixed
// with the path. NOT_FOUND when it cannot be opened, RESOURCE_EXHAUSTED
// above kMaxRecordsBytes, DATA_LOSS on a read error (see ReadFileBytes).
absl::Status ReadRecordsFile(
    const std::string& path,
    google::protobuf::RepeatedPtrField<v1::CaseRecord>* records);

// Appends one record in `format` to *out: a frame, or a JSON line.
void AppendRecord(const v1::CaseRecord& record, RecordsFormat format,
                  std::string* out);

// The records in `format`: frames, or one JSON object per line; any range
// of v1::CaseRecord (a RepeatedPtrField, a std::vector). Deterministic
// bytes.
template <typename Records>
std::string SerializeRecords(const Records& records, RecordsFormat format) {
  std::string out;
  for (const v1::CaseRecord& r : records) AppendRecord(r, format, &out);
  return out;
}

}  // namespace jiceng

#endif  // JICENG_SRC_ASSESSMENT_RECORDS_IO_H_
