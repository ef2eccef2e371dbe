// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: the CLI's lifecycle commands (jiceng_main.cc calls them)
// and the engine every command loads.
//
//   jiceng lifecycle [--dataset FILE] [--out RECORDS]
//       runs the sample lifecycle script, prints a summary to stdout and
//       writes the records (binary stream, or JSON lines for *.jsonl).
//   jiceng supervise RECORDS [--dataset FILE] [--at TIME]
//       what is due on each record at TIME: unix seconds, or
//       YYYY-MM-DDThh:mm in the calendar's local time; default the time of
//       the latest action in RECORDS. TIME's form is checked with the
//       command line (ParseSuperviseTime), before anything is read; that
//       the calendar covers it, before anything is printed (exit 1: "--at:
//       ... is outside the work calendar ..."; without --at, naming the
//       record and history entry it came from, or saying that no record
//       has an action time to derive it from and to give --at). A record
//       Supervise refuses (an enum out of the schema, a time outside the
//       calendar) is skipped and named on stderr with its field —
//       "skipped RECORDS: records[5] (case S-0060) clocks[1].due_at: ..."
//       (the first 20, then a count) — as diff skips an unreadable case;
//       the others are listed and the exit status stays 0. Ids and codes
//       are printed with control characters, line separators, bidi marks
//       and embeddings, and bytes that are not UTF-8 escaped (\xNN,
//       \uNNNN; a backslash as \\): an id cannot start, forge or reorder a
//       line.
//
// Both return the process exit status: 0 ok, 1 bad input.

#ifndef JICENG_SRC_CLI_LIFECYCLE_COMMANDS_H_
#define JICENG_SRC_CLI_LIFECYCLE_COMMANDS_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "src/engine/engine.h"

namespace jiceng {

// The engine of the dataset file at `path` (any format), of the engine
// snapshot at `path` (a file starting with the snapshot magic, see
// src/engine/snapshot.h: loaded, not compiled), or of the embedded sample
// when `path` is empty: what every command's --dataset and --snapshot mean.
absl::StatusOr<std::unique_ptr<const Engine>> EngineFor(
    const std::string& path);

// Whether the file at `path` starts with the snapshot magic ("JICENGSN").
bool IsSnapshotFile(const std::string& path);

int LifecycleCommand(const std::string& dataset_path,
                     const std::string& records_path);

// A TIME of `supervise --at`: unix seconds, or a local date and time
// that the dataset's calendar places (its UTC offset is known only once
// the dataset is loaded).
struct SuperviseTime {
  // Unix seconds; when `local`, seconds from 1970-01-01T00:00 local time.
  int64_t seconds = 0;
  bool local = false;
};

// Parses TIME: unix seconds (digits only, up to 9999-12-31T23:59:59Z), or
// exactly YYYY-MM-DDThh:mm (a real date, hh 00-23, mm 00-59). nullopt for
// anything else: a sign, blanks, trailing characters, a field out of range.
absl::optional<SuperviseTime> ParseSuperviseTime(absl::string_view text);

// `at`: nullopt for the time of the latest action in the records.
int SuperviseCommand(const std::string& records_path,
                     const std::string& dataset_path,
                     const absl::optional<SuperviseTime>& at);

}  // namespace jiceng

#endif  // JICENG_SRC_CLI_LIFECYCLE_COMMANDS_H_
