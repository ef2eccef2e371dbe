// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Compiled-engine snapshots (src/engine/snapshot.h): an engine loaded from
// a snapshot answers exactly as the compiled one (routing decisions, service
// routing, lifecycle, assessment, Info) on the sample dataset and the
// generated province; snapshots are deterministic across saves and
// processes; damaged or hostile snapshots fail with a precise error, never
// a crash (the fuzz preset runs this under ASan and UBSan).
//
// Own main: started with JICENG_SNAPSHOT_OUT set, the program writes the
// sample snapshot there (Snapshot.SameBytesAcrossProcesses).

#include "src/engine/snapshot.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/assessment/assess.h"
#include "src/base/fingerprint.h"
#include "src/dataset/dataset_io.h"
#include "src/engine/engine.h"
#include "src/gen/province_generator.h"
#include "src/gen/workload_generator.h"
#include "src/lifecycle/lifecycle.h"
#include "src/routing/batch.h"
#include "src/routing/router.h"
#include "src/routing/service_router.h"
#include "src/sample/sample_cases.h"
#include "src/sample/sample_dataset.h"
#include "src/sample/sample_lifecycle.h"
#include "tests/child_process.h"
#include "tests/status_matchers.h"

namespace jiceng {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kOutEnv[] = "JICENG_SNAPSHOT_OUT";

std::unique_ptr<const Engine> SampleEngine() {
  auto e = Engine::Compile(SampleDataset());
  EXPECT_THAT(e, IsOk());
  return e.ok() ? std::move(*e) : nullptr;
}

std::string SampleSnapshot() {
  static const std::string* bytes = [] {
    auto s = SampleEngine()->SaveSnapshot();
    EXPECT_THAT(s, IsOk());
    return new std::string(s.ok() ? *s : "");
  }();
  return *bytes;
}

// Writes `checksum` into a forged snapshot's header.
void Reseal(std::string* bytes) {
  const uint64_t sum = SnapshotChecksum(*bytes);
  std::memcpy(&(*bytes)[56], &sum, sizeof(sum));
}

template <typename T>
void Poke(std::string* bytes, uint64_t offset, T value) {
  ASSERT_LE(offset + sizeof(T), bytes->size());
  std::memcpy(&(*bytes)[offset], &value, sizeof(T));
}

const SnapshotSection& Section(const SnapshotSummary& s,
                               absl::string_view name) {
  for (const SnapshotSection& x : s.sections) {
    if (x.name == name) return x;
  }
  ADD_FAILURE() << "no section " << name;
  static const SnapshotSection none;
  return none;
}

// Everything an engine answers for the sample inputs, serialized: every
// sample case's decision (with explanations), every item's service routing
// at every township and village of the sample, the sample lifecycles'
// records, their assessment, and Info() (less memory_bytes and
// region_index_bytes: a loaded engine holds its arrays without the spare
// capacity compilation leaves).
std::string SampleTranscript(const Engine& engine) {
  std::string out;
  Router router(engine);
  v1::RouteOptions options;
  options.set_explain_text(true);
  for (const v1::Case& c : SampleCases(engine)) {
    RouteResult r;
    const absl::Status s = router.Route(c, &r);
    if (s.ok()) {
      router.AppendDecision(c, r, options, &out);
    } else {
      out += s.ToString();
    }
  }
  const Hierarchy& h = engine.hierarchy();
  const Catalogue& cat = engine.catalogue();
  for (ItemId i = 0; i < cat.item_count(); ++i) {
    for (RegionId r = 0; r < h.size(); ++r) {
      if (h.level(r) != v1::REGION_LEVEL_TOWNSHIP &&
          h.level(r) != v1::REGION_LEVEL_VILLAGE) {
        continue;
      }
      v1::ServiceRequest q;
      q.set_id("S");
      q.set_item_code(cat.item(i).code);
      q.set_applicant_region_code(h.key(r));
      q.set_requested_at(1790000000);
      auto d = RouteService(engine, q);
      out += d.ok() ? d->SerializeAsString() : d.status().ToString();
    }
  }
  SampleLifecycleResult lifecycle = RunSampleLifecycles(engine);
  v1::AssessRequest assess;
  for (const v1::CaseRecord& record : lifecycle.records) {
    out += record.SerializeAsString();
    *assess.add_records() = record;
  }
  assess.set_as_of(lifecycle.end_time);
  auto report = Assess(engine, assess);
  out += report.ok() ? report->SerializeAsString() : report.status().ToString();
  v1::EngineInfo info = engine.Info();
  info.clear_memory_bytes();
  info.clear_region_index_bytes();
  out += info.SerializeAsString();
  return out;
}

TEST(Fingerprint64, MatchesTheXxh64ReferenceVectors) {
  EXPECT_EQ(Fingerprint64(""), 0xEF46DB3751D8E999ull);
  EXPECT_EQ(Fingerprint64("a"), 0xD24EC4F1A98C6E5Bull);
  EXPECT_EQ(Fingerprint64("abc"), 0x44BC2CF5AD770999ull);
  EXPECT_EQ(FingerprintHex(0x44BC2CF5AD770999ull), "44bc2cf5ad770999");
}

TEST(Fingerprint64, StreamedInPiecesEqualsOneShot) {
  std::string bytes;
  for (int i = 0; i < 1000; ++i) bytes.push_back(static_cast<char>(i * 37));
  for (size_t size : {0u, 1u, 3u, 31u, 32u, 33u, 64u, 100u, 1000u}) {
    const absl::string_view all = absl::string_view(bytes).substr(0, size);
    for (size_t piece : {1u, 5u, 31u, 32u, 64u, 1000u}) {
      Fingerprint64Stream stream(42);
      for (size_t at = 0; at < all.size(); at += piece) {
        stream.Update(all.substr(at, piece));
      }
      EXPECT_EQ(stream.Finish(), Fingerprint64(all, 42))
          << size << " bytes in pieces of " << piece;
    }
  }
}

TEST(Snapshot, LayoutRecorded) {
  // A member added to a compiled structure must be saved: add it to its
  // Transfer in src/engine/snapshot.cc, bump kSnapshotFormatVersion and
  // record the new size in kLayout there.
  EXPECT_THAT(SnapshotLayoutChanges(), ::testing::IsEmpty());
}

TEST(Snapshot, SampleRoundTripAnswersIdentically) {
  std::unique_ptr<const Engine> compiled = SampleEngine();
  ASSERT_NE(compiled, nullptr);
  auto loaded = Engine::LoadSnapshot(SampleSnapshot());
  ASSERT_THAT(loaded, IsOk());
  const std::string expected = SampleTranscript(*compiled);
  EXPECT_GT(expected.size(), 10000u);
  EXPECT_EQ(SampleTranscript(**loaded), expected);
  EXPECT_EQ((*loaded)->dataset_fingerprint(), compiled->dataset_fingerprint());
  EXPECT_EQ((*loaded)->Info().dataset_fingerprint(),
            FingerprintHex(compiled->dataset_fingerprint()));
  // Every unit's code and name (the organization's text tables, rebuilt
  // from the records), each unit found by its code, every item by its.
  const Organization& a = compiled->organization();
  const Organization& b = (*loaded)->organization();
  ASSERT_EQ(b.size(), a.size());
  for (UnitId u = 0; u < a.size(); ++u) {
    EXPECT_EQ(b.code(u), a.code(u));
    EXPECT_EQ(b.name(u), a.name(u));
    EXPECT_EQ(b.Find(a.code(u)), u);
  }
  EXPECT_EQ(b.Find("no-such-unit"), kNoUnit);
  const Catalogue& ca = compiled->catalogue();
  for (ItemId i = 0; i < ca.item_count(); ++i) {
    EXPECT_EQ((*loaded)->catalogue().FindItem(ca.item(i).code), i);
  }
  // Saving the loaded engine gives the same bytes again.
  auto again = (*loaded)->SaveSnapshot();
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(*again, SampleSnapshot());
}

TEST(Snapshot, FingerprintIsTheDatasetsWhateverItsFormat) {
  auto binary = Engine::Load(SampleDatasetBinary(), DatasetFormat::kBinary);
  ASSERT_THAT(binary, IsOk());
  EXPECT_EQ((*binary)->dataset_fingerprint(),
            SampleEngine()->dataset_fingerprint());
  v1::Dataset changed = SampleDataset();
  changed.mutable_meta()->set_version("other");
  auto other = Engine::Compile(changed);
  ASSERT_THAT(other, IsOk());
  EXPECT_NE((*other)->dataset_fingerprint(),
            (*binary)->dataset_fingerprint());
}

TEST(Snapshot, SameBytesAcrossSavesAndEngines) {
  const std::string a = SampleSnapshot();
  auto b = SampleEngine()->SaveSnapshot();
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(a, *b);
  auto summary = DescribeSnapshot(a);
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(summary->format_version, kSnapshotFormatVersion);
  EXPECT_EQ(summary->library_version, JICENG_VERSION_STRING);
  EXPECT_GE(summary->sections.size(), 30u);
}

TEST(Snapshot, SameBytesAcrossProcesses) {
  const std::string a = RunSelfWriting(kOutEnv);
  const std::string b = RunSelfWriting(kOutEnv);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, SampleSnapshot());
}

TEST(Snapshot, EverySingleByteCorruptionIsRefused) {
  const std::string good = SampleSnapshot();
  ASSERT_THAT(Engine::LoadSnapshot(good), IsOk());
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x5A);
    auto e = Engine::LoadSnapshot(bad);
    ASSERT_FALSE(e.ok()) << "byte " << i;
    const absl::StatusCode code = e.status().code();
    ASSERT_TRUE(code == absl::StatusCode::kDataLoss ||
                code == absl::StatusCode::kInvalidArgument)
        << "byte " << i << ": " << e.status();
  }
}

