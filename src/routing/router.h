// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Router: Route(case) → decision over a compiled engine. The hot path fills
// a fixed-size RouteResult (ids, no strings) without allocating; ToProto
// turns it into a jiceng.v1.RoutingDecision with codes, roles and, on
// request, readable explanation text.
//
// How a case is decided, in order (each step leaves a trace entry):
//  1. Location: the grid, village or township code, and the extra
//     locations a case spans; their lowest common ancestor (LCA) says how
//     far it reaches: above a township, a cross-township case
//     (REASON_CROSS_TOWNSHIP), coordinated at the LCA; a township other
//     than the location, a case spanning villages of that township
//     (REASON_CROSS_VILLAGE); a village other than the location, a case
//     spanning grids of that village (REASON_CROSS_GRID).
//  2. Rule: the catalogue's most specific rule for the matter in force on
//     the reported day, with the item it cites (see catalogue.h); equally
//     specific → AMBIGUOUS, sent to the lowest command centre covering the
//     location; none → UNMAPPED, the township command room as territorial
//     backstop (属地兜底).
//  3. Delegation overlay: when the rule's item is delegated to the case's
//     township on that day and the rule names a department to lead (a
//     county department, a dispatched unit, or a named unit of either), the
//     township leads and the department becomes a co-handler. For an
//     enforcement item (the enforcement list, or a penalty, coercive-measure
//     or inspection power) the mode says who: its enforcement team in
//     own-name mode, its joint-enforcement centre in joint mode, its
//     government when entrusted; any other item (a licence, a public
//     service) goes to the township government, with no enforcement mode.
//     A township exercises a delegated power in its own territory only: a
//     cross-township case stays with the department, whatever the other
//     townships hold (REASON_DELEGATION_OUTSIDE); a case spanning villages
//     or grids of the township takes the overlay.
//  4. Tier: major (matter marked major, or urgency ≥ policy major_urgency)
//     or cross-township → COUNTY, whatever the rule says (大事全网联办: a
//     rule cannot keep a major or cross-township case in a grid or a
//     township); else the rule's tier if set; else a grid's own workers →
//     GRID; a village committee (however the rule names it) → VILLAGE; else
//     TOWNSHIP, the township command room dispatching. At COUNTY the county
//     social-governance centre supervises (a rule that sets the county tier
//     itself may name its own supervisor), the township cooperating (a case
//     spanning counties: their common city's social-governance, else
//     city-operations, else 12345 centre). A lead below the township (grid
//     workers, a village committee) of a case the county tier was forced
//     on gives way to that centre, which disposes of the case (重大事件
//     上达社会治理中心处置办结) and is supervised by the centre above it:
//     the lead it replaces becomes the first co-handler
//     (REASON_LEAD_RAISED); so does the township command room that is an
//     unmapped case's backstop. Below the county tier the township command
//     room supervises, unless the rule names a supervisor other than the
//     lead; where the room itself leads, the county centre does. A rule that
//     sets the county tier keeps its lead. A case spanning villages of one
//     township is at least at the TOWNSHIP tier, one spanning grids of one
//     village at least at the VILLAGE tier (小问题不出社区、一般问题不出街道: a
//     matter reaching past one community is the township's, past one grid the
//     community's), whatever the rule says; a routed case's lead below that
//     (grid workers or a village committee; grid workers) gives way to the
//     township command room (the village committee), the lead it replaces
//     becoming the first co-handler (REASON_LEAD_RAISED), unless the rule set
//     that tier itself. Every village (grid) the case spans cooperates: its
//     committee (its workers) is a co-handler, the location's first, then the
//     extra locations' in order, each once, never the lead (routed and unmapped
//     cases; an ambiguous one waits for arbitration).
//  5. Deadlines per stage (sign-for, handle, feedback, revisit): the rule's
//     limit, else the item's, else the matter's, else the policy default
//     (handle by request kind: the policy's per-kind limit, else its
//     defaults.handle, else the built-in one); the handle limit shrinks
//     with urgency to whole hours, rounded down, at least one (working
//     hours for working time, calendar hours for calendar time; see
//     ShrunkLimit), and the decision reports the limit applied; working
//     time on the dataset's calendar. Sign-for and handle run from
//     the reported time, feedback after handle, revisit after feedback.
//  6. Escalation chain (the next levels when late or returned: the
//     village committee for a grid's case, the township command room, the
//     county centre — never the lead, nor the centre already arbitrating an
//     ambiguous case) and the whistle list (吹哨报到: the county departments —
//     and their dispatched units — among the co-handlers that the township may
//     summon, with their report-in deadline), when a routed case is not at
//     county tier and the township leads it: the lead is grid workers or a unit
//     of the township or below that is not a department's (not a department nor
//     a dispatched unit). A department leading its own case summons
//     nobody.
//
// Example:
//   Router router(*engine);
//   RouteResult r;
//   JC_RETURN_IF_ERROR(router.Route(case_proto, &r));
//   v1::RoutingDecision d;
//   router.ToProto(case_proto, r, v1::RouteOptions(), &d);
//
// Thread safety: a Router is immutable; share one across threads. Each
// thread uses its own RouteResult.

