// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/gen/province_generator.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jiceng/v1/catalogue.pb.h"
#include "jiceng/v1/dataset.pb.h"
#include "src/base/civil_date.h"
#include "src/base/splitmix64.h"
#include "src/catalogue/analysis.h"
#include "src/catalogue/catalogue.h"
#include "src/dataset/problems.h"
#include "src/dataset/validate.h"
#include "src/engine/engine.h"
#include "src/hierarchy/hierarchy.h"
#include "tests/status_matchers.h"

namespace jiceng {
namespace {

// The first problems of a report, one per line, for failure messages.
std::string FirstProblems(const ProblemList& problems, int limit = 20) {
  std::string out;
  const auto& all = problems.report().problems();
  for (int i = 0; i < all.size() && i < limit; ++i) {
    out += FormatProblem(all[i]);
    out += '\n';
  }
  return out;
}

std::map<v1::RegionLevel, int> CountByLevel(const v1::Dataset& d) {
  std::map<v1::RegionLevel, int> counts;
  for (const v1::Region& r : d.regions()) ++counts[r.level()];
  return counts;
}

TEST(ProvinceGenerator, SmallPassesValidation) {
  const v1::Dataset d = GenerateProvince(ProvinceOptions::Small());
  const ProblemList problems = ValidateDataset(d);
  EXPECT_EQ(problems.error_count(), 0) << FirstProblems(problems);
  EXPECT_EQ(problems.warning_count(), 0) << FirstProblems(problems);
}

TEST(ProvinceGenerator, CountsMatchOptions) {
  const ProvinceOptions options = ProvinceOptions::Small();
  ASSERT_THAT(ValidateProvinceOptions(options), IsOk());
  const v1::Dataset d = GenerateProvince(options);
  std::map<v1::RegionLevel, int> counts = CountByLevel(d);
  EXPECT_EQ(counts[v1::REGION_LEVEL_PROVINCE], 1);
  EXPECT_EQ(counts[v1::REGION_LEVEL_CITY], options.cities);
  EXPECT_EQ(counts[v1::REGION_LEVEL_COUNTY], options.counties);
  EXPECT_EQ(counts[v1::REGION_LEVEL_TOWNSHIP], options.townships);
  EXPECT_EQ(counts[v1::REGION_LEVEL_VILLAGE], options.villages);
  EXPECT_EQ(counts[v1::REGION_LEVEL_GRID], options.grids);

  std::map<v1::GridKind, int> kinds;
  for (const v1::Region& r : d.regions()) {
    if (r.level() == v1::REGION_LEVEL_GRID) ++kinds[r.grid_kind()];
  }
  EXPECT_EQ(kinds[v1::GRID_KIND_MICRO], options.grids * 3 / 100);
  // About 2 %: a village never gives up its last base grid.
  EXPECT_GE(kinds[v1::GRID_KIND_DEDICATED], options.grids * 2 / 100 - 2);
  EXPECT_LE(kinds[v1::GRID_KIND_DEDICATED], options.grids * 2 / 100);
  EXPECT_GT(kinds[v1::GRID_KIND_BASE], options.grids * 9 / 10);

  // Organisation: one government per region down to township, one village
  // committee per village, 15 department types and departments per county.
  std::map<v1::UnitKind, int> units;
  for (const v1::Unit& u : d.units()) ++units[u.kind()];
  EXPECT_EQ(units[v1::UNIT_KIND_GOVERNMENT],
            1 + options.cities + options.counties + options.townships);
  EXPECT_EQ(units[v1::UNIT_KIND_VILLAGE_COMMITTEE], options.villages);
  EXPECT_EQ(d.department_types_size(), 15);
  EXPECT_EQ(units[v1::UNIT_KIND_DEPARTMENT], 15 * options.counties);
  EXPECT_EQ(units[v1::UNIT_KIND_DISPATCHED], 3 * options.townships);

  // Every base and dedicated grid is in exactly one police grid (the
  // validator rejects a second link), about 10 grids per police grid.
  int linked = 0;
  for (const v1::PoliceGrid& pg : d.police_grids()) {
    linked += pg.grid_codes_size();
  }
  EXPECT_EQ(linked, kinds[v1::GRID_KIND_BASE] + kinds[v1::GRID_KIND_DEDICATED]);
  EXPECT_GT(d.police_grids_size(), linked / 15);
  EXPECT_LT(d.police_grids_size(), linked / 5);

  EXPECT_EQ(d.calendar().holidays_size(), 7);
  EXPECT_EQ(d.calendar().makeup_workdays_size(), 6);
}

TEST(ProvinceGenerator, WithoutUnitsHasOnlyTerritory) {
  ProvinceOptions options = ProvinceOptions::Small();
  options.units = false;
  const v1::Dataset d = GenerateProvince(options);
  EXPECT_EQ(d.units_size(), 0);
  EXPECT_EQ(d.department_types_size(), 0);
  EXPECT_EQ(d.police_grids_size(), 0);
  EXPECT_EQ(CountByLevel(d)[v1::REGION_LEVEL_GRID], options.grids);
  const ProblemList problems = ValidateDataset(d);
  EXPECT_EQ(problems.error_count(), 0) << FirstProblems(problems);
}

// Equal options give byte-identical datasets; another seed another one.
void ExpectDeterministic(const ProvinceOptions& options) {
  const std::string a = GenerateProvince(options).SerializeAsString();
  const std::string b = GenerateProvince(options).SerializeAsString();
  EXPECT_FALSE(a.empty());
  EXPECT_TRUE(a == b) << "two runs with the same options differ";

  ProvinceOptions other = options;
  other.seed = options.seed + 1;
  EXPECT_FALSE(a == GenerateProvince(other).SerializeAsString());
}

TEST(ProvinceGenerator, Deterministic) {
  ExpectDeterministic(ProvinceOptions::Small());
}

TEST(ProvinceGenerator, GridCodesExtendTheirParents) {
  const v1::Dataset d = GenerateProvince(ProvinceOptions::Small());
  std::map<std::string, const v1::Region*> by_code;
  for (const v1::Region& r : d.regions()) by_code[r.code()] = &r;
  int micro = 0;
  for (const v1::Region& r : d.regions()) {
    if (r.level() != v1::REGION_LEVEL_GRID) continue;
    SCOPED_TRACE(r.code());
    const size_t expected = r.grid_kind() == v1::GRID_KIND_MICRO ? 16 : 14;
    ASSERT_EQ(r.code().size(), expected);
    auto it = by_code.find(r.parent_code());
    ASSERT_NE(it, by_code.end());
    const v1::Region& parent = *it->second;
    EXPECT_EQ(r.code().substr(0, parent.code().size()), parent.code());
    EXPECT_NE(r.code().substr(parent.code().size()), "00");
    if (r.grid_kind() == v1::GRID_KIND_MICRO) {
      ++micro;
      EXPECT_EQ(parent.grid_kind(), v1::GRID_KIND_BASE);
    } else {
      EXPECT_EQ(parent.level(), v1::REGION_LEVEL_VILLAGE);
      EXPECT_EQ(r.staffing().heads(), 1);
      EXPECT_EQ(r.staffing().full_time(), 1);
      EXPECT_EQ(r.staffing().part_time(), 2);
    }
  }
  EXPECT_GT(micro, 0);
}

TEST(ProvinceGenerator, HierarchyAgreesWithCodePrefixes) {
  const v1::Dataset d = GenerateProvince(ProvinceOptions::Small());
  absl::StatusOr<Hierarchy> built = Hierarchy::Build(d);
  ASSERT_THAT(built, IsOk());
  const Hierarchy& h = *built;
  EXPECT_EQ(h.size(), static_cast<size_t>(d.regions_size()));

  std::vector<const v1::Region*> grids;
  for (const v1::Region& r : d.regions()) {
    if (r.level() == v1::REGION_LEVEL_GRID) grids.push_back(&r);
  }
  ASSERT_FALSE(grids.empty());
  uint64_t x = 12345;  // an LCG: any spread of grids will do
  for (int i = 0; i < 300; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    const std::string& code = grids[(x >> 33) % grids.size()]->code();
    SCOPED_TRACE(code);
    const RegionId grid = h.Find(code);
    ASSERT_NE(grid, kNoRegion);
    EXPECT_EQ(h.code(grid), code);
    const RegionId township = h.township_of(grid);
    const RegionId county = h.county_of(grid);
    ASSERT_NE(township, kNoRegion);
    ASSERT_NE(county, kNoRegion);
    EXPECT_EQ(h.code(township), code.substr(0, 9) + "000");
    EXPECT_EQ(h.code(county), code.substr(0, 6) + "000000");
    EXPECT_TRUE(h.Contains(county, grid));
    EXPECT_TRUE(h.Contains(township, grid));
  }
}

TEST(ProvinceGenerator, ProvincesAreIndependentStreams) {
  ProvinceOptions two = ProvinceOptions::Small();
  two.provinces = 2;
  const v1::Dataset both = GenerateProvince(two);
  const ProblemList problems = ValidateDataset(both);
  EXPECT_EQ(problems.error_count(), 0) << FirstProblems(problems);

  ProvinceOptions second = ProvinceOptions::Small();
  second.province_code = two.province_code + 1;
  const v1::Dataset alone = GenerateProvince(second);
  const int offset = both.regions_size() - alone.regions_size();
  ASSERT_GT(offset, 0);
  EXPECT_EQ(both.regions(offset).code(), "330000000000");
  for (int i = 0; i < alone.regions_size(); ++i) {
    ASSERT_EQ(both.regions(offset + i).SerializeAsString(),
              alone.regions(i).SerializeAsString())
        << alone.regions(i).code();
  }
  const int unit_offset = both.units_size() - alone.units_size();
  ASSERT_GT(unit_offset, 0);
  for (int i = 0; i < alone.units_size(); ++i) {
    ASSERT_EQ(both.units(unit_offset + i).SerializeAsString(),
              alone.units(i).SerializeAsString())
        << alone.units(i).code();
  }
  const int pg_offset = both.police_grids_size() - alone.police_grids_size();
  ASSERT_GT(pg_offset, 0);
  for (int i = 0; i < alone.police_grids_size(); ++i) {
    ASSERT_EQ(both.police_grids(pg_offset + i).SerializeAsString(),
              alone.police_grids(i).SerializeAsString())
        << alone.police_grids(i).code();
  }
}

TEST(ProvinceGenerator, OptionsOutOfRange) {
  ProvinceOptions options = ProvinceOptions::Small();
  options.counties = 0;
  EXPECT_THAT(ValidateProvinceOptions(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "ProvinceOptions.counties = 0 is out of range [1, 99]"));

  options = ProvinceOptions::Small();
  options.province_code = 7;
  EXPECT_THAT(ValidateProvinceOptions(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "province_code"));

  options = ProvinceOptions::Small();
  options.provinces = 70;  // 32 + 69 > 99
  EXPECT_THAT(ValidateProvinceOptions(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "provinces"));

  // Out-of-range counts are clamped: at most 99 grids per village.
  options = ProvinceOptions::Small();
  options.grids = 2000000000;
  EXPECT_THAT(ValidateProvinceOptions(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "grids"));
  const v1::Dataset d = GenerateProvince(options);
  EXPECT_EQ(CountByLevel(d)[v1::REGION_LEVEL_GRID], 99 * options.villages);
  const ProblemList problems = ValidateDataset(d);
  EXPECT_EQ(problems.error_count(), 0) << FirstProblems(problems);

  EXPECT_THAT(ValidateProvinceOptions(ProvinceOptions::Province()), IsOk());
  EXPECT_THAT(ValidateProvinceOptions(ProvinceOptions::TenProvinces()), IsOk());
}

TEST(ProvinceGenerator, CatalogueOptionsOutOfRange) {
  ProvinceOptions options = ProvinceOptions::Small();
  options.items = 10;
  EXPECT_THAT(
      ValidateProvinceOptions(options),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "ProvinceOptions.items = 10 is out of range [60, 1000000]"));
  // Clamped to the minimum: still a valid catalogue.
  const v1::Dataset d = GenerateProvince(options);
  EXPECT_EQ(d.catalogue().items_size(), 60);
  const ProblemList problems = ValidateDataset(d);
  EXPECT_EQ(problems.error_count(), 0) << FirstProblems(problems);