TEST(Snapshot, TruncatedAtEverySectionBoundaryIsRefused) {
  const std::string good = SampleSnapshot();
  auto summary = DescribeSnapshot(good);
  ASSERT_THAT(summary, IsOk());
  std::vector<size_t> cuts = {0, 7, 8, 63, 64, 100};
  for (const SnapshotSection& s : summary->sections) {
    cuts.push_back(s.offset);
    cuts.push_back(s.offset + s.length / 2);
    cuts.push_back(s.offset + s.length);
  }
  for (size_t cut : cuts) {
    if (cut >= good.size()) continue;
    const std::string bad = good.substr(0, cut);
    auto e = Engine::LoadSnapshot(bad);
    ASSERT_FALSE(e.ok()) << "cut at " << cut;
    if (cut < sizeof(kSnapshotMagic)) {
      // Not even the whole magic: not a snapshot at all.
      EXPECT_THAT(e.status(), StatusIs(absl::StatusCode::kInvalidArgument,
                                       "not a jiceng snapshot"))
          << "cut at " << cut;
      continue;
    }
    if (cut < kSnapshotHeaderBytes) {
      // Cut inside the header: still a snapshot cut short, not another file.
      EXPECT_THAT(e.status(),
                  StatusIs(absl::StatusCode::kDataLoss,
                           "shorter than its 64-byte header: truncated"))
          << "cut at " << cut;
      continue;
    }
    EXPECT_THAT(e.status(),
                StatusIs(absl::StatusCode::kDataLoss, "truncated"))
        << "cut at " << cut;
    // The same cut with a header that agrees: the section table notices.
    std::string forged = bad;
    Poke<uint64_t>(&forged, 40, forged.size());
    Reseal(&forged);
    auto f = Engine::LoadSnapshot(forged);
    ASSERT_FALSE(f.ok()) << "cut at " << cut;
    EXPECT_EQ(f.status().code(), absl::StatusCode::kDataLoss) << f.status();
  }
}

TEST(Snapshot, BadMagicVersionByteOrderAndChecksum) {
  const std::string good = SampleSnapshot();
  std::string magic = good;
  magic[0] = 'X';
  EXPECT_THAT(Engine::LoadSnapshot(magic).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "not a jiceng snapshot"));
  EXPECT_THAT(Engine::LoadSnapshot("").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "not a jiceng snapshot"));
  std::string version = good;
  Poke<uint32_t>(&version, 8, kSnapshotFormatVersion + 1);
  Reseal(&version);
  EXPECT_THAT(Engine::LoadSnapshot(version).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       absl::StrCat("snapshot format version ",
                                    kSnapshotFormatVersion + 1,
                                    " is not supported")));
  std::string order = good;
  Poke<uint32_t>(&order, 12, 0x04030201u);
  Reseal(&order);
  EXPECT_THAT(Engine::LoadSnapshot(order).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "byte-order"));
  std::string checksum = good;
  checksum[56] = static_cast<char>(checksum[56] ^ 1);
  EXPECT_THAT(Engine::LoadSnapshot(checksum).status(),
              StatusIs(absl::StatusCode::kDataLoss, "checksum mismatch"));
  std::string payload = good;
  payload[good.size() - 9] = static_cast<char>(payload[good.size() - 9] ^ 1);
  EXPECT_THAT(Engine::LoadSnapshot(payload).status(),
              StatusIs(absl::StatusCode::kDataLoss, "checksum mismatch"));
  // A not-a-snapshot that happens to be a dataset: a clear error.
  EXPECT_THAT(Engine::LoadSnapshot(SampleDatasetBinary()).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "not a jiceng snapshot"));
}

// `good` with the sections `extra` (name, bytes) added after its own: their
// table entries inserted after the others' (every section moves by 64
// bytes an entry), their bytes appended in the order given.
std::string WithExtraSections(
    const std::string& good,
    const std::vector<std::pair<std::string, std::string>>& extra) {
  std::string b = good;
  uint32_t count = 0;
  std::memcpy(&count, &b[48], sizeof count);
  const uint64_t shift = kSnapshotSectionEntryBytes * extra.size();
  for (uint32_t i = 0; i < count; ++i) {
    const uint64_t at = kSnapshotHeaderBytes + kSnapshotSectionEntryBytes * i +
                        kSnapshotSectionNameBytes;
    uint64_t offset = 0;
    std::memcpy(&offset, &b[at], sizeof offset);
    Poke<uint64_t>(&b, at, offset + shift);
  }
  std::string entries;
  uint64_t offset = good.size() + shift;
  for (const auto& [name, data] : extra) {
    std::string e(kSnapshotSectionEntryBytes, '\0');
    e.replace(0, name.size(), name);
    Poke<uint64_t>(&e, kSnapshotSectionNameBytes, offset);
    Poke<uint64_t>(&e, kSnapshotSectionNameBytes + 8, data.size());
    entries += e;
    offset += data.size();
  }
  b.insert(kSnapshotHeaderBytes + kSnapshotSectionEntryBytes * count, entries);
  for (const auto& [name, data] : extra) b += data;
  Poke<uint32_t>(&b, 48, count + static_cast<uint32_t>(extra.size()));
  Poke<uint64_t>(&b, 40, b.size());
  Reseal(&b);
  return b;
}

// A snapshot of a later layout holds sections this version does not know:
// the error names the first of them in the file, and among those at one
// offset the first by name — the same message on every run, whatever the
// order of the loader's hash table.
TEST(Snapshot, UnknownSectionsNameTheFirstInTheFile) {
  const std::string good = SampleSnapshot();
  const uint64_t end = good.size() + 3 * kSnapshotSectionEntryBytes;
  const std::string empty_ones = WithExtraSections(
      good, {{"zz.later", ""}, {"aa.sorted", ""}, {"mm.middle", ""}});
  const std::string data_first = WithExtraSections(
      good, {{"zz.first", "12345678"}, {"aa.second", ""}, {"mm.third", ""}});
  for (int run = 0; run < 3; ++run) {
    EXPECT_THAT(Engine::LoadSnapshot(empty_ones).status(),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         absl::StrCat("snapshot section aa.sorted at offset ",
                                      end, " is unknown to this version")));
    EXPECT_THAT(Engine::LoadSnapshot(data_first).status(),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         absl::StrCat("snapshot section zz.first at offset ",
                                      end, " is unknown to this version")));
  }
  // The same forgery without the extra sections loads: only they are
  // refused.
  EXPECT_THAT(Engine::LoadSnapshot(WithExtraSections(good, {})).status(),
              IsOk());
}

// The reverse mistake: a snapshot given where a dataset is read, in every
// format (and from a file, with or without a dataset's extension), says
// what the bytes are and what loads them.
TEST(Snapshot, DatasetReadersNameASnapshot) {
  const std::string snapshot = SampleSnapshot();
  for (DatasetFormat format : {DatasetFormat::kAuto, DatasetFormat::kBinary,
                               DatasetFormat::kJson, DatasetFormat::kText}) {
    const absl::Status s = ParseDataset(snapshot, format).status();
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                            "are a compiled-engine snapshot"))
        << DatasetFormatName(format);
    EXPECT_THAT(std::string(s.message()),
                HasSubstr("jc_engine_create_from_snapshot"));
    EXPECT_THAT(Engine::Load(snapshot, format).status(),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         "compiled-engine snapshot"));
  }
  const std::string dir = ::testing::TempDir();
  for (const char* name : {"engine.jcsnap", "engine.binpb"}) {
    const std::string path = dir + "/" + name;
    std::ofstream(path, std::ios::binary) << snapshot;
    EXPECT_THAT(ReadDatasetFile(path, DatasetFormat::kAuto).status(),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         "compiled-engine snapshot"))
        << name;
  }
  // Only the whole magic: a dataset whose first bytes happen to begin
  // like it is still read as a dataset (and refused as one).
  const absl::Status near =
      ParseDataset("JICENGS", DatasetFormat::kBinary).status();
  EXPECT_EQ(near.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(near.message()), Not(HasSubstr("snapshot")));
}

