// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/catalogue/catalogue.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"
#include "src/base/civil_date.h"
#include "src/base/splitmix64.h"
#include "src/dataset/validate.h"
#include "src/engine/engine.h"
#include "src/gen/province_generator.h"
#include "src/sample/sample_dataset.h"
#include "tests/catalogue_fixture.h"
#include "tests/status_matchers.h"

namespace jiceng {
namespace {

class CatalogueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dataset_ = TinyWithCatalogue();
    ProblemList p = ValidateDataset(dataset_);
    ASSERT_EQ(p.error_count(), 0) << Dump(p);
    auto e = Engine::Compile(dataset_);
    ASSERT_THAT(e, IsOk());
    engine_ = std::move(*e);
  }
  const Catalogue& c() { return engine_->catalogue(); }
  const Hierarchy& h() { return engine_->hierarchy(); }

  CaseFacts Facts(const char* matter, const char* location, const char* date,
                  std::vector<AttributeValue>* attrs) {
    CaseFacts f;
    f.matter = c().FindMatter(matter);
    f.location = h().Find(location);
    f.day = *ParseIsoDate(date);
    f.urgency = 1;
    f.attributes = *attrs;
    return f;
  }
  AttributeValue Site(const char* v) {
    return AttributeValue{c().FindAttribute("site"), c().FindStringValue(v), 0};
  }
  AttributeValue Area(double m2) {
    return AttributeValue{c().FindAttribute("area_m2"), 0, m2};
  }
  std::string Winner(const CaseFacts& f) {
    RuleMatch m = c().MatchRules(f);
    if (m.outcome == RuleMatch::kNoMatch) return "none";
    if (m.outcome == RuleMatch::kAmbiguous) return "ambiguous";
    return c().rule(m.winner).id;
  }
  std::string Lead(const CaseFacts& f) {
    RuleMatch m = c().MatchRules(f);
    Handler hd = c().Resolve(c().rule(m.winner).lead, f.location);
    if (hd.kind == Handler::kGrid) return h().code(hd.id);
    if (hd.kind == Handler::kUnit) return std::string(engine_->organization().code(hd.id));
    return "none";
  }

  v1::Dataset dataset_;
  std::unique_ptr<const Engine> engine_;
};

TEST_F(CatalogueTest, CountsAndLookups) {
  EXPECT_EQ(c().item_count(), 6u);
  EXPECT_EQ(c().matter_count(), 3u);
  EXPECT_EQ(c().rule_count(), 7u);
  EXPECT_EQ(c().delegation_count(), 1u);
  EXPECT_NE(c().FindItem("CG-CF-001"), kNoIndex);
  EXPECT_EQ(c().FindItem("nope"), kNoIndex);
  EXPECT_TRUE(c().IsRetiredCode("CG-OLD-001"));
  EXPECT_EQ(c().FindStringValue("road") == kNoIndex, false);
  EXPECT_EQ(c().FindStringValue("forest"), kNoIndex);
}

TEST_F(CatalogueTest, MostSpecificRuleWins) {
  std::vector<AttributeValue> none;
  std::vector<AttributeValue> road = {Site("road")};
  std::vector<AttributeValue> river = {Site("river")};
  std::vector<AttributeValue> big_road = {Site("road"), Area(1500)};
  std::sort(big_road.begin(), big_road.end(),
            [](auto& a, auto& b) { return a.attribute < b.attribute; });
  const char* grid = "32011600100101";
  EXPECT_EQ(Winner(Facts("01005", grid, "2026-03-02", &none)), "R-01005");
  EXPECT_EQ(Winner(Facts("01005", grid, "2026-03-02", &road)), "R-01005-road");
  EXPECT_EQ(Winner(Facts("01005", grid, "2026-03-02", &river)),
            "R-01005-river");
  // Explicit priority beats predicate count.
  EXPECT_EQ(Winner(Facts("01005", grid, "2026-03-02", &big_road)),
            "R-01005-big");
}

