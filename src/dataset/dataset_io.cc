// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/dataset/dataset_io.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "src/base/json_error.h"
#include "src/base/status_macros.h"
#include "src/base/utf8.h"
#include "src/dataset/wire_check.h"
#include "src/engine/snapshot.h"

namespace jiceng {
namespace {

bool LooksLikeText(absl::string_view bytes) {
  // Valid UTF-8 with no control bytes other than blanks.
  size_t i = 0;
  const size_t n = bytes.size();
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' &&
          c != '\v') {
        return false;
      }
      if (c == 0x7f) return false;
      ++i;
      continue;
    }
    const int extra = (c >> 5) == 0x6    ? 1
                      : (c >> 4) == 0xE  ? 2
                      : (c >> 3) == 0x1E ? 3
                                         : -1;
    if (extra < 0 || n - i <= static_cast<size_t>(extra)) return false;
    for (int k = 1; k <= extra; ++k) {
      const unsigned char cc =
          static_cast<unsigned char>(bytes[i + static_cast<size_t>(k)]);
      if ((cc >> 6) != 0x2) return false;
    }
    i += static_cast<size_t>(extra) + 1;
  }
  return true;
}

// Whether bytes that are not valid UTF-8 are still text in every other
// way: no control bytes other than blanks (a file saved in another
// encoding, or one stray byte). Binary protobuf nearly always holds some
// (lengths and field tags below 0x20).
bool TextButForUtf8(absl::string_view bytes) {
  if (bytes.empty()) return false;
  for (char ch : bytes) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' &&
         c != '\v') ||
        c == 0x7f) {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::string_view DatasetFormatName(DatasetFormat format) {
  switch (format) {
    case DatasetFormat::kBinary:
      return "binary";
    case DatasetFormat::kJson:
      return "json";
    case DatasetFormat::kText:
      return "text";
    case DatasetFormat::kAuto:
      break;
  }
  return "auto";
}

DatasetFormat DatasetFormatFromPath(absl::string_view path) {
  const std::string lower = absl::AsciiStrToLower(path);
  for (absl::string_view ext : {".pb", ".bin", ".binpb"}) {
    if (absl::EndsWith(lower, ext)) return DatasetFormat::kBinary;
  }
  if (absl::EndsWith(lower, ".json")) return DatasetFormat::kJson;
  for (absl::string_view ext : {".textproto", ".txtpb", ".pbtxt", ".txt"}) {
    if (absl::EndsWith(lower, ext)) return DatasetFormat::kText;
  }
  return DatasetFormat::kAuto;
}

DatasetFormat DetectDatasetFormat(absl::string_view bytes) {
  absl::string_view trimmed = absl::StripLeadingAsciiWhitespace(bytes);
  if (!trimmed.empty() && trimmed.front() == '{') return DatasetFormat::kJson;
  if (!bytes.empty() && LooksLikeText(bytes)) return DatasetFormat::kText;
  return DatasetFormat::kBinary;
}

absl::string_view WithoutByteOrderMark(absl::string_view bytes,
                                       DatasetFormat format) {
  constexpr absl::string_view kByteOrderMark = "\xEF\xBB\xBF";
  if (format == DatasetFormat::kBinary ||
      !absl::StartsWith(bytes, kByteOrderMark)) {
    return bytes;
  }
  const absl::string_view text = bytes.substr(kByteOrderMark.size());
  if (format == DatasetFormat::kAuto &&
      DetectDatasetFormat(text) == DatasetFormat::kBinary) {
    return bytes;
  }
  return text;
}

absl::Status ParseJsonOrText(absl::string_view bytes, DatasetFormat format,
                             absl::string_view what,
                             absl::string_view strings_what,
                             google::protobuf::Message* message) {
  if (format == DatasetFormat::kJson) {
    // JSON is UTF-8 (RFC 8259); the parser would echo bad bytes into its
    // error message (found by fuzz_dataset_json, issue #8).
    size_t bad = 0;
    if (!IsValidUtf8(bytes, &bad)) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": not valid UTF-8 at byte offset ", bad));
    }
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const auto status = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(bytes.data(), bytes.size()), message,
        options);
    if (!status.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": ",
                       JsonErrorLine(absl::string_view(
                           status.message().data(), status.message().size()))));
    }
    return absl::OkStatus();
  }
  google::protobuf::TextFormat::Parser parser;
  TextParseErrors errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(bytes), message)) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": ", errors.first().empty() ? "malformed" : errors.first()));
  }
  // The text parser accepts invalid UTF-8 in string fields.
  return CheckUtf8Strings(*message, strings_what);
}