// Forged snapshots with a valid checksum: the bounds checks name the
// section and the offset of the bad entry.
TEST(Snapshot, IndexOutOfRangeGivesThePreciseError) {
  const std::string good = SampleSnapshot();
  auto summary = DescribeSnapshot(good);
  ASSERT_THAT(summary, IsOk());
  const SnapshotSection& nodes = Section(*summary, "hierarchy.nodes");
  ASSERT_GT(nodes.count, 5u);

  // A region's parent after it (breaks pre-order). A node is 16 bytes:
  // parent, township and descriptor, subtree end, descriptor.
  {
    std::string bad = good;
    const uint64_t at = nodes.offset + 5 * 16;
    Poke<uint32_t>(&bad, at, 1000000);
    Reseal(&bad);
    EXPECT_THAT(Engine::LoadSnapshot(bad).status(),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         absl::StrCat("snapshot section hierarchy.nodes at "
                                      "offset ",
                                      at, " (entry 5): parent 1000000")));
  }
  // A subtree end beyond the table.
  {
    std::string bad = good;
    const uint64_t at = nodes.offset + 3 * 16;
    Poke<uint32_t>(&bad, at + 8, 1u << 30);
    Reseal(&bad);
    EXPECT_THAT(
        Engine::LoadSnapshot(bad).status(),
        StatusIs(absl::StatusCode::kInvalidArgument,
                 absl::StrCat("snapshot section hierarchy.nodes at offset ",
                              at, " (entry 3): subtree end")));
  }
  // Two regions with one code: the code index would be ambiguous.
  {
    const SnapshotSection& keys = Section(*summary, "hierarchy.keys");
    ASSERT_GT(keys.count, 5u);
    std::string bad = good;
    uint64_t key4 = 0;
    std::memcpy(&key4, &good[keys.offset + 4 * 8], 8);
    Poke<uint64_t>(&bad, keys.offset + 5 * 8, key4);
    Reseal(&bad);
    EXPECT_THAT(Engine::LoadSnapshot(bad).status(),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         "hierarchy.keys: two regions have the same code"));
  }
  // Two matters with one code: the code lookup would be ambiguous. A
  // matter record starts with its code (a 4-byte length, the bytes).
  {
    const SnapshotSection& matters = Section(*summary, "catalogue.matters");
    ASSERT_GT(matters.count, 1u);
    uint32_t length = 0;
    std::memcpy(&length, &good[matters.offset], 4);
    const std::string first = good.substr(matters.offset, 4 + length);
    // The next record's code: the next 4-byte length equal to `length`
    // followed by bytes that differ from the first code. Sample matter
    // codes are five digits, so any digit run of that length is one.
    std::string bad = good;
    size_t at = matters.offset + first.size();
    for (; at + first.size() < matters.offset + matters.length; ++at) {
      if (std::memcmp(&good[at], first.data(), 4) == 0 &&
          good.compare(at, first.size(), first) != 0 &&
          std::isdigit(static_cast<unsigned char>(good[at + 4]))) {
        break;
      }
    }
    ASSERT_LT(at + first.size(), matters.offset + matters.length);
    bad.replace(at, first.size(), first);
    Reseal(&bad);
    EXPECT_THAT(Engine::LoadSnapshot(bad).status(),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         "catalogue.matters"));
    EXPECT_THAT(Engine::LoadSnapshot(bad).status(),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         "duplicate key"));
  }
  // The first rule's matter (after its id string) out of range.
  {
    const SnapshotSection& rules = Section(*summary, "catalogue.rules");
    const SnapshotSection& matters = Section(*summary, "catalogue.matters");
    std::string bad = good;
    uint32_t id_length = 0;
    std::memcpy(&id_length, &good[rules.offset], 4);
    const uint64_t at = rules.offset + 4 + id_length;
    Poke<uint32_t>(&bad, at, static_cast<uint32_t>(matters.count) + 7);
    Reseal(&bad);
    EXPECT_THAT(
        Engine::LoadSnapshot(bad).status(),
        StatusIs(absl::StatusCode::kInvalidArgument,
                 absl::StrCat("snapshot section catalogue.rules at offset ",
                              at, ": index ", matters.count + 7,
                              " is out of range (catalogue.matters has ",
                              matters.count, " entries)")));
  }
  // A township's delegation entries out of order: the directory by item
  // and the searches in it rely on the order.
  {
    const SnapshotSection& begin =
        Section(*summary, "catalogue.township_delegations_begin");
    const SnapshotSection& entries =
        Section(*summary, "catalogue.township_delegations");
    // The first township row with two entries.
    size_t row = 0;
    uint32_t b = 0, e = 0;
    for (; row + 1 < begin.count; ++row) {
      std::memcpy(&b, &good[begin.offset + 4 * row], 4);
      std::memcpy(&e, &good[begin.offset + 4 * (row + 1)], 4);
      if (e - b >= 2) break;
    }
    ASSERT_LT(row + 1, begin.count) << "no township has two delegations";
    std::string bad = good;
    const uint64_t first = entries.offset + 8 * uint64_t{b};
    bad.replace(first, 8, good, first + 8, 8);
    bad.replace(first + 8, 8, good, first, 8);
    Reseal(&bad);
    EXPECT_THAT(
        Engine::LoadSnapshot(bad).status(),
        StatusIs(absl::StatusCode::kInvalidArgument,
                 absl::StrCat("snapshot section catalogue.township_delegations"
                              " at offset ",
                              first + 8, " (entry ", b + 1, "): entry (item ")));
  }
  // A township's entry naming a delegation past the catalogue's, and one
  // past what an in-memory entry holds (30 bits, beside the mode): both
  // refused, each at its entry.
  {
    const SnapshotSection& entries =
        Section(*summary, "catalogue.township_delegations");
    ASSERT_GT(entries.count, 3u);
    for (uint32_t delegation : {0x00FFFFFFu, 0x40000000u, 0xFFFFFFFFu}) {
      std::string bad = good;
      const uint64_t at = entries.offset + 8 * 3;
      Poke<uint32_t>(&bad, at + 4, delegation);
      Reseal(&bad);
      const absl::Status status = Engine::LoadSnapshot(bad).status();
      EXPECT_THAT(status,
                  StatusIs(absl::StatusCode::kInvalidArgument,
                           absl::StrCat("snapshot section "
                                        "catalogue.township_delegations at "
                                        "offset ",
                                        at, " (entry 3): ")));
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                                   absl::StrCat("delegation ", delegation,
                                                " is out of range")));
    }
  }
  // A delegated "township" that is the root region: in range and in
  // order, but with no organization row to find its directory block by.
  {
    const SnapshotSection& towns =
        Section(*summary, "catalogue.delegated_townships");
    ASSERT_GT(towns.count, 1u);
    std::string bad = good;
    Poke<uint32_t>(&bad, towns.offset, 0);
    Reseal(&bad);
    EXPECT_THAT(
        Engine::LoadSnapshot(bad).status(),
        StatusIs(absl::StatusCode::kInvalidArgument,
                 absl::StrCat("snapshot section catalogue.delegated_townships"
                              " at offset ",
                              towns.offset,
                              " (entry 0): region 0 is not a township")));
  }
  // A unit in the organisation's dense table.
  {
    const SnapshotSection& table = Section(*summary, "organization.table");
    ASSERT_GT(table.count, 2u);
    std::string bad = good;
    Poke<uint32_t>(&bad, table.offset + 8, 0x7FFFFFFFu);
    Reseal(&bad);
    EXPECT_THAT(Engine::LoadSnapshot(bad).status(),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         absl::StrCat("snapshot section organization.table at "
                                      "offset ",
                                      table.offset + 8, " (entry 2): unit")));
  }
  // A count in the table larger than its section holds.
  {
    std::string bad = good;
    for (size_t i = 0; i < summary->sections.size(); ++i) {
      if (summary->sections[i].name == "calendar.working_days_before") {
        Poke<uint64_t>(&bad, 64 + 64 * i + 56, uint64_t{1} << 60);
      }
    }
    Reseal(&bad);
    EXPECT_THAT(Engine::LoadSnapshot(bad).status(),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         "snapshot section calendar.working_days_before"));
  }
}

// ---------------------------------------------------------------------------
// Forged snapshots: one compiled field changed behind a valid checksum (the
// checksum is unkeyed: anyone can reseal), each refused by the check that
// keeps it from reaching the algorithms, with the section named. Record
// sections are walked field by field as their Transfer in snapshot.cc
// writes them, described by a layout: 's' a string (uint32 length, the
// bytes), 'v' a list of uint32 indices (uint32 count, the entries), a
// digit a fixed field of that many bytes. (A layout may stop after the
// last field a test reads of a section's first record.)

// organization.units: code, name, kind, region, parent, department type,
// office type, centre type.
constexpr char kUnitLayout[] = "ss444444";
enum { kUnitCode = 0, kUnitKind = 2, kUnitRegion = 3 };
// catalogue.matters: code, name, category, four limits (unit, amount),
// major, rules [begin, end).
constexpr char kMatterLayout[] =
    "ss4"
    "44444444"
    "1"
    "44";
enum { kMatterRulesBegin = 12, kMatterRulesEnd = 13 };
// catalogue.roles: kind, department type, unit, label.
constexpr char kRoleLayout[] = "444s";
// catalogue.predicates: attribute, operator, value, set [begin, end), min,
// max.
constexpr char kPredicateLayout[] = "4144488";
enum {
  kPredicateAttribute = 0,
  kPredicateOp = 1,
  kPredicateSetBegin = 3,
  kPredicateSetEnd = 4,
  kPredicateMin = 5,
};
constexpr char kRuleLayout[] =
    "s"      // id
    "44444"  // matter, priority, depth, predicate count, region
    "121"    // township class, urban-rural and request kind masks
    "44"
    "44"        // urgency min and max, window
    "44"        // predicates [begin, end)
    "444s"      // lead: kind, department type, unit, label
    "44"        // co-handlers [begin, end)
    "444s"      // supervisor
    "444"       // item, duty type, tier
    "44444444"  // four limits
    "4s";       // scenario, dispute
enum {
  kRuleMatter = 1,
  kRulePriority = 2,
  kRuleDepth = 3,
  kRulePredicateCount = 4,
  kRuleWindowTo = 12,
  kRulePredicatesBegin = 13,
  kRulePredicatesEnd = 14,
  kRuleLeadKind = 15,
  kRuleLeadType = 16,
  kRuleLeadUnit = 17,
  kRuleCoHandlersBegin = 19,
  kRuleCoHandlersEnd = 20,
  kRuleSupervisorKind = 21,
  kRuleSupervisorType = 22,
  kRuleSupervisorUnit = 23,
  kRuleScenario = 36,
};
// catalogue.items, up to the window: code, name, list type, power kind,
// exercising level, department type, lead department type, township role,
// four limits, window.
constexpr char kItemLayout[] =
    "ss444444"
    "44444444"
    "44";
enum { kItemWindowTo = 17 };
// catalogue.delegations: id, item, from department type, mode, window,
// townships, document.
constexpr char kDelegationLayout[] = "s44444vs";
enum {
  kDelegationItem = 1,
  kDelegationFromType = 2,
  kDelegationWindowTo = 5,
  kDelegationTownships = 6,
};
// hierarchy.nodes (16 bytes): parent, township (low 24 bits) and the
// descriptor's low byte (high 8), subtree end, descriptor, unused.
constexpr uint64_t kNodeBytes = 16;

// A snapshot being forged: fields found by section, record and layout,
// changed in place, resealed on Load.
class Forger {
 public:
  explicit Forger(std::string bytes) : bytes_(std::move(bytes)) {
    auto summary = DescribeSnapshot(bytes_);
    EXPECT_THAT(summary, IsOk());
    if (summary.ok()) summary_ = *summary;
  }

  const SnapshotSection& section(absl::string_view name) const {
    return Section(summary_, name);
  }
  uint64_t count(absl::string_view name) const { return section(name).count; }

