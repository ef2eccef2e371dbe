// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// libFuzzer target: the bytes as an engine snapshot through
// jc_engine_create_from_snapshot. A random mutation nearly always breaks
// the checksum, which would keep the fuzzer at the header; so when the
// header's reserved byte 52 is not zero, the target first zeroes the
// reserved bytes 52-55 (which a snapshot must have zero) and makes the
// header agree with the bytes (total size, checksum): a forged snapshot
// that reaches the section table and every bounds check and invariant. An
// engine that loads must then answer without fault: jc_engine_info, every
// sample case through jc_engine_route (with explanations), and
// jc_engine_save_snapshot, whose bytes must load again.
// Seeds: corpus/fuzz_snapshot/ — the sample's snapshot, the same with byte
// 52 set (forged mode), its first 3000 bytes with byte 52 set, a header of
// format version 99 (other_version.jcsnap), and forged_*.jcsnap: the
// sample's snapshot with byte 52 set and one compiled field forged as in
// the snapshot audit (a rule outside its matter's range and claiming
// no matter, a NAMED_UNIT lead without a unit, units without a region, a
// delegation's township list ending in none, a calendar near INT32_MAX,
// working minutes that wrap when multiplied, two rules sharing one run of
// predicates), each refused once unforged. Regenerate them after a format
// change (see Snapshot.FuzzSeedsAreOfTheCurrentFormat and
// Snapshot.FuzzForgedSeedsAreRefused in tests/snapshot_test.cc).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "jiceng/jiceng.h"
#include "jiceng/v1/engine_info.pb.h"
#include "jiceng/v1/routing.pb.h"
#include "src/engine/engine.h"
#include "src/engine/snapshot.h"
#include "src/sample/sample_cases.h"
#include "src/sample/sample_dataset.h"
#include "tests/fuzz/fuzz_common.h"

namespace {

// The sample cases, serialized once.
const std::vector<std::string>& SampleCaseBytes() {
  static const std::vector<std::string>* cases = [] {
    auto* out = new std::vector<std::string>();
    auto engine = jiceng::Engine::Compile(jiceng::SampleDataset());
    if (!engine.ok()) {
      jiceng_fuzz::Die("compile the sample", JC_INTERNAL, "");
    }
    for (const jiceng::v1::Case& c : jiceng::SampleCases(**engine)) {
      out->push_back(c.SerializeAsString());
    }
    return out;
  }();
  return *cases;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using jiceng_fuzz::CheckCall;
  using jiceng_fuzz::Die;
  using jiceng_fuzz::Untouched;

  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (bytes.size() >= jiceng::kSnapshotHeaderBytes && bytes[52] != 0) {
    std::memset(&bytes[52], 0, 4);
    const uint64_t total = bytes.size();
    std::memcpy(&bytes[40], &total, sizeof(total));
    const uint64_t sum = jiceng::SnapshotChecksum(bytes);
    std::memcpy(&bytes[56], &sum, sizeof(sum));
  }

  jc_engine* engine = static_cast<jc_engine*>(Untouched());
  char* error = nullptr;
  const jc_status created = jc_engine_create_from_snapshot(
      bytes.data(), bytes.size(), &engine, &error);
  CheckCall("jc_engine_create_from_snapshot", created, error,
            created == JC_OK ? nullptr : static_cast<void*>(engine), 0,
            nullptr);
  if (created != JC_OK) {
    if (created != JC_INVALID_ARGUMENT && created != JC_DATA_LOSS) {
      Die("jc_engine_create_from_snapshot", created, "unexpected code");
    }
    return 0;
  }

  void* out = Untouched();
  size_t out_size = 0;
  error = nullptr;
  jiceng::v1::EngineInfo info;
  jc_status s = jc_engine_info(engine, &out, &out_size, &error);
  CheckCall("jc_engine_info", s, error, out, out_size, &info);
  if (s != JC_OK) Die("jc_engine_info on a loaded engine", s, "");

  jiceng::v1::RoutingDecision decision;
  for (const std::string& c : SampleCaseBytes()) {
    out = Untouched();
    error = nullptr;
    s = jc_engine_route(engine, c.data(), c.size(), JC_ROUTE_EXPLAIN_TEXT,
                        &out, &out_size, &error);
    CheckCall("jc_engine_route", s, error, out, out_size, &decision);
  }

  out = Untouched();
  error = nullptr;
  s = jc_engine_save_snapshot(engine, &out, &out_size, &error);
  if (s != JC_OK) Die("jc_engine_save_snapshot on a loaded engine", s, error);
  jc_engine* again = nullptr;
  s = jc_engine_create_from_snapshot(out, out_size, &again, &error);
  if (s != JC_OK) Die("a re-saved snapshot does not load", s, error);
  jc_free(out);
  jc_engine_destroy(again);
  jc_engine_destroy(engine);
  return 0;
}
