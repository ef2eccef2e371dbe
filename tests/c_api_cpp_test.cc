// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The C ABI from a C++ program linked against libjiceng.so only (pitfall
// 2), with the allocator replaced (alloc_counter.h):
//   - one engine used by many threads at once (convention 7; ctypes
//     releases the GIL) routes every sample case to the C++ API's bytes;
//   - jc_engine_route_into makes no heap allocation per call in steady
//     state, over every sample case that routes, and neither does
//     jc_engine_route_service_into over the service requests
//     c_api_expected wrote, each answered as the C++ API does;
//   - out of memory (issue #8): every entry point, engine creation and
//     dataset validation included, with operator new made to throw
//     std::bad_alloc at each allocation in turn, returns JC_OK or
//     JC_RESOURCE_EXHAUSTED — no exception escapes, nothing terminates,
//     the heap stays sound (under ASan + UBSan too, where leaks also fail
//     the test) — and afterwards the engines still route every sample case
//     to the same bytes as the C++ API.
//
//   c_api_cpp_test DATA_DIR SOURCE_DIR
//     (DATA_DIR written by c_api_expected; SOURCE_DIR the checkout, for the
//     sample dataset's text and tests/data/every_error.textproto)

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "jiceng/jiceng.h"
#include "tests/alloc_counter.h"

namespace {

std::string g_data_dir;
std::string g_source_dir;

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

// The frames of a length-delimited stream (well-formed by construction).
std::vector<std::string> Frames(const std::string& stream) {
  std::vector<std::string> frames;
  size_t pos = 0;
  while (pos < stream.size()) {
    uint64_t len = 0;
    int shift = 0;
    uint8_t b;
    do {
      b = static_cast<uint8_t>(stream[pos++]);
      len |= uint64_t{b & 0x7Fu} << shift;
      shift += 7;
    } while (b & 0x80u);
    frames.push_back(stream.substr(pos, len));
    pos += len;
  }
  return frames;
}

// Wire-format helpers for what the tests read and write.
void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}
void PutString(std::string* out, uint32_t field, const std::string& s) {
  PutVarint(out, (uint64_t{field} << 3) | 2);
  PutVarint(out, s.size());
  out->append(s);
}
void PutVarintField(std::string* out, uint32_t field, uint64_t v) {
  PutVarint(out, uint64_t{field} << 3);
  PutVarint(out, v);
}

// The first `k` fields of a message whose fields are all length-delimited
// (an AssessRequest holding only records).
std::string FirstFields(const std::string& message, size_t k) {
  size_t pos = 0;
  for (size_t field = 0; field < k && pos < message.size(); ++field) {
    for (int varint = 0; varint < 2; ++varint) {  // the tag, then the length
      uint64_t v = 0;
      int shift = 0;
      uint8_t b;
      do {
        b = static_cast<uint8_t>(message[pos++]);
        v |= uint64_t{b & 0x7Fu} << shift;
        shift += 7;
      } while (b & 0x80u);
      if (varint == 1) pos += v;
    }
  }
  return message.substr(0, pos);
}

// The decision bytes (BatchEntry.decision = 3) of an expected entry, or
// empty when the case is an error.
std::string DecisionOf(const std::string& entry) {
  size_t pos = 0;
  std::string decision;
  while (pos < entry.size()) {
    uint64_t tag = 0;
    int shift = 0;
    uint8_t b;
    do {
      b = static_cast<uint8_t>(entry[pos++]);
      tag |= uint64_t{b & 0x7Fu} << shift;
      shift += 7;
    } while (b & 0x80u);
    if ((tag & 7) == 0) {
      while (static_cast<uint8_t>(entry[pos++]) & 0x80u) {
      }
    } else {  // BatchEntry has only varints and length-delimited fields
      uint64_t len = 0;
      shift = 0;
      do {
        b = static_cast<uint8_t>(entry[pos++]);
        len |= uint64_t{b & 0x7Fu} << shift;
        shift += 7;
      } while (b & 0x80u);
      if ((tag >> 3) == 3) decision = entry.substr(pos, len);
      pos += len;
    }
  }
  return decision;
}