#ifndef JICENG_SRC_ROUTING_ROUTER_H_
#define JICENG_SRC_ROUTING_ROUTER_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/base/attributes.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "jiceng/v1/routing.pb.h"
#include "src/catalogue/catalogue.h"
#include "src/engine/engine.h"
#include "src/routing/case_wire.h"
#include "src/routing/wire.h"

namespace jiceng {

// Limits of a decision (those of a case are in case_wire.h).
inline constexpr int kMaxCoHandlers = 8;
inline constexpr int kMaxCandidates = 8;
inline constexpr int kMaxEscalation = 4;
inline constexpr int kMaxWhistle = 8;
inline constexpr int kMaxTrace = 24;
// Bytes of a case id (it is copied into every decision).
inline constexpr size_t kMaxCaseIdBytes = 256;

// What a trace step's ref points at.
enum class RefKind : uint8_t {
  kNone,
  kRegion,      // RegionId
  kMatter,      // MatterId
  kRule,        // RuleIndex
  kTiedRules,   // none: the candidates
  kItem,        // ItemId
  kDelegation,  // DelegationIndex
  kHandler,     // see HandlerAt: 0 lead, 1 supervisor, 2 arbitrator,
                // 3 + k co-handler k
  kRole,        // the rule's lead role (unresolved)
  kTier,        // v1::HandlingTier
  kMajor,       // 1 = matter, 2 = urgency
  kStage,       // index into deadlines
  kUrgency,     // the case's urgency (2..4) whose share shortened handling
};

struct TraceEntry {
  v1::Reason reason = v1::REASON_UNSPECIFIED;
  RefKind kind = RefKind::kNone;
  uint32_t ref = 0;
};

struct DeadlineEntry {
  v1::Stage stage = v1::STAGE_UNSPECIFIED;
  int64_t due_at = 0;
  CompiledDuration limit;
  // 1 rule, 2 item, 3 matter, 4 policy; 5 handle: a sign-for limit that
  // would end after the handle deadline, capped to it (`unadjusted` then
  // holds the limit from its source).
  uint8_t source = 0;
  // The share of the limit kept for the case's urgency (RoutingPolicy):
  // 100, or less for the handle stage of an urgent case, whose `limit` is
  // then the shortened one and `unadjusted` the limit from `source`.
  uint8_t percent = 100;
  CompiledDuration unadjusted;
};

struct RoleHandler {
  Handler handler;
  const CompiledRole* role = nullptr;  // nullptr: chosen by routing itself
  v1::RoleKind implied = v1::ROLE_KIND_UNSPECIFIED;  // when role is nullptr
};

struct WhistleEntry {
  RoleHandler department;
  int64_t report_by = 0;
};

// The result of Route: ids only, fixed capacity, reusable across calls.
struct RouteResult {
  v1::RoutingOutcome outcome = v1::ROUTING_OUTCOME_UNSPECIFIED;
  RegionId location = kNoRegion;
  RegionId coordinating_region = kNoRegion;  // cross-township LCA
  MatterId matter = kNoIndex;
  RuleIndex rule = kNoIndex;
  ItemId item = kNoIndex;
  DelegationIndex delegation = kNoIndex;
  v1::DelegationMode enforcement_mode = v1::DELEGATION_MODE_UNSPECIFIED;
  v1::HandlingTier tier = v1::HANDLING_TIER_UNSPECIFIED;
  RoleHandler lead;
  RoleHandler supervisor;
  RoleHandler arbitrator;
  int co_handler_count = 0;
  RoleHandler co_handlers[kMaxCoHandlers];
  int candidate_count = 0;
  RuleIndex candidate_rules[kMaxCandidates];
  RoleHandler candidates[kMaxCandidates];
  int deadline_count = 0;
  DeadlineEntry deadlines[4];
  int escalation_count = 0;
  RoleHandler escalation[kMaxEscalation];
  int whistle_count = 0;
  WhistleEntry whistle[kMaxWhistle];
  int trace_count = 0;
  TraceEntry trace[kMaxTrace];
};

// The handler a kHandler trace step names: 0 the lead, 1 the supervisor,
// 2 the arbitrator, 3 + k co-handler k (the lead a county-tier case was
// raised from, REASON_LEAD_RAISED).
inline const RoleHandler& HandlerAt(const RouteResult& r, uint32_t ref) {
  return ref == 0   ? r.lead
         : ref == 1 ? r.supervisor
         : ref == 2 ? r.arbitrator
                    : r.co_handlers[ref - 3];
}

// What RoutePrefetcher found out about a case while fetching ahead for it:
// its location's region and township, its matter, and where the
// delegations of the matter's first rule's item to that township lie.
// Router::Route(c, hint, out) uses them instead of looking them up again
// (the delegations only when the winning rule has that item); a hint that
// is not c's (another case, or none) is ignored, so it never changes a
// decision.
struct RouteHint {
  const CaseView* c = nullptr;    // the case it was found for
  uint64_t key = 0;               // c's location key; 0: none
  RegionId location = kNoRegion;  // Hierarchy::FindKey(key), once located
  MatterId matter = kNoIndex;     // Catalogue::FindMatter(c's matter code)
  bool located = false;
  // Once `delegations_known`: entries of the township's delegation index
  // holding all of those of the matter's first rule's item (the bucket of
  // its directory, see Catalogue::DelegationBlock; empty when the filter
  // ruled the pair out), which Catalogue::DelegationAt searches.
  bool delegations_known = false;
  ItemId item = kNoIndex;
  RegionId township = kNoRegion;
  absl::Span<const Catalogue::ItemDelegation> delegations;
};

class Router {
 public:
  // `engine` must outlive the router.
  explicit Router(const Engine& engine);

