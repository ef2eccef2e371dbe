// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// CaseView: a case's fields as views, and ParseCase, which reads one from
// the case's wire bytes without building a jiceng.v1.Case. Every path that
// routes a case read from bytes (batch routing, the C ABI's route calls,
// diff streams) decides it through a view of those bytes: protobuf's
// generic parser spends more on a small case than routing it does, and
// even a hand-written reader into a reused message copies every string
// and manages every attribute. A view built from a v1::Case (implicitly,
// as a string_view from a string) serves the callers that hold messages.
//
// ParseCase's contract: for every input, it succeeds exactly when
// v1::Case::ParseFromArray does, and the view then holds the known fields
// that message holds:
//   - fields in any order, any of them repeated: the last value of a
//     singular field wins, attributes and extra_location_codes append;
//   - extra_location_codes packed or one per tag;
//   - varints of up to 10 bytes; int32 and enum fields keep the low 32 bits
//     (enums open, as proto3's are); tags of up to 5 bytes;
//   - unknown fields of every wire type, groups nested up to protobuf's
//     recursion limit (100, one level less inside an attribute), and known
//     field numbers with another wire type, skipped — the one difference:
//     ParseFromArray keeps them as unknown fields, the view has none
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
//   CaseView c;  // reused: only more than 16 attributes or extra locations
//                // allocate, and their room is kept
//   if (!ParseCase(frame, &c)) return absl::InvalidArgumentError("...");
//   JC_RETURN_IF_ERROR(router.Route(c, &result));  // frame must outlive c
//
// Thread safety: ParseCase is a pure function; a view is a value (one per
// thread while it is written, shared freely once it is not).

#ifndef JICENG_SRC_ROUTING_CASE_WIRE_H_
#define JICENG_SRC_ROUTING_CASE_WIRE_H_

#include <cstdint>

#include "absl/container/inlined_vector.h"
#include "absl/strings/string_view.h"
#include "jiceng/v1/routing.pb.h"

namespace jiceng {

// Limits of one case that Router::Route enforces (documented in the C
// header too); a view holds this many of each without allocating, and any
// number in all.
inline constexpr int kMaxCaseAttributes = 16;
inline constexpr int kMaxExtraLocations = 16;

struct AttributeView {
  absl::string_view key;
  absl::string_view value;
};

// The fields of a jiceng.v1.Case, with the accessors of the generated
// class (strings as views). It points into the bytes ParseCase read, or
// into the message it was made from: those must outlive it, unchanged.
class CaseView {
 public:
  // Every field at its default, as an empty message's.
  CaseView() = default;
  // Views of `c`'s fields. Implicit: a message can be passed wherever a
  // case is read.
  CaseView(const v1::Case& c);  // NOLINT(google-explicit-constructor)

  absl::string_view id() const { return id_; }
  v1::CaseSource source() const { return source_; }
  v1::RequestKind request_kind() const { return request_kind_; }
  absl::string_view matter_code() const { return matter_code_; }
  int32_t urgency() const { return urgency_; }
  uint64_t location_code() const { return location_code_; }
  int64_t reported_at() const { return reported_at_; }
  int attributes_size() const { return static_cast<int>(attributes_.size()); }
  const AttributeView& attributes(int i) const { return attributes_[i]; }
  int extra_location_codes_size() const {
    return static_cast<int>(extra_location_codes_.size());
  }
  uint64_t extra_location_codes(int i) const {
    return extra_location_codes_[i];
  }
  absl::string_view free_text() const { return free_text_; }

  // The message: the fields copied.
  v1::Case ToProto() const;

  // Every field back at its default, and the heap room the lists grew
  // past kMax… handed back.
  void Reset();

 private:
  friend bool ParseCase(absl::string_view bytes, CaseView* out);

  absl::string_view id_;
  absl::string_view matter_code_;
  absl::string_view free_text_;
  v1::CaseSource source_ = v1::CASE_SOURCE_UNSPECIFIED;
  v1::RequestKind request_kind_ = v1::REQUEST_KIND_UNSPECIFIED;
  int32_t urgency_ = 0;
  uint64_t location_code_ = 0;
  int64_t reported_at_ = 0;
  absl::InlinedVector<AttributeView, kMaxCaseAttributes> attributes_;
  absl::InlinedVector<uint64_t, kMaxExtraLocations> extra_location_codes_;
};

// Replaces *out with a view of the case `bytes` encode: true, or false
// where ParseFromArray fails (*out then holds some of the fields). Copies
// no string; allocates only while *out's attribute or extra-location list
// grows past kMax… (and what it held before). Inputs over INT_MAX bytes
// are refused (ParseFromArray takes an int). `bytes` must outlive *out.
bool ParseCase(absl::string_view bytes, CaseView* out);

}  // namespace jiceng

#endif  // JICENG_SRC_ROUTING_CASE_WIRE_H_
