// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// ReviewAdmission: 准入审核 of a duty proposed to be pushed down to a
// township or a village/community. Pure: the decision depends only on the
// compiled catalogue and the request.
//
// Reasons, each with a stable code and the verdict it alone leads to; the
// decision's verdict is the strictest (REJECT > NEEDS_REVIEW > ADMIT), and
// every reason is listed in this order.
//
// First the bars: what may not be pushed down whatever the lists say. When
// one or more hold, they are the only reasons and the verdict is REJECT —
// never an ADMIT beside it: a delegation of a statutory or reclaimed item
// to the township is a defect of the lists (the analysis reports it as
// STATUTORY_PUSHED_DOWN), named in the reason, not a ground to admit.
//   admission.abolished        REJECT: the proposal is an abolished kind of
//                              duty (e.g. the certificates Nanjing stopped
//                              communities issuing), recognised by, in
//                              order: item_code is the abolished duty's
//                              code; the title cites its code as a whole
//                              word ("AD-01" but not "AD-012"); the title
//                              contains its name or one of its keywords;
//                              the cited item's name contains its name or
//                              one of its keywords. One reason per duty.
//   admission.statutory_department_matter
//                              REJECT: a department's own statutory matter
//                              (declared, or so marked on the item) may not
//                              be pushed down.
//   admission.reclaimed        REJECT: the item was reclaimed (收回) from
//                              townships, for any target: a township, or a
//                              village/community under one.
// Otherwise:
//   admission.on_list          ADMIT: the item is on the target's list in
//                              force on the date — for a township: a basic
//                              or cooperating item, a township-level item,
//                              or an item delegated to it then; for a
//                              village/community: an item exercised at
//                              village level (a village duty 村社履职, an
//                              assistance item 协助配合 of the village). A
//                              township's or a department's item is not on
//                              a village's list, whatever its list type (a
//                              township's assistance item included).
//   admission.not_on_list      NEEDS_REVIEW: no item, or the item is not on
//                              the target's list (or not in force then).
//   Only when not on the list:
//   admission.no_legal_basis   REJECT: neither the request (a law, or a
//                              free-text basis in legal_basis.text; blank
//                              ones do not count) nor the item cites a law.
//   admission.no_resources     REJECT: neither funding nor staff follow the
//                              task (费随事转、权随责走).
//   admission.partial_resources NEEDS_REVIEW: funding or staff is missing.
//   admission.review_required  NEEDS_REVIEW: legal basis (named in the
//                              message), funding and staff are present; the
//                              office decides.
//
// Example:
//   JC_ASSIGN_OR_RETURN(v1::AdmissionDecision d,
//                       ReviewAdmission(engine.catalogue(), request, day));
//   if (d.verdict() == v1::ADMISSION_VERDICT_REJECT) ...

#ifndef JICENG_SRC_CATALOGUE_ADMISSION_H_
#define JICENG_SRC_CATALOGUE_ADMISSION_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "jiceng/v1/admission.pb.h"
#include "src/catalogue/catalogue.h"

namespace jiceng {

// Reviews `request`. INVALID_ARGUMENT naming the field and value when the
// request is malformed: to_region_code not a township or village, an
// item_code that is neither an item's nor an abolished duty's code, an
// unknown unit or department type, a malformed date, or neither a title nor
// an item. `default_day` is used when request.date is empty.
absl::StatusOr<v1::AdmissionDecision> ReviewAdmission(
    const Catalogue& catalogue, const v1::AdmissionRequest& request,
    int32_t default_day);

}  // namespace jiceng

#endif  // JICENG_SRC_CATALOGUE_ADMISSION_H_
