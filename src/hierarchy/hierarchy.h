// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Hierarchy: the compiled, immutable index of the region tree.
//
// Regions get dense ids (RegionId) in pre-order, children ordered by code,
// so that a subtree is the id interval [id, subtree_end(id)) and "is X inside
// Y" is two comparisons. Per region the index keeps its 64-bit code key (see
// region_code.h) and a 16-byte node (parent, township, subtree end, packed
// descriptor: every question routing asks of a location, in one cache
// line). Code -> id is a CodeIndex (code_index.h) over the keys, which
// pre-order already sorts for any dataset of statistical codes: ~2 bytes per
// region on top of the keys, and a lookup reads a directory slot that stays
// in cache and the two or three adjacent lines of keys of the village.
//
// Construction is iterative (no recursion over user data) and works on a
// forest of any depth; a valid dataset is at most 7 levels deep, which bounds
// LowestCommonAncestor and Ancestors.
//
// Example:
//   JC_ASSIGN_OR_RETURN(Hierarchy h, Hierarchy::Build(dataset));
//   RegionId grid = h.Find("32011600100101");
//   RegionId township = h.township_of(grid);
//   bool inside = h.Contains(h.county_of(grid), grid);  // true
//
// Thread safety: immutable after Build; all const methods may be called from
// any number of threads. Movable, not copyable (it can hold ~20 MB).

#ifndef JICENG_SRC_HIERARCHY_HIERARCHY_H_
#define JICENG_SRC_HIERARCHY_HIERARCHY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "jiceng/v1/dataset.pb.h"
#include "jiceng/v1/hierarchy.pb.h"
#include "src/base/huge_pages.h"
#include "src/hierarchy/code_index.h"

namespace jiceng {

using RegionId = uint32_t;
inline constexpr RegionId kNoRegion = 0xFFFFFFFFu;

// The most regions one hierarchy can hold (a node packs the township id in
// 24 bits).
inline constexpr size_t kMaxRegions = (size_t{1} << 24) - 2;

// The index 0..7 of an urban-rural class (0 = unspecified, then 111, 112,
// 121, 122, 123, 210, 220 in order): how the hierarchy packs it and how
// dispatch rules mask it.
int UrbanRuralIndex(v1::UrbanRuralClass c);
// The class of index 0..7 (UNSPECIFIED for 0 or out of range).
v1::UrbanRuralClass UrbanRuralClassAt(int index);

// The pre-order layout of a forest given by parent pointers. Iterative;
// detects cycles. Exposed for tests of deep and wide trees.
struct ForestLayout {
  // order[pre] = the input index placed at pre-order position `pre`.
  std::vector<uint32_t> order;
  // parent[pre] = the parent's pre-order position, or kNoRegion.
  std::vector<uint32_t> parent;
  // end[pre] = one past the last pre-order position of the subtree.
  std::vector<uint32_t> end;
  // depth[pre] = 0 for roots.
  std::vector<uint32_t> depth;
};

// Lays out a forest: parent_of[i] is i's parent (an input index) or
// kNoRegion; siblings are ordered by sort_key. Returns INVALID_ARGUMENT
// naming an input index on a cycle, or when a parent index is out of range.
// REQUIRES: parent_of.size() == sort_key.size() <= kMaxRegions.
absl::StatusOr<ForestLayout> LayOutForest(absl::Span<const uint32_t> parent_of,
                                          absl::Span<const uint64_t> sort_key);

class Hierarchy {
 public:
  // Compiles the dataset's regions and police grids.
  // REQUIRES: the dataset passed ValidateDataset() without errors. Returns
  // INVALID_ARGUMENT instead of crashing if it did not (a dangling parent,
  // a cycle, a malformed code), but reports only the first problem.
  static absl::StatusOr<Hierarchy> Build(const v1::Dataset& dataset);

  Hierarchy(Hierarchy&&) = default;
  Hierarchy& operator=(Hierarchy&&) = default;
  Hierarchy(const Hierarchy&) = delete;
  Hierarchy& operator=(const Hierarchy&) = delete;

