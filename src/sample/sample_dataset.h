// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// The embedded sample dataset: one county modelled on Nanjing Luhe (four
// townships of all three classes, sixteen villages and communities, 53
// grids, the county departments, dispatched units, command centres, police
// grids and the official 2026 calendar). Its source is
// src/sample/sample_dataset.textproto, encoded to binary at build time.
//
// Example:
//   absl::string_view bytes = SampleDatasetBinary();
//   auto engine = Engine::Load(bytes, DatasetFormat::kBinary);

#ifndef JICENG_SRC_SAMPLE_SAMPLE_DATASET_H_
#define JICENG_SRC_SAMPLE_SAMPLE_DATASET_H_

#include "absl/strings/string_view.h"
#include "jiceng/v1/dataset.pb.h"

namespace jiceng {

// The sample as binary protobuf; static storage, never freed.
absl::string_view SampleDatasetBinary();

// The sample parsed.
v1::Dataset SampleDataset();

}  // namespace jiceng

#endif  // JICENG_SRC_SAMPLE_SAMPLE_DATASET_H_
