// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/routing/routing_policy.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "src/catalogue/validate_catalogue.h"

namespace jiceng {
namespace {

constexpr char kKind[] = "routing_policy";

// The shares of the handle limit kept at urgency 2, 3 and 4, with the
// defaults the Router applies to a zero field.
struct Share {
  const char* field;
  const char* name;  // the urgency, for messages
  int32_t (v1::RoutingPolicy::*get)() const;
  int32_t by_default;
};

constexpr Share kShares[] = {
    {"urgent_percent", "an urgent case", &v1::RoutingPolicy::urgent_percent,
     100},
    {"very_urgent_percent", "a very urgent case",
     &v1::RoutingPolicy::very_urgent_percent, 50},
    {"emergency_percent", "an emergency", &v1::RoutingPolicy::emergency_percent,
     25},
};

}  // namespace

void ValidateRoutingPolicy(const v1::RoutingPolicy& p, ProblemList* problems) {
  auto duration = [problems](const v1::Duration& d, absl::string_view field) {
    CheckDuration(d, "routing_policy.duration", kKind, "", field, problems);
  };
  duration(p.defaults().sign_for(), "defaults.sign_for");
  duration(p.defaults().handle(), "defaults.handle");
  duration(p.defaults().feedback(), "defaults.feedback");
  duration(p.defaults().revisit(), "defaults.revisit");
  duration(p.consult_handle(), "consult_handle");
  duration(p.help_handle(), "help_handle");
  duration(p.complaint_handle(), "complaint_handle");
  duration(p.report_handle(), "report_handle");
  duration(p.suggestion_handle(), "suggestion_handle");
  duration(p.whistle_report_in(), "whistle_report_in");

  // Each share is a percentage, and (with defaults applied) no urgency
  // keeps more than the one below it; an out-of-range share is reported
  // once and left out of the order.
  int32_t below = 100;  // normal cases keep the whole limit
  const char* below_name = "a normal case";
  for (const Share& s : kShares) {
    const int32_t value = (p.*s.get)();
    if (value < 0 || value > 100) {
      problems->Error("routing_policy.percent", kKind, "", s.field,
                      absl::StrCat(s.field, " is ", value,
                                   "; a share of the handle limit is 1..100 "
                                   "percent (0: the default ",
                                   s.by_default, ")"));
      continue;
    }
    const int32_t resolved = value > 0 ? value : s.by_default;
    if (resolved > below) {
      problems->Error("routing_policy.percent_order", kKind, "", s.field,
                      absl::StrCat(s.field, " ", resolved, " gives ", s.name,
                                   " more time than ", below_name, " (", below,
                                   " percent)"));
    }
    below = resolved;
    below_name = s.name;
  }

  if (p.major_urgency() < 0 || p.major_urgency() > 4) {
    problems->Error("routing_policy.major_urgency", kKind, "", "major_urgency",
                    absl::StrCat("major_urgency is ", p.major_urgency(),
                                 "; case urgencies are 1..4 (0: the default "
                                 "4, emergency)"));
  }
}

}  // namespace jiceng
