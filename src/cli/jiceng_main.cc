// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The jiceng command-line tool.
//
//   jiceng validate FILE [--format F]   every problem, one per line; exit 1
//                                       if any error
//   jiceng info [FILE] [--format F] [--json]
//                                       what the engine holds (the embedded
//                                       sample when no FILE)
//   jiceng demo [FILE] [--format F]     the hierarchy, township by township
//   jiceng analyze [FILE] [--format F] [--as-of DATE] [--json]
//                                       the catalogue analysis; exit 1 if
//                                       it finds errors
//   jiceng review-admission REQUEST [--dataset FILE] [--as-of DATE]
//                              [--json]  准入审核 of an AdmissionRequest
//   jiceng route [CASES] [--dataset FILE] [--threads N] [--explain]
//                [--format json|binary|text] [-o FILE] [--progress S]
//   jiceng diff A B [CASES] [--json]    unreadable cases skipped, listed
//   jiceng generate [--preset P] [--seed N] [--format F] [-o FILE]
//                                       P: sample, small, province or
//                                       ten-provinces
//   jiceng assess RECORDS [--dataset FILE] [--from DATE] [--to DATE]
//                 [--html OUT.html] [--json]
//   jiceng workload [DATASET] [--format F] [--preset P] [--seed N]
//                   [--cases N] -o FILE
//                                       the benchmark case stream
//   jiceng version
//   jiceng lifecycle [--dataset FILE] [--out RECORDS]
//   jiceng supervise RECORDS [--dataset FILE] [--at TIME]
//   jiceng snapshot [--dataset FILE] --out FILE   (then --snapshot FILE)
//
// The command line is checked whole before anything is read (exit 2 with
// the usage): an option a command does not take or given twice, values
// (dates, times, numbers) that do not parse, options that contradict or
// would do nothing.

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/wire_format_lite.h"
#include "src/assessment/assess.h"
#include "src/assessment/html_report.h"
#include "src/assessment/records_io.h"
#include "src/assessment/report_table.h"
#include "src/base/civil_date.h"
#include "src/base/enum_name.h"
#include "src/base/status_macros.h"
#include "src/base/utf8.h"
#include "src/catalogue/admission.h"
#include "src/catalogue/analysis.h"
#include "src/cli/case_reader.h"
#include "src/cli/lifecycle_commands.h"
#include "src/cli/output.h"
#include "src/dataset/dataset_io.h"
#include "src/dataset/validate.h"
#include "src/dataset/wire_check.h"
#include "src/engine/engine.h"
#include "src/gen/province_generator.h"
#include "src/gen/workload_generator.h"
#include "src/routing/batch.h"
#include "src/routing/format.h"
#include "src/routing/router.h"
#include "src/sample/sample_cases.h"
#include "src/sample/sample_dataset.h"

