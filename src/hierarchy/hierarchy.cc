// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/hierarchy/hierarchy.h"

#include <algorithm>
#include <functional>
#include <numeric>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "src/base/hash_tables.h"
#include "src/base/memory_bytes.h"
#include "src/hierarchy/region_code.h"

namespace jiceng {
namespace {

// Descriptor layout: bits 0-2 level, 3-5 kind (township/village/grid kind by
// level), 6-7 township class, 8-11 urban-rural class index.
constexpr v1::UrbanRuralClass kUrbanRural[] = {
    v1::URBAN_RURAL_CLASS_UNSPECIFIED,
    v1::URBAN_RURAL_CLASS_MAIN_URBAN,
    v1::URBAN_RURAL_CLASS_URBAN_RURAL_FRINGE,
    v1::URBAN_RURAL_CLASS_TOWN_CENTRE,
    v1::URBAN_RURAL_CLASS_TOWN_RURAL_FRINGE,
    v1::URBAN_RURAL_CLASS_SPECIAL_AREA,
    v1::URBAN_RURAL_CLASS_TOWNSHIP_CENTRE,
    v1::URBAN_RURAL_CLASS_VILLAGE,
};

uint16_t Pack(const v1::Region& r, uint16_t urban_rural) {
  uint16_t kind = 0;
  switch (r.level()) {
    case v1::REGION_LEVEL_TOWNSHIP:
      kind = static_cast<uint16_t>(r.township_kind());
      break;
    case v1::REGION_LEVEL_VILLAGE:
      kind = static_cast<uint16_t>(r.village_kind());
      break;
    case v1::REGION_LEVEL_GRID:
      kind = static_cast<uint16_t>(r.grid_kind());
      break;
    default:
      break;
  }
  return static_cast<uint16_t>(
      (static_cast<uint16_t>(r.level()) & 7u) | ((kind & 7u) << 3) |
      ((static_cast<uint16_t>(r.township_class()) & 3u) << 6) |
      ((urban_rural & 15u) << 8));
}

// Derives kinds from code digits where the dataset left them unspecified,
// so that the index always answers with the effective kind.
v1::TownshipKind TownshipKindFromDigits(uint64_t digits) {
  if (digits >= 1 && digits <= 99) return v1::TOWNSHIP_KIND_STREET;
  if (digits >= 100 && digits <= 199) return v1::TOWNSHIP_KIND_TOWN;
  if (digits >= 200 && digits <= 399) return v1::TOWNSHIP_KIND_TOWNSHIP;
  if (digits >= 400 && digits <= 599) return v1::TOWNSHIP_KIND_SIMILAR;
  return v1::TOWNSHIP_KIND_UNSPECIFIED;
}

v1::VillageKind VillageKindFromDigits(uint64_t digits) {
  if (digits == 498) return v1::VILLAGE_KIND_VIRTUAL_COMMUNITY;
  if (digits == 598) return v1::VILLAGE_KIND_VIRTUAL_LIVING_AREA;
  if (digits >= 1 && digits <= 199) return v1::VILLAGE_KIND_COMMUNITY;
  if (digits >= 200 && digits <= 399) return v1::VILLAGE_KIND_VILLAGE_COMMITTEE;
  if (digits >= 400 && digits <= 499) return v1::VILLAGE_KIND_SIMILAR_COMMUNITY;
  if (digits >= 500 && digits <= 599) return v1::VILLAGE_KIND_SIMILAR_VILLAGE;
  return v1::VILLAGE_KIND_UNSPECIFIED;
}

}  // namespace

v1::UrbanRuralClass UrbanRuralClassAt(int index) {
  return index >= 0 && index < 8 ? kUrbanRural[index]
                                 : v1::URBAN_RURAL_CLASS_UNSPECIFIED;
}

int UrbanRuralIndex(v1::UrbanRuralClass c) {
  for (int i = 0; i < 8; ++i) {
    if (kUrbanRural[i] == c) return i;
  }
  return 0;
}

absl::StatusOr<ForestLayout> LayOutForest(absl::Span<const uint32_t> parent_of,
                                          absl::Span<const uint64_t> sort_key) {
  const size_t n = parent_of.size();
  if (sort_key.size() != n || n > kMaxRegions) {
    return absl::InvalidArgumentError(
        absl::StrCat("forest of ", n, " nodes exceeds ", kMaxRegions));
  }
  // Children grouped by parent with a counting sort; roots under a virtual
  // parent n.
  std::vector<uint32_t> first(n + 2, 0);
  for (size_t i = 0; i < n; ++i) {
    uint32_t p = parent_of[i];
    if (p != kNoRegion && p >= n) {
      return absl::InvalidArgumentError(
          absl::StrCat("node #", i, ": parent index ", p, " out of range"));
    }
    ++first[(p == kNoRegion ? n : p) + 1];
  }
  for (size_t i = 1; i < n + 2; ++i) first[i] += first[i - 1];
  std::vector<uint32_t> kids(n);
  {
    std::vector<uint32_t> fill(first.begin(), first.end() - 1);
    for (size_t i = 0; i < n; ++i) {
      uint32_t p = parent_of[i];
      kids[fill[p == kNoRegion ? n : p]++] = static_cast<uint32_t>(i);
    }
  }
  for (size_t p = 0; p <= n; ++p) {
    auto b = kids.begin() + first[p];
    auto e = kids.begin() + first[p + 1];
    if (e - b > 1) {
      std::sort(b, e, [&](uint32_t a, uint32_t c) {
        return sort_key[a] != sort_key[c] ? sort_key[a] < sort_key[c] : a < c;
      });
    }
  }

  ForestLayout out;
  out.order.reserve(n);
  out.parent.assign(n, kNoRegion);
  out.end.assign(n, 0);
  out.depth.assign(n, 0);
  std::vector<uint32_t> pre_of(n, kNoRegion);

  // Explicit-stack DFS: each frame is (input node, next child cursor).
  std::vector<std::pair<uint32_t, uint32_t>> stack;
  const uint32_t virtual_root = static_cast<uint32_t>(n);
  stack.emplace_back(virtual_root, first[n]);
  while (!stack.empty()) {
    auto& [node, cursor] = stack.back();
    if (cursor < first[node + 1]) {
      const uint32_t child = kids[cursor++];
      const uint32_t pre = static_cast<uint32_t>(out.order.size());
      pre_of[child] = pre;
      out.order.push_back(child);
      if (node != virtual_root) {
        const uint32_t ppre = pre_of[node];
        out.parent[pre] = ppre;
        out.depth[pre] = out.depth[ppre] + 1;
      }
      stack.emplace_back(child, first[child]);
    } else {
      if (node != virtual_root) {
        out.end[pre_of[node]] = static_cast<uint32_t>(out.order.size());
      }
      stack.pop_back();
    }
  }
  if (out.order.size() != n) {
    for (size_t i = 0; i < n; ++i) {
      if (pre_of[i] == kNoRegion) {
        return absl::InvalidArgumentError(
            absl::StrCat("node #", i, " lies on a parent cycle"));
      }
    }
  }
  return out;
}

absl::StatusOr<Hierarchy> Hierarchy::Build(const v1::Dataset& dataset) {
  const auto& regions = dataset.regions();
  const size_t n = static_cast<size_t>(regions.size());
  if (n > kMaxRegions) {
    return absl::InvalidArgumentError(absl::StrCat(
        "dataset has ", n, " regions; at most ", kMaxRegions, " are allowed"));
  }

  std::vector<uint64_t> input_keys(n);
  absl::flat_hash_map<uint64_t, uint32_t> index_of;
  ReserveRoom(&index_of, n);
  for (size_t i = 0; i < n; ++i) {
    const v1::Region& r = regions[static_cast<int>(i)];
    absl::optional<uint64_t> key = RegionKeyFromCode(r.code());
    if (!key) {
      return absl::InvalidArgumentError(
          absl::StrCat("region #", i, " code: malformed \"", r.code(), "\""));
    }
    if (!SafeEmplace(&index_of, *key, static_cast<uint32_t>(i)).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("region ", r.code(), " code: duplicate"));
    }
    input_keys[i] = *key;
  }
  std::vector<uint32_t> parent_of(n, kNoRegion);
  for (size_t i = 0; i < n; ++i) {
    const v1::Region& r = regions[static_cast<int>(i)];
    if (r.parent_code().empty()) continue;
    absl::optional<uint64_t> pkey = RegionKeyFromCode(r.parent_code());
    auto it = pkey ? index_of.find(*pkey) : index_of.end();
    if (it == index_of.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("region ", r.code(), " parent_code: unknown region \"",
                       r.parent_code(), "\""));
    }
    parent_of[i] = it->second;
  }
  index_of = {};

  absl::StatusOr<ForestLayout> layout_or = LayOutForest(parent_of, input_keys);
  if (!layout_or.ok()) return layout_or.status();
  ForestLayout& layout = *layout_or;

  Hierarchy h;
  h.nodes_.resize(n);
  h.keys_.resize(n);
  h.name_offsets_.resize(n + 1);
  size_t name_bytes = 0;
  for (const v1::Region& r : regions) name_bytes += r.name().size();
  h.names_.reserve(name_bytes);

  for (size_t pre = 0; pre < n; ++pre) {
    const uint32_t in = layout.order[pre];
    const v1::Region& r = regions[static_cast<int>(in)];
    const uint64_t key = input_keys[in];
    Node& node = h.nodes_[pre];
    h.keys_[pre] = key;
    node.parent = layout.parent[pre];
    node.township_and_descriptor = kTownshipMask;
    node.end = layout.end[pre];
    node.unused = 0;
    const RegionId parent = node.parent;

    // Effective attributes: kinds derived from the digits when unspecified,
    // urban-rural class inherited from the parent when unset.
    v1::Region effective;
    effective.set_level(r.level());
    effective.set_township_class(r.township_class());
    if (r.level() == v1::REGION_LEVEL_TOWNSHIP) {
      effective.set_township_kind(
          r.township_kind() != v1::TOWNSHIP_KIND_UNSPECIFIED
              ? r.township_kind()
              : TownshipKindFromDigits(CodeDigits(key, kCountyEnd,
                                                  kTownshipEnd)));
      if (r.township_class() == v1::TOWNSHIP_CLASS_UNSPECIFIED) {
        effective.set_township_class(v1::TOWNSHIP_CLASS_GENERAL);
      }
    } else if (r.level() == v1::REGION_LEVEL_VILLAGE) {
      effective.set_village_kind(
          r.village_kind() != v1::VILLAGE_KIND_UNSPECIFIED
              ? r.village_kind()
              : VillageKindFromDigits(CodeDigits(key, kTownshipEnd,
                                                 kVillageEnd)));
    } else if (r.level() == v1::REGION_LEVEL_GRID) {
      effective.set_grid_kind(r.grid_kind());
    }
    uint16_t urban_rural =
        static_cast<uint16_t>(UrbanRuralIndex(r.urban_rural_class()));
    if (urban_rural == 0 && parent != kNoRegion) {
      urban_rural = (h.nodes_[parent].descriptor >> 8) & 15u;
    }
    node.descriptor = Pack(effective, urban_rural);
    RegionId township = kTownshipMask;

    if (r.level() == v1::REGION_LEVEL_TOWNSHIP) {
      township = static_cast<RegionId>(pre);
    } else if (parent != kNoRegion) {
      township = h.nodes_[parent].township_and_descriptor & kTownshipMask;
    }
    node.township_and_descriptor =
        township | (static_cast<uint32_t>(node.descriptor & 0xFFu) << 24);
    h.name_offsets_[pre] = static_cast<uint32_t>(h.names_.size());
    h.names_.append(r.name());
  }
  h.name_offsets_[n] = static_cast<uint32_t>(h.names_.size());

  h.IndexCodes();

  // Police grids.
  if (dataset.police_grids_size() > 0) {
    h.police_grid_.assign(n, -1);
    h.police_grid_codes_.reserve(
        static_cast<size_t>(dataset.police_grids_size()));
    for (int i = 0; i < dataset.police_grids_size(); ++i) {
      const v1::PoliceGrid& pg = dataset.police_grids(i);
      h.police_grid_codes_.push_back(pg.code());
      for (const std::string& grid_code : pg.grid_codes()) {
        const RegionId id = h.Find(grid_code);
        if (id == kNoRegion) {
          return absl::InvalidArgumentError(
              absl::StrCat("police_grid ", pg.code(),
                           " grid_codes: unknown grid \"", grid_code, "\""));
        }
        h.police_grid_[id] = i;
      }
    }
  }
  return h;
}

