// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tests/decision_message.h"

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/base/civil_date.h"

namespace jiceng {
namespace {

const char* SourceName(uint8_t s) {
  switch (s) {
    case 1: return "rule";
    case 2: return "item";
    case 3: return "matter";
    case 5: return "handle";
    default: return "policy";
  }
}

std::string LabelOf(const Catalogue& c, const RoleHandler& h) {
  if (h.role != nullptr) return c.RoleName(*h.role);
  return v1::RoleKind_Name(h.implied);
}

}  // namespace

void DecisionMessage(const Engine& engine, const v1::Case& c,
                     const RouteResult& r, const v1::RouteOptions& options,
                     v1::RoutingDecision* out) {
  const Hierarchy& h_ = engine.hierarchy();
  const Organization& o_ = engine.organization();
  const Catalogue& c_ = engine.catalogue();
  const WorkCalendar& cal_ = engine.calendar();
  const Engine& engine_ = engine;
  out->Clear();
  out->set_case_id(c.id());
  out->set_outcome(r.outcome);
  out->set_dataset_version(engine_.meta().version());
  auto handler = [&](const RoleHandler& h, v1::Handler* p) {
    if (h.handler.kind == Handler::kUnit) {
      p->set_kind(v1::HANDLER_KIND_UNIT);
      p->set_code(std::string(o_.code(h.handler.id)));
    } else if (h.handler.kind == Handler::kGrid) {
      p->set_kind(v1::HANDLER_KIND_GRID);
      p->set_code(h_.code(h.handler.id));
    }
    if (h.handler.kind == Handler::kNone) return;
    // The role as the dataset states it; one routing chose itself by its
    // kind alone.
    v1::Role role;
    if (h.role == nullptr) {
      role.set_kind(h.implied);
    } else {
      role.set_kind(h.role->kind);
      if (h.role->department_type >= 0) {
        role.set_department_type(
            o_.department_type_code(h.role->department_type));
      }
      if (h.role->unit != kNoUnit) {
        role.set_unit_code(std::string(o_.code(h.role->unit)));
      }
    }
    if (role.ByteSizeLong() != 0) *p->mutable_role() = role;
  };
  auto name_of = [&](const RoleHandler& h) -> std::string {
    if (h.handler.kind == Handler::kUnit) {
      return absl::StrCat(o_.name(h.handler.id), " [", o_.code(h.handler.id),
                          "]");
    }
    if (h.handler.kind == Handler::kGrid) {
      return absl::StrCat(h_.name(h.handler.id), " [",
                          h_.code(h.handler.id), "] grid workers");
    }
    return "nobody";
  };
  if (r.lead.handler.kind != Handler::kNone) {
    handler(r.lead, out->mutable_lead());
  }
  for (int i = 0; i < r.co_handler_count; ++i) {
    handler(r.co_handlers[i], out->add_co_handlers());
  }
  if (r.supervisor.handler.kind != Handler::kNone) {
    handler(r.supervisor, out->mutable_supervisor());
  }
  out->set_tier(r.tier);
  out->set_enforcement_mode(r.enforcement_mode);
  if (r.rule != kNoIndex) {
    const CompiledRule& rule = c_.rule(r.rule);
    if (rule.scenario >= 0) {
      out->set_scenario_code(rule.id);
    } else {
      out->set_rule_id(rule.id);
    }
  }
  if (r.item != kNoIndex) out->set_item_code(c_.item(r.item).code);
  if (r.delegation != kNoIndex) {
    out->set_delegation_id(c_.delegation(r.delegation).id);
  }
  for (int i = 0; i < r.candidate_count; ++i) {
    handler(r.candidates[i], out->add_candidates());
  }
  if (r.arbitrator.handler.kind != Handler::kNone) {
    handler(r.arbitrator, out->mutable_arbitrator());
  }
  for (int i = 0; i < r.deadline_count; ++i) {
    const DeadlineEntry& e = r.deadlines[i];
    v1::Deadline* d = out->add_deadlines();
    d->set_stage(e.stage);
    d->set_due_at(e.due_at);
    d->mutable_limit()->set_amount(e.limit.amount);
    d->mutable_limit()->set_unit(e.limit.unit);
    d->set_source(SourceName(e.source));
  }
  for (int i = 0; i < r.escalation_count; ++i) {
    v1::EscalationStep* s = out->add_escalation();
    s->set_level(i + 1);
    handler(r.escalation[i], s->mutable_handler());
  }
  for (int i = 0; i < r.whistle_count; ++i) {
    v1::WhistleSummons* w = out->add_whistle();
    handler(r.whistle[i].department, w->mutable_department());
    w->set_report_by(r.whistle[i].report_by);
  }

  const int offset = cal_.utc_offset_minutes();
  auto local = [offset](int64_t t) {
    const int64_t local_s = t + int64_t{offset} * 60;
    const int32_t day = static_cast<int32_t>(local_s / 86400);
    const int64_t sec = local_s % 86400;
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(sec / 3600),
                  static_cast<int>(sec % 3600 / 60));
    return absl::StrCat(FormatIsoDate(day), " ", buf);
  };
  const bool explain = options.explain_text();
  for (int i = 0; i < r.trace_count; ++i) {
    const TraceEntry& t = r.trace[i];
    v1::TraceStep* s = out->add_trace();
    s->set_reason(t.reason);
    std::string ref, text;
    switch (t.kind) {
      case RefKind::kRegion:
        ref = h_.code(t.ref);
        if (explain) {
          text =
              t.reason == v1::REASON_CROSS_TOWNSHIP
                  ? absl::StrCat("spans several townships: coordinated at ",
                                 h_.name(t.ref), " ", ref)
              : t.reason == v1::REASON_CROSS_VILLAGE
                  ? absl::StrCat("spans several villages of ", h_.name(t.ref),
                                 " ", ref, ": the township's at least")
              : t.reason == v1::REASON_CROSS_GRID
                  ? absl::StrCat("spans several grids of ", h_.name(t.ref), " ",
                                 ref, ": the village's at least")
                  : absl::StrCat("location ", h_.name(t.ref), " ", ref);
        }
        break;
      case RefKind::kMatter:
        ref = c_.matter(t.ref).code;
        if (explain) text = t.reason == v1::REASON_NO_RULE
                   ? absl::StrCat("no rule of matter ", ref,
                                  " matches: unmapped")
                   : absl::StrCat("matter ", ref, " ", c_.matter(t.ref).name);
        break;
      case RefKind::kRule: {
        const CompiledRule& rule = c_.rule(t.ref);
        ref = rule.id;
        if (explain) text = absl::StrCat(rule.scenario >= 0 ? "scenario " : "rule ", ref,
                            " is the most specific match (priority ",
                            rule.priority, ", depth ", rule.depth, ", ",
                            rule.predicate_count, " predicates)");
        break;
      }
      case RefKind::kTiedRules: {
        std::vector<std::string> ids;
        for (int k = 0; k < r.candidate_count; ++k) {
          ids.push_back(c_.rule(r.candidate_rules[k]).id);
        }
        ref = absl::StrJoin(ids, ",");
        if (explain) text = absl::StrCat("rules ", absl::StrJoin(ids, ", "),
                            " match at equal precedence: ambiguous");
        break;
      }
      case RefKind::kItem:
        ref = c_.item(t.ref).code;
        if (explain) text = absl::StrCat("rests on item ", ref, " ", c_.item(t.ref).name);
        break;
      case RefKind::kDelegation: {
        const CompiledDelegation& g = c_.delegation(t.ref);
        ref = g.id;
        if (explain)
          text = t.reason == v1::REASON_DELEGATION_APPLIED
                     ? absl::StrCat("item delegated to the township by ", g.id,
                                    " (", v1::DelegationMode_Name(g.mode),
                                    g.document.empty() ? "" : ", ", g.document,
                                    ") from ", FormatIsoDate(g.window.from),
                                    r.outcome == v1::ROUTING_OUTCOME_AMBIGUOUS
                                        ? ": the township stands for one of "
                                          "the tied rules"
                                        : ": the township leads, the "
                                          "department helps")
                 : t.reason == v1::REASON_DELEGATION_OUTSIDE
                     ? absl::StrCat("item delegated to the township by ", g.id,
                                    ", but the case spans townships it does "
                                    "not reach: the department keeps it")
                     : absl::StrCat("delegation ", g.id, " ended on ",
                                    FormatIsoDate(g.window.to),
                                    ": the department leads again");
        break;
      }
      case RefKind::kHandler: {
        const RoleHandler& h = HandlerAt(r, t.ref);
        ref = h.handler.kind == Handler::kUnit
                  ? std::string(o_.code(h.handler.id))
                  : h.handler.kind == Handler::kGrid ? h_.code(h.handler.id)
                                                     : "";
        if (explain)
          text =
              t.reason == v1::REASON_BACKSTOP
                  ? absl::StrCat("territorial backstop (属地兜底): ",
                                 name_of(h))
              : t.reason == v1::REASON_ARBITRATION
                  ? absl::StrCat("sent for arbitration to ", name_of(h))
              : t.reason == v1::REASON_LEAD_RAISED
                  ? absl::StrCat(
                        r.tier == v1::HANDLING_TIER_COUNTY
                            ? (r.outcome == v1::ROUTING_OUTCOME_UNMAPPED
                                   ? "a major case goes up from the "
                                     "territorial backstop: "
                                   : "a county-tier case is not led below "
                                     "the township: ")
                        : r.tier == v1::HANDLING_TIER_TOWNSHIP
                            ? "a case spanning villages is the township's: "
                            : "a case spanning grids is the village's: ",
                        name_of(h), " takes it over, ",
                        name_of(r.co_handlers[0]),
                        r.co_handlers[0].handler.kind == Handler::kGrid
                            ? " stay on to help"
                            : " stays on to help")
                  : absl::StrCat("lead: ", name_of(h), " as ", LabelOf(c_, h));
        break;
      }
      case RefKind::kRole: {
        const CompiledRule& rule = c_.rule(r.rule != kNoIndex ? r.rule : 0);
        ref = c_.RoleName(rule.lead);
        if (explain) text = absl::StrCat("nobody fills ", ref, " here");
        break;
      }
      case RefKind::kTier:
        ref = v1::HandlingTier_Name(static_cast<v1::HandlingTier>(t.ref));
        if (explain) text = absl::StrCat("handled at tier ", ref.substr(14));
        break;
      case RefKind::kMajor:
        ref = t.ref == 1 ? "matter" : "urgency";
        if (explain)
          text = t.ref == 1
                     ? "a major matter: it goes up to the county tier"
                     : absl::StrCat("urgency ", c.urgency(),
                                    " is major: it goes up to the county tier");
        break;
      case RefKind::kStage: {
        const DeadlineEntry& e = r.deadlines[t.ref];
        ref = absl::StrCat(v1::Stage_Name(e.stage), ":", SourceName(e.source));
        if (explain) text = absl::StrCat(v1::Stage_Name(e.stage).substr(6), " due ",
                            local(e.due_at), " (", e.limit.amount, " ",
                            v1::TimeUnit_Name(e.limit.unit).substr(10),
                            e.source == 5
                                ? absl::StrCat(
                                      ", the handle limit: the sign-for "
                                      "limit, ", e.unadjusted.amount, " ",
                                      v1::TimeUnit_Name(e.unadjusted.unit)
                                          .substr(10),
                                      ", would end after the handle deadline")
                                : absl::StrCat(", from the ",
                                               SourceName(e.source)),
                            e.percent == 100 ? "" : absl::StrCat(
                                " at ", e.percent, "% for urgency ",
                                c.urgency()),
                            ")");
        break;
      }
      case RefKind::kUrgency: {
        const DeadlineEntry& e = r.deadlines[1];
        const char* field = t.ref == 2   ? "urgent_percent"
                            : t.ref == 3 ? "very_urgent_percent"
                                         : "emergency_percent";
        ref = absl::StrCat(field, ":", e.percent);
        if (explain) {
          text = absl::StrCat(
              "urgency ", t.ref, ": the handle limit is ", e.percent,
              "% of the ", SourceName(e.source), "'s ", e.unadjusted.amount,
              " ", v1::TimeUnit_Name(e.unadjusted.unit).substr(10), ", ",
              e.limit.amount, " ", v1::TimeUnit_Name(e.limit.unit).substr(10),
              " (RoutingPolicy.", field, ")");
        }
        break;
      }
      default:
        break;
    }
    s->set_ref(std::move(ref));
    if (explain) s->set_text(std::move(text));
  }
}

}  // namespace jiceng
