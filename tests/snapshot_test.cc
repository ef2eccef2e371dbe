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

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <vector>

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
  std::vector<size_t> cuts = {0, 7, 63, 64, 100};
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
    if (cut == 0) {
      EXPECT_THAT(e.status(), StatusIs(absl::StatusCode::kInvalidArgument,
                                       "not a jiceng snapshot"));
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

// The fuzz target's seeds must be of the current format, or the fuzzer
// only ever meets the version check. After a format change regenerate
// them: `build/bin/jiceng snapshot --out
// tests/fuzz/corpus/fuzz_snapshot/sample.jcsnap`, then forged.jcsnap is
// that with byte 52 set to 1, truncated.jcsnap its first 3000 bytes with
// byte 52 set to 1 (see tests/fuzz/fuzz_snapshot.cc).
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
