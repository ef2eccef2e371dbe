// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Writes what the C++ API decides for a dataset's sample case stream, so
// that the Python tests can check that the binding returns the very same
// bytes. Usage:
//
//   write_expected OUT_DIR [DATASET_FILE]
//
// (the embedded sample dataset when DATASET_FILE is omitted). Files, all
// length-delimited streams (a varint length, then the bytes):
//   cases.bin               the jiceng.v1.Case messages of SampleCases()
//   decisions.bin           per case, Router::Decide's RoutingDecision
//                           bytes, or an empty frame when routing failed
//   decisions_explained.bin the same with RouteOptions.explain_text
//   batch.bin               RouteBatch's BatchEntry stream (one thread)

#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "src/dataset/dataset_io.h"
#include "src/engine/engine.h"
#include "src/routing/batch.h"
#include "src/routing/router.h"
#include "src/sample/sample_cases.h"
#include "src/sample/sample_dataset.h"

namespace jiceng {
namespace {

// Appends a varint length and `bytes`.
void AppendFrame(const std::string& bytes, std::string* out) {
  uint64_t n = bytes.size();
  while (n >= 0x80) {
    out->push_back(static_cast<char>((n & 0x7f) | 0x80));
    n >>= 7;
  }
  out->push_back(static_cast<char>(n));
  out->append(bytes);
}

bool WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary);
  f << bytes;
  f.close();
  if (!f) std::cerr << "write_expected: cannot write " << path << "\n";
  return static_cast<bool>(f);
}

int Main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: write_expected OUT_DIR [DATASET_FILE]\n";
    return 2;
  }
  const std::string dir = argv[1];
  absl::StatusOr<std::unique_ptr<const Engine>> engine;
  if (argc == 3) {
    absl::StatusOr<std::string> bytes = ReadFileBytes(argv[2], kMaxDatasetBytes);
    if (!bytes.ok()) {
      std::cerr << "write_expected: " << bytes.status() << "\n";
      return 1;
    }
    engine = Engine::Load(*bytes, DatasetFormat::kAuto);
  } else {
    engine = Engine::Load(SampleDatasetBinary(), DatasetFormat::kBinary);
  }
  if (!engine.ok()) {
    std::cerr << "write_expected: " << engine.status() << "\n";
    return 1;
  }
  const Router router(**engine);
  const std::vector<v1::Case> cases = SampleCases(**engine);
  v1::RouteOptions explained;
  explained.set_explain_text(true);

  std::string cases_out, decisions, decisions_explained;
  for (const v1::Case& c : cases) {
    AppendDelimited(c, &cases_out);
    absl::StatusOr<v1::RoutingDecision> d = router.Decide(c);
    AppendFrame(d.ok() ? d->SerializeAsString() : std::string(), &decisions);
    d = router.Decide(c, explained);
    AppendFrame(d.ok() ? d->SerializeAsString() : std::string(),
                &decisions_explained);
  }
  absl::StatusOr<std::string> batch =
      RouteBatch(router, cases_out, BatchOptions{1, {}});
  if (!batch.ok()) {
    std::cerr << "write_expected: " << batch.status() << "\n";
    return 1;
  }
  const bool ok = WriteFile(dir + "/cases.bin", cases_out) &&
                  WriteFile(dir + "/decisions.bin", decisions) &&
                  WriteFile(dir + "/decisions_explained.bin",
                            decisions_explained) &&
                  WriteFile(dir + "/batch.bin", *batch);
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace jiceng

int main(int argc, char** argv) { return jiceng::Main(argc, argv); }