namespace jiceng {
namespace {

constexpr char kUsage[] =
    "usage: jiceng <command> [arguments]\n"
    "\n"
    "commands:\n"
    "  validate FILE [--format F]   list every problem of a dataset, one per\n"
    "                               line; exit status 1 if any is an error\n"
    "  info [FILE] [--format F] [--json]\n"
    "                               summary of the compiled engine (the\n"
    "                               embedded sample when FILE is omitted;\n"
    "                               --dataset or --snapshot FILE in place\n"
    "                               of FILE)\n"
    "  demo [FILE] [--format F]     the hierarchy, township by township\n"
    "  analyze [FILE] [--format F] [--as-of YYYY-MM-DD] [--json]\n"
    "                               gaps, overlaps, two leads, unresolved\n"
    "                               roles, delegations without a team,\n"
    "                               expired and retired references; exit\n"
    "                               status 1 if any finding is an error\n"
    "                               (or the overlap check's work limit left\n"
    "                               pairs of rules unexamined)\n"
    "  review-admission REQUEST [--dataset FILE] [--as-of YYYY-MM-DD]\n"
    "                   [--json]    准入审核 of a jiceng.v1.AdmissionRequest\n"
    "                               (JSON, text or binary); admit / needs\n"
    "                               review / reject with the reasons that\n"
    "                               decided it (a bar alone), for\n"
    "                               the request's date, else the dataset's\n"
    "                               effective date; --as-of reviews it for\n"
    "                               that day instead, replacing its date\n"
    "  route [CASES] [--dataset FILE] [--threads N] [--explain]\n"
    "        [--format json|binary|text] [-o FILE] [--progress S]\n"
    "                               route cases (JSON lines, or a length-\n"
    "                               delimited binary stream of "
    "jiceng.v1.Case;\n"
    "                               - reads standard input), a part at a\n"
    "                               time: memory stays flat however long the\n"
    "                               stream; the embedded sample cases when\n"
    "                               CASES is omitted; --threads 0: all cores\n"
    "                               (default 1); progress every S seconds\n"
    "                               (default 1 on a terminal, none when the\n"
    "                               decisions go to it too, else 10) and a\n"
    "                               summary go to stderr\n"
    "  diff A B [CASES] [--json]    the cases whose lead, tier, co-handlers,\n"
    "                               supervisor, enforcement, deadlines,\n"
    "                               escalation or whistle list change from\n"
    "                               dataset A to B, and why\n"
    "                               (CASES as for route, - too); a case that\n"
    "                               cannot be read is skipped and named on\n"
    "                               stderr, and the rest diffed\n"
    "  generate [--preset P] [--seed N] [--format F] [-o FILE]\n"
    "                               a deterministic synthetic dataset; P:\n"
    "                               small (default), province (500 k grids)\n"
    "                               or ten-provinces (5 M grids); or sample:\n"
    "                               the embedded Luhe dataset the commands\n"
    "                               use without one (no --seed)\n"
    "  assess RECORDS [--dataset FILE] [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
    "         [--html OUT.html] [--json]\n"
    "                               考核评价 of case records (a length-\n"
    "                               delimited binary jiceng.v1.CaseRecord\n"
    "                               stream, or JSON lines if the name ends in\n"
    "                               .jsonl) received from --from to --to\n"
    "                               (inclusive local dates, --from not after\n"
    "                               --to): a table, or the AssessmentReport\n"
    "                               as JSON; --html writes a self-contained\n"
    "                               report with charts\n"
    "  workload [DATASET] [--format F] [--preset P] [--seed N] [--cases N]\n"
    "           -o FILE             the benchmark case stream (length-\n"
    "                               delimited Case messages) over DATASET,\n"
    "                               else over the generated preset\n"
    "  version                      the library version\n"
    "  lifecycle [--dataset FILE] [--out RECORDS]\n"
    "                               drive the sample cases through the closed\n"
    "                               loop; summary, and the case records (a\n"
    "                               binary stream, JSON lines for *.jsonl)\n"
    "  supervise RECORDS [--dataset FILE] [--at TIME]\n"
    "                               what is due on each record at TIME (unix\n"
    "                               seconds, or YYYY-MM-DDThh:mm in the\n"
    "                               dataset's local time), by default the\n"
    "                               time of the latest action in RECORDS; a\n"
    "                               record that cannot be supervised is\n"
    "                               skipped and named on stderr\n"
    "  snapshot [--dataset FILE] --out FILE\n"
    "                               compile the dataset (the sample if none)\n"
    "                               and write its engine snapshot: loads in\n"
    "                               milliseconds with --snapshot FILE, which\n"
    "                               every command taking --dataset accepts\n"
    "                               instead; info, analyze and diff take a\n"
    "                               snapshot as a FILE too\n"
    "\n"
    "F is one of auto (default), binary, json, text: the format of the\n"
    "dataset FILE (DATASET for workload, --dataset FILE for info; refused\n"
    "without one), of the output for route and generate. With auto the\n"
    "format comes from the file name (.pb/.bin/.binpb, .json, .textproto/\n"
    ".txtpb/.pbtxt), then from the content.\n"
    "\n"
    "-o - (like no -o) writes standard output; an empty file name is a\n"
    "usage error; --cases is at most 100000000. Each option may be given\n"
    "once, and --dataset and --snapshot not together. Usage errors exit\n"
    "with status 2, failures (standard output that cannot be written,\n"
    "a closed pipe among them) with status 1.\n";

struct Args {
  std::vector<std::string> positional;
  DatasetFormat format = DatasetFormat::kAuto;
  bool json = false;
  std::string preset = "small";
  uint64_t seed = 0;
  bool seed_set = false;
  std::string output;
  absl::optional<int32_t> as_of;  // day numbers (src/base/civil_date.h)
  absl::optional<int32_t> from;
  absl::optional<int32_t> to;
  // --dataset FILE or --snapshot FILE (CheckArgs refuses both).
  std::string dataset;
  bool snapshot = false;  // --snapshot: `dataset` must be an engine snapshot
  int threads = 1;
  bool explain = false;
  absl::optional<SuperviseTime> at;
  std::string html;
  int64_t cases = 0;  // 0: the command's default
  double progress = -1;  // --progress: seconds; < 0: the default
  std::vector<std::string> options;  // the options given, -o as "-o"
};

int Usage(const std::string& error) {
  if (!error.empty()) std::cerr << "jiceng: " << error << "\n\n";
  std::cerr << kUsage;
  return 2;
}

// The part of kUsage about `command` (its lines in the list of commands),
// then the notes after the list; empty for a command the list lacks.
std::string CommandUsage(absl::string_view command) {
  const absl::string_view usage = kUsage;
  const size_t list = usage.find("\ncommands:\n");
  const size_t notes = usage.find("\n\n", list + 1);
  std::string entry;
  bool in = false;
  for (absl::string_view line :
       absl::StrSplit(usage.substr(list + 11, notes - list - 11), '\n')) {
    // A command's first line is indented by two spaces; its own further
    // lines by more.
    const bool first =
        line.size() > 2 && line.substr(0, 2) == "  " && line[2] != ' ';
    if (first) {
      in = absl::StartsWith(line.substr(2), command) &&
           (line.size() == 2 + command.size() ||
            line[2 + command.size()] == ' ');
    }
    if (in) absl::StrAppend(&entry, line, "\n");
  }
  if (entry.empty()) return entry;
  return absl::StrCat("usage: jiceng ", command, " [arguments]\n\n", entry,
                      usage.substr(notes + 1));
}

// `jiceng help COMMAND`, `jiceng COMMAND --help` (or -h): that command's
// usage on standard output, status 0.
int CommandHelp(absl::string_view command) {
  const std::string usage = CommandUsage(command);
  if (usage.empty()) {
    return Usage(absl::StrCat("unknown command \"", command, "\""));
  }
  std::cout << usage;
  return 0;
}

bool ParseFormat(const std::string& s, DatasetFormat* f) {
  if (s == "auto") *f = DatasetFormat::kAuto;
  else if (s == "binary") *f = DatasetFormat::kBinary;
  else if (s == "json") *f = DatasetFormat::kJson;
  else if (s == "text") *f = DatasetFormat::kText;
  else return false;
  return true;
}

// Returns an error message, or "" on success.
// Every option of some command (-o for its synonyms).
const std::set<std::string> kKnownOptions = {
    "--format",   "--json", "--preset", "--seed", "--as-of", "--threads",
    "--cases",    "--progress", "--explain", "--dataset", "--snapshot",
    "--at",       "--from", "--to", "--html", "-o"};

// `accepted`: the options the command takes (-o for its synonyms); one it
// does not take is refused before its value is read.
std::string ParseArgs(int argc, char** argv,
                      const std::vector<std::string>& accepted, Args* args) {
  std::map<std::string, std::string> spelled;  // option -> as first given
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) return false;
      *out = argv[++i];
      return true;
    };
    std::string v;
    // What a usage error quotes of the value given (clipped: it may be long).
    auto got = [&]() {
      return absl::StrCat(" (got \"", Utf8Prefix(v, 64),
                          v.size() > 64 ? "…" : "", "\")");
    };
    // A file name option's value: "" or the error naming the option.
    auto file_name = [&](std::string* out) -> std::string {
      if (!value(out)) return absl::StrCat(a, " needs a file name");
      if (out->empty()) return absl::StrCat(a, " needs a file name (got \"\")");
      return "";
    };
    // A date option's value: "" or the error naming the option and value.
    auto date = [&](absl::optional<int32_t>* out) -> std::string {
      if (!value(&v)) return absl::StrCat(a, " needs a date YYYY-MM-DD");
      *out = ParseIsoDate(v);
      if (!*out) {
        return absl::StrCat(a, ": \"", v, "\" is not a date YYYY-MM-DD");
      }
      return "";
    };
    if (a.size() > 1 && a[0] == '-') {
      const std::string option = a == "--output" || a == "--out" ? "-o" : a;
      if (kKnownOptions.count(option) == 0) {
        return absl::StrCat("unknown option ", a);
      }
      if (std::find(accepted.begin(), accepted.end(), option) ==
          accepted.end()) {
        return absl::StrCat(argv[1], " does not take ", a);
      }
      // Given twice, one of the two would be silently dropped.
      if (const auto [it, first] = spelled.emplace(option, a); !first) {
        return it->second == a ? absl::StrCat(a, " given twice")
                               : absl::StrCat(it->second, " and ", a,
                                              " both given (the same option)");
      }
      args->options.push_back(option);
    }
    if (a == "--format") {
      if (!value(&v)) return "--format needs one of auto, binary, json, text";
      if (!ParseFormat(v, &args->format)) {
        return absl::StrCat("--format needs one of auto, binary, json, text",
                            got());
      }
    } else if (a == "--json") {
      args->json = true;
    } else if (a == "--preset") {
      if (!value(&args->preset)) return "--preset needs a value";
    } else if (a == "--seed") {
      if (!value(&v)) return "--seed needs a non-negative integer";
      if (!absl::SimpleAtoi(v, &args->seed)) {
        // All digits, yet no uint64_t: too large.
        if (!v.empty() &&
            std::all_of(v.begin(), v.end(), absl::ascii_isdigit)) {
          return absl::StrCat("--seed ", Utf8Prefix(v, 64),
                              v.size() > 64 ? "…" : "",
                              " is too large (at most ",
                              std::numeric_limits<uint64_t>::max(), ")");
        }
        return absl::StrCat("--seed needs a non-negative integer", got());
      }
      args->seed_set = true;
    } else if (a == "--as-of") {
      if (std::string e = date(&args->as_of); !e.empty()) return e;
    } else if (a == "--threads") {
      if (!value(&v)) {
        return "--threads needs a number from 0 (all cores) to 64";
      }
      if (!absl::SimpleAtoi(v, &args->threads) || args->threads < 0 ||
          args->threads > 64) {
        return absl::StrCat("--threads needs a number from 0 (all cores) to 64",
                            got());
      }
    } else if (a == "--cases") {
      if (!value(&v)) return "--cases needs a number from 1 to 100000000";
      if (!absl::SimpleAtoi(v, &args->cases) || args->cases < 1 ||
          args->cases > 100000000) {
        return absl::StrCat("--cases needs a number from 1 to 100000000",
                            got());
      }
    } else if (a == "--progress") {
      if (!value(&v)) return "--progress needs a number of seconds, 0 or more";
      if (!absl::SimpleAtod(v, &args->progress) || !(args->progress >= 0)) {
        return absl::StrCat("--progress needs a number of seconds, 0 or more",
                            got());
      }
    } else if (a == "--explain") {
      args->explain = true;
    } else if (a == "--dataset") {
      if (std::string e = file_name(&args->dataset); !e.empty()) return e;
    } else if (a == "--snapshot") {
      if (std::string e = file_name(&args->dataset); !e.empty()) return e;
      args->snapshot = true;
    } else if (a == "--at") {
      if (!value(&v)) return "--at needs a time";
      args->at = ParseSuperviseTime(v);
      if (!args->at) {
        return absl::StrCat("--at: \"", v,
                            "\" is neither unix seconds (to the year 9999) "
                            "nor YYYY-MM-DDThh:mm");
      }
    } else if (a == "--from") {
      if (std::string e = date(&args->from); !e.empty()) return e;
    } else if (a == "--to") {
      if (std::string e = date(&args->to); !e.empty()) return e;
    } else if (a == "--html") {
      if (std::string e = file_name(&args->html); !e.empty()) return e;
    } else if (a == "-o" || a == "--output" || a == "--out") {
      // "" would be standard output (or, for workload, no -o) unasked.
      if (std::string e = file_name(&args->output); !e.empty()) return e;
    } else if (a.size() > 1 && a[0] == '-') {
      return absl::StrCat("unknown option ", a);
    } else {
      args->positional.push_back(a);
    }
  }
  return "";
}

