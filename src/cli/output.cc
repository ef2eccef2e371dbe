// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/cli/output.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace jiceng {
namespace {

// The temporaries of the open kReplace outputs: a command has one or two.
std::atomic<const char*> temporaries[8];

}  // namespace

void RemoveOutputTemporaries() {
  for (std::atomic<const char*>& slot : temporaries) {
    if (const char* path = slot.exchange(nullptr)) ::unlink(path);
  }
}

void Output::Register() {
  for (std::atomic<const char*>& slot : temporaries) {
    const char* empty = nullptr;
    if (slot.compare_exchange_strong(empty, temporary_.c_str())) return;
  }
}

void Output::Unregister() {
  for (std::atomic<const char*>& slot : temporaries) {
    const char* mine = temporary_.c_str();
    if (slot.compare_exchange_strong(mine, nullptr)) return;
  }
}

Output::Output(const std::string& path, Mode mode)
    : path_(path == "-" ? std::string() : path) {
  if (path_.empty()) return;  // standard output ("" or "-")
  file_ = nullptr;
  if (mode == kReplace) OpenTemporary();
  if (file_ == nullptr && error_ == 0) {
    file_ = std::fopen(path_.c_str(), "wb");
    if (file_ == nullptr) error_ = errno;
  }
}

void Output::OpenTemporary() {
  struct stat st;
  const bool exists = ::stat(path_.c_str(), &st) == 0;
  if (!exists) {
    // Not there (or a dangling link, which fopen creates through): a new
    // file. Anything else (a directory on the way that is missing, one not
    // searchable) is fopen's to report.
    struct stat link;
    if (errno != ENOENT || ::lstat(path_.c_str(), &link) == 0) return;
  } else if (!S_ISREG(st.st_mode)) {
    return;  // a device or a FIFO: written in place
  } else if (::access(path_.c_str(), W_OK) != 0) {
    error_ = errno;  // as opening it for writing would say
    return;
  }
  std::string target = path_;
  if (exists) {
    // Through any symbolic links, to the file they name.
    char* real = ::realpath(path_.c_str(), nullptr);
    if (real == nullptr) return;
    target = real;
    std::free(real);
  }
  const size_t slash = target.rfind('/');
  std::string temporary =
      slash == std::string::npos
          ? absl::StrCat(".", target, ".XXXXXX")
          : absl::StrCat(target.substr(0, slash + 1), ".",
                         target.substr(slash + 1), ".XXXXXX");
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) return;  // a directory that takes no new file: in place
  mode_t bits;
  if (exists) {
    bits = st.st_mode & 07777;
    // Kept where the user may (root writing another user's file).
    if (::fchown(fd, st.st_uid, st.st_gid) != 0) bits &= 0777;
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    bits = 0666 & ~mask;
  }
  std::FILE* f = ::fchmod(fd, bits) == 0 ? ::fdopen(fd, "wb") : nullptr;
  if (f == nullptr) {
    ::close(fd);
    ::unlink(temporary.c_str());
    return;
  }
  file_ = f;
  temporary_ = std::move(temporary);
  target_ = std::move(target);
  Register();
}

Output::~Output() {
  if (file_ != nullptr && file_ != stdout) std::fclose(file_);
  if (!temporary_.empty()) {
    Unregister();
    ::unlink(temporary_.c_str());
  }
}

absl::Status Output::opened() const {
  return file_ != nullptr ? absl::OkStatus() : CannotWrite(error_);
}

absl::Status Output::Write(absl::string_view bytes) {
  if ((!bytes.empty() &&
       std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) ||
      std::fflush(file_) != 0) {
    return CannotWrite(errno);
  }
  return absl::OkStatus();
}

absl::Status Output::Close() {
  std::FILE* f = file_;
  file_ = nullptr;
  bool ok = f == stdout ? std::fflush(f) == 0 : std::fclose(f) == 0;
  int err = errno;
  if (!temporary_.empty()) {
    Unregister();
    if (ok && std::rename(temporary_.c_str(), target_.c_str()) != 0) {
      ok = false;
      err = errno;
    }
    if (!ok) ::unlink(temporary_.c_str());
    temporary_.clear();
  }
  return ok ? absl::OkStatus() : CannotWrite(err);
}

absl::Status Output::CannotWrite(int err) const {
  // Standard output is no file name: unquoted, as Main says it.
  return absl::UnavailableError(
      path_.empty()
          ? absl::StrCat("cannot write standard output: ", std::strerror(err))
          : absl::StrCat("cannot write \"", path_, "\": ", std::strerror(err)));
}

}  // namespace jiceng