namespace {

// ParseDataset's parsing proper, into `dataset` (fresh).
absl::Status ParseDatasetInto(absl::string_view bytes, DatasetFormat format,
                              v1::Dataset& dataset) {
  switch (format) {
    case DatasetFormat::kBinary: {
      // First a walk that names what is wrong (a truncation's offset, a
      // string that is not UTF-8), where protobuf would only log it.
      JC_RETURN_IF_ERROR(CheckWireFormat(bytes, *v1::Dataset::descriptor(),
                                         "binary dataset"));
      google::protobuf::io::CodedInputStream in(
          reinterpret_cast<const uint8_t*>(bytes.data()),
          static_cast<int>(bytes.size()));
      // Nesting is shallow in the schema; refuse deep garbage early.
      in.SetRecursionLimit(kMaxMessageDepth);
      if (!dataset.ParseFromCodedStream(&in) || !in.ConsumedEntireMessage()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "binary dataset (", bytes.size(),
            " bytes) is truncated or corrupted: not a jiceng.v1.Dataset"));
      }
      return absl::OkStatus();
    }
    case DatasetFormat::kJson:
      return ParseJsonOrText(bytes, format, "JSON dataset", "", &dataset);
    case DatasetFormat::kText:
      return ParseJsonOrText(bytes, format, "text dataset", "text dataset",
                             &dataset);
    case DatasetFormat::kAuto:
      break;
  }
  return absl::InvalidArgumentError("unknown dataset format");
}

// ParseDatasetInto into a message of its own. protobuf 3.21's parsers
// (binary, JSON and text alike) mark a oneof's message as set before
// allocating it (the catalogue's predicates): a std::bad_alloc there leaves
// a message whose destructor deletes an uninitialised pointer. So the
// dataset is parsed into a message of its own that is abandoned, never
// destroyed, when an exception leaves the parser (a leak on an allocation
// failure instead of a crash), and swapped out on success.
absl::StatusOr<v1::Dataset> ParseFresh(absl::string_view bytes,
                                       DatasetFormat format) {
  auto* fresh = new v1::Dataset;
  const absl::Status s = ParseDatasetInto(bytes, format, *fresh);
  if (!s.ok()) {
    delete fresh;
    return s;
  }
  v1::Dataset dataset;
  dataset.Swap(fresh);
  delete fresh;
  return dataset;
}

}  // namespace