  // The offset of field `field` of record `record` of section `name`.
  uint64_t At(absl::string_view name, uint64_t record, absl::string_view layout,
              size_t field) const {
    uint64_t at = section(name).offset;
    auto skip = [&](char f) {
      switch (f) {
        case 's':
          at += 4 + U32(at);
          break;
        case 'v':
          at += 4 + 4 * uint64_t{U32(at)};
          break;
        default:
          at += static_cast<uint64_t>(f - '0');
      }
    };
    for (uint64_t r = 0; r < record; ++r) {
      for (char f : layout) skip(f);
    }
    for (size_t k = 0; k < field; ++k) skip(layout[k]);
    return at;
  }
  uint32_t U32(uint64_t at) const {
    uint32_t v = 0;
    EXPECT_LE(at + 4, bytes_.size());
    if (at + 4 <= bytes_.size()) std::memcpy(&v, &bytes_[at], 4);
    return v;
  }
  uint8_t U8(uint64_t at) const { return static_cast<uint8_t>(bytes_[at]); }
  uint32_t Get(absl::string_view name, uint64_t record,
               absl::string_view layout, size_t field) const {
    return U32(At(name, record, layout, field));
  }
  template <typename T>
  void Set(uint64_t at, T value) {
    Poke(&bytes_, at, value);
  }
  void Put(absl::string_view name, uint64_t record, absl::string_view layout,
           size_t field, uint32_t value) {
    Set<uint32_t>(At(name, record, layout, field), value);
  }

  // hierarchy.nodes: a region's parent, township, level and kind.
  uint64_t NodeAt(uint32_t region) const {
    return section("hierarchy.nodes").offset + kNodeBytes * region;
  }
  uint32_t Parent(uint32_t region) const { return U32(NodeAt(region)); }
  uint32_t Low(uint32_t region) const {
    return static_cast<uint8_t>(bytes_[NodeAt(region) + 7]);
  }
  uint32_t Level(uint32_t region) const { return Low(region) & 7u; }
  // Sets the level bits of both copies of a region's low descriptor byte.
  void SetLevel(uint32_t region, uint32_t level) {
    const char low = static_cast<char>((Low(region) & ~7u) | level);
    bytes_[NodeAt(region) + 7] = low;
    bytes_[NodeAt(region) + 12] = low;
  }

  // Removes `n` bytes at `at`, inside section `name`, which holds `fewer`
  // entries less: the section table and the header's size follow.
  void Erase(absl::string_view name, uint64_t at, uint64_t n, uint64_t fewer) {
    bytes_.erase(at, n);
    for (size_t i = 0; i < summary_.sections.size(); ++i) {
      SnapshotSection& s = summary_.sections[i];
      const uint64_t entry = kSnapshotHeaderBytes + 64 * i + 40;
      if (s.name == name) {
        s.length -= n;
        s.count -= fewer;
        Set<uint64_t>(entry + 8, s.length);
        Set<uint64_t>(entry + 16, s.count);
      } else if (s.offset > at) {
        s.offset -= n;
        Set<uint64_t>(entry, s.offset);
      }
    }
    Set<uint64_t>(40, bytes_.size());
  }

  std::string Sealed() const {
    std::string b = bytes_;
    Reseal(&b);
    return b;
  }
  absl::Status Load() const { return Engine::LoadSnapshot(Sealed()).status(); }
  std::string& bytes() { return bytes_; }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
  SnapshotSummary summary_;
};

// INVALID_ARGUMENT naming `section` (and an offset in it) and saying `what`.
// A failure names the caller's line.
void ExpectRefused(const Forger& f, absl::string_view section,
                   absl::string_view what, const char* file = __builtin_FILE(),
                   int line = __builtin_LINE()) {
  const ::testing::ScopedTrace trace(file, line, "ExpectRefused");
  const absl::Status s = f.Load();
  EXPECT_THAT(
      s, StatusIs(absl::StatusCode::kInvalidArgument,
                  absl::StrCat("snapshot section ", section, " at offset ")));
  EXPECT_THAT(std::string(s.message()), HasSubstr(std::string(what)));
}

// A "none" (0xFFFFFFFF) where Compile never
// leaves one is an index out of range like any other, at its field.
TEST(Snapshot, ForgedNoneWhereCompileNeverLeavesOneIsRefused) {
  struct Field {
    const char* section;
    const char* layout;
    size_t field;
    const char* table;  // what the index points into
  };
  const Field fields[] = {
      {"organization.units", kUnitLayout, kUnitRegion, "hierarchy.nodes"},
      {"organization.by_role", "84", 1, "organization.units"},
      {"organization.by_region", "44", 0, "hierarchy.nodes"},
      {"organization.by_region", "44", 1, "organization.units"},
      {"catalogue.predicates", kPredicateLayout, kPredicateAttribute,
       "catalogue.attribute_types"},
      {"catalogue.rules", kRuleLayout, kRuleMatter, "catalogue.matters"},
      {"catalogue.delegations", kDelegationLayout, kDelegationItem,
       "catalogue.items"},
  };
  for (const Field& x : fields) {
    SCOPED_TRACE(absl::StrCat(x.section, " field ", x.field));
    Forger f(SampleSnapshot());
    ASSERT_GT(f.count(x.section), 0u);
    const uint64_t at = f.At(x.section, 0, x.layout, x.field);
    f.Set<uint32_t>(at, kNoIndex);
    EXPECT_THAT(
        f.Load(),
        StatusIs(absl::StatusCode::kInvalidArgument,
                 absl::StrCat("snapshot section ", x.section, " at offset ", at,
                              ": index 4294967295 is out of range (", x.table,
                              " has ")));
  }
  // A delegation's township list ending in none.
  Forger f(SampleSnapshot());
  uint64_t d = 0;
  while (d < f.count("catalogue.delegations") &&
         f.Get("catalogue.delegations", d, kDelegationLayout,
               kDelegationTownships) == 0) {
    ++d;
  }
  ASSERT_LT(d, f.count("catalogue.delegations"));
  const uint64_t list =
      f.At("catalogue.delegations", d, kDelegationLayout, kDelegationTownships);
  const uint64_t last = list + 4 * uint64_t{f.U32(list)};
  f.Set<uint32_t>(last, kNoRegion);
  EXPECT_THAT(f.Load(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       absl::StrCat("snapshot section catalogue.delegations at "
                                    "offset ",
                                    last,
                                    ": index 4294967295 is out of range "
                                    "(hierarchy.nodes has ")));
}

// A matter's range shrunk to leave its last rule out
// (the rule then claimed no matter, and loading crashed resolving it).
TEST(Snapshot, ForgedRuleOutsideItsMattersRangeIsRefused) {
  Forger f(SampleSnapshot());
  uint64_t m = 0;
  for (; m < f.count("catalogue.matters"); ++m) {
    if (f.Get("catalogue.matters", m, kMatterLayout, kMatterRulesEnd) >
        f.Get("catalogue.matters", m, kMatterLayout, kMatterRulesBegin)) {
      break;
    }
  }
  ASSERT_LT(m, f.count("catalogue.matters"));
  const uint32_t end =
      f.Get("catalogue.matters", m, kMatterLayout, kMatterRulesEnd);
  f.Put("catalogue.matters", m, kMatterLayout, kMatterRulesEnd, end - 1);
  ExpectRefused(f, "catalogue.rules",
                absl::StrCat("(entry ", end - 1, "): rule "));
  ExpectRefused(f, "catalogue.rules", "lies outside its matter");
  // The audit's shape: the rule left out also claims no matter.
  f.Put("catalogue.rules", end - 1, kRuleLayout, kRuleMatter, kNoIndex);
  EXPECT_THAT(f.Load(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "index 4294967295 is out of range (catalogue.matters"));
}

// Roles as validation and Compile make them only.
TEST(Snapshot, ForgedRolesAreRefused) {
  struct Role {
    uint32_t kind;
    int32_t type;
    uint32_t unit;
    const char* message;
  };
  const Role leads[] = {
      {v1::ROLE_KIND_NAMED_UNIT, -1, kNoUnit,
       "lead: a NAMED_UNIT role names no unit"},
      {v1::ROLE_KIND_GRID_WORKER, -1, 0, "lead: the role's kind takes no unit"},
      {v1::ROLE_KIND_COUNTY_DEPARTMENT, -1, kNoUnit,
       "lead: the role's kind needs a department type"},
      {v1::ROLE_KIND_GRID_WORKER, 0, kNoUnit,
       "lead: the role's kind takes no department type"},
      {v1::ROLE_KIND_UNSPECIFIED, -1, kNoUnit, "lead: the role has no kind"},
  };
  for (const Role& r : leads) {
    SCOPED_TRACE(r.message);
    Forger f(SampleSnapshot());
    f.Put("catalogue.rules", 0, kRuleLayout, kRuleLeadKind, r.kind);
    f.Put("catalogue.rules", 0, kRuleLayout, kRuleLeadType,
          static_cast<uint32_t>(r.type));
    f.Put("catalogue.rules", 0, kRuleLayout, kRuleLeadUnit, r.unit);
    ExpectRefused(f, "catalogue.rules", r.message);
  }
  {
    // A supervisor with a unit but no kind.
    Forger f(SampleSnapshot());
    f.Put("catalogue.rules", 0, kRuleLayout, kRuleSupervisorKind, 0);
    f.Put("catalogue.rules", 0, kRuleLayout, kRuleSupervisorType,
          static_cast<uint32_t>(-1));
    f.Put("catalogue.rules", 0, kRuleLayout, kRuleSupervisorUnit, 0);
    ExpectRefused(f, "catalogue.rules", "supervisor: the role has no kind");
  }
  {
    // A co-handler naming no unit.
    Forger f(SampleSnapshot());
    ASSERT_GT(f.count("catalogue.roles"), 0u);
    f.Put("catalogue.roles", 0, kRoleLayout, 0, v1::ROLE_KIND_NAMED_UNIT);
    f.Put("catalogue.roles", 0, kRoleLayout, 1, static_cast<uint32_t>(-1));
    f.Put("catalogue.roles", 0, kRoleLayout, 2, kNoUnit);
    ExpectRefused(f, "catalogue.roles",
                  "(entry 0): a NAMED_UNIT role names no unit");
  }
}

