// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// libFuzzer target of the streaming assessment (jc_assessment_start, _add,
// _finish) on the sample engine, checked against jc_engine_assess. The
// first byte picks how many frames each add takes (1 to 8); the rest is a
// length-delimited stream of jiceng.v1.CaseRecord, fed in those parts (a
// frame cut short goes in a last part of its own). Besides the checks of
// fuzz_common.h:
//   - when the stream is whole, jc_engine_assess over an AssessRequest of
//     the same records gives the same status and, on success, the same
//     bytes; a problem Assess finds in a record ("records[i] ...") is
//     named in the same words;
//   - after a failed add, the next add and finish repeat its status and
//     message; once finished, add and finish give JC_FAILED_PRECONDITION.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "jiceng/jiceng.h"
#include "jiceng/v1/assessment.pb.h"
#include "tests/fuzz/fuzz_common.h"

namespace {

// The frames of `stream`: their [begin, end) offsets with the prefix;
// *whole is false when the last one is cut short (it is then the rest).
std::vector<std::pair<size_t, size_t>> Frames(const uint8_t* p, size_t n,
                                              bool* whole) {
  std::vector<std::pair<size_t, size_t>> frames;
  size_t pos = 0;
  *whole = true;
  while (pos < n) {
    uint64_t len = 0;
    size_t q = pos;
    int shift = 0;
    bool done = false;
    while (q < n && shift < 35) {
      const uint8_t b = p[q++];
      len |= uint64_t{b & 0x7Fu} << shift;
      shift += 7;
      if ((b & 0x80u) == 0) {
        done = true;
        break;
      }
    }
    if (!done || len > n - q) {
      *whole = false;
      frames.emplace_back(pos, n);
      break;
    }
    frames.emplace_back(pos, q + len);
    pos = q + len;
  }
  return frames;
}

// The status and message (or output) of a call; frees them.
struct Result {
  jc_status status;
  std::string bytes;  // the output on JC_OK, else the message
};

Result Take(const char* what, jc_status status, char* error, void* out,
            size_t out_size, google::protobuf::MessageLite* parsed) {
  Result r{status, {}};
  if (status == JC_OK && out != jiceng_fuzz::Untouched()) {
    r.bytes.assign(static_cast<const char*>(out), out_size);
  } else if (status != JC_OK && error != nullptr) {
    r.bytes = error;
  }
  jiceng_fuzz::CheckCall(what, status, error, out, out_size, parsed);
  return r;
}

// The same for a call without an output (jc_assessment_add).
Result TakeStatus(const char* what, jc_status status, char* error) {
  if (status == JC_OK) {
    if (error != nullptr) jiceng_fuzz::Die(what, status, "JC_OK, a message");
    return Result{status, {}};
  }
  return Take(what, status, error, jiceng_fuzz::Untouched(), 0, nullptr);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t per_add = data[0] % 8 + 1;
  const uint8_t* stream = data + 1;
  const size_t n = size - 1;
  bool whole = true;
  const std::vector<std::pair<size_t, size_t>> frames =
      Frames(stream, n, &whole);
  const jc_engine* engine = jiceng_fuzz::SampleEngine();

  jc_assessment* a = nullptr;
  char* error = nullptr;
  jc_status s = jc_assessment_start(engine, nullptr, 0, &a, &error);
  if (s != JC_OK) jiceng_fuzz::Die("jc_assessment_start", s, error);

  Result got{JC_OK, {}};
  for (size_t f = 0; f < frames.size() && got.status == JC_OK;) {
    size_t last = std::min(frames.size(), f + per_add);
    if (!whole && last == frames.size() && f + 1 < last) --last;
    const size_t begin = frames[f].first, end = frames[last - 1].second;
    error = nullptr;
    s = jc_assessment_add(a, stream + begin, end - begin, &error);
    got = TakeStatus("jc_assessment_add", s, error);
    f = last;
  }
  if (got.status != JC_OK) {
    // Failed: the next add and finish say the same.
    error = nullptr;
    s = jc_assessment_add(a, nullptr, 0, &error);
    const Result again = TakeStatus("jc_assessment_add", s, error);
    if (again.status != got.status || again.bytes != got.bytes) {
      jiceng_fuzz::Die("jc_assessment_add", s, "after a failure, another");
    }
  }
  {
    void* out = jiceng_fuzz::Untouched();
    size_t out_size = 0;
    error = nullptr;
    s = jc_assessment_finish(a, &out, &out_size, &error);
    jiceng::v1::AssessmentReport report;
    const Result finished =
        Take("jc_assessment_finish", s, error, out, out_size, &report);
    if (got.status != JC_OK &&
        (finished.status != got.status || finished.bytes != got.bytes)) {
      jiceng_fuzz::Die("jc_assessment_finish", s, "not the add's failure");
    }
    if (got.status == JC_OK) got = finished;
    out = jiceng_fuzz::Untouched();
    error = nullptr;
    s = jc_assessment_finish(a, &out, &out_size, &error);
    if (s != JC_FAILED_PRECONDITION) {
      jiceng_fuzz::Die("jc_assessment_finish", s, "finished twice");
    }
    Take("jc_assessment_finish", s, error, out, out_size, nullptr);
  }
  jc_assessment_destroy(a);

  if (!whole) {
    if (got.status == JC_OK) {
      jiceng_fuzz::Die("jc_assessment_add", got.status, "a cut frame added");
    }
    return 0;
  }
  // The same records as one AssessRequest (field 1, tag 0x0a, each).
  std::string request;
  for (const auto& [begin, end] : frames) {
    request += '\x0a';
    request.append(reinterpret_cast<const char*>(stream) + begin, end - begin);
  }
  if (request.size() > JC_MAX_INPUT_BYTES) return 0;
  void* out = jiceng_fuzz::Untouched();
  size_t out_size = 0;
  error = nullptr;
  s = jc_engine_assess(engine, request.data(), request.size(), &out, &out_size,
                       &error);
  jiceng::v1::AssessmentReport report;
  const Result want =
      Take("jc_engine_assess", s, error, out, out_size, &report);
  if (want.status != got.status) {
    jiceng_fuzz::Die("jc_assessment_*", got.status,
                     "not jc_engine_assess's status");
  }
  const bool same_words =
      want.status == JC_OK || want.bytes.rfind("records[", 0) == 0;
  if (same_words && want.bytes != got.bytes) {
    jiceng_fuzz::Die("jc_assessment_*", got.status,
                     "not jc_engine_assess's bytes or message");
  }
  return 0;
}
