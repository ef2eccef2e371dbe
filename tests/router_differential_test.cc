// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Differential test: the optimised Router against ReferenceRouter
// (tests/reference_router.h), a small implementation of the same documented
// procedure that works on the dataset message directly. Each test routes
// 100,000 generated cases through both and compares, field by field:
//
//   outcome; lead, co-handlers, supervisor, candidates, arbitrator,
//   escalation and whistle (handler kind and code, in order); tier; rule id
//   or scenario code; item code; delegation id; enforcement mode; deadlines
//   (stage, due_at, limit source, and the limit itself, an urgent case's
//   shrunk handle limit included); whistle report-in times; for errors the
//   status code.
//
// Co-handlers are compared in order: router.h fixes it (the lead a raise
// replaces, or the department a delegation displaces, first; then the
// rule's co-handlers as listed; then the township command rooms a
// county-tier case adds; then the committees (grid workers) of the
// villages (grids) a case spans), and the reference builds the same order
// from that description. Candidates are in rule-id
// order (catalogue.h), escalation nearest level first. Role labels and the
// trace are not compared.
//
// Two datasets:
//   - GenerateProvince(ProvinceOptions::Small()) with its own catalogue;
//   - the same territory with a synthetic catalogue built here: random
//     predicates of every kind (region, classes, request kinds, urgency,
//     validity windows, every attribute test), leads and co-handlers of
//     every role kind, ties (AMBIGUOUS), unresolvable roles, delegations of
//     every scope and mode with ends and reclaims, and an organisation with
//     holes and oddities (a township without command room, one without
//     enforcement team or joint-enforcement centre, an extra-large one with
//     two teams; villages without committee; a county without
//     social-governance centre and without bureaus of two types, one of
//     them served by the city's; a station covering a second township; a
//     squadron typed by its department; a county 12345 centre; townships of
//     unspecified class; grids with their own urban-rural class) and a
//     routing policy that overrides every default.
//
// Cases (deterministic splitmix64): grids, villages and townships, every
// matter, request kinds 0–5, urgency 0–4, reported times over the whole
// calendar (2025–2027) with 2026's holidays, make-up days, nights,
// weekends and window edges, typed attributes, extra locations in the same
// or other townships and counties (spanning villages of one township, grids
// of one village, townships), and about 1 % bad input (unknown codes,
// wrong types, out-of-range values, times outside the calendar). A third
// test routes sets of locations within (and across) the sample dataset's
// townships: every pair, repeats, the township itself, micro grids.
//
// Every decision's wire bytes (Router::AppendDecision, with explanation
// text for one case in eight) are also compared with the serialization of
// the message tests/decision_message.h builds field by field (as ToProto
// did before AppendDecision existed), and with ToProto's message
// serialized.
//
// On a mismatch the case and both decisions are printed as text; a test
// stops after 10 mismatches.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "src/base/civil_date.h"
#include "src/base/splitmix64.h"
#include "src/engine/engine.h"
#include "src/gen/province_generator.h"
#include "src/routing/router.h"
#include "src/sample/sample_dataset.h"
#include "tests/decision_message.h"
#include "tests/reference_router.h"

namespace jiceng {
namespace {

static_assert(kReferenceMaxAttributes == kMaxCaseAttributes, "limits");
static_assert(kReferenceMaxExtraLocations == kMaxExtraLocations, "limits");
static_assert(kReferenceMaxCoHandlers == kMaxCoHandlers, "limits");
static_assert(kReferenceMaxCandidates == kMaxCandidates, "limits");
static_assert(kReferenceMaxEscalation == kMaxEscalation, "limits");
static_assert(kReferenceMaxWhistle == kMaxWhistle, "limits");

constexpr int kCases = 100000;
constexpr int kMaxReportedMismatches = 10;

// SplitMix64 with the draws the generator below needs.
class Rng : public SplitMix64 {
 public:
  using SplitMix64::SplitMix64;
  // Uniform in [0, n). REQUIRES: n > 0.
  uint32_t Below(uint32_t n) {
    return static_cast<uint32_t>(SplitMix64::Below(n));
  }
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint32_t>(hi - lo + 1)));
  }
  // Per mille, for the rare bad inputs.
  bool PerMille(int p) { return Below(1000) < static_cast<uint32_t>(p); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Below(static_cast<uint32_t>(v.size()))];
  }
};

// Unix seconds of a local (UTC+8) time.
int64_t Local(int32_t day, int64_t second_of_day) {
  return int64_t{day} * 86400 + second_of_day - 8 * 3600;
}

// ---------------------------------------------------------------------------
// Cases.

class CaseMaker {
 public:
  explicit CaseMaker(const v1::Dataset& d, uint64_t seed) : rng_(seed), d_(d) {
    for (const v1::Region& r : d.regions()) {
      const uint64_t code = std::stoull(r.code());
      switch (r.level()) {
        case v1::REGION_LEVEL_GRID:
          grids_.push_back(code);
          break;
        case v1::REGION_LEVEL_VILLAGE:
          villages_.push_back(code);
          break;
        case v1::REGION_LEVEL_TOWNSHIP:
          townships_.push_back(code);
          break;
        default:
          above_.push_back(code);
          break;
      }
      // Per township (its code's first 9 digits), its villages and grids,
      // for extra locations nearby.
      if (r.level() >= v1::REGION_LEVEL_TOWNSHIP) {
        by_township_[r.code().substr(0, 9) + "000"].push_back(code);
      }
    }
    for (const v1::Matter& m : d.catalogue().matters()) {
      matters_.push_back(m.code());
    }
    for (const v1::Scenario& s : d.catalogue().scenarios()) {
      scenario_matters_.push_back(s.matter_code());
    }
    first_day_ = *ParseIsoDate(d.calendar().first_date());
    last_day_ = *ParseIsoDate(d.calendar().last_date());
    for (const v1::Holiday& h : d.calendar().holidays()) {
      for (int32_t day = *ParseIsoDate(h.first_date()) - 1;
           day <= *ParseIsoDate(h.last_date()) + 1; ++day) {
        special_days_.push_back(day);
      }
    }
    for (const v1::MakeupWorkday& m : d.calendar().makeup_workdays()) {
      const int32_t day = *ParseIsoDate(m.date());
      for (int k = -2; k <= 2; ++k) special_days_.push_back(day + k);
    }
    // The last weeks of the calendar: deadlines fall off its end.
    for (int k = 0; k < 20; ++k) special_days_.push_back(last_day_ - k);
  }