  options = ProvinceOptions::Small();
  options.scenarios = 22;  // 7 sites x 3 phases
  EXPECT_THAT(ValidateProvinceOptions(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "scenarios"));
  options = ProvinceOptions::Small();
  options.specific_rule_percent = -1;
  EXPECT_THAT(
      ValidateProvinceOptions(options),
      StatusIs(absl::StatusCode::kInvalidArgument, "specific_rule_percent"));
}

// A small splitmix64 for the case workloads below.
using TestRng = SplitMix64;

TEST(ProvinceGenerator, CatalogueSizesMatchOptions) {
  const ProvinceOptions options = ProvinceOptions::Small();
  const v1::Dataset d = GenerateProvince(options);
  const v1::Catalogue& c = d.catalogue();
  EXPECT_EQ(c.items_size(), options.items);
  EXPECT_EQ(c.matters_size(), options.matters);
  EXPECT_EQ(c.scenarios_size(), options.scenarios);
  EXPECT_EQ(c.attributes_size(), 4);

  // Every list is present, in Ningbo's order of size: enforcement first.
  std::map<v1::ListType, int> per_list;
  std::map<v1::TownshipRole, int> roles;
  for (const v1::Item& item : c.items()) {
    ++per_list[item.list_type()];
    ++roles[item.township_role()];
  }
  ASSERT_EQ(per_list.size(), 6u);
  EXPECT_GT(per_list[v1::LIST_TYPE_ENFORCEMENT],
            per_list[v1::LIST_TYPE_GOVERNMENT_SERVICE]);
  EXPECT_GT(per_list[v1::LIST_TYPE_GOVERNMENT_SERVICE],
            per_list[v1::LIST_TYPE_POWER]);
  EXPECT_GT(roles[v1::TOWNSHIP_ROLE_BASIC], options.items / 2);
  EXPECT_GT(roles[v1::TOWNSHIP_ROLE_COOPERATING], 0);
  EXPECT_GT(roles[v1::TOWNSHIP_ROLE_RECLAIMED], 0);

  // The scenarios split the construction-waste matter.
  ASSERT_GT(c.matters_size(), 0);
  EXPECT_EQ(c.matters(0).code(), "13001");
  for (const v1::Scenario& s : c.scenarios()) {
    EXPECT_EQ(s.matter_code(), "13001");
  }
}

TEST(ProvinceGenerator, CatalogueHasARuleForEveryMatter) {
  const v1::Dataset d = GenerateProvince(ProvinceOptions::Small());
  std::map<std::string, int> general_rules;
  std::map<std::string, int> rules;
  for (const v1::DispatchRule& r : d.catalogue().rules()) {
    ++rules[r.matter_code()];
    const bool general = r.priority() == 0 && r.region_code().empty() &&
                         r.township_classes_size() == 0 &&
                         r.urban_rural_classes_size() == 0 &&
                         r.request_kinds_size() == 0 && r.min_urgency() == 0 &&
                         r.max_urgency() == 0 && r.attributes_size() == 0;
    if (general) ++general_rules[r.matter_code()];
    EXPECT_FALSE(r.item_code().empty()) << r.id();
  }
  for (const v1::Matter& m : d.catalogue().matters()) {
    EXPECT_GE(rules[m.code()], 1) << m.code();
    EXPECT_EQ(general_rules[m.code()], 1) << m.code();
  }
  // Some matters have more specific rules.
  EXPECT_GT(d.catalogue().rules_size(), d.catalogue().matters_size());
}

TEST(ProvinceGenerator, CatalogueDoesNotChangeTheTerritory) {
  ProvinceOptions with = ProvinceOptions::Small();
  ProvinceOptions without = with;
  without.catalogue = false;
  without.items = 1000;  // ignored without a catalogue
  v1::Dataset a = GenerateProvince(with);
  const v1::Dataset b = GenerateProvince(without);
  EXPECT_GT(a.catalogue().items_size(), 0);
  EXPECT_EQ(b.catalogue().ByteSizeLong(), 0u);
  a.clear_catalogue();
  EXPECT_TRUE(a.SerializeAsString() == b.SerializeAsString());
}

TEST(ProvinceGenerator, DelegationsReachTheRequestedAverage) {
  const ProvinceOptions options = ProvinceOptions::Small();
  const v1::Dataset d = GenerateProvince(options);
  absl::StatusOr<std::unique_ptr<const Engine>> engine = Engine::Compile(d);
  ASSERT_THAT(engine, IsOk());
  const Catalogue& c = (*engine)->catalogue();
  size_t pairs = 0;
  std::set<v1::DelegationMode> modes;
  for (DelegationIndex i = 0; i < c.delegation_count(); ++i) {
    pairs += c.delegation(i).townships.size();
    modes.insert(c.delegation(i).mode);
    // Only penalty and inspection powers are delegated.
    const CompiledItem& item = c.item(c.delegation(i).item);
    EXPECT_TRUE(item.power_kind == v1::POWER_KIND_PENALTY ||
                item.power_kind == v1::POWER_KIND_INSPECTION)
        << c.delegation(i).id;
  }
  const size_t wanted =
      static_cast<size_t>(options.townships) *
      static_cast<size_t>(options.delegated_items_per_township);
  EXPECT_GE(pairs, wanted * 9 / 10);
  EXPECT_LE(pairs, wanted * 11 / 10);
  EXPECT_GE(modes.size(), 2u);
}

// The reform office's checks pass: no gaps, overlaps, two leads, unresolved
// roles, delegations without a team or retired codes. Only warnings (expired
// delegations) remain.
TEST(ProvinceGenerator, CatalogueAnalysisFindsNoErrors) {
  const v1::Dataset d = GenerateProvince(ProvinceOptions::Small());
  absl::StatusOr<std::unique_ptr<const Engine>> engine = Engine::Compile(d);
  ASSERT_THAT(engine, IsOk());
  for (int32_t day : {DaysFromCivil(2025, 1, 1), DaysFromCivil(2026, 3, 2),
                      DaysFromCivil(2027, 12, 31)}) {
    SCOPED_TRACE(FormatIsoDate(day));
    const v1::CatalogueAnalysis analysis =
        AnalyzeCatalogue((*engine)->catalogue(), day);
    EXPECT_EQ(analysis.error_count(), 0) << FormatAnalysis(analysis);
    for (const v1::Finding& f : analysis.findings()) {
      EXPECT_EQ(f.kind(), v1::FINDING_KIND_EXPIRED) << f.message();
    }
  }
}

// With more matters (so that more of them have specific rules, the
// extra-large townships' among them) and other seeds: still no error. The
// extra-large townships' rule names the department of an item delegated to
// them in their own name, so no rule puts a power on a township before its
// delegation starts (POWER_PUSHED_DOWN).
TEST(ProvinceGenerator, MoreMattersAndSeedsAnalyseWithoutErrors) {
  for (uint64_t seed : {1u, 2u, 3u}) {
    ProvinceOptions options = ProvinceOptions::Small();
    options.townships = 80;
    options.villages = 400;
    options.grids = 4000;
    options.matters = 300;
    options.specific_rule_percent = 60;
    options.seed = seed;
    const v1::Dataset d = GenerateProvince(options);
    absl::StatusOr<std::unique_ptr<const Engine>> engine = Engine::Compile(d);
    ASSERT_THAT(engine, IsOk());
    for (int32_t day : {DaysFromCivil(2025, 1, 1), DaysFromCivil(2026, 3, 2)}) {
      SCOPED_TRACE(absl::StrCat("seed ", seed, ", ", FormatIsoDate(day)));
      const v1::CatalogueAnalysis analysis =
          AnalyzeCatalogue((*engine)->catalogue(), day);
      EXPECT_EQ(analysis.error_count(), 0) << FormatAnalysis(analysis);
    }
  }
}

// Whether no case can match both rules: they differ on some predicate that
// both set, with disjoint values.
bool Exclusive(const Catalogue& c, const Hierarchy& h, const CompiledRule& a,
               const CompiledRule& b) {
  if (a.region != kNoRegion && b.region != kNoRegion &&
      !h.Contains(a.region, b.region) && !h.Contains(b.region, a.region)) {
    return true;
  }
  auto disjoint_masks = [](uint32_t x, uint32_t y) {
    return x != 0 && y != 0 && (x & y) == 0;
  };
  if (disjoint_masks(a.township_class_mask, b.township_class_mask) ||
      disjoint_masks(a.urban_rural_mask, b.urban_rural_mask) ||
      disjoint_masks(a.request_kind_mask, b.request_kind_mask)) {
    return true;
  }
  if ((a.max_urgency > 0 && b.min_urgency > a.max_urgency) ||
      (b.max_urgency > 0 && a.min_urgency > b.max_urgency)) {
    return true;
  }
  if (a.window.to <= b.window.from || b.window.to <= a.window.from) {
    return true;
  }
  auto values = [&](const CompiledPredicate& p) {
    std::vector<uint32_t> v;
    if (p.op == CompiledPredicate::kEquals) v.push_back(p.value);
    if (p.op == CompiledPredicate::kInSet) {
      for (uint32_t x : c.set_values(p)) v.push_back(x);
    }
    return v;
  };
  for (const CompiledPredicate& p : c.predicates(a)) {
    for (const CompiledPredicate& q : c.predicates(b)) {
      if (p.attribute != q.attribute) continue;
      const std::vector<uint32_t> x = values(p);
      const std::vector<uint32_t> y = values(q);
      if (x.empty() || y.empty()) continue;
      bool shared = false;
      for (uint32_t v : x) {
        shared |= std::find(y.begin(), y.end(), v) != y.end();
      }
      if (!shared) return true;
    }
  }
  return false;
}

// Small() and a few other seeds.
std::vector<ProvinceOptions> SmallVariants() {
  std::vector<ProvinceOptions> out;
  for (uint64_t seed : {uint64_t{0}, uint64_t{1}, uint64_t{2}, uint64_t{3}}) {
    ProvinceOptions o = ProvinceOptions::Small();
    if (seed != 0) o.seed = seed;
    o.specific_rule_percent = seed == 0 ? o.specific_rule_percent : 100;
    out.push_back(o);
  }
  // Several provinces sharing one catalogue, each with its own delegations.
  ProvinceOptions three = ProvinceOptions::Small();
  three.provinces = 3;
  three.seed = 4;
  out.push_back(three);
  return out;
}

TEST(ProvinceGenerator, EqualPrecedenceRulesExcludeEachOther) {
  for (const ProvinceOptions& options : SmallVariants()) {
    SCOPED_TRACE(options.seed);
    const v1::Dataset d = GenerateProvince(options);
    absl::StatusOr<std::unique_ptr<const Engine>> engine = Engine::Compile(d);
    ASSERT_THAT(engine, IsOk());
    const Catalogue& c = (*engine)->catalogue();
    const Hierarchy& h = (*engine)->hierarchy();
    int checked_pairs = 0;
    for (MatterId m = 0; m < c.matter_count(); ++m) {
      const CompiledMatter& matter = c.matter(m);
      ASSERT_LT(matter.rules_begin, matter.rules_end) << matter.code;
      // Exactly one rule without any predicate, at the lowest precedence.
      const CompiledRule& last = c.rule(matter.rules_end - 1);
      EXPECT_EQ(last.priority, 0) << last.id;
      EXPECT_EQ(last.depth, 0u) << last.id;
      EXPECT_EQ(last.predicate_count, 0u) << last.id;
      for (RuleIndex i = matter.rules_begin; i + 1 < matter.rules_end; ++i) {
        EXPECT_FALSE(c.rule(i).SamePrecedence(last)) << c.rule(i).id;
        for (RuleIndex j = i + 1; j < matter.rules_end; ++j) {
          if (!c.rule(i).SamePrecedence(c.rule(j))) break;  // sorted
          ++checked_pairs;
          EXPECT_TRUE(Exclusive(c, h, c.rule(i), c.rule(j)))
              << c.rule(i).id << " and " << c.rule(j).id << " may both match";
        }
      }
    }
    EXPECT_GT(checked_pairs, 0);
  }
}

TEST(ProvinceGenerator, GeneratedCasesRouteToOneResolvedLead) {
  for (const ProvinceOptions& options : SmallVariants()) {
    SCOPED_TRACE(options.seed);
    const v1::Dataset d = GenerateProvince(options);
    absl::StatusOr<std::unique_ptr<const Engine>> engine = Engine::Compile(d);
    ASSERT_THAT(engine, IsOk());
    const Catalogue& c = (*engine)->catalogue();
    const Hierarchy& h = (*engine)->hierarchy();
    std::vector<RegionId> grids;
    for (RegionId id = 0; id < h.size(); ++id) {
      if (h.level(id) == v1::REGION_LEVEL_GRID) grids.push_back(id);
    }
    ASSERT_FALSE(grids.empty());
    const int32_t day = DaysFromCivil(2026, 3, 2);
    const AttributeId site = c.FindAttribute("site");
    const AttributeId phase = c.FindAttribute("phase");
    const AttributeId area = c.FindAttribute("area_m2");
    const AttributeId licensed = c.FindAttribute("licensed");
    ASSERT_NE(site, kNoIndex);
    ASSERT_NE(phase, kNoIndex);
    ASSERT_NE(area, kNoIndex);
    ASSERT_NE(licensed, kNoIndex);
    const char* sites[] = {
        "road",        "river", "farmland", "construction_site",
        "residential", "park",  "other"};
    const char* phases[] = {"dumping", "transport", "production"};

    TestRng rng(7);
    std::set<RuleIndex> winners;
    for (int i = 0; i < 4000; ++i) {
      CaseFacts facts;
      facts.matter = static_cast<MatterId>(rng.Below(c.matter_count()));
      facts.location = grids[rng.Below(grids.size())];
      facts.day = day;
      // The first 200 cases: the plain case the issue asks about. Then any
      // urgency, request kind and attributes.
      std::vector<AttributeValue> attributes;
      if (i < 200) {
        facts.urgency = 1;
      } else {
        facts.urgency = static_cast<int32_t>(1 + rng.Below(5));
        facts.request_kind = static_cast<v1::RequestKind>(rng.Below(6));
        if (rng.Below(2) == 0) {
          const uint32_t v = c.FindStringValue(sites[rng.Below(7)]);
          if (v != kNoIndex) attributes.push_back({site, v, 0});
        }
        if (rng.Below(2) == 0) {
          const uint32_t v = c.FindStringValue(phases[rng.Below(3)]);
          if (v != kNoIndex) attributes.push_back({phase, v, 0});
        }
        if (rng.Below(2) == 0) {
          attributes.push_back({area, 0, static_cast<double>(rng.Below(1000))});
        }
        if (rng.Below(2) == 0) {
          attributes.push_back(
              {licensed, static_cast<uint32_t>(rng.Below(2)), 0});
        }
        std::sort(attributes.begin(), attributes.end(),
                  [](const AttributeValue& x, const AttributeValue& y) {
                    return x.attribute < y.attribute;
                  });
      }
      facts.attributes = attributes;
      const RuleMatch m = c.MatchRules(facts);
      SCOPED_TRACE(c.matter(facts.matter).code);
      ASSERT_EQ(m.outcome, RuleMatch::kUnique)
          << "case " << i << " in " << h.code(facts.location) << " ("
          << m.tied.size() << " tied rules)";
      const CompiledRule& rule = c.rule(m.winner);
      winners.insert(m.winner);
      EXPECT_NE(c.Resolve(rule.lead, facts.location).kind, Handler::kNone)
          << rule.id << " " << c.RoleName(rule.lead);
      for (const CompiledRole& co : c.co_handlers(rule)) {
        EXPECT_NE(c.Resolve(co, facts.location).kind, Handler::kNone)
            << rule.id << " " << c.RoleName(co);
      }
      EXPECT_NE(c.Resolve(rule.supervisor, facts.location).kind, Handler::kNone)
          << rule.id << " " << c.RoleName(rule.supervisor);
      EXPECT_NE(rule.item, kNoIndex) << rule.id;
    }
    // The workload reaches specific rules, not only the general ones.
    EXPECT_GT(winners.size(), c.matter_count());
  }
}

// TenProvinces() at the size of Small() per province: 10 provinces.
ProvinceOptions ScaledDownTenProvinces() {
  ProvinceOptions o = ProvinceOptions::TenProvinces();
  const ProvinceOptions small = ProvinceOptions::Small();
  o.cities = small.cities;
  o.counties = small.counties;
  o.townships = small.townships;
  o.villages = small.villages;
  o.grids = small.grids;
  o.items = small.items;
  o.matters = small.matters;
  o.delegated_items_per_township = small.delegated_items_per_township;
  return o;
}

TEST(TenProvinces, PresetIsTenProvincesOfProvinceSizeWithACatalogue) {
  const ProvinceOptions ten = ProvinceOptions::TenProvinces();
  const ProvinceOptions one = ProvinceOptions::Province();
  EXPECT_THAT(ValidateProvinceOptions(ten), IsOk());
  EXPECT_EQ(ten.provinces, 10);
  EXPECT_EQ(ten.province_code, 32);
  EXPECT_EQ(int64_t{ten.provinces} * ten.grids, 5000000);
  EXPECT_EQ(ten.townships, one.townships);
  EXPECT_TRUE(ten.units);
  EXPECT_TRUE(ten.catalogue);
  EXPECT_EQ(ten.items, 10000);
  EXPECT_EQ(ten.matters, one.matters);
  EXPECT_EQ(ten.delegated_items_per_township, 300);

  ProvinceOptions o;
  ASSERT_TRUE(ProvincePreset("ten-provinces", &o));
  EXPECT_EQ(o.provinces, 10);
  ASSERT_TRUE(ProvincePreset("province", &o));
  EXPECT_EQ(o.provinces, 1);
  EXPECT_EQ(o.grids, 500000);
  ASSERT_TRUE(ProvincePreset("small", &o));
  EXPECT_EQ(o.grids, 1500);
  EXPECT_FALSE(ProvincePreset("Province", &o));
  EXPECT_FALSE(ProvincePreset("", &o));
}

// The structure of the 10-province variant, scaled down: the counts of
// every level, province by province, the shared catalogue and the
// per-province delegations; valid and compilable.
TEST(TenProvinces, ScaledDownStructure) {
  const ProvinceOptions options = ScaledDownTenProvinces();
  ASSERT_THAT(ValidateProvinceOptions(options), IsOk());
  const v1::Dataset d = GenerateProvince(options);
  const ProblemList problems = ValidateDataset(d);
  EXPECT_EQ(problems.error_count(), 0) << FirstProblems(problems);
  EXPECT_EQ(problems.warning_count(), 0) << FirstProblems(problems);

  // Counts per level, per province (the code's first two digits).
  std::map<std::string, std::map<v1::RegionLevel, int>> per_province;
  for (const v1::Region& r : d.regions()) {
    ++per_province[r.code().substr(0, 2)][r.level()];
  }
  ASSERT_EQ(per_province.size(), 10u);
  int code = options.province_code;
  for (const auto& [prefix, counts] : per_province) {
    SCOPED_TRACE(prefix);
    EXPECT_EQ(prefix, std::to_string(code++));
    EXPECT_EQ(counts.at(v1::REGION_LEVEL_PROVINCE), 1);
    EXPECT_EQ(counts.at(v1::REGION_LEVEL_CITY), options.cities);
    EXPECT_EQ(counts.at(v1::REGION_LEVEL_COUNTY), options.counties);
    EXPECT_EQ(counts.at(v1::REGION_LEVEL_TOWNSHIP), options.townships);
    EXPECT_EQ(counts.at(v1::REGION_LEVEL_VILLAGE), options.villages);
    EXPECT_EQ(counts.at(v1::REGION_LEVEL_GRID), options.grids);
  }
  std::map<v1::UnitKind, int> units;
  for (const v1::Unit& u : d.units()) ++units[u.kind()];
  EXPECT_EQ(units[v1::UNIT_KIND_VILLAGE_COMMITTEE], 10 * options.villages);
  EXPECT_EQ(units[v1::UNIT_KIND_DEPARTMENT], 10 * 15 * options.counties);
  EXPECT_EQ(units[v1::UNIT_KIND_DISPATCHED], 10 * 3 * options.townships);

  // One catalogue of the configured size for all ten provinces.
  const v1::Catalogue& cat = d.catalogue();
  EXPECT_EQ(cat.items_size(), options.items);
  EXPECT_EQ(cat.matters_size(), options.matters);
  EXPECT_EQ(cat.scenarios_size(), options.scenarios);
  // Class-scoped delegations are province orders: each restricted to one
  // province of the dataset, and every province issues some.
  std::set<std::string> issuers;
  for (const v1::Delegation& g : cat.delegations()) {
    if (g.scope().township_class() == v1::TOWNSHIP_CLASS_UNSPECIFIED) {
      continue;
    }
    const std::string& within = g.scope().within_region_code();
    ASSERT_EQ(within.size(), 12u) << g.id();
    EXPECT_EQ(within.substr(2), "0000000000") << g.id();
    EXPECT_EQ(per_province.count(within.substr(0, 2)), 1u) << g.id();
    issuers.insert(within);
  }
  EXPECT_EQ(issuers.size(), 10u);

  // Compiles; the delegations reach about the requested average per
  // township, in every province.
  absl::StatusOr<std::unique_ptr<const Engine>> engine = Engine::Compile(d);
  ASSERT_THAT(engine, IsOk());
  const Catalogue& c = (*engine)->catalogue();
  const Hierarchy& h = (*engine)->hierarchy();
  std::map<std::string, size_t> pairs;
  for (DelegationIndex i = 0; i < c.delegation_count(); ++i) {
    for (RegionId t : c.delegation(i).townships) {
      ++pairs[std::string(h.code(t)).substr(0, 2)];
    }
  }
  ASSERT_EQ(pairs.size(), 10u);
  size_t total = 0;
  for (const auto& [prefix, n] : pairs) {
    EXPECT_GT(n, 0u) << prefix;
    total += n;
  }
  const size_t wanted = 10 * static_cast<size_t>(options.townships) *
                        static_cast<size_t>(options.delegated_items_per_township);
  EXPECT_GE(total, wanted * 9 / 10);
  EXPECT_LE(total, wanted * 11 / 10);
}

TEST(TenProvinces, ScaledDownDeterministic) {
  ExpectDeterministic(ScaledDownTenProvinces());
}

}  // namespace
}  // namespace jiceng