absl::StatusOr<v1::Dataset> LoadDataset(const Args& args) {
  if (args.positional.empty()) return SampleDataset();
  return ReadDatasetFile(args.positional[0], args.format);
}

int Fail(const absl::Status& status) {
  std::cerr << "jiceng: " << status.message() << "\n";
  return 1;
}

// -o given as "-", or not given: standard output.
bool ToStandardOutput(const std::string& output) {
  return output.empty() || output == "-";
}

int Validate(const Args& args) {
  absl::StatusOr<v1::Dataset> dataset =
      ReadDatasetFile(args.positional[0], args.format);
  if (!dataset.ok()) return Fail(dataset.status());
  ProblemList problems = ValidateDataset(*dataset);
  for (const v1::Problem& p : problems.report().problems()) {
    std::cout << FormatProblem(p) << "\n";
  }
  const int recorded = problems.report().problems_size();
  const int total = problems.error_count() + problems.warning_count();
  if (recorded < total) {
    std::cout << "... " << (total - recorded)
              << " more problems not listed\n";
  }
  std::cout << args.positional[0] << ": " << problems.error_count()
            << (problems.error_count() == 1 ? " error, " : " errors, ")
            << problems.warning_count()
            << (problems.warning_count() == 1 ? " warning" : " warnings")
            << "\n";
  return problems.has_errors() ? 1 : 0;
}

std::string LevelLabel(v1::RegionLevel level) {
  switch (level) {
    case v1::REGION_LEVEL_PROVINCE: return "provinces";
    case v1::REGION_LEVEL_CITY: return "cities";
    case v1::REGION_LEVEL_COUNTY: return "counties";
    case v1::REGION_LEVEL_TOWNSHIP: return "townships";
    case v1::REGION_LEVEL_VILLAGE: return "villages/communities";
    case v1::REGION_LEVEL_GRID: return "grids";
    default: return "unspecified";
  }
}

// The engine of `path`: an engine snapshot, or a dataset in `format`
// (kAuto: told from its name and bytes); the embedded sample when empty.
absl::StatusOr<std::unique_ptr<const Engine>> EngineOf(const std::string& path,
                                                       DatasetFormat format) {
  if (format == DatasetFormat::kAuto || path.empty()) return EngineFor(path);
  JC_ASSIGN_OR_RETURN(v1::Dataset dataset, ReadDatasetFile(path, format));
  return Engine::Compile(dataset);
}

int Info(const Args& args) {
  // FILE, or --dataset/--snapshot FILE (a dataset or an engine snapshot).
  const std::string path =
      args.positional.empty() ? args.dataset : args.positional[0];
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      EngineOf(path, args.snapshot ? DatasetFormat::kAuto : args.format);
  if (!engine.ok()) return Fail(engine.status());
  v1::EngineInfo info = (*engine)->Info();
  if (args.json) {
    std::string json;
    google::protobuf::util::JsonPrintOptions options;
    options.add_whitespace = true;
    options.preserve_proto_field_names = true;
    if (!google::protobuf::util::MessageToJsonString(info, &json, options)
             .ok()) {
      return Fail(absl::InternalError("could not print JSON"));
    }
    std::cout << json;
    return 0;
  }
  const v1::DatasetMeta& m = info.meta();
  std::cout << "dataset   " << m.id() << " " << m.version()
            << " (effective " << m.effective_date() << ")\n";
  if (!m.source().empty()) std::cout << "source    " << m.source() << "\n";
  std::cout << "regions   " << info.region_count() << "\n";
  for (const v1::LevelCount& c : info.regions_per_level()) {
    std::cout << absl::StrFormat("  %-22s %d\n", LevelLabel(c.level()),
                                 c.count());
  }
  for (const v1::GridKindCount& c : info.grids_per_kind()) {
    std::cout << absl::StrFormat("  %-22s %d\n",
                                 absl::StrCat("  ", v1::GridKind_Name(c.kind())),
                                 c.count());
  }
  std::cout << "units     " << info.unit_count() << " ("
            << info.department_type_count() << " department types)\n";
  for (const v1::UnitKindCount& c : info.units_per_kind()) {
    std::cout << absl::StrFormat("  %-34s %d\n", v1::UnitKind_Name(c.kind()),
                                 c.count());
  }
  std::cout << "police grids " << info.police_grid_count() << "\n";
  std::cout << "calendar  " << info.calendar_first_date() << " .. "
            << info.calendar_last_date() << ", " << info.working_day_count()
            << " working days\n";
  std::cout << "memory    " << info.memory_bytes() << " bytes (region index "
            << info.region_index_bytes() << ")\n";
  std::cout << "warnings  " << info.warning_count()
            << " (run 'jiceng validate' to list them)\n";
  return 0;
}

std::string ToJson(const google::protobuf::Message& m) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &json, options);
  return json;
}

// The day an analysis or review is made for: --as-of, else the dataset's
// effective date, else the calendar's first day (never the wall clock:
// the same inputs give the same output).
int32_t AsOfDay(const Args& args, const Engine& engine) {
  return args.as_of ? *args.as_of : engine.reference_day();
}

int Analyze(const Args& args) {
  absl::StatusOr<std::unique_ptr<const Engine>> engine = EngineOf(
      args.positional.empty() ? "" : args.positional[0], args.format);
  if (!engine.ok()) return Fail(engine.status());
  v1::CatalogueAnalysis analysis =
      AnalyzeCatalogue((*engine)->catalogue(), AsOfDay(args, **engine));
  if (args.json) {
    std::cout << ToJson(analysis);
  } else {
    std::cout << FormatAnalysis(analysis);
  }
  // Pairs not examined may hide an overlap: such a list is not shown clean.
  return analysis.error_count() > 0 || analysis.overlap_pairs_not_examined() > 0
             ? 1
             : 0;
}

// An AdmissionRequest in JSON, text or binary, told from its bytes; a
// UTF-8 byte-order mark before JSON or text (editors on Windows write
// one) is skipped. INVALID_ARGUMENT naming `path`, the format and the
// parser's reason (line:column for text).
absl::Status ParseAdmissionRequest(absl::string_view bytes,
                                   const std::string& path,
                                   v1::AdmissionRequest* request) {
  bytes = WithoutByteOrderMark(bytes, DatasetFormat::kAuto);
  const DatasetFormat format = DetectDatasetFormat(bytes);
  if (format != DatasetFormat::kBinary) {
    return ParseJsonOrText(
        bytes, format,
        absl::StrCat(path, ": not a jiceng.v1.AdmissionRequest (",
                     DatasetFormatName(format), ")"),
        path, request);
  }
  // Checked on the wire first, so that protobuf logs nothing.
  return ParseMessage(bytes, request, path);
}

