// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/cli/case_reader.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "jiceng/v1/routing.pb.h"
#include "src/base/status_macros.h"
#include "src/dataset/dataset_io.h"
#include "src/routing/batch.h"

namespace jiceng {

absl::StatusOr<std::unique_ptr<CaseReader>> CaseReader::Open(
    const std::string& path, const Options& options) {
  if (path == "-") return Make(stdin, false, "standard input", options);
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return FileOpenError(path, errno);
  return Make(file, true, path, options);
}

absl::StatusOr<std::unique_ptr<CaseReader>> CaseReader::Open(
    std::FILE* file, const std::string& name, const Options& options) {
  return Make(file, false, name, options);
}

absl::StatusOr<std::unique_ptr<CaseReader>> CaseReader::Make(
    std::FILE* file, bool owned, const std::string& name,
    const Options& options) {
  int64_t size = -1;
  struct stat st;
  const int fd = fileno(file);
  if (fd >= 0 && fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      if (owned) std::fclose(file);
      return FileReadError(name, EISDIR);
    }
    if (S_ISREG(st.st_mode)) size = static_cast<int64_t>(st.st_size);
  }
  std::unique_ptr<CaseReader> reader(
      new CaseReader(file, owned, name, size, options));
  JC_RETURN_IF_ERROR(reader->Sniff());
  return reader;
}

CaseReader::CaseReader(std::FILE* file, bool owned, std::string path,
                       int64_t size, const Options& options)
    : file_(file),
      owned_(owned),
      path_(std::move(path)),
      size_(size),
      options_(options) {}

CaseReader::~CaseReader() {
  if (owned_) std::fclose(file_);
}

bool CaseReader::Reads(const std::string& path) const {
  struct stat in, out;
  const int fd = fileno(file_);
  return fd >= 0 && fstat(fd, &in) == 0 && stat(path.c_str(), &out) == 0 &&
         in.st_dev == out.st_dev && in.st_ino == out.st_ino;
}

absl::StatusOr<bool> CaseReader::Fill() {
  if (eof_) return false;
  const size_t had = buf_.size();
  buf_.resize(had + std::max<size_t>(options_.read_block, 1));
  const size_t got = std::fread(&buf_[had], 1, buf_.size() - had, file_);
  buf_.resize(had + got);
  read_ += static_cast<int64_t>(got);
  if (got > 0) return true;
  if (std::ferror(file_)) return FileReadError(path_, errno);
  eof_ = true;
  return false;
}

absl::Status CaseReader::Sniff() {
  const std::string name = absl::AsciiStrToLower(path_);
  for (absl::string_view ext : {".bin", ".pb", ".binpb", ".delimited"}) {
    if (absl::EndsWith(name, ext)) return absl::OkStatus();
  }
  for (absl::string_view ext : {".jsonl", ".ndjson", ".json"}) {
    if (absl::EndsWith(name, ext)) json_ = true;
  }
  // The first bytes: a UTF-8 byte-order mark (editors on Windows write
  // one), or the first byte after any whitespace and the one after it.
  size_t k = 0;
  while (true) {
    while (k < buf_.size() && absl::ascii_isspace(static_cast<unsigned char>(buf_[k]))) {
      ++k;
    }
    if (k + 1 < buf_.size() && buf_.size() >= 3) break;
    JC_ASSIGN_OR_RETURN(const bool more, Fill());
    if (!more) break;
  }
  if (absl::StartsWith(buf_, "\xEF\xBB\xBF")) {
    json_ = true;
    pos_ = 3;  // skipped: the first part starts after it
    return absl::OkStatus();
  }
  if (!json_ && k < buf_.size() && buf_[k] == '{') {
    const char next = k + 1 < buf_.size() ? buf_[k + 1] : '}';
    json_ = next == '"' || next == '}' || next == ' ' || next == '\t';
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> CaseReader::Next(Part* part) {
  // What the previous part pointed at is consumed: drop it.
  buf_.erase(0, pos_);
  base_ += static_cast<int64_t>(pos_);
  pos_ = 0;
  part->first_index = index_;
  part->first_byte = 0;
  part->cases = 0;
  part->frames = absl::string_view();
  part->error = absl::OkStatus();
  return json_ ? NextJson(part) : NextBinary(part);
}

absl::StatusOr<bool> CaseReader::NextBinary(Part* part) {
  part->first_byte = base_;
  size_t p = 0;
  int64_t cases = 0;
  while (cases < static_cast<int64_t>(options_.part_cases) &&
         p < options_.part_bytes) {
    if (p == buf_.size()) {
      JC_ASSIGN_OR_RETURN(const bool more, Fill());
      if (!more) break;
      continue;
    }
    size_t q = p;
    absl::string_view frame;
    if (NextFrame(buf_, &q, &frame)) {
      p = q;
      ++cases;
      continue;
    }
    // The frame is not all here: read on, or at the end of the file the
    // broken frame ends the stream (RouteBatch names it).
    JC_ASSIGN_OR_RETURN(const bool more, Fill());
    if (!more) {
      p = buf_.size();
      break;
    }
  }
  pos_ = p;
  index_ += cases;
  part->cases = cases;
  part->frames = absl::string_view(buf_.data(), p);
  return p > 0;
}

absl::StatusOr<bool> CaseReader::NextJson(Part* part) {
  if (!pending_.ok()) {
    part->error = std::move(pending_);
    pending_ = absl::OkStatus();
    part->cases = 1;
    ++index_;
    return true;
  }
  frames_.clear();
  v1::Case c;
  int64_t cases = 0;
  size_t searched = 0;  // no '\n' in [pos_, searched)
  while (cases < static_cast<int64_t>(options_.part_cases) &&
         frames_.size() < options_.part_bytes) {
    size_t nl = buf_.find('\n', std::max(pos_, searched));
    if (nl == std::string::npos) {
      searched = buf_.size();
      JC_ASSIGN_OR_RETURN(const bool more, Fill());
      if (more) continue;
      if (pos_ == buf_.size()) break;
      nl = buf_.size();  // the last line, without its '\n'
    }
    const absl::string_view line(buf_.data() + pos_, nl - pos_);
    pos_ = std::min(nl + 1, buf_.size());
    ++line_;
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    c.Clear();
    const auto st = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(line.data(), line.size()), &c);
    if (!st.ok()) {
      absl::Status error = absl::InvalidArgumentError(absl::StrCat(
          path_, ":", line_, ": not a jiceng.v1.Case: ",
          absl::string_view(st.message().data(), st.message().size())));
      if (cases == 0) {
        part->error = std::move(error);
        part->cases = 1;
        ++index_;
        return true;
      }
      pending_ = std::move(error);
      break;
    }
    AppendDelimited(c, &frames_);
    ++cases;
  }
  index_ += cases;
  part->cases = cases;
  part->frames = frames_;
  return cases > 0;
}

}  // namespace jiceng
