// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/lifecycle/case_records.h"

#include <climits>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"
#include "src/routing/batch.h"

namespace jiceng {

bool IsJsonLinesPath(absl::string_view path) {
  return absl::EndsWith(path, ".jsonl");
}

std::string SerializeCaseRecords(const std::vector<v1::CaseRecord>& records,
                                 bool json_lines) {
  std::string out;
  if (!json_lines) {
    for (const v1::CaseRecord& r : records) AppendDelimited(r, &out);
    return out;
  }
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  for (const v1::CaseRecord& r : records) {
    std::string line;
    (void)google::protobuf::util::MessageToJsonString(r, &line, options);
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

absl::StatusOr<std::vector<v1::CaseRecord>> ParseCaseRecords(
    absl::string_view bytes, bool json_lines) {
  std::vector<v1::CaseRecord> records;
  if (json_lines) {
    int line_no = 0;
    for (absl::string_view line : absl::StrSplit(bytes, '\n')) {
      ++line_no;
      if (absl::StripAsciiWhitespace(line).empty()) continue;
      v1::CaseRecord r;
      auto st = google::protobuf::util::JsonStringToMessage(
          google::protobuf::StringPiece(line.data(), line.size()), &r);
      if (!st.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "line ", line_no, " is not a jiceng.v1.CaseRecord: ",
            std::string(st.message().data(), st.message().size())));
      }
      records.push_back(std::move(r));
    }
    return records;
  }
  std::vector<absl::string_view> frames;
  absl::Status framing = SplitDelimited(bytes, &frames);
  if (!framing.ok()) return framing;
  records.resize(frames.size());
  for (size_t i = 0; i < frames.size(); ++i) {
    if (frames[i].size() > INT_MAX ||
        !records[i].ParseFromArray(frames[i].data(),
                                   static_cast<int>(frames[i].size()))) {
      return absl::InvalidArgumentError(
          absl::StrCat("frame ", i, " is not a jiceng.v1.CaseRecord"));
    }
  }
  return records;
}

}  // namespace jiceng
