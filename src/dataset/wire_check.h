// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Precise errors for malformed messages. protobuf's parsers say only "parse
// failed" (and log the reason to stderr); these checks say where: the byte
// offset of a truncation, the path of a string that is not UTF-8
// ("regions[12].name"). Both walk iteratively with an explicit stack,
// bounded by kMaxMessageDepth, never recursing over the input. The wire
// walk allocates nothing when the bytes pass (the C ABI runs it before
// parsing every request, so that protobuf never writes to the host's
// stderr): a failure walks again to build the message.
//
// Example:
//   JC_RETURN_IF_ERROR(CheckWireFormat(bytes, *v1::Dataset::descriptor(),
//                                      "binary dataset"));
//   dataset.ParseFromArray(...);  // now fails only on what is checked here

#ifndef JICENG_SRC_DATASET_WIRE_CHECK_H_
#define JICENG_SRC_DATASET_WIRE_CHECK_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace jiceng {

// Messages nested deeper than this are refused (the schema needs < 8).
inline constexpr int kMaxMessageDepth = 32;

// Checks that `bytes` is well-formed protobuf wire format for `type`: every
// tag, varint and length within the bytes, nesting within
// kMaxMessageDepth, no group encoding, every string field valid UTF-8.
// INVALID_ARGUMENT "<what> (<n> bytes): …" naming the byte offset and the
// field path otherwise. Unknown fields are skipped, as protobuf does.
absl::Status CheckWireFormat(absl::string_view bytes,
                             const google::protobuf::Descriptor& type,
                             absl::string_view what);

// A message type's field kinds by field number, for the quick walk (one
// per type, built once: WireLayoutOf).
struct WireLayout;

// A new layout of `root` and every type it nests; never freed.
const WireLayout* NewWireLayout(const google::protobuf::Descriptor& root);

// The layout of message type M, built on first use (thread-safe).
template <typename M>
const WireLayout& WireLayoutOf() {
  static const WireLayout* const layout = NewWireLayout(*M::descriptor());
  return *layout;
}

// Whether CheckWireFormat would pass `bytes` as the layout's type:
// allocates nothing. For hot loops that build their error message only on
// failure (WireError).
bool WireFormatPasses(absl::string_view bytes, const WireLayout& layout);

// CheckWireFormat's error for bytes WireFormatPasses refused.
absl::Status WireError(absl::string_view bytes,
                       const google::protobuf::Descriptor& type,
                       absl::string_view what);

// Parses `bytes` into `message` after the wire check, so that protobuf logs
// nothing (it logs strings that are not UTF-8). INVALID_ARGUMENT "<what>:
// <type> (<n> bytes): …" naming the offset or the field, "<what>: <n> bytes
// that are not a serialized <type>" for what only protobuf refuses;
// RESOURCE_EXHAUSTED above INT_MAX bytes. Allocation-free on success but
// for what the message itself allocates.
absl::Status ParseMessage(absl::string_view bytes, const WireLayout& layout,
                          google::protobuf::Message* message,
                          absl::string_view what);
template <typename M>
absl::Status ParseMessage(absl::string_view bytes, M* message,
                          absl::string_view what) {
  return ParseMessage(bytes, WireLayoutOf<M>(), message, what);
}

// Checks that every string field of `message` (at any depth) is valid
// UTF-8: the text-format parser lets invalid bytes through. INVALID_ARGUMENT
// "<what>: <path>: not valid UTF-8 …" otherwise.
absl::Status CheckUtf8Strings(const google::protobuf::Message& message,
                              absl::string_view what);

}  // namespace jiceng

#endif  // JICENG_SRC_DATASET_WIRE_CHECK_H_