int ReviewAdmissionCommand(const Args& args) {
  absl::StatusOr<std::unique_ptr<const Engine>> engine = EngineFor(args.dataset);
  if (!engine.ok()) return Fail(engine.status());
  absl::StatusOr<std::string> bytes =
      ReadFileBytes(args.positional[0], kMaxDatasetBytes);
  if (!bytes.ok()) return Fail(bytes.status());
  v1::AdmissionRequest request;
  if (absl::Status s =
          ParseAdmissionRequest(*bytes, args.positional[0], &request);
      !s.ok()) {
    return Fail(s);
  }
  // --as-of reviews the request as of another day than its own date: the
  // command line says what the office asks now (a what-if on a proposal
  // already dated), so it wins, and says so when it replaces a date.
  if (args.as_of) {
    const std::string date = FormatIsoDate(*args.as_of);
    if (!request.date().empty() && request.date() != date) {
      std::cerr << "jiceng: note: --as-of " << date
                << " replaces the request's date \""
                << Utf8Prefix(request.date(), 48) << "\"\n";
    }
    request.set_date(date);
  }
  absl::StatusOr<v1::AdmissionDecision> decision =
      ReviewAdmission((*engine)->catalogue(), request, AsOfDay(args, **engine));
  if (!decision.ok()) return Fail(decision.status());
  if (args.json) {
    std::cout << ToJson(*decision);
    return 0;
  }
  std::cout << (request.proposal_id().empty() ? "-" : request.proposal_id())
            << ": "
            << EnumSuffix(v1::AdmissionVerdict_Name(decision->verdict()), 18,
                          static_cast<int>(decision->verdict()))
            << "\n";
  for (const v1::AdmissionReason& r : decision->reasons()) {
    std::cout << "  "
              << EnumSuffix(v1::AdmissionVerdict_Name(r.effect()), 18,
                            static_cast<int>(r.effect()))
              << "  " << r.code() << ": " << r.message() << "\n";
  }
  return 0;
}

// The cases route and diff read: CASES (a file, or "-" for standard input)
// a part at a time (CaseReader), or without CASES the sample cases of an
// engine as one part. A case that cannot be read is a part of its own with
// its error (CaseReader::Part), or in a binary stream a frame of a part
// that RouteBatch, or Diff, names: the commands go on past it.
class CaseSource {
 public:
  // `path`: nullptr for the sample cases of `engine`.
  static absl::StatusOr<CaseSource> Open(const std::string* path,
                                         const Engine& engine) {
    CaseSource source;
    if (path == nullptr) {
      for (const v1::Case& c : SampleCases(engine)) {
        AppendDelimited(c, &source.sample_);
      }
      return source;
    }
    JC_ASSIGN_OR_RETURN(source.reader_, CaseReader::Open(*path));
    return source;
  }

  // The next part into *part: true, or false at the end of the stream.
  absl::StatusOr<bool> Next(CaseReader::Part* part) {
    if (reader_ != nullptr) return reader_->Next(part);
    if (sample_read_) return false;
    sample_read_ = true;
    *part = CaseReader::Part();
    part->frames = sample_;
    return true;
  }

  // The reader of CASES; nullptr for the sample cases.
  const CaseReader* reader() const { return reader_.get(); }
  // JSON or binary as CASES is; text for the sample cases.
  DatasetFormat format() const {
    return reader_ == nullptr ? DatasetFormat::kText
           : reader_->json()  ? DatasetFormat::kJson
                              : DatasetFormat::kBinary;
  }

 private:
  std::unique_ptr<CaseReader> reader_;
  std::string sample_;
  bool sample_read_ = false;
};

std::string JsonLine(const google::protobuf::Message& m) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &json, options);
  return json;
}

// Counts of a route run, and its progress on stderr.
class RouteTally {
 public:
  // progress_every: seconds between progress lines, 0 after every part,
  // < 0 none. On a terminal the line is rewritten in place.
  RouteTally(const CaseReader* reader, double progress_every)
      : reader_(reader),
        every_(progress_every),
        tty_(isatty(fileno(stderr)) != 0),
        start_(std::chrono::steady_clock::now()),
        last_(start_) {}

  // One entry of the output (a serialized jiceng.v1.BatchEntry): reads its
  // outcome and tier, or that it is an error, from the wire.
  void Count(absl::string_view entry) {
    ++cases_;
    google::protobuf::io::CodedInputStream in(
        reinterpret_cast<const uint8_t*>(entry.data()),
        static_cast<int>(entry.size()));
    uint32_t tag;
    while ((tag = in.ReadTag()) != 0) {
      const int field = static_cast<int>(tag >> 3);
      if (field == v1::BatchEntry::kErrorFieldNumber) {
        ++errors_;
        return;
      }
      if (field != v1::BatchEntry::kDecisionFieldNumber) {
        if (!google::protobuf::internal::WireFormatLite::SkipField(&in, tag)) {
          break;
        }
        continue;
      }
      uint32_t length;
      if (!in.ReadVarint32(&length)) break;
      in.PushLimit(static_cast<int>(length));
      uint32_t outcome = 0, tier = 0;
      while ((tag = in.ReadTag()) != 0) {
        const int f = static_cast<int>(tag >> 3);
        if (f == v1::RoutingDecision::kOutcomeFieldNumber) {
          if (!in.ReadVarint32(&outcome)) break;
        } else if (f == v1::RoutingDecision::kTierFieldNumber) {
          if (!in.ReadVarint32(&tier)) break;
        } else if (!google::protobuf::internal::WireFormatLite::SkipField(
                       &in, tag)) {
          break;
        }
      }
      ++outcomes_[static_cast<int>(outcome)];
      ++tiers_[static_cast<int>(tier)];
      return;
    }
    ++errors_;  // not reached: RouteBatch writes an entry of one or the other
  }
  // After each part: a progress line when it is time.
  void Progress() {
    if (every_ < 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (std::chrono::duration<double>(now - last_).count() < every_) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    std::string line = absl::StrCat("routed ", cases_, " cases");
    if (reader_ != nullptr && reader_->size() > 0) {
      absl::StrAppend(&line, absl::StrFormat(
                                 " (%.0f%% of %s)",
                                 100.0 * static_cast<double>(reader_->bytes_read()) /
                                     static_cast<double>(reader_->size()),
                                 reader_->path()));
    }
    absl::StrAppend(&line, absl::StrFormat(
                               ", %.0f cases/s",
                               seconds > 0 ? static_cast<double>(cases_) / seconds : 0));
    if (tty_) {
      std::cerr << "\r" << line << "\x1b[K" << std::flush;
      shown_ = true;
    } else {
      std::cerr << line << "\n";
    }
  }

  // The closing summary: counts per outcome and tier, throughput.
  void Summary(int threads) {
    if (shown_) std::cerr << "\n";
    const double seconds = std::chrono::duration<double>(
                               std::chrono::steady_clock::now() - start_)
                               .count();
    std::cerr << "routed " << cases_ << " cases in "
              << absl::StrFormat("%.3f", seconds) << " s ("
              << absl::StrFormat("%.0f", seconds > 0 ? cases_ / seconds : 0)
              << " cases/s, "
              << (threads == 0 ? std::string("all cores")
                               : absl::StrCat(threads, " thread",
                                              threads == 1 ? "" : "s"))
              << "): ";
    for (const auto& [k, n] : outcomes_) {
      std::cerr << EnumSuffix(v1::RoutingOutcome_Name(
                                  static_cast<v1::RoutingOutcome>(k)),
                              16, k)
                << " " << n << ", ";
    }
    std::cerr << "errors " << errors_ << "; tiers:";
    if (tiers_.empty()) std::cerr << " none";  // every case refused
    for (const auto& [k, n] : tiers_) {
      std::cerr << " "
                << EnumSuffix(
                       v1::HandlingTier_Name(static_cast<v1::HandlingTier>(k)),
                       14, k)
                << " " << n;
    }
    std::cerr << "\n";
  }

 private:
  const CaseReader* reader_;
  const double every_;
  const bool tty_;
  const std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
  bool shown_ = false;
  int64_t cases_ = 0;
  int64_t errors_ = 0;
  std::map<int, int64_t> outcomes_, tiers_;  // by enum value
};


// route: the cases a part at a time (CaseReader), each part routed by
// RouteBatch and written before the next is read, so that memory holds one
// part whatever the input's length.
int Route(const Args& args) {
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      EngineFor(args.dataset);
  if (!engine.ok()) return Fail(engine.status());
  absl::StatusOr<CaseSource> source = CaseSource::Open(
      args.positional.empty() ? nullptr : &args.positional[0], **engine);
  if (!source.ok()) return Fail(source.status());
  const CaseReader* reader = source->reader();
  const DatasetFormat out_format =
      args.format == DatasetFormat::kAuto ? source->format() : args.format;
  if (reader != nullptr && !ToStandardOutput(args.output) &&
      reader->Reads(args.output)) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(
        "-o ", args.output, " names the input (", reader->path(),
        "): it would be overwritten before it is read")));
  }
  Output out(args.output, Output::kStream);
  if (absl::Status s = out.opened(); !s.ok()) return Fail(s);
  const Router router(**engine);
  BatchOptions options;
  options.threads = args.threads;
  options.route.set_explain_text(args.explain || out_format == DatasetFormat::kText);
  // Progress by default: every second on a terminal, unless the decisions
  // go to that terminal too (they show the progress, and the line would
  // break them up); every 10 s into a log.
  const bool tty = isatty(fileno(stderr)) != 0;
  const bool output_on_tty =
      ToStandardOutput(args.output) && isatty(fileno(stdout)) != 0;
  RouteTally tally(reader, args.progress >= 0 ? args.progress
                           : !tty             ? 10.0
                           : output_on_tty    ? -1.0
                                              : 1.0);
  ByteBuffer routed;
  std::vector<absl::string_view> cases;
  std::string text, error_stream;
  v1::BatchEntry entry;
  v1::Case c;
  CaseReader::Part part;
  while (true) {
    absl::StatusOr<bool> more = source->Next(&part);
    if (!more.ok()) return Fail(more.status());
    if (!*more) break;
    text.clear();
    absl::string_view stream;  // the part's BatchEntry stream
    if (!part.error.ok()) {
      // A JSON line that is not a case: its error entry, in place.
      entry.Clear();
      entry.set_index(part.first_index);
      entry.mutable_error()->set_code(static_cast<int32_t>(part.error.code()));
      entry.mutable_error()->set_message(std::string(part.error.message()));
      error_stream.clear();
      AppendDelimited(entry, &error_stream);
      stream = error_stream;
    } else {
      options.first_index = part.first_index;
      options.first_byte = part.first_byte;
      if (absl::Status s = RouteBatch(router, part.frames, options, &routed);
          !s.ok()) {
        return Fail(s);
      }
      stream = routed.view();
    }
    // Each entry in turn (RouteBatch's framing is whole): counted, and
    // unless the output is binary, written as JSON or text.
    absl::string_view e;
    absl::string_view bytes = stream;
    if (out_format == DatasetFormat::kBinary) {
      for (size_t at = 0; at < stream.size() && NextFrame(stream, &at, &e);) {
        tally.Count(e);
      }
    } else {
      cases.clear();
      if (out_format == DatasetFormat::kText) {
        (void)SplitDelimited(part.frames, &cases);  // stops at a broken tail
      }
      for (size_t at = 0; at < stream.size() && NextFrame(stream, &at, &e);) {
        tally.Count(e);
        entry.ParseFromArray(e.data(), static_cast<int>(e.size()));
        if (out_format == DatasetFormat::kJson) {
          absl::StrAppend(&text, JsonLine(entry), "\n");
          continue;
        }
        const size_t k = static_cast<size_t>(entry.index() - part.first_index);
        if (entry.has_error() || k >= cases.size() ||
            !c.ParseFromArray(cases[k].data(),
                              static_cast<int>(cases[k].size()))) {
          absl::StrAppend(
              &text, entry.case_id().empty() ? "-" : Printable(entry.case_id()),
              "  ERROR ",
              absl::StatusCodeToString(
                  static_cast<absl::StatusCode>(entry.error().code())),
              ": ", Printable(entry.error().message()), "\n\n");
        } else {
          absl::StrAppend(&text, FormatDecision(**engine, c, entry.decision()),
                          "\n");
        }
      }
      bytes = text;
    }
    if (absl::Status s = out.Write(bytes); !s.ok()) return Fail(s);
    tally.Progress();
  }
  if (absl::Status s = out.Close(); !s.ok()) return Fail(s);
  tally.Summary(options.threads);
  return 0;
}