  // Decides `c`. INVALID_ARGUMENT naming the field and value for an unknown
  // matter or location, a location above township level, an unknown or
  // mistyped attribute, an urgency outside 0..4, a reported time that is
  // not a real instant, too many attributes or extra locations, an id
  // longer than kMaxCaseIdBytes; OUT_OF_RANGE naming the date when the
  // reported time ("reported_at: ...") or a deadline ("handle deadline:
  // ...", "whistle report-in: ...") falls outside the work calendar. On
  // error *out is
  // unspecified. No allocation on success. `c` may be a v1::Case, viewed
  // for the call (here and in the functions below that take a CaseView).
  absl::Status Route(const CaseView& c, RouteResult* out) const {
    return Route(c, RouteHint(), out);
  }
  // The same, using what a RoutePrefetcher found for c (see RouteHint).
  // REQUIRES: c is the view that was pushed, unchanged since.
  absl::Status Route(const CaseView& c, const RouteHint& hint,
                     RouteResult* out) const;
  // A hint belongs to the view it was found for, by address: a message
  // viewed for the call would never match one.
  absl::Status Route(const v1::Case& c, const RouteHint& hint,
                     RouteResult* out) const = delete;

  // The decision as a message. REQUIRES: `r` is Route's result for `c`.
  void ToProto(const CaseView& c, const RouteResult& r,
               const v1::RouteOptions& options, v1::RoutingDecision* out) const;