// The organisation's indexes agree with its
// units, as Build makes them.
TEST(Snapshot, ForgedOrganizationIndexesAreRefused) {
  const std::string good = SampleSnapshot();
  const Forger g(good);
  const uint64_t units = g.count("organization.units");
  const uint64_t regions = g.count("hierarchy.nodes");
  ASSERT_GT(units, 2u);
  auto unit_kind = [&](uint32_t u) {
    return g.Get("organization.units", u, kUnitLayout, kUnitKind);
  };
  const uint64_t by_region = g.section("organization.by_region").offset;
  {
    // An entry at a region its unit does not sit at.
    Forger f(good);
    const uint32_t region = f.U32(by_region);
    f.Set<uint32_t>(by_region, static_cast<uint32_t>((region + 1) % regions));
    ExpectRefused(f, "organization.by_region", "(entry 0): unit ");
    ExpectRefused(f, "organization.by_region", " sits at region ");
  }
  {
    // Two units of one region out of id order, then one unit twice.
    uint64_t i = 1;
    while (i < units &&
           g.U32(by_region + 8 * i) != g.U32(by_region + 8 * (i - 1))) {
      ++i;
    }
    ASSERT_LT(i, units);
    const uint64_t a = by_region + 8 * (i - 1);
    Forger f(good);
    f.bytes().replace(a, 8, good, a + 8, 8);
    f.bytes().replace(a + 8, 8, good, a, 8);
    ExpectRefused(
        f, "organization.by_region",
        absl::StrCat("(entry ", i, "): not sorted by region, then unit"));
    Forger twice(good);
    twice.bytes().replace(a + 8, 8, good, a, 8);
    ExpectRefused(
        twice, "organization.by_region",
        absl::StrCat("(entry ", i, "): not sorted by region, then unit"));
  }
  {
    // A role held by a unit of another kind.
    const uint64_t by_role = g.section("organization.by_role").offset;
    const uint32_t holder = g.U32(by_role + 8);
    uint32_t other = 0;
    while (other < units && unit_kind(other) == unit_kind(holder)) ++other;
    ASSERT_LT(other, units);
    Forger f(good);
    f.Set<uint32_t>(by_role + 8, other);
    ExpectRefused(f, "organization.by_role", "(entry 0): region ");
    ExpectRefused(f, "organization.by_role", ": not a");
  }
  {
    // A dense-table cell no role entry accounts for.
    const SnapshotSection& table = g.section("organization.table");
    uint64_t cell = 0;
    while (cell < table.count && g.U32(table.offset + 4 * cell) != kNoUnit) {
      ++cell;
    }
    ASSERT_LT(cell, table.count);
    Forger f(good);
    f.Set<uint32_t>(table.offset + 4 * cell, 0);
    ExpectRefused(f, "organization.table",
                  absl::StrCat("(entry ", cell, "): unit "));
    ExpectRefused(f, "organization.table", "has no organization.by_role entry");
  }
  {
    // Units out of code order.
    Forger f(good);
    const uint64_t code = f.At("organization.units", 1, kUnitLayout, kUnitCode);
    ASSERT_GT(f.U32(code), 0u);
    f.bytes()[code + 4] = '\x01';
    ExpectRefused(f, "organization.units", "(entry 1): unit ");
    ExpectRefused(f, "organization.units", "units are in code order");
  }
}

// The hierarchy's shape as Build lays it out: parents that hold their
// children, levels that only deepen (so every walk up the tree stays
// short), townships as derived.
TEST(Snapshot, ForgedHierarchyIsRefused) {
  const std::string good = SampleSnapshot();
  const Forger g(good);
  const uint32_t n = static_cast<uint32_t>(g.count("hierarchy.nodes"));
  {
    // A parent that precedes the region but does not hold it.
    uint32_t i = 2;
    while (i < n && (g.Parent(i) == 0 || g.Parent(i) == kNoRegion)) ++i;
    ASSERT_LT(i, n);
    Forger f(good);
    f.Set<uint32_t>(f.NodeAt(i), 0);
    ExpectRefused(f, "hierarchy.nodes",
                  absl::StrCat("(entry ", i,
                               "): parent 0 is not the region whose subtree "
                               "holds it (",
                               g.Parent(i), ")"));
  }
  {
    // A root below county level.
    Forger f(good);
    ASSERT_EQ(f.Parent(0), kNoRegion);
    f.SetLevel(0, v1::REGION_LEVEL_TOWNSHIP);
    ExpectRefused(f, "hierarchy.nodes",
                  "(entry 0): a region of level 4 "
                  "cannot lie at the top");
  }
  {
    // A region at its parent's level: chains of them would make walks up
    // the tree as long as the hierarchy.
    uint32_t i = 1;
    while (i < n && ((g.Low(i) >> 3) != 0 || g.Parent(i) == kNoRegion ||
                     g.Level(i) <= g.Level(g.Parent(i)))) {
      ++i;
    }
    ASSERT_LT(i, n);
    Forger f(good);
    f.SetLevel(i, g.Level(g.Parent(i)));
    ExpectRefused(f, "hierarchy.nodes",
                  absl::StrCat("(entry ", i, "): a region of level ",
                               g.Level(g.Parent(i)),
                               " cannot lie under region ", g.Parent(i)));
  }
  {
    // A village that names no township.
    uint32_t i = 0;
    while (i < n && g.Level(i) != v1::REGION_LEVEL_VILLAGE) ++i;
    ASSERT_LT(i, n);
    Forger f(good);
    const uint64_t at = f.NodeAt(i) + 4;
    f.Set<uint32_t>(at, f.U32(at) | 0xFFFFFFu);
    ExpectRefused(f, "hierarchy.nodes",
                  absl::StrCat("(entry ", i,
                               "): township none is not its "
                               "township ("));
  }
}

// The calendar's dates within the years
// jiceng.h documents, its arithmetic checked without overflow.
TEST(Snapshot, ForgedCalendarIsRefused) {
  const std::string good = SampleSnapshot();
  const uint64_t scalars = Forger(good).section("calendar.scalars").offset;
  {
    // The same span near INT32_MAX: dates printed as year -5877642.
    Forger f(good);
    const int32_t span = static_cast<int32_t>(f.U32(scalars + 4)) -
                         static_cast<int32_t>(f.U32(scalars));
    f.Set<int32_t>(scalars + 4, 2147483637);
    f.Set<int32_t>(scalars, 2147483637 - span);
    ExpectRefused(f, "calendar.scalars", "are not both in years 1900-9999");
  }
  {
    // Working minutes whose product with 60 wraps back in 32 bits.
    Forger f(good);
    f.Set<int32_t>(scalars + 12, static_cast<int32_t>(f.U32(scalars + 12)) +
                                     (int32_t{1} << 30));
    ExpectRefused(f, "calendar.windows", "windows total");
  }
  {
    // A prefix sum whose step from the one before overflows 32 bits.
    Forger f(good);
    const uint64_t before = f.section("calendar.working_days_before").offset;
    f.Set<int32_t>(before + 8, std::numeric_limits<int32_t>::min());
    ExpectRefused(f, "calendar.working_days_before",
                  "prefix sums must grow by 0 or 1 a day");
  }
}

