// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header of the jiceng command: not installed.

#ifndef JICENG_SRC_CLI_OUTPUT_H_
#define JICENG_SRC_CLI_OUTPUT_H_

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace jiceng {

// Where a command writes: standard output or a file, opened before the
// work so that one that cannot be written is told at once, with the
// system's reason. Every command that writes a file writes through it.
//
// Example:
//   Output out(args.output);  // "" for standard output
//   if (absl::Status s = out.opened(); !s.ok()) return Fail(s);
//   ... the work ...
//   absl::Status s = out.Write(bytes);
//   if (s.ok()) s = out.Close();
class Output {
 public:
  explicit Output(const std::string& path) : path_(path) {
    if (!path.empty()) file_ = std::fopen(path.c_str(), "wb");
  }
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;
  ~Output() {
    if (file_ != nullptr && file_ != stdout) std::fclose(file_);
  }
  absl::Status opened() const {
    return file_ != nullptr ? absl::OkStatus() : CannotWrite(errno);
  }
  // Writes and flushes a part's bytes (a live stream's reader sees each
  // part as it is routed).
  absl::Status Write(absl::string_view bytes) {
    if ((!bytes.empty() &&
         std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) ||
        std::fflush(file_) != 0) {
      return CannotWrite(errno);
    }
    return absl::OkStatus();
  }
  absl::Status Close() {
    std::FILE* f = file_;
    file_ = nullptr;
    const bool ok = f == stdout ? std::fflush(f) == 0 : std::fclose(f) == 0;
    return ok ? absl::OkStatus() : CannotWrite(errno);
  }

 private:
  absl::Status CannotWrite(int err) const {
    return absl::UnavailableError(
        absl::StrCat("cannot write \"", path_.empty() ? "standard output" : path_,
                     "\": ", std::strerror(err)));
  }
  const std::string path_;
  std::FILE* file_ = stdout;
};

}  // namespace jiceng

#endif  // JICENG_SRC_CLI_OUTPUT_H_
