// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/lifecycle/supervise.h"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"
#include "src/base/status_macros.h"
#include "src/dataset/enum_check.h"
#include "src/lifecycle/lifecycle.h"

namespace jiceng {
namespace {

constexpr int64_t kForever = std::numeric_limits<int64_t>::max();

// OK when the calendar places `t`, else its OUT_OF_RANGE with `field`
// ahead: "record.clocks[1].due_at: 2027-12-28T21:20:00+08:00 is outside
// the work calendar ...".
absl::Status CheckInCalendar(const WorkCalendar& cal, int64_t t,
                             absl::string_view field) {
  absl::Status s = cal.CheckInstant(t);
  return s.ok() ? s : WithContext(field, s);
}

std::string HistoryAt(int j) {
  return absl::StrCat("record.history[", j, "].at");
}

// `from` + `d` on the calendar, or nullopt when that falls after the
// calendar's end: `now` lies inside the calendar, so a limit past its end
// is not reached yet. REQUIRES: `from` is inside the calendar.
absl::StatusOr<absl::optional<int64_t>> LimitFrom(const WorkCalendar& cal,
                                                  int64_t from,
                                                  const v1::Duration& d) {
  absl::StatusOr<int64_t> at = AddDuration(cal, from, d);
  if (at.ok()) return absl::optional<int64_t>(*at);
  if (at.status().code() == absl::StatusCode::kOutOfRange) {
    return absl::optional<int64_t>();
  }
  return at.status();
}

// A parked spell (挂账) from the history's park and unpark hand-offs.
struct Spell {
  int64_t from, to;
  int park_entry, unpark_entry;  // their history indexes
};

std::vector<Spell> ParkedSpells(const v1::CaseRecord& record) {
  std::vector<Spell> spells;
  int since = -1;
  for (int j = 0; j < record.history_size(); ++j) {
    const v1::HandOff& h = record.history(j);
    if (h.to_state() == v1::CASE_STATE_PARKED &&
        h.from_state() != v1::CASE_STATE_PARKED) {
      since = j;
    } else if (h.from_state() == v1::CASE_STATE_PARKED &&
               h.to_state() != v1::CASE_STATE_PARKED && since >= 0) {
      spells.push_back(Spell{record.history(since).at(), h.at(), since, j});
      since = -1;
    }
  }
  return spells;
}

// Working minutes of the spells inside [from, to]. REQUIRES: `from` is
// inside the calendar, and so is `to` unless it is kForever.
absl::StatusOr<int64_t> ParkedBetween(const WorkCalendar& cal,
                                      const std::vector<Spell>& spells,
                                      int64_t from, int64_t to) {
  int64_t total = 0;
  for (const Spell& s : spells) {
    const int64_t lo = std::max(s.from, from), hi = std::min(s.to, to);
    if (hi <= lo) continue;
    if (lo == s.from) {
      JC_RETURN_IF_ERROR(CheckInCalendar(cal, lo, HistoryAt(s.park_entry)));
    }
    if (hi == s.to) {
      JC_RETURN_IF_ERROR(CheckInCalendar(cal, hi, HistoryAt(s.unpark_entry)));
    }
    JC_ASSIGN_OR_RETURN(int64_t m, cal.WorkingMinutesBetween(lo, hi));
    total += m;
  }
  return total;
}

// The warnings, urge and escalation of a record that is not parked.
// REQUIRES: `now` is inside the calendar.
absl::Status AddStageWarnings(const WorkCalendar& cal,
                              const v1::LifecyclePolicy& policy,
                              const v1::CaseRecord& record, int64_t now,
                              v1::SupervisionReport* report) {
  // The parked spells: the clock stood still in them, so they count
  // neither as time used nor as time given. Unpark moved the due time of
  // every clock running through a spell on by the spell's working time
  // (lifecycle.h), so every spell since the clock started is left out of
  // the time given, those up to `now` out of the time used.
  const std::vector<Spell> parked = ParkedSpells(record);
  // As Unpark: a record Apply built runs at most one clock per stage, so
  // more than kMaxRunningClocks is no such record — and each clock walks
  // the spells, which would make the work their product.
  int running = 0;
  for (const v1::StageClock& c : record.clocks()) running += c.done_at() == 0;
  if (running > kMaxRunningClocks) {
    return absl::InvalidArgumentError(absl::StrCat(
        "record.clocks: ", running, " running clocks; a record runs at most ",
        kMaxRunningClocks));
  }
  int64_t earliest_overdue = kForever;  // none overdue
  for (int i = 0; i < record.clocks_size(); ++i) {
    const v1::StageClock& c = record.clocks(i);
    if (c.done_at() != 0) continue;
    JC_RETURN_IF_ERROR(
        CheckInCalendar(cal, c.started_at(),
                        absl::StrCat("record.clocks[", i, "].started_at")));
    JC_RETURN_IF_ERROR(CheckInCalendar(
        cal, c.due_at(), absl::StrCat("record.clocks[", i, "].due_at")));
    JC_ASSIGN_OR_RETURN(int64_t used,
                        cal.WorkingMinutesBetween(c.started_at(), now));
    JC_ASSIGN_OR_RETURN(int64_t given,
                        cal.WorkingMinutesBetween(c.started_at(), c.due_at()));
    if (!parked.empty()) {
      JC_ASSIGN_OR_RETURN(int64_t stood,
                          ParkedBetween(cal, parked, c.started_at(), now));
      JC_ASSIGN_OR_RETURN(int64_t moved,
                          ParkedBetween(cal, parked, c.started_at(), kForever));
      used = std::max<int64_t>(used - stood, 0);
      given = std::max<int64_t>(given - moved, 0);
    }
    const int64_t percent =
        given > 0 ? used * 100 / given : (now >= c.due_at() ? 100 : 0);
    v1::WarningLevel level = v1::WARNING_LEVEL_UNSPECIFIED;
    // The revisit (回访) is the centre's, not the lead's: a late one is
    // the supervising centre's to make, with no urge or escalation along
    // the handling chain.
    const bool revisit = c.stage() == v1::STAGE_REVISIT;
    // Overdue once past the due time (at it, the time is used up: yellow),
    // as for report-ins, co-handlers and assessment.
    if (now > c.due_at()) {
      level = v1::WARNING_LEVEL_RED;
      if (!revisit) earliest_overdue = std::min(earliest_overdue, c.due_at());
    } else if (percent >= policy.yellow_percent()) {
      level = v1::WARNING_LEVEL_YELLOW;
    }
    if (level == v1::WARNING_LEVEL_UNSPECIFIED) continue;
    v1::StageWarning* w = report->add_warnings();
    w->set_stage(c.stage());
    w->set_level(level);
    w->set_due_at(c.due_at());
    w->set_used_percent(
        static_cast<int32_t>(std::min<int64_t>(percent, 1 << 30)));
    *w->mutable_holder() =
        revisit && !record.decision().supervisor().code().empty()
            ? record.decision().supervisor()
            : record.decision().lead();
  }
  if (earliest_overdue == kForever) return absl::OkStatus();

  int last_urge = -1;
  for (int j = 0; j < record.history_size(); ++j) {
    const v1::HandOff& h = record.history(j);
    if (h.action() == "urge" && h.at() >= earliest_overdue) last_urge = j;
  }
  if (last_urge < 0) {
    report->set_urge_due(true);
  } else {
    const int64_t urged = record.history(last_urge).at();
    JC_RETURN_IF_ERROR(CheckInCalendar(cal, urged, HistoryAt(last_urge)));
    JC_ASSIGN_OR_RETURN(absl::optional<int64_t> next,
                        LimitFrom(cal, urged, policy.urge_interval()));
    report->set_urge_due(next.has_value() && now >= *next);
  }
  // One level per full interval overdue; the chain is at most
  // kMaxEscalation long, so the walk is bounded. An interval ending past
  // the calendar's end has not ended yet.
  const int chain = record.decision().escalation_size();
  int level = 0;
  int64_t t = earliest_overdue;
  while (level < chain) {
    absl::StatusOr<int64_t> next =
        AddDuration(cal, t, policy.escalation_interval());
    if (!next.ok() || *next > now) break;
    t = *next;
    ++level;
  }
  if (level > 0) {
    *report->mutable_escalation() = record.decision().escalation(level - 1);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::SupervisionReport> Supervise(const Engine& engine,
                                                const v1::CaseRecord& record,
                                                int64_t now) {
  // A state or stage out of the schema would read as "nothing due".
  JC_RETURN_IF_ERROR(CheckEnumsDefined(record, "record"));
  const WorkCalendar& cal = engine.calendar();
  const v1::LifecyclePolicy& policy = engine.lifecycle_policy();
  v1::SupervisionReport report;
  report.set_case_id(record.case_().id());
  report.set_at(now);
  const v1::CaseState state = record.state();
  if (state == v1::CASE_STATE_UNSPECIFIED || IsTerminalState(state) ||
      state == v1::CASE_STATE_EVALUATED) {
    return report;
  }
  JC_RETURN_IF_ERROR(CheckInCalendar(cal, now, "now"));
  // A closed case is only revisited: nobody can decide an extension or
  // report in any more (DecideExtension and ReportIn refuse it), so
  // neither is due.
  const bool closed = IsClosedState(state);
  report.set_extension_pending(!closed && record.has_extension() &&
                               !record.extension().decided());
  if (state == v1::CASE_STATE_PARKED) {
    // The clocks stand still: no stage warnings, urges or escalations;
    // the rest below is due as ever.
    JC_RETURN_IF_ERROR(
        CheckInCalendar(cal, record.parked_at(), "record.parked_at"));
    JC_ASSIGN_OR_RETURN(absl::optional<int64_t> park_end,
                        LimitFrom(cal, record.parked_at(), policy.max_park()));
    report.set_park_overdue(park_end.has_value() && now > *park_end);
  } else {
    JC_RETURN_IF_ERROR(AddStageWarnings(cal, policy, record, now, &report));
  }

  for (const v1::WhistleCall& c : record.whistle_calls()) {
    if (!closed && c.reported_at() == 0 && now > c.report_by()) {
      *report.add_overdue_report_ins() = c;
    }
  }
  // Co-handler tasks, while the case is not yet handled and not parked.
  if (state == v1::CASE_STATE_DISPATCHED || state == v1::CASE_STATE_SIGNED) {
    for (const v1::CoHandlerTask& t : record.co_tasks()) {
      if (now > t.due_at()) *report.add_overdue_co_handlers() = t;
    }
  }
  return report;
}

}  // namespace jiceng
