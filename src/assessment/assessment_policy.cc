// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/assessment/assessment_policy.h"

#include <array>
#include <string>

#include "absl/strings/str_cat.h"

namespace jiceng {
namespace {

constexpr int kLevels = 6;  // province .. grid

bool IsLevel(v1::RegionLevel level) {
  return level >= v1::REGION_LEVEL_PROVINCE && level <= v1::REGION_LEVEL_GRID;
}

struct NamedWeight {
  const char* field;
  int32_t (v1::ScoreWeights::*get)() const;
};

constexpr std::array<NamedWeight, 8> kWeights = {{
    {"satisfaction", &v1::ScoreWeights::satisfaction},
    {"response", &v1::ScoreWeights::response},
    {"resolution", &v1::ScoreWeights::resolution},
    {"on_time", &v1::ScoreWeights::on_time},
    {"return_rate", &v1::ScoreWeights::return_rate},
    {"rework", &v1::ScoreWeights::rework},
    {"reverse_evaluation", &v1::ScoreWeights::reverse_evaluation},
    {"closure", &v1::ScoreWeights::closure},
}};

}  // namespace

absl::string_view RegionLevelName(v1::RegionLevel level) {
  switch (level) {
    case v1::REGION_LEVEL_PROVINCE:
      return "province";
    case v1::REGION_LEVEL_CITY:
      return "city";
    case v1::REGION_LEVEL_COUNTY:
      return "county";
    case v1::REGION_LEVEL_TOWNSHIP:
      return "township";
    case v1::REGION_LEVEL_VILLAGE:
      return "village";
    case v1::REGION_LEVEL_GRID:
      return "grid";
    default:
      return "";
  }
}

namespace {

// Nanjing's floor on citizens' satisfaction in a level's weights.
int32_t SatisfactionFloor(v1::RegionLevel level) {
  switch (level) {
    case v1::REGION_LEVEL_TOWNSHIP:
      return 50;
    case v1::REGION_LEVEL_VILLAGE:
      return 70;
    default:
      return 0;
  }
}

}  // namespace

v1::ScoreWeights DefaultScoreWeights(v1::RegionLevel level) {
  v1::ScoreWeights w;
  w.set_level(level);
  switch (level) {
    case v1::REGION_LEVEL_TOWNSHIP:
      w.set_satisfaction(50);
      w.set_response(10);
      w.set_resolution(15);
      w.set_on_time(15);
      w.set_return_rate(5);
      w.set_rework(5);
      break;
    case v1::REGION_LEVEL_VILLAGE:
      w.set_satisfaction(70);
      w.set_response(10);
      w.set_resolution(10);
      w.set_on_time(10);
      break;
    default:
      w.set_satisfaction(40);
      w.set_response(15);
      w.set_resolution(20);
      w.set_on_time(15);
      w.set_return_rate(5);
      w.set_rework(5);
      break;
  }
  return w;
}

void ValidateAssessmentPolicy(const v1::AssessmentPolicy& policy,
                              absl::string_view field_prefix,
                              ProblemList* problems) {
  std::array<int, kLevels + 1> first_index;
  first_index.fill(-1);
  for (int i = 0; i < policy.weights_size(); ++i) {
    const v1::ScoreWeights& w = policy.weights(i);
    const std::string path = absl::StrCat(field_prefix, "weights[", i, "]");
    const v1::RegionLevel level = w.level();
    std::string code(RegionLevelName(level));
    if (!IsLevel(level)) {
      code = absl::StrCat("weights[", i, "]");
      problems->Error("score_weights.unknown_level", "score_weights", code,
                      absl::StrCat(path, ".level"),
                      absl::StrCat("level ", static_cast<int>(level),
                                   " is not a region level (province .. "
                                   "grid)"));
    } else if (first_index[level] >= 0) {
      problems->Error("score_weights.duplicate_level", "score_weights", code,
                      absl::StrCat(path, ".level"),
                      absl::StrCat("level ", code, " already has weights at ",
                                   field_prefix, "weights[",
                                   first_index[level], "]"));
    } else {
      first_index[level] = i;
    }
    int64_t sum = 0;
    bool in_range = true;
    for (const NamedWeight& nw : kWeights) {
      const int32_t value = (w.*nw.get)();
      sum += value;
      if (value < 0 || value > 100) {
        in_range = false;
        problems->Error("score_weights.range", "score_weights", code,
                        absl::StrCat(path, ".", nw.field),
                        absl::StrCat(nw.field, " is ", value,
                                     "; a weight is a percentage 0..100"));
      }
    }
    if (in_range && sum != 100) {
      problems->Error("score_weights.sum", "score_weights", code, path,
                      absl::StrCat("the weights sum to ", sum,
                                   "; they must sum to 100"));
    }
    const int32_t floor = IsLevel(level) ? SatisfactionFloor(level) : 0;
    if (w.satisfaction() >= 0 && w.satisfaction() < floor) {
      problems->Warning(
          "score_weights.satisfaction_floor", "score_weights", code,
          absl::StrCat(path, ".satisfaction"),
          absl::StrCat("satisfaction is ", w.satisfaction(), "; citizens' ",
                       "satisfaction weighs at least ", floor, " in a ",
                       level == v1::REGION_LEVEL_TOWNSHIP ? "street's or town's"
                                                          : "community's",
                       " assessment (Nanjing: 街道、社区考评中群众主观评价",
                       "权重分别不低于50%、70%)"));
    }
  }
}

v1::AssessmentPolicy ResolveAssessmentPolicy(
    const v1::AssessmentPolicy& base, const v1::AssessmentPolicy& overrides) {
  std::array<const v1::ScoreWeights*, kLevels + 1> chosen{};
  for (const v1::AssessmentPolicy* p : {&base, &overrides}) {
    for (const v1::ScoreWeights& w : p->weights()) {
      if (IsLevel(w.level())) chosen[w.level()] = &w;
    }
  }
  v1::AssessmentPolicy resolved;
  for (int level = v1::REGION_LEVEL_PROVINCE; level <= v1::REGION_LEVEL_GRID;
       ++level) {
    *resolved.add_weights() =
        chosen[level] != nullptr
            ? *chosen[level]
            : DefaultScoreWeights(static_cast<v1::RegionLevel>(level));
  }
  return resolved;
}

}  // namespace jiceng
