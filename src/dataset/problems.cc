// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/dataset/problems.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "src/base/utf8.h"

namespace jiceng {

void ProblemList::Error(absl::string_view rule, absl::string_view element_kind,
                        absl::string_view element_code,
                        absl::string_view field, absl::string_view message) {
  Add(v1::SEVERITY_ERROR, rule, element_kind, element_code, field, message);
}

void ProblemList::Warning(absl::string_view rule,
                          absl::string_view element_kind,
                          absl::string_view element_code,
                          absl::string_view field, absl::string_view message) {
  Add(v1::SEVERITY_WARNING, rule, element_kind, element_code, field, message);
}

void ProblemList::Add(v1::Severity severity, absl::string_view rule,
                      absl::string_view element_kind,
                      absl::string_view element_code, absl::string_view field,
                      absl::string_view message) {
  if (severity == v1::SEVERITY_ERROR) {
    ++error_count_;
    report_.set_error_count(error_count_);
  } else {
    ++warning_count_;
    report_.set_warning_count(warning_count_);
  }
  if (report_.problems_size() >= kMaxRecorded) return;
  v1::Problem* p = report_.add_problems();
  p->set_severity(severity);
  p->set_rule(std::string(rule));
  p->set_element_kind(std::string(element_kind));
  // Codes come from user data: keep a bounded, printable prefix so that a
  // 100 MB "code" does not become a 100 MB report line.
  if (element_code.size() > kMaxCodeBytes) {
    p->set_element_code(
        absl::StrCat(Utf8Prefix(element_code, kMaxCodeBytes), "…"));
  } else {
    p->set_element_code(std::string(element_code));
  }
  p->set_field(std::string(field));
  // Messages quote user text clipped to 64 bytes; the cap catches a quote
  // that was not, so that no message grows with the input.
  constexpr absl::string_view kEllipsis = "…";
  if (message.size() > kMaxMessageBytes) {
    p->set_message(absl::StrCat(
        Utf8Prefix(message, kMaxMessageBytes - kEllipsis.size()), kEllipsis));
  } else {
    p->set_message(std::string(message));
  }
}

v1::ValidationReport ProblemList::TakeReport() && {
  return std::move(report_);
}

absl::Status ProblemList::ToStatus() const {
  if (error_count_ == 0) return absl::OkStatus();
  for (const v1::Problem& p : report_.problems()) {
    if (p.severity() != v1::SEVERITY_ERROR) continue;
    return absl::InvalidArgumentError(absl::StrCat(
        "dataset has ", error_count_, error_count_ == 1 ? " error" : " errors",
        "; first: ", FormatProblem(p)));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("dataset has ", error_count_, " errors"));
}

std::string FormatProblem(const v1::Problem& p) {
  absl::string_view severity =
      p.severity() == v1::SEVERITY_WARNING ? "warning" : "error";
  return absl::StrCat(severity, ": ", p.element_kind(), " ",
                      p.element_code().empty() ? "-" : p.element_code(), " ",
                      p.field(), ": ", p.message(), " [", p.rule(), "]");
}

}  // namespace jiceng