TEST_F(CatalogueTest, RolesResolveRelativeToTheLocation) {
  std::vector<AttributeValue> road = {Site("road")};
  EXPECT_EQ(Lead(Facts("01005", "32011600100101", "2026-03-02", &road)),
            "XZ-CG");
  EXPECT_EQ(Lead(Facts("01005", "32011610020101", "2026-03-02", &road)),
            "ZZ-CG");
  std::vector<AttributeValue> none;
  EXPECT_EQ(Lead(Facts("01001", "3201160010010101", "2026-03-02", &none)),
            "3201160010010101");
  // A county department serves every township of its county.
  EXPECT_EQ(Lead(Facts("01005", "32011610020201", "2026-03-02", &none)),
            "LH-CG");
  const CompiledRule& river = c().rule(c().MatchRules(
      Facts("01005", "32011610020101", "2026-03-02", &none)).winner);
  (void)river;
  CompiledRole vc;
  vc.kind = v1::ROLE_KIND_VILLAGE_COMMITTEE;
  EXPECT_EQ(c().Resolve(vc, h().Find("32011610020101")).kind, Handler::kUnit);
  EXPECT_EQ(c().Resolve(vc, h().Find("32011610020201")).kind, Handler::kNone)
      << "大泉村 has no village committee in the tiny dataset";
  CompiledRole enforcement;
  enforcement.kind = v1::ROLE_KIND_TOWNSHIP_ENFORCEMENT;
  EXPECT_EQ(engine_->organization().code(
                c().Resolve(enforcement, h().Find("320116100201")).id),
            "ZZ-ZFD");
  EXPECT_EQ(engine_->organization().code(
                c().Resolve(enforcement, h().Find("320116001001")).id),
            "XZ-LHZF");
  CompiledRole room;
  room.kind = v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM;
  EXPECT_EQ(c().Resolve(room, h().Find("320116000000")).kind, Handler::kNone);
}

TEST_F(CatalogueTest, RequestKindsSelectTheRule) {
  std::vector<AttributeValue> none;
  CaseFacts f = Facts("H0101", "32011600100101", "2026-03-02", &none);
  f.request_kind = v1::REQUEST_KIND_CONSULT;
  EXPECT_EQ(Winner(f), "R-H0101-consult");
  f.request_kind = v1::REQUEST_KIND_REPORT;
  EXPECT_EQ(Winner(f), "R-H0101-complaint");
  f.request_kind = v1::REQUEST_KIND_SUGGESTION;
  EXPECT_EQ(Winner(f), "none");
}

TEST_F(CatalogueTest, EquallySpecificMatchesAreAmbiguousWhateverTheOrder) {
  for (bool reversed : {false, true}) {
    v1::Dataset d = TinyWithCatalogue();
    v1::DispatchRule* twin = d.mutable_catalogue()->add_rules();
    *twin = d.catalogue().rules(1);  // R-01005-road
    twin->set_id("R-01005-road-2");
    twin->mutable_lead()->set_department_type("market_supervision");
    if (reversed) {
      std::reverse(d.mutable_catalogue()->mutable_rules()->begin(),
                   d.mutable_catalogue()->mutable_rules()->end());
    }
    auto e = Engine::Compile(d);
    ASSERT_THAT(e, IsOk());
    const Catalogue& cat = (*e)->catalogue();
    std::vector<AttributeValue> road = {
        AttributeValue{cat.FindAttribute("site"), cat.FindStringValue("road"), 0}};
    CaseFacts f;
    f.matter = cat.FindMatter("01005");
    f.location = (*e)->hierarchy().Find("32011600100101");
    f.day = *ParseIsoDate("2026-03-02");
    f.attributes = road;
    RuleMatch m = cat.MatchRules(f);
    ASSERT_EQ(m.outcome, RuleMatch::kAmbiguous);
    ASSERT_EQ(m.tied.size(), 2u);
    EXPECT_EQ(cat.rule(m.tied[0]).id, "R-01005-road");
    EXPECT_EQ(cat.rule(m.tied[1]).id, "R-01005-road-2");
  }
}

