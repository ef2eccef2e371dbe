// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Compiled-engine snapshots: Engine::SaveSnapshot writes an engine's
// compiled structures (the hierarchy's flat arrays, the organisation, the
// work calendar, the catalogue, the metadata and policies) as bytes;
// Engine::LoadSnapshot turns them back into an engine without parsing or
// compiling the source dataset. At province scale (532 k regions) loading
// is a checksum, a copy and one verifying pass over its 41 MB (~45 ms of
// CPU in a Release build on this project's 2-core build machine,
// bench/engine_benchmark BM_Engine_LoadSnapshot, against ~2 s to parse and
// compile the dataset).
//
// Format (version kSnapshotFormatVersion, little-endian throughout):
//
//   offset  size  field
//   0       8     magic "JICENGSN"
//   8       4     format version (uint32)
//   12      4     byte-order mark 0x01020304 (reads 04 03 02 01)
//   16      16    jiceng version that wrote it, NUL-padded (informational)
//   32      8     fingerprint of the source dataset (Fingerprint64 of its
//                 deterministic binary serialization)
//   40      8     total size of the snapshot in bytes
//   48      4     number of sections
//   52      4     reserved: zero (a snapshot with anything else is refused)
//   56      8     checksum: Fingerprint64 of bytes [64, size) seeded with
//                 Fingerprint64 of bytes [0, 56)
//   64      64×n  section table: name (40 bytes, NUL-padded), offset,
//                 length and element count (uint64 each), in offset order
//   …             sections, each starting at a multiple of 8 (zero padding;
//                 what SaveSnapshot writes: the reader takes the sections
//                 where the table puts them, in order, not overlapping)
//
// A section is a flat array copied wholesale (hierarchy.nodes, …) or a
// sequence of records (organization.units, catalogue.rules, …) whose
// strings are a uint32 length and the bytes. Every section is named in the
// table; the hash maps (unit, item and matter codes, roles) are rebuilt on
// load from the arrays that hold their keys.
//
// Trust: a snapshot is untrusted input, and its checksum (unkeyed) only
// detects damage: anyone can forge a snapshot and reseal it. Load checks,
// in order: the magic (INVALID_ARGUMENT "not a jiceng snapshot" for
// anything that does not start with all 8 bytes of it, however short),
// the header's size (DATA_LOSS "truncated" for a cut inside it), the
// byte-order mark and format version (INVALID_ARGUMENT naming both
// versions: another version is refused, never converted), the total size
// (DATA_LOSS "truncated"), the checksum (DATA_LOSS), the reserved bytes
// (INVALID_ARGUMENT unless zero), the section table (DATA_LOSS), then
// every index and invariant that Compile guarantees and any query relies
// on — each id below its table's size and "none" only where Compile
// leaves a field unset, ranges and offsets monotone, within bounds and
// disjoint where Compile lays them out so, subtrees nested, levels and
// townships as the hierarchy derives them, cross-references between
// tables consistent, dates within years 1900-9999, enum values valid,
// strings valid UTF-8 (the full list is in snapshot.cc, above Verify) —
// and returns INVALID_ARGUMENT naming the section, the byte offset in the
// snapshot and the value ("snapshot section catalogue.rules at offset
// 81234: matter 912 is out of range (catalogue.matters has 120
// entries)"). Nothing a snapshot says can make load or a later query
// crash, hang or cost more than on a compiled engine of the same size. A
// forged snapshot that passes can still give wrong answers (it can say
// whatever a dataset could, and free text such as names and role labels
// is taken as written), never faults.
//
// Determinism: the same dataset always gives the same snapshot bytes (maps
// are written in key order; padding is zero), whatever the process, thread
// or machine. The jiceng version is written but not checked: the format
// version alone decides compatibility.
//
// Example:
//   JC_ASSIGN_OR_RETURN(std::string bytes, engine->SaveSnapshot());
//   ... later, in another process ...
//   JC_ASSIGN_OR_RETURN(std::unique_ptr<const Engine> engine,
//                       Engine::LoadSnapshot(bytes));

#ifndef JICENG_SRC_ENGINE_SNAPSHOT_H_
#define JICENG_SRC_ENGINE_SNAPSHOT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jiceng {

inline constexpr char kSnapshotMagic[8] = {'J', 'I', 'C', 'E',
                                           'N', 'G', 'S', 'N'};
// Bump on any change of what a section holds or how (a member added to a
// compiled structure, a field's width); SnapshotLayoutChanges() below
// notices a forgotten bump for the structures it knows.
inline constexpr uint32_t kSnapshotFormatVersion = 2;
inline constexpr size_t kSnapshotHeaderBytes = 64;
inline constexpr size_t kSnapshotSectionEntryBytes = 64;
inline constexpr size_t kSnapshotSectionNameBytes = 40;

// One entry of a snapshot's section table.
struct SnapshotSection {
  std::string name;
  uint64_t offset = 0;
  uint64_t length = 0;
  uint64_t count = 0;
};

// What a snapshot's header and section table say, after the same checks
// as LoadSnapshot up to and including the checksum, the reserved bytes and
// the table (not the sections' contents). For tools and tests.
struct SnapshotSummary {
  uint32_t format_version = 0;
  std::string library_version;
  uint64_t dataset_fingerprint = 0;
  uint64_t checksum = 0;
  std::vector<SnapshotSection> sections;
};
absl::StatusOr<SnapshotSummary> DescribeSnapshot(absl::string_view bytes);

// The checksum a snapshot's header must hold for `bytes` (with whatever
// bytes 56..63 hold now ignored). For tests that forge snapshots.
// REQUIRES: bytes.size() >= kSnapshotHeaderBytes.
uint64_t SnapshotChecksum(absl::string_view bytes);

// The compiled structures (by name) whose size differs from the one the
// codec in snapshot.cc was written for: each names a class to which a
// member was added or from which one was removed without the codec (and
// kSnapshotFormatVersion) following. Empty when all agree, and on
// platforms other than x86-64/AArch64 with libstdc++ where the recorded
// sizes do not apply.
std::vector<std::string> SnapshotLayoutChanges();

}  // namespace jiceng

#endif  // JICENG_SRC_ENGINE_SNAPSHOT_H_