  v1::Case Next(int index) {
    v1::Case c;
    c.set_id(absl::StrCat("C", index));
    c.set_source(static_cast<v1::CaseSource>(rng_.Between(0, 6)));
    c.set_location_code(Location());
    c.set_matter_code(Matter());
    c.set_request_kind(static_cast<v1::RequestKind>(
        rng_.PerMille(2) ? 9 : rng_.Between(0, 5)));
    c.set_urgency(rng_.PerMille(2) ? (rng_.Percent(50) ? 5 : -1)
                                   : rng_.Between(0, 4));
    c.set_reported_at(ReportedAt());
    Attributes(&c);
    if (rng_.Percent(8)) {
      const int n = rng_.Between(1, 3);
      for (int i = 0; i < n; ++i) c.add_extra_location_codes(Extra(c));
    }
    if (rng_.PerMille(1)) {
      for (int i = 0; i <= kMaxExtraLocations; ++i) {
        c.add_extra_location_codes(c.location_code());
      }
    }
    if (rng_.PerMille(1)) {
      for (int i = 0; i <= kMaxCaseAttributes; ++i) {
        v1::CaseAttribute* a = c.add_attributes();
        a->set_key(absl::StrCat("k", i));
        a->set_value("v");
      }
    }
    if (rng_.Percent(5)) c.set_free_text("路边有建筑垃圾");
    return c;
  }

 private:
  uint64_t Location() {
    const uint32_t r = rng_.Below(1000);
    if (r < 3) return rng_.Pick(grids_) + 98;  // usually no such grid
    if (r < 5) return rng_.Pick(above_);       // above township level
    if (r < 6) return rng_.Next() % 100000000000000000ull;
    if (r < 7) return 0;
    if (r < 650) return rng_.Pick(grids_);
    if (r < 830) return rng_.Pick(villages_);
    return rng_.Pick(townships_);
  }

  std::string Matter() {
    if (rng_.PerMille(5)) return rng_.Percent(50) ? "99999" : "";
    if (!scenario_matters_.empty() && rng_.Percent(20)) {
      return rng_.Pick(scenario_matters_);
    }
    return rng_.Pick(matters_);
  }

  int64_t ReportedAt() {
    if (rng_.PerMille(2)) return rng_.Percent(50) ? 0 : -86400;
    int32_t day;
    const uint32_t r = rng_.Below(100);
    if (r < 2) {
      // Outside the calendar, before or after it.
      day = rng_.Percent(50) ? first_day_ - rng_.Between(1, 30)
                             : last_day_ + rng_.Between(1, 30);
    } else if (r < 22 && !special_days_.empty()) {
      day = rng_.Pick(special_days_);
    } else {
      day = first_day_ + static_cast<int32_t>(rng_.Below(static_cast<uint32_t>(
                             last_day_ - first_day_ + 1)));
    }
    // Window edges (08:30, 12:00, 14:00, 17:30), midnight, or anywhere.
    static constexpr int kEdges[] = {0,        510 * 60,  720 * 60,
                                     840 * 60, 1050 * 60, 86399};
    int64_t second;
    if (rng_.Percent(40)) {
      second = kEdges[rng_.Below(6)] + rng_.Between(-90, 90);
      if (second < 0) second = 0;
      if (second > 86399) second = 86399;
    } else {
      second = rng_.Below(86400);
    }
    return Local(day, second);
  }

  std::string Number() {
    static const char* const kSpecial[] = {"500",     "499.99", "500.5", "1000",
                                           "999.999", "0",      "-3",    "1e3",
                                           "2.5e2",   "0.5",    "10000"};
    if (rng_.Percent(30)) {
      return kSpecial[rng_.Below(sizeof kSpecial / sizeof kSpecial[0])];
    }
    return absl::StrCat(rng_.Between(0, 3000));
  }

  void Attributes(v1::Case* c) {
    std::vector<v1::CaseAttribute> attrs;
    for (const v1::AttributeDefinition& def : d_.catalogue().attributes()) {
      if (!rng_.Percent(45)) continue;
      v1::CaseAttribute a;
      a.set_key(def.key());
      switch (def.type()) {
        case v1::ATTRIBUTE_TYPE_NUMBER:
          a.set_value(rng_.PerMille(3) ? "big" : Number());
          break;
        case v1::ATTRIBUTE_TYPE_BOOL:
          a.set_value(rng_.PerMille(3) ? "yes"
                                       : (rng_.Percent(50) ? "true" : "false"));
          break;
        default:
          if (def.allowed_values_size() > 0 && !rng_.PerMille(3)) {
            a.set_value(def.allowed_values(
                rng_.Below(static_cast<uint32_t>(def.allowed_values_size()))));
          } else {
            static const char* const kFree[] = {"red", "blue", "forest"};
            a.set_value(kFree[rng_.Below(3)]);
          }
          break;
      }
      attrs.push_back(std::move(a));
    }
    // Any order.
    for (size_t i = attrs.size(); i > 1; --i) {
      std::swap(attrs[i - 1], attrs[rng_.Below(static_cast<uint32_t>(i))]);
    }
    for (v1::CaseAttribute& a : attrs) *c->add_attributes() = std::move(a);
    if (rng_.PerMille(2) && c->attributes_size() > 0) {
      *c->add_attributes() = c->attributes(0);  // a key twice
    }
    if (rng_.PerMille(2)) {
      v1::CaseAttribute* a = c->add_attributes();
      a->set_key("colour_of_sky");
      a->set_value("blue");
    }
  }

  uint64_t Extra(const v1::Case& c) {
    if (rng_.PerMille(10)) return rng_.Percent(50) ? 42 : rng_.Pick(above_);
    const std::string loc = std::to_string(c.location_code());
    const uint32_t r = rng_.Below(100);
    if (r < 50 && loc.size() >= 12) {
      auto it = by_township_.find(loc.substr(0, 9) + "000");
      if (it != by_township_.end()) return rng_.Pick(it->second);
    }
    if (r < 80 && loc.size() >= 12) {
      // Another township of the same county, if the draw finds one.
      const uint64_t t = rng_.Pick(townships_);
      if (std::to_string(t).substr(0, 6) == loc.substr(0, 6)) return t;
    }
    return rng_.Percent(50) ? rng_.Pick(grids_) : rng_.Pick(villages_);
  }

  Rng rng_;
  const v1::Dataset& d_;
  std::vector<uint64_t> grids_, villages_, townships_, above_;
  std::map<std::string, std::vector<uint64_t>> by_township_;
  std::vector<std::string> matters_, scenario_matters_;
  std::vector<int32_t> special_days_;
  int32_t first_day_ = 0, last_day_ = 0;
};

// ---------------------------------------------------------------------------
// Comparison.

std::string Who(const v1::Handler& h) {
  return h.kind() == v1::HANDLER_KIND_UNSPECIFIED
             ? "nobody"
             : absl::StrCat(v1::HandlerKind_Name(h.kind()), ":", h.code());
}

template <typename T, typename F>
std::string List(const google::protobuf::RepeatedPtrField<T>& v, F f) {
  std::string out = "[";
  for (const T& x : v) absl::StrAppend(&out, out.size() > 1 ? " " : "", f(x));
  return out + "]";
}

