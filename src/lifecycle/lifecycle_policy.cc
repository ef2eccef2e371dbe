// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/lifecycle/lifecycle_policy.h"

#include <cstdint>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "src/catalogue/validate_catalogue.h"

namespace jiceng {
namespace {

constexpr char kKind[] = "lifecycle_policy";

void CheckPolicyDuration(const v1::Duration& d, absl::string_view field,
                         ProblemList* problems) {
  CheckDuration(d, "lifecycle_policy.duration", kKind, "", field, problems);
}

void CheckLimit(int32_t value, absl::string_view field,
                ProblemList* problems) {
  if (value < 0 || value > 100) {
    problems->Error("lifecycle_policy.limit", kKind, "", field,
                    absl::StrCat(value, " is outside 0..100"));
  }
}

bool IsReasonCode(absl::string_view code) {
  if (code.empty() || code.size() > 32) return false;
  if (code.front() == '_' || code.back() == '_') return false;
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return code.front() >= 'A' && code.front() <= 'Z';
}

v1::Duration Dur(v1::TimeUnit unit, int32_t amount) {
  v1::Duration d;
  d.set_unit(unit);
  d.set_amount(amount);
  return d;
}

}  // namespace

void ValidateLifecyclePolicy(const v1::LifecyclePolicy& p,
                             ProblemList* problems) {
  CheckPolicyDuration(p.return_window(), "return_window", problems);
  CheckPolicyDuration(p.max_extension(), "max_extension", problems);
  CheckPolicyDuration(p.reopen_window(), "reopen_window", problems);
  CheckPolicyDuration(p.urge_interval(), "urge_interval", problems);
  CheckPolicyDuration(p.escalation_interval(), "escalation_interval", problems);
  CheckPolicyDuration(p.co_handler_limit(), "co_handler_limit", problems);
  CheckPolicyDuration(p.max_park(), "max_park", problems);
  if (p.yellow_percent() < 0 || p.yellow_percent() > 100) {
    problems->Error("lifecycle_policy.percent", kKind, "", "yellow_percent",
                    absl::StrCat(p.yellow_percent(), " is outside 1..100"));
  }
  CheckLimit(p.max_returns(), "max_returns", problems);
  CheckLimit(p.max_extensions(), "max_extensions", problems);
  CheckLimit(p.max_reopens(), "max_reopens", problems);
  std::set<std::string> seen;
  for (int i = 0; i < p.return_reasons_size(); ++i) {
    const v1::ReturnReason& r = p.return_reasons(i);
    if (!IsReasonCode(r.code())) {
      problems->Error("lifecycle_policy.reason", kKind, r.code(),
                      absl::StrCat("return_reasons[", i, "].code"),
                      "a return reason code is 1..32 characters of A-Z, 0-9 "
                      "and inner underscores, starting with a letter");
    } else if (r.name().empty()) {
      problems->Error("lifecycle_policy.reason", kKind, r.code(),
                      absl::StrCat("return_reasons[", i, "].name"),
                      "a return reason needs a name");
    }
    if (!r.code().empty() && !seen.insert(r.code()).second) {
      problems->Error("lifecycle_policy.duplicate_reason", kKind, r.code(),
                      absl::StrCat("return_reasons[", i, "].code"),
                      "return reason code listed twice");
    }
  }
}

v1::LifecyclePolicy ResolveLifecyclePolicy(const v1::LifecyclePolicy& in) {
  v1::LifecyclePolicy p = in;
  auto fill = [](v1::Duration* d, v1::TimeUnit unit, int32_t amount) {
    if (d->unit() == v1::TIME_UNIT_UNSPECIFIED) *d = Dur(unit, amount);
  };
  fill(p.mutable_return_window(), v1::TIME_UNIT_WORKING_DAYS, 1);
  if (p.max_returns() == 0) p.set_max_returns(2);
  if (p.max_extensions() == 0) p.set_max_extensions(1);
  fill(p.mutable_max_extension(), v1::TIME_UNIT_WORKING_DAYS, 10);
  fill(p.mutable_reopen_window(), v1::TIME_UNIT_WORKING_DAYS, 5);
  if (p.max_reopens() == 0) p.set_max_reopens(1);
  if (p.yellow_percent() == 0) p.set_yellow_percent(80);
  fill(p.mutable_urge_interval(), v1::TIME_UNIT_WORKING_DAYS, 1);
  fill(p.mutable_escalation_interval(), v1::TIME_UNIT_WORKING_DAYS, 1);
  fill(p.mutable_co_handler_limit(), v1::TIME_UNIT_WORKING_DAYS, 5);
  fill(p.mutable_max_park(), v1::TIME_UNIT_WORKING_DAYS, 60);
  if (p.return_reasons_size() == 0) {
    static constexpr const char* kBuiltin[][2] = {
        {"NOT_OUR_DUTY", "非本单位职责"},
        {"WRONG_LOCATION", "地址有误"},
        {"DUPLICATE", "重复件"},
        {"INSUFFICIENT_INFO", "信息不全"},
        {"OUTSIDE_JURISDICTION", "不属本辖区"}};
    for (const auto& r : kBuiltin) {
      v1::ReturnReason* reason = p.add_return_reasons();
      reason->set_code(r[0]);
      reason->set_name(r[1]);
    }
  }
  return p;
}

}  // namespace jiceng