// At most this many unreadable cases are listed; the rest are counted.
constexpr int64_t kListed = 20;

// diff: the cases a part at a time, as route reads them. A case that
// cannot be read (a JSON line that is not a case, a binary frame that is
// not one or cannot be framed) is skipped and listed on stderr, as route
// writes its error entry and goes on; the report's indexes count it, as
// route's entries do.
int Diff(const Args& args) {
  absl::StatusOr<std::unique_ptr<const Engine>> a = EngineFor(args.positional[0]);
  if (!a.ok()) return Fail(a.status());
  absl::StatusOr<std::unique_ptr<const Engine>> b = EngineFor(args.positional[1]);
  if (!b.ok()) return Fail(b.status());
  absl::StatusOr<CaseSource> source = CaseSource::Open(
      args.positional.size() == 3 ? &args.positional[2] : nullptr, **a);
  if (!source.ok()) return Fail(source.status());
  // JSON lines' errors name the file and line; a binary stream's, the frame.
  const std::string where = source->format() == DatasetFormat::kBinary
                                ? absl::StrCat(source->reader()->path(), ": ")
                                : std::string();
  const Router ra(**a), rb(**b);
  constexpr int kShown = 50;  // the changes shown in full, with their case
  DiffBuilder diff(ra, rb);
  std::vector<v1::Case> shown;  // the cases of the first kShown diffs
  int64_t skipped = 0;
  // Each error names the case's place: PATH:LINE, or frame or case I.
  auto skip = [&](int64_t index, const absl::Status& error) {
    if (skipped++ < kListed) std::cerr << "skipped " << error.message() << "\n";
    diff.AddUnread(index, error);
  };
  v1::Case c;
  CaseReader::Part part;
  while (true) {
    absl::StatusOr<bool> more = source->Next(&part);
    if (!more.ok()) return Fail(more.status());
    if (!*more) break;
    if (!part.error.ok()) {
      skip(part.first_index,
           absl::Status(part.error.code(),
                        absl::StrCat(where, part.error.message())));
      continue;
    }
    absl::string_view frame;
    int64_t i = part.first_index;
    for (size_t at = 0; at < part.frames.size(); ++i) {
      const size_t start = at;
      if (!NextFrame(part.frames, &at, &frame)) {
        // A broken frame ends a binary stream (CaseReader::Part).
        skip(i,
             absl::InvalidArgumentError(absl::StrCat(
                 where, FrameError(part.frames, static_cast<size_t>(i), start,
                                   static_cast<uint64_t>(part.first_byte))
                            .message())));
        break;
      }
      if (absl::Status s =
              ParseMessage(frame, &c, absl::StrCat(where, "case ", i));
          !s.ok()) {
        skip(i, s);
        continue;
      }
      if (diff.Add(c, i) && shown.size() < kShown) shown.push_back(c);
    }
  }
  const v1::DiffReport report = std::move(diff).Finish();
  if (skipped > 0) {
    if (skipped > kListed) {
      std::cerr << "... " << (skipped - kListed) << " more skipped\n";
    }
    std::cerr << skipped << " of " << (report.cases() + skipped)
              << " cases could not be read and are not in the report\n";
  }
  if (args.json) {
    std::cout << ToJson(report);
    return 0;
  }
  std::cout << report.changed_cases() << " of " << report.cases()
            << " cases change from " << report.before_version() << " to "
            << report.after_version();
  for (const auto& f : report.changed_per_field()) {
    std::cout << (&f == &report.changed_per_field(0) ? " (" : ", ") << f.field()
              << " " << f.count();
  }
  std::cout << (report.changed_per_field_size() > 0 ? ")\n" : "\n");
  // The first kShown changes in full, with their cases.
  for (int k = 0; k < report.diffs_size(); ++k) {
    const v1::CaseDiff& d = report.diffs(k);
    if (k == kShown) {
      std::cout << "... " << (report.diffs_size() - kShown)
                << " more (use --json)\n";
      break;
    }
    const v1::Case& c = shown[static_cast<size_t>(k)];
    std::cout << "\n"
              << Printable(d.case_id()) << ": "
              << absl::StrJoin(d.changed(), ", ") << "\n";
    std::cout << "  before:\n"
              << (d.has_before_error() ? d.before_error().message() + "\n"
                                       : FormatDecision(**a, c, d.before()))
              << "  after:\n"
              << (d.has_after_error() ? d.after_error().message() + "\n"
                                      : FormatDecision(**b, c, d.after()));
    // The explanation steps that differ: - before, + after.
    if (d.changed_steps_size() > 0) {
      std::cout << "  what changed in the explanation:\n";
    }
    for (const v1::StepChange& step : d.changed_steps()) {
      auto line = [](const v1::TraceStep& t) {
        // "REASON_" is 7 characters.
        return t.text().empty()
                   ? absl::StrCat(
                         EnumSuffix(v1::Reason_Name(t.reason()), 7, t.reason()),
                         " ", t.ref())
                   : t.text();
      };
      if (step.has_before())
        std::cout << "    - " << line(step.before()) << "\n";
      if (step.has_after()) std::cout << "    + " << line(step.after()) << "\n";
    }
  }
  return 0;
}