// What a rule holds: its matter's range, its place in precedence order,
// depth and predicate count as Compile derives them, predicates and
// co-handlers of its own (a forged layout: rules sharing one run of K
// predicates made a case cost K² on an engine of K rules).
TEST(Snapshot, ForgedRuleLayoutIsRefused) {
  const std::string good = SampleSnapshot();
  const Forger g(good);
  const uint64_t rules = g.count("catalogue.rules");
  auto get = [&](uint64_t r, size_t field) {
    return g.Get("catalogue.rules", r, kRuleLayout, field);
  };
  // Two rules with runs of the same length, the later one given the
  // earlier one's run.
  auto share = [&](size_t begin, size_t end, const char* what) {
    SCOPED_TRACE(what);
    for (uint64_t a = 0; a < rules; ++a) {
      const uint32_t length = get(a, end) - get(a, begin);
      if (length == 0) continue;
      for (uint64_t b = a + 1; b < rules; ++b) {
        if (get(b, end) - get(b, begin) != length) continue;
        Forger f(good);
        f.Put("catalogue.rules", b, kRuleLayout, begin, get(a, begin));
        f.Put("catalogue.rules", b, kRuleLayout, end, get(a, end));
        ExpectRefused(f, "catalogue.rules",
                      absl::StrCat("(entry ", b, "): rule "));
        ExpectRefused(
            f, "catalogue.rules",
            absl::StrCat(what, " ", get(a, begin), " is another rule's too"));
        return;
      }
    }
    ADD_FAILURE() << "no two rules with runs of one length";
  };
  share(kRulePredicatesBegin, kRulePredicatesEnd, "predicate");
  share(kRuleCoHandlersBegin, kRuleCoHandlersEnd, "co-handler role");

  // The first matter with two rules.
  uint64_t m = 0;
  uint32_t first = 0;
  for (; m < g.count("catalogue.matters"); ++m) {
    first = g.Get("catalogue.matters", m, kMatterLayout, kMatterRulesBegin);
    if (g.Get("catalogue.matters", m, kMatterLayout, kMatterRulesEnd) >=
        first + 2) {
      break;
    }
  }
  ASSERT_LT(m, g.count("catalogue.matters"));
  {
    Forger f(good);
    f.Put("catalogue.rules", first + 1, kRuleLayout, kRulePriority,
          get(first, kRulePriority) + 1);
    ExpectRefused(f, "catalogue.rules",
                  absl::StrCat("(entry ", first + 1, "): rule "));
    ExpectRefused(f, "catalogue.rules", "is out of precedence order");
  }
  {
    Forger f(good);
    f.Put("catalogue.rules", first, kRuleLayout, kRuleDepth,
          get(first, kRuleDepth) + 1);
    ExpectRefused(f, "catalogue.rules", "is not its region's");
  }
  {
    Forger f(good);
    f.Put("catalogue.rules", first, kRuleLayout, kRulePredicateCount,
          get(first, kRulePredicateCount) + 1);
    ExpectRefused(f, "catalogue.rules", " tests");
    ExpectRefused(f, "catalogue.rules", "predicate count ");
  }
  {
    // A predicate no rule holds: a rule gives up its last one, and its
    // count with it, where that keeps it ahead of the next rule.
    uint64_t r = 0;
    for (; r < rules; ++r) {
      if (get(r, kRulePredicatesEnd) == get(r, kRulePredicatesBegin)) continue;
      const uint32_t end = g.Get("catalogue.matters", get(r, kRuleMatter),
                                 kMatterLayout, kMatterRulesEnd);
      if (r + 1 == end) break;
      const int32_t priority = static_cast<int32_t>(get(r, kRulePriority));
      const int32_t next = static_cast<int32_t>(get(r + 1, kRulePriority));
      if (priority != next) break;
      if (get(r, kRuleDepth) != get(r + 1, kRuleDepth)) break;
      if (get(r, kRulePredicateCount) - 1 > get(r + 1, kRulePredicateCount)) {
        break;
      }
    }
    ASSERT_LT(r, rules);
    Forger f(good);
    const uint32_t last = get(r, kRulePredicatesEnd) - 1;
    f.Put("catalogue.rules", r, kRuleLayout, kRulePredicatesEnd, last);
    f.Put("catalogue.rules", r, kRuleLayout, kRulePredicateCount,
          get(r, kRulePredicateCount) - 1);
    ExpectRefused(
        f, "catalogue.predicates",
        absl::StrCat("(entry ", last, "): the predicate is no rule's"));
  }
  {
    // Scenarios: one repeated, and a count the rules do not bear out.
    std::vector<uint64_t> scenarios;
    for (uint64_t r = 0; r < rules; ++r) {
      if (static_cast<int32_t>(get(r, kRuleScenario)) >= 0) {
        scenarios.push_back(r);
      }
    }
    ASSERT_GE(scenarios.size(), 2u);
    Forger f(good);
    f.Put("catalogue.rules", scenarios[1], kRuleLayout, kRuleScenario,
          get(scenarios[0], kRuleScenario));
    ExpectRefused(f, "catalogue.rules",
                  absl::StrCat("(entry ", scenarios[1], "): rule "));
    ExpectRefused(f, "catalogue.rules", " is repeated or not below the ");
    Forger c(good);
    const uint64_t count = c.section("engine.scalars").offset + 12;
    c.Set<int64_t>(count, static_cast<int64_t>(scenarios.size()) - 1);
    ExpectRefused(c, "catalogue.rules", "is repeated or not below the ");
    c.Set<int64_t>(count, static_cast<int64_t>(scenarios.size()) + 1);
    ExpectRefused(c, "engine.scalars",
                  absl::StrCat(scenarios.size() + 1, " scenarios, but ",
                               scenarios.size(), " rules are scenarios"));
  }
}

// Validity windows: open, or dates of the years a dataset may give (the
// explanations and analyses print them).
TEST(Snapshot, ForgedWindowsAreRefused) {
  const std::string good = SampleSnapshot();
  struct Window {
    const char* section;
    const char* layout;
    size_t field;
  };
  const Window windows[] = {
      {"catalogue.items", kItemLayout, kItemWindowTo},
      {"catalogue.rules", kRuleLayout, kRuleWindowTo},
      {"catalogue.delegations", kDelegationLayout, kDelegationWindowTo},
  };
  for (const Window& w : windows) {
    SCOPED_TRACE(w.section);
    Forger f(good);
    f.Put(w.section, 0, w.layout, w.field, 2147483000u);
    ExpectRefused(f, w.section, "(entry 0): ");
    ExpectRefused(f, w.section, "is not open or dated in years 1900-9999");
  }
}

// Predicates as Build compiles them: a test the attribute's type admits,
// in-set values sorted and distinct in runs of their own.
TEST(Snapshot, ForgedPredicatesAreRefused) {
  // The sample with an in-set test (it has none of its own).
  v1::Dataset dataset = SampleDataset();
  v1::AttributePredicate* test =
      dataset.mutable_catalogue()->mutable_rules(0)->add_attributes();
  test->set_key("site");
  test->mutable_in_set()->add_values("river");
  test->mutable_in_set()->add_values("road");
  auto engine = Engine::Compile(dataset);
  ASSERT_THAT(engine, IsOk());
  auto saved = (*engine)->SaveSnapshot();
  ASSERT_THAT(saved, IsOk());
  const std::string good = *saved;
  ASSERT_THAT(Engine::LoadSnapshot(good), IsOk());
  const Forger g(good);
  const uint64_t predicates = g.count("catalogue.predicates");
  auto field = [&](uint64_t i, size_t f) {
    return g.At("catalogue.predicates", i, kPredicateLayout, f);
  };
  // The first predicate testing with `op`.
  auto first_of = [&](CompiledPredicate::Op op) -> uint64_t {
    for (uint64_t i = 0; i < predicates; ++i) {
      if (g.U8(field(i, kPredicateOp)) == op) return i;
    }
    ADD_FAILURE() << "no predicate with operator " << int{op};
    return 0;
  };
  const uint64_t set = first_of(CompiledPredicate::kInSet);
  const uint64_t equals = first_of(CompiledPredicate::kEquals);
  const uint64_t range = first_of(CompiledPredicate::kRange);
  const uint32_t set_begin = g.U32(field(set, kPredicateSetBegin));
  ASSERT_EQ(g.U32(field(set, kPredicateSetEnd)), set_begin + 2);
  const uint64_t values = g.section("catalogue.set_values").offset;
  const std::string at_set = absl::StrCat("(entry ", set, "): ");
  {
    Forger f(good);
    f.Set<uint32_t>(values + 4 * set_begin, g.U32(values + 4 * set_begin + 4));
    f.Set<uint32_t>(values + 4 * set_begin + 4, g.U32(values + 4 * set_begin));
    ExpectRefused(f, "catalogue.predicates", at_set);
    ExpectRefused(f, "catalogue.predicates",
                  "the values are not sorted and distinct");
  }
  {
    Forger f(good);
    f.Set<uint32_t>(field(set, kPredicateSetBegin), set_begin + 1);
    ExpectRefused(f, "catalogue.predicates", at_set);
    ExpectRefused(f, "catalogue.predicates",
                  "are not the next run of catalogue.set_values");
  }
  {
    Forger f(good);
    f.Set<uint32_t>(field(set, kPredicateSetEnd), set_begin + 1);
    ExpectRefused(f, "catalogue.set_values",
                  absl::StrCat("(entry ", set_begin + 1,
                               "): values of no in-set predicate"));
  }
  {
    Forger f(good);
    f.Set<uint32_t>(field(equals, kPredicateSetEnd), 1);
    ExpectRefused(f, "catalogue.predicates",
                  "a run of catalogue.set_values on a test that takes none");
  }
  {
    Forger f(good);
    f.Set<uint8_t>(field(equals, kPredicateOp), CompiledPredicate::kRange);
    ExpectRefused(f, "catalogue.predicates",
                  absl::StrCat("(entry ", equals,
                               "): a range test of an attribute that is not "
                               "a number"));
  }
  {
    Forger f(good);
    f.Set<uint8_t>(field(range, kPredicateOp), CompiledPredicate::kEquals);
    ExpectRefused(f, "catalogue.predicates",
                  "an equality test of a number (Build makes it a range)");
  }
  {
    Forger f(good);
    f.Set<double>(field(range, kPredicateMin), 1.0);
    f.Set<double>(field(range, kPredicateMin) + 8, 0.0);
    ExpectRefused(f, "catalogue.predicates",
                  "range [1, 0] is empty or not a number");
  }
  {
    // Attribute 0 ("site", a string with allowed values) untyped, then a
    // boolean.
    const uint64_t types = g.section("catalogue.attribute_types").offset;
    Forger f(good);
    f.Set<int32_t>(types, v1::ATTRIBUTE_TYPE_UNSPECIFIED);
    ExpectRefused(f, "catalogue.attribute_types",
                  "(entry 0): the attribute has no type");
    f.Set<int32_t>(types, v1::ATTRIBUTE_TYPE_BOOL);
    ExpectRefused(f, "catalogue.allowed_values",
                  "(entry 0): allowed values of an attribute that is not a "
                  "string");
  }
}

