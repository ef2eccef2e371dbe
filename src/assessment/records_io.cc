// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/assessment/records_io.h"

#include <climits>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"
#include "src/base/json_error.h"
#include "src/base/status_macros.h"
#include "src/dataset/dataset_io.h"
#include "src/routing/batch.h"

namespace jiceng {

RecordsFormat RecordsFormatFromPath(absl::string_view path) {
  return absl::EndsWith(path, ".jsonl") ? RecordsFormat::kJsonLines
                                        : RecordsFormat::kBinary;
}

absl::Status ForEachRecord(absl::string_view bytes, RecordsFormat format,
                           absl::FunctionRef<bool(v1::CaseRecord&)> fn) {
  v1::CaseRecord r;
  if (format == RecordsFormat::kJsonLines) {
    int line_no = 0;
    for (absl::string_view line : absl::StrSplit(bytes, '\n')) {
      ++line_no;
      if (absl::StripAsciiWhitespace(line).empty()) continue;
      r.Clear();
      const auto status = google::protobuf::util::JsonStringToMessage(
          google::protobuf::StringPiece(line.data(), line.size()), &r);
      if (!status.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "line ", line_no, ": not a jiceng.v1.CaseRecord: ",
            JsonErrorLine(absl::string_view(status.message().data(),
                                            status.message().size()))));
      }
      if (!fn(r)) return absl::OkStatus();
    }
    return absl::OkStatus();
  }
  std::vector<absl::string_view> frames;
  const absl::Status framing = SplitDelimited(bytes, &frames);
  for (size_t i = 0; i < frames.size(); ++i) {
    // Frames are below 2^35 by the varint's width, a frame above INT_MAX
    // cannot be handed to ParseFromArray (TOOLCHAIN pitfall 8).
    if (frames[i].size() > INT_MAX ||
        !r.ParseFromArray(frames[i].data(),
                          static_cast<int>(frames[i].size()))) {
      return absl::InvalidArgumentError(
          absl::StrCat("frame ", i, " (", frames[i].size(),
                       " bytes) is not a jiceng.v1.CaseRecord"));
    }
    if (!fn(r)) return absl::OkStatus();
  }
  return framing;
}

absl::Status ParseRecords(
    absl::string_view bytes, RecordsFormat format,
    google::protobuf::RepeatedPtrField<v1::CaseRecord>* records) {
  return ForEachRecord(bytes, format, [records](v1::CaseRecord& r) {
    records->Add()->Swap(&r);
    return true;
  });
}

absl::Status ReadRecordsFile(
    const std::string& path,
    google::protobuf::RepeatedPtrField<v1::CaseRecord>* records) {
  absl::StatusOr<std::string> bytes = ReadFileBytes(path, kMaxRecordsBytes);
  if (!bytes.ok()) return bytes.status();
  const absl::Status s =
      ParseRecords(*bytes, RecordsFormatFromPath(path), records);
  if (s.ok()) return s;
  return WithContext(path, s);
}

void AppendRecord(const v1::CaseRecord& record, RecordsFormat format,
                  std::string* out) {
  if (format == RecordsFormat::kBinary) {
    AppendDelimited(record, out);
    return;
  }
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string line;
  (void)google::protobuf::util::MessageToJsonString(record, &line, options);
  absl::StrAppend(out, line, "\n");
}

}  // namespace jiceng