  size_t size() const { return nodes_.size(); }

  // The region with this code, or kNoRegion. O(1).
  RegionId Find(absl::string_view code) const;
  // The region with this key (see region_code.h), or kNoRegion. O(1);
  // inline (below), as every routed case asks it.
  RegionId FindKey(uint64_t key) const;

  // FindKey in steps, for callers that look up many keys and fetch each
  // step's memory ahead of the step that reads it (RoutePrefetcher):
  // FindInRun(key, CodeRun(key)) == FindKey(key). PrefetchCodeSlot fetches
  // what CodeRun reads; CodeRun fetches the run's keys, which FindInRun
  // reads; FindInRun fetches the found region's node.
  void PrefetchCodeSlot(uint64_t key) const { code_index_.PrefetchSlot(key); }
  CodeIndex::Run CodeRun(uint64_t key) const;
  RegionId FindInRun(uint64_t key, CodeIndex::Run run) const;

  uint64_t key(RegionId id) const { return keys_[id]; }
  std::string code(RegionId id) const;
  absl::string_view name(RegionId id) const;

  v1::RegionLevel level(RegionId id) const {
    return static_cast<v1::RegionLevel>(low_descriptor(id) & 7u);
  }
  v1::TownshipKind township_kind(RegionId id) const;
  v1::TownshipClass township_class(RegionId id) const {
    return static_cast<v1::TownshipClass>((low_descriptor(id) >> 6) & 3u);
  }
  v1::VillageKind village_kind(RegionId id) const;
  v1::GridKind grid_kind(RegionId id) const;
  // The village's class, inherited by its grids unless they set their own.
  v1::UrbanRuralClass urban_rural_class(RegionId id) const;
  // The same as its index 0..7 (see UrbanRuralIndex), as rule masks use it.
  int urban_rural_index(RegionId id) const {
    return (nodes_[id].descriptor >> 8) & 7;
  }

  RegionId parent(RegionId id) const { return nodes_[id].parent; }
  // The township containing `id` (itself for a township); kNoRegion above
  // township level.
  RegionId township_of(RegionId id) const {
    const uint32_t t = nodes_[id].township_and_descriptor & kTownshipMask;
    return t == kTownshipMask ? kNoRegion : t;
  }
  // The county-level region governing `id`: its county, or its city when
  // the city has no county level (东莞, 中山); itself for a county. kNoRegion
  // above county level.
  RegionId county_of(RegionId id) const {
    const v1::RegionLevel lv = level(id);
    if (lv == v1::REGION_LEVEL_COUNTY) return id;
    if (lv < v1::REGION_LEVEL_COUNTY) return kNoRegion;
    const RegionId township = township_of(id);
    return township == kNoRegion ? kNoRegion : nodes_[township].parent;
  }
  // 0 for a root.
  int depth(RegionId id) const;

  // Whether `node` is `ancestor` or lies in its subtree. O(1).
  bool Contains(RegionId ancestor, RegionId node) const {
    return ancestor <= node && node < nodes_[ancestor].end;
  }
  // The lowest region containing both; kNoRegion when they share no root.
  RegionId LowestCommonAncestor(RegionId a, RegionId b) const;
  // From the parent up to the root.
  std::vector<RegionId> Ancestors(RegionId id) const;
  // The direct children, in code order.
  std::vector<RegionId> Children(RegionId id) const;
  // All descendants are the ids in [id + 1, subtree_end(id)).
  RegionId subtree_end(RegionId id) const { return nodes_[id].end; }

  // The police grid (index into the dataset's police_grids) linked to a
  // grid, or -1.
  int32_t police_grid_of(RegionId id) const;
  size_t police_grid_count() const { return police_grid_codes_.size(); }
  absl::string_view police_grid_code(int32_t index) const {
    return police_grid_codes_[static_cast<size_t>(index)];
  }