  // Whether `a`, a handler of this router's engine, and `b`, one of
  // `other`'s, are the same handler in a decision: the same kind and code
  // (ids differ from engine to engine). Two kNone handlers are the same.
  bool SameHandler(const Handler& a, const Router& other,
                   const Handler& b) const {
    if (a.kind != b.kind) return false;
    if (a.kind == Handler::kUnit) return o_.code(a.id) == other.o_.code(b.id);
    if (a.kind == Handler::kGrid) return h_.key(a.id) == other.h_.key(b.id);
    return true;
  }

  // Appends the decision serialized: the same bytes as ToProto's message
  // gives with SerializeToString, without building the message. Allocates
  // only when `out` grows, or for explanation text.
  // REQUIRES: `r` is Route's result for `c`.
  void AppendDecision(const CaseView& c, const RouteResult& r,
                      const v1::RouteOptions& options, std::string* out) const;
  // The same bytes through a writer the caller keeps (batch routing reuses
  // one scratch writer, so its buffer keeps its capacity and is not
  // zero-filled again per decision).
  void AppendDecision(const CaseView& c, const RouteResult& r,
                      const v1::RouteOptions& options, WireWriter* w) const;

  // Decides cases[0], cases[1], … in order, as Route does each, calling
  // sink(i, status, result) after each; `result` is *scratch, reused for
  // the next case (copy what you keep; on error it is unspecified). While
  // one case is decided, the engine data the next ones read first is
  // fetched ahead (RoutePrefetcher), so on a cold cache their misses
  // overlap instead of adding up. No allocation unless a case fails.
  // REQUIRES: no pointer in `cases` is null.
  template <typename Sink>
  void RouteMany(absl::Span<const v1::Case* const> cases, RouteResult* scratch,
                 Sink&& sink) const;

  // Route + ToProto.
  absl::StatusOr<v1::RoutingDecision> Decide(
      const CaseView& c, const v1::RouteOptions& options = {}) const;

  const Engine& engine() const { return engine_; }

