// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Test-only code: not part of the library.
//
// ReferenceRouter: a deliberately simple, separately written implementation
// of the routing procedure documented in src/routing/router.h (steps 1–6),
// src/catalogue/catalogue.h (precedence, role resolution) and
// proto/jiceng/v1/catalogue.proto and routing.proto, for the differential
// test (router_differential_test.cc).
//
// It works on the v1::Dataset message itself, never on the compiled
// Hierarchy, Organization or Catalogue: regions and units are found by code
// in std::maps built from the dataset, ancestors by walking parent_code,
// rules, scenarios and delegations by linear scans with string comparisons.
// It is slow on purpose (tens of microseconds a case on Small()); what
// matters is that each step can be checked against the documentation by
// reading it. It shares only WorkCalendar (which has its own tests) with
// the library, for working-time arithmetic.
//
// Extra locations follow router.h steps 1, 3, 4 and 6 as written: the
// lowest common ancestor of all the locations makes a case cross-township
// (above a township: county tier, no delegation overlay), cross-village (a
// township other than the location: at least the township tier, the
// command room taking over from a grid or committee lead, each village's
// committee cooperating) or cross-grid (a village other than the location:
// at least the village tier, the committee taking over from grid workers,
// each grid's workers cooperating). The trace, and so the order of its
// steps (REASON_CROSS_VILLAGE, REASON_LEAD_RAISED, …), is not reproduced.
//
// Where the documentation is silent the reference makes the choice the
// optimised router makes, and says so in reference_router.cc ("Docs
// silent:"); where it reads the documentation differently from
// src/routing/router.cc it says so too ("Documented:").
//
// Example:
//   auto ref = ReferenceRouter::Create(dataset);   // dataset outlives it
//   absl::StatusOr<v1::RoutingDecision> d = (*ref)->Decide(case_proto);
//
// Thread safety: immutable after Create; Decide may be called concurrently.
// Not copyable or movable (it holds pointers into its own maps).

#ifndef JICENG_TESTS_REFERENCE_ROUTER_H_
#define JICENG_TESTS_REFERENCE_ROUTER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "jiceng/v1/dataset.pb.h"
#include "jiceng/v1/routing.pb.h"
#include "src/calendar/work_calendar.h"

namespace jiceng {

// The per-case limits of router.h, restated.
inline constexpr int kReferenceMaxAttributes = 16;
inline constexpr int kReferenceMaxExtraLocations = 16;
inline constexpr int kReferenceMaxCoHandlers = 8;
inline constexpr int kReferenceMaxCandidates = 8;
inline constexpr int kReferenceMaxEscalation = 4;
inline constexpr int kReferenceMaxWhistle = 8;

class ReferenceRouter {
 public:
  // REQUIRES: `dataset` compiles (Engine::Compile succeeds) and outlives
  // the router. Fails only when the calendar does not build.
  static absl::StatusOr<std::unique_ptr<const ReferenceRouter>> Create(
      const v1::Dataset& dataset);

  ReferenceRouter(const ReferenceRouter&) = delete;
  ReferenceRouter& operator=(const ReferenceRouter&) = delete;

  // The decision for `c`, with the fields the differential test compares:
  // case_id, dataset_version, outcome, lead, co_handlers, supervisor, tier,
  // enforcement_mode, rule_id / scenario_code, item_code, delegation_id,
  // candidates, arbitrator, deadlines (stage, due_at, limit, source),
  // escalation and whistle. Handlers carry kind and code only (no role
  // label); no trace. Errors: INVALID_ARGUMENT for bad input,
  // OUT_OF_RANGE when a deadline leaves the work calendar.
  absl::StatusOr<v1::RoutingDecision> Decide(const v1::Case& c) const;

 private:
  // A handler: kind UNSPECIFIED with an empty code is "nobody".
  struct Who {
    v1::HandlerKind kind = v1::HANDLER_KIND_UNSPECIFIED;
    std::string code;
    bool none() const { return kind == v1::HANDLER_KIND_UNSPECIFIED; }
    bool operator==(const Who& o) const {
      return kind == o.kind && code == o.code;
    }
    bool operator!=(const Who& o) const { return !(*this == o); }
  };

  // A rule or a scenario seen as a rule.
  struct RuleView {
    std::string id;
    bool scenario = false;
    const v1::DispatchRule* rule = nullptr;      // when !scenario
    const v1::Scenario* scenario_msg = nullptr;  // when scenario
    int priority = 0;
    int depth = 0;
    int predicate_count = 0;
    const v1::Role* lead = nullptr;
    std::vector<const v1::Role*> co_handlers;
    const v1::Role* supervisor = nullptr;
    std::string item_code;
    v1::HandlingTier tier = v1::HANDLING_TIER_UNSPECIFIED;
    const v1::StageLimits* limits = nullptr;  // nullptr: none
  };

  ReferenceRouter(const v1::Dataset& dataset, WorkCalendar calendar);

  // Regions.
  const v1::Region* FindRegion(const std::string& code) const;
  const v1::Region* Parent(const v1::Region* r) const;
  // The region itself, then its parent, … up to the root.
  std::vector<const v1::Region*> SelfAndAncestors(const v1::Region* r) const;
  const v1::Region* AncestorAtLevel(const v1::Region* r,
                                    v1::RegionLevel level) const;
  bool InSubtree(const v1::Region* node, const std::string& root) const;
  // The county-level region governing a township or below: the
  // township's parent (a county, or a city without counties).
  const v1::Region* CountyOf(const v1::Region* r) const;
  v1::TownshipClass EffectiveTownshipClass(const v1::Region* township) const;
  v1::UrbanRuralClass EffectiveUrbanRural(const v1::Region* r) const;

  // Units, first in code order.
  Who FirstUnit(const std::string& region_code, v1::UnitKind kind,
                v1::CentreType centre = v1::CENTRE_TYPE_UNSPECIFIED) const;
  std::string UnitType(const v1::Unit& u) const;
  Who Resolve(const v1::Role& role, const v1::Region* location) const;
  bool NamesDepartment(const v1::Role& role) const;

  // Rules.
  std::vector<RuleView> RulesOf(const std::string& matter_code) const;
  bool Matches(const RuleView& r, const v1::Region* location, const v1::Case& c,
               int urgency, int32_t day) const;
  bool PredicateHolds(const v1::AttributePredicate& p, const v1::Case& c) const;

  // The delegation of `item_code` to `township` in force on `day`.
  const v1::Delegation* DelegationInForce(const std::string& item_code,
                                          const v1::Region* township,
                                          int32_t day) const;

  absl::StatusOr<int64_t> Add(int64_t from, const v1::Duration& d,
                              int percent) const;

  const v1::Dataset& d_;
  WorkCalendar calendar_;
  std::map<std::string, const v1::Region*> regions_;
  std::map<std::string, const v1::Unit*> units_;  // ordered by code
  std::map<std::string, const v1::Item*> items_;
};

}  // namespace jiceng

#endif  // JICENG_TESTS_REFERENCE_ROUTER_H_
