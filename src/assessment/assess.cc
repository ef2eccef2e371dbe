// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/assessment/assess.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "src/assessment/assessment_policy.h"
#include "src/base/civil_date.h"
#include "src/base/hash_tables.h"
#include "src/base/status_macros.h"
#include "src/base/utf8.h"
#include "src/dataset/enum_check.h"
#include "src/hierarchy/region_code.h"

namespace jiceng {
namespace {

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
constexpr int kMaxUnknownListed = 100;
// Distinct unknown codes remembered; later ones are only counted, so a
// hostile record store cannot grow the map without bound.
constexpr size_t kMaxUnknownKept = 10000;
constexpr int kDefaultOverdueUnits = 10;

// The counters of one unit, region or the total. Plain integers: the rates
// are derived once, at the end.
struct Counts {
  int64_t received = 0;
  int64_t registered = 0;
  int64_t dispatched = 0;
  int64_t closed = 0;
  int64_t signed_on_time = 0;
  int64_t awaiting_response = 0;
  int64_t resolved = 0;
  int64_t evaluated = 0;
  int64_t satisfied = 0;
  int64_t dissatisfied = 0;
  int64_t closed_on_time = 0;
  int64_t returned = 0;
  int64_t reworked = 0;
  int64_t extensions = 0;
  int64_t parks = 0;
  int64_t overdue_open = 0;
  int64_t open = 0;
  int64_t co_handled = 0;
  int64_t ratings = 0;
  int64_t rating_sum = 0;
  // The closure rate's base and part: dispatched cases led (for a unit:
  // that it leads now, not one it returned, nor one reassigned away from
  // it, nor one it holds returned), and the closed ones among them.
  int64_t closure_base = 0;
  int64_t closure_done = 0;

  // The response rate's base: dispatched cases whose response was due.
  int64_t response_base() const { return dispatched - awaiting_response; }