// Delegations and the two indexes of them (by item for analysis, by
// township for routing) agree, as Build makes them.
TEST(Snapshot, ForgedDelegationsAreRefused) {
  const std::string good = SampleSnapshot();
  const Forger g(good);
  const uint64_t delegations = g.count("catalogue.delegations");
  const uint32_t regions = static_cast<uint32_t>(g.count("hierarchy.nodes"));
  auto townships = [&](uint64_t d) {
    std::vector<uint32_t> out;
    const uint64_t list = g.At("catalogue.delegations", d, kDelegationLayout,
                               kDelegationTownships);
    for (uint32_t k = 0; k < g.U32(list); ++k) {
      out.push_back(g.U32(list + 4 + 4 * k));
    }
    return out;
  };
  // A delegation to two townships or more.
  uint64_t d = 0;
  while (d < delegations && townships(d).size() < 2) ++d;
  ASSERT_LT(d, delegations);
  const uint64_t list =
      g.At("catalogue.delegations", d, kDelegationLayout, kDelegationTownships);
  const std::string at_d = absl::StrCat("(entry ", d, "): delegation ");
  {
    Forger f(good);
    f.Put("catalogue.delegations", d, kDelegationLayout, kDelegationFromType,
          static_cast<uint32_t>(-1));
    ExpectRefused(f, "catalogue.delegations", at_d);
    ExpectRefused(f, "catalogue.delegations",
                  "names no department type it is delegated from");
  }
  {
    Forger f(good);
    f.Set<uint32_t>(list + 4, 0);
    ExpectRefused(f, "catalogue.delegations", "region 0 is not a township");
  }
  {
    Forger f(good);
    f.Set<uint32_t>(list + 8, townships(d)[0]);
    ExpectRefused(f, "catalogue.delegations",
                  "townships are not sorted and distinct");
  }
  {
    // A delegation's first township replaced by one after its last: the
    // first township's entry for it has no list behind it.
    bool forged = false;
    for (uint64_t e = 0; e < delegations && !forged; ++e) {
      std::vector<uint32_t> listed = townships(e);
      if (listed.empty()) continue;
      uint32_t other = listed.back() + 1;
      while (other < regions && g.Level(other) != v1::REGION_LEVEL_TOWNSHIP) {
        ++other;
      }
      if (other == regions) continue;
      const uint32_t moved = listed.front();
      listed.erase(listed.begin());
      listed.push_back(other);
      Forger f(good);
      const uint64_t at = g.At("catalogue.delegations", e, kDelegationLayout,
                               kDelegationTownships);
      for (size_t k = 0; k < listed.size(); ++k) {
        f.Set<uint32_t>(at + 4 + 4 * k, listed[k]);
      }
      ExpectRefused(f, "catalogue.township_delegations",
                    absl::StrCat(" of township ", moved,
                                 " is not the next one the delegations' "
                                 "lists give it"));
      forged = true;
    }
    EXPECT_TRUE(forged) << "no delegation to move";
  }
  // Entries gone: the last township's last one, then the first and the
  // last township's whole rows. A delegation then lists a township routing
  // would not find it delegated to.
  const SnapshotSection& entries = g.section("catalogue.township_delegations");
  const SnapshotSection& begin =
      g.section("catalogue.township_delegations_begin");
  const SnapshotSection& towns = g.section("catalogue.delegated_townships");
  const uint32_t rows = static_cast<uint32_t>(towns.count);
  ASSERT_GE(rows, 2u);
  auto row_begin = [&](uint32_t row) { return g.U32(begin.offset + 4 * row); };
  auto expect_missing = [&](const Forger& f, uint32_t delegation,
                            uint32_t township) {
    ExpectRefused(f, "catalogue.delegations",
                  absl::StrCat("(entry ", delegation, "): delegation "));
    ExpectRefused(f, "catalogue.delegations",
                  absl::StrCat(": township ", township,
                               " has no catalogue.township_delegations entry "
                               "for it"));
  };
  {
    ASSERT_GE(row_begin(rows) - row_begin(rows - 1), 2u);
    const uint64_t last = entries.offset + 8 * (entries.count - 1);
    Forger f(good);
    f.Set<uint32_t>(begin.offset + 4 * rows, row_begin(rows) - 1);
    f.Erase("catalogue.township_delegations", last, 8, 1);
    expect_missing(f, g.U32(last + 4), g.U32(towns.offset + 4 * (rows - 1)));
  }
  {
    // The last entry naming an item other than its delegation's (still
    // after the row's others).
    const uint32_t k = row_begin(rows) - 1;
    const uint64_t at = entries.offset + 8 * uint64_t{k};
    ASSERT_LT(g.U32(at) + 1, g.count("catalogue.items"));
    Forger f(good);
    f.Set<uint32_t>(at, g.U32(at) + 1);
    ExpectRefused(
        f, "catalogue.township_delegations",
        absl::StrCat("(entry ", k, "): entry (item ", g.U32(at) + 1,
                     ", delegation ", g.U32(at + 4), ") of township "));
  }
  for (const uint32_t row : {0u, rows - 1}) {
    SCOPED_TRACE(absl::StrCat("row ", row));
    const uint32_t b = row_begin(row);
    const uint32_t n = row_begin(row + 1) - b;
    // The row's first entry's delegation lists the township.
    const uint32_t delegation = g.U32(entries.offset + 8 * b + 4);
    Forger f(good);
    // Erased back to front: each erasure moves only what follows it.
    f.Erase("catalogue.township_delegations", entries.offset + 8 * b, 8 * n, n);
    for (uint32_t k = row + 1; k <= rows; ++k) {
      f.Set<uint32_t>(begin.offset + 4 * k, row_begin(k) - n);
    }
    f.Erase("catalogue.township_delegations_begin", begin.offset + 4 * row, 4,
            1);
    f.Erase("catalogue.delegated_townships", towns.offset + 4 * row, 4, 1);
    expect_missing(f, delegation, g.U32(towns.offset + 4 * row));
  }
  {
    // The per-item index: two delegations of different items swapped.
    const SnapshotSection& index = g.section("catalogue.delegation_index");
    ASSERT_GT(index.count, 1u);
    const uint64_t last = index.offset + 4 * (index.count - 1);
    auto item_of = [&](uint32_t delegation) {
      return g.Get("catalogue.delegations", delegation, kDelegationLayout,
                   kDelegationItem);
    };
    ASSERT_NE(item_of(g.U32(index.offset)), item_of(g.U32(last)));
    Forger f(good);
    f.Set<uint32_t>(index.offset, g.U32(last));
    f.Set<uint32_t>(last, g.U32(index.offset));
    ExpectRefused(f, "catalogue.delegation_index", "(entry 0): delegation ");
    ExpectRefused(f, "catalogue.delegation_index", " is not the next of item ");
  }
  {
    // A township row without entries.
    const SnapshotSection& begin =
        g.section("catalogue.township_delegations_begin");
    ASSERT_GT(begin.count, 2u);
    Forger f(good);
    f.Set<uint32_t>(begin.offset + 4, 0);
    ExpectRefused(f, "catalogue.township_delegations_begin",
                  "(entry 0): township ");
    ExpectRefused(f, "catalogue.township_delegations_begin", " has no entries");
  }
}

// The engine's own sections: the reference day within the calendar, the
// policies resolved as Compile leaves them.
TEST(Snapshot, ForgedEngineSectionsAreRefused) {
  // A byte string's one occurrence in a section.
  auto find = [](const Forger& f, absl::string_view section,
                 absl::string_view what) -> uint64_t {
    const SnapshotSection& s = f.section(section);
    const std::string& bytes = f.bytes();
    const size_t at = bytes.substr(s.offset, s.length).find(std::string(what));
    EXPECT_NE(at, std::string::npos) << section;
    EXPECT_EQ(bytes.substr(s.offset, s.length).find(std::string(what), at + 1),
              std::string::npos)
        << section;
    return s.offset + at;
  };
  {
    Forger f(SampleSnapshot());
    const uint64_t at = find(f, "engine.meta", "2026-01-01");
    f.bytes()[at] = '1';  // 1026-01-01
    ExpectRefused(f, "engine.meta",
                  "effective_date \"1026-01-01\" is not a date of the work "
                  "calendar's range");
  }
  {
    // A lifecycle policy field left at zero (its default unapplied).
    v1::Dataset dataset = SampleDataset();
    dataset.mutable_lifecycle_policy()->set_max_returns(7);
    auto engine = Engine::Compile(dataset);
    ASSERT_THAT(engine, IsOk());
    auto saved = (*engine)->SaveSnapshot();
    ASSERT_THAT(saved, IsOk());
    Forger f(*saved);
    const uint64_t at = find(f, "engine.lifecycle_policy", "\x10\x07");
    f.bytes()[at + 1] = 0;
    ExpectRefused(f, "engine.lifecycle_policy",
                  "(entry 0): a field Compile fills with its default is "
                  "unset");
  }
  {
    // The province's and the city's entries swapped: valid weights, but
    // not by level as the assessment reads them.
    Forger f(SampleSnapshot());
    const uint64_t province =
        find(f, "engine.assessment_policy", absl::string_view("\x08\x01", 2));
    const uint64_t city =
        find(f, "engine.assessment_policy", absl::string_view("\x08\x02", 2));
    f.bytes()[province + 1] = v1::REGION_LEVEL_CITY;
    f.bytes()[city + 1] = v1::REGION_LEVEL_PROVINCE;
    ExpectRefused(f, "engine.assessment_policy",
                  "(entry 0): not one entry per level, province to grid");
  }
}

// Two delegations of one item to one township, listed against their id
// order (the later-listed one has the lower id, in an earlier window):
// Compile orders a township's entries of an item by delegation id, and a
// snapshot of it loads and answers as the compiled engine.
TEST(Snapshot, DelegationsOfOneItemOutOfListOrderLoad) {
  v1::Dataset dataset = SampleDataset();
  v1::Catalogue* catalogue = dataset.mutable_catalogue();
  v1::Delegation* earlier = nullptr;
  for (v1::Delegation& g : *catalogue->mutable_delegations()) {
    if (g.id() == "D-2025-001") earlier = catalogue->add_delegations();
  }
  ASSERT_NE(earlier, nullptr);
  for (const v1::Delegation& g : catalogue->delegations()) {
    if (g.id() == "D-2025-001") *earlier = g;
  }
  earlier->set_id("D-2024-001");
  earlier->set_effective_date("2024-01-01");
  earlier->clear_reclaimed_date();
  earlier->set_end_date("2024-12-31");
  auto compiled = Engine::Compile(dataset);
  ASSERT_THAT(compiled, IsOk());
  auto bytes = (*compiled)->SaveSnapshot();
  ASSERT_THAT(bytes, IsOk());
  auto loaded = Engine::LoadSnapshot(*bytes);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(SampleTranscript(**loaded), SampleTranscript(**compiled));
}

