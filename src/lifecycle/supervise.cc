// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/lifecycle/supervise.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "src/base/status_macros.h"
#include "src/dataset/enum_check.h"
#include "src/lifecycle/lifecycle.h"

namespace jiceng {

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
  report.set_extension_pending(record.has_extension() &&
                               !record.extension().decided());
  if (state == v1::CASE_STATE_PARKED) {
    JC_ASSIGN_OR_RETURN(int64_t park_end,
                        AddDuration(cal, record.parked_at(), policy.max_park()));
    report.set_park_overdue(now > park_end);
    return report;
  }

  // The parked spells (挂账), from the history: the clock stood still in
  // them, so they count neither as time used nor as time given (Unpark
  // moved each due time on by the spell).
  std::vector<std::pair<int64_t, int64_t>> parked;
  int64_t parked_since = -1;
  for (const v1::HandOff& h : record.history()) {
    if (h.to_state() == v1::CASE_STATE_PARKED &&
        h.from_state() != v1::CASE_STATE_PARKED) {
      parked_since = h.at();
    } else if (h.from_state() == v1::CASE_STATE_PARKED &&
               h.to_state() != v1::CASE_STATE_PARKED && parked_since >= 0) {
      parked.emplace_back(parked_since, h.at());
      parked_since = -1;
    }
  }
  // Working minutes of the parked spells inside [from, to].
  auto parked_between = [&](int64_t from,
                            int64_t to) -> absl::StatusOr<int64_t> {
    int64_t total = 0;
    for (const auto& [a, b] : parked) {
      const int64_t lo = std::max(a, from), hi = std::min(b, to);
      if (hi <= lo) continue;
      JC_ASSIGN_OR_RETURN(int64_t m, cal.WorkingMinutesBetween(lo, hi));
      total += m;
    }
    return total;
  };

  int64_t earliest_overdue = 0;
  for (const v1::StageClock& c : record.clocks()) {
    if (c.done_at() != 0) continue;
    JC_ASSIGN_OR_RETURN(int64_t used, cal.WorkingMinutesBetween(c.started_at(), now));
    JC_ASSIGN_OR_RETURN(int64_t given,
                        cal.WorkingMinutesBetween(c.started_at(), c.due_at()));
    if (!parked.empty()) {
      JC_ASSIGN_OR_RETURN(int64_t stood, parked_between(c.started_at(), now));
      JC_ASSIGN_OR_RETURN(int64_t moved,
                          parked_between(c.started_at(), c.due_at()));
      used = std::max<int64_t>(used - stood, 0);
      given = std::max<int64_t>(given - moved, 0);
    }
    const int64_t percent =
        given > 0 ? used * 100 / given : (now >= c.due_at() ? 100 : 0);
    v1::WarningLevel level = v1::WARNING_LEVEL_UNSPECIFIED;
    // Overdue once past the due time (at it, the time is used up: yellow),
    // as for report-ins, co-handlers and assessment.
    if (now > c.due_at()) {
      level = v1::WARNING_LEVEL_RED;
      if (earliest_overdue == 0 || c.due_at() < earliest_overdue) {
        earliest_overdue = c.due_at();
      }
    } else if (percent >= policy.yellow_percent()) {
      level = v1::WARNING_LEVEL_YELLOW;
    }
    if (level == v1::WARNING_LEVEL_UNSPECIFIED) continue;
    v1::StageWarning* w = report.add_warnings();
    w->set_stage(c.stage());
    w->set_level(level);
    w->set_due_at(c.due_at());
    w->set_used_percent(static_cast<int32_t>(std::min<int64_t>(percent, 1 << 30)));
    *w->mutable_holder() = record.decision().lead();
  }

  if (earliest_overdue != 0) {
    int64_t last_urge = 0;
    for (const v1::HandOff& h : record.history()) {
      if (h.action() == "urge" && h.at() >= earliest_overdue) last_urge = h.at();
    }
    if (last_urge == 0) {
      report.set_urge_due(true);
    } else {
      JC_ASSIGN_OR_RETURN(int64_t next,
                          AddDuration(cal, last_urge, policy.urge_interval()));
      report.set_urge_due(now >= next);
    }
    // One level per full interval overdue; the chain is at most
    // kMaxEscalation long, so the walk is bounded.
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
      *report.mutable_escalation() = record.decision().escalation(level - 1);
    }
  }

  for (const v1::WhistleCall& c : record.whistle_calls()) {
    if (c.reported_at() == 0 && now > c.report_by()) {
      *report.add_overdue_report_ins() = c;
    }
  }
  if (state == v1::CASE_STATE_DISPATCHED || state == v1::CASE_STATE_SIGNED) {
    for (const v1::CoHandlerTask& t : record.co_tasks()) {
      if (now > t.due_at()) *report.add_overdue_co_handlers() = t;
    }
  }
  return report;
}

}  // namespace jiceng