TEST_F(CatalogueTest, DelegationInForceFollowsTheCalendar) {
  const ItemId item = c().FindItem("CG-CF-001");
  const RegionId town = h().Find("320116100000");
  const RegionId street = h().Find("320116001000");
  EXPECT_EQ(c().DelegationInForce(item, town, *ParseIsoDate("2026-06-30")),
            kNoIndex);
  const DelegationIndex d =
      c().DelegationInForce(item, town, *ParseIsoDate("2026-07-01"));
  ASSERT_NE(d, kNoIndex);
  EXPECT_EQ(c().delegation(d).id, "D-001");
  EXPECT_EQ(c().delegation(d).mode, v1::DELEGATION_MODE_OWN_NAME);
  EXPECT_EQ(c().DelegationInForce(item, street, *ParseIsoDate("2026-07-01")),
            kNoIndex);
}

// Every matter code, attribute key, string value and allowed value of a
// dataset is found with its id; a million other strings (random codes of
// the dataset's own shapes, which hit real ones now and then, and bytes
// that are not UTF-8) are found exactly when the dataset has them.
void ExpectLookupsAreExact(const v1::Dataset& d) {
  auto e = Engine::Compile(d);
  ASSERT_THAT(e, IsOk());
  const Catalogue& cat = (*e)->catalogue();
  const v1::Catalogue& proto = d.catalogue();
  absl::flat_hash_map<std::string, MatterId> matters;
  for (int i = 0; i < proto.matters_size(); ++i) {
    ASSERT_EQ(cat.FindMatter(proto.matters(i).code()), MatterId(i));
    matters.emplace(proto.matters(i).code(), i);
  }
  absl::flat_hash_map<std::string, AttributeId> attributes;
  std::vector<absl::flat_hash_set<std::string>> allowed;
  for (int i = 0; i < proto.attributes_size(); ++i) {
    const v1::AttributeDefinition& a = proto.attributes(i);
    ASSERT_EQ(cat.FindAttribute(a.key()), AttributeId(i));
    attributes.emplace(a.key(), i);
    allowed.emplace_back(a.allowed_values().begin(), a.allowed_values().end());
    for (const std::string& v : a.allowed_values()) {
      EXPECT_TRUE(cat.IsAllowedValue(i, v)) << a.key() << " " << v;
      EXPECT_EQ(cat.FindCaseValue(i, v), cat.FindStringValue(v));
    }
  }
  absl::flat_hash_map<std::string, uint32_t> values;
  for (uint32_t s = 0; s < cat.string_value_count(); ++s) {
    ASSERT_EQ(cat.FindStringValue(cat.string_value(s)), s);
    values.emplace(cat.string_value(s), s);
  }
  auto expect_value = [&](const std::string& text) {
    auto v = values.find(text);
    const uint32_t id = v == values.end() ? kNoIndex : v->second;
    ASSERT_EQ(cat.FindStringValue(text), id) << text;
    for (AttributeId a = 0; a < cat.attribute_count(); ++a) {
      const bool ok = allowed[a].empty() || allowed[a].contains(text);
      ASSERT_EQ(cat.FindCaseValue(a, text), ok ? id : kNotAllowed) << text;
      ASSERT_EQ(cat.IsAllowedValue(a, text), ok) << text;
    }
  };
  for (const auto& [text, id] : values) expect_value(text);
  SplitMix64 rng(20260101);
  std::vector<std::string> shapes;
  for (const auto& [code, id] : matters) shapes.push_back(code);
  for (const auto& [key, id] : attributes) shapes.push_back(key);
  for (const auto& [text, id] : values) shapes.push_back(text);
  ASSERT_FALSE(shapes.empty());
  for (int i = 0; i < 1000000; ++i) {
    // A known string with one byte changed, cut short or extended; or
    // random bytes of length 0-40.
    std::string text = shapes[rng.Below(shapes.size())];
    switch (rng.Below(4)) {
      case 0:
        if (!text.empty()) {
          text[rng.Below(text.size())] = static_cast<char>('0' + rng.Below(10));
        }
        break;
      case 1:
        text.resize(rng.Below(text.size() + 1));
        break;
      case 2:
        text.push_back(static_cast<char>(rng.Below(256)));
        break;
      default:
        text.resize(rng.Below(41));
        for (char& c : text) c = static_cast<char>(rng.Below(256));
        break;
    }
    auto m = matters.find(text);
    ASSERT_EQ(cat.FindMatter(text), m == matters.end() ? kNoIndex : m->second)
        << text;
    auto a = attributes.find(text);
    ASSERT_EQ(cat.FindAttribute(text),
              a == attributes.end() ? kNoIndex : a->second)
        << text;
    if (i % 16 == 0) expect_value(text);
  }
}

