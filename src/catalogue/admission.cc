// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/catalogue/admission.h"

#include <algorithm>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
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

bool IsListType(v1::ListType t, std::initializer_list<v1::ListType> types) {
  return std::find(types.begin(), types.end(), t) != types.end();
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
    if (item == kNoIndex) {
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
  if (req.title().empty() && item == kNoIndex) {
    return absl::InvalidArgumentError(
        "title and item_code are both empty: nothing to review");
  }

  v1::AdmissionDecision d;
  d.set_proposal_id(req.proposal_id());
  d.set_verdict(v1::ADMISSION_VERDICT_ADMIT);
  const CompiledItem* it = item == kNoIndex ? nullptr : &c.item(item);

  for (const CompiledAbolishedDuty& a : c.abolished_duties()) {
    for (const std::string& k : a.keywords) {
      if (!k.empty() && absl::StrContains(req.title(), k)) {
        Add(&d, "admission.abolished", v1::ADMISSION_VERDICT_REJECT,
            absl::StrCat("\"", req.title(), "\" is an abolished kind of duty: ",
                         a.name,
                         a.document.empty() ? "" : absl::StrCat(" (", a.document, ")")),
            a.code);
        break;
      }
    }
  }
  if (req.statutory_department_matter() ||
      (it != nullptr && it->statutory_department_matter)) {
    Add(&d, "admission.statutory_department_matter",
        v1::ADMISSION_VERDICT_REJECT,
        "a department's own statutory matter may not be pushed down to the "
        "grassroots",
        it != nullptr ? it->code : req.from_department_type());
  }
  if (it != nullptr && township &&
      it->township_role == v1::TOWNSHIP_ROLE_RECLAIMED) {
    Add(&d, "admission.reclaimed", v1::ADMISSION_VERDICT_REJECT,
        absl::StrCat("item ", it->code,
                     " was reclaimed (收回) from townships by the county"),
        it->code);
  }

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
      } else if (it->exercising_level == v1::REGION_LEVEL_TOWNSHIP &&
                 it->township_role != v1::TOWNSHIP_ROLE_RECLAIMED) {
        on_list = true;
        why = "exercised at township level";
      }
    } else if (IsListType(it->list_type, {v1::LIST_TYPE_VILLAGE_DUTY,
                                          v1::LIST_TYPE_ASSISTANCE}) ||
               it->exercising_level == v1::REGION_LEVEL_VILLAGE) {
      on_list = true;
      why = it->list_type == v1::LIST_TYPE_ASSISTANCE
                ? "an assistance (协助配合) item"
                : "a village/community duty (村社履职)";
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
  } else {
    not_listed = absl::StrCat("item ", it->code, " is not on the list of ",
                              township ? "a township" : "a village/community");
  }
  Add(&d, "admission.not_on_list", v1::ADMISSION_VERDICT_NEEDS_REVIEW,
      absl::StrCat(not_listed, "; pushing it to ", target_name,
                   " needs review"),
      it != nullptr ? it->code : "");
  if (req.legal_basis().law().empty() &&
      (it == nullptr || !it->has_legal_basis)) {
    Add(&d, "admission.no_legal_basis", v1::ADMISSION_VERDICT_REJECT,
        "no legal basis is cited", "");
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
        "legal basis, funding and staff are present: the reform office "
        "decides",
        "");
  }
  return d;
}

}  // namespace jiceng