 private:
  friend class RoutePrefetcher;
  // Step 5 from the reported time located in the calendar (`reported`):
  // the deadlines, without their trace steps, which TraceDeadlines
  // appends (after the tier's).
  absl::Status ComputeDeadlines(const CaseView& c,
                                const WorkCalendar::Position& reported,
                                RouteResult* r) const;
  static void TraceDeadlines(const CaseView& c, RouteResult* r);
  // The deadline `limit` after `from`: *due and true, or false where the
  // calendar refuses (DueError then gives its error, from
  // from.unix_seconds). *number: the deadline day's number among the
  // working days for a whole-working-days deadline (for
  // WorkCalendar::TryAddMoreWorkingDays), else 0.
  bool Due(CompiledDuration limit, const WorkCalendar::Position& from,
           int64_t* due, int64_t* number) const;
  absl::Status DueError(absl::string_view what, CompiledDuration limit,
                        int64_t from) const;
  // Whether a case's lead sits below the township: grid workers, or a
  // village committee.
  bool LedBelowTownship(const RouteResult& r) const;
  // Whether the township leads a case (the whistle's condition): grid
  // workers, or a unit of the township or below that is not a
  // department's (neither a department nor a dispatched unit).
  bool LedByTownship(const RouteResult& r) const;
  // `coordinator` (the county centre, the township command room, the
  // village committee) takes over the lead, when there is one and it does
  // not lead already: the lead it replaces becomes the first co-handler
  // (the REASON_LEAD or REASON_BACKSTOP step then names it there), and a
  // REASON_LEAD_RAISED step names the new lead. Out of line: only such a
  // case asks.
  ABSL_ATTRIBUTE_NOINLINE void RaiseLead(const RoleHandler& coordinator,
                                         RouteResult* r) const;
  // Whether the delegation overlay (step 3) can apply to `rule`: it cites
  // an item and a department leads it (a county department, a dispatched
  // unit, or a named unit of either kind).
  bool Delegable(const CompiledRule& rule) const;
  // The township unit that leads under delegation `g` (`roles`: the
  // township's): the enforcement team in own-name mode, the joint centre
  // (else the team) in joint mode, the government otherwise or when
  // those are missing; an empty handler when the township has none.
  void DelegatedLead(const Catalogue::ItemDelegation& g,
                     const Organization::TownshipRoles& roles,
                     RoleHandler* out) const;
  void Resolved(const CompiledRole& role, const Catalogue::Place& at,
                RoleHandler* out) const;
  void Implied(v1::RoleKind kind, const Catalogue::Place& at,
               RoleHandler* out) const;
  // What a decision shows of a handler: its role's label (in *scratch only
  // when the role has no label built), its unit or grid code (a grid's in
  // `digits`, kMaxCodeDigits chars).
  absl::string_view RoleLabel(const RoleHandler& h, std::string* scratch) const;
  absl::string_view HandlerCode(const Handler& h, char* digits) const;
  // Appends the ref of one trace step (its bytes, no tag).
  void AppendRef(const RouteResult& r, const TraceEntry& t,
                 WireWriter* w) const;
  // Appends the trace (field 17 per step) without explanation text at
  // `s`, which AppendDecision's writer `w` gave: where it ends.
  WireWriter::Span AppendTrace(const CaseView& c, const RouteResult& r,
                               WireWriter* w, WireWriter::Span s) const;
  // Appends one trace step (field 17) the general way: tied rules, whose
  // ref is a list, or explanation text (when `explain`).
  void AppendTraceStep(const CaseView& c, const RouteResult& r,
                       const TraceEntry& t, bool explain, WireWriter* w) const;
  // The ref of one trace step other than kTiedRules (AppendRef joins
  // those): engine strings, or text in `digits` (kMaxCodeDigits chars) or
  // *scratch.
  absl::string_view RefOf(const RouteResult& r, const TraceEntry& t,
                          char* digits, std::string* scratch) const;
  // The explanation text of one trace step whose ref is `ref`.
  std::string ExplainStep(const CaseView& c, const RouteResult& r,
                          const TraceEntry& t, absl::string_view ref) const;