TEST(CatalogueLookups, TinyDatasetLookupsAreExact) {
  ExpectLookupsAreExact(TinyWithCatalogue());
}

TEST(CatalogueLookups, SampleDatasetLookupsAreExact) {
  ExpectLookupsAreExact(SampleDataset());
}

TEST(CatalogueLookups, ProvinceLookupsAreExact) {
  ExpectLookupsAreExact(GenerateProvince(ProvinceOptions::Province()));
}

// The province generator's small preset (10 townships) with from 1 to
// ~390 delegated items per township: rows of one entry, rows whose
// directory buckets hold a few items, and rows that fill every bucket with
// several items and several delegations of one item. Parameter: (items in
// the catalogue, delegated items per township).
class CatalogueDelegations
    : public ::testing::TestWithParam<std::pair<int, int>> {};

INSTANTIATE_TEST_SUITE_P(ItemsPerTownship, CatalogueDelegations,
                         ::testing::Values(std::make_pair(400, 1),
                                           std::make_pair(400, 60),
                                           std::make_pair(4000, 390)));

TEST_P(CatalogueDelegations, DelegationAtMatchesAScanOfEveryDelegation) {
  // Delegations over the townships, some reclaimed. For every township and
  // every item, on days before, inside and after the windows, DelegationAt
  // (a filter probe, then the township's directory block and one bucket)
  // answers what a scan of all delegations in id order answers.
  ProvinceOptions options = ProvinceOptions::Small();
  options.items = GetParam().first;
  options.delegated_items_per_township = GetParam().second;
  const v1::Dataset d = GenerateProvince(options);
  auto e = Engine::Compile(d);
  ASSERT_THAT(e, IsOk());
  const Catalogue& cat = (*e)->catalogue();
  const Hierarchy& h = (*e)->hierarchy();
  std::vector<int32_t> days;
  for (DelegationIndex g = 0; g < cat.delegation_count(); ++g) {
    const DayWindow w = cat.delegation(g).window;
    for (int64_t day : {int64_t{w.from} - 1, int64_t{w.from},
                        int64_t{w.to} - 1, int64_t{w.to}}) {
      if (day > kOpenStart && day < kOpenEnd) {
        days.push_back(static_cast<int32_t>(day));
      }
    }
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  ASSERT_GT(cat.delegation_count(), 0u);
  // Every (township, item) pair's delegations, from the records.
  std::map<std::pair<RegionId, ItemId>, std::vector<DelegationIndex>> by_pair;
  for (DelegationIndex g = 0; g < cat.delegation_count(); ++g) {
    for (RegionId t : cat.delegation(g).townships) {
      by_pair[{t, cat.delegation(g).item}].push_back(g);
    }
  }
  size_t most = 0;
  int delegated = 0;
  for (RegionId t = 0; t < h.size(); ++t) {
    if (h.level(t) != v1::REGION_LEVEL_TOWNSHIP) continue;
    size_t items_here = 0;
    for (ItemId item = 0; item < cat.item_count(); ++item) {
      auto found = by_pair.find({t, item});
      std::vector<DelegationIndex> mine =
          found == by_pair.end() ? std::vector<DelegationIndex>{}
                                 : found->second;
      if (!mine.empty()) {
        ++delegated;
        ++items_here;
      }
      // Delegation ids sort like the catalogue's id order.
      std::sort(mine.begin(), mine.end(),
                [&](DelegationIndex a, DelegationIndex b) {
                  return cat.delegation(a).id < cat.delegation(b).id;
                });
      for (int32_t day : mine.empty() ? std::vector<int32_t>{days.front()}
                                      : days) {
        DelegationIndex want_in_force = kNoIndex, want_ended = kNoIndex;
        for (DelegationIndex g : mine) {
          if (cat.delegation(g).window.Contains(day)) {
            want_in_force = g;
            break;
          }
        }
        if (want_in_force == kNoIndex) {
          for (DelegationIndex g : mine) {
            if (cat.delegation(g).window.to <= day) {
              want_ended = g;
              break;
            }
          }
        }
        DelegationIndex in_force = 0, ended = 0;
        cat.DelegationAt(item, t, day, &in_force, &ended);
        ASSERT_EQ(in_force, want_in_force) << h.code(t) << " item " << item;
        ASSERT_EQ(ended, want_ended) << h.code(t) << " item " << item;
        ASSERT_EQ(cat.DelegationInForce(item, t, day), want_in_force);
        // Routing's form: the bucket, then the entry in force, whose terms
        // (window and mode) are copies of its delegation's.
        const Catalogue::ItemDelegation* entry = nullptr;
        DelegationIndex ended_too = 0;
        cat.DelegationAt(cat.DelegationBucket(item, t), item, day, &entry,
                         &ended_too);
        ASSERT_EQ(ended_too, want_ended);
        if (want_in_force == kNoIndex) {
          ASSERT_EQ(entry, nullptr);
        } else {
          ASSERT_NE(entry, nullptr);
          const CompiledDelegation& g = cat.delegation(want_in_force);
          ASSERT_EQ(entry->item, item);
          ASSERT_EQ(entry->delegation, want_in_force);
          ASSERT_EQ(entry->mode, static_cast<uint32_t>(g.mode));
          ASSERT_EQ(entry->window.from, g.window.from);
          ASSERT_EQ(entry->window.to, g.window.to);
        }
        // DelegationEnded looks for an ended one even when one is in force.
        DelegationIndex want_any_ended = kNoIndex;
        for (DelegationIndex g : mine) {
          if (cat.delegation(g).window.to <= day) {
            want_any_ended = g;
            break;
          }
        }
        ASSERT_EQ(cat.DelegationEnded(item, t, day), want_any_ended);
      }
    }
    most = std::max(most, items_here);
  }
  EXPECT_GT(delegated, 0);
  if (GetParam().second >= 300) {
    // Several entries per directory bucket.
    EXPECT_GT(most, 4u * Catalogue::kDelegationBuckets);
  }
}

TEST_F(CatalogueTest, ValidityWindowsApply) {
  v1::Dataset d = TinyWithCatalogue();
  d.mutable_catalogue()->mutable_rules(4)->set_end_date("2026-05-01");
  auto e = Engine::Compile(d);
  ASSERT_THAT(e, IsOk());
  const Catalogue& cat = (*e)->catalogue();
  CaseFacts f;
  f.matter = cat.FindMatter("01001");
  f.location = (*e)->hierarchy().Find("32011600100101");
  f.day = *ParseIsoDate("2026-04-30");
  EXPECT_EQ(cat.MatchRules(f).outcome, RuleMatch::kUnique);
  f.day = *ParseIsoDate("2026-05-01");
  EXPECT_EQ(cat.MatchRules(f).outcome, RuleMatch::kNoMatch);
}

}  // namespace
}  // namespace jiceng
