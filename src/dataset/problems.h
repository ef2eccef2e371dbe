// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// ProblemList collects validation problems. Validators never stop at the
// first problem: they report every one, each naming the rule, the element
// kind and code, and the field, then the caller decides.
//
// Example:
//   ProblemList problems;
//   problems.Error("region.duplicate_code", "region", "320116001000", "code",
//                  "code already used by region #3");
//   if (problems.has_errors()) ...

#ifndef JICENG_SRC_DATASET_PROBLEMS_H_
#define JICENG_SRC_DATASET_PROBLEMS_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "jiceng/v1/validation.pb.h"

namespace jiceng {

// Not thread-safe; movable, copyable.
class ProblemList {
 public:
  // At most this many problems are recorded; later ones are only counted,
  // so that a hostile dataset cannot make the report unbounded.
  static constexpr int kMaxRecorded = 10000;
  // A recorded element code keeps at most this many bytes (cut at a UTF-8
  // boundary, then "…").
  static constexpr size_t kMaxCodeBytes = 64;
  // A recorded message keeps at most this many bytes, "…" included (cut at
  // a UTF-8 boundary). Validators clip each value they quote to 64 bytes
  // (Utf8Prefix); this is the backstop that bounds the report at about
  // kMaxRecorded * 1 KiB whatever a message quotes.
  static constexpr size_t kMaxMessageBytes = 1024;

  void Error(absl::string_view rule, absl::string_view element_kind,
             absl::string_view element_code, absl::string_view field,
             absl::string_view message);
  void Warning(absl::string_view rule, absl::string_view element_kind,
               absl::string_view element_code, absl::string_view field,
               absl::string_view message);

  int error_count() const { return error_count_; }
  int warning_count() const { return warning_count_; }
  bool has_errors() const { return error_count_ > 0; }

  const v1::ValidationReport& report() const { return report_; }
  v1::ValidationReport TakeReport() &&;

  // INVALID_ARGUMENT summarising the errors ("dataset has 3 errors; first:
  // region 320116001000 parent_code: …"), or OK when there are none.
  absl::Status ToStatus() const;

 private:
  void Add(v1::Severity severity, absl::string_view rule,
           absl::string_view element_kind, absl::string_view element_code,
           absl::string_view field, absl::string_view message);

  v1::ValidationReport report_;
  int error_count_ = 0;
  int warning_count_ = 0;
};

// "region 320116001000 parent_code: message [region.dangling_parent]".
std::string FormatProblem(const v1::Problem& problem);

}  // namespace jiceng

#endif  // JICENG_SRC_DATASET_PROBLEMS_H_
