// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Engine: a dataset validated once and compiled into immutable lookup
// structures — the hierarchy index, the organisation index, the work
// calendar and the responsibility catalogue. Later stages (router,
// lifecycle) hang off it.
//
// Example:
//   JC_ASSIGN_OR_RETURN(std::unique_ptr<const Engine> engine,
//                       Engine::Load(bytes, DatasetFormat::kAuto));
//   v1::EngineInfo info = engine->Info();
//
// Thread safety: an Engine is immutable; share one const Engine between any
// number of threads without locks. Not copyable (it holds the whole
// compiled dataset); held by unique_ptr or shared_ptr.

#ifndef JICENG_SRC_ENGINE_ENGINE_H_
#define JICENG_SRC_ENGINE_ENGINE_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jiceng/v1/dataset.pb.h"
#include "jiceng/v1/engine_info.pb.h"
#include "jiceng/v1/lifecycle.pb.h"
#include "absl/types/optional.h"
#include "src/calendar/work_calendar.h"
#include "src/catalogue/catalogue.h"
#include "src/dataset/dataset_io.h"
#include "src/hierarchy/hierarchy.h"
#include "src/hierarchy/organization.h"

namespace jiceng {

class Engine {
 public:
  // Validates `dataset` and compiles it. INVALID_ARGUMENT with the number
  // of errors and the first one ("dataset has 3 errors; first: error:
  // region 320116001000 parent_code: …") when it is invalid; warnings do
  // not prevent compilation. `dataset` is not modified or retained.
  static absl::StatusOr<std::unique_ptr<const Engine>> Compile(
      const v1::Dataset& dataset);

  // Parses (see ParseDataset) and compiles.
  static absl::StatusOr<std::unique_ptr<const Engine>> Load(
      absl::string_view bytes, DatasetFormat format);

  // The engine's compiled structures as a snapshot (format and guarantees
  // in src/engine/snapshot.h): the same dataset always gives the same
  // bytes. UNIMPLEMENTED on a big-endian host.
  absl::StatusOr<std::string> SaveSnapshot() const;
  // An engine from SaveSnapshot's bytes, without parsing or compiling:
  // it answers every query exactly as the engine that saved it. The bytes
  // are untrusted: INVALID_ARGUMENT (not a snapshot, another format
  // version, an index or invariant broken, naming the section and offset)
  // or DATA_LOSS (truncated, checksum mismatch). `bytes` is not retained.
  static absl::StatusOr<std::unique_ptr<const Engine>> LoadSnapshot(
      absl::string_view bytes);

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const v1::DatasetMeta& meta() const { return meta_; }
  const Hierarchy& hierarchy() const { return hierarchy_; }
  const Organization& organization() const { return organization_; }
  const WorkCalendar& calendar() const { return calendar_; }
  const Catalogue& catalogue() const { return *catalogue_; }
  const v1::RoutingPolicy& routing_policy() const { return routing_policy_; }
  // The dataset's lifecycle policy with every default filled in (see
  // src/lifecycle/lifecycle_policy.h).
  const v1::LifecyclePolicy& lifecycle_policy() const {
    return lifecycle_policy_;
  }
  // The assessment weights: one entry per level, province (index 0) to
  // grid (index 5), the dataset's or the defaults (see
  // src/assessment/assessment_policy.h).
  const v1::AssessmentPolicy& assessment_policy() const {
    return assessment_policy_;
  }
  int warning_count() const { return warning_count_; }
  // Fingerprint64 of the source dataset's deterministic binary
  // serialization (kept by snapshots: a loaded engine reports its source's).
  uint64_t dataset_fingerprint() const { return dataset_fingerprint_; }

  // Counts per level and kind, the calendar's range, memory used.
  v1::EngineInfo Info() const;

  // Heap bytes held by the compiled structures.
  size_t MemoryBytes() const;

  // The day analyses and admission reviews are made for when the caller
  // gives none: the dataset's effective date, else the calendar's first
  // day (never the wall clock: the same inputs give the same output).
  int32_t reference_day() const;

 private:
  friend class SnapshotCodec;
  Engine(v1::DatasetMeta meta, Hierarchy hierarchy, Organization organization,
         WorkCalendar calendar, int warning_count, int64_t police_grids);

  v1::DatasetMeta meta_;
  Hierarchy hierarchy_;
  Organization organization_;
  WorkCalendar calendar_;
  // Refers to hierarchy_ and organization_: built once they are in place,
  // and an Engine never moves.
  absl::optional<Catalogue> catalogue_;
  int warning_count_ = 0;
  int64_t police_grid_count_ = 0;
  int64_t scenario_count_ = 0;
  v1::RoutingPolicy routing_policy_;
  v1::LifecyclePolicy lifecycle_policy_;
  v1::AssessmentPolicy assessment_policy_;
  uint64_t dataset_fingerprint_ = 0;
};

}  // namespace jiceng

#endif  // JICENG_SRC_ENGINE_ENGINE_H_
