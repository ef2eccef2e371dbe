// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/cli/lifecycle_commands.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "src/assessment/records_io.h"
#include "src/base/civil_date.h"
#include "src/base/enum_name.h"
#include "src/base/status_macros.h"
#include "src/base/utf8.h"
#include "src/cli/output.h"
#include "src/dataset/dataset_io.h"
#include "src/engine/engine.h"
#include "src/engine/snapshot.h"
#include "src/lifecycle/supervise.h"
#include "src/sample/sample_dataset.h"
#include "src/sample/sample_lifecycle.h"

namespace jiceng {

bool IsSnapshotFile(const std::string& path) {
  char magic[sizeof(kSnapshotMagic)] = {};
  std::ifstream f(path, std::ios::binary);
  return f.read(magic, sizeof(magic)) &&
         std::equal(magic, magic + sizeof(magic), kSnapshotMagic);
}

absl::StatusOr<std::unique_ptr<const Engine>> EngineFor(
    const std::string& path) {
  if (!path.empty() && IsSnapshotFile(path)) {
    absl::StatusOr<std::string> bytes = ReadFileBytes(path, kMaxDatasetBytes);
    if (!bytes.ok()) return bytes.status();
    absl::StatusOr<std::unique_ptr<const Engine>> engine =
        Engine::LoadSnapshot(*bytes);
    if (!engine.ok()) {
      return WithContext(path, engine.status());
    }
    return engine;
  }
  absl::StatusOr<v1::Dataset> dataset =
      path.empty() ? absl::StatusOr<v1::Dataset>(SampleDataset())
                   : ReadDatasetFile(path, DatasetFormat::kAuto);
  if (!dataset.ok()) return dataset.status();
  return Engine::Compile(*dataset);
}

namespace {

int Fail(const absl::Status& status) {
  std::cerr << "jiceng: " << status.message() << "\n";
  return 1;
}

std::string Short(v1::CaseState s) {
  return EnumSuffix(v1::CaseState_Name(s), 11,
                    static_cast<int>(s));  // after "CASE_STATE_"
}

// Whether `text` is one or more ASCII digits and nothing else; their
// value in *value (REQUIRES: at most 18 digits).
bool Digits(absl::string_view text, int64_t* value) {
  if (text.empty()) return false;
  int64_t v = 0;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
    v = v * 10 + (c - '0');
  }
  *value = v;
  return true;
}

// "records[5] (case S-0060)", the id made printable.
std::string RecordName(int index, const v1::CaseRecord& r) {
  return absl::StrCat(
      "records[", index, "] (case ",
      r.case_().id().empty() ? "\"\"" : Printable(r.case_().id()), ")");
}

bool Overdue(const v1::SupervisionReport& report) {
  for (const v1::StageWarning& w : report.warnings()) {
    if (w.level() == v1::WARNING_LEVEL_RED) return true;
  }
  return false;
}

}  // namespace

absl::optional<SuperviseTime> ParseSuperviseTime(absl::string_view text) {
  // The last second of kMaxYear, as ParseIsoDate bounds a date.
  const int64_t max_unix =
      (int64_t{DaysFromCivil(kMaxYear, 12, 31)} + 1) * 86400 - 1;
  SuperviseTime t;
  int64_t hh = 0, mm = 0;
  if (text.size() <= 12 && Digits(text, &t.seconds)) {
    if (t.seconds > max_unix) return absl::nullopt;
    return t;
  }
  if (text.size() != 16 || text[10] != 'T' || text[13] != ':') {
    return absl::nullopt;
  }
  const absl::optional<int32_t> day = ParseIsoDate(text.substr(0, 10));
  if (!day || !Digits(text.substr(11, 2), &hh) ||
      !Digits(text.substr(14, 2), &mm) || hh > 23 || mm > 59) {
    return absl::nullopt;
  }
  t.seconds = int64_t{*day} * 86400 + hh * 3600 + mm * 60;
  t.local = true;
  return t;
}

int LifecycleCommand(const std::string& dataset_path,
                     const std::string& records_path) {
  // The records' file, opened before the work (none: no records written).
  std::unique_ptr<Output> file;
  if (!records_path.empty()) {
    file = std::make_unique<Output>(records_path, Output::kReplace);
    if (absl::Status s = file->opened(); !s.ok()) return Fail(s);
  }
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      EngineFor(dataset_path);
  if (!engine.ok()) return Fail(engine.status());
  const SampleLifecycleResult result = RunSampleLifecycles(**engine);
  std::map<std::string, int> per_state;
  int64_t returns = 0, reworks = 0, extensions = 0, parks = 0, reopens = 0,
          urges = 0, overdue = 0, whistles = 0, ratings = 0;
  for (const v1::CaseRecord& r : result.records) {
    ++per_state[Short(r.state())];
    returns += r.counters().returns();
    reworks += r.counters().reworks();
    extensions += r.counters().extensions();
    parks += r.counters().parks();
    reopens += r.counters().reopens();
    urges += r.counters().urges();
    whistles += r.counters().whistles();
    ratings += r.ratings_size();
    absl::StatusOr<v1::SupervisionReport> due =
        Supervise(**engine, r, result.end_time);
    if (due.ok() && Overdue(*due)) ++overdue;
  }
  std::cout << result.records.size() << " case records, "
            << result.actions_applied << " actions applied, "
            << result.actions_refused << " refused\n";
  // Why: each refusal (a script step the loop would not take ends that
  // case's script), the first few.
  constexpr size_t kRefusalsShown = 20;
  for (size_t i = 0; i < result.refusals.size() && i < kRefusalsShown; ++i) {
    const SampleRefusal& f = result.refusals[i];
    // The loop's message begins with the action's name already.
    std::cout << "refused: " << f.case_id << " "
              << (absl::StartsWith(f.status.message(), f.action)
                      ? ""
                      : absl::StrCat(f.action, ": "))
              << f.status.message() << "\n";
  }
  if (result.refusals.size() > kRefusalsShown) {
    std::cout << "... " << result.refusals.size() - kRefusalsShown
              << " more refused\n";
  }
  std::cout << "states:";
  for (const auto& [state, n] : per_state) std::cout << " " << state << " " << n;
  std::cout << "\nreturns " << returns << ", reworks " << reworks
            << ", extensions " << extensions << ", parks " << parks
            << ", reopens " << reopens << ", urges " << urges << ", whistles "
            << whistles << ", department ratings " << ratings << "\n"
            << "overdue at the end of the script: " << overdue << "\n";
  if (file != nullptr) {
    const std::string bytes =
        SerializeRecords(result.records, RecordsFormatFromPath(records_path));
    absl::Status written = file->Write(bytes);
    if (written.ok()) written = file->Close();
    if (!written.ok()) return Fail(written);
    std::cerr << "wrote " << result.records.size() << " records to "
              << records_path << "\n";
  }
  return 0;
}

