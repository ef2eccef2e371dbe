// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Case record files, as `jiceng lifecycle --out` writes them and the
// assessment reads them: a length-delimited stream of jiceng.v1.CaseRecord
// (each a varint byte length, then the bytes — the batch format of
// src/routing/batch.h), or JSON lines (one CaseRecord per line, proto field
// names) when the file name ends in ".jsonl".
//
// Example:
//   std::string bytes = SerializeCaseRecords(records, /*json_lines=*/false);
//   JC_ASSIGN_OR_RETURN(std::vector<v1::CaseRecord> back,
//                       ParseCaseRecords(bytes, false));
//
// Thread safety: pure functions.

#ifndef JICENG_SRC_LIFECYCLE_CASE_RECORDS_H_
#define JICENG_SRC_LIFECYCLE_CASE_RECORDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jiceng/v1/lifecycle.pb.h"

namespace jiceng {

// Whether `path` names a JSON-lines record file (ends in ".jsonl").
bool IsJsonLinesPath(absl::string_view path);

// The records as a stream; deterministic bytes.
std::string SerializeCaseRecords(const std::vector<v1::CaseRecord>& records,
                                 bool json_lines);

// The records of a stream. INVALID_ARGUMENT naming the frame (binary) or
// line (JSON) that is truncated or not a CaseRecord.
absl::StatusOr<std::vector<v1::CaseRecord>> ParseCaseRecords(
    absl::string_view bytes, bool json_lines);

}  // namespace jiceng

#endif  // JICENG_SRC_LIFECYCLE_CASE_RECORDS_H_