int Demo(const Args& args) {
  absl::StatusOr<v1::Dataset> dataset = LoadDataset(args);
  if (!dataset.ok()) return Fail(dataset.status());
  ProblemList problems = ValidateDataset(*dataset);
  std::cout << "validated: " << problems.error_count()
            << (problems.error_count() == 1 ? " error, " : " errors, ")
            << problems.warning_count()
            << (problems.warning_count() == 1 ? " warning\n" : " warnings\n");
  for (const v1::Problem& p : problems.report().problems()) {
    std::cout << "  " << FormatProblem(p) << "\n";
  }
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::Compile(*dataset);
  if (!engine.ok()) return Fail(engine.status());
  const Hierarchy& h = (*engine)->hierarchy();
  const Organization& o = (*engine)->organization();
  const WorkCalendar& cal = (*engine)->calendar();
  std::cout << "dataset " << (*engine)->meta().id() << " "
            << (*engine)->meta().version() << "\n";

  auto unit_name = [&](UnitId u) {
    return u == kNoUnit ? std::string("-")
                        : absl::StrCat(o.name(u), " [", o.code(u), "]");
  };
  // Print at most a bounded number of townships so that a province-scale
  // file stays readable.
  int townships_shown = 0;
  for (RegionId id = 0; id < h.size(); ++id) {
    const v1::RegionLevel level = h.level(id);
    if (level <= v1::REGION_LEVEL_COUNTY) {
      std::cout << std::string(static_cast<size_t>(2 * (level - 1)), ' ')
                << h.name(id) << " " << h.code(id) << "\n";
      if (level == v1::REGION_LEVEL_COUNTY) {
        std::cout << "    social-governance centre: "
                  << unit_name(o.CommandCentre(
                         id, v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE))
                  << "\n";
      }
      continue;
    }
    if (level != v1::REGION_LEVEL_TOWNSHIP) continue;
    if (++townships_shown > 12) continue;
    int villages = 0;
    std::map<int, int> grids;
    for (RegionId d = id + 1; d < h.subtree_end(id); ++d) {
      if (h.level(d) == v1::REGION_LEVEL_VILLAGE) ++villages;
      if (h.level(d) == v1::REGION_LEVEL_GRID) ++grids[h.grid_kind(d)];
    }
    const UnitId team = o.FirstOfKind(id, v1::UNIT_KIND_ENFORCEMENT_TEAM);
    const UnitId joint =
        o.FirstOfKind(id, v1::UNIT_KIND_JOINT_ENFORCEMENT_CENTRE);
    std::cout << "      " << h.name(id) << " " << h.code(id) << "  "
              << EnumSuffix(v1::TownshipKind_Name(h.township_kind(id)), 14,
                            static_cast<int>(h.township_kind(id)))
              << ", "
              << EnumSuffix(v1::TownshipClass_Name(h.township_class(id)), 15,
                            static_cast<int>(h.township_class(id)))
              << "\n";
    std::cout << "        " << villages << " villages/communities, "
              << grids[v1::GRID_KIND_BASE] << " base + "
              << grids[v1::GRID_KIND_DEDICATED] << " dedicated + "
              << grids[v1::GRID_KIND_MICRO] << " micro grids\n";
    std::cout << "        command room: "
              << unit_name(o.CommandCentre(
                     id, v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM))
              << "\n";
    std::cout << "        enforcement: "
              << (team != kNoUnit
                      ? absl::StrCat("own name (镇队合一) by ", unit_name(team))
                      : joint != kNoUnit
                            ? absl::StrCat("joint, coordinated by ",
                                           unit_name(joint))
                            : std::string("none"))
              << "\n";
  }
  if (townships_shown > 12) {
    std::cout << "      ... and " << (townships_shown - 12)
              << " more townships\n";
  }

  // A few lookups, as routing will do them: the first grids of each kind.
  std::cout << "lookups:\n";
  std::map<int, int> shown;
  for (RegionId id = 0; id < h.size(); ++id) {
    if (h.level(id) != v1::REGION_LEVEL_GRID) continue;
    if (shown[h.grid_kind(id)]++ >= 1) continue;
    const RegionId t = h.township_of(id);
    RegionId village = h.parent(id);
    while (village != kNoRegion && h.level(village) != v1::REGION_LEVEL_VILLAGE) {
      village = h.parent(village);
    }
    const int32_t pg = h.police_grid_of(id);
    std::cout << "  " << h.code(id) << " " << h.name(id) << " ("
              << EnumSuffix(v1::GridKind_Name(h.grid_kind(id)), 10,
                            static_cast<int>(h.grid_kind(id)))
              << ")\n"
              << "    village " << h.name(village) << ", township " << h.name(t)
              << ", county " << h.name(h.county_of(id)) << ", police grid "
              << (pg < 0 ? std::string("-")
                         : std::string(h.police_grid_code(pg)))
              << "\n";
  }
  std::cout << "calendar " << FormatIsoDate(cal.first_day()) << " .. "
            << FormatIsoDate(cal.last_day()) << ": "
            << cal.working_day_count() << " working days, "
            << cal.working_minutes_per_day() << " working minutes a day\n";
  return 0;
}

int Generate(const Args& args) {
  // "sample" writes the embedded dataset: a file to start from, in any
  // format, that is what every command uses when given none.
  const bool sample = args.preset == "sample";
  ProvinceOptions options;
  if (!sample && !ProvincePreset(args.preset, &options)) {
    return Usage(absl::StrCat(
        "--preset is sample, small, province or ten-provinces (got \"",
        Utf8Prefix(args.preset, 64), "\")"));
  }
  if (sample && args.seed_set) {
    return Usage("--seed applies to the generated presets, not to sample");
  }
  if (args.seed_set) options.seed = args.seed;
  DatasetFormat format = args.format;
  if (format == DatasetFormat::kAuto) {
    format = ToStandardOutput(args.output) ? DatasetFormat::kText
                                           : DatasetFormatFromPath(args.output);
    if (format == DatasetFormat::kAuto) format = DatasetFormat::kBinary;
  }
  // A file jiceng could not read back is refused before the work (~3 GB of
  // memory): the ten provinces are 481 MB in binary, but 1.35 GB as JSON
  // and 1.57 GB as text with the default seed (ten times the province
  // preset's 140 and 164 MB, about the same for any seed), over
  // kMaxDatasetBytes (1 GiB).
  if (args.preset == "ten-provinces" && format != DatasetFormat::kBinary) {
    return Usage(absl::StrCat(
        "generate --preset ten-provinces as ", DatasetFormatName(format),
        " would be about ", format == DatasetFormat::kJson ? "1.3" : "1.6",
        " GB, more than the ", kMaxDatasetBytes,
        " bytes jiceng reads as a dataset; use --format binary (481 MB)"));
  }
  Output file(args.output, Output::kReplace);
  if (absl::Status s = file.opened(); !s.ok()) return Fail(s);
  const v1::Dataset dataset =
      sample ? SampleDataset() : GenerateProvince(options);
  std::string out;
  if (format == DatasetFormat::kBinary) {
    out = dataset.SerializeAsString();
  } else if (format == DatasetFormat::kJson) {
    google::protobuf::util::JsonPrintOptions options_json;
    options_json.preserve_proto_field_names = true;
    if (!google::protobuf::util::MessageToJsonString(dataset, &out,
                                                     options_json)
             .ok()) {
      return Fail(absl::InternalError("could not print JSON"));
    }
  } else {
    google::protobuf::TextFormat::Printer printer;
    printer.SetUseUtf8StringEscaping(true);
    printer.PrintToString(dataset, &out);
  }
  // Any other combination that grows past what jiceng reads: not written.
  if (out.size() > kMaxDatasetBytes) {
    return Fail(absl::ResourceExhaustedError(absl::StrCat(
        "the dataset is ", out.size(), " bytes as ", DatasetFormatName(format),
        ", more than the ", kMaxDatasetBytes,
        " bytes jiceng reads as a dataset: not written")));
  }
  absl::Status written = file.Write(out);
  if (written.ok()) written = file.Close();
  if (!written.ok()) return Fail(written);
  if (!ToStandardOutput(args.output)) {
    std::cerr << "wrote " << dataset.regions_size() << " regions, "
              << dataset.units_size() << " units to " << args.output << " ("
              << out.size() << " bytes, " << DatasetFormatName(format)
              << ")\n";
  }
  return 0;
}