// The fields in which `got` (router) differs from `want` (reference).
std::vector<std::string> Differences(const v1::Case& c,
                                     const v1::RoutingDecision& got,
                                     const v1::RoutingDecision& want) {
  std::vector<std::string> diff;
  auto check = [&](const char* field, const std::string& a,
                   const std::string& b) {
    if (a != b) diff.push_back(absl::StrCat(field, ": ", a, " vs ", b));
  };
  check("case_id", got.case_id(), want.case_id());
  check("dataset_version", got.dataset_version(), want.dataset_version());
  check("outcome", v1::RoutingOutcome_Name(got.outcome()),
        v1::RoutingOutcome_Name(want.outcome()));
  check("lead", Who(got.lead()), Who(want.lead()));
  check("co_handlers", List(got.co_handlers(), Who),
        List(want.co_handlers(), Who));
  check("supervisor", Who(got.supervisor()), Who(want.supervisor()));
  check("tier", v1::HandlingTier_Name(got.tier()),
        v1::HandlingTier_Name(want.tier()));
  check("rule_id", got.rule_id(), want.rule_id());
  check("scenario_code", got.scenario_code(), want.scenario_code());
  check("item_code", got.item_code(), want.item_code());
  check("delegation_id", got.delegation_id(), want.delegation_id());
  check("enforcement_mode", v1::DelegationMode_Name(got.enforcement_mode()),
        v1::DelegationMode_Name(want.enforcement_mode()));
  check("candidates", List(got.candidates(), Who),
        List(want.candidates(), Who));
  check("arbitrator", Who(got.arbitrator()), Who(want.arbitrator()));
  auto deadline = [](const v1::Deadline& d) {
    return absl::StrCat(v1::Stage_Name(d.stage()), "@", d.due_at(), "/",
                        d.source(), "/", d.limit().amount(), " ",
                        v1::TimeUnit_Name(d.limit().unit()));
  };
  for (int i = 0; i < std::max(got.deadlines_size(), want.deadlines_size());
       ++i) {
    const v1::Deadline& a = i < got.deadlines_size()
                                ? got.deadlines(i)
                                : v1::Deadline::default_instance();
    const v1::Deadline& b = i < want.deadlines_size()
                                ? want.deadlines(i)
                                : v1::Deadline::default_instance();
    check("deadline", deadline(a), deadline(b));
  }
  auto step = [](const v1::EscalationStep& s) {
    return absl::StrCat(s.level(), ":", Who(s.handler()));
  };
  check("escalation", List(got.escalation(), step),
        List(want.escalation(), step));
  auto whistle = [](const v1::WhistleSummons& w) {
    return absl::StrCat(Who(w.department()), "@", w.report_by());
  };
  check("whistle", List(got.whistle(), whistle), List(want.whistle(), whistle));
  return diff;
}

std::string Text(const google::protobuf::Message& m) {
  std::string s;
  google::protobuf::TextFormat::PrintToString(m, &s);
  return s;
}

struct Tally {
  int cases = 0;  // routed through both, up to the 10th mismatch
  int routed = 0, ambiguous = 0, unmapped = 0, errors = 0, out_of_range = 0;
  int delegated = 0, scenarios = 0, cross = 0, county = 0, grid = 0,
      village = 0, whistled = 0;
  // Decided cases whose locations span villages of one township, grids of
  // one village.
  int span_villages = 0, span_grids = 0;
  int mismatches = 0;
};

enum class Span { kNone, kGrids, kVillages, kTownships };

// How far a case's locations reach (router.h step 1), from their lowest
// common ancestor: above a township, a township other than the location,
// a village other than the location; kNone otherwise or on a bad code.
Span SpanOf(const std::map<std::string, const v1::Region*>& regions,
            const v1::Case& c) {
  auto chain = [&](uint64_t code) {
    std::vector<const v1::Region*> up;
    for (auto it = regions.find(std::to_string(code)); it != regions.end();
         it = regions.find(it->second->parent_code())) {
      up.push_back(it->second);
    }
    return up;
  };
  std::vector<const v1::Region*> common = chain(c.location_code());
  if (common.empty()) return Span::kNone;
  const v1::Region* loc = common.front();
  for (uint64_t code : c.extra_location_codes()) {
    const std::vector<const v1::Region*> up = chain(code);
    while (!common.empty() &&
           std::find(up.begin(), up.end(), common.front()) == up.end()) {
      common.erase(common.begin());
    }
    if (common.empty()) return Span::kNone;
  }
  const v1::Region* lca = common.front();
  if (lca->level() < v1::REGION_LEVEL_TOWNSHIP) return Span::kTownships;
  if (lca == loc) return Span::kNone;
  if (lca->level() == v1::REGION_LEVEL_TOWNSHIP) return Span::kVillages;
  if (lca->level() == v1::REGION_LEVEL_VILLAGE) return Span::kGrids;
  return Span::kNone;
}

// Routes `cases` cases of `dataset` through both routers; `reshape`, when
// set, edits each generated case first.
Tally RunDifferential(
    const v1::Dataset& dataset, uint64_t seed, int cases,
    const std::function<void(int, v1::Case*)>& reshape = nullptr) {
  Tally t;
  std::map<std::string, const v1::Region*> regions;
  for (const v1::Region& r : dataset.regions()) regions[r.code()] = &r;
  auto engine = Engine::Compile(dataset);
  EXPECT_TRUE(engine.ok()) << engine.status();
  if (!engine.ok()) return t;
  auto reference = ReferenceRouter::Create(dataset);
  EXPECT_TRUE(reference.ok()) << reference.status();
  if (!reference.ok()) return t;
  const Router router(**engine);
  CaseMaker maker(dataset, seed);
  for (int i = 0; i < cases && t.mismatches < kMaxReportedMismatches; ++i) {
    v1::Case c = maker.Next(i);
    if (reshape) reshape(i, &c);
    ++t.cases;
    absl::StatusOr<v1::RoutingDecision> got = router.Decide(c);
    absl::StatusOr<v1::RoutingDecision> want = (*reference)->Decide(c);
    std::vector<std::string> diff;
    if (got.ok() != want.ok()) {
      diff.push_back(
          absl::StrCat("status: ", got.ok() ? "OK" : got.status().ToString(),
                       " vs ", want.ok() ? "OK" : want.status().ToString()));
    } else if (!got.ok()) {
      if (got.status().code() != want.status().code()) {
        diff.push_back(absl::StrCat("status: ", got.status().ToString(), " vs ",
                                    want.status().ToString()));
      }
      ++t.errors;
      t.out_of_range += got.status().code() == absl::StatusCode::kOutOfRange;
    } else {
      diff = Differences(c, *got, *want);
      RouteResult r;
      EXPECT_TRUE(router.Route(c, &r).ok());
      v1::RouteOptions options;
      options.set_explain_text(i % 8 == 0);
      std::string bytes;
      router.AppendDecision(c, r, options, &bytes);
      v1::RoutingDecision built;
      DecisionMessage(**engine, c, r, options, &built);
      if (bytes != built.SerializeAsString()) {
        diff.push_back(absl::StrCat("AppendDecision bytes (explain ",
                                    options.explain_text(),
                                    ") differ from the built message's"));
      }
      v1::RoutingDecision message;
      router.ToProto(c, r, options, &message);
      if (bytes != message.SerializeAsString()) {
        diff.push_back("AppendDecision bytes differ from ToProto's message");
      }
      const v1::RoutingDecision& d = *got;
      t.routed += d.outcome() == v1::ROUTING_OUTCOME_ROUTED;
      t.ambiguous += d.outcome() == v1::ROUTING_OUTCOME_AMBIGUOUS;
      t.unmapped += d.outcome() == v1::ROUTING_OUTCOME_UNMAPPED;
      t.delegated += !d.delegation_id().empty();
      t.scenarios += !d.scenario_code().empty();
      // With extra locations at county tier: mostly cross-township.
      t.cross += c.extra_location_codes_size() > 0 &&
                 d.tier() == v1::HANDLING_TIER_COUNTY;
      t.county += d.tier() == v1::HANDLING_TIER_COUNTY;
      t.grid += d.tier() == v1::HANDLING_TIER_GRID;
      t.village += d.tier() == v1::HANDLING_TIER_VILLAGE;
      t.whistled += d.whistle_size() > 0;
      const Span span = SpanOf(regions, c);
      t.span_villages += span == Span::kVillages;
      t.span_grids += span == Span::kGrids;
    }
    if (!diff.empty()) {
      ++t.mismatches;
      v1::RoutingDecision shown;
      if (got.ok()) {
        shown = *got;
        shown.clear_trace();
      }
      ADD_FAILURE() << "mismatch " << t.mismatches
                    << " (router vs reference):\n  "
                    << absl::StrJoin(diff, "\n  ") << "\ncase:\n"
                    << Text(c) << "router:\n"
                    << (got.ok() ? Text(shown) : got.status().ToString())
                    << "\nreference:\n"
                    << (want.ok() ? Text(*want) : want.status().ToString());
    }
  }
  return t;
}