absl::StatusOr<v1::Dataset> ParseDataset(absl::string_view bytes,
                                         DatasetFormat format) {
  if (bytes.size() > kMaxDatasetBytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("dataset of ", bytes.size(), " bytes exceeds the limit of ",
                     kMaxDatasetBytes, " bytes"));
  }
  if (absl::StartsWith(
          bytes, absl::string_view(kSnapshotMagic, sizeof(kSnapshotMagic)))) {
    // The other file a caller holds: say which it is and what reads it,
    // rather than where its bytes stop parsing as a Dataset.
    return absl::InvalidArgumentError(absl::StrCat(
        "these ", bytes.size(),
        " bytes are a compiled-engine snapshot (they begin with \"JICENGSN\"), "
        "not a jiceng.v1.Dataset: load them as a snapshot "
        "(jc_engine_create_from_snapshot; Engine.load_snapshot in Python, "
        "Engine.loadSnapshot in Java; --snapshot on the command line)"));
  }
  bytes = WithoutByteOrderMark(bytes, format);
  if (format != DatasetFormat::kAuto) return ParseFresh(bytes, format);
  format = DetectDatasetFormat(bytes);
  if (format != DatasetFormat::kBinary || !TextButForUtf8(bytes)) {
    return ParseFresh(bytes, format);
  }
  // Text but for its encoding: read as text first, whose error names the
  // element and field holding the bad bytes ("regions[4].name: not valid
  // UTF-8") where the binary reader could only say the bytes are no
  // Dataset. A text parse that succeeds (the bad byte in a comment) stands;
  // so does a binary one, should text fail and binary not.
  absl::StatusOr<v1::Dataset> text = ParseFresh(bytes, DatasetFormat::kText);
  if (text.ok()) return text;
  absl::StatusOr<v1::Dataset> binary =
      ParseFresh(bytes, DatasetFormat::kBinary);
  if (binary.ok()) return binary;
  return absl::Status(
      text.status().code(),
      absl::StrCat(
          text.status().message(),
          "; read as text: the bytes hold no control characters, and they are "
          "not a binary dataset either"));
}

absl::Status FileOpenError(const std::string& path, int err) {
  // By the reason: NOT_FOUND for a missing file (ENOENT, or a directory in
  // the path that is a file: ENOTDIR), PERMISSION_DENIED for one the
  // process may not read (EACCES, EPERM), absl's mapping for the rest.
  const absl::StatusCode code =
      err == ENOENT || err == ENOTDIR ? absl::StatusCode::kNotFound
      : err == EACCES || err == EPERM ? absl::StatusCode::kPermissionDenied
                                      : absl::ErrnoToStatusCode(err);
  return absl::Status(
      code, absl::StrCat("cannot open \"", path, "\": ", std::strerror(err)));
}

absl::Status FileReadError(const std::string& path, int err) {
  // Reading a directory fails here (EISDIR): the caller named something
  // that is not a data file.
  const std::string message =
      absl::StrCat("cannot read \"", path, "\": ", std::strerror(err));
  return err == EISDIR ? absl::InvalidArgumentError(message)
                       : absl::DataLossError(message);
}

absl::StatusOr<std::string> ReadFileBytes(const std::string& path,
                                          size_t max_bytes) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"),
                                          &std::fclose);
  if (!f) return FileOpenError(path, errno);
  // A regular file's size is known before reading it: one larger than the
  // limit is refused at once, not after reading the limit's worth of it.
  // (Pipes and devices report no size and are checked as they are read.)
  struct stat st;
  if (fstat(fileno(f.get()), &st) != 0) return FileReadError(path, errno);
  if (S_ISDIR(st.st_mode)) return FileReadError(path, EISDIR);
  std::string out;
  if (S_ISREG(st.st_mode) && st.st_size > 0) {
    const auto size = static_cast<unsigned long long>(st.st_size);
    if (size > max_bytes) {
      return absl::ResourceExhaustedError(
          absl::StrCat("\"", path, "\" is ", size,
                       " bytes, larger than the limit of ", max_bytes,
                       " bytes"));
    }
    out.reserve(static_cast<size_t>(size));
  }
  char buf[1 << 16];
  size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f.get())) > 0) {
    if (out.size() + got > max_bytes) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "\"", path, "\" is larger than the limit of ", max_bytes, " bytes"));
    }
    out.append(buf, got);
  }
  if (std::ferror(f.get())) return FileReadError(path, errno);
  return out;
}

absl::StatusOr<v1::Dataset> ReadDatasetFile(const std::string& path,
                                            DatasetFormat format) {
  absl::StatusOr<std::string> bytes = ReadFileBytes(path, kMaxDatasetBytes);
  if (!bytes.ok()) return bytes.status();
  if (format == DatasetFormat::kAuto) format = DatasetFormatFromPath(path);
  absl::StatusOr<v1::Dataset> dataset = ParseDataset(*bytes, format);
  if (!dataset.ok()) {
    return WithContext(path, dataset.status());
  }
  return dataset;
}

}  // namespace jiceng