CodeIndex::Run Hierarchy::CodeRun(uint64_t key) const {
  const CodeIndex::Run run = code_index_.FindRun(key);
  PrefetchRunKeys(sorted_ids_.empty() ? keys_.data() : sorted_keys_.data(),
                  run);
  return run;
}

RegionId Hierarchy::FindInRun(uint64_t key, CodeIndex::Run run) const {
  const uint32_t pos = CodeIndex::Search(
      key, sorted_ids_.empty() ? keys_.data() : sorted_keys_.data(), run);
  if (pos == CodeIndex::kAbsent) return kNoRegion;
  const RegionId id = sorted_ids_.empty() ? pos : sorted_ids_[pos];
  __builtin_prefetch(&nodes_[id]);
  return id;
}

bool Hierarchy::IndexCodes() {
  // Code -> id. Children are laid out in code order, so pre-order is key
  // order whenever codes nest by segments (every valid statistical code
  // does); otherwise the index runs over a sorted copy.
  sorted_ids_.clear();
  sorted_keys_.clear();
  if (std::adjacent_find(keys_.begin(), keys_.end(),
                         std::greater_equal<uint64_t>()) == keys_.end()) {
    code_index_ = CodeIndex::Build(keys_);
    return true;
  }
  const size_t n = keys_.size();
  sorted_ids_.resize(n);
  std::iota(sorted_ids_.begin(), sorted_ids_.end(), 0u);
  std::sort(sorted_ids_.begin(), sorted_ids_.end(),
            [this](RegionId a, RegionId b) { return keys_[a] < keys_[b]; });
  sorted_keys_.resize(n);
  for (size_t i = 0; i < n; ++i) sorted_keys_[i] = keys_[sorted_ids_[i]];
  if (std::adjacent_find(sorted_keys_.begin(), sorted_keys_.end()) !=
      sorted_keys_.end()) {
    sorted_ids_.clear();
    sorted_keys_.clear();
    code_index_ = CodeIndex();
    return false;
  }
  code_index_ = CodeIndex::Build(sorted_keys_);
  return true;
}

