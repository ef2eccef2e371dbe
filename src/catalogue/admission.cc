// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/catalogue/admission.h"

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "src/assessment/assessment_policy.h"
#include "src/base/civil_date.h"
#include "src/base/status_macros.h"
#include "src/base/utf8.h"
#include "src/dataset/enum_check.h"

namespace jiceng {
namespace {

void Add(v1::AdmissionDecision* d, absl::string_view code,
         v1::AdmissionVerdict effect, std::string message,
         absl::string_view reference) {
  v1::AdmissionReason* r = d->add_reasons();
  r->set_code(std::string(code));
  r->set_effect(effect);
  r->set_message(std::move(message));
  r->set_reference(std::string(reference));
  // ADMIT < NEEDS_REVIEW < REJECT in enum order.
  if (effect > d->verdict()) d->set_verdict(effect);
}

// A byte that may continue a code where it is cited in free text: ASCII
// letters, digits, '-' and '_' (anything else, a Chinese character or
// punctuation included, ends it).
bool IsCodeByte(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Whether `text` cites `code` as a whole word ("AD-01" in "按 AD-01 开具",
// not in "AD-012").
bool CitesCode(absl::string_view text, absl::string_view code) {
  if (code.empty()) return false;
  for (size_t pos = text.find(code); pos != absl::string_view::npos;
       pos = text.find(code, pos + 1)) {
    const size_t end = pos + code.size();
    if ((pos == 0 || !IsCodeByte(text[pos - 1])) &&
        (end == text.size() || !IsCodeByte(text[end]))) {
      return true;
    }
  }
  return false;
}

// The first of the duty's name and keywords that `text` contains, or
// nullptr.
const std::string* NamedIn(const CompiledAbolishedDuty& a,
                           absl::string_view text) {
  if (!a.name.empty() && absl::StrContains(text, a.name)) return &a.name;
  for (const std::string& k : a.keywords) {
    if (!k.empty() && absl::StrContains(text, k)) return &k;
  }
  return nullptr;
}

// How the request is of the abolished kind `a`, for the reason's message;
// empty when it is not. In this order: item_code is the duty's code; the
// title cites its code; the title contains its name or a keyword; the
// cited item's name does.
std::string AbolishedMatch(const CompiledAbolishedDuty& a,
                           const v1::AdmissionRequest& req,
                           const CompiledItem* item) {
  if (!a.code.empty() && req.item_code() == a.code) {
    return absl::StrCat("the proposal cites abolished duty ", a.code);
  }
  const std::string title =
      absl::StrCat("\"", Utf8Prefix(req.title(), 120), "\"");
  if (CitesCode(req.title(), a.code)) {
    return absl::StrCat(title, " cites ", a.code);
  }
  if (const std::string* word = NamedIn(a, req.title())) {
    return absl::StrCat(title, " contains \"", *word, "\"");
  }
  if (item != nullptr) {
    if (const std::string* word = NamedIn(a, item->name)) {
      return absl::StrCat("item ", item->code, " (", item->name,
                          ") contains \"", *word, "\"");
    }
  }
  return "";
}

}  // namespace

absl::StatusOr<v1::AdmissionDecision> ReviewAdmission(
    const Catalogue& c, const v1::AdmissionRequest& req, int32_t default_day) {
  JC_RETURN_IF_ERROR(CheckEnumsDefined(req, "request"));
  const Hierarchy& h = c.hierarchy();
  const Organization& o = c.organization();

  // The request itself.
  const RegionId target = h.Find(req.to_region_code());
  if (target == kNoRegion || (h.level(target) != v1::REGION_LEVEL_TOWNSHIP &&
                              h.level(target) != v1::REGION_LEVEL_VILLAGE)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "to_region_code: \"", Utf8Prefix(req.to_region_code(), 64),
        "\" is not a township or village of this dataset"));
  }
  const bool township = h.level(target) == v1::REGION_LEVEL_TOWNSHIP;
  int32_t day = default_day;
  if (!req.date().empty()) {
    absl::optional<int32_t> d = ParseIsoDate(req.date());
    if (!d) {
      return absl::InvalidArgumentError(
          absl::StrCat("date: \"", Utf8Prefix(req.date(), 48),
                       "\" is not a date of the form YYYY-MM-DD"));
    }
    day = *d;
  }
  ItemId item = kNoIndex;
  if (!req.item_code().empty()) {
    item = c.FindItem(req.item_code());
    const auto& abolished = c.abolished_duties();
    if (item == kNoIndex && std::none_of(abolished.begin(), abolished.end(),
                                         [&](const CompiledAbolishedDuty& a) {
                                           return a.code == req.item_code();
                                         })) {
      return absl::InvalidArgumentError(
          absl::StrCat("item_code: no item has code \"",
                       Utf8Prefix(req.item_code(), 64), "\""));
    }
  }
  if (!req.from_unit_code().empty() &&
      o.Find(req.from_unit_code()) == kNoUnit) {
    return absl::InvalidArgumentError(
        absl::StrCat("from_unit_code: no unit has code \"",
                     Utf8Prefix(req.from_unit_code(), 64), "\""));
  }
  if (!req.from_department_type().empty() &&
      o.FindDepartmentType(req.from_department_type()) < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("from_department_type: no department type has code \"",
                     Utf8Prefix(req.from_department_type(), 64), "\""));
  }
  if (req.title().empty() && req.item_code().empty()) {
    return absl::InvalidArgumentError(
        "title and item_code are both empty: nothing to review");
  }