void Print(const Tally& t) {
  std::printf(
      "routed %d, ambiguous %d, unmapped %d, errors %d (out of range %d); "
      "delegated %d, scenarios %d, cross-township %d; tiers county %d, "
      "grid %d, village %d; whistle %d; spanning villages %d, grids %d\n",
      t.routed, t.ambiguous, t.unmapped, t.errors, t.out_of_range, t.delegated,
      t.scenarios, t.cross, t.county, t.grid, t.village, t.whistled,
      t.span_villages, t.span_grids);
}

// ---------------------------------------------------------------------------
// A synthetic catalogue on the Small() territory.

v1::Unit* FindUnit(v1::Dataset* d, const std::string& code) {
  for (v1::Unit& u : *d->mutable_units()) {
    if (u.code() == code) return &u;
  }
  return nullptr;
}

void RemoveUnit(v1::Dataset* d, const std::string& code) {
  auto* units = d->mutable_units();
  for (int i = 0; i < units->size(); ++i) {
    if (units->Get(i).code() == code) {
      units->DeleteSubrange(i, 1);
      return;
    }
  }
  ADD_FAILURE() << "no unit " << code;
}

v1::Unit* AddUnit(v1::Dataset* d, const std::string& code, v1::UnitKind kind,
                  const std::string& region, const std::string& parent) {
  v1::Unit* u = d->add_units();
  u->set_code(code);
  u->set_name(code);
  u->set_kind(kind);
  u->set_region_code(region);
  u->set_parent_unit_code(parent);
  return u;
}

v1::Duration Dur(int amount, v1::TimeUnit unit) {
  v1::Duration d;
  d.set_amount(amount);
  d.set_unit(unit);
  return d;
}

class SyntheticCatalogue {
 public:
  explicit SyntheticCatalogue(uint64_t seed) : rng_(seed) {}

  v1::Dataset Build() {
    ProvinceOptions options = ProvinceOptions::Small();
    options.catalogue = false;
    v1::Dataset d = GenerateProvince(options);
    for (const v1::Region& r : d.regions()) {
      switch (r.level()) {
        case v1::REGION_LEVEL_CITY:
          city_ = r.code();
          break;
        case v1::REGION_LEVEL_COUNTY:
          counties_.push_back(r.code());
          break;
        case v1::REGION_LEVEL_TOWNSHIP:
          townships_.push_back(r.code());
          break;
        case v1::REGION_LEVEL_VILLAGE:
          villages_.push_back(r.code());
          break;
        default:
          break;
      }
    }
    Organisation(&d);
    for (const v1::Unit& u : d.units()) {
      if (u.kind() != v1::UNIT_KIND_INTERNAL_OFFICE &&
          u.kind() != v1::UNIT_KIND_SERVICE_CENTRE && rng_.Percent(15)) {
        named_units_.push_back(u.code());
      }
    }
    Policy(&d);
    Catalogue(d.mutable_catalogue());
    return d;
  }

 private:
  // Holes and oddities in the organisation, each a path of role
  // resolution or of the delegation overlay.
  void Organisation(v1::Dataset* d) {
    const std::string& c1 = counties_[0];
    const std::string& c2 = counties_[1];
    // An extra-large township with an enforcement team and no
    // joint-enforcement centre (a second team is refused by validation).
    const std::string& xl = townships_[0];
    for (v1::Region& r : *d->mutable_regions()) {
      if (r.code() == xl) r.set_township_class(v1::TOWNSHIP_CLASS_EXTRA_LARGE);
      // Classes left unspecified are treated as general.
      if (r.code() == townships_[4] || r.code() == townships_[8]) {
        r.clear_township_class();
      }
    }
    AddUnit(d, "enf-" + xl, v1::UNIT_KIND_ENFORCEMENT_TEAM, xl, "gov-" + xl);
    RemoveUnit(d, "jec-" + xl);
    // A large township with a team besides its centre.
    AddUnit(d, "enf-" + townships_[2], v1::UNIT_KIND_ENFORCEMENT_TEAM,
            townships_[2], "gov-" + townships_[2]);
    // A township with neither team nor centre.
    RemoveUnit(d, "jec-" + townships_[3]);
    // A township without a command room.
    RemoveUnit(d, "cmd-" + townships_[1]);
    // Villages without a committee.
    for (int v : {0, 17, 55}) RemoveUnit(d, "vc-" + villages_[v]);
    // County 2 has no transport bureau (the city's serves it) and no
    // justice bureau (nobody serves it), and no social-governance centre.
    RemoveUnit(d, "dept-" + c2 + "-transport");
    RemoveUnit(d, "dept-" + c2 + "-justice");
    RemoveUnit(d, "sgc-" + c2);
    AddUnit(d, "dept-" + city_ + "-transport", v1::UNIT_KIND_DEPARTMENT, city_,
            "gov-" + city_)
        ->set_department_type("transport");
    AddUnit(d, "dept-" + city_ + "-health", v1::UNIT_KIND_DEPARTMENT, city_,
            "gov-" + city_)
        ->set_department_type("health");
    // One market-supervision station serves two townships.
    const std::string& ta = townships_[5];
    const std::string& tb = townships_[6];
    RemoveUnit(d, "disp-" + tb + "-market_supervision");
    FindUnit(d, "disp-" + ta + "-market_supervision")
        ->add_covered_region_codes(tb);
    // A squadron whose type comes from its department.
    FindUnit(d, "disp-" + townships_[7] + "-urban_management")
        ->clear_department_type();
    // County 1 has its own 12345 centre, which also serves a township of
    // county 2; county 1's social-governance centre serves another
    // (county 2 has none of its own).
    AddUnit(d, "hotline-" + c1, v1::UNIT_KIND_COMMAND_CENTRE, c1, "gov-" + c1)
        ->set_centre_type(v1::CENTRE_TYPE_HOTLINE_12345);
    std::vector<std::string> in_c2;
    for (const std::string& t : townships_) {
      if (t.compare(0, 6, c2, 0, 6) == 0) in_c2.push_back(t);
    }
    ASSERT_GE(in_c2.size(), 2u);
    FindUnit(d, "hotline-" + c1)->add_covered_region_codes(in_c2[0]);
    FindUnit(d, "sgc-" + c1)->add_covered_region_codes(in_c2[1]);
    // Grids with their own urban-rural class; villages with none.
    int grid = 0, village = 0;
    for (v1::Region& r : *d->mutable_regions()) {
      if (r.level() == v1::REGION_LEVEL_GRID && ++grid % 7 == 0) {
        r.set_urban_rural_class(v1::URBAN_RURAL_CLASS_SPECIAL_AREA);
      }
      if (r.level() == v1::REGION_LEVEL_VILLAGE && ++village % 9 == 0) {
        r.clear_urban_rural_class();
      }
    }
  }