  void Add(const Counts& o) {
    received += o.received;
    registered += o.registered;
    dispatched += o.dispatched;
    closed += o.closed;
    signed_on_time += o.signed_on_time;
    awaiting_response += o.awaiting_response;
    resolved += o.resolved;
    evaluated += o.evaluated;
    satisfied += o.satisfied;
    dissatisfied += o.dissatisfied;
    closed_on_time += o.closed_on_time;
    returned += o.returned;
    reworked += o.reworked;
    extensions += o.extensions;
    parks += o.parks;
    overdue_open += o.overdue_open;
    open += o.open;
    co_handled += o.co_handled;
    ratings += o.ratings;
    rating_sum += o.rating_sum;
    closure_base += o.closure_base;
    closure_done += o.closure_done;
  }
  bool empty() const {
    // An earlier lead reassigned away may have nothing but dispatches.
    return received == 0 && dispatched == 0 && co_handled == 0 &&
           returned == 0 && ratings == 0;
  }
};

// An open record with a running clock (its earliest due time), or a record
// whose response is pending (the due time of its running sign-for clock):
// judged once as_of is known.
struct OpenClock {
  int64_t earliest_due;
  RegionId region;
  UnitId unit;
};

double Round2(double x) { return std::round(x * 100.0) / 100.0; }

double Percent(int64_t part, int64_t base) {
  return base == 0 ? 0.0
                   : 100.0 * static_cast<double>(part) /
                         static_cast<double>(base);
}

double Score(const Counts& c, const v1::ScoreWeights& w) {
  double sum = 0;
  double weight = 0;
  auto add = [&](int32_t w_i, int64_t base, double value) {
    if (base == 0 || w_i == 0) return;
    sum += w_i * value;
    weight += w_i;
  };
  add(w.satisfaction(), c.evaluated, Percent(c.satisfied, c.evaluated));
  add(w.response(), c.response_base(),
      Percent(c.signed_on_time, c.response_base()));
  add(w.resolution(), c.closed, Percent(c.resolved, c.closed));
  add(w.on_time(), c.closed, Percent(c.closed_on_time, c.closed));
  add(w.return_rate(), c.dispatched,
      100.0 - Percent(c.returned, c.dispatched));
  add(w.rework(), c.closed, 100.0 - Percent(c.reworked, c.closed));
  add(w.closure(), c.closure_base, Percent(c.closure_done, c.closure_base));
  add(w.reverse_evaluation(), c.ratings,
      c.ratings == 0 ? 0.0
                     : static_cast<double>(c.rating_sum) /
                           static_cast<double>(c.ratings));
  return weight == 0 ? 0.0 : sum / weight;
}

void FillFigures(const Counts& c, const v1::ScoreWeights& w, v1::Figures* f) {
  f->set_received(c.received);
  f->set_registered(c.registered);
  f->set_dispatched(c.dispatched);
  f->set_closed(c.closed);
  f->set_signed_on_time(c.signed_on_time);
  f->set_resolved(c.resolved);
  f->set_evaluated(c.evaluated);
  f->set_satisfied(c.satisfied);
  f->set_dissatisfied(c.dissatisfied);
  f->set_closed_on_time(c.closed_on_time);
  f->set_returned(c.returned);
  f->set_reworked(c.reworked);
  f->set_extensions(c.extensions);
  f->set_parks(c.parks);
  f->set_overdue_open(c.overdue_open);
  f->set_open(c.open);
  f->set_co_handled(c.co_handled);
  f->set_awaiting_response(c.awaiting_response);
  f->set_response_rate(RatePercent(c.signed_on_time, c.response_base()));
  f->set_resolution_rate(RatePercent(c.resolved, c.closed));
  f->set_satisfaction_rate(RatePercent(c.satisfied, c.evaluated));
  f->set_on_time_rate(RatePercent(c.closed_on_time, c.closed));
  f->set_return_rate(RatePercent(c.returned, c.dispatched));
  f->set_rework_rate(RatePercent(c.reworked, c.closed));
  f->set_closure_rate(RatePercent(c.closure_done, c.closure_base));
  f->set_ratings(c.ratings);
  f->set_reverse_evaluation(
      c.ratings == 0 ? 0.0
                     : Round2(static_cast<double>(c.rating_sum) /
                              static_cast<double>(c.ratings)));
  f->set_score(Round2(Score(c, w)));
}

bool IsClosed(v1::CaseState s) {
  return s == v1::CASE_STATE_CLOSED || s == v1::CASE_STATE_EVALUATED;
}
bool IsOpen(v1::CaseState s) {
  return s != v1::CASE_STATE_UNSPECIFIED && !IsClosed(s) &&
         s != v1::CASE_STATE_CANCELLED && s != v1::CASE_STATE_WITHDRAWN &&
         s != v1::CASE_STATE_MERGED;
}

// The last clock of `stage` (a rework or reopen starts a new one), or null.
const v1::StageClock* LastClock(const v1::CaseRecord& r, v1::Stage stage) {
  for (int i = r.clocks_size() - 1; i >= 0; --i) {
    if (r.clocks(i).stage() == stage) return &r.clocks(i);
  }
  return nullptr;
}

// Whether every handle clock started at or after `since` (the first, and
// those a rework, reopen or reassignment started) ended by its due time;
// *any: whether there is one. `since` 0: the case as a whole; the lead's
// lead_since: the clocks that ran while the current lead led (a clock the
// previous lead's return or reassignment interrupted started before).
bool HandledInTime(const v1::CaseRecord& r, int64_t since, bool* any) {
  bool in_time = true;
  *any = false;
  for (const v1::StageClock& c : r.clocks()) {
    if (c.stage() != v1::STAGE_HANDLE || c.started_at() < since) continue;
    *any = true;
    in_time &= c.done_at() != 0 && c.done_at() <= c.due_at();
  }
  return in_time;
}

// How a dispatched record's response (its last sign-for clock) stands
// before as_of is known.
enum class Response {
  kInTime,   // signed for (or returned) by the due time
  kFailed,   // late, or stopped undone after the due time
  kNotDue,   // stopped undone (withdrawn, merged) before the due time, or
             // parked before it: the response never fell due
  kRunning,  // still running: due or not at as_of
};

Response ResponseOf(const v1::CaseRecord& r, const v1::StageClock* sign) {
  if (sign == nullptr) return Response::kFailed;
  if (sign->done_at() != 0) {
    if (!sign->interrupted()) {
      return sign->done_at() <= sign->due_at() ? Response::kInTime
                                               : Response::kFailed;
    }
    return sign->done_at() <= sign->due_at() ? Response::kNotDue
                                             : Response::kFailed;
  }
  if (r.state() == v1::CASE_STATE_PARKED) {
    return r.parked_at() <= sign->due_at() ? Response::kNotDue
                                           : Response::kFailed;
  }
  return Response::kRunning;
}

// Whether closed record `r` was handled in time on the handle clocks started
// at or after `since`; without one, whether it closed by the decision's
// handle deadline.
bool ClosedOnTime(const v1::CaseRecord& r, int64_t since) {
  bool any = false;
  const bool in_time = HandledInTime(r, since, &any);
  if (any) return in_time;
  int64_t due = kNever;
  for (const v1::Deadline& d : r.decision().deadlines()) {
    if (d.stage() == v1::STAGE_HANDLE) due = d.due_at();
  }
  return r.closed_at() <= due;
}

// What one record contributes to the totals and its regions (the case as a
// whole), before overdue judgement; *response_due: the due time of a
// sign-for clock still running (judged once as_of is known), else kNever;
// *lead_on_time: whether, closed, it was handled in time on the clocks that
// ran while its current lead led (the lead's closed_on_time).
Counts Summarise(const v1::CaseRecord& r, int64_t* response_due,
                 bool* lead_on_time) {
  *response_due = kNever;
  *lead_on_time = false;
  Counts c;
  const v1::CaseState state = r.state();
  const bool closed = IsClosed(state);
  c.received = 1;
  c.registered = r.registered_at() != 0;
  c.dispatched = r.dispatched_at() != 0;
  c.closed = closed;
  if (c.dispatched) {
    const v1::StageClock* sign = LastClock(r, v1::STAGE_SIGN_FOR);
    switch (ResponseOf(r, sign)) {
      case Response::kInTime:
        c.signed_on_time = 1;
        break;
      case Response::kNotDue:
        c.awaiting_response = 1;
        break;
      case Response::kRunning:
        *response_due = sign->due_at();
        break;
      case Response::kFailed:
        break;
    }
  }
  const v1::Counters& k = r.counters();
  c.resolved = closed && k.reopens() == 0;
  const v1::Satisfaction s = r.satisfaction();
  c.satisfied = s == v1::SATISFACTION_SATISFIED ||
                s == v1::SATISFACTION_BASICALLY_SATISFIED;
  c.dissatisfied = s == v1::SATISFACTION_DISSATISFIED;
  c.evaluated = c.satisfied + c.dissatisfied;
  if (closed) {
    c.closed_on_time = ClosedOnTime(r, 0);
    // Records without lead_since (older stores): the case's clocks.
    *lead_on_time = r.lead_since() == 0 ? c.closed_on_time
                                        : ClosedOnTime(r, r.lead_since());
  }
  c.closure_base = c.dispatched;
  c.closure_done = c.dispatched && closed;
  c.returned = k.returns() > 0;
  c.reworked = closed && k.reworks() > 0;
  c.extensions = k.extensions();
  c.parks = k.parks();
  c.open = IsOpen(state);
  return c;
}

// The earliest due time among running clocks of an open, unparked record;
// kNever when none runs.
int64_t EarliestRunningDue(const v1::CaseRecord& r) {
  if (!IsOpen(r.state()) || r.state() == v1::CASE_STATE_PARKED) return kNever;
  int64_t due = kNever;
  for (const v1::StageClock& c : r.clocks()) {
    if (c.done_at() == 0 && c.due_at() != 0) due = std::min(due, c.due_at());
  }
  return due;
}

// Calls f(holder, sign) for each earlier lead spell of `r`: a dispatch or
// reassignment (history entries "dispatch", "reassign") named `holder`,
// which then stopped leading — it returned the case ("return_case") or the
// centre reassigned it away. `sign` is the sign-for clock that dispatch or
// reassignment started (both start one at the entry's instant; matched in
// order by start time, so two hand-offs in the same second still find
// their own), or null when the record holds none. The spell still running
// (the current lead's) is not reported, and a RETURNED case's holding
// centre has none: a return starts no clock.
template <typename F>
void ForEachEarlierLead(const v1::CaseRecord& r, F f) {
  const int n = r.clocks_size();
  int next_clock = 0;
  const std::string* holder = nullptr;
  const v1::StageClock* sign = nullptr;
  for (const v1::HandOff& h : r.history()) {
    const bool starts = h.action() == "dispatch" || h.action() == "reassign";
    if (!starts && h.action() != "return_case") continue;
    if (holder != nullptr) f(*holder, sign);
    holder = nullptr;
    sign = nullptr;
    if (!starts) continue;
    holder = &h.to_holder();
    while (next_clock < n &&
           (r.clocks(next_clock).stage() != v1::STAGE_SIGN_FOR ||
            r.clocks(next_clock).started_at() < h.at())) {
      ++next_clock;
    }
    if (next_clock < n && r.clocks(next_clock).started_at() == h.at()) {
      sign = &r.clocks(next_clock++);
    }
  }
  // The last spell is the current lead's, unless the history names another
  // holder than the decision (a record edited by hand).
  if (holder != nullptr && *holder != r.decision().lead().code()) {
    f(*holder, sign);
  }
}

// The instants of record `index` that Assess reads, each 0 (not set) or
// in 0..kMaxInstant: a negative or far-future time is no time a record can
// hold, and would be counted or printed as nonsense (a year -1583348).
absl::Status CheckInstants(int index, const v1::CaseRecord& r) {
  // The field is `name`, or `name`[k]`suffix` for k >= 0.
  auto check = [&](int64_t t, absl::string_view name, int k = -1,
                   absl::string_view suffix = "") -> absl::Status {
    if (t >= 0 && t <= kMaxInstant) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(
        "records[", index, "] (case ", Utf8Prefix(r.case_().id(), 64), ") ",
        name, k < 0 ? std::string() : absl::StrCat("[", k, "]", suffix), ": ",
        t, " is not a time from 1970 to 9999 (0..", kMaxInstant,
        " unix seconds)"));
  };
  JC_RETURN_IF_ERROR(check(r.received_at(), "received_at"));
  JC_RETURN_IF_ERROR(check(r.registered_at(), "registered_at"));
  JC_RETURN_IF_ERROR(check(r.dispatched_at(), "dispatched_at"));
  JC_RETURN_IF_ERROR(check(r.closed_at(), "closed_at"));
  JC_RETURN_IF_ERROR(check(r.evaluated_at(), "evaluated_at"));
  JC_RETURN_IF_ERROR(check(r.parked_at(), "parked_at"));
  for (int k = 0; k < r.clocks_size(); ++k) {
    const v1::StageClock& c = r.clocks(k);
    JC_RETURN_IF_ERROR(check(c.started_at(), "clocks", k, ".started_at"));
    JC_RETURN_IF_ERROR(check(c.due_at(), "clocks", k, ".due_at"));
    JC_RETURN_IF_ERROR(check(c.done_at(), "clocks", k, ".done_at"));
  }
  for (int k = 0; k < r.decision().deadlines_size(); ++k) {
    JC_RETURN_IF_ERROR(check(r.decision().deadlines(k).due_at(),
                             "decision.deadlines", k, ".due_at"));
  }
  if (r.history_size() > 0) {
    // Only the last entry is read (the latest instant).
    const int last = r.history_size() - 1;
    JC_RETURN_IF_ERROR(check(r.history(last).at(), "history", last, ".at"));
  }
  return absl::OkStatus();
}

int64_t LatestInstant(const v1::CaseRecord& r) {
  int64_t t = std::max({r.received_at(), r.registered_at(), r.dispatched_at(),
                        r.closed_at(), r.evaluated_at()});
  if (r.history_size() > 0) t = std::max(t, r.history(r.history_size() - 1).at());
  return t;
}

enum UnknownField : int {
  kUnknownLocation,
  kUnknownLead,
  kUnknownCoHandler,
  kUnknownReturnedBy,
  kUnknownRatedDepartment,
  kUnknownRatingTownship,
  kUnknownEarlierLead,
};
constexpr std::array<const char*, 7> kUnknownFieldNames = {
    "case.location_code", "decision.lead",           "decision.co_handlers",
    "returned_by",        "ratings.department_code", "ratings.township_code",
    "history.to_holder"};

// The figures of the records given to Add, under the settings of
// `request` (its records are not read). REQUIRES: CheckSettings(request)
// is OK; `engine` and `request` outlive the Assessor.
class Assessor {
 public:
  Assessor(const Engine& engine, const v1::AssessRequest& request)
      : engine_(engine),
        h_(engine.hierarchy()),
        o_(engine.organization()),
        request_(request),
        regions_(h_.size()),
        units_(o_.size()),
        longest_overdue_(o_.size(), 0) {}