  v1::AdmissionDecision d;
  d.set_proposal_id(req.proposal_id());
  d.set_verdict(v1::ADMISSION_VERDICT_ADMIT);
  const CompiledItem* it = item == kNoIndex ? nullptr : &c.item(item);

  // The bars: what may not be pushed down whatever the lists say. Each
  // that holds is a reason; then the decision is REJECT and nothing else is
  // examined (a list naming such an item is itself a defect, which the
  // catalogue analysis reports: it admits nothing).
  for (const CompiledAbolishedDuty& a : c.abolished_duties()) {
    const std::string how = AbolishedMatch(a, req, it);
    if (how.empty()) continue;
    Add(&d, "admission.abolished", v1::ADMISSION_VERDICT_REJECT,
        absl::StrCat(
            how, ": an abolished kind of duty, ", a.name,
            a.document.empty() ? "" : absl::StrCat(" (", a.document, ")")),
        a.code);
  }
  // A delegation of the item to the township then: named in the bars'
  // messages, since it contradicts them.
  const DelegationIndex delegated = it != nullptr && township
                                        ? c.DelegationInForce(item, target, day)
                                        : kNoIndex;
  const std::string despite =
      delegated == kNoIndex
          ? ""
          : absl::StrCat(" (delegation ", c.delegation(delegated).id,
                         " delegates it to the township nonetheless: a "
                         "defect of the lists, not a ground to admit)");
  if (req.statutory_department_matter() ||
      (it != nullptr && it->statutory_department_matter)) {
    Add(&d, "admission.statutory_department_matter",
        v1::ADMISSION_VERDICT_REJECT,
        absl::StrCat(
            "a department's own statutory matter may not be pushed "
            "down to the grassroots",
            it != nullptr && it->statutory_department_matter ? despite : ""),
        it != nullptr ? it->code : req.from_department_type());
  }
  // Reclaimed from townships: from the villages and communities under them
  // too (a township may not hand down what it no longer holds).
  if (it != nullptr && it->township_role == v1::TOWNSHIP_ROLE_RECLAIMED) {
    Add(&d, "admission.reclaimed", v1::ADMISSION_VERDICT_REJECT,
        absl::StrCat("item ", it->code,
                     " was reclaimed (收回) from townships by the county",
                     township ? "" : ", and so from the villages under them",
                     it->statutory_department_matter ? "" : despite),
        it->code);
  }
  if (d.reasons_size() > 0) return d;