RegionId Hierarchy::Find(absl::string_view code) const {
  absl::optional<uint64_t> key = RegionKeyFromCode(code);
  return key ? FindKey(*key) : kNoRegion;
}

std::string Hierarchy::code(RegionId id) const {
  return CodeFromRegionKey(keys_[id]);
}

absl::string_view Hierarchy::name(RegionId id) const {
  return absl::string_view(names_).substr(
      name_offsets_[id], name_offsets_[id + 1] - name_offsets_[id]);
}

v1::TownshipKind Hierarchy::township_kind(RegionId id) const {
  return level(id) == v1::REGION_LEVEL_TOWNSHIP
             ? static_cast<v1::TownshipKind>((low_descriptor(id) >> 3) & 7u)
             : v1::TOWNSHIP_KIND_UNSPECIFIED;
}

v1::VillageKind Hierarchy::village_kind(RegionId id) const {
  return level(id) == v1::REGION_LEVEL_VILLAGE
             ? static_cast<v1::VillageKind>((low_descriptor(id) >> 3) & 7u)
             : v1::VILLAGE_KIND_UNSPECIFIED;
}

v1::GridKind Hierarchy::grid_kind(RegionId id) const {
  return level(id) == v1::REGION_LEVEL_GRID
             ? static_cast<v1::GridKind>((low_descriptor(id) >> 3) & 7u)
             : v1::GRID_KIND_UNSPECIFIED;
}