  // The next record: the checks no other record affects, that its case is
  // not an earlier record's, then its figures.
  absl::Status Add(const v1::CaseRecord& r);
  v1::AssessmentReport Finish();

 private:
  absl::Status AddRecord(int index, const v1::CaseRecord& r);
  UnitId UnitOrUnknown(const std::string& code, UnknownField field);
  RegionId RatingTownship(const std::string& code);
  void Unknown(UnknownField field, absl::string_view code);
  void JudgeOverdue(int64_t as_of);
  void Report(int64_t as_of, const v1::AssessmentPolicy& weights,
              v1::AssessmentReport* report);

  const Engine& engine_;
  const Hierarchy& h_;
  const Organization& o_;
  const v1::AssessRequest& request_;

  Counts total_;
  std::vector<Counts> regions_;
  std::vector<Counts> units_;
  std::vector<int64_t> longest_overdue_;
  std::vector<OpenClock> open_clocks_;
  std::vector<OpenClock> pending_responses_;
  // The earlier leads of the record being added (scratch).
  std::vector<const std::string*> earlier_leads_;
  std::array<int64_t, 5> tier_closed_{};
  // (department unit << 32 | township region) -> (ratings, sum).
  absl::flat_hash_map<uint64_t, std::pair<int64_t, int64_t>> ratings_;
  absl::flat_hash_map<std::pair<int, std::string>, int64_t> unknown_;
  int64_t unknown_total_ = 0;
  // The records given to Add, and the index of each case id's first.
  int seen_ = 0;
  absl::flat_hash_map<std::string, int> first_record_;
  int64_t records_ = 0;
  int64_t outside_ = 0;
  int64_t merged_ = 0;
  int64_t latest_ = 0;
  const bool need_latest_ =
      request_.as_of() == 0 && request_.period_end() == 0;
};

void Assessor::Unknown(UnknownField field, absl::string_view code) {
  ++unknown_total_;
  std::pair<int, std::string> key(field, std::string(code));
  auto it = unknown_.find(key);
  if (it != unknown_.end()) {
    ++it->second;
  } else if (unknown_.size() < kMaxUnknownKept) {
    SafeEmplace(&unknown_, std::move(key), int64_t{1});
  }
}

UnitId Assessor::UnitOrUnknown(const std::string& code, UnknownField field) {
  const UnitId u = o_.Find(code);
  if (u == kNoUnit) Unknown(field, code);
  return u;
}

// A rating's township_code may be the township's region code or a unit
// sitting in it (its command room).
RegionId Assessor::RatingTownship(const std::string& code) {
  if (code.empty()) return kNoRegion;
  RegionId region = h_.Find(code);
  if (region == kNoRegion) {
    const UnitId u = o_.Find(code);
    if (u != kNoUnit) region = o_.region(u);
  }
  if (region == kNoRegion) {
    Unknown(kUnknownRatingTownship, code);
    return kNoRegion;
  }
  return h_.township_of(region);
}

absl::Status Assessor::AddRecord(int index, const v1::CaseRecord& r) {
  // Every record, in the period or not: one that holds no real time cannot
  // even be placed in or out of it.
  JC_RETURN_IF_ERROR(CheckInstants(index, r));
  const int64_t start = request_.period_start();
  const int64_t end = request_.period_end();
  if (r.received_at() < start || (end != 0 && r.received_at() >= end)) {
    ++outside_;
    return absl::OkStatus();
  }
  if (r.state() == v1::CASE_STATE_MERGED) {
    ++merged_;
    return absl::OkStatus();
  }
  for (int j = 0; j < r.ratings_size(); ++j) {
    const int32_t score = r.ratings(j).score();
    if (score < 0 || score > 100) {
      return absl::InvalidArgumentError(absl::StrCat(
          "records[", index, "] (case ", r.case_().id(), ") ratings[", j,
          "].score: ", score, " is outside 0..100"));
    }
  }
  ++records_;
  // Only needed when neither as_of nor period_end is given: reading the
  // history's last entry is a cache miss per record.
  if (need_latest_) latest_ = std::max(latest_, LatestInstant(r));
  int64_t response_due;
  bool lead_on_time;
  const Counts c = Summarise(r, &response_due, &lead_on_time);
  total_.Add(c);

  RegionId region = kNoRegion;
  const uint64_t location = r.case_().location_code();
  if (absl::optional<uint64_t> key = RegionKeyFromNumber(location)) {
    region = h_.FindKey(*key);
  }
  if (region == kNoRegion) {
    Unknown(kUnknownLocation, absl::StrCat(location));
  } else {
    regions_[region].Add(c);
  }

  const v1::RoutingDecision& d = r.decision();
  // A returned case waits at the centre for re-dispatch: nothing was
  // dispatched to the centre, and the response its last sign-for clock
  // holds is the returning unit's (counted for that unit below).
  const bool held_returned = r.state() == v1::CASE_STATE_RETURNED;
  UnitId lead = kNoUnit;
  if (d.lead().kind() == v1::HANDLER_KIND_UNIT) {
    lead = UnitOrUnknown(d.lead().code(), kUnknownLead);
    if (lead != kNoUnit) {
      // A unit's returns are the cases it returned (below), not the ones
      // that came to it after another unit's return; its on-time figure is
      // its own handling, not an earlier lead's late clock.
      Counts led = c;
      led.returned = 0;
      led.closed_on_time = c.closed && lead_on_time;
      if (held_returned) {
        led.dispatched = 0;
        led.signed_on_time = 0;
        led.awaiting_response = 0;
        led.closure_base = 0;
        led.closure_done = 0;
      }
      units_[lead].Add(led);
    }
  }
  for (const v1::Handler& co : d.co_handlers()) {
    if (co.kind() != v1::HANDLER_KIND_UNIT) continue;
    const UnitId u = UnitOrUnknown(co.code(), kUnknownCoHandler);
    if (u != kNoUnit) ++units_[u].co_handled;
  }
  // Earlier leads (only a record returned or reassigned has any): each
  // spell is a dispatch to its holder, whose response is judged on the
  // sign-for clock that dispatch started — a return answers it, late or
  // not; a reassignment after its due time finds it failed, one before it
  // leaves it undue. Without that clock (a history without clocks) the
  // response is not judged (awaiting_response).
  std::vector<const std::string*>& earlier = earlier_leads_;
  earlier.clear();
  const v1::Counters& k = r.counters();
  if (k.returns() > 0 || k.reassigns() > 0 || r.returned_by_size() > 0) {
    ForEachEarlierLead(
        r, [&](const std::string& code, const v1::StageClock* sign) {
          earlier.push_back(&code);
          const UnitId u = o_.Find(code);
          if (u == kNoUnit) {
            // A grid lead is no unit; a returning unit is reported as such.
            if (h_.Find(code) == kNoRegion &&
                std::find(r.returned_by().begin(), r.returned_by().end(),
                          code) == r.returned_by().end()) {
              Unknown(kUnknownEarlierLead, code);
            }
            return;
          }
          Counts& uc = units_[u];
          ++uc.dispatched;
          if (sign == nullptr) {
            ++uc.awaiting_response;
            return;
          }
          switch (ResponseOf(r, sign)) {
            case Response::kInTime:
              ++uc.signed_on_time;
              break;
            case Response::kNotDue:
            case Response::kRunning:  // no earlier lead's clock still runs
              ++uc.awaiting_response;
              break;
            case Response::kFailed:
              break;
          }
        });
  }
  for (const std::string& code : r.returned_by()) {
    const UnitId u = o_.Find(code);
    if (u == kNoUnit) {
      // A grid lead's return names its grid: not a unit, not unknown.
      if (h_.Find(code) == kNoRegion) Unknown(kUnknownReturnedBy, code);
      continue;
    }
    Counts& uc = units_[u];
    ++uc.returned;
    // A return the history does not show (a record without one): still a
    // dispatch to the unit, its response unknown.
    if (std::none_of(earlier.begin(), earlier.end(),
                     [&](const std::string* e) { return *e == code; })) {
      ++uc.dispatched;
      ++uc.awaiting_response;
    }
  }
  for (const v1::DepartmentRating& rating : r.ratings()) {
    const UnitId u =
        UnitOrUnknown(rating.department_code(), kUnknownRatedDepartment);
    if (u == kNoUnit) continue;
    ++units_[u].ratings;
    units_[u].rating_sum += rating.score();
    const RegionId township = RatingTownship(rating.township_code());
    if (township == kNoRegion) continue;
    auto& [n, sum] = SafeEmplace(&ratings_, (uint64_t{u} << 32) | township,
                                 std::pair<int64_t, int64_t>())
                         .first->second;
    ++n;
    sum += rating.score();
  }
  if (c.closed) {
    v1::HandlingTier tier = r.resolved_tier();
    if (tier == v1::HANDLING_TIER_UNSPECIFIED) tier = d.tier();
    if (tier >= v1::HANDLING_TIER_GRID && tier <= v1::HANDLING_TIER_COUNTY) {
      ++tier_closed_[tier];
    }
  }
  const int64_t due = EarliestRunningDue(r);
  if (due != kNever) open_clocks_.push_back(OpenClock{due, region, lead});
  if (response_due != kNever) {
    pending_responses_.push_back(
        OpenClock{response_due, region, held_returned ? kNoUnit : lead});
  }
  return absl::OkStatus();
}

void Assessor::JudgeOverdue(int64_t as_of) {
  // A sign-for clock still running at as_of at or before its due time: the
  // response is not due yet (after it, the response failed).
  for (const OpenClock& pr : pending_responses_) {
    if (pr.earliest_due < as_of) continue;
    ++total_.awaiting_response;
    if (pr.region != kNoRegion) ++regions_[pr.region].awaiting_response;
    if (pr.unit != kNoUnit) ++units_[pr.unit].awaiting_response;
  }
  for (const OpenClock& oc : open_clocks_) {
    if (oc.earliest_due >= as_of) continue;
    ++total_.overdue_open;
    if (oc.region != kNoRegion) ++regions_[oc.region].overdue_open;
    if (oc.unit != kNoUnit) {
      ++units_[oc.unit].overdue_open;
      longest_overdue_[oc.unit] =
          std::max(longest_overdue_[oc.unit], as_of - oc.earliest_due);
    }
  }
}

absl::Status Assessor::Add(const v1::CaseRecord& r) {
  const int index = seen_;
  if (index == std::numeric_limits<int>::max()) {
    return absl::InvalidArgumentError(
        absl::StrCat("records: more than ", index, " records"));
  }
  ++seen_;
  // Every enum defined: a record's state or stage out of the schema would
  // be counted as nothing it is.
  JC_RETURN_IF_ERROR(
      CheckEnumsDefined(r, absl::StrCat("records[", index, "]")));
  // Each case once.
  auto [it, inserted] = SafeEmplace(&first_record_, r.case_().id(), index);
  if (!inserted) {
    return absl::InvalidArgumentError(absl::StrCat(
        "records[", index, "].case.id: \"", Utf8Prefix(r.case_().id(), 64),
        "\" is the case of records[", it->second,
        "] too: each case is assessed once"));
  }
  return AddRecord(index, r);
}

v1::AssessmentReport Assessor::Finish() {
  int64_t as_of = request_.as_of();
  if (as_of == 0) as_of = request_.period_end();
  if (as_of == 0) as_of = latest_;
  JudgeOverdue(as_of);
  // Bottom-up: in pre-order every child's id is above its parent's, so one
  // descending sweep adds each subtree into its parent before the parent is
  // itself added upwards.
  for (RegionId id = static_cast<RegionId>(h_.size()); id-- > 0;) {
    if (regions_[id].received == 0) continue;
    const RegionId parent = h_.parent(id);
    if (parent != kNoRegion) regions_[parent].Add(regions_[id]);
  }
  v1::AssessmentReport report;
  Report(as_of,
         ResolveAssessmentPolicy(engine_.assessment_policy(),
                                 request_.weights()),
         &report);
  return report;
}

void Assessor::Report(int64_t as_of, const v1::AssessmentPolicy& weights,
                      v1::AssessmentReport* report) {
  auto weights_of = [&weights](v1::RegionLevel level) -> const v1::ScoreWeights& {
    const int i = std::max(0, static_cast<int>(level) - 1);
    return weights.weights(std::min(i, weights.weights_size() - 1));
  };
  report->set_period_start(request_.period_start());
  report->set_period_end(request_.period_end());
  report->set_as_of(as_of);
  report->set_records(records_);
  report->set_outside_period(outside_);
  report->set_merged(merged_);
  report->set_dataset_version(engine_.meta().version());
  *report->mutable_weights() = weights.weights();
  FillFigures(total_,
              weights_of(h_.size() > 0 ? h_.level(0) : v1::REGION_LEVEL_PROVINCE),
              report->mutable_total());

  std::vector<UnitId> overdue;
  for (UnitId u = 0; u < units_.size(); ++u) {
    const Counts& c = units_[u];
    if (c.empty()) continue;
    const v1::RegionLevel level = h_.level(o_.region(u));
    v1::UnitFigures* uf = report->add_units();
    uf->set_unit_code(std::string(o_.code(u)));
    uf->set_unit_name(std::string(o_.name(u)));
    uf->set_level(level);
    uf->set_region_code(h_.code(o_.region(u)));
    FillFigures(c, weights_of(level), uf->mutable_figures());
    if (c.overdue_open > 0) overdue.push_back(u);
  }
  const int limit = request_.overdue_units_limit() == 0
                        ? kDefaultOverdueUnits
                        : request_.overdue_units_limit();
  std::sort(overdue.begin(), overdue.end(), [this](UnitId a, UnitId b) {
    return std::make_tuple(-units_[a].overdue_open, -longest_overdue_[a], a) <
           std::make_tuple(-units_[b].overdue_open, -longest_overdue_[b], b);
  });
  if (overdue.size() > static_cast<size_t>(limit)) overdue.resize(limit);
  for (UnitId u : overdue) {
    v1::OverdueUnit* ou = report->add_overdue_units();
    ou->set_unit_code(std::string(o_.code(u)));
    ou->set_unit_name(std::string(o_.name(u)));
    ou->set_overdue_open(units_[u].overdue_open);
    ou->set_open(units_[u].open);
    ou->set_longest_overdue_seconds(longest_overdue_[u]);
  }

  const v1::RegionLevel deepest = request_.deepest_region_level() ==
                                          v1::REGION_LEVEL_UNSPECIFIED
                                      ? v1::REGION_LEVEL_GRID
                                      : request_.deepest_region_level();
  for (RegionId id = 0; id < h_.size(); ++id) {
    const Counts& c = regions_[id];
    if (c.received == 0) continue;
    const v1::RegionLevel level = h_.level(id);
    if (level > deepest) continue;
    v1::RegionFigures* rf = report->add_regions();
    rf->set_region_code(h_.code(id));
    rf->set_region_name(std::string(h_.name(id)));
    rf->set_level(level);
    FillFigures(c, weights_of(level), rf->mutable_figures());
  }

  int64_t tiered = 0;
  for (int t = v1::HANDLING_TIER_GRID; t <= v1::HANDLING_TIER_COUNTY; ++t) {
    tiered += tier_closed_[t];
  }
  for (int t = v1::HANDLING_TIER_GRID; t <= v1::HANDLING_TIER_COUNTY; ++t) {
    v1::TierShare* ts = report->add_tier_shares();
    ts->set_tier(static_cast<v1::HandlingTier>(t));
    ts->set_closed(tier_closed_[t]);
    ts->set_percent(RatePercent(tier_closed_[t], tiered));
  }

  // Reverse evaluation: departments in code (= id) order, townships by code
  // (= pre-order id order within one level).
  std::vector<std::pair<uint64_t, std::pair<int64_t, int64_t>>> by_township(
      ratings_.begin(), ratings_.end());
  std::sort(by_township.begin(), by_township.end());
  size_t next = 0;
  for (UnitId u = 0; u < units_.size(); ++u) {
    if (units_[u].ratings == 0) continue;
    v1::DepartmentEvaluation* de = report->add_reverse_evaluations();
    de->set_unit_code(std::string(o_.code(u)));
    de->set_unit_name(std::string(o_.name(u)));
    de->set_ratings(units_[u].ratings);
    de->set_mean(Round2(static_cast<double>(units_[u].rating_sum) /
                        static_cast<double>(units_[u].ratings)));
    while (next < by_township.size() && (by_township[next].first >> 32) < u) {
      ++next;
    }
    for (; next < by_township.size() && (by_township[next].first >> 32) == u;
         ++next) {
      const RegionId t = static_cast<RegionId>(by_township[next].first);
      const auto& [n, sum] = by_township[next].second;
      v1::TownshipRating* tr = de->add_townships();
      tr->set_township_code(h_.code(t));
      tr->set_township_name(std::string(h_.name(t)));
      tr->set_ratings(n);
      tr->set_mean(Round2(static_cast<double>(sum) / static_cast<double>(n)));
    }
  }

  std::vector<std::pair<std::pair<int, std::string>, int64_t>> unknown(
      unknown_.begin(), unknown_.end());
  std::sort(unknown.begin(), unknown.end());
  report->set_unknown_total(unknown_total_);
  for (const auto& [key, n] : unknown) {
    if (report->unknown_size() >= kMaxUnknownListed) break;
    v1::UnknownReference* ur = report->add_unknown();
    ur->set_field(kUnknownFieldNames[static_cast<size_t>(key.first)]);
    ur->set_code(key.second);
    ur->set_records(n);
  }
}

// The request's settings: everything but its records.
absl::Status CheckSettings(const v1::AssessRequest& request) {
  if (request.period_start() < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "period_start: ", request.period_start(), " is negative"));
  }
  if (request.period_end() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("period_end: ", request.period_end(), " is negative"));
  }
  if (request.period_end() != 0 &&
      request.period_end() <= request.period_start()) {
    return absl::InvalidArgumentError(
        absl::StrCat("period_end: ", request.period_end(),
                     " is not after period_start ", request.period_start()));
  }
  if (request.as_of() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("as_of: ", request.as_of(), " is negative"));
  }
  if (request.overdue_units_limit() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("overdue_units_limit: ", request.overdue_units_limit(),
                     " is negative"));
  }
  const int deepest = request.deepest_region_level();
  if (deepest != v1::REGION_LEVEL_UNSPECIFIED &&
      RegionLevelName(static_cast<v1::RegionLevel>(deepest)).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("deepest_region_level: ", deepest,
                     " is not a region level"));
  }
  JC_RETURN_IF_ERROR(CheckEnumsDefined(request.weights(), "weights"));
  ProblemList problems;
  ValidateAssessmentPolicy(request.weights(), "weights.", &problems);
  if (problems.has_errors()) {
    const v1::Problem& first = problems.report().problems(0);
    return absl::InvalidArgumentError(absl::StrCat(
        first.field(), ": ", first.message(), " [", first.rule(), "]",
        problems.error_count() > 1
            ? absl::StrCat(" (and ", problems.error_count() - 1, " more)")
            : std::string()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::AssessmentReport> Assess(const Engine& engine,
                                            const v1::AssessRequest& request) {
  JC_RETURN_IF_ERROR(CheckSettings(request));
  Assessor assessor(engine, request);
  for (const v1::CaseRecord& r : request.records()) {
    JC_RETURN_IF_ERROR(assessor.Add(r));
  }
  return assessor.Finish();
}

struct AssessmentStream::State {
  State(const Engine& engine, const v1::AssessRequest& request)
      : settings(request), assessor(engine, settings) {}
  const v1::AssessRequest settings;
  Assessor assessor;
  absl::Status status;  // the first problem Add found
};

absl::StatusOr<AssessmentStream> AssessmentStream::Start(
    const Engine& engine, const v1::AssessRequest& settings) {
  if (settings.records_size() > 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("records: ", settings.records_size(),
                     " given with the settings of a stream; give them to Add"));
  }
  JC_RETURN_IF_ERROR(CheckSettings(settings));
  return AssessmentStream(std::make_unique<State>(engine, settings));
}

AssessmentStream::AssessmentStream(std::unique_ptr<State> state)
    : state_(std::move(state)) {}
AssessmentStream::AssessmentStream(AssessmentStream&&) noexcept = default;
AssessmentStream& AssessmentStream::operator=(AssessmentStream&&) noexcept =
    default;
AssessmentStream::~AssessmentStream() = default;

absl::Status AssessmentStream::Add(const v1::CaseRecord& record) {
  if (state_->status.ok()) state_->status = state_->assessor.Add(record);
  return state_->status;
}

absl::StatusOr<v1::AssessmentReport> AssessmentStream::Finish() && {
  if (!state_->status.ok()) return state_->status;
  return state_->assessor.Finish();
}

double RatePercent(int64_t part, int64_t base) {
  return Round2(Percent(part, base));
}

}  // namespace jiceng
