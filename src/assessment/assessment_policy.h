// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// The assessment policy (Dataset field 11): per-level score weights of
// 考核评价, their boundary checks and the defaults that fill the levels a
// dataset leaves out.
//
// Rules (all errors; element kind "score_weights", element code the level
// name — "township" — or "weights[i]" when the level is not a level):
//   score_weights.unknown_level    level unspecified or not a RegionLevel.
//   score_weights.duplicate_level  a second entry for a level.
//   score_weights.range            a weight outside 0..100 (one problem per
//                                  weight).
//   score_weights.sum              the weights do not sum to 100 (judged
//                                  only when every weight is in range).
//
// Example:
//   ProblemList problems;
//   ValidateAssessmentPolicy(dataset.assessment_policy(), "", &problems);
//   v1::AssessmentPolicy resolved =
//       ResolveAssessmentPolicy(dataset.assessment_policy());
//   resolved.weights(3).level() == v1::REGION_LEVEL_TOWNSHIP;
//
// Thread safety: pure functions.

#ifndef JICENG_SRC_ASSESSMENT_ASSESSMENT_POLICY_H_
#define JICENG_SRC_ASSESSMENT_ASSESSMENT_POLICY_H_

#include "absl/strings/string_view.h"
#include "jiceng/v1/assessment.pb.h"
#include "src/dataset/problems.h"

namespace jiceng {

// The weights of a level the policy does not name: satisfaction 40,
// response 15, resolution 20, on-time 15, return 5, rework 5, reverse
// evaluation 0, closure 0 (townships and villages: see assessment.proto).
v1::ScoreWeights DefaultScoreWeights(v1::RegionLevel level);

// Adds every problem of `policy` to *problems. `field_prefix` is prepended
// to field paths ("" for the dataset's policy: "weights[0].satisfaction";
// "weights." for a request's override: "weights.weights[0]...").
// REQUIRES: problems != nullptr.
void ValidateAssessmentPolicy(const v1::AssessmentPolicy& policy,
                              absl::string_view field_prefix,
                              ProblemList* problems);

// One entry per level, province (index 0) to grid (index 5): the last of
// `overrides`' entries for the level, else `base`'s, else the default.
// REQUIRES: both passed ValidateAssessmentPolicy (entries with an unknown
// level are ignored).
v1::AssessmentPolicy ResolveAssessmentPolicy(
    const v1::AssessmentPolicy& base,
    const v1::AssessmentPolicy& overrides = v1::AssessmentPolicy());

// "province", "city", "county", "township", "village", "grid"; "" for
// anything else.
absl::string_view RegionLevelName(v1::RegionLevel level);

}  // namespace jiceng

#endif  // JICENG_SRC_ASSESSMENT_ASSESSMENT_POLICY_H_