  // Every policy field away from its default.
  void Policy(v1::Dataset* d) {
    v1::RoutingPolicy* p = d->mutable_routing_policy();
    *p->mutable_defaults()->mutable_sign_for() =
        Dur(4, v1::TIME_UNIT_WORKING_HOURS);
    *p->mutable_defaults()->mutable_handle() =
        Dur(7, v1::TIME_UNIT_WORKING_DAYS);
    *p->mutable_defaults()->mutable_feedback() =
        Dur(2, v1::TIME_UNIT_WORKING_DAYS);
    *p->mutable_consult_handle() = Dur(16, v1::TIME_UNIT_WORKING_HOURS);
    *p->mutable_complaint_handle() = Dur(10, v1::TIME_UNIT_WORKING_DAYS);
    *p->mutable_suggestion_handle() = Dur(20, v1::TIME_UNIT_CALENDAR_DAYS);
    p->set_major_urgency(4);
    p->set_urgent_percent(80);
    p->set_emergency_percent(20);
    *p->mutable_whistle_report_in() = Dur(1, v1::TIME_UNIT_WORKING_DAYS);
  }

  std::string Date(int32_t from_day, int span) {
    return FormatIsoDate(from_day + static_cast<int32_t>(rng_.Below(
                                        static_cast<uint32_t>(span))));
  }

  v1::Duration RandomDuration() {
    switch (rng_.Below(4)) {
      case 0:
        return Dur(rng_.Between(1, 40), v1::TIME_UNIT_WORKING_HOURS);
      case 1:
        return Dur(rng_.Between(1, 15), v1::TIME_UNIT_WORKING_DAYS);
      case 2:
        return Dur(rng_.Between(1, 96), v1::TIME_UNIT_CALENDAR_HOURS);
      default:
        return Dur(rng_.Between(1, 20), v1::TIME_UNIT_CALENDAR_DAYS);
    }
  }

  void RandomLimits(v1::StageLimits* l) {
    if (rng_.Percent(40)) *l->mutable_sign_for() = RandomDuration();
    if (rng_.Percent(70)) *l->mutable_handle() = RandomDuration();
    if (rng_.Percent(30)) *l->mutable_feedback() = RandomDuration();
    if (rng_.Percent(30)) *l->mutable_revisit() = RandomDuration();
  }

  // Every role kind; departments and dispatched units more often, mostly
  // of the types that have units everywhere.
  v1::Role RandomRole() {
    static const char* const kDispatched[] = {
        "urban_management", "market_supervision", "public_security"};
    static const char* const kOther[] = {"transport", "justice", "health",
                                         "agriculture"};
    v1::Role r;
    const uint32_t k = rng_.Below(14);
    const v1::RoleKind kind = k < 10   ? static_cast<v1::RoleKind>(k + 1)
                              : k < 12 ? v1::ROLE_KIND_DISPATCHED_UNIT
                                       : v1::ROLE_KIND_COUNTY_DEPARTMENT;
    r.set_kind(kind);
    if (kind == v1::ROLE_KIND_COUNTY_DEPARTMENT ||
        kind == v1::ROLE_KIND_DISPATCHED_UNIT) {
      r.set_department_type(rng_.Percent(75) ? kDispatched[rng_.Below(3)]
                                             : kOther[rng_.Below(4)]);
    } else if (kind == v1::ROLE_KIND_NAMED_UNIT) {
      r.set_unit_code(rng_.Pick(named_units_));
    }
    return r;
  }

  v1::AttributePredicate RandomPredicate() {
    v1::AttributePredicate p;
    static const char* const kSites[] = {"road", "river", "farmland", "park"};
    const uint32_t which = rng_.Below(5);
    const uint32_t test = rng_.Below(4);
    if (test == 3) {
      p.set_key(which == 0   ? "site"
                : which == 1 ? "phase"
                : which == 2 ? "area_m2"
                : which == 3 ? "licensed"
                             : "colour");
      p.set_present(rng_.Percent(60));
      return p;
    }
    switch (which) {
      case 0:
        p.set_key("site");
        if (test == 0) {
          p.set_equals(kSites[rng_.Below(4)]);
        } else {
          const int n = rng_.Between(1, 3);
          for (int i = 0; i < n; ++i) {
            p.mutable_in_set()->add_values(kSites[rng_.Below(4)]);
          }
        }
        break;
      case 1:
        p.set_key("phase");
        p.set_equals(rng_.Percent(50) ? "dumping" : "transport");
        break;
      case 2: {
        p.set_key("area_m2");
        static const double kBounds[] = {0, 499.99, 500, 1000, 2000};
        if (test == 0) {
          p.set_equals(rng_.Percent(50) ? "500" : "1000");
        } else {
          const int a = rng_.Between(0, 4);
          const int b = rng_.Between(a, 4);
          if (rng_.Percent(70)) p.mutable_range()->set_min(kBounds[a]);
          if (rng_.Percent(50)) p.mutable_range()->set_max(kBounds[b]);
          if (!p.range().has_min() && !p.range().has_max()) {
            p.mutable_range()->set_min(kBounds[a]);
          }
        }
        break;
      }
      case 3:
        p.set_key("licensed");
        if (test == 0) {
          p.set_equals(rng_.Percent(50) ? "true" : "false");
        } else {
          p.mutable_in_set()->add_values(rng_.Percent(50) ? "true" : "false");
        }
        break;
      default:
        p.set_key("colour");
        if (test == 0) {
          p.set_equals(rng_.Percent(50) ? "red" : "blue");
        } else {
          p.mutable_in_set()->add_values("red");
          p.mutable_in_set()->add_values("forest");
        }
        break;
    }
    return p;
  }

