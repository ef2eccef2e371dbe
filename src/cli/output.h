// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header of the jiceng command: not installed.

#ifndef JICENG_SRC_CLI_OUTPUT_H_
#define JICENG_SRC_CLI_OUTPUT_H_

#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace jiceng {

// Where a command writes: standard output or a file, opened before the
// work so that one that cannot be written is told at once, with the
// system's reason. Every command that writes a file writes through it.
//
// Two ways to write a file:
//  - kReplace (a dataset, a snapshot, a report, records): the bytes go to a
//    temporary file beside it (".NAME.XXXXXX", with the file's permission
//    bits, or those a new file gets), renamed over it by Close(). Until
//    then the file keeps what it held: when the work fails, the temporary
//    is removed (by the destructor) and the file is as it was; a command
//    killed on the way leaves the file as it was too, and its temporary. A
//    symbolic link to a regular file stays a link: the file it names is
//    replaced. A file the user may not write is refused (EACCES), as opening it
//    would be.
//  - kStream (route's decisions): the file is truncated at once and each
//    part is written as it is routed, so that a reader following it sees
//    the parts come; a failure leaves the parts written before it.
// A path that is not a regular file (/dev/null, /dev/full, a FIFO) and one
// whose directory takes no new file are written in place either way.
//
// Example:
//   Output out(args.output, Output::kReplace);  // "" or "-": standard output
//   if (absl::Status s = out.opened(); !s.ok()) return Fail(s);
//   ... the work (a return here leaves the file as it was) ...
//   absl::Status s = out.Write(bytes);
//   if (s.ok()) s = out.Close();
class Output {
 public:
  enum Mode { kReplace, kStream };

  Output(const std::string& path, Mode mode);
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;
  // Without Close(): closes the file and removes the temporary (kReplace).
  ~Output();

  // OK, or why the file cannot be written (UNAVAILABLE naming it, or
  // "standard output").
  absl::Status opened() const;
  // Writes and flushes a part's bytes (a live stream's reader sees each
  // part as it is routed).
  absl::Status Write(absl::string_view bytes);
  // Closes the file; kReplace then renames the temporary over it.
  absl::Status Close();

 private:
  // kReplace: opens the temporary beside the file, if it can.
  void OpenTemporary();
  absl::Status CannotWrite(int err) const;

  // The temporary, as RemoveOutputTemporaries() finds it, while it is ours.
  void Register();
  void Unregister();

  const std::string path_;
  std::FILE* file_ = stdout;
  int error_ = 0;          // errno when the file could not be opened
  std::string temporary_;  // kReplace: the temporary's path, until renamed
  std::string target_;     // kReplace: the file it replaces
};

// Removes the temporary file of every Output (kReplace) not yet closed,
// allocating nothing and taking no lock: for a process about to end at once
// (out of memory, see jiceng_main.cc), so that it leaves no temporary
// file behind. Async-signal-safe; may race only with an Output being opened or
// closed on another thread, which the command-line tool does not do.
void RemoveOutputTemporaries();

}  // namespace jiceng

#endif  // JICENG_SRC_CLI_OUTPUT_H_
