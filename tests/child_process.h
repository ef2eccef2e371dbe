// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Test-only: runs this test binary again in a child process with one more
// environment variable, NAME=PATH, and returns what the child wrote to
// PATH, a new file of its own in the test's temporary directory (so that
// runs side by side, from other build trees or CI jobs, never share one).
// The tests that compare output across processes (determinism, snapshots)
// use it; their main() does the child's work when NAME is set.
//
// Example:
//   const std::string a = RunSelfWriting("JICENG_X_OUT");

#ifndef JICENG_TESTS_CHILD_PROCESS_H_
#define JICENG_TESTS_CHILD_PROCESS_H_

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gtest/gtest.h"

extern char** environ;

namespace jiceng {

// Spawns /proc/self/exe with the current environment plus `name`=PATH,
// PATH a new empty file, waits for it (a non-zero exit fails the test) and
// returns the bytes of PATH (empty when the child wrote none), removing it.
inline std::string RunSelfWriting(const char* name) {
  std::string path = ::testing::TempDir() + "jiceng_child_XXXXXX";
  const int fd = mkstemp(path.data());
  EXPECT_GE(fd, 0) << path;
  if (fd < 0) return {};
  close(fd);
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  env.push_back(std::string(name) + "=" + path);
  std::vector<char*> envp;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  const std::string self = "/proc/self/exe";
  std::string arg0 = "child";
  char* argv[] = {arg0.data(), nullptr};
  pid_t pid = 0;
  EXPECT_EQ(posix_spawn(&pid, self.c_str(), nullptr, nullptr, argv,
                        envp.data()),
            0);
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  std::string bytes;
  {
    std::ifstream f(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(f), {});
  }
  std::remove(path.c_str());
  return bytes;
}

}  // namespace jiceng

#endif  // JICENG_TESTS_CHILD_PROCESS_H_
