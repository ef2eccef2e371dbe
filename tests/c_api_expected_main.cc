// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Writes what the C ABI test compares against, computed with the C++ API
// in a separate process (one process must not link both the static core
// and the shared library: TOOLCHAIN pitfall 2):
//
//   c_api_expected OUT_DIR
//     OUT_DIR/sample_cases.binpb     the sample cases, length-delimited
//     OUT_DIR/expected.binpb         one BatchEntry per case (decision or
//                                    error), Router::Decide without text
//     OUT_DIR/expected_explain.binpb the same with explain_text
//     OUT_DIR/to_proto_allocations.txt  per case, the heap allocations
//                                    Router::ToProto makes in steady state
//                                    into an arena decision as the C ABI
//                                    uses it (-1: the case is an error), so
//                                    that c_api_alloc_test can tell the C
//                                    ABI's own allocations from the router's

#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "jiceng/v1/routing.pb.h"
#include "src/engine/engine.h"
#include "src/routing/batch.h"
#include "src/routing/router.h"
#include "src/sample/sample_cases.h"
#include "src/sample/sample_dataset.h"
#include "tests/alloc_counter.h"

namespace jiceng {
namespace {

std::string Expected(const Router& router, const std::vector<v1::Case>& cases,
                     bool explain) {
  v1::RouteOptions options;
  options.set_explain_text(explain);
  std::string out;
  for (size_t i = 0; i < cases.size(); ++i) {
    v1::BatchEntry entry;
    entry.set_index(static_cast<int64_t>(i));
    entry.set_case_id(cases[i].id());
    absl::StatusOr<v1::RoutingDecision> d = router.Decide(cases[i], options);
    if (d.ok()) {
      *entry.mutable_decision() = std::move(*d);
    } else {
      entry.mutable_error()->set_code(static_cast<int32_t>(d.status().code()));
      entry.mutable_error()->set_message(std::string(d.status().message()));
    }
    AppendDelimited(entry, &out);
  }
  return out;
}

// Allocations of the third ToProto of each case (the first two warm up
// whatever ToProto caches), into a decision on an arena with a 32 KiB
// first block, reset per call: the C ABI's RouteScratch.
std::string ToProtoAllocations(const Router& router,
                               const std::vector<v1::Case>& cases) {
  alignas(16) static char block[32 * 1024];
  google::protobuf::ArenaOptions options;
  options.initial_block = block;
  options.initial_block_size = sizeof block;
  google::protobuf::Arena arena(options);
  const v1::RouteOptions route_options;
  std::string out;
  for (const v1::Case& c : cases) {
    RouteResult r;
    if (!router.Route(c, &r).ok()) {
      absl::StrAppend(&out, "-1\n");
      continue;
    }
    int64_t count = 0;
    for (int pass = 0; pass < 3; ++pass) {
      jiceng_test::AllocationScope scope;
      router.ToProto(
          c, r, route_options,
          google::protobuf::Arena::CreateMessage<v1::RoutingDecision>(&arena));
      count = scope.count();
      arena.Reset();
    }
    absl::StrAppend(&out, count, "\n");
  }
  return out;
}

bool Write(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << bytes;
  f.close();
  if (!f) std::cerr << "c_api_expected: cannot write " << path << "\n";
  return static_cast<bool>(f);
}

int Main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: c_api_expected OUT_DIR\n";
    return 2;
  }
  const std::string dir = argv[1];
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::Load(SampleDatasetBinary(), DatasetFormat::kBinary);
  if (!engine.ok()) {
    std::cerr << "c_api_expected: " << engine.status() << "\n";
    return 1;
  }
  const Router router(**engine);
  const std::vector<v1::Case> cases = SampleCases(**engine);
  std::string stream;
  for (const v1::Case& c : cases) AppendDelimited(c, &stream);
  const bool ok = Write(dir + "/sample_cases.binpb", stream) &&
                  Write(dir + "/expected.binpb", Expected(router, cases, false)) &&
                  Write(dir + "/expected_explain.binpb",
                        Expected(router, cases, true)) &&
                  Write(dir + "/to_proto_allocations.txt",
                        ToProtoAllocations(router, cases));
  std::cout << "c_api_expected: " << cases.size() << " cases\n";
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace jiceng

int main(int argc, char** argv) { return jiceng::Main(argc, argv); }