  // On the target's list on that day?
  bool on_list = false;
  std::string why;
  if (it != nullptr && it->window.Contains(day)) {
    if (township) {
      if (c.DelegationInForce(item, target, day) != kNoIndex) {
        on_list = true;
        why = "delegated to the township";
      } else if (it->township_role == v1::TOWNSHIP_ROLE_BASIC ||
                 it->township_role == v1::TOWNSHIP_ROLE_COOPERATING) {
        on_list = true;
        why = it->township_role == v1::TOWNSHIP_ROLE_BASIC
                  ? "a basic (基本) item of the township duty list"
                  : "a cooperating (配合) item of the township duty list";
      } else if (it->exercising_level == v1::REGION_LEVEL_TOWNSHIP) {
        on_list = true;
        why = "exercised at township level";
      }
    } else if (it->exercising_level == v1::REGION_LEVEL_VILLAGE ||
               (it->exercising_level == v1::REGION_LEVEL_UNSPECIFIED &&
                it->list_type == v1::LIST_TYPE_VILLAGE_DUTY)) {
      // A village/community's lists hold the village-level items only (a
      // village duty naming no level is one): a township's assistance item
      // (协助配合) or a department's item is on their lists, not the
      // community's, whatever its list type.
      on_list = true;
      if (it->list_type == v1::LIST_TYPE_VILLAGE_DUTY) {
        why = "a village/community duty (村社履职)";
      } else if (it->list_type == v1::LIST_TYPE_ASSISTANCE) {
        why = "an assistance (协助配合) item of the village/community";
      } else {
        why = absl::StrCat("a village-level item (",
                           v1::ListType_Name(it->list_type), ")");
      }
    }
  }
  const std::string target_name =
      absl::StrCat(h.name(target), " ", h.code(target));
  if (on_list) {
    Add(&d, "admission.on_list", v1::ADMISSION_VERDICT_ADMIT,
        absl::StrCat("item ", it->code, " is on the list of ", target_name,
                     ": ", why),
        it->code);
    return d;
  }
  std::string not_listed;
  if (it == nullptr) {
    not_listed = "no item of the lists corresponds";
  } else if (!it->window.Contains(day)) {
    not_listed = absl::StrCat("item ", it->code, " is not in force on ",
                              FormatIsoDate(day));
  } else if (township) {
    not_listed =
        absl::StrCat("item ", it->code, " is not on the list of a township");
  } else {
    const absl::string_view level = RegionLevelName(it->exercising_level);
    not_listed = absl::StrCat(
        "item ", it->code,
        " is not on the list of a village/community: only village-level "
        "items are, and it is ",
        level.empty() ? "exercised at no named level"
                      : absl::StrCat("exercised at ", level, " level"));
  }
  Add(&d, "admission.not_on_list", v1::ADMISSION_VERDICT_NEEDS_REVIEW,
      absl::StrCat(not_listed, "; pushing it to ", target_name,
                   " needs review"),
      it != nullptr ? it->code : "");
  // The legal basis: the request's (a law, or a free-text basis), else the
  // item's.
  const std::string cited = CitedLegalBasis(req.legal_basis());
  std::string basis;
  if (!cited.empty()) {
    basis = absl::StrCat("legal basis ", cited);
  } else if (it != nullptr && it->has_legal_basis) {
    basis = absl::StrCat("item ", it->code, "'s legal basis");
  } else {
    Add(&d, "admission.no_legal_basis", v1::ADMISSION_VERDICT_REJECT,
        absl::StrCat("no legal basis is cited: the request names no law and "
                     "no text",
                     it != nullptr
                         ? absl::StrCat(", and item ", it->code, " none")
                         : ""),
        "");
  }
  if (!req.funding_attached() && !req.staff_attached()) {
    Add(&d, "admission.no_resources", v1::ADMISSION_VERDICT_REJECT,
        "neither funding nor staff follow the task (费随事转、权随责走)", "");
  } else if (!req.funding_attached() || !req.staff_attached()) {
    Add(&d, "admission.partial_resources", v1::ADMISSION_VERDICT_NEEDS_REVIEW,
        req.funding_attached() ? "staff do not follow the task"
                               : "funding does not follow the task",
        "");
  } else if (d.verdict() != v1::ADMISSION_VERDICT_REJECT) {
    Add(&d, "admission.review_required", v1::ADMISSION_VERDICT_NEEDS_REVIEW,
        absl::StrCat(basis,
                     ", funding and staff are present: the reform office "
                     "decides"),
        "");
  }
  return d;
}

}  // namespace jiceng
