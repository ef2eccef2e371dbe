// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// libFuzzer target: the CLI's case reader (src/cli/case_reader.h) over
// arbitrary bytes. The first two bytes choose the file's name (so the
// format: sniffed, JSON lines or binary), the read size and the part
// limits; the rest is the file. Checks, besides the sanitizers': parts are
// numbered without gaps; a binary stream's parts are its bytes, in order,
// each at its offset, in whole frames but for a broken tail, or end with
// one broken frame's error; JSON lines give whole Case frames, or a part
// of one failed case naming its line.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "jiceng/v1/routing.pb.h"
#include "src/cli/case_reader.h"
#include "src/routing/batch.h"

namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "fuzz_case_reader: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  static const char* const kNames[] = {"cases", "cases.jsonl", "cases.bin",
                                       "cases.json"};
  const std::string name = kNames[data[0] & 3];
  jiceng::CaseReader::Options options;
  options.read_block = 1 + ((data[0] >> 2) & 63);
  options.part_cases = 1 + (data[1] & 15);
  options.part_bytes = 1 + static_cast<size_t>(data[1] >> 4) * 64;
  options.max_case_bytes = 1 + static_cast<size_t>(data[1] >> 4) * 100;
  const std::string file(reinterpret_cast<const char*>(data) + 2, size - 2);

  std::FILE* f = fmemopen(const_cast<char*>(file.data()), file.size(), "rb");
  if (f == nullptr) return 0;
  auto reader = jiceng::CaseReader::Open(f, name, options);
  if (!reader.ok()) Die("Open failed on a readable file");
  const bool json = (*reader)->json();
  std::string joined;
  int64_t index = 0;
  size_t parts = 0;
  bool broken = false;  // a binary frame that cannot be read ended it
  jiceng::CaseReader::Part part;
  std::vector<absl::string_view> frames;
  jiceng::v1::Case c;
  while (true) {
    absl::StatusOr<bool> more = (*reader)->Next(&part);
    if (!more.ok()) Die("Next failed on a readable file");
    if (!*more) break;
    if (broken) Die("a part after a broken binary frame");
    if (++parts > file.size() + 1) Die("more parts than bytes");
    if (part.first_index != index) Die("a part's first_index skips");
    frames.clear();
    const absl::Status split = jiceng::SplitDelimited(part.frames, &frames);
    if (json) {
      if (!part.error.ok()) {
        if (part.cases != 1 || !part.frames.empty()) {
          Die("a failed JSON line is not a part of its own");
        }
        const absl::string_view m = part.error.message();
        if (m.find(": not a jiceng.v1.Case") == absl::string_view::npos &&
            m.find(": a line of more than ") == absl::string_view::npos) {
          Die("a failed JSON line's error does not say so");
        }
      } else {
        if (!split.ok() || static_cast<int64_t>(frames.size()) != part.cases) {
          Die("a JSON part is not its cases' whole frames");
        }
        for (absl::string_view fr : frames) {
          if (!c.ParseFromArray(fr.data(), static_cast<int>(fr.size()))) {
            Die("a JSON part's frame is not a Case");
          }
        }
      }
    } else {
      if (part.first_byte != static_cast<int64_t>(joined.size())) {
        Die("a binary part's first_byte is not its offset");
      }
      if (!part.error.ok()) {
        // A frame that cannot be read ends the stream: the last part.
        if (part.cases != 1 || !part.frames.empty()) {
          Die("a broken binary frame is not a part of its own");
        }
        if (part.error.message().find("frame ") != 0) {
          Die("a broken binary frame's error does not name it");
        }
        broken = true;
        index += part.cases;
        continue;
      }
      if (static_cast<int64_t>(frames.size()) != part.cases) {
        Die("a binary part's cases are not its whole frames");
      }
      joined.append(part.frames.data(), part.frames.size());
      // Only the last part may end in a broken frame.
      if (!split.ok() && joined.size() != file.size()) {
        Die("a broken frame before the end");
      }
    }
    index += part.cases;
  }
  if (!json && !broken && joined != file) {
    Die("the binary parts are not the file");
  }
  if (!json && file.compare(0, joined.size(), joined) != 0) {
    Die("the binary parts are not the file's start");
  }
  reader->reset();
  std::fclose(f);
  return 0;
}
