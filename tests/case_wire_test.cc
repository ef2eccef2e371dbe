// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// ParseCase against protobuf's own parser (v1::Case::ParseFromArray): both
// must accept and refuse the same inputs and, on success, hold the same
// known fields (the view has no unknown fields; they are discarded from
// protobuf's message before comparing). Inputs: the sample cases and
// random valid cases; hand-made edge cases of the wire format (every
// wire type, varint and length limits, groups to the recursion limit,
// packed and unpacked repeats, UTF-8); every prefix and every byte changed
// of valid encodings; and a million random mutations and token streams.

#include "src/routing/case_wire.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/stubs/logging.h"
#include "gtest/gtest.h"
#include "src/base/splitmix64.h"
#include "src/sample/sample_cases.h"
#include "src/sample/sample_dataset.h"

namespace jiceng {
namespace {

// protobuf logs every string it refuses as invalid UTF-8; the fuzzed
// inputs would flood the test's output.
class QuietProtobuf {
 public:
  QuietProtobuf() : old_(google::protobuf::SetLogHandler(nullptr)) {}
  ~QuietProtobuf() { google::protobuf::SetLogHandler(old_); }

 private:
  google::protobuf::LogHandler* old_;
};

using Rng = SplitMix64;

// Wire-format pieces.
std::string Varint(uint64_t v) {
  std::string s;
  while (v >= 0x80) {
    s.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  s.push_back(static_cast<char>(v));
  return s;
}
std::string Tag(uint32_t field, uint32_t wire_type) {
  return Varint((uint64_t{field} << 3) | wire_type);
}
std::string Bytes(uint32_t field, const std::string& s) {
  return Tag(field, 2) + Varint(s.size()) + s;
}
std::string Group(uint32_t field, const std::string& inside) {
  return Tag(field, 3) + inside + Tag(field, 4);
}

// ParseCase and ParseFromArray agree on `bytes`; returns whether they
// accepted it. `into` is reused across calls, as the hot paths do.
bool Agree(const std::string& bytes, CaseView* into) {
  v1::Case want;
  const bool want_ok = want.ParseFromArray(bytes.data(),
                                           static_cast<int>(bytes.size()));
  const bool got_ok = ParseCase(bytes, into);
  EXPECT_EQ(got_ok, want_ok) << "input: " << absl::CEscape(bytes);
  if (got_ok && want_ok) {
    want.DiscardUnknownFields();
    EXPECT_EQ(into->ToProto().SerializeAsString(), want.SerializeAsString())
        << "input: " << absl::CEscape(bytes);
  }
  return want_ok;
}

// A valid case with every field, from the random stream.
v1::Case RandomCase(Rng& rng) {
  static const char* const kText[] = {"", "C-1", "01005", "城管", "a\tb",
                                      "Ünïcode ✓", "𠀀 astral", "x"};
  auto text = [&] {
    std::string s = kText[rng.Below(8)];
    if (rng.Below(4) == 0) s.append(rng.Below(300), 'k');
    return s;
  };
  v1::Case c;
  c.set_id(text());
  c.set_source(static_cast<v1::CaseSource>(rng.Below(9) - 1));
  c.set_request_kind(static_cast<v1::RequestKind>(rng.Below(8)));
  c.set_matter_code(text());
  c.set_urgency(static_cast<int32_t>(rng.Next()));
  c.set_location_code(rng.Below(3) == 0 ? rng.Next() : rng.Below(1u << 20));
  c.set_reported_at(static_cast<int64_t>(rng.Next()) >>
                    static_cast<int>(rng.Below(64)));
  for (uint64_t k = rng.Below(4); k > 0; --k) {
    v1::CaseAttribute* a = c.add_attributes();
    a->set_key(text());
    a->set_value(text());
  }
  for (uint64_t k = rng.Below(4); k > 0; --k) {
    c.add_extra_location_codes(rng.Next() >> rng.Below(64));
  }
  if (rng.Below(2) == 0) c.set_free_text(text() + std::string("\xff\x00", 2));
  return c;
}

TEST(CaseWire, SampleCasesReadAsProtobufReadsThem) {
  auto engine = Engine::Load(SampleDatasetBinary(), DatasetFormat::kBinary);
  ASSERT_TRUE(engine.ok()) << engine.status();
  const std::vector<v1::Case> cases = SampleCases(**engine);
  ASSERT_GE(cases.size(), 200u);
  CaseView c;
  for (const v1::Case& k : cases) {
    EXPECT_TRUE(Agree(k.SerializeAsString(), &c));
  }
}

TEST(CaseWire, RandomValidCases) {
  Rng rng(20261201);
  CaseView c;
  for (int i = 0; i < 20000; ++i) {
    const v1::Case k = RandomCase(rng);
    ASSERT_TRUE(Agree(k.SerializeAsString(), &c)) << i;
  }
}

// A view of a message holds its fields, whatever their number.
TEST(CaseWire, ViewOfAMessageHoldsItsFields) {
  Rng rng(20261125);
  for (int i = 0; i < 2000; ++i) {
    const v1::Case k = RandomCase(rng);
    const CaseView view(k);
    ASSERT_EQ(view.ToProto().SerializeAsString(), k.SerializeAsString()) << i;
    ASSERT_EQ(view.id().data(), k.id().data());  // a view, not a copy
  }
  v1::Case many;
  for (int i = 0; i < 3 * kMaxCaseAttributes; ++i) {
    v1::CaseAttribute* a = many.add_attributes();
    a->set_key(absl::StrCat("k", i));
    a->set_value(absl::StrCat("v", i));
    many.add_extra_location_codes(static_cast<uint64_t>(i) + 1);
  }
  const CaseView view(many);
  EXPECT_EQ(view.attributes_size(), 3 * kMaxCaseAttributes);
  EXPECT_EQ(view.extra_location_codes_size(), 3 * kMaxCaseAttributes);
  EXPECT_EQ(view.ToProto().SerializeAsString(), many.SerializeAsString());
  EXPECT_EQ(CaseView().ToProto().SerializeAsString(), "");
}

// ParseCase views the input: its strings point into the bytes, and more
// attributes and extra locations than a view holds inline are all kept.
TEST(CaseWire, ParsedViewPointsIntoTheBytes) {
  const std::string bytes =
      Bytes(1, "C-77") + Bytes(4, "01005") + Bytes(10, std::string("\xff", 1));
  CaseView c;
  ASSERT_TRUE(ParseCase(bytes, &c));
  EXPECT_EQ(c.id(), "C-77");
  EXPECT_EQ(c.id().data(), bytes.data() + 2);
  EXPECT_EQ(c.matter_code().data(), bytes.data() + 8);
  EXPECT_EQ(c.free_text(), std::string("\xff", 1));
  std::string many;
  for (int i = 0; i < 3 * kMaxExtraLocations; ++i) {
    many += Bytes(8, Bytes(1, absl::StrCat("k", i)) + Bytes(2, "v"));
    many += Tag(9, 0) + Varint(static_cast<uint64_t>(i) + 7);
  }
  CaseView m;
  ASSERT_TRUE(Agree(many, &m));
  EXPECT_EQ(m.attributes_size(), 3 * kMaxExtraLocations);
  EXPECT_EQ(m.attributes(40).key, "k40");
  EXPECT_EQ(m.extra_location_codes_size(), 3 * kMaxExtraLocations);
  EXPECT_EQ(m.extra_location_codes(47), 54u);
}

TEST(CaseWire, ReusedViewIsReplacedNotMerged) {
  v1::Case full;
  full.set_id("old");
  full.set_matter_code("01001");
  full.set_urgency(3);
  full.add_attributes()->set_key("site");
  full.add_extra_location_codes(7);
  full.set_free_text("words");
  CaseView c;
  ASSERT_TRUE(ParseCase(full.SerializeAsString(), &c));
  ASSERT_EQ(c.attributes_size(), 1);
  const std::string small = Bytes(1, "new");
  ASSERT_TRUE(ParseCase(small, &c));
  EXPECT_EQ(c.id(), "new");
  EXPECT_TRUE(c.matter_code().empty());
  EXPECT_EQ(c.urgency(), 0);
  EXPECT_EQ(c.attributes_size(), 0);
  EXPECT_EQ(c.extra_location_codes_size(), 0);
  EXPECT_TRUE(c.free_text().empty());
  ASSERT_TRUE(ParseCase("", &c));
  EXPECT_EQ(c.ToProto().SerializeAsString(), "");
}

// Reset gives an empty message's view, lists past their inline room
// included, and the view reads the next case as before.
TEST(CaseWire, ResetViewIsEmpty) {
  v1::Case full;
  full.set_id("big");
  full.set_source(v1::CASE_SOURCE_HOTLINE_12345);
  full.set_matter_code("01001");
  full.set_urgency(2);
  full.set_location_code(320116001001);
  full.set_reported_at(1772413200);
  for (int i = 0; i < 3 * kMaxCaseAttributes; ++i) {
    v1::CaseAttribute* a = full.add_attributes();
    a->set_key(absl::StrCat("k", i));
    a->set_value("v");
  }
  for (int i = 0; i < 3 * kMaxExtraLocations; ++i) {
    full.add_extra_location_codes(320116001001 + i);
  }
  const std::string bytes = full.SerializeAsString();
  CaseView c;
  ASSERT_TRUE(ParseCase(bytes, &c));
  ASSERT_EQ(c.attributes_size(), 3 * kMaxCaseAttributes);
  c.Reset();
  EXPECT_EQ(c.ToProto().SerializeAsString(), "");
  EXPECT_EQ(c.attributes_size(), 0);
  EXPECT_EQ(c.extra_location_codes_size(), 0);
  ASSERT_TRUE(ParseCase(bytes, &c));
  EXPECT_EQ(c.ToProto().SerializeAsString(), bytes);
}

TEST(CaseWire, EdgeCasesOfTheWireFormat) {
  QuietProtobuf quiet;
  const std::string id = Bytes(1, "C-1");
  struct Edge {
    std::string bytes;
    bool ok;  // what protobuf does, documented here
  };
  const std::vector<Edge> edges = {
      {"", true},
      {id, true},
      // Any order, repeats: the last scalar wins, repeated fields append.
      {Tag(5, 0) + Varint(2) + id + Tag(5, 0) + Varint(3), true},
      {Bytes(4, "a") + Bytes(4, "b") + id, true},
      {Bytes(8, Bytes(1, "k") + Bytes(2, "v")) + Bytes(8, Bytes(2, "w")), true},
      {Bytes(8, Bytes(1, "k") + Bytes(1, "k2")), true},
      // Fields in field-number order (read without the loop's dispatch),
      // then earlier ones again: the later values win there too.
      {id + Tag(2, 0) + Varint(3) + Tag(5, 0) + Varint(2) + Tag(7, 0) +
           Varint(99) + Bytes(8, Bytes(1, "k") + Bytes(2, "v")) +
           Bytes(8, Bytes(2, "v2") + Bytes(1, "k2")) + Bytes(1, "C-2") +
           Tag(5, 0) + Varint(4) + Bytes(8, Bytes(1, "k3")),
       true},
      {Bytes(1, "\xff") + Tag(2, 0) + Varint(1), false},
      {id + Tag(2, 0) + "\x80", false},
      {id + Bytes(4, "m") + Bytes(8, Bytes(1, "k") + Bytes(2, "\xff")), false},
      {Bytes(8, ""), true},
      // extra_location_codes packed, unpacked, both, empty packed.
      {Bytes(9, Varint(5) + Varint(1ull << 40)), true},
      {Tag(9, 0) + Varint(5) + Tag(9, 0) + Varint(6), true},
      {Tag(9, 0) + Varint(5) + Bytes(9, Varint(6)) + Tag(9, 0) + Varint(7),
       true},
      {Bytes(9, ""), true},
      // A packed varint that runs past its field's end.
      {Bytes(9, Varint(5) + "\x80"), false},
      {Bytes(9, "\x80") + Tag(5, 0) + Varint(1), false},
      // Unknown fields of every wire type, and known numbers with another
      // wire type: skipped.
      {Tag(11, 0) + Varint(~0ull) + id, true},
      {Tag(12, 1) + std::string(8, '\x01') + id, true},
      {Tag(13, 2) + Varint(3) + "abc" + id, true},
      {Tag(14, 5) + std::string(4, '\x02') + id, true},
      {Group(15, Tag(1, 0) + Varint(1) + Bytes(2, "x")) + id, true},
      {Group(15, Group(16, "") + Group(15, "")) + id, true},
      {Tag(1, 0) + Varint(9) + Tag(5, 2) + Varint(0) + Tag(6, 1) +
           std::string(8, '\x03') + Tag(2, 5) + std::string(4, 'x'),
       true},
      {Bytes(8, Tag(3, 0) + Varint(1) + Group(4, "") + Tag(1, 0) + Varint(2)),
       true},
      {Tag((1u << 29) - 1, 0) + Varint(1), true},
      // Truncated fixed-width and length-delimited unknown fields.
      {Tag(12, 1) + std::string(7, '\x01'), false},
      {Tag(14, 5) + std::string(3, '\x02'), false},
      {Tag(13, 2) + Varint(4) + "abc", false},
      // Wire types 6 and 7; field number 0 with any wire type; tag 0.
      {Tag(11, 6), false},
      {Tag(11, 7) + id, false},
      {Tag(0, 0) + Varint(1), false},
      {Tag(0, 2) + Varint(0), false},
      {Tag(0, 3) + Tag(0, 4), false},
      {id + std::string(1, '\0'), false},
      // End-group tags: alone, at top level, mismatched, unclosed.
      {Tag(15, 4), false},
      {id + Tag(1, 4), false},
      {Tag(15, 3) + Tag(16, 4), false},
      {Tag(15, 3) + Group(16, ""), false},
      {Tag(15, 3) + id, false},
      {Tag(15, 3) + std::string(1, '\0') + Tag(15, 4), false},
      {Bytes(8, Tag(2, 4)), false},
      {Bytes(8, Bytes(1, "k") + std::string(1, '\0')), false},
      // Varints: 10 bytes (the last one's high bits dropped) are read, 11
      // are not; 32-bit fields keep the low 32 bits.
      {Tag(6, 0) + std::string(9, '\xff') + "\x7f", true},
      {Tag(6, 0) + std::string(10, '\xff') + "\x01", false},
      {Tag(5, 0) + std::string(9, '\xff') + "\x01", true},
      {Tag(5, 0) + Varint(0x1234567890ull), true},
      {Tag(2, 0) + Varint(~0ull), true},
      {Tag(3, 0) + Varint(1ull << 35), true},
      {Tag(6, 0) + "\x80", false},
      {Tag(6, 0), false},
      // Tags: 5 bytes, the fifth's high bits dropped; 6 bytes refused.
      {std::string("\x8a\x80\x80\x80\x10", 5) + Varint(1) + "x", true},
      {std::string("\x8a\x80\x80\x80\x70", 5) + Varint(1) + "x", true},
      {std::string("\x8a\x80\x80\x80\x80\x00", 6) + Varint(1) + "x", false},
      {std::string("\x80", 1), false},
      // Lengths: 5 bytes below 2^31; longer, larger or past the end fail.
      {Tag(1, 2) + std::string("\x83\x80\x80\x80\x00", 5) + "abc", true},
      {Tag(1, 2) + std::string("\x83\x80\x80\x80\x08", 5) + "abc", false},
      {Tag(1, 2) + std::string("\x83\x80\x80\x80\x80\x00", 6) + "abc", false},
      {Tag(1, 2) + Varint(4) + "abc", false},
      {Tag(8, 2) + Varint(4) + Bytes(1, "k"), false},
      {Tag(10, 2) + Varint(1), false},
      // UTF-8: strings are checked, bytes are not.
      {Bytes(1, "\xe5\x9f\xba\xe5\xb1\x82"), true},
      {Bytes(1, "\xff"), false},
      {Bytes(4, "ok\xc0\x80"), false},
      {Bytes(8, Bytes(1, "\xed\xa0\x80")), false},
      {Bytes(8, Bytes(2, "\xf4\x90\x80\x80")), false},
      {Bytes(8, Bytes(2, "\xf4\x8f\xbf\xbf")), true},
      {Bytes(1, "abcdefgh\xe2\x82"), false},
      {Bytes(10, "\xff\xfe"), true},
      {Tag(13, 2) + Varint(1) + "\xff", true},
  };
  CaseView c;
  for (const Edge& e : edges) {
    EXPECT_EQ(Agree(e.bytes, &c), e.ok)
        << "protobuf itself: " << absl::CEscape(e.bytes);
  }
}

TEST(CaseWire, GroupsNestToTheRecursionLimit) {
  auto nested = [](int depth) {
    std::string s;
    for (int d = 0; d < depth; ++d) s = Group(20 + d % 3, s);
    return s;
  };
  CaseView c;
  EXPECT_TRUE(Agree(nested(100), &c));
  EXPECT_FALSE(Agree(nested(101), &c));
  // An attribute takes one level.
  EXPECT_TRUE(Agree(Bytes(8, nested(99)), &c));
  EXPECT_FALSE(Agree(Bytes(8, nested(100)), &c));
}

// Every prefix, and every byte replaced by a few values, of valid cases.
TEST(CaseWire, PrefixesAndChangedBytes) {
  QuietProtobuf quiet;
  Rng rng(7);
  CaseView c;
  for (int i = 0; i < 40; ++i) {
    const std::string bytes = RandomCase(rng).SerializeAsString();
    for (size_t n = 0; n < bytes.size(); ++n) Agree(bytes.substr(0, n), &c);
    for (size_t at = 0; at < bytes.size(); ++at) {
      for (const char b : {'\x00', '\x01', '\x7f', '\x80', '\xff',
                           static_cast<char>(rng.Next())}) {
        std::string m = bytes;
        m[at] = b;
        Agree(m, &c);
      }
    }
  }
}

// Random mutations of valid cases (bytes changed, inserted, removed,
// duplicated; pieces of other cases spliced in; wire-format tokens
// inserted), and random streams of wire-format tokens.
TEST(CaseWire, MillionMutatedInputs) {
  QuietProtobuf quiet;
  Rng rng(20261123);
  std::vector<std::string> seeds;
  for (int i = 0; i < 64; ++i) {
    seeds.push_back(RandomCase(rng).SerializeAsString());
  }
  auto token = [&]() -> std::string {
    const uint32_t field = static_cast<uint32_t>(
        rng.Below(4) == 0 ? rng.Below(1u << 29) : rng.Below(13));
    switch (rng.Below(9)) {
      case 0:
        return Tag(field, 0) + Varint(rng.Next() >> rng.Below(64));
      case 1:
        return Tag(field, 1) + std::string(8, 'f');
      case 2:
        return Bytes(field, std::string(rng.Below(6), 's'));
      case 3:
        return Tag(field, 3);
      case 4:
        return Tag(field, 4);
      case 5:
        return Tag(field, 5) + std::string(4, 'g');
      case 6:
        return Tag(field, static_cast<uint32_t>(rng.Below(8)));
      case 7:
        return Varint(rng.Next());
      default:
        return Bytes(8, Bytes(1, "k") + Tag(static_cast<uint32_t>(rng.Below(4)),
                                            static_cast<uint32_t>(rng.Below(8))));
    }
  };
  CaseView c;
  int accepted = 0;
  constexpr int kInputs = 1000000;
  for (int i = 0; i < kInputs; ++i) {
    std::string m;
    if (i % 4 == 3) {
      for (uint64_t k = 1 + rng.Below(6); k > 0; --k) m += token();
    } else {
      m = seeds[rng.Below(seeds.size())];
      for (uint64_t k = 1 + rng.Below(3); k > 0; --k) {
        const size_t at = m.empty() ? 0 : rng.Below(m.size() + 1);
        switch (rng.Below(6)) {
          case 0:
            if (at < m.size()) m[at] = static_cast<char>(rng.Next());
            break;
          case 1:
            m.insert(at, 1, static_cast<char>(rng.Next()));
            break;
          case 2:
            if (at < m.size()) m.erase(at, 1 + rng.Below(4));
            break;
          case 3: {
            const std::string& other = seeds[rng.Below(seeds.size())];
            const size_t from = rng.Below(other.size() + 1);
            m.insert(at, other.substr(from, rng.Below(16)));
            break;
          }
          case 4:
            m.insert(at, token());
            break;
          default:
            if (at < m.size()) m[at] ^= static_cast<char>(1 << rng.Below(8));
            break;
        }
      }
    }
    accepted += Agree(m, &c);
    if (HasFailure()) break;
  }
  // Both outcomes are exercised in bulk.
  EXPECT_GT(accepted, kInputs / 10);
  EXPECT_LT(accepted, kInputs * 9 / 10);
}

}  // namespace
}  // namespace jiceng