  void Catalogue(v1::Catalogue* cat) {
    // Attributes.
    v1::AttributeDefinition* a = cat->add_attributes();
    a->set_key("site");
    a->set_type(v1::ATTRIBUTE_TYPE_STRING);
    for (const char* s : {"road", "river", "farmland", "park"}) {
      a->add_allowed_values(s);
    }
    a = cat->add_attributes();
    a->set_key("phase");
    a->set_type(v1::ATTRIBUTE_TYPE_STRING);
    a->add_allowed_values("dumping");
    a->add_allowed_values("transport");
    a = cat->add_attributes();
    a->set_key("area_m2");
    a->set_type(v1::ATTRIBUTE_TYPE_NUMBER);
    a = cat->add_attributes();
    a->set_key("licensed");
    a->set_type(v1::ATTRIBUTE_TYPE_BOOL);
    a = cat->add_attributes();
    a->set_key("colour");  // any string
    a->set_type(v1::ATTRIBUTE_TYPE_STRING);
    for (v1::AttributeDefinition& def : *cat->mutable_attributes()) {
      def.set_name(def.key());
    }

    // Items: enforcement items of department types (delegable), and
    // territorial items of none.
    static const char* const kItemTypes[] = {
        "urban_management", "market_supervision", "transport", "justice",
        "health",           "agriculture"};
    std::vector<std::string> items, delegable;
    for (int i = 1; i <= 30; ++i) {
      v1::Item* it = cat->add_items();
      it->set_name(absl::StrCat("item ", i));
      if (i <= 22) {
        it->set_code(absl::StrCat("ZF02-S", 1000 + i));
        it->set_list_type(v1::LIST_TYPE_ENFORCEMENT);
        it->set_power_kind(v1::POWER_KIND_PENALTY);
        it->set_department_type(kItemTypes[i % 6]);
        it->set_exercising_level(v1::REGION_LEVEL_COUNTY);
        delegable.push_back(it->code());
      } else {
        it->set_code(absl::StrCat("SD00-S", 1000 + i));
        it->set_list_type(v1::LIST_TYPE_TERRITORIAL);
        it->set_exercising_level(v1::REGION_LEVEL_TOWNSHIP);
      }
      it->set_township_role(v1::TOWNSHIP_ROLE_BASIC);
      if (rng_.Percent(40)) RandomLimits(it->mutable_limits());
      items.push_back(it->code());
    }

    // Delegations: per item a chain of disjoint windows (so no township is
    // reached twice at once), each of a random scope and mode; some end,
    // some are reclaimed.
    int seq = 0;
    const int32_t d2025 = DaysFromCivil(2025, 1, 1);
    for (const std::string& item : delegable) {
      if (!rng_.Percent(75)) continue;
      int32_t start = d2025 + rng_.Between(0, 300);
      const int chain = rng_.Between(1, 3);
      for (int k = 0; k < chain; ++k) {
        v1::Delegation* g = cat->add_delegations();
        g->set_id(absl::StrCat("SDG-", ++seq));
        g->set_item_code(item);
        for (const v1::Item& it : cat->items()) {
          if (it.code() == item) {
            g->set_from_department_type(it.department_type());
          }
        }
        g->set_mode(static_cast<v1::DelegationMode>(rng_.Between(1, 3)));
        g->set_effective_date(FormatIsoDate(start));
        const bool last = k == chain - 1;
        const int32_t end = start + rng_.Between(60, 400);
        if (!last || rng_.Percent(40)) g->set_end_date(FormatIsoDate(end));
        if (rng_.Percent(20)) {
          g->set_reclaimed_date(FormatIsoDate(start + rng_.Between(1, 59)));
        }
        v1::DelegationScope* s = g->mutable_scope();
        const uint32_t kind = rng_.Below(5);
        if (kind == 0 || kind == 4) {
          const int n = rng_.Between(1, 4);
          for (int i = 0; i < n; ++i)
            s->add_township_codes(rng_.Pick(townships_));
        }
        if (kind == 1 || kind == 4) {
          s->set_township_class(
              static_cast<v1::TownshipClass>(rng_.Between(1, 3)));
          if (rng_.Percent(50)) s->set_within_region_code(rng_.Pick(counties_));
        }
        if (kind == 2 || kind == 3) {
          s->set_region_code(kind == 2          ? rng_.Pick(counties_)
                             : rng_.Percent(30) ? city_
                                                : rng_.Pick(townships_));
        }
        start = end;
      }
    }

    // Matters.
    struct M {
      const char* code;
      v1::MatterCategory category;
      bool major;
    };
    static const M kMatters[] = {
        {"01001", v1::MATTER_CATEGORY_EVENT, false},
        {"01002", v1::MATTER_CATEGORY_EVENT, false},
        {"01003", v1::MATTER_CATEGORY_COMPONENT, false},
        {"01004", v1::MATTER_CATEGORY_COMPONENT, false},
        {"01005", v1::MATTER_CATEGORY_EVENT, false},
        {"01006", v1::MATTER_CATEGORY_EVENT, false},
        {"01007", v1::MATTER_CATEGORY_EVENT, false},
        {"14001", v1::MATTER_CATEGORY_EVENT, true},
        {"14002", v1::MATTER_CATEGORY_EVENT, true},
        {"H0001", v1::MATTER_CATEGORY_HOTLINE, false},
        {"H0002", v1::MATTER_CATEGORY_HOTLINE, false},
        {"H0003", v1::MATTER_CATEGORY_HOTLINE, false},
        {"H0004", v1::MATTER_CATEGORY_HOTLINE, false},
        {"09999", v1::MATTER_CATEGORY_EVENT, false},  // no rule at all
    };
    for (const M& m : kMatters) {
      v1::Matter* matter = cat->add_matters();
      matter->set_code(m.code);
      matter->set_name(m.code);
      matter->set_category(m.category);
      matter->set_major(m.major);
      if (rng_.Percent(30)) RandomLimits(matter->mutable_limits());
    }

    // Rules: a general rule for most matters, then rules with random
    // predicates; few enough kinds that equal precedence happens often.
    std::vector<std::string> regions = {city_};
    for (const std::string& c : counties_) regions.push_back(c);
    for (int i = 0; i < 4; ++i) regions.push_back(rng_.Pick(townships_));
    for (int i = 0; i < 4; ++i) regions.push_back(rng_.Pick(villages_));
    const int32_t d2026 = DaysFromCivil(2026, 1, 1);
    for (const M& m : kMatters) {
      if (std::string(m.code) == "09999") continue;
      const int n = rng_.Between(3, 9);
      for (int k = 0; k < n; ++k) {
        v1::DispatchRule* r = cat->add_rules();
        r->set_id(absl::StrCat("S", m.code, "-", k));
        r->set_matter_code(m.code);
        *r->mutable_lead() = RandomRole();
        const int co = rng_.Between(0, 3);
        for (int i = 0; i < co; ++i) *r->add_co_handlers() = RandomRole();
        if (rng_.Percent(50)) *r->mutable_supervisor() = RandomRole();
        if (rng_.Percent(85)) {
          r->set_item_code(rng_.Percent(70) ? rng_.Pick(delegable)
                                            : rng_.Pick(items));
        }
        if (rng_.Percent(35)) {
          r->set_tier(static_cast<v1::HandlingTier>(rng_.Between(1, 4)));
        }
        if (rng_.Percent(30)) RandomLimits(r->mutable_limits());
        if (k == 0 && rng_.Percent(80)) continue;  // the general rule
        const uint32_t pr = rng_.Below(10);
        r->set_priority(pr < 7 ? 0 : pr < 9 ? 1 : 2);
        if (rng_.Percent(25)) r->set_region_code(rng_.Pick(regions));
        if (rng_.Percent(15)) {
          for (int c = 1; c <= 3; ++c) {
            if (rng_.Percent(50)) {
              r->add_township_classes(static_cast<v1::TownshipClass>(c));
            }
          }
          if (r->township_classes_size() == 0) {
            r->add_township_classes(v1::TOWNSHIP_CLASS_GENERAL);
          }
        }
        if (rng_.Percent(15)) {
          static const v1::UrbanRuralClass kClasses[] = {
              v1::URBAN_RURAL_CLASS_MAIN_URBAN,
              v1::URBAN_RURAL_CLASS_URBAN_RURAL_FRINGE,
              v1::URBAN_RURAL_CLASS_TOWN_CENTRE,
              v1::URBAN_RURAL_CLASS_TOWN_RURAL_FRINGE,
              v1::URBAN_RURAL_CLASS_SPECIAL_AREA,
              v1::URBAN_RURAL_CLASS_TOWNSHIP_CENTRE,
              v1::URBAN_RURAL_CLASS_VILLAGE};
          for (v1::UrbanRuralClass c : kClasses) {
            if (rng_.Percent(35)) r->add_urban_rural_classes(c);
          }
          if (r->urban_rural_classes_size() == 0) {
            r->add_urban_rural_classes(v1::URBAN_RURAL_CLASS_VILLAGE);
          }
        }
        if (rng_.Percent(20)) {
          for (int q = 1; q <= 5; ++q) {
            if (rng_.Percent(40)) {
              r->add_request_kinds(static_cast<v1::RequestKind>(q));
            }
          }
          if (r->request_kinds_size() == 0) {
            r->add_request_kinds(v1::REQUEST_KIND_COMPLAINT);
          }
        }
        if (rng_.Percent(15)) {
          const int lo = rng_.Between(0, 3);
          r->set_min_urgency(lo);
          if (rng_.Percent(60)) {
            r->set_max_urgency(rng_.Between(std::max(lo, 1), 4));
          }
        }
        if (rng_.Percent(20)) {
          if (rng_.Percent(70)) r->set_effective_date(Date(d2025, 900));
          if (rng_.Percent(50) || r->effective_date().empty()) {
            const int32_t from = r->effective_date().empty()
                                     ? d2026
                                     : *ParseIsoDate(r->effective_date()) + 1;
            r->set_end_date(Date(from, 400));
          }
        }
        const int preds = rng_.Between(0, 2);
        for (int i = 0; i < preds; ++i)
          *r->add_attributes() = RandomPredicate();
      }
    }

    // Scenarios of 01001 and 01002: site × phase, some with a window.
    static const char* const kSites[] = {"road", "river", "farmland", "park"};
    int sc = 0;
    for (const char* matter : {"01001", "01002"}) {
      for (const char* site : kSites) {
        for (const char* phase : {"dumping", "transport"}) {
          if (!rng_.Percent(60)) continue;
          v1::Scenario* s = cat->add_scenarios();
          s->set_code(absl::StrCat("SC-", ++sc));
          s->set_matter_code(matter);
          s->set_name(absl::StrCat(site, " ", phase));
          v1::AttributePredicate* f = s->add_facts();
          f->set_key("site");
          f->set_equals(site);
          if (rng_.Percent(70)) {
            f = s->add_facts();
            f->set_key("phase");
            f->set_equals(phase);
          }
          *s->mutable_lead() = RandomRole();
          const int co = rng_.Between(0, 2);
          for (int i = 0; i < co; ++i) *s->add_cooperators() = RandomRole();
          if (rng_.Percent(60)) *s->mutable_supervisor() = RandomRole();
          if (rng_.Percent(80)) s->set_item_code(rng_.Pick(delegable));
          s->set_priority(rng_.Percent(80) ? 0 : 1);
          if (rng_.Percent(30)) s->set_effective_date(Date(d2025, 700));
        }
      }
    }
  }