int SuperviseCommand(const std::string& records_path,
                     const std::string& dataset_path,
                     const absl::optional<SuperviseTime>& at) {
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      EngineFor(dataset_path);
  if (!engine.ok()) return Fail(engine.status());
  google::protobuf::RepeatedPtrField<v1::CaseRecord> records_read;
  const absl::Status read = ReadRecordsFile(records_path, &records_read);
  if (!read.ok()) return Fail(read);
  const auto* records = &records_read;
  const WorkCalendar& calendar = (*engine)->calendar();
  // The time, checked before anything is printed: outside the calendar
  // nothing could be supervised.
  int64_t now = 0;
  if (!at) {
    int latest = -1;  // the record whose last action gives the default
    for (int i = 0; i < records->size(); ++i) {
      const v1::CaseRecord& r = (*records)[i];
      if (r.history_size() > 0 && r.history(r.history_size() - 1).at() > now) {
        now = r.history(r.history_size() - 1).at();
        latest = i;
      }
    }
    if (latest < 0) {
      return Fail(absl::InvalidArgumentError(absl::StrCat(
          records_path,
          ": no record has an action time, so the default time (that of the "
          "latest action) could not be derived; give --at TIME")));
    }
    if (absl::Status s = calendar.CheckInstant(now); !s.ok()) {
      const v1::CaseRecord& r = (*records)[latest];
      return Fail(absl::Status(
          s.code(),
          absl::StrCat(records_path, ": ", RecordName(latest, r), " history[",
                       r.history_size() - 1,
                       "].at (the latest action, so the default time): ",
                       s.message(), "; give --at TIME")));
    }
  } else {
    now = at->seconds;
    if (at->local) now -= int64_t{calendar.utc_offset_minutes()} * 60;
    if (absl::Status s = calendar.CheckInstant(now); !s.ok()) {
      return Fail(WithContext("--at", s));
    }
  }
  // A record Supervise refuses (an enum out of the schema, a time outside
  // the calendar) is skipped and named on stderr, as diff skips a case it
  // cannot read; the rest are supervised.
  constexpr int64_t kListed = 20;
  int64_t with_something_due = 0, skipped = 0;
  for (int i = 0; i < records->size(); ++i) {
    const v1::CaseRecord& r = (*records)[i];
    absl::StatusOr<v1::SupervisionReport> due = Supervise(**engine, r, now);
    if (!due.ok()) {
      if (skipped++ < kListed) {
        std::cerr << "skipped " << records_path << ": " << RecordName(i, r)
                  << " "
                  << Printable(
                         absl::StripPrefix(due.status().message(), "record."))
                  << "\n";
      }
      continue;
    }
    std::string line;
    for (const v1::StageWarning& w : due->warnings()) {
      absl::StrAppend(
          &line, " ", w.level() == v1::WARNING_LEVEL_RED ? "RED " : "YELLOW ",
          EnumSuffix(v1::Stage_Name(w.stage()), 6, static_cast<int>(w.stage())),
          " ", w.used_percent(), "% (", Printable(w.holder().code()), ")");
    }
    if (due->urge_due()) absl::StrAppend(&line, " urge-due");
    if (due->has_escalation()) {
      absl::StrAppend(&line, " escalate-to ",
                      Printable(due->escalation().handler().code()), " (level ",
                      due->escalation().level(), ")");
    }
    for (const v1::WhistleCall& c : due->overdue_report_ins()) {
      absl::StrAppend(&line, " report-in-overdue ",
                      Printable(c.department().code()));
    }
    for (const v1::CoHandlerTask& t : due->overdue_co_handlers()) {
      absl::StrAppend(&line, " co-handler-overdue ",
                      Printable(t.handler().code()));
    }
    if (due->extension_pending()) absl::StrAppend(&line, " extension-pending");
    if (due->park_overdue()) absl::StrAppend(&line, " park-overdue");
    if (line.empty()) continue;
    ++with_something_due;
    std::cout << (r.case_().id().empty() ? "-" : Printable(r.case_().id()))
              << " " << Short(r.state()) << ":" << line << "\n";
    // Standard output gone (a closed pipe): Main says so; stop here.
    if (!std::cout) return 1;
  }
  std::cout << with_something_due << " of " << (records->size() - skipped)
            << " cases have something due at " << now << "\n";
  if (skipped > 0) {
    if (skipped > kListed) {
      std::cerr << "... " << (skipped - kListed) << " more skipped\n";
    }
    std::cerr << skipped << " of " << records->size()
              << " records could not be supervised and are not listed\n";
  }
  return 0;
}

}  // namespace jiceng