struct Sample {
  std::vector<std::string> cases;
  std::vector<std::string> decisions;  // empty: the case is an error
  std::string stream;                  // the cases, length-delimited
};

const Sample& TheSample() {
  static const Sample* const sample = [] {
    auto* s = new Sample;
    s->stream = ReadFile(g_data_dir + "/sample_cases.binpb");
    s->cases = Frames(s->stream);
    for (const std::string& e :
         Frames(ReadFile(g_data_dir + "/expected.binpb"))) {
      s->decisions.push_back(DecisionOf(e));
    }
    return s;
  }();
  return *sample;
}

jc_engine* NewSampleEngine() {
  jc_engine* engine = nullptr;
  EXPECT_EQ(jc_engine_create_sample(&engine, nullptr), JC_OK);
  return engine;
}

// One jc_engine_route_into call into `buffer`: its status, the decision's
// bytes, and the heap allocations the call made (counted before anything
// else allocates).
struct RoutedInto {
  jc_status status;
  std::string decision;
  int64_t allocations;
};
RoutedInto RouteIntoCounting(const jc_engine* engine, const std::string& c,
                             std::vector<char>* buffer) {
  size_t size = 0;
  jiceng_test::AllocationScope scope;
  const jc_status s = jc_engine_route_into(engine, c.data(), c.size(), 0,
                                           buffer->data(), buffer->size(),
                                           &size, nullptr);
  const int64_t n = scope.count();
  return {s, s == JC_OK ? std::string(buffer->data(), size) : std::string(),
          n};
}

// Routes every sample case through both routing entry points and expects
// the C++ API's bytes.
void ExpectRoutesLikeCpp(const jc_engine* engine) {
  const Sample& sample = TheSample();
  ASSERT_EQ(sample.cases.size(), sample.decisions.size());
  ASSERT_GT(sample.cases.size(), 10u);
  std::vector<char> buffer(1 << 16);
  for (size_t i = 0; i < sample.cases.size(); ++i) {
    const std::string& c = sample.cases[i];
    void* out = nullptr;
    size_t size = 0;
    const jc_status s =
        jc_engine_route(engine, c.data(), c.size(), 0, &out, &size, nullptr);
    if (sample.decisions[i].empty()) {
      EXPECT_NE(s, JC_OK) << "case " << i;
      continue;
    }
    ASSERT_EQ(s, JC_OK) << "case " << i;
    EXPECT_EQ(std::string(static_cast<char*>(out), size), sample.decisions[i])
        << "case " << i;
    jc_free(out);
    ASSERT_EQ(jc_engine_route_into(engine, c.data(), c.size(), 0,
                                   buffer.data(), buffer.size(), &size,
                                   nullptr),
              JC_OK)
        << "case " << i;
    EXPECT_EQ(std::string(buffer.data(), size), sample.decisions[i])
        << "case " << i;
  }
}