// The unix time at which local day `day` begins.
int64_t LocalDayStart(int32_t day, int utc_offset_minutes) {
  return int64_t{day} * 86400 - int64_t{utc_offset_minutes} * 60;
}

int AssessCommand(const Args& args) {
  // The report's file is opened before the work: one that cannot be
  // written is told at once, with the system's reason.
  std::unique_ptr<Output> html;
  if (!args.html.empty()) {
    html = std::make_unique<Output>(args.html, Output::kReplace);
    if (absl::Status s = html->opened(); !s.ok()) return Fail(s);
  }
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      EngineFor(args.dataset);
  if (!engine.ok()) return Fail(engine.status());
  const int offset = (*engine)->calendar().utc_offset_minutes();
  v1::AssessRequest request;
  // A period starting before 1970-01-01T00:00Z starts before any record
  // can: the same as starting then (0).
  if (args.from) {
    request.set_period_start(
        std::max<int64_t>(0, LocalDayStart(*args.from, offset)));
  }
  // --to is inclusive: the period ends when the next day begins. Ending
  // before 1970 it could hold no record: refused, naming the date.
  if (args.to) {
    const int64_t end = LocalDayStart(*args.to + 1, offset);
    if (end <= 0) {
      return Fail(absl::InvalidArgumentError(absl::StrCat(
          "--to ", FormatIsoDate(*args.to), ": the period would end at ", end,
          " unix seconds, before 1970-01-01T00:00Z, when no record "
          "can have been received; give a later date")));
    }
    request.set_period_end(end);
  }
  // The records a frame or line at a time: a record store of N bytes takes
  // about N bytes, not the ~7 N its records take as messages.
  const std::string& path = args.positional[0];
  absl::StatusOr<std::string> bytes = ReadFileBytes(path, kMaxRecordsBytes);
  if (!bytes.ok()) return Fail(bytes.status());
  absl::StatusOr<AssessmentStream> stream =
      AssessmentStream::Start(**engine, request);
  if (!stream.ok()) return Fail(stream.status());
  absl::Status added;
  const absl::Status parsed = ForEachRecord(*bytes, RecordsFormatFromPath(path),
                                            [&](v1::CaseRecord& r) {
                                              added = stream->Add(r);
                                              return added.ok();
                                            });
  if (!parsed.ok()) return Fail(WithContext(path, parsed));
  if (!added.ok()) return Fail(added);
  std::string().swap(*bytes);
  absl::StatusOr<v1::AssessmentReport> report = std::move(*stream).Finish();
  if (!report.ok()) return Fail(report.status());
  if (args.json) {
    std::cout << ToJson(*report);
  } else {
    std::cout << FormatAssessmentTable(*report, offset);
  }
  if (html != nullptr) {
    HtmlReportOptions options;
    options.utc_offset_minutes = offset;
    const std::string page = RenderHtmlReport(*report, options);
    if (absl::Status s = html->Write(page); !s.ok()) return Fail(s);
    if (absl::Status s = html->Close(); !s.ok()) return Fail(s);
    std::cerr << "wrote " << args.html << " (" << page.size() << " bytes)\n";
  }
  return 0;
}

// The benchmark kit's case stream (src/gen/workload_generator.h). Without a
// DATASET the preset is generated with its default seed; --seed is the
// workload's seed.
int Workload(const Args& args) {
  if (args.output.empty()) return Usage("workload needs -o FILE");
  ProvinceOptions preset;
  if (args.positional.empty() && !ProvincePreset(args.preset, &preset)) {
    return Usage(
        absl::StrCat("--preset is small, province or ten-provinces (got \"",
                     Utf8Prefix(args.preset, 64), "\")"));
  }
  Output file(args.output, Output::kReplace);
  if (absl::Status s = file.opened(); !s.ok()) return Fail(s);
  v1::Dataset dataset;
  if (!args.positional.empty()) {
    absl::StatusOr<v1::Dataset> d =
        ReadDatasetFile(args.positional[0], args.format);
    if (!d.ok()) return Fail(d.status());
    dataset = std::move(*d);
  } else {
    dataset = GenerateProvince(preset);
  }
  WorkloadOptions options;
  if (args.seed_set) options.seed = args.seed;
  if (args.cases > 0) options.cases = args.cases;
  // Written a piece at a time as it is made: memory stays flat however
  // many cases, and a write that fails (a closed pipe) stops the work.
  uint64_t bytes = 0;
  absl::Status written =
      GenerateWorkload(dataset, options, [&](absl::string_view piece) {
        bytes += piece.size();
        return file.Write(piece);
      });
  if (written.ok()) written = file.Close();
  if (!written.ok()) return Fail(written);
  std::cerr << "wrote " << options.cases << " cases to "
            << (args.output == "-" ? "standard output" : args.output) << " ("
            << bytes << " bytes)\n";
  return 0;
}

int SnapshotCommand(const Args& args) {
  if (args.output.empty()) return Usage("snapshot needs --out FILE");
  if (args.snapshot) return Usage("snapshot reads --dataset FILE");
  Output file(args.output, Output::kReplace);
  if (absl::Status s = file.opened(); !s.ok()) return Fail(s);
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      EngineFor(args.dataset);
  if (!engine.ok()) return Fail(engine.status());
  absl::StatusOr<std::string> bytes = (*engine)->SaveSnapshot();
  if (!bytes.ok()) return Fail(bytes.status());
  absl::Status written = file.Write(*bytes);
  if (written.ok()) written = file.Close();
  if (!written.ok()) return Fail(written);
  std::cerr << "wrote the engine snapshot of "
            << (*engine)->meta().id() << " to " << args.output << " ("
            << bytes->size() << " bytes, dataset fingerprint "
            << (*engine)->Info().dataset_fingerprint() << ")\n";
  return 0;
}

// What each command takes: its options (any other is refused rather than
// silently ignored: `workload --snapshot F` would otherwise generate over
// the preset) and how many arguments.
struct CommandSpec {
  std::vector<std::string> options;
  size_t min_args;
  size_t max_args;
  const char* args;  // as the usage names them
};