// The header as snapshot.h documents it.
TEST(Snapshot, HeaderIsCheckedAsDocumented) {
  // Reserved bytes 52-55: zero, or refused.
  for (size_t at = 52; at < 56; ++at) {
    std::string bad = SampleSnapshot();
    bad[at] = 1;
    Reseal(&bad);
    EXPECT_THAT(Engine::LoadSnapshot(bad).status(),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         "snapshot header bytes 52-55 (reserved) are "))
        << at;
    EXPECT_THAT(DescribeSnapshot(bad).status(),
                StatusIs(absl::StatusCode::kInvalidArgument, "(reserved)"));
  }
  // Only the whole magic makes bytes a snapshot, however short.
  for (absl::string_view bytes : {"J", "JICENGS", "JX"}) {
    EXPECT_THAT(
        Engine::LoadSnapshot(bytes).status(),
        StatusIs(absl::StatusCode::kInvalidArgument, "not a jiceng snapshot"))
        << bytes;
  }
  EXPECT_THAT(Engine::LoadSnapshot("JICENGSN").status(),
              StatusIs(absl::StatusCode::kDataLoss,
                       "shorter than its 64-byte header: truncated"));
}

// A generated province (the "small" preset) round-trips as the sample
// does: every check above holds for what Compile makes at scale.
TEST(Snapshot, SmallPresetRoundTrip) {
  ProvinceOptions options;
  ASSERT_TRUE(ProvincePreset("small", &options));
  auto compiled = Engine::Compile(GenerateProvince(options));
  ASSERT_THAT(compiled, IsOk());
  auto bytes = (*compiled)->SaveSnapshot();
  ASSERT_THAT(bytes, IsOk());
  auto loaded = Engine::LoadSnapshot(*bytes);
  ASSERT_THAT(loaded, IsOk());
  auto again = (*loaded)->SaveSnapshot();
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(*again == *bytes);
}

// Random damage behind a valid checksum reaches the deep checks: every
// outcome is an error or an engine that answers the sample without fault.
TEST(Snapshot, ResealedRandomDamageNeverCrashes) {
  const std::string good = SampleSnapshot();
  std::mt19937_64 rng(7);
  int loaded = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string bad = good;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) {
      const size_t at = kSnapshotHeaderBytes +
                        rng() % (good.size() - kSnapshotHeaderBytes);
      bad[at] = static_cast<char>(rng());
    }
    Reseal(&bad);
    auto e = Engine::LoadSnapshot(bad);
    if (!e.ok()) {
      const absl::StatusCode code = e.status().code();
      ASSERT_TRUE(code == absl::StatusCode::kDataLoss ||
                  code == absl::StatusCode::kInvalidArgument)
          << e.status();
      continue;
    }
    ++loaded;
    Router router(**e);
    for (const v1::Case& c : SampleCases(**e)) {
      auto d = router.Decide(c);
      (void)d;
    }
  }
  // Names, labels and other free text can change without breaking an
  // invariant; most damage is caught.
  EXPECT_LT(loaded, 3000);
}

// A routing policy that dataset validation would refuse, in a snapshot
// with a valid checksum, is refused on load (the router would otherwise
// take it on trust): the section and the field are named.
TEST(Snapshot, ForgedRoutingPolicyIsRefused) {
  v1::Dataset dataset = SampleDataset();
  dataset.mutable_routing_policy()->set_major_urgency(3);
  dataset.mutable_routing_policy()->set_urgent_percent(60);
  auto engine = Engine::Compile(dataset);
  ASSERT_THAT(engine, IsOk());
  auto saved = (*engine)->SaveSnapshot();
  ASSERT_THAT(saved, IsOk());
  const std::string good = *saved;
  ASSERT_THAT(Engine::LoadSnapshot(good), IsOk());
  auto summary = DescribeSnapshot(good);
  ASSERT_THAT(summary, IsOk());
  const SnapshotSection& policy = Section(*summary, "engine.routing_policy");
  // The field's tag and value, found once in the section's bytes.
  auto find = [&](absl::string_view field) -> uint64_t {
    const std::string bytes = good.substr(policy.offset, policy.length);
    const size_t at = bytes.find(std::string(field));
    EXPECT_NE(at, std::string::npos);
    EXPECT_EQ(bytes.find(std::string(field), at + 1), std::string::npos);
    return policy.offset + at;
  };
  struct Forgery {
    const char* field;      // tag and value as the section holds them
    char value;             // the value poked in their place
    const char* message;    // what the refusal names
  };
  const Forgery forgeries[] = {
      {"\x38\x03", 9, "major_urgency is 9"},
      {"\x40\x3c", 120, "urgent_percent"},
  };
  for (const Forgery& f : forgeries) {
    SCOPED_TRACE(f.message);
    std::string bad = good;
    const uint64_t at = find(absl::string_view(f.field, 2));
    bad[at + 1] = f.value;
    Reseal(&bad);
    const absl::Status s = Engine::LoadSnapshot(bad).status();
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                            "snapshot sections engine.routing_policy"));
    EXPECT_THAT(std::string(s.message()), HasSubstr(f.message));
  }
}

// The fuzz target's seeds must be of the current format, or the fuzzer
// only ever meets the version check. After a format change regenerate
// them: `build/bin/jiceng snapshot --out
// tests/fuzz/corpus/fuzz_snapshot/sample.jcsnap`, then forged.jcsnap is
// that with byte 52 set to 1, truncated.jcsnap its first 3000 bytes with
// byte 52 set to 1, and each forged_*.jcsnap the new sample snapshot with
// the forgery its test below names and byte 52 set to 1 (see
// tests/fuzz/fuzz_snapshot.cc).
TEST(Snapshot, FuzzSeedsAreOfTheCurrentFormat) {
  std::ifstream f("fuzz/corpus/fuzz_snapshot/sample.jcsnap", std::ios::binary);
  const std::string seed(std::istreambuf_iterator<char>(f), {});
  ASSERT_GT(seed.size(), kSnapshotHeaderBytes);
  EXPECT_THAT(Engine::LoadSnapshot(seed), IsOk());
  std::ifstream g("fuzz/corpus/fuzz_snapshot/forged.jcsnap", std::ios::binary);
  std::string forged(std::istreambuf_iterator<char>(g), {});
  ASSERT_EQ(forged.size(), seed.size());
  EXPECT_EQ(forged[52], 1);
  forged[52] = 0;
  EXPECT_EQ(forged, seed);
}

// The forged seeds, unforged as the fuzz target does (reserved bytes
// zeroed, size and checksum made to agree), are each refused by the check
// its forgery meets: the fuzzer starts from every class of forgery the
// snapshot audit found.
TEST(Snapshot, FuzzForgedSeedsAreRefused) {
  struct Seed {
    const char* file;
    const char* section;  // where the refusal points
    const char* what;
  };
  const Seed seeds[] = {
      {"forged_rule_outside_matter.jcsnap", "catalogue.rules",
       "index 4294967295 is out of range (catalogue.matters"},
      {"forged_named_unit_none.jcsnap", "catalogue.rules",
       "lead: a NAMED_UNIT role names no unit"},
      {"forged_unit_region_none.jcsnap", "organization.units",
       "index 4294967295 is out of range (hierarchy.nodes"},
      {"forged_delegation_township_none.jcsnap", "catalogue.delegations",
       "index 4294967295 is out of range (hierarchy.nodes"},
      {"forged_calendar_far.jcsnap", "calendar.scalars",
       "are not both in years 1900-9999"},
      {"forged_minutes_overflow.jcsnap", "calendar.windows", "windows total"},
      {"forged_shared_predicates.jcsnap", "catalogue.rules",
       "is another rule's too"},
  };
  for (const Seed& seed : seeds) {
    SCOPED_TRACE(seed.file);
    std::ifstream f(absl::StrCat("fuzz/corpus/fuzz_snapshot/", seed.file),
                    std::ios::binary);
    std::string bytes(std::istreambuf_iterator<char>(f), {});
    ASSERT_GT(bytes.size(), kSnapshotHeaderBytes);
    EXPECT_EQ(bytes[52], 1);
    std::memset(&bytes[52], 0, 4);
    Poke<uint64_t>(&bytes, 40, bytes.size());
    Reseal(&bytes);
    const absl::Status s = Engine::LoadSnapshot(bytes).status();
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                            absl::StrCat("snapshot section ", seed.section,
                                         " at offset ")));
    EXPECT_THAT(std::string(s.message()), HasSubstr(seed.what));
  }
}

TEST(Snapshot, ProvinceRoundTripRoutesIdentically) {
  const v1::Dataset dataset = GenerateProvince(ProvinceOptions::Province());
  auto compiled = Engine::Compile(dataset);
  ASSERT_THAT(compiled, IsOk());
  auto bytes = (*compiled)->SaveSnapshot();
  ASSERT_THAT(bytes, IsOk());
  auto loaded = Engine::LoadSnapshot(*bytes);
  ASSERT_THAT(loaded, IsOk());
  auto again = (*loaded)->SaveSnapshot();
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(*again == *bytes);

  WorkloadOptions options;
  options.cases = 20000;
  auto stream = GenerateWorkload(dataset, options);
  ASSERT_THAT(stream, IsOk());
  BatchOptions batch;
  batch.route.set_explain_text(true);
  auto a = RouteBatch(Router(**compiled), *stream, batch);
  auto b = RouteBatch(Router(**loaded), *stream, batch);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_GT(a->size(), 20000u * 50);
  EXPECT_TRUE(*a == *b) << "decisions differ";

  v1::EngineInfo ia = (*compiled)->Info();
  v1::EngineInfo ib = (*loaded)->Info();
  ia.clear_memory_bytes();
  ia.clear_region_index_bytes();
  ib.clear_memory_bytes();
  ib.clear_region_index_bytes();
  EXPECT_EQ(ia.SerializeAsString(), ib.SerializeAsString());
  EXPECT_EQ(ib.region_count(), dataset.regions_size());
}

}  // namespace
}  // namespace jiceng

int main(int argc, char** argv) {
  if (const char* path = std::getenv(jiceng::kOutEnv)) {
    auto engine = jiceng::Engine::Compile(jiceng::SampleDataset());
    if (!engine.ok()) return 1;
    auto bytes = (*engine)->SaveSnapshot();
    if (!bytes.ok()) return 1;
    std::ofstream(path, std::ios::binary) << *bytes;
    return 0;
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
