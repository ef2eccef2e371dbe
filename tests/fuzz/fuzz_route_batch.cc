// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// libFuzzer target: the bytes as a length-delimited stream of
// jiceng.v1.Case through jc_engine_route_batch (1 and 3 threads) and
// jc_engine_diff (the sample engine against itself). Besides the checks of
// fuzz_common.h: the batch's bytes do not depend on the thread count, every
// entry parses, a diff never fails, and a diff of an engine with itself
// changes nothing, routes the cases the batch decides and lists as unread
// exactly the frames the batch gives an error entry for ("case I" or
// "frame I"), with the same error.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "google/protobuf/io/coded_stream.h"
#include "jiceng/jiceng.h"
#include "jiceng/v1/routing.pb.h"
#include "tests/fuzz/fuzz_common.h"

namespace {

// Parses every BatchEntry of a length-delimited stream into *entries;
// false if any fails.
bool ParseEntries(const std::string& stream,
                  std::vector<jiceng::v1::BatchEntry>* entries) {
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(stream.data()),
      static_cast<int>(stream.size()));
  while (!in.ExpectAtEnd()) {
    jiceng::v1::BatchEntry& entry = entries->emplace_back();
    uint32_t len;
    if (!in.ReadVarint32(&len)) return false;
    auto limit = in.PushLimit(static_cast<int>(len));
    if (!entry.ParseFromCodedStream(&in) || !in.ConsumedEntireMessage()) {
      return false;
    }
    in.PopLimit(limit);
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using jiceng_fuzz::CheckCall;
  using jiceng_fuzz::Die;
  using jiceng_fuzz::Untouched;
  const jc_engine* engine = jiceng_fuzz::SampleEngine();

  std::string first;
  std::vector<jiceng::v1::BatchEntry> entries;
  for (int threads : {1, 3}) {
    void* out = Untouched();
    size_t out_size = 0;
    char* error = nullptr;
    jc_status s = jc_engine_route_batch(engine, data, size, threads, &out,
                                        &out_size, &error);
    if (s != JC_OK) {
      CheckCall("jc_engine_route_batch", s, error, out, out_size, nullptr);
      Die("jc_engine_route_batch failed on a stream", s, "");
    }
    std::string stream(static_cast<const char*>(out), out_size);
    CheckCall("jc_engine_route_batch", s, error, out, out_size, nullptr);
    if (threads == 1) {
      if (!ParseEntries(stream, &entries)) {
        Die("a BatchEntry does not parse", s, "");
      }
      first = std::move(stream);
    } else if (stream != first) {
      Die("batch bytes depend on the thread count", s, "");
    }
  }

  void* out = Untouched();
  size_t out_size = 0;
  char* error = nullptr;
  jiceng::v1::DiffReport report;
  jc_status s =
      jc_engine_diff(engine, engine, data, size, &out, &out_size, &error);
  CheckCall("jc_engine_diff", s, error, out, out_size, &report);
  if (s != JC_OK) Die("jc_engine_diff failed on a stream", s, "");
  if (report.changed_cases() != 0 || report.diffs_size() != 0) {
    Die("an engine differs from itself", s, "");
  }
  // The batch's error entries that are not routing errors: the frames
  // that are not a case, and a frame cut short.
  int64_t decided = 0;
  int unread = 0;
  for (const jiceng::v1::BatchEntry& e : entries) {
    const std::string& m = e.error().message();
    const bool not_read = e.has_error() && (m.rfind("case ", 0) == 0 ||
                                            m.rfind("frame ", 0) == 0);
    if (!not_read) {
      ++decided;
      continue;
    }
    if (unread >= report.unread_size() ||
        report.unread(unread).index() != e.index() ||
        report.unread(unread).error().message() != m) {
      Die("the diff's unread cases differ from the batch's error entries", s,
          m.c_str());
    }
    ++unread;
  }
  if (unread != report.unread_size() || decided != report.cases()) {
    Die("the diff counts other cases than the batch", s, "");
  }
  return 0;
}