TEST(CApiThreads, OneEngineRoutesTheSameOnEveryThread) {
  jc_engine* engine = NewSampleEngine();
  ASSERT_NE(engine, nullptr);
  const Sample& sample = TheSample();
  constexpr int kThreads = 4;
  constexpr int kRounds = 5;
  // Mismatches per thread (no gtest assertion off the main thread).
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<char> buffer(1 << 16);
      for (int round = 0; round < kRounds; ++round) {
        // Each thread starts at a different case.
        for (size_t k = 0; k < sample.cases.size(); ++k) {
          const size_t i = (k + static_cast<size_t>(t) * 37) %
                           sample.cases.size();
          const std::string& c = sample.cases[i];
          size_t size = 0;
          const jc_status s = jc_engine_route_into(
              engine, c.data(), c.size(), 0, buffer.data(), buffer.size(),
              &size, nullptr);
          const bool ok =
              sample.decisions[i].empty()
                  ? s != JC_OK
                  : s == JC_OK &&
                        std::string(buffer.data(), size) == sample.decisions[i];
          mismatches[static_cast<size_t>(t)] += ok ? 0 : 1;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(mismatches[static_cast<size_t>(t)], 0) << "thread " << t;
  }
  jc_engine_destroy(engine);
}

// Zero heap allocations per jc_engine_route_into call in steady state:
// parsing reuses the thread's Case, the decision is written as wire bytes
// (Router::AppendDecision) into the thread's reused string, then copied
// into the caller's buffer. The library-buffer variant adds exactly its
// result buffer.
TEST(CApiAllocation, RouteIntoAllocatesNothingInSteadyState) {
  // Under ThreadSanitizer nothing is counted: the bytes are still checked.
  const bool counted = jiceng_test::AllocationCountingAvailable();
  jc_engine* engine = NewSampleEngine();
  ASSERT_NE(engine, nullptr);
  const Sample& sample = TheSample();
  std::vector<char> buffer(1 << 16);
  auto route_all = [&](std::vector<int64_t>* per_case) {
    for (size_t i = 0; i < sample.cases.size(); ++i) {
      if (sample.decisions[i].empty()) continue;
      const RoutedInto r = RouteIntoCounting(engine, sample.cases[i], &buffer);
      ASSERT_EQ(r.status, JC_OK) << "case " << i;
      ASSERT_EQ(r.decision, sample.decisions[i]) << "case " << i;
      if (per_case != nullptr) (*per_case)[i] = r.allocations;
    }
  };
  // Warm-up: the thread's scratch grows to the largest case once.
  route_all(nullptr);
  std::vector<int64_t> allocations(sample.cases.size(), 0);
  route_all(&allocations);
  int64_t routed = 0;
  for (size_t i = 0; i < sample.cases.size(); ++i) {
    if (sample.decisions[i].empty()) continue;
    ++routed;
    if (counted) {
      EXPECT_EQ(allocations[i], 0) << "case " << i;
    }
  }
  EXPECT_GT(routed, 10);

  // The same case over and over: nothing at all; the library-buffer
  // variant: its result buffer only.
  const std::string& c = sample.cases[0];
  ASSERT_FALSE(sample.decisions[0].empty());
  {
    jiceng_test::AllocationScope scope;
    for (int i = 0; i < 1000; ++i) {
      size_t size = 0;
      ASSERT_EQ(jc_engine_route_into(engine, c.data(), c.size(), 0,
                                     buffer.data(), buffer.size(), &size,
                                     nullptr),
                JC_OK);
    }
    if (counted) {
      EXPECT_EQ(scope.count(), 0);
    }
  }
  {
    jiceng_test::AllocationScope scope;
    void* out = nullptr;
    size_t size = 0;
    ASSERT_EQ(
        jc_engine_route(engine, c.data(), c.size(), 0, &out, &size, nullptr),
        JC_OK);
    // The result is malloc'd: counted unless a sanitizer owns malloc.
    EXPECT_EQ(scope.count(), jiceng_test::MallocCounted() ? 1 : 0);
    jc_free(out);
  }
  jc_engine_destroy(engine);
}

// A call with a large input leaves nothing of it behind on the thread.
// The case is read as a view of the caller's bytes, so 4 MiB of free text
// is never copied: routing it allocates nothing, the first time as every
// time. What a view does grow — its list of attributes, past the 16 a case
// may have — is dropped after a large input, so that a pool of threads that
// each once saw one does not keep its megabytes: the same large case read
// twice allocates both times, while an ordinary case routed again
// allocates nothing.
TEST(CApiAllocation, ALargeCaseIsNotKeptByTheThread) {
  const bool counted = jiceng_test::AllocationCountingAvailable();
  jc_engine* engine = NewSampleEngine();
  ASSERT_NE(engine, nullptr);
  const Sample& sample = TheSample();
  ASSERT_FALSE(sample.decisions[0].empty());
  const std::string& small = sample.cases[0];
  // Case 0 with 4 MiB of free text (field 10, bytes), which routing
  // ignores: the decision is the same.
  std::string long_text = small;
  const size_t text = size_t{4} << 20;
  long_text += '\x52';
  PutVarint(&long_text, text);
  long_text.append(text, 'x');
  // Case 0 with 200,000 empty attributes (field 8): refused, after all of
  // them were read.
  std::string many = small;
  for (int i = 0; i < 200000; ++i) many += std::string("\x42\x00", 2);
  std::thread t([&] {  // a thread of its own: a fresh scratch
    std::vector<char> buffer(1 << 16);
    auto route = [&](const std::string& c) {
      const RoutedInto r = RouteIntoCounting(engine, c, &buffer);
      EXPECT_EQ(r.status, JC_OK);
      EXPECT_EQ(r.decision, sample.decisions[0]);
      return r.allocations;
    };
    auto refuse = [&](const std::string& c) {
      const RoutedInto r = RouteIntoCounting(engine, c, &buffer);
      EXPECT_EQ(r.status, JC_INVALID_ARGUMENT);
      return r.allocations;
    };
    route(small);
    const int64_t long_text_first = route(long_text);
    const int64_t long_text_again = route(long_text);
    refuse(many);
    const int64_t many_again = refuse(many);
    route(small);
    const int64_t small_again = route(small);
    if (counted) {
      EXPECT_EQ(long_text_first, 0) << "the free text was copied";
      EXPECT_EQ(long_text_again, 0) << "the free text was copied";
      EXPECT_GT(many_again, 0) << "the large case's attributes were kept";
      EXPECT_EQ(small_again, 0);
    }
  });
  t.join();
  jc_engine_destroy(engine);
}

// jc_engine_route_service_into gives the C++ API's answer to every
// request c_api_expected wrote (decisions byte for byte, errors by code),
// and in steady state allocates nothing: the request is re-parsed into the
// thread's message, the decision written as wire bytes from a
// ServiceResult (AppendServiceDecision) into the thread's buffer.
TEST(CApiAllocation, RouteServiceIntoAnswersAsTheCppApiAndAllocatesNothing) {
  // Under ThreadSanitizer nothing is counted: the bytes are still checked.
  const bool counted = jiceng_test::AllocationCountingAvailable();
  jc_engine* engine = NewSampleEngine();
  ASSERT_NE(engine, nullptr);
  const std::vector<std::string> requests =
      Frames(ReadFile(g_data_dir + "/service_requests.binpb"));
  const std::vector<std::string> expected =
      Frames(ReadFile(g_data_dir + "/service_expected.binpb"));
  ASSERT_EQ(requests.size(), expected.size());
  ASSERT_GT(requests.size(), 100u);
  std::vector<char> buffer(1 << 16);
  int64_t decided = 0, failed = 0;
  auto route_all = [&](bool count) {
    for (size_t i = 0; i < requests.size(); ++i) {
      const std::string& r = requests[i];
      ASSERT_FALSE(expected[i].empty());
      const int code = static_cast<unsigned char>(expected[i][0]);
      size_t size = 0;
      jiceng_test::AllocationScope scope;
      const jc_status s = jc_engine_route_service_into(
          engine, r.data(), r.size(), buffer.data(), buffer.size(), &size,
          nullptr);
      const int64_t n = scope.count();
      ASSERT_EQ(static_cast<int>(s), code) << "request " << i;
      if (code != 0) {
        failed += count;
        continue;
      }
      ASSERT_EQ(std::string(buffer.data(), size), expected[i].substr(1))
          << "request " << i;
      if (count) {
        ++decided;
        if (counted) {
          EXPECT_EQ(n, 0) << "request " << i;
        }
      }
    }
  };
  route_all(false);  // warm-up: the thread's scratch grows once
  route_all(true);
  EXPECT_GT(decided, 100);
  EXPECT_EQ(failed, 5);

  // The library-buffer variant: its result buffer only.
  size_t first_ok = 0;
  while (expected[first_ok][0] != 0) ++first_ok;
  const std::string& r = requests[first_ok];
  jiceng_test::AllocationScope scope;
  void* out = nullptr;
  size_t size = 0;
  ASSERT_EQ(jc_engine_route_service(engine, r.data(), r.size(), &out, &size,
                                    nullptr),
            JC_OK);
  EXPECT_EQ(scope.count(), jiceng_test::MallocCounted() ? 1 : 0);
  EXPECT_EQ(std::string(static_cast<const char*>(out), size),
            expected[first_ok].substr(1));
  jc_free(out);
  jc_engine_destroy(engine);
}

// ---- Out of memory ------------------------------------------------------

// Fails the 1st, 2nd, ... allocation of `call` until it runs without a
// failure; every run must return JC_OK or JC_RESOURCE_EXHAUSTED. `stride`
// > 1 samples every stride-th allocation (for calls making thousands).
// Each run is on a new thread: the routing calls' per-thread scratch starts
// cold there, so the allocations a first call makes are failed too (warm,
// jc_engine_route_into makes none at all).
// Returns the number of runs in which an allocation failed. A call that
// `allocates` must run out of memory at least once; one that does not must
// never allocate (new) at all, even on a fresh thread.
int64_t SweepOutOfMemory(const char* name,
                         const std::function<jc_status()>& call,
                         int64_t stride = 1, bool allocates = true) {
  int64_t exhausted = 0, failed = 0;
  for (int64_t n = 0;; n += stride) {
    jc_status s = JC_UNKNOWN;
    bool triggered = false;
    std::thread run([&] {
      jiceng_test::FailNewAfter(n);
      s = call();
      triggered = jiceng_test::NewFailureTriggered();
      jiceng_test::FailNewAfter(-1);
    });
    run.join();
    if (!triggered) {
      EXPECT_EQ(s, JC_OK) << name << " without a failure";
      if (allocates) {
        EXPECT_GT(exhausted, 0) << name << " never ran out of memory";
      } else {
        EXPECT_EQ(failed, 0) << name << " allocated";
      }
      return failed;
    }
    ++failed;
    EXPECT_TRUE(s == JC_OK || s == JC_RESOURCE_EXHAUSTED)
        << name << " with allocation " << n << " failing returned "
        << jc_status_name(s);
    exhausted += s == JC_RESOURCE_EXHAUSTED;
  }
}

// Allocations one run of `call` makes (to choose a stride).
int64_t CountAllocations(const std::function<jc_status()>& call) {
  jiceng_test::AllocationScope scope;
  EXPECT_EQ(call(), JC_OK);
  return scope.count();
}

// Frees what an entry point returned; error messages too.
struct Outputs {
  void* out = nullptr;
  size_t size = 0;
  char* error = nullptr;
  jc_engine* engine = nullptr;
  jc_status Done(jc_status s) {
    jc_free(out);
    jc_free(error);
    jc_engine_destroy(engine);
    *this = Outputs();
    return s;
  }
};

// An entry point to sweep: fail every allocation, or every stride-th.
// Those parsing a message with a oneof of messages (a dataset's catalogue
// predicates, ApplyRequest.action) included: protobuf 3.21's generated
// parser marks such a oneof as set before allocating its message, so a
// std::bad_alloc there would leave an uninitialised pointer for the
// message's destructor (under ASan, which fills new memory with 0xbe, a
// crash at once); the library parses those types into a message it
// abandons on an exception (src/dataset/wire_check.cc ParseMessage,
// src/dataset/dataset_io.cc ParseDataset), which this sweep proves.
struct Call {
  const char* name;
  std::function<jc_status()> fn;
  int64_t stride = 1;
  // False for a call that allocates nothing through new, even on a fresh
  // thread: the sweep then proves that it does not.
  bool allocates = true;
};

// Sweeps each call, printing how many allocations it makes and how many
// were made to fail.
void SweepEach(const std::vector<Call>& calls) {
  for (const Call& call : calls) {
    // On a warm thread; the sweep's fresh threads may make more.
    const int64_t total = CountAllocations(call.fn);
    const auto start = std::chrono::steady_clock::now();
    const int64_t failed =
        SweepOutOfMemory(call.name, call.fn, call.stride, call.allocates);
    const std::chrono::duration<double> took =
        std::chrono::steady_clock::now() - start;
    std::printf("%-36s %6lld allocations, %6lld runs with one failing (%.1f s)\n",
                call.name, static_cast<long long>(total),
                static_cast<long long>(failed), took.count());
    std::fflush(stdout);  // the lines so far, should a later sweep crash
  }
}

TEST(CApiOutOfMemory, NoEntryPointLetsAnExceptionEscape_Issue8) {
  JICENG_TEST_NEEDS_ALLOCATION_COUNTING();
  jc_engine* engine = NewSampleEngine();
  ASSERT_NE(engine, nullptr);
  const Sample& sample = TheSample();
  const std::string& c = sample.cases[0];
  std::string small_stream;  // three cases, one of them an error
  for (size_t i = 0; i < sample.cases.size() && i < 2; ++i) {
    PutVarint(&small_stream, sample.cases[i].size());
    small_stream += sample.cases[i];
  }
  for (size_t i = 0; i < sample.cases.size(); ++i) {
    if (sample.decisions[i].empty()) {
      PutVarint(&small_stream, sample.cases[i].size());
      small_stream += sample.cases[i];
      break;
    }
  }
  std::string batch_options;  // jiceng.v1.BatchOptions
  PutVarintField(&batch_options, 1, 2);  // threads
  PutString(&batch_options, 2, std::string("\x08\x01", 2));  // explain_text
  PutVarintField(&batch_options, 3, 7);  // first_index
  std::string service;  // jiceng.v1.ServiceRequest
  PutString(&service, 1, "S-1");
  PutString(&service, 2, "RS-GG-001");
  PutVarintField(&service, 3, 320116001001u);
  PutVarintField(&service, 5, 1790647200u);
  std::string admission;  // jiceng.v1.AdmissionRequest
  PutString(&admission, 1, "P-1");
  PutString(&admission, 2, "a duty moved down");
  PutString(&admission, 5, "320116001000");
  PutString(&admission, 6, "RS-GG-001");
  // The closed loop's first requests (a dispatch: the third apply request).
  const std::vector<std::string> apply =
      Frames(ReadFile(g_data_dir + "/apply_requests.binpb"));
  const std::vector<std::string> supervise =
      Frames(ReadFile(g_data_dir + "/supervise_requests.binpb"));
  const std::vector<std::string> assess =
      Frames(ReadFile(g_data_dir + "/assess_requests.binpb"));
  ASSERT_GE(apply.size(), 3u);
  ASSERT_FALSE(supervise.empty());
  ASSERT_FALSE(assess.empty());
  // Every allocation of the sample's assessment (40,000) would take
  // minutes: its first 8 records reach every part of Assess.
  const std::string small_assess = FirstFields(assess[0], 8);
  // The same records as a length-delimited stream (each field less its
  // one-byte tag), for jc_assessment_add, in two parts.
  std::string small_records;
  for (size_t pos = 0; pos < small_assess.size();) {
    const size_t next = FirstFields(small_assess.substr(pos), 1).size();
    small_records += small_assess.substr(pos + 1, next - 1);
    pos += next;
  }
  const size_t records_half = FirstFields(small_assess, 4).size() - 4;
  std::vector<char> buffer(1 << 16);

  Outputs o;
  SweepEach({
      {"jc_engine_info",
       [&] {
         return o.Done(jc_engine_info(engine, &o.out, &o.size, &o.error));
       }},
      // A view of the case and a malloc'd result: nothing through new.
      {"jc_engine_route",
       [&] {
         return o.Done(jc_engine_route(engine, c.data(), c.size(), 0, &o.out,
                                       &o.size, &o.error));
       },
       1, false},
      {"jc_engine_route (explain)",
       [&] {
         return o.Done(jc_engine_route(engine, c.data(), c.size(),
                                       JC_ROUTE_EXPLAIN_TEXT, &o.out, &o.size,
                                       &o.error));
       }},
      {"jc_engine_route_into",
       [&] {
         return o.Done(jc_engine_route_into(
             engine, c.data(), c.size(), JC_ROUTE_EXPLAIN_TEXT, buffer.data(),
             buffer.size(), &o.size, &o.error));
       }},
      {"jc_engine_route_service",
       [&] {
         return o.Done(jc_engine_route_service(engine, service.data(),
                                               service.size(), &o.out, &o.size,
                                               &o.error));
       }},
      {"jc_engine_route_service_into",
       [&] {
         return o.Done(jc_engine_route_service_into(
             engine, service.data(), service.size(), buffer.data(),
             buffer.size(), &o.size, &o.error));
       }},
      {"jc_engine_route_batch (1 thread)",
       [&] {
         return o.Done(jc_engine_route_batch(engine, small_stream.data(),
                                             small_stream.size(), 1, &o.out,
                                             &o.size, &o.error));
       }},
      {"jc_engine_route_batch (2 threads)",
       [&] {
         return o.Done(jc_engine_route_batch(engine, small_stream.data(),
                                             small_stream.size(), 2, &o.out,
                                             &o.size, &o.error));
       }},
      {"jc_engine_route_batch_with (explained, 2 threads, from case 7)",
       [&] {
         return o.Done(jc_engine_route_batch_with(
             engine, small_stream.data(), small_stream.size(),
             batch_options.data(), batch_options.size(), &o.out, &o.size,
             &o.error));
       }},
      {"jc_engine_diff",
       [&] {
         return o.Done(jc_engine_diff(engine, engine, small_stream.data(),
                                      small_stream.size(), &o.out, &o.size,
                                      &o.error));
       }},
      {"jc_engine_review_admission",
       [&] {
         return o.Done(jc_engine_review_admission(
             engine, admission.data(), admission.size(), &o.out, &o.size,
             &o.error));
       }},
      {"jc_engine_apply (dispatch)",
       [&] {
         return o.Done(jc_engine_apply(engine, apply[2].data(),
                                       apply[2].size(), &o.out, &o.size,
                                       &o.error));
       }},
      {"jc_engine_supervise",
       [&] {
         return o.Done(jc_engine_supervise(engine, supervise[0].data(),
                                           supervise[0].size(), &o.out,
                                           &o.size, &o.error));
       }},
      {"jc_engine_assess",
       [&] {
         return o.Done(jc_engine_assess(engine, small_assess.data(),
                                        small_assess.size(), &o.out, &o.size,
                                        &o.error));
       }},
      {"jc_engine_analyze",
       [&] {
         return o.Done(jc_engine_analyze(engine, &o.out, &o.size, &o.error));
       }},
      // Start, two adds, finish. An add that ran out of memory leaves the
      // assessment failed: the next add says so again.
      {"jc_assessment_*",
       [&] {
         jc_assessment* a = nullptr;
         jc_status s = jc_assessment_start(engine, nullptr, 0, &a, &o.error);
         if (s != JC_OK) return o.Done(s);
         s = jc_assessment_add(a, small_records.data(), records_half, &o.error);
         if (s == JC_OK) {
           s = jc_assessment_add(a, small_records.data() + records_half,
                                 small_records.size() - records_half, &o.error);
         }
         if (s == JC_RESOURCE_EXHAUSTED) {
           jc_free(o.error);
           o.error = nullptr;
           EXPECT_EQ(jc_assessment_add(a, nullptr, 0, &o.error),
                     JC_RESOURCE_EXHAUSTED);
         }
         if (s == JC_OK) s = jc_assessment_finish(a, &o.out, &o.size, &o.error);
         jc_assessment_destroy(a);
         return o.Done(s);
       }},
      {"jc_engine_save_snapshot",
       [&] {
         return o.Done(
             jc_engine_save_snapshot(engine, &o.out, &o.size, &o.error));
       }},
  });

  // The engine that lived through it, and a new one, route as before.
  ExpectRoutesLikeCpp(engine);
  jc_engine* fresh = NewSampleEngine();
  ASSERT_NE(fresh, nullptr);
  ExpectRoutesLikeCpp(fresh);
  jc_engine_destroy(fresh);
  jc_engine_destroy(engine);
}

// Engine creation and dataset validation fill Abseil hash tables, which in
// Abseil 20220623 are not exception-safe when they grow or when an element's
// constructor throws (src/base/hash_tables.h): before the compile paths
// inserted only through SafeEmplace/SafeInsert, a std::bad_alloc there ended
// in "free(): invalid pointer". Every allocation of each, in binary and text
// and with a dataset full of errors (every validation rule's report path);
// the engine created before keeps routing. (jc_sample_dataset allocates
// with malloc only, which is never made to fail.)
TEST(CApiOutOfMemory, Issue8_DatasetEntryPointsSurviveEveryAllocationFailure) {
  JICENG_TEST_NEEDS_ALLOCATION_COUNTING();
  jc_engine* engine = NewSampleEngine();
  ASSERT_NE(engine, nullptr);
  const std::string text_dataset =
      g_source_dir + "/src/sample/sample_dataset.textproto";
  const std::string every_error =
      ReadFile(g_source_dir + "/tests/data/every_error.textproto");
  ASSERT_FALSE(every_error.empty());
  std::string dataset;
  {
    void* p = nullptr;
    size_t n = 0;
    ASSERT_EQ(jc_sample_dataset(&p, &n, nullptr), JC_OK);
    dataset.assign(static_cast<char*>(p), n);
    jc_free(p);
  }
  std::string snapshot;
  {
    void* p = nullptr;
    size_t n = 0;
    ASSERT_EQ(jc_engine_save_snapshot(engine, &p, &n, nullptr), JC_OK);
    snapshot.assign(static_cast<char*>(p), n);
    jc_free(p);
  }
  Outputs o;
  SweepEach({
      {"jc_dataset_validate",
       [&] {
         return o.Done(jc_dataset_validate(dataset.data(), dataset.size(),
                                           JC_FORMAT_BINARY, &o.out, &o.size,
                                           &o.error));
       }},
      {"jc_dataset_validate (every error)",
       [&] {
         return o.Done(jc_dataset_validate(every_error.data(),
                                           every_error.size(), JC_FORMAT_TEXT,
                                           &o.out, &o.size, &o.error));
       }},
      {"jc_engine_create",
       [&] {
         return o.Done(jc_engine_create(dataset.data(), dataset.size(),
                                        JC_FORMAT_BINARY, &o.engine, &o.error));
       }},
      {"jc_engine_create_sample",
       [&] { return o.Done(jc_engine_create_sample(&o.engine, &o.error)); }},
      {"jc_engine_create_from_snapshot",
       [&] {
         return o.Done(jc_engine_create_from_snapshot(
             snapshot.data(), snapshot.size(), &o.engine, &o.error));
       }},
      {"jc_engine_create_from_file (text)",
       [&] {
         return o.Done(jc_engine_create_from_file(
             text_dataset.c_str(), JC_FORMAT_AUTO, &o.engine, &o.error));
       },
       // 21,700 allocations, minutes for all: every 16th (the text parser's
       // every allocation is failed in "every error" above).
       16},
  });
  ExpectRoutesLikeCpp(engine);
  jc_engine_destroy(engine);
}

}  // namespace

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  if (argc != 3) {
    std::fprintf(stderr, "usage: c_api_cpp_test DATA_DIR SOURCE_DIR\n");
    return 2;
  }
  g_data_dir = argv[1];
  g_source_dir = argv[2];
  return RUN_ALL_TESTS();
}