const std::map<std::string, CommandSpec>& Commands() {
  static const auto* table = new std::map<std::string, CommandSpec>{
      {"validate", {{"--format"}, 1, 1, "FILE"}},
      {"info", {{"--json", "--format", "--dataset", "--snapshot"}, 0, 1, "[FILE]"}},
      {"demo", {{"--format"}, 0, 1, "[FILE]"}},
      {"analyze", {{"--as-of", "--json", "--format"}, 0, 1, "[FILE]"}},
      {"review-admission",
       {{"--dataset", "--snapshot", "--json", "--as-of"}, 1, 1, "REQUEST"}},
      {"route",
       {{"--dataset", "--snapshot", "--threads", "--explain", "--format", "-o",
         "--progress"},
        0,
        1,
        "[CASES]"}},
      {"diff", {{"--json"}, 2, 3, "A B [CASES]"}},
      {"generate", {{"--preset", "--seed", "--format", "-o"}, 0, 0, ""}},
      {"assess",
       {{"--dataset", "--snapshot", "--from", "--to", "--html", "--json"},
        1,
        1,
        "RECORDS"}},
      {"workload", {{"--preset", "--seed", "--cases", "--format", "-o"}, 0, 1, "[DATASET]"}},
      {"lifecycle", {{"--dataset", "--snapshot", "-o"}, 0, 0, ""}},
      {"supervise", {{"--dataset", "--snapshot", "--at"}, 1, 1, "RECORDS"}},
      {"snapshot", {{"--dataset", "--snapshot", "-o"}, 0, 0, ""}},
  };
  return *table;
}

// Whether `a` and `b` name the same existing file (device and inode).
bool SameFile(const std::string& a, const std::string& b) {
  struct stat sa, sb;
  return !a.empty() && !b.empty() && a != "-" && b != "-" &&
         stat(a.c_str(), &sa) == 0 && stat(b.c_str(), &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

// Refuses what the options table cannot: arguments out of count, options
// that contradict each other, an output that names an input. "" if none.
std::string CheckArgs(const std::string& command, const CommandSpec& spec,
                      const Args& args) {
  const size_t n = args.positional.size();
  if (n < spec.min_args || n > spec.max_args) {
    if (spec.max_args == 0) {
      return absl::StrCat(command, " takes no argument (got \"",
                          args.positional[0], "\")");
    }
    return absl::StrCat(command, " takes ", spec.args, " (got ", n,
                        n == 1 ? " argument)" : " arguments)");
  }
  auto given = [&](absl::string_view option) {
    return std::find(args.options.begin(), args.options.end(), option) !=
           args.options.end();
  };
  // Both name the engine to load: which one would be read is a guess.
  if (given("--dataset") && given("--snapshot")) {
    return absl::StrCat(command,
                        " takes --dataset FILE or --snapshot FILE, not both");
  }
  const bool given_dataset = given("--dataset") || given("--snapshot");
  if (command == "info" && n == 1 && given_dataset) {
    return "info takes FILE or --dataset/--snapshot FILE, not both";
  }
  if (command == "workload" && n == 1 && given("--preset")) {
    return "workload takes DATASET or --preset, not both";
  }
  // --format is the format of the dataset FILE but for route and generate
  // (their output's): without FILE, or with a snapshot, it does nothing.
  if (given("--format") && command != "route" && command != "generate") {
    if (command == "info" && args.snapshot) {
      return "info --format names a dataset's format, not a snapshot's";
    }
    if (n == 0 && !(command == "info" && given_dataset)) {
      const absl::string_view file =
          command == "info"
              ? "FILE or --dataset FILE"
              : absl::StripSuffix(absl::StripPrefix(spec.args, "["), "]");
      return absl::StrCat(command, " --format applies to ", file,
                          ", and none was given");
    }
  }
  // "-" is standard output, where these print their summary or table.
  if (command == "lifecycle" && args.output == "-") {
    return "lifecycle --out -: the summary goes to standard output; name a "
           "file for the records";
  }
  if (args.html == "-") {
    return "--html -: the table goes to standard output; name a file for the "
           "page";
  }
  if (args.from && args.to && *args.from > *args.to) {
    return absl::StrCat("--from ", FormatIsoDate(*args.from), " is after --to ",
                        FormatIsoDate(*args.to));
  }
  return "";
}

// An output that names an input would truncate it before it is read (or
// replace it by what was made from it): refused, the input kept.
absl::Status CheckOutputs(const std::string& command, const Args& args) {
  std::vector<std::string> inputs;
  if (command != "diff" && command != "validate") inputs = args.positional;
  if (!args.dataset.empty()) inputs.push_back(args.dataset);
  for (const std::string* out : {&args.output, &args.html}) {
    for (const std::string& in : inputs) {
      if (SameFile(*out, in)) {
        return absl::InvalidArgumentError(absl::StrCat(
            out == &args.output ? "-o " : "--html ", *out, " names the input ",
            in, ": it would be overwritten before it is read"));
      }
    }
  }
  return absl::OkStatus();
}

// The command being run, for OutOfMemory's message.
const char* running_command = "jiceng";

// operator new's handler: out of memory ends the run at once, with a
// message, status 1 and no temporary file left, rather than by unwinding
// through code that is not exception-safe (protobuf's JSON printer crashes
// then). Allocates nothing.
[[noreturn]] void OutOfMemory() {
  RemoveOutputTemporaries();
  auto say = [](const char* s) {
    (void)!::write(STDERR_FILENO, s, std::strlen(s));
  };
  say("jiceng: ");
  say(running_command);
  say(": out of memory\n");
  ::_exit(1);
}

// Runs a command whose arguments were checked.
int Run(const std::string& command, const Args& args) {
  if (command == "snapshot") return SnapshotCommand(args);
  if (command == "validate") return Validate(args);
  if (command == "info") return Info(args);
  if (command == "demo") return Demo(args);
  if (command == "analyze") return Analyze(args);
  if (command == "route") return Route(args);
  if (command == "diff") return Diff(args);
  if (command == "review-admission") return ReviewAdmissionCommand(args);
  if (command == "generate") return Generate(args);
  if (command == "lifecycle")
    return LifecycleCommand(args.dataset, args.output);
  if (command == "supervise") {
    return SuperviseCommand(args.positional[0], args.dataset, args.at);
  }
  if (command == "assess") return AssessCommand(args);
  if (command == "workload") return Workload(args);
  return Usage(absl::StrCat("unknown command \"", command, "\""));
}

int Main(int argc, char** argv) {
  // A closed pipe is a write that fails (EPIPE), told and exit status 1, not
  // a silent death by the signal.
  std::signal(SIGPIPE, SIG_IGN);
  if (argc < 2) return Usage("");
  running_command = argv[1];
  std::set_new_handler(OutOfMemory);
  const std::string command = argv[1];
  if (command == "help" || command == "--help" || command == "-h") {
    if (argc > 2) return CommandHelp(argv[2]);
    std::cout << kUsage;
    return 0;
  }
  if (command == "version" || command == "--version") {
    std::cout << "jiceng " << JICENG_VERSION_STRING << "\n";
    return 0;
  }
  Args args;
  const auto known = Commands().find(command);
  if (known == Commands().end()) {
    return Usage(absl::StrCat("unknown command \"", command, "\""));
  }
  for (int i = 2; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") return CommandHelp(command);
  }
  std::string error = ParseArgs(argc, argv, known->second.options, &args);
  if (error.empty()) error = CheckArgs(command, known->second, args);
  if (!error.empty()) return Usage(error);
  if (absl::Status s = CheckOutputs(command, args); !s.ok()) return Fail(s);
  if (args.snapshot && !IsSnapshotFile(args.dataset)) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(
        "--snapshot ", args.dataset,
        ": not a jiceng engine snapshot (make one with `jiceng snapshot`)")));
  }
  int status;
  try {
    status = Run(command, args);
  } catch (const std::bad_alloc&) {
    // Thrown by jiceng's own buffers (ByteBuffer, which allocate with
    // malloc), not by operator new (OutOfMemory): unwound, so that an
    // Output on the way removes its temporary file.
    std::cerr << "jiceng: " << command << ": out of memory\n";
    status = 1;
  }
  // What a command printed to standard output must have got there (a full
  // disk, a closed pipe): else the run failed, whatever it found.
  if (!std::cout.flush()) {
    std::cerr << "jiceng: cannot write standard output\n";
    return status == 0 ? 1 : status;
  }
  return status;
}

}  // namespace
}  // namespace jiceng

int main(int argc, char** argv) { return jiceng::Main(argc, argv); }