  Rng rng_;
  std::string city_;
  std::vector<std::string> counties_, townships_, villages_, named_units_;
};

TEST(RouterDifferential, GeneratedSmallProvince) {
  const v1::Dataset dataset = GenerateProvince(ProvinceOptions::Small());
  ASSERT_GT(dataset.catalogue().rules_size(), 0);
  const Tally t = RunDifferential(dataset, 0x5EED0001, kCases);
  Print(t);
  EXPECT_EQ(t.mismatches, 0);
  if (t.cases < kCases) return;  // stopped at a mismatch
  // The mix reached what it is meant to.
  EXPECT_GT(t.routed, kCases / 2);
  EXPECT_GT(t.delegated, 100);
  EXPECT_GT(t.scenarios, 100);
  EXPECT_GT(t.errors, 500);
  EXPECT_GT(t.out_of_range, 100);
  EXPECT_GT(t.cross, 100);
  EXPECT_GT(t.span_villages, 1000);
  EXPECT_GT(t.span_grids, 30);
}

TEST(RouterDifferential, SyntheticCatalogueOnSmallTerritory) {
  const v1::Dataset dataset = SyntheticCatalogue(0xC0FFEE).Build();
  const Tally t = RunDifferential(dataset, 0x5EED0002, kCases);
  Print(t);
  EXPECT_EQ(t.mismatches, 0);
  if (t.cases < kCases) return;  // stopped at a mismatch
  EXPECT_GT(t.routed, kCases / 10);
  EXPECT_GT(t.ambiguous, 1000);
  EXPECT_GT(t.unmapped, 1000);
  EXPECT_GT(t.delegated, 1000);
  EXPECT_GT(t.scenarios, 100);
  EXPECT_GT(t.grid, 100);
  EXPECT_GT(t.village, 100);
  EXPECT_GT(t.whistled, 1000);
  EXPECT_GT(t.span_villages, 1000);
  EXPECT_GT(t.span_grids, 30);
}