  // Heap bytes of the lookup index (keys, nodes, code directory,
  // police-grid links), excluding names.
  size_t IndexBytes() const;
  // Heap bytes of what resolves a code to a region: the keys and the
  // CodeIndex directory (and, for a dataset whose pre-order is not key
  // order, the sorted copy of the keys and its ids).
  size_t CodeIndexBytes() const;
  // Heap bytes of the region names.
  size_t NameBytes() const;

 private:
  friend class SnapshotCodec;  // src/engine/snapshot.cc
  Hierarchy() = default;

  // Builds code_index_ (and the sorted copy when pre-order is not key
  // order) from keys_. False, with an empty index, when two regions share
  // a key (Build has validated against that; a snapshot has not).
  bool IndexCodes();

  // Starts fetching the lines a binary search of `run` of `keys` reads:
  // those of its first, ninth and last keys — all of a run of up to 17
  // keys (a village's is ~10), so that the search waits for memory once
  // rather than once per line.
  static void PrefetchRunKeys(const uint64_t* keys, CodeIndex::Run run) {
    if (run.begin == run.end) return;
    const uintptr_t first = reinterpret_cast<uintptr_t>(keys + run.begin);
    __builtin_prefetch(reinterpret_cast<const void*>(first));
    __builtin_prefetch(reinterpret_cast<const void*>(first + 64));
    __builtin_prefetch(keys + run.end - 1);
  }

  // The township id in the low 24 bits (all ones: none), the low byte of
  // the descriptor (level, kind, township class) in the high 8.
  static constexpr uint32_t kTownshipMask = 0xFFFFFFu;
  struct Node {
    RegionId parent;
    uint32_t township_and_descriptor;
    RegionId end;  // one past the subtree
    // Packed descriptor: level (3 bits) | level-specific kind (3) |
    // township class (2) | urban-rural class index (4).
    uint16_t descriptor;
    uint16_t unused;
  };
  static_assert(sizeof(Node) == 16, "four nodes per cache line");
  uint32_t low_descriptor(RegionId id) const {
    return nodes_[id].township_and_descriptor >> 24;
  }

  // Code keys by id.
  HugePageVector<uint64_t> keys_;
  HugePageVector<Node> nodes_;
  // Code -> position in keys_, or, when pre-order is not key order (codes
  // that do not nest by segments), in sorted_keys_, whose ids are in
  // sorted_ids_.
  CodeIndex code_index_;
  HugePageVector<uint64_t> sorted_keys_;
  HugePageVector<RegionId> sorted_ids_;
  // Police-grid index per region; empty when the dataset has none.
  std::vector<int32_t> police_grid_;
  std::vector<std::string> police_grid_codes_;
  // Names: offsets into one buffer.
  std::vector<uint32_t> name_offsets_;
  std::string names_;
};

static_assert(CodeIndex::kAbsent == kNoRegion,
              "a position of keys_ is a RegionId");

inline RegionId Hierarchy::FindKey(uint64_t key) const {
  if (sorted_ids_.empty()) {
    // Pre-order is key order: a position in keys_ is the RegionId.
    const CodeIndex::Run run = code_index_.FindRun(key);
    if (run.begin == run.end) return kNoRegion;
    PrefetchRunKeys(keys_.data(), run);
    // The run's nodes are what the caller reads next: fetch them (three
    // lines and the last, all of a village's ~10) while the keys are
    // searched, so that the found one does not wait for memory again.
    const uintptr_t nodes = reinterpret_cast<uintptr_t>(&nodes_[run.begin]);
    __builtin_prefetch(reinterpret_cast<const void*>(nodes));
    __builtin_prefetch(reinterpret_cast<const void*>(nodes + 64));
    __builtin_prefetch(reinterpret_cast<const void*>(nodes + 128));
    __builtin_prefetch(&nodes_[run.end - 1]);
    return CodeIndex::Search(key, keys_.data(), run);
  }
  const uint32_t pos = code_index_.Find(key, sorted_keys_.data());
  return pos == CodeIndex::kAbsent ? kNoRegion : sorted_ids_[pos];
}

}  // namespace jiceng

#endif  // JICENG_SRC_HIERARCHY_HIERARCHY_H_
