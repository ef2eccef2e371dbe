// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Determinism (issue #8): the same dataset and inputs give identical output
// bytes — across calls, across engines compiled from the same bytes, across
// dataset formats, across batch thread counts (1, 2, 8, hardware), and
// across processes (each a fresh exec, so hash seeds and addresses differ).
// The C ABI's source is linked in with the static core (see transcript.h).

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "jiceng/jiceng.h"
#include "tests/child_process.h"
#include "tests/transcript.h"

namespace jiceng {
namespace {

constexpr char kOutEnv[] = "JICENG_DETERMINISM_OUT";

jc_engine* SampleEngine() {
  jc_engine* e = nullptr;
  EXPECT_EQ(jc_engine_create_sample(&e, nullptr), JC_OK);
  return e;
}

TEST(Determinism, AcrossCallsAndEngines) {
  const SampleInputs& in = SampleInputs::Get();
  jc_engine* a = SampleEngine();
  jc_engine* b = SampleEngine();
  const std::string first = Transcript(a, in, 1);
  EXPECT_EQ(first, Transcript(a, in, 1));
  EXPECT_EQ(first, Transcript(b, in, 1));
  // The transcript is not trivially equal: it holds decisions, records and
  // reports, not only errors.
  EXPECT_GT(first.size(), in.cases.size() * 100);
  for (const char* ok : {"\nroute 0 ", "\nbatch 0 ", "\nservice 0 ",
                         "\nadmission 0 ", "\napply 0 ", "\nsupervise 0 ",
                         "\nassess 0 ", "\nanalyze 0 "}) {
    EXPECT_NE(first.find(ok), std::string::npos) << ok;
  }
  jc_engine_destroy(a);
  jc_engine_destroy(b);
}

TEST(Determinism, AcrossDatasetFormats) {
  const SampleInputs& in = SampleInputs::Get();
  jc_engine* sample = SampleEngine();
  void* bytes = nullptr;
  size_t size = 0;
  ASSERT_EQ(jc_sample_dataset(&bytes, &size, nullptr), JC_OK);
  jc_engine* binary = nullptr;
  ASSERT_EQ(jc_engine_create(bytes, size, JC_FORMAT_BINARY, &binary, nullptr),
            JC_OK);
  jc_engine* text = nullptr;
  ASSERT_EQ(jc_engine_create_from_file("../src/sample/sample_dataset.textproto",
                                       JC_FORMAT_TEXT, &text, nullptr),
            JC_OK);
  const std::string expected = Transcript(sample, in, 1);
  EXPECT_EQ(expected, Transcript(binary, in, 1));
  EXPECT_EQ(expected, Transcript(text, in, 1));
  jc_free(bytes);
  jc_engine_destroy(sample);
  jc_engine_destroy(binary);
  jc_engine_destroy(text);
}

TEST(Determinism, AcrossBatchThreadCounts) {
  const SampleInputs& in = SampleInputs::Get();
  jc_engine* e = SampleEngine();
  const std::string one = Transcript(e, in, 1);
  for (int threads : {2, 8, 0}) {
    EXPECT_EQ(one, Transcript(e, in, threads)) << threads << " threads";
  }
  jc_engine_destroy(e);
}

TEST(Determinism, AcrossProcesses) {
  const std::string a = RunSelfWriting(kOutEnv);
  const std::string b = RunSelfWriting(kOutEnv);
  jc_engine* e = SampleEngine();
  const std::string here = Transcript(e, SampleInputs::Get(), 1);
  jc_engine_destroy(e);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, here);
}

}  // namespace
}  // namespace jiceng

// Started by Determinism.AcrossProcesses with JICENG_DETERMINISM_OUT set,
// the program writes its transcript there instead of running the tests.
int main(int argc, char** argv) {
  if (const char* path = std::getenv(jiceng::kOutEnv)) {
    jc_engine* e = jiceng::SampleEngine();
    std::ofstream(path, std::ios::binary)
        << jiceng::Transcript(e, jiceng::SampleInputs::Get(), 2);
    jc_engine_destroy(e);
    return 0;
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