v1::UrbanRuralClass Hierarchy::urban_rural_class(RegionId id) const {
  return kUrbanRural[(nodes_[id].descriptor >> 8) & 7u];
}

int Hierarchy::depth(RegionId id) const {
  int d = 0;
  for (RegionId p = parent(id); p != kNoRegion; p = parent(p)) ++d;
  return d;
}

RegionId Hierarchy::LowestCommonAncestor(RegionId a, RegionId b) const {
  // Walk up from the later node until the earlier one contains it: in
  // pre-order an ancestor always precedes its descendants.
  if (a > b) std::swap(a, b);
  while (a != kNoRegion && !Contains(a, b)) a = parent(a);
  return a;
}

std::vector<RegionId> Hierarchy::Ancestors(RegionId id) const {
  std::vector<RegionId> out;
  for (RegionId p = parent(id); p != kNoRegion; p = parent(p)) {
    out.push_back(p);
  }
  return out;
}

std::vector<RegionId> Hierarchy::Children(RegionId id) const {
  std::vector<RegionId> out;
  for (RegionId c = id + 1; c < nodes_[id].end; c = nodes_[c].end) {
    out.push_back(c);
  }
  return out;
}

int32_t Hierarchy::police_grid_of(RegionId id) const {
  return police_grid_.empty() ? -1 : police_grid_[id];
}

size_t Hierarchy::IndexBytes() const {
  return VectorBytes(nodes_) + CodeIndexBytes() + VectorBytes(police_grid_) +
         StringsBytes(police_grid_codes_);
}

size_t Hierarchy::CodeIndexBytes() const {
  return VectorBytes(keys_) + code_index_.MemoryBytes() +
         VectorBytes(sorted_keys_) + VectorBytes(sorted_ids_);
}

size_t Hierarchy::NameBytes() const {
  return StringBytes(names_) + VectorBytes(name_offsets_);
}

}  // namespace jiceng
