// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/engine/engine.h"

#include <map>
#include <string>
#include <utility>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream.h"
#include "src/assessment/assessment_policy.h"
#include "src/base/civil_date.h"
#include "src/base/fingerprint.h"
#include "src/base/status_macros.h"
#include "src/dataset/validate.h"
#include "src/lifecycle/lifecycle_policy.h"

namespace jiceng {
namespace {

// Hashes what a message serializes to through a 16 KB buffer: a dataset
// of any size is fingerprinted without a second copy of it in memory.
class FingerprintOutput : public google::protobuf::io::ZeroCopyOutputStream {
 public:
  bool Next(void** data, int* size) override {
    Flush();
    *data = buffer_;
    *size = sizeof(buffer_);
    pending_ = sizeof(buffer_);
    return true;
  }
  void BackUp(int count) override { pending_ -= static_cast<size_t>(count); }
  int64_t ByteCount() const override { return bytes_; }
  uint64_t Finish() {
    Flush();
    return hash_.Finish();
  }

 private:
  void Flush() {
    hash_.Update(absl::string_view(buffer_, pending_));
    bytes_ += static_cast<int64_t>(pending_);
    pending_ = 0;
  }
  char buffer_[16 << 10];
  size_t pending_ = 0;
  int64_t bytes_ = 0;
  Fingerprint64Stream hash_;
};

// Deterministic serialization: the same message gives the same bytes, so
// the same dataset the same fingerprint whichever format it was read from.
uint64_t DatasetFingerprint(const v1::Dataset& dataset) {
  FingerprintOutput hashed;
  {
    google::protobuf::io::CodedOutputStream out(&hashed);
    out.SetSerializationDeterministic(true);
    dataset.SerializeToCodedStream(&out);
  }
  return hashed.Finish();
}

}  // namespace

Engine::Engine(v1::DatasetMeta meta, Hierarchy hierarchy,
               Organization organization, WorkCalendar calendar,
               int warning_count, int64_t police_grids)
    : meta_(std::move(meta)),
      hierarchy_(std::move(hierarchy)),
      organization_(std::move(organization)),
      calendar_(std::move(calendar)),
      warning_count_(warning_count),
      police_grid_count_(police_grids) {}

absl::StatusOr<std::unique_ptr<const Engine>> Engine::Compile(
    const v1::Dataset& dataset) {
  absl::optional<Hierarchy> validated;
  ProblemList problems = ValidateDataset(dataset, &validated);
  JC_RETURN_IF_ERROR(problems.ToStatus());
  if (!validated.has_value()) {
    return absl::InternalError("validation passed but built no hierarchy");
  }
  Hierarchy hierarchy = std::move(*validated);
  JC_ASSIGN_OR_RETURN(Organization organization,
                      Organization::Build(dataset, hierarchy));
  JC_ASSIGN_OR_RETURN(WorkCalendar calendar,
                      WorkCalendar::Build(dataset.calendar()));
  std::unique_ptr<Engine> engine(new Engine(
      dataset.meta(), std::move(hierarchy), std::move(organization),
      std::move(calendar), problems.warning_count(),
      dataset.police_grids_size()));
  JC_ASSIGN_OR_RETURN(
      Catalogue catalogue,
      Catalogue::Build(dataset, engine->hierarchy_, engine->organization_));
  engine->catalogue_.emplace(std::move(catalogue));
  engine->scenario_count_ = dataset.catalogue().scenarios_size();
  engine->routing_policy_ = dataset.routing_policy();
  engine->lifecycle_policy_ =
      ResolveLifecyclePolicy(dataset.lifecycle_policy());
  engine->assessment_policy_ =
      ResolveAssessmentPolicy(dataset.assessment_policy());
  engine->dataset_fingerprint_ = DatasetFingerprint(dataset);
  return std::unique_ptr<const Engine>(std::move(engine));
}

absl::StatusOr<std::unique_ptr<const Engine>> Engine::Load(
    absl::string_view bytes, DatasetFormat format) {
  JC_ASSIGN_OR_RETURN(v1::Dataset dataset, ParseDataset(bytes, format));
  return Compile(dataset);
}

int32_t Engine::reference_day() const {
  // Validation guarantees a non-empty effective_date parses.
  const absl::optional<int32_t> day = ParseIsoDate(meta_.effective_date());
  return day ? *day : calendar_.first_day();
}

v1::EngineInfo Engine::Info() const {
  v1::EngineInfo info;
  *info.mutable_meta() = meta_;
  info.set_library_version(JICENG_VERSION_STRING);
  const Hierarchy& h = hierarchy_;
  info.set_region_count(static_cast<int64_t>(h.size()));
  std::map<int, int64_t> per_level, per_grid_kind, per_unit_kind;
  for (RegionId id = 0; id < h.size(); ++id) {
    ++per_level[h.level(id)];
    if (h.level(id) == v1::REGION_LEVEL_GRID) ++per_grid_kind[h.grid_kind(id)];
  }
  for (const auto& [level, count] : per_level) {
    v1::LevelCount* c = info.add_regions_per_level();
    c->set_level(static_cast<v1::RegionLevel>(level));
    c->set_count(count);
  }
  for (const auto& [kind, count] : per_grid_kind) {
    v1::GridKindCount* c = info.add_grids_per_kind();
    c->set_kind(static_cast<v1::GridKind>(kind));
    c->set_count(count);
  }
  const Organization& o = organization_;
  info.set_unit_count(static_cast<int64_t>(o.size()));
  for (UnitId id = 0; id < o.size(); ++id) ++per_unit_kind[o.kind(id)];
  for (const auto& [kind, count] : per_unit_kind) {
    v1::UnitKindCount* c = info.add_units_per_kind();
    c->set_kind(static_cast<v1::UnitKind>(kind));
    c->set_count(count);
  }
  info.set_department_type_count(
      static_cast<int64_t>(o.department_type_count()));
  info.set_police_grid_count(police_grid_count_);
  info.set_calendar_first_date(FormatIsoDate(calendar_.first_day()));
  info.set_calendar_last_date(FormatIsoDate(calendar_.last_day()));
  info.set_working_day_count(calendar_.working_day_count());
  info.set_memory_bytes(static_cast<int64_t>(MemoryBytes()));
  info.set_region_index_bytes(static_cast<int64_t>(h.IndexBytes()));
  info.set_warning_count(warning_count_);
  const Catalogue& c = *catalogue_;
  info.set_item_count(static_cast<int64_t>(c.item_count()));
  info.set_matter_count(static_cast<int64_t>(c.matter_count()));
  info.set_rule_count(static_cast<int64_t>(c.rule_count()) - scenario_count_);
  info.set_scenario_count(scenario_count_);
  info.set_delegation_count(static_cast<int64_t>(c.delegation_count()));
  info.set_dataset_fingerprint(FingerprintHex(dataset_fingerprint_));
  return info;
}

size_t Engine::MemoryBytes() const {
  // Every compiled structure's heap; the messages' own objects are inside
  // sizeof(*this), SpaceUsedLong counts them again with their heap.
  return sizeof(*this) + hierarchy_.IndexBytes() + hierarchy_.NameBytes() +
         organization_.MemoryBytes() + calendar_.MemoryBytes() +
         catalogue_->MemoryBytes() + meta_.SpaceUsedLong() - sizeof(meta_) +
         routing_policy_.SpaceUsedLong() - sizeof(routing_policy_) +
         lifecycle_policy_.SpaceUsedLong() - sizeof(lifecycle_policy_) +
         assessment_policy_.SpaceUsedLong() - sizeof(assessment_policy_);
}

}  // namespace jiceng
