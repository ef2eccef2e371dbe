// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/sample/sample_dataset.h"

#include <cstddef>

namespace jiceng {

// Defined in the generated sample_dataset_data.cc.
extern const unsigned char kSampleDatasetBinary[];
extern const size_t kSampleDatasetBinarySize;

absl::string_view SampleDatasetBinary() {
  return absl::string_view(reinterpret_cast<const char*>(kSampleDatasetBinary),
                           kSampleDatasetBinarySize);
}

v1::Dataset SampleDataset() {
  v1::Dataset dataset;
  // The bytes were produced by protoc from the checked-in text at build
  // time, so they always parse.
  dataset.ParseFromArray(kSampleDatasetBinary,
                         static_cast<int>(kSampleDatasetBinarySize));
  return dataset;
}

}  // namespace jiceng