  const Engine& engine_;
  const Hierarchy& h_;
  const Organization& o_;
  const Catalogue& c_;
  const WorkCalendar& cal_;
  v1::RoutingPolicy policy_;
  // The roles routing implies by itself (backstop, supervisor, escalation),
  // one per RoleKind, built once: Implied() must not build a role per call.
  CompiledRole implied_[v1::RoleKind_ARRAYSIZE];
  // The routing policy resolved once (defaults filled in): sign-for,
  // feedback and revisit limits (index 1 unused), the handle limit by
  // request kind and [hotline matter], the handle share by urgency, the
  // urgency that makes a case major, the whistle report-in limit.
  CompiledDuration stage_default_[4];
  CompiledDuration handle_default_[v1::RequestKind_ARRAYSIZE][2];
  int urgency_percent_[5];
  // TraceStep.ref of the REASON_POLICY step by urgency: the policy field
  // and the share applied ("very_urgent_percent:50").
  std::string urgency_ref_[5];
  int32_t major_urgency_ = 4;
  CompiledDuration whistle_report_in_;
  // RoleKind, Stage and HandlingTier names by value (the generated
  // functions' static strings).
  absl::string_view role_kind_name_[v1::RoleKind_ARRAYSIZE];
  absl::string_view stage_name_[v1::Stage_ARRAYSIZE];
  absl::string_view tier_name_[v1::HandlingTier_ARRAYSIZE];
};

// RoutePrefetcher: fetches ahead, step by step, the engine data that
// routing a case reads and that lies scattered over a province-scale
// engine — its location's code-index slot, then the keys of its run, its
// node, its township's row number, and that township's role records; its
// matter's record, then the lines of the matter's first rules, their
// co-handler roles, and the (township, item) delegation filter word, the
// township's directory block and the bucket of its entries that holds the
// item's. Each step reads only what an earlier step fetched, so none
// waits on memory, and a case pushed kLead pushes ago has had all of it
// fetched. What the steps find (the region, the township, the matter, the
// delegation entries) is kept as the case's RouteHint. Push the cases in the
// order they will be routed, kLead ahead of routing them, taking each one's
// hint just before the push that would overwrite it:
//
//   RoutePrefetcher ahead(router);
//   for (size_t i = 0; i < n + RoutePrefetcher::kLead; ++i) {
//     if (i >= RoutePrefetcher::kLead) {
//       const CaseView& c = cases[i - RoutePrefetcher::kLead];
//       router.Route(c, ahead.Oldest(), &r);
//     }
//     if (i < n) ahead.Push(cases[i]); else ahead.Push();
//   }
//
// It never changes what Route decides; any case may be pushed (a location
// that is no region's code fetches nothing more).
//
// Thread safety: one per sequence of cases (per thread); cheap to make (a
// few hundred bytes on the stack), nothing to free.
class RoutePrefetcher {
 public:
  // Pushes between the push of a case and its routing: one per step.
  static constexpr int kLead = 6;

  // `router` must outlive the prefetcher.
  explicit RoutePrefetcher(const Router& router)
      : h_(router.h_), o_(router.o_), c_(router.c_) {}

  // Starts fetching for `c` and moves the fetches of the cases pushed
  // before it on by one step. Reads c's location and matter codes; `c`
  // must stay where it is until it is routed with its hint.
  void Push(const CaseView& c);
  // A view made for the call would be gone before its hint is used.
  void Push(const v1::Case& c) = delete;
  // Moves the fetches on without a new case (the end of a sequence).
  void Push();

  // The hint of the case pushed kLead pushes ago (the next push reuses its
  // slot); an empty hint when that push had no case.
  const RouteHint& Oldest() const { return pending_[next_].hint; }

 private:
  struct Pending {
    RouteHint hint;
    CodeIndex::Run run;
    const CompiledRule* rule = nullptr;  // the matter's first rule
    // The township's delegation directory block (see
    // Catalogue::DelegationBlock).
    const Catalogue::DelegationBlock* delegation_block = nullptr;
  };
  void Advance();

  const Hierarchy& h_;
  const Organization& o_;
  const Catalogue& c_;
  // Pending for the case pushed `age` pushes ago is at next_ - age,
  // wrapped into [0, kLead), ages 0 … kLead - 1.
  Pending pending_[kLead];
  int next_ = 0;
};

template <typename Sink>
void Router::RouteMany(absl::Span<const v1::Case* const> cases,
                       RouteResult* scratch, Sink&& sink) const {
  RoutePrefetcher ahead(*this);
  const size_t n = cases.size();
  constexpr size_t kLead = RoutePrefetcher::kLead;
  // The views pushed and not yet routed, each where it was pushed.
  CaseView views[kLead + 1];
  for (size_t i = 0; i < n + kLead; ++i) {
    if (i >= kLead) {
      const size_t k = i - kLead;
      const absl::Status s =
          Route(views[k % (kLead + 1)], ahead.Oldest(), scratch);
      sink(k, s, *scratch);
    }
    if (i < n) {
      CaseView& v = views[i % (kLead + 1)];
      v = CaseView(*cases[i]);
      ahead.Push(v);
    } else {
      ahead.Push();
    }
  }
}

}  // namespace jiceng

#endif  // JICENG_SRC_ROUTING_ROUTER_H_
