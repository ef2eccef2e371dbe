// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// ParseCase: a jiceng.v1.Case read from its wire bytes by a reader written
// for that one message, for the paths that parse a case per decision (batch
// routing, the C ABI's route calls). protobuf's generic parser spends more
// on a small case than routing it does; this one reads the ten fields
// straight into a reused message.
//
// Contract: for every input, ParseCase succeeds exactly when
// v1::Case::ParseFromArray does, and then leaves the same known fields:
//   - fields in any order, any of them repeated: the last value of a
//     singular field wins, attributes and extra_location_codes append;
//   - extra_location_codes packed or one per tag;
//   - varints of up to 10 bytes; int32 and enum fields keep the low 32 bits
//     (enums open, as proto3's are); tags of up to 5 bytes;
//   - unknown fields of every wire type, groups nested up to protobuf's
//     recursion limit (100, one level less inside an attribute), and known
//     field numbers with another wire type, skipped — the one difference:
//     ParseFromArray keeps them as unknown fields, ParseCase drops them
//     (nothing reads them);
//   - refused: a truncated or over-long varint, a length past the end of
//     its message, wire types 6 and 7, field number 0, an end-group tag
//     without its group (or at top level), a group closed by another
//     field's end tag, and a string field (id, matter_code, an attribute's
//     key or value) that is not valid UTF-8. (protobuf also logs the last
//     to stderr; ParseCase does not.)
// tests/case_wire_test.cc checks this against ParseFromArray on generated
// cases, on hand-made edge cases and on a million mutated inputs.
//
// Example:
//   v1::Case c;  // reused: its strings and attributes keep their capacity
//   if (!ParseCase(frame, &c)) return absl::InvalidArgumentError("...");
//   JC_RETURN_IF_ERROR(router.Route(c, &result));
//
// Thread safety: a pure function; one message per thread.

#ifndef JICENG_SRC_ROUTING_CASE_WIRE_H_
#define JICENG_SRC_ROUTING_CASE_WIRE_H_

#include "absl/strings/string_view.h"
#include "jiceng/v1/routing.pb.h"

namespace jiceng {

// Replaces *out with the case `bytes` encode: true, or false where
// ParseFromArray fails (*out then holds some of the fields). Allocates only
// while *out's strings and attribute list grow past what they held before.
// Inputs over INT_MAX bytes are refused (ParseFromArray takes an int).
// REQUIRES: *out (and each of its attributes) holds no unknown fields — a
// new message, or one only ParseCase has filled: the known fields are
// overwritten in place rather than cleared first, so unknown ones a caller
// put there would stay.
bool ParseCase(absl::string_view bytes, v1::Case* out);

}  // namespace jiceng

#endif  // JICENG_SRC_ROUTING_CASE_WIRE_H_
