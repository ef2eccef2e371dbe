// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// GenerateWorkload: the standard case stream of the benchmark kit (issue
// #7), a deterministic length-delimited stream of jiceng.v1.Case messages
// drawn over a dataset (usually GenerateProvince(Province())), so that
// jiceng and every baseline system read byte-identical input.
//
// The mix, each share a documented option below:
//   - locations: grids (base, dedicated and micro) 85 %, villages 10 %,
//     townships 5 %; matters: any matter of the dataset. Half the cases
//     draw location and matter uniformly, half from a Zipf distribution
//     with exponent 1 (weight 1/rank) over a seeded permutation of the
//     codes, so that a few grids and matters are hot, as in a real hotline;
//   - about 1 % unknown codes, which the router refuses: half an unknown
//     location, half an unknown matter (see unknown_per_mille for odd
//     values). An unknown location is the drawn location's code (grid,
//     village or township, as above) with "00" appended, a number two
//     digits longer: a village's or township's 12 digits give 14, a grid's
//     14 or 15 give 16 or 17, a micro grid's 16 or 17 give 18 or 19; over
//     the generated datasets, 14, 16 or 18 digits. A code of 18 digits (a
//     micro grid's longest), with no room for two more, is taken as it is.
//     Should the dataset have a region of that number, it is stepped up by
//     1-7 (drawn) until none has. An unknown matter is a code of
//     90000-99999 the catalogue lacks: drawn from the whole range until
//     one is, or after 32 draws that all hit the catalogue, drawn from the
//     codes there it lacks; when it has all 10,000, a code of nines one
//     character longer than its longest matter code (at least 6);
//   - about 5 % urgent escalations: urgency 4 (emergency), which the router
//     sends up to the county tier; the rest urgency 1 (85 %), unset 0 (5 %),
//     2 (7 %) or 3 (3 %);
//   - request kinds uniform over the six values (unset included);
//   - reported times in the calendar's holiday year (2026 for the generated
//     calendar): 10 % on public holidays, 5 % on make-up working days, 10 %
//     on other rest days (weekends), 15 % out of hours on working days
//     (night, early morning, the lunch break), the rest in working hours;
//   - attributes: 50 % of the cases carry each catalogue attribute with
//     probability 1/2, values of the attribute's type (allowed string
//     values, numbers 0–4999, true/false), so scenarios and attribute
//     predicates are exercised.
// No case has extra locations (cross-township cases) or free text.
//
// Determinism: the same dataset bytes and options give byte-identical
// output on any machine: a splitmix64 stream, integer arithmetic only (the
// Zipf weights are floor(2^40 / rank)), a fixed emission order.
// bench/workload.sha256 pins the default stream over the default province;
// ctest's workload_checksum_test (tests/workload_checksum.cmake) and
// bench/run check it.
//
// Example:
//   v1::Dataset d = GenerateProvince(ProvinceOptions::Province());
//   JC_ASSIGN_OR_RETURN(std::string stream,
//                       GenerateWorkload(d, WorkloadOptions()));
//   // stream: 200,000 length-delimited Case messages (RouteBatch's input).
//
//   // The same bytes in pieces of about a megabyte, however many cases
//   // (`file`: where they go, an Output of src/cli/output.h, say):
//   JC_RETURN_IF_ERROR(GenerateWorkload(d, WorkloadOptions(),
//       [&](absl::string_view piece) { return file.Write(piece); }));

#ifndef JICENG_SRC_GEN_WORKLOAD_GENERATOR_H_
#define JICENG_SRC_GEN_WORKLOAD_GENERATOR_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jiceng/v1/dataset.pb.h"

namespace jiceng {

// WorkloadOptions
//
// The shape of the stream; defaults are the benchmark kit's standard
// workload. Percentages are of all cases.
struct WorkloadOptions {
  // The generator's seed.
  uint64_t seed = 20261124;
  // The number of cases. REQUIRES: 1 <= cases <= 100,000,000.
  int64_t cases = 200000;
  // Cases whose location and matter are drawn Zipf(1) rather than
  // uniformly. REQUIRES: 0..100.
  int zipf_percent = 50;
  // Cases with an unknown code, in per mille: half an unknown location,
  // half an unknown matter. A case draws v in 0..999 and has an unknown
  // code when v < unknown_per_mille: a location for even v, a matter for
  // odd v. When unknown_per_mille is odd, its last v (unknown_per_mille -
  // 1, even, with no odd partner) gives a location and a matter in turn,
  // location first, so the two kinds are equally likely (with 1 they
  // alternate exactly: the counts differ by one case at most).
  // REQUIRES: 0..1000.
  int unknown_per_mille = 10;
  // Cases at urgency 4 (emergency: escalated to the county). REQUIRES:
  // 0..100.
  int urgent_percent = 5;
  // Reported on a public holiday, a make-up working day, another rest day,
  // and out of hours on a working day. REQUIRES: each 0..100, sum <= 100.
  int holiday_percent = 10;
  int makeup_percent = 5;
  int rest_day_percent = 10;
  int out_of_hours_percent = 15;
  // Cases that carry attributes. REQUIRES: 0..100.
  int attribute_percent = 50;
};

// Whether `options` satisfies its REQUIRES: OK, or INVALID_ARGUMENT naming
// the first field out of range.
absl::Status ValidateWorkloadOptions(const WorkloadOptions& options);

// The stream: `options.cases` length-delimited jiceng.v1.Case messages
// with ids "W0", "W1", … Fails with INVALID_ARGUMENT for options out of
// range or a calendar that does not build (an empty dataset), or
// FAILED_PRECONDITION when `dataset` has no township-or-lower region, no
// matter, or no holiday year (the year of the first listed holiday) holding
// holidays, make-up days, rest days and working days. REQUIRES: `dataset`
// validates. Deterministic; pure; thread-safe. Time O(cases ·
// log(grids)); memory O(regions + size of the output). A thin wrapper of
// the overload below, which a long stream should use.
absl::StatusOr<std::string> GenerateWorkload(const v1::Dataset& dataset,
                                             const WorkloadOptions& options);

// The size at which the overload below hands out a piece.
inline constexpr size_t kWorkloadPieceBytes = size_t{1} << 20;

// Receives the stream a piece at a time; OK to go on, else the error that
// stops the generation.
using WorkloadSink = absl::FunctionRef<absl::Status(absl::string_view piece)>;

// The same stream, byte for byte, handed to `sink` in order, in pieces of
// whole Case messages: every piece but the last is kWorkloadPieceBytes or
// more, by less than one message. A piece's bytes are valid only during the
// call. Returns OK after the last piece; the first error `sink` returns,
// at once (no further piece is made); or an error of the function above,
// before any piece. Memory O(regions + kWorkloadPieceBytes) however many
// cases.
absl::Status GenerateWorkload(const v1::Dataset& dataset,
                              const WorkloadOptions& options,
                              WorkloadSink sink);

}  // namespace jiceng

#endif  // JICENG_SRC_GEN_WORKLOAD_GENERATOR_H_