// Cases spanning grids and villages of one township on the sample dataset
// (router.h steps 1, 3, 4, 6): every ordered pair of regions of a township
// (the township itself, its villages, grids and micro grids; the same
// region twice), random sets of two to five with repeats, and pairs in two
// townships; the matter, request kind, urgency, time and attributes as the
// generator draws them.
TEST(RouterDifferential, SpansWithinATownshipOnTheSample) {
  const v1::Dataset dataset = SampleDataset();
  std::map<std::string, const v1::Region*> regions;
  for (const v1::Region& r : dataset.regions()) regions[r.code()] = &r;
  // Per township, its region and everything under it.
  std::map<std::string, std::vector<uint64_t>> members;
  for (const v1::Region& r : dataset.regions()) {
    for (auto it = regions.find(r.code()); it != regions.end();
         it = regions.find(it->second->parent_code())) {
      if (it->second->level() == v1::REGION_LEVEL_TOWNSHIP) {
        members[it->first].push_back(std::stoull(r.code()));
        break;
      }
    }
  }
  ASSERT_GE(members.size(), 2u);
  std::vector<std::vector<uint64_t>> sets;  // location, then extras
  for (const auto& [township, codes] : members) {
    for (uint64_t a : codes) {
      for (uint64_t b : codes) sets.push_back({a, b});
    }
  }
  Rng rng(0x5EED0005);
  std::vector<uint64_t> all;
  for (const auto& [township, codes] : members) {
    all.insert(all.end(), codes.begin(), codes.end());
    for (int k = 0; k < 300; ++k) {
      std::vector<uint64_t> set;
      const int n = rng.Between(2, 5);
      for (int i = 0; i < n; ++i) set.push_back(rng.Pick(codes));
      sets.push_back(set);
    }
  }
  for (int k = 0; k < 300; ++k) {
    const uint64_t a = rng.Pick(all), b = rng.Pick(all);
    if (std::to_string(a).substr(0, 9) != std::to_string(b).substr(0, 9)) {
      sets.push_back({a, b});
    }
  }
  const int cases = static_cast<int>(sets.size()) * 12;
  const Tally t =
      RunDifferential(dataset, 0x5EED0006, cases, [&](int i, v1::Case* c) {
        const std::vector<uint64_t>& set =
            sets[static_cast<size_t>(i) % sets.size()];
        c->set_location_code(set[0]);
        c->clear_extra_location_codes();
        for (size_t k = 1; k < set.size(); ++k) {
          c->add_extra_location_codes(set[k]);
        }
      });
  Print(t);
  EXPECT_EQ(t.mismatches, 0);
  if (t.cases < cases) return;  // stopped at a mismatch
  EXPECT_GT(t.span_villages, cases / 4);
  EXPECT_GT(t.span_grids, cases / 100);
  EXPECT_GT(t.cross, 1000);
  EXPECT_GT(t.delegated, 100);
  EXPECT_GT(t.unmapped, 100);
  EXPECT_GT(t.whistled, 100);
}

// ---------------------------------------------------------------------------
// Codes and ids of 64 characters (the most allowed), role labels of ~100,
// a long dataset version and case ids: handlers and some other lengths
// take two bytes, off the writer's one-byte fast paths.

// Pads every string field of `d` whose value is in `codes` with 'x' to 64
// characters, the most a code may have (codes and their references alike,
// so the dataset stays consistent).
void Lengthen(const std::vector<std::string>& codes, v1::Dataset* d) {
  const std::set<std::string> set(codes.begin(), codes.end());
  std::vector<google::protobuf::Message*> todo = {d};
  while (!todo.empty()) {
    google::protobuf::Message* m = todo.back();
    todo.pop_back();
    const google::protobuf::Reflection* r = m->GetReflection();
    std::vector<const google::protobuf::FieldDescriptor*> fields;
    r->ListFields(*m, &fields);
    for (const google::protobuf::FieldDescriptor* f : fields) {
      const bool repeated = f->is_repeated();
      const int n = repeated ? r->FieldSize(*m, f) : 1;
      for (int i = 0; i < n; ++i) {
        if (f->cpp_type() ==
            google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
          todo.push_back(repeated ? r->MutableRepeatedMessage(m, f, i)
                                  : r->MutableMessage(m, f));
        } else if (f->cpp_type() ==
                   google::protobuf::FieldDescriptor::CPPTYPE_STRING) {
          const std::string v =
              repeated ? r->GetRepeatedString(*m, f, i) : r->GetString(*m, f);
          if (set.count(v) == 0 || v.size() >= 64) continue;
          const std::string padded = v + std::string(64 - v.size(), 'x');
          if (repeated) {
            r->SetRepeatedString(m, f, i, padded);
          } else {
            r->SetString(m, f, padded);
          }
        }
      }
    }
  }
}

TEST(RouterDifferential, LongCodesIdsAndLabels) {
  v1::Dataset dataset = SyntheticCatalogue(0xC0FFEE).Build();
  std::vector<std::string> codes;
  for (const v1::Unit& u : dataset.units()) {
    codes.push_back(u.code());
    if (!u.department_type().empty()) codes.push_back(u.department_type());
  }
  const v1::Catalogue& cat = dataset.catalogue();
  for (const v1::Item& i : cat.items()) codes.push_back(i.code());
  for (const auto& r : cat.rules()) codes.push_back(r.id());
  for (const v1::Scenario& s : cat.scenarios()) codes.push_back(s.code());
  for (const v1::Delegation& g : cat.delegations()) codes.push_back(g.id());
  Lengthen(codes, &dataset);
  dataset.mutable_meta()->set_version(std::string(200, 'v'));
  const Tally t = RunDifferential(dataset, 0x5EED0003, kCases / 10);
  Print(t);
  EXPECT_EQ(t.mismatches, 0);
  if (t.cases < kCases / 10) return;  // stopped at a mismatch
  EXPECT_GT(t.routed, kCases / 100);
  EXPECT_GT(t.delegated, 100);
  EXPECT_GT(t.scenarios, 10);
  EXPECT_GT(t.whistled, 100);

  // Case ids up to the longest allowed, with and without explanation text.
  auto engine = Engine::Compile(dataset);
  ASSERT_TRUE(engine.ok()) << engine.status();
  const Router router(**engine);
  CaseMaker maker(dataset, 0x5EED0004);
  int written = 0;
  for (int i = 0; i < 2000; ++i) {
    v1::Case c = maker.Next(i);
    c.set_id(std::string(i % (kMaxCaseIdBytes + 1), 'i'));
    RouteResult r;
    if (!router.Route(c, &r).ok()) continue;
    v1::RouteOptions options;
    options.set_explain_text(i % 2 == 0);
    std::string bytes;
    router.AppendDecision(c, r, options, &bytes);
    v1::RoutingDecision message;
    router.ToProto(c, r, options, &message);
    ASSERT_EQ(bytes, message.SerializeAsString()) << Text(c);
    ++written;
  }
  EXPECT_GT(written, 1000);
}

}  // namespace
}  // namespace jiceng
