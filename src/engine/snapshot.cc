// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The snapshot codec. One Transfer function per compiled structure names
// every member once and serves both directions (SnapshotWriter and
// SnapshotReader have the same operations), so that saving and loading
// cannot drift apart; the writer's direction takes the structures const.
// Verify functions then check, on load only, every invariant the
// algorithms rely on (listed above Verify, under "Invariants"). Adding a
// member to Hierarchy, Organization, WorkCalendar, Catalogue or Engine
// means: a line in its Transfer (and Verify if it holds indices or an
// invariant), a bump of kSnapshotFormatVersion, and its new size in
// kLayout below (snapshot_test's LayoutRecorded fails until then).

#include "src/engine/snapshot.h"

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/base/config.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "src/assessment/assessment_policy.h"
#include "src/base/civil_date.h"
#include "src/base/fingerprint.h"
#include "src/base/hash_tables.h"
#include "src/base/status_macros.h"
#include "src/base/utf8.h"
#include "src/catalogue/validate_catalogue.h"
#include "src/dataset/wire_check.h"
#include "src/engine/engine.h"
#include "src/lifecycle/lifecycle_policy.h"
#include "src/routing/routing_policy.h"

namespace jiceng {
namespace {

constexpr uint32_t kByteOrderMark = 0x01020304u;
constexpr size_t kVersionBytes = 16;
constexpr size_t kReservedOffset = 52;
constexpr size_t kChecksumOffset = 56;

// A township's delegation entry as a snapshot holds it (the section
// catalogue.township_delegations): Catalogue::ItemDelegation without the
// terms it derives.
struct DelegationPair {
  uint32_t item;
  uint32_t delegation;
};

template <typename T>
void PutRaw(std::string* out, T v) {
  static_assert(std::is_trivially_copyable<T>::value, "raw bytes");
  out->append(reinterpret_cast<const char*>(&v), sizeof(v));
}

template <typename T>
T GetRaw(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

void PadTo8(std::string* out) { out->append((8 - out->size() % 8) % 8, '\0'); }

// The fixed part of a section table entry after the name.
struct EntryView {
  absl::string_view name;
  uint64_t offset;
  uint64_t length;
  uint64_t count;
};

std::string SerializeDeterministic(const google::protobuf::MessageLite& m) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    m.SerializeToCodedStream(&out);
  }
  return bytes;
}

}  // namespace

// ---------------------------------------------------------------------------
// Writing.

class SnapshotWriter {
 public:
  static constexpr bool kLoading = false;

  bool ok() const { return true; }

  // A section of scalar fields or records: the fields written until End().
  void Begin(absl::string_view name, size_t count) {
    PadTo8(&payload_);
    sections_.push_back(
        SnapshotSection{std::string(name), payload_.size(), 0, count});
  }
  void End() {
    SnapshotSection& s = sections_.back();
    s.length = payload_.size() - s.offset;
  }

  // Every operation takes its data const: saving reads the engine, which
  // other threads may be querying, and never writes to it.

  // A flat array copied wholesale.
  template <typename T, typename A>
  void Array(absl::string_view name, const std::vector<T, A>& v) {
    static_assert(std::has_unique_object_representations<T>::value,
                  "a wholesale array must have no padding (determinism)");
    Begin(name, v.size());
    payload_.append(reinterpret_cast<const char*>(v.data()),
                    v.size() * sizeof(T));
    End();
  }
  void Bytes(absl::string_view name, const std::string& v) {
    Begin(name, v.size());
    payload_.append(v);
    End();
  }
  template <typename T, typename F>
  void Records(absl::string_view name, const std::vector<T>& v, F fields) {
    Begin(name, v.size());
    for (const T& x : v) fields(*this, x);
    End();
  }
  void Strings(absl::string_view name, const std::vector<std::string>& v) {
    Records(name, v,
            [](SnapshotWriter& io, const std::string& s) { io.Str(s); });
  }

  void U8(uint8_t v) { PutRaw(&payload_, v); }
  void U16(uint16_t v) { PutRaw(&payload_, v); }
  void U32(uint32_t v) { PutRaw(&payload_, v); }
  void I32(int32_t v) { PutRaw(&payload_, v); }
  void I64(int64_t v) { PutRaw(&payload_, v); }
  void U64(uint64_t v) { PutRaw(&payload_, v); }
  void F64(double v) { PutRaw(&payload_, v); }
  void Bool(bool v) { PutRaw(&payload_, static_cast<uint8_t>(v ? 1 : 0)); }
  void Int(int v) { PutRaw(&payload_, static_cast<int32_t>(v)); }
  void Str(const std::string& s) {
    PutRaw(&payload_, static_cast<uint32_t>(s.size()));
    payload_.append(s);
  }
  void StrVec(const std::vector<std::string>& v) {
    PutRaw(&payload_, static_cast<uint32_t>(v.size()));
    for (const std::string& s : v) Str(s);
  }
  template <typename E>
  void Enum(E e, bool (*)(int)) {
    PutRaw(&payload_, static_cast<int32_t>(e));
  }
  void Index(uint32_t v, absl::string_view) { U32(v); }
  void OptionalIndex(uint32_t v, absl::string_view, uint32_t) { U32(v); }
  void SignedIndex(int v, absl::string_view) { Int(v); }
  void Range(uint32_t begin, uint32_t end, absl::string_view) {
    U32(begin);
    U32(end);
  }
  void IndexVec(const std::vector<uint32_t>& v, absl::string_view) {
    PutRaw(&payload_, static_cast<uint32_t>(v.size()));
    for (uint32_t x : v) U32(x);
  }
  void Check(bool, absl::string_view) {}
  void Message(const google::protobuf::MessageLite& m) {
    std::string bytes = SerializeDeterministic(m);
    Str(bytes);
  }

  // The whole snapshot: header, table, payload.
  std::string Finish(uint64_t fingerprint) {
    const size_t table_bytes = sections_.size() * kSnapshotSectionEntryBytes;
    const uint64_t base = kSnapshotHeaderBytes + table_bytes;
    std::string out;
    out.reserve(base + payload_.size());
    out.append(kSnapshotMagic, sizeof(kSnapshotMagic));
    PutRaw(&out, kSnapshotFormatVersion);
    PutRaw(&out, kByteOrderMark);
    std::string version(JICENG_VERSION_STRING);
    version.resize(kVersionBytes, '\0');
    out.append(version);
    PutRaw(&out, fingerprint);
    PutRaw(&out, static_cast<uint64_t>(base + payload_.size()));
    PutRaw(&out, static_cast<uint32_t>(sections_.size()));
    PutRaw(&out, uint32_t{0});  // reserved (kReservedOffset)
    PutRaw(&out, uint64_t{0});  // the checksum, below
    for (const SnapshotSection& s : sections_) {
      std::string name = s.name;
      name.resize(kSnapshotSectionNameBytes, '\0');
      out.append(name);
      PutRaw(&out, base + s.offset);
      PutRaw(&out, s.length);
      PutRaw(&out, s.count);
    }
    out.append(payload_);
    const uint64_t checksum = SnapshotChecksum(out);
    std::memcpy(&out[kChecksumOffset], &checksum, sizeof(checksum));
    return out;
  }

 private:
  std::string payload_;
  std::vector<SnapshotSection> sections_;
};

// ---------------------------------------------------------------------------
// Reading: every read is bounds-checked; the first problem is kept and
// turns every later operation into a no-op.

class SnapshotReader {
 public:
  static constexpr bool kLoading = true;

  SnapshotReader(absl::string_view bytes,
                 absl::flat_hash_map<std::string, EntryView> table)
      : bytes_(bytes), table_(std::move(table)) {}

  bool ok() const { return status_.ok(); }
  const absl::Status& status() const { return status_; }

  // The element count of `section` (0 with an error when it is missing).
  // REQUIRES: `section` has static storage (a literal).
  uint64_t CountOf(absl::string_view section) {
    // Index fields name their table with a literal: remember the few
    // tables a record refers to rather than hash their names per field.
    for (const CachedCount& c : counts_) {
      if (c.name == section.data() && c.size == section.size()) return c.count;
    }
    auto it = table_.find(section);
    if (it == table_.end()) {
      if (ok()) {
        status_ = absl::InvalidArgumentError(
            absl::StrCat("snapshot has no section ", section));
      }
      return 0;
    }
    counts_[next_count_++ % kCachedCounts] =
        CachedCount{section.data(), section.size(), it->second.count};
    return it->second.count;
  }

  void Begin(absl::string_view name, size_t /*count*/) { Open(name); }
  void End() {
    if (!ok()) return;
    if (pos_ != end_) {
      Fail(pos_, absl::StrCat(end_ - pos_, " bytes left over after ",
                              section_.count, " entries"));
    }
  }

  template <typename T, typename A>
  void Array(absl::string_view name, std::vector<T, A>& v) {
    if (!Open(name)) return;
    const uint64_t count = section_.count;
    if (count > section_.length / sizeof(T) ||
        count * sizeof(T) != section_.length) {
      Fail(pos_, absl::StrCat(section_.length, " bytes do not hold ", count,
                              " entries of ", sizeof(T), " bytes"));
      return;
    }
    v.resize(count);
    if (count > 0) std::memcpy(v.data(), bytes_.data() + pos_, section_.length);
    pos_ = end_;
  }
  void Bytes(absl::string_view name, std::string& v) {
    if (!Open(name)) return;
    if (section_.count != section_.length) {
      Fail(pos_, absl::StrCat("count ", section_.count, " differs from length ",
                              section_.length));
      return;
    }
    v.assign(bytes_.data() + pos_, section_.length);
    pos_ = end_;
  }
  template <typename T, typename F>
  void Records(absl::string_view name, std::vector<T>& v, F fields) {
    if (!Open(name)) return;
    v.clear();
    // Grown as records are read, not reserved from the untrusted count:
    // memory stays proportional to the bytes actually present.
    std::vector<uint64_t>& starts =
        SafeEmplace(&record_offsets_, std::string(section_.name),
                    std::vector<uint64_t>())
            .first->second;
    for (uint64_t i = 0; i < section_.count && ok(); ++i) {
      starts.push_back(pos_);
      T x{};
      fields(*this, x);
      if (ok()) v.push_back(std::move(x));
    }
    End();
  }
  void Strings(absl::string_view name, std::vector<std::string>& v) {
    Records(name, v, [](SnapshotReader& io, std::string& s) { io.Str(s); });
  }

  void U8(uint8_t& v) { Get(&v); }
  void U16(uint16_t& v) { Get(&v); }
  void U32(uint32_t& v) { Get(&v); }
  void I32(int32_t& v) { Get(&v); }
  void I64(int64_t& v) { Get(&v); }
  void U64(uint64_t& v) { Get(&v); }
  void F64(double& v) { Get(&v); }
  void Bool(bool& v) {
    const uint64_t at = pos_;
    uint8_t b = 0;
    Get(&b);
    if (ok() && b > 1) Fail(at, absl::StrCat("boolean ", b, " is not 0 or 1"));
    v = b == 1;
  }
  void Int(int& v) {
    int32_t x = 0;
    Get(&x);
    v = x;
  }
  void Str(std::string& s) {
    const uint64_t at = pos_;
    uint32_t n = 0;
    Get(&n);
    if (!ok()) return;
    if (n > end_ - pos_) {
      Fail(at, absl::StrCat("string of ", n, " bytes overruns the section"));
      return;
    }
    const absl::string_view text = bytes_.substr(pos_, n);
    size_t bad = 0;
    if (!IsValidUtf8(text, &bad)) {
      Fail(pos_ + bad, "string is not valid UTF-8");
      return;
    }
    s.assign(text.data(), text.size());
    pos_ += n;
  }
  void StrVec(std::vector<std::string>& v) {
    uint32_t n = 0;
    const uint64_t at = pos_;
    Get(&n);
    if (!ok()) return;
    if (n > (end_ - pos_) / sizeof(uint32_t)) {
      Fail(at, absl::StrCat("list of ", n, " strings overruns the section"));
      return;
    }
    v.resize(n);
    for (std::string& s : v) Str(s);
  }
  template <typename E>
  void Enum(E& e, bool (*is_valid)(int)) {
    const uint64_t at = pos_;
    int32_t x = 0;
    Get(&x);
    if (ok() && !is_valid(x)) {
      Fail(at, absl::StrCat("enum value ", x, " is not valid"));
    }
    e = ok() ? static_cast<E>(x) : E{};
  }
  // An index into `table`: never a "none" value (that is OptionalIndex,
  // for the fields Compile may leave unset).
  void Index(uint32_t& v, absl::string_view table) {
    const uint64_t at = pos_;
    Get(&v);
    if (ok()) CheckIndex(at, v, table);
  }
  // An index into `table`, or `none`.
  void OptionalIndex(uint32_t& v, absl::string_view table, uint32_t none) {
    const uint64_t at = pos_;
    Get(&v);
    if (ok() && v != none) CheckIndex(at, v, table);
  }
  // An index into `table`, or -1.
  void SignedIndex(int& v, absl::string_view table) {
    const uint64_t at = pos_;
    Int(v);
    if (!ok() || v == -1) return;
    if (v < 0) {
      Fail(at, absl::StrCat("index ", v, " into ", table, " is negative"));
      return;
    }
    CheckIndex(at, static_cast<uint64_t>(v), table);
  }
  // [begin, end) within `table`.
  void Range(uint32_t& begin, uint32_t& end, absl::string_view table) {
    const uint64_t at = pos_;
    U32(begin);
    U32(end);
    if (!ok()) return;
    const uint64_t n = CountOf(table);
    if (ok() && (begin > end || end > n)) {
      Fail(at, absl::StrCat("range [", begin, ", ", end, ") is not within ",
                            table, " (", n, " entries)"));
    }
  }
  // A list of indices into `table` (none of them "none").
  void IndexVec(std::vector<uint32_t>& v, absl::string_view table) {
    uint32_t n = 0;
    const uint64_t at = pos_;
    Get(&n);
    if (!ok()) return;
    if (n > (end_ - pos_) / sizeof(uint32_t)) {
      Fail(at, absl::StrCat("list of ", n, " indices overruns the section"));
      return;
    }
    v.resize(n);
    for (uint32_t& x : v) Index(x, table);
  }
  // Fails at the field read last unless `valid`.
  void Check(bool valid, absl::string_view message) {
    if (ok() && !valid) Fail(field_at_, message);
  }
  void Message(google::protobuf::Message& m) {
    const uint64_t at = pos_;
    uint32_t n = 0;
    Get(&n);
    if (!ok()) return;
    if (n > end_ - pos_) {
      Fail(at, absl::StrCat("message of ", n, " bytes overruns the section"));
      return;
    }
    // The precise reason first (and no log line from protobuf's parser).
    const absl::string_view wire = bytes_.substr(pos_, n);
    const absl::Status wire_ok =
        CheckWireFormat(wire, *m.GetDescriptor(), m.GetTypeName());
    if (!wire_ok.ok()) {
      Fail(pos_, wire_ok.message());
      return;
    }
    if (!m.ParseFromArray(wire.data(), static_cast<int>(n))) {
      Fail(pos_, absl::StrCat("malformed ", m.GetTypeName()));
      return;
    }
    pos_ += n;
  }

  // Checks after reading: entry `index` of section `name`, whose entries
  // are `element_bytes` long (0: records of varying length).
  void FailAt(absl::string_view name, uint64_t index, size_t element_bytes,
              absl::string_view message) {
    if (!ok()) return;
    auto it = table_.find(name);
    uint64_t offset =
        it == table_.end() ? 0 : it->second.offset + index * element_bytes;
    auto starts = record_offsets_.find(name);
    if (element_bytes == 0 && starts != record_offsets_.end() &&
        index < starts->second.size()) {
      offset = starts->second[index];
    }
    status_ = absl::InvalidArgumentError(
        absl::StrCat("snapshot section ", name, " at offset ", offset,
                     " (entry ", index, "): ", message));
  }
  // The sections no Transfer asked for (a snapshot of another layout).
  void CheckAllRead() {
    if (!ok()) return;
    // The first unknown one in the file (then by name): the same message
    // on every run, whatever the hash table's order.
    const std::string* first = nullptr;
    const EntryView* at = nullptr;
    for (const auto& [name, entry] : table_) {
      if (read_.contains(name)) continue;
      if (at == nullptr || entry.offset < at->offset ||
          (entry.offset == at->offset && name < *first)) {
        first = &name;
        at = &entry;
      }
    }
    if (at != nullptr) {
      status_ = absl::InvalidArgumentError(
          absl::StrCat("snapshot section ", *first, " at offset ", at->offset,
                       " is unknown to this version"));
    }
  }

 private:
  bool Open(absl::string_view name) {
    if (!ok()) return false;
    auto it = table_.find(name);
    if (it == table_.end()) {
      status_ = absl::InvalidArgumentError(
          absl::StrCat("snapshot has no section ", name));
      return false;
    }
    section_ = it->second;
    SafeInsert(&read_, std::string(section_.name));
    pos_ = section_.offset;
    end_ = section_.offset + section_.length;
    return true;
  }
  template <typename T>
  void Get(T* v) {
    if (!ok()) return;
    if (end_ - pos_ < sizeof(T)) {
      Fail(pos_, absl::StrCat("entry overruns the section after ",
                              pos_ - section_.offset, " bytes"));
      return;
    }
    std::memcpy(v, bytes_.data() + pos_, sizeof(T));
    field_at_ = pos_;
    pos_ += sizeof(T);
  }
  void CheckIndex(uint64_t at, uint64_t v, absl::string_view table) {
    const uint64_t n = CountOf(table);
    if (ok() && v >= n) {
      Fail(at, absl::StrCat("index ", v, " is out of range (", table, " has ",
                            n, " entries)"));
    }
  }
  void Fail(uint64_t offset, absl::string_view message) {
    if (!ok()) return;
    status_ = absl::InvalidArgumentError(absl::StrCat(
        "snapshot section ", section_.name, " at offset ", offset, ": ",
        message));
  }

  absl::string_view bytes_;
  absl::flat_hash_map<std::string, EntryView> table_;
  absl::flat_hash_set<std::string> read_;
  // Where each record of each record section starts, for FailAt.
  absl::flat_hash_map<std::string, std::vector<uint64_t>> record_offsets_;
  EntryView section_{};
  uint64_t pos_ = 0;
  uint64_t end_ = 0;
  uint64_t field_at_ = 0;
  struct CachedCount {
    const char* name = nullptr;
    size_t size = 0;
    uint64_t count = 0;
  };
  static constexpr size_t kCachedCounts = 8;
  CachedCount counts_[kCachedCounts];
  size_t next_count_ = 0;
  absl::Status status_;
};

// ---------------------------------------------------------------------------
// The codec: what each compiled structure holds, in one place.

// What a Transfer reads or writes: the structure itself when loading, and
// only ever a const one when saving (an engine being saved may be queried
// by other threads at the same time: the save path must not write to it,
// and the compiler holds it to that).
template <typename Io, typename T>
using TransferData = std::conditional_t<Io::kLoading, T, const T>;

class SnapshotCodec {
 public:
  static std::string Save(const Engine& engine);
  static absl::StatusOr<std::unique_ptr<const Engine>> Load(
      absl::string_view bytes);
  static std::vector<std::string> LayoutChanges();

 private:
  template <typename Io>
  static void Transfer(Io& io, TransferData<Io, Engine>& e);
  template <typename Io>
  static void Transfer(Io& io, TransferData<Io, Hierarchy>& h);
  template <typename Io>
  static void Transfer(Io& io, TransferData<Io, Organization>& o);
  template <typename Io>
  static void Transfer(Io& io, TransferData<Io, WorkCalendar>& c);
  template <typename Io>
  static void Transfer(Io& io, TransferData<Io, Catalogue>& c);

  // Verification, on load only (see "Invariants" below).
  static void Verify(SnapshotReader& io, const Hierarchy& h);
  static void Verify(SnapshotReader& io, const Organization& o,
                     const Hierarchy& h);
  static void Verify(SnapshotReader& io, const WorkCalendar& c);
  static void Verify(SnapshotReader& io, const Catalogue& c);
  static void VerifyRoles(SnapshotReader& io, const Organization& o);
  static void VerifyPredicates(SnapshotReader& io, const Catalogue& c);
  static void VerifyRules(SnapshotReader& io, const Catalogue& c);
  static void VerifyDelegations(SnapshotReader& io, const Catalogue& c);
  static void VerifyEngine(SnapshotReader& io, const Engine& e);
  // Builds, after verification, what Compile derives from the saved
  // arrays: the code index, the township role records, the packed unit
  // codes, each rule's stage limits, the delegated-pair filter.
  static absl::Status Derive(Engine& e);
  // Rebuilds the hash maps from the arrays holding their keys.
  static void Rebuild(SnapshotReader& io, Organization& o,
                      std::vector<std::pair<uint64_t, UnitId>>& roles);
  static void Rebuild(SnapshotReader& io, Catalogue& c,
                      std::vector<std::string>& retired);
};

namespace {

template <typename Io, typename D>
void TransferDuration(Io& io, D& d) {
  io.Enum(d.unit, v1::TimeUnit_IsValid);
  io.I32(d.amount);
}

template <typename Io, typename L>
void TransferLimits(Io& io, L& l) {
  TransferDuration(io, l.sign_for);
  TransferDuration(io, l.handle);
  TransferDuration(io, l.feedback);
  TransferDuration(io, l.revisit);
}

template <typename Io, typename W>
void TransferWindow(Io& io, W& w) {
  io.I32(w.from);
  io.I32(w.to);
}

// A role's unit is unset (kNoUnit) except for ROLE_KIND_NAMED_UNIT: Verify
// checks which (VerifyRole).
template <typename Io, typename R>
void TransferRole(Io& io, R& r) {
  io.Enum(r.kind, v1::RoleKind_IsValid);
  io.SignedIndex(r.department_type, "organization.type_codes");
  io.OptionalIndex(r.unit, "organization.units", kNoUnit);
  io.Str(r.label);
}

bool IsPredicateOp(int op) {
  return op >= CompiledPredicate::kEquals && op <= CompiledPredicate::kAbsent;
}

// Whether every duration is within what validation allows for its unit
// (deadline arithmetic relies on it not overflowing).
bool DurationsInBounds(std::initializer_list<const CompiledDuration*> ds) {
  for (const CompiledDuration* d : ds) {
    if (d->amount < 0 || d->amount > MaxDurationAmount(d->unit)) return false;
  }
  return true;
}

bool LimitsInBounds(const CompiledLimits& l) {
  return DurationsInBounds({&l.sign_for, &l.handle, &l.feedback, &l.revisit});
}

}  // namespace

template <typename Io>
void SnapshotCodec::Transfer(Io& io, TransferData<Io, Engine>& e) {
  io.Begin("engine.scalars", 1);
  io.Int(e.warning_count_);
  io.I64(e.police_grid_count_);
  io.I64(e.scenario_count_);
  io.End();
  io.Begin("engine.meta", 1);
  io.Message(e.meta_);
  io.End();
  io.Begin("engine.routing_policy", 1);
  io.Message(e.routing_policy_);
  io.End();
  io.Begin("engine.lifecycle_policy", 1);
  io.Message(e.lifecycle_policy_);
  io.End();
  io.Begin("engine.assessment_policy", 1);
  io.Message(e.assessment_policy_);
  io.End();
  Transfer<Io>(io, e.hierarchy_);
  Transfer<Io>(io, e.organization_);
  Transfer<Io>(io, e.calendar_);
  Transfer<Io>(io, *e.catalogue_);
}

template <typename Io>
void SnapshotCodec::Transfer(Io& io, TransferData<Io, Hierarchy>& h) {
  // The code index (code_index_, sorted_keys_, sorted_ids_) is derived
  // from the keys on load (Derive).
  io.Array("hierarchy.keys", h.keys_);
  io.Array("hierarchy.nodes", h.nodes_);
  io.Array("hierarchy.police_grid", h.police_grid_);
  io.Strings("hierarchy.police_grid_codes", h.police_grid_codes_);
  io.Array("hierarchy.name_offsets", h.name_offsets_);
  io.Bytes("hierarchy.names", h.names_);
}

template <typename Io>
void SnapshotCodec::Transfer(Io& io, TransferData<Io, Organization>& o) {
  io.Strings("organization.type_codes", o.type_codes_);
  // Each unit's code and name with its record, as before they moved to
  // the text tables (the format is unchanged).
  if constexpr (Io::kLoading) {
    o.code_text_.clear();
    o.code_begin_.assign(1, 0);
    o.name_text_.clear();
    o.name_begin_.assign(1, 0);
  }
  io.Records("organization.units", o.units_, [&o](Io& io, auto& u) {
    std::string code, name;
    if constexpr (!Io::kLoading) {
      const UnitId id = static_cast<UnitId>(&u - o.units_.data());
      code = std::string(o.code(id));
      name = std::string(o.name(id));
    }
    io.Str(code);
    io.Str(name);
    if constexpr (Io::kLoading) {
      if (io.ok() && !o.AppendText(code, name)) {
        io.FailAt("organization.units", o.code_begin_.size() - 1, 0,
                  "unit codes or names over 4 GiB in all");
      }
    }
    io.Enum(u.kind, v1::UnitKind_IsValid);
    // Build refuses a unit without a region.
    io.Index(u.region, "hierarchy.nodes");
    io.OptionalIndex(u.parent, "organization.units", kNoUnit);
    io.SignedIndex(u.department_type, "organization.type_codes");
    io.Enum(u.office_type, v1::OfficeType_IsValid);
    io.Enum(u.centre_type, v1::CentreType_IsValid);
  });
  // The role map in key order (its iteration order is per process).
  std::vector<std::pair<uint64_t, UnitId>> roles;
  if constexpr (!Io::kLoading) {
    roles.assign(o.by_role_.begin(), o.by_role_.end());
    std::sort(roles.begin(), roles.end());
  }
  io.Records("organization.by_role", roles, [](Io& io, auto& r) {
    io.U64(r.first);
    io.Index(r.second, "organization.units");
  });
  io.Records("organization.by_region", o.by_region_, [](Io& io, auto& r) {
    io.Index(r.first, "hierarchy.nodes");
    io.Index(r.second, "organization.units");
  });
  io.Begin("organization.scalars", 1);
  io.U32(o.columns_);
  io.End();
  io.Array("organization.region_row", o.region_row_);
  io.Array("organization.table", o.table_);
  if constexpr (Io::kLoading) Rebuild(io, o, roles);
}

template <typename Io>
void SnapshotCodec::Transfer(Io& io, TransferData<Io, WorkCalendar>& c) {
  io.Begin("calendar.scalars", 1);
  io.I32(c.first_day_);
  io.I32(c.last_day_);
  io.Int(c.utc_offset_minutes_);
  io.Int(c.working_minutes_per_day_);
  io.End();
  io.Array("calendar.working_days_before", c.working_days_before_);
  io.Array("calendar.working_day_offsets", c.working_day_offsets_);
  io.Array("calendar.windows", c.windows_);
}

template <typename Io>
void SnapshotCodec::Transfer(Io& io, TransferData<Io, Catalogue>& c) {
  io.Records("catalogue.attribute_types", c.attribute_types_,
             [](Io& io, auto& t) { io.Enum(t, v1::AttributeType_IsValid); });
  io.Strings("catalogue.attribute_keys", c.attribute_keys_);
  io.Records("catalogue.allowed_values", c.allowed_values_,
             [](Io& io, auto& v) { io.StrVec(v); });
  io.Strings("catalogue.string_values", c.string_values_);
  io.Records("catalogue.items", c.items_, [](Io& io, auto& i) {
    io.Str(i.code);
    io.Str(i.name);
    io.Enum(i.list_type, v1::ListType_IsValid);
    io.Enum(i.power_kind, v1::PowerKind_IsValid);
    io.Enum(i.exercising_level, v1::RegionLevel_IsValid);
    io.SignedIndex(i.department_type, "organization.type_codes");
    io.SignedIndex(i.lead_department_type, "organization.type_codes");
    io.Enum(i.township_role, v1::TownshipRole_IsValid);
    TransferLimits(io, i.limits);
    TransferWindow(io, i.window);
    io.Bool(i.statutory_department_matter);
    io.Bool(i.has_legal_basis);
    TransferDuration(io, i.statutory_limit);
    TransferDuration(io, i.promised_limit);
    io.Bool(i.immediate);
    io.Enum(i.accepting_level, v1::RegionLevel_IsValid);
    io.Enum(i.approving_level, v1::RegionLevel_IsValid);
    io.Bool(i.village_proxy);
    io.Enum(i.service_scope, v1::ServiceScope_IsValid);
    io.Bool(i.courier_delivery);
  });
  io.Records("catalogue.matters", c.matters_, [](Io& io, auto& m) {
    io.Str(m.code);
    io.Str(m.name);
    io.Enum(m.category, v1::MatterCategory_IsValid);
    TransferLimits(io, m.limits);
    io.Bool(m.major);
    io.Range(m.rules_begin, m.rules_end, "catalogue.rules");
  });
  io.Records("catalogue.roles", c.roles_,
             [](Io& io, auto& r) { TransferRole(io, r); });
  io.Records("catalogue.predicates", c.predicates_, [](Io& io, auto& p) {
    io.Index(p.attribute, "catalogue.attribute_types");
    uint8_t op = p.op;
    io.U8(op);
    io.Check(IsPredicateOp(op), "predicate operator is not valid");
    if constexpr (Io::kLoading) p.op = static_cast<CompiledPredicate::Op>(op);
    io.U32(p.value);
    io.Range(p.set_begin, p.set_end, "catalogue.set_values");
    io.F64(p.min);
    io.F64(p.max);
  });
  io.Array("catalogue.set_values", c.set_values_);
  io.Records("catalogue.rules", c.rules_, [](Io& io, auto& r) {
    io.Str(r.id);
    io.Index(r.matter, "catalogue.matters");
    io.I32(r.priority);
    io.U32(r.depth);
    io.U32(r.predicate_count);
    io.OptionalIndex(r.region, "hierarchy.nodes", kNoRegion);
    io.U8(r.township_class_mask);
    io.U16(r.urban_rural_mask);
    io.U8(r.request_kind_mask);
    io.I32(r.min_urgency);
    io.I32(r.max_urgency);
    TransferWindow(io, r.window);
    io.Range(r.predicates_begin, r.predicates_end, "catalogue.predicates");
    TransferRole(io, r.lead);
    io.Range(r.co_handlers_begin, r.co_handlers_end, "catalogue.roles");
    TransferRole(io, r.supervisor);
    io.OptionalIndex(r.item, "catalogue.items", kNoIndex);
    io.Enum(r.duty_type, v1::DutyType_IsValid);
    io.Enum(r.tier, v1::HandlingTier_IsValid);
    TransferLimits(io, r.limits);
    io.I32(r.scenario);
    io.Str(r.dispute);
  });
  io.Records("catalogue.delegations", c.delegations_, [](Io& io, auto& d) {
    io.Str(d.id);
    io.Index(d.item, "catalogue.items");
    io.SignedIndex(d.from_department_type, "organization.type_codes");
    io.Enum(d.mode, v1::DelegationMode_IsValid);
    TransferWindow(io, d.window);
    io.IndexVec(d.townships, "hierarchy.nodes");
    io.Str(d.document);
  });
  io.Array("catalogue.item_delegations_begin", c.item_delegations_begin_);
  io.Array("catalogue.delegation_index", c.delegation_index_);
  io.Array("catalogue.delegated_townships", c.delegated_townships_);
  io.Array("catalogue.township_delegations_begin",
           c.township_delegations_begin_);
  // The townships' entries as (item, delegation) pairs: the terms beside
  // each are derived (IndexDelegations).
  std::vector<DelegationPair> pairs;
  if constexpr (!Io::kLoading) {
    pairs.reserve(c.township_delegations_.size());
    for (const Catalogue::ItemDelegation& e : c.township_delegations_) {
      pairs.push_back(DelegationPair{e.item, e.delegation});
    }
  }
  io.Array("catalogue.township_delegations", pairs);
  if constexpr (Io::kLoading) {
    c.township_delegations_.assign(pairs.size(), Catalogue::ItemDelegation{});
    for (size_t i = 0; i < pairs.size(); ++i) {
      Catalogue::ItemDelegation& e = c.township_delegations_[i];
      e.item = pairs[i].item;
      if (pairs[i].delegation >= Catalogue::kMaxDelegations) {
        // It would not fit the entry; Verify reports every other index
        // out of range.
        io.FailAt("catalogue.township_delegations", i, sizeof(DelegationPair),
                  absl::StrCat("delegation ", pairs[i].delegation,
                               " is out of range"));
        break;
      }
      e.delegation = pairs[i].delegation;
    }
  }
  io.Records("catalogue.abolished", c.abolished_, [](Io& io, auto& a) {
    io.Str(a.code);
    io.Str(a.name);
    io.StrVec(a.keywords);
    io.Str(a.document);
  });
  std::vector<std::string> retired;
  if constexpr (!Io::kLoading) {
    retired.assign(c.retired_codes_.begin(), c.retired_codes_.end());
    std::sort(retired.begin(), retired.end());
  }
  io.Strings("catalogue.retired_codes", retired);
  if constexpr (Io::kLoading) Rebuild(io, c, retired);
}

// ---------------------------------------------------------------------------
// Invariants, checked on load.
//
// A snapshot is untrusted (its checksum is unkeyed: anyone can reseal one),
// so loading proves what the algorithms assume instead of trusting it.
// After Verify passes, every invariant that Compile (with the dataset
// validation before it) guarantees and that routing, service routing,
// analysis, admission, the lifecycle or assessment relies on holds: a
// loaded engine behaves as a compiled one would, no index a query follows
// is out of range or "none" where Compile never leaves one, and no
// structure makes a query cost more than it would on a compiled engine of
// the same size. The reader accepts "none" (OptionalIndex) only for a
// role's unit (and VerifyRules then requires it exactly for NAMED_UNIT), a
// unit's parent, and a rule's region and item; -1 for a department type
// only where Compile leaves one unset (units, items, roles as RoleProblem
// says; never a delegation's). By section:
//
// hierarchy.*     At most kMaxRegions regions; keys and police grids one
//                 per region. Nodes in pre-order: each region's parent is
//                 the nearest earlier region whose subtree holds it (none
//                 for a root) and its subtree ends within its parent's.
//                 Descriptors valid; a root at county level or above and
//                 each region below its parent's level (or a micro grid
//                 under a base grid), so that no parent chain is longer
//                 than seven. Each region's township exactly as Build
//                 derives it (itself for a township, its parent's below,
//                 none above). Police grids in range; names at UTF-8
//                 boundaries of valid UTF-8; codes unique (Derive).
// organization.*  Units in code order (codes unique), each with a region
//                 (never none), a parent unit or none, a department type
//                 or -1. by_role in key order, each entry a role Build
//                 makes (VerifyRoles): a unit of the role's kind (and
//                 centre or department type) at the entry's region — a
//                 command centre or dispatched unit may serve a covered
//                 one instead. The dense table exactly the by_role
//                 entries that have a row and a column; region_row
//                 numbering the regions at township level and above;
//                 by_region exactly (region, unit) for every unit, sorted.
// calendar.*      First and last day in years kMinYear..kMaxYear (the
//                 range jiceng.h documents), at most kMaxCalendarDays, the
//                 UTC offset in bounds; prefix sums and working-day
//                 offsets consistent; windows sorted, disjoint, within the
//                 day, totalling the working minutes (64-bit arithmetic).
// catalogue.*     Attribute tables of one length, each attribute typed,
//                 allowed values (string attributes only) sorted.
//                 Predicates (VerifyPredicates) on a real attribute with an
//                 operator its type admits, values of its type; in-set
//                 values sorted, unique, in a run of their own (the runs
//                 tile set_values in predicate order). Items', rules' and
//                 delegations' windows open or dated within the years
//                 above; durations in bounds. Rules (VerifyRules): each
//                 within exactly its own matter's range, in precedence
//                 order there; depth that of its region; predicate count
//                 its masks and predicates; predicate and co-handler ranges
//                 disjoint, together covering catalogue.predicates and
//                 catalogue.roles (matching a case reads each predicate of
//                 its matter's rules once, as on a compiled engine); every
//                 role well formed (RoleProblem); scenarios numbered
//                 0..n-1 once each, n the engine's count
//                 (VerifyEngine). Delegations (VerifyDelegations): a
//                 real item and department type, townships distinct
//                 township-level regions in order; the per-item index a
//                 permutation of the delegations by item, then id; the
//                 townships' entries exactly the (township, item,
//                 delegation) triples of the delegations' lists, one
//                 non-empty row per township, by item then delegation id.
// engine.*        Counts consistent; the meta's effective date (if any) a
//                 day of the calendar; the lifecycle and assessment
//                 policies resolved as Compile leaves them (VerifyEngine);
//                 the policies pass their validation (Load).
//
// Not checked, because no algorithm relies on it and a dataset could say
// it too: free text (names, documents, role labels, rule ids but for their
// order), which of several units Build would have let answer a role (the
// first in code order), and the regions a command centre or dispatched
// unit covers. A forged snapshot can change those answers, never fault.

namespace {

// A prefix-offset array: `offsets` has `rows` + 1 entries, starts at 0,
// never decreases and ends at `total`.
void VerifyOffsets(SnapshotReader& io, absl::string_view name,
                   const std::vector<uint32_t>& offsets, uint64_t rows,
                   uint64_t total) {
  if (!io.ok()) return;
  if (offsets.size() != rows + 1) {
    io.FailAt(name, 0, sizeof(uint32_t),
              absl::StrCat(offsets.size(), " entries; expected ", rows + 1));
    return;
  }
  if (offsets[0] != 0) {
    io.FailAt(name, 0, sizeof(uint32_t), "does not start at 0");
    return;
  }
  for (size_t i = 1; i < offsets.size(); ++i) {
    if (offsets[i] < offsets[i - 1]) {
      io.FailAt(name, i, sizeof(uint32_t),
                absl::StrCat(offsets[i], " is below the previous entry ",
                             offsets[i - 1]));
      return;
    }
  }
  if (offsets.back() != total) {
    io.FailAt(name, rows, sizeof(uint32_t),
              absl::StrCat("ends at ", offsets.back(), "; expected ", total));
  }
}

// Whether a packed descriptor's low byte names a valid level and kind.
bool ValidLowDescriptor(uint32_t d) {
  const int level = static_cast<int>(d & 7u);
  const int kind = static_cast<int>((d >> 3) & 7u);
  if (level == 0 || !v1::RegionLevel_IsValid(level)) return false;
  if (!v1::TownshipClass_IsValid(static_cast<int>((d >> 6) & 3u))) {
    return false;
  }
  switch (level) {
    case v1::REGION_LEVEL_TOWNSHIP:
      return v1::TownshipKind_IsValid(kind);
    case v1::REGION_LEVEL_VILLAGE:
      return v1::VillageKind_IsValid(kind);
    case v1::REGION_LEVEL_GRID:
      return v1::GridKind_IsValid(kind);
    default:
      return kind == 0;
  }
}

// Whether a region of descriptor `low` may lie under one of `parent_low`
// (or, `root`, at the top), as validation allows (region.level_order,
// region.missing_parent, region.micro_grid_parent): levels only deepen,
// but for a micro grid under a base grid.
bool LevelUnder(uint32_t low, uint32_t parent_low, bool root) {
  const uint32_t level = low & 7u;
  if (root) return level <= v1::REGION_LEVEL_COUNTY;
  const uint32_t parent_level = parent_low & 7u;
  if (level > parent_level) return true;
  return level == v1::REGION_LEVEL_GRID &&
         parent_level == v1::REGION_LEVEL_GRID &&
         ((low >> 3) & 7u) == v1::GRID_KIND_MICRO &&
         ((parent_low >> 3) & 7u) == v1::GRID_KIND_BASE;
}

std::string IdText(uint32_t id) {
  return id == kNoIndex ? std::string("none") : absl::StrCat(id);
}

// The day numbers of the first and last dates a dataset may give
// (civil_date.h: years kMinYear..kMaxYear).
int32_t FirstValidDay() {
  static const int32_t day = DaysFromCivil(kMinYear, 1, 1);
  return day;
}
int32_t LastValidDay() {
  static const int32_t day = DaysFromCivil(kMaxYear, 12, 31);
  return day;
}
bool ValidDay(int32_t day) {
  return day >= FirstValidDay() && day <= LastValidDay();
}

// Whether a validity window is as Compile makes it from dataset dates:
// each end open (kOpenStart, kOpenEnd) or a date of the valid years (the
// explanations and analyses print them).
bool ValidWindow(const DayWindow& w) {
  return (w.from == kOpenStart || ValidDay(w.from)) &&
         (w.to == kOpenEnd || ValidDay(w.to));
}

// Why a role is not one Compile makes from a validated dataset, or empty:
// it has a kind; a department type exactly when the kind takes one
// (county department, dispatched unit); a unit exactly for
// ROLE_KIND_NAMED_UNIT (routing and analysis read that unit's kind and
// type). An unset supervisor (`may_be_unset`) sets nothing at all.
absl::string_view RoleProblem(const CompiledRole& r, bool may_be_unset) {
  if (r.kind == v1::ROLE_KIND_UNSPECIFIED) {
    if (may_be_unset && r.department_type < 0 && r.unit == kNoUnit &&
        r.label.empty()) {
      return {};
    }
    return "the role has no kind";
  }
  const bool typed = r.kind == v1::ROLE_KIND_COUNTY_DEPARTMENT ||
                     r.kind == v1::ROLE_KIND_DISPATCHED_UNIT;
  if (typed && r.department_type < 0) {
    return "the role's kind needs a department type";
  }
  if (!typed && r.department_type >= 0) {
    return "the role's kind takes no department type";
  }
  const bool named = r.kind == v1::ROLE_KIND_NAMED_UNIT;
  if (named && r.unit == kNoUnit) return "a NAMED_UNIT role names no unit";
  if (!named && r.unit != kNoUnit) return "the role's kind takes no unit";
  return {};
}

// Whether rule `a` precedes rule `b` of the same matter in Compile's order:
// priority, then depth, then predicate count, all descending, then id.
bool RulePrecedes(const CompiledRule& a, const CompiledRule& b) {
  if (a.priority != b.priority) return a.priority > b.priority;
  if (a.depth != b.depth) return a.depth > b.depth;
  if (a.predicate_count != b.predicate_count) {
    return a.predicate_count > b.predicate_count;
  }
  return a.id < b.id;
}

// The tests a rule's masks and urgency range count towards its predicate
// count (Catalogue::Build).
uint32_t MaskTests(const CompiledRule& r) {
  return (r.township_class_mask != 0 ? 1u : 0u) +
         (r.urban_rural_mask != 0 ? 1u : 0u) +
         (r.request_kind_mask != 0 ? 1u : 0u) +
         (r.min_urgency > 0 || r.max_urgency > 0 ? 1u : 0u);
}

}  // namespace

void SnapshotCodec::Verify(SnapshotReader& io, const Hierarchy& h) {
  if (!io.ok()) return;
  const size_t n = h.nodes_.size();
  constexpr size_t kNode = sizeof(Hierarchy::Node);
  if (n > kMaxRegions) {
    io.FailAt("hierarchy.nodes", 0, kNode,
              absl::StrCat(n, " regions; at most ", kMaxRegions));
    return;
  }
  auto sized = [&](absl::string_view name, size_t size, size_t expected,
                   size_t element) {
    if (size != expected) {
      io.FailAt(name, 0, element,
                absl::StrCat(size, " entries; expected ", expected));
    }
  };
  sized("hierarchy.keys", h.keys_.size(), n, sizeof(uint64_t));
  if (!h.police_grid_.empty()) {
    sized("hierarchy.police_grid", h.police_grid_.size(), n, sizeof(int32_t));
  }
  if (!io.ok()) return;
  // The regions whose subtrees hold the region being checked, outermost
  // first: its parent must be the last of them.
  std::vector<RegionId> open;
  for (size_t i = 0; i < n && io.ok(); ++i) {
    const Hierarchy::Node& node = h.nodes_[i];
    const uint32_t low = node.township_and_descriptor >> 24;
    const uint32_t township =
        node.township_and_descriptor & Hierarchy::kTownshipMask;
    const uint16_t d = node.descriptor;
    const RegionId end = node.end;
    const RegionId parent = node.parent;
    while (!open.empty() && h.nodes_[open.back()].end <= i) open.pop_back();
    const RegionId holder = open.empty() ? kNoRegion : open.back();
    // Build's township: itself for a township, its parent's below, none
    // at the top. (Asked only once the parent is known to precede it.)
    auto expected_township = [&]() -> uint32_t {
      if ((low & 7u) == v1::REGION_LEVEL_TOWNSHIP) {
        return static_cast<uint32_t>(i);
      }
      return parent == kNoRegion ? Hierarchy::kTownshipMask
                                 : h.nodes_[parent].township_and_descriptor &
                                       Hierarchy::kTownshipMask;
    };
    auto township_text = [](uint32_t t) {
      return IdText(t == Hierarchy::kTownshipMask ? kNoRegion : t);
    };
    // Pre-order: a parent precedes its children, whose subtrees nest in
    // its own.
    if (parent != kNoRegion && parent >= i) {
      io.FailAt("hierarchy.nodes", i, kNode,
                absl::StrCat("parent ", parent, " does not precede it"));
    } else if (parent != holder) {
      io.FailAt("hierarchy.nodes", i, kNode,
                absl::StrCat("parent ", IdText(parent),
                             " is not the region whose subtree holds it (",
                             IdText(holder), ")"));
    } else if (end <= i || end > n ||
               (parent != kNoRegion && end > h.nodes_[parent].end)) {
      io.FailAt("hierarchy.nodes", i, kNode,
                absl::StrCat("subtree end ", end, " is not within (", i,
                             ", its parent's end]"));
    } else if ((d & 0xFFu) != low || !ValidLowDescriptor(low) ||
               ((d >> 8) & 15u) > 7u || (d >> 12) != 0) {
      io.FailAt("hierarchy.nodes", i, kNode,
                absl::StrCat("descriptor ", d, " is not valid"));
    } else if (!LevelUnder(low,
                           parent == kNoRegion
                               ? 0
                               : h.nodes_[parent].township_and_descriptor >> 24,
                           parent == kNoRegion)) {
      // Levels only deepen: no parent chain is longer than seven (the
      // walks up the tree rely on it).
      io.FailAt("hierarchy.nodes", i, kNode,
                absl::StrCat("a region of level ", low & 7u, " cannot lie ",
                             parent == kNoRegion
                                 ? std::string("at the top")
                                 : absl::StrCat("under region ", parent)));
    } else if (township != expected_township()) {
      io.FailAt("hierarchy.nodes", i, kNode,
                absl::StrCat("township ", township_text(township),
                             " is not its township (",
                             township_text(expected_township()), ")"));
    } else if (!h.police_grid_.empty() &&
               (h.police_grid_[i] < -1 ||
                h.police_grid_[i] >=
                    static_cast<int64_t>(h.police_grid_codes_.size()))) {
      io.FailAt("hierarchy.police_grid", i, sizeof(int32_t),
                absl::StrCat("police grid ", h.police_grid_[i],
                             " is out of range"));
    }
    open.push_back(static_cast<RegionId>(i));
  }
  if (!io.ok()) return;
  // Names: offsets into the buffer, each at a character boundary of valid
  // UTF-8.
  VerifyOffsets(io, "hierarchy.name_offsets", h.name_offsets_, n,
                h.names_.size());
  if (!io.ok()) return;
  size_t bad = 0;
  if (!IsValidUtf8(h.names_, &bad)) {
    io.FailAt("hierarchy.names", bad, 1, "names are not valid UTF-8");
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    const uint32_t at = h.name_offsets_[i];
    if (at < h.names_.size() &&
        (static_cast<unsigned char>(h.names_[at]) & 0xC0u) == 0x80u) {
      io.FailAt("hierarchy.name_offsets", i, sizeof(uint32_t),
                "splits a UTF-8 character");
      return;
    }
  }
}

void SnapshotCodec::Verify(SnapshotReader& io, const Organization& o,
                           const Hierarchy& h) {
  if (!io.ok()) return;
  const size_t n = h.size();
  const size_t units = o.units_.size();
  // Units are numbered in code order (their codes are unique: Rebuild).
  for (UnitId u = 1; u < units; ++u) {
    if (!(o.code(u - 1) < o.code(u))) {
      io.FailAt("organization.units", u, 0,
                absl::StrCat("unit ", o.code(u), " is not after unit ",
                             o.code(u - 1), ": units are in code order"));
      return;
    }
  }
  if (o.columns_ != Organization::kFixedColumns + 2 * o.type_codes_.size()) {
    io.FailAt("organization.scalars", 0, 4,
              absl::StrCat("columns ", o.columns_, " do not match ",
                           o.type_codes_.size(), " department types"));
    return;
  }
  if (o.region_row_.size() != n) {
    io.FailAt("organization.region_row", 0, 4,
              absl::StrCat(o.region_row_.size(), " entries; expected ", n));
    return;
  }
  if (o.table_.size() % o.columns_ != 0) {
    io.FailAt("organization.table", 0, 4,
              absl::StrCat(o.table_.size(), " entries are not rows of ",
                           o.columns_));
    return;
  }
  const size_t rows = o.table_.size() / o.columns_;
  // Rows number the regions at township level and above in id order (the
  // township records and role lookups index by them without checking).
  uint32_t next_row = 0;
  for (size_t r = 0; r < n; ++r) {
    const bool has_row =
        h.level(static_cast<RegionId>(r)) <= v1::REGION_LEVEL_TOWNSHIP;
    const uint32_t expected = has_row ? next_row++ : kNoUnit;
    if (o.region_row_[r] != expected || (has_row && expected >= rows)) {
      io.FailAt("organization.region_row", r, 4,
                absl::StrCat("row ", o.region_row_[r], " of ", rows,
                             "; expected ", expected));
      return;
    }
  }
  if (next_row != rows) {
    io.FailAt("organization.table", 0, 4,
              absl::StrCat(rows, " rows for ", next_row,
                           " regions at township level or above"));
    return;
  }
  for (size_t i = 0; i < o.table_.size(); ++i) {
    if (o.table_[i] != kNoUnit && o.table_[i] >= units) {
      io.FailAt("organization.table", i, 4,
                absl::StrCat("unit ", o.table_[i], " of ", units));
      return;
    }
  }
  VerifyRoles(io, o);
  if (!io.ok()) return;
  // Every unit once, at its own region, by region then id (UnitsAt and
  // FirstOfKind read equal ranges of it).
  if (o.by_region_.size() != units) {
    io.FailAt(
        "organization.by_region", 0, 8,
        absl::StrCat(o.by_region_.size(), " entries for ", units, " units"));
    return;
  }
  for (size_t i = 0; i < o.by_region_.size(); ++i) {
    const auto& [region, unit] = o.by_region_[i];
    if (region != o.units_[unit].region) {
      io.FailAt("organization.by_region", i, 8,
                absl::StrCat("unit ", o.code(unit), " sits at region ",
                             o.units_[unit].region, ", not ", region));
      return;
    }
    if (i > 0 && !(o.by_region_[i - 1] < o.by_region_[i])) {
      io.FailAt("organization.by_region", i, 8,
                "not sorted by region, then unit (or a unit repeated)");
      return;
    }
  }
}

void SnapshotCodec::VerifyRoles(SnapshotReader& io, const Organization& o) {
  if (!io.ok()) return;
  // The first bad entry in key order (the map's own order is per process,
  // the message must not be), and the table cells the entries account for.
  bool found = false;
  uint64_t bad_key = 0;
  UnitId bad_unit = kNoUnit;
  absl::string_view why;
  std::vector<bool> accounted(o.table_.size(), false);
  for (const auto& [key, unit] : o.by_role_) {
    const RegionId region = static_cast<RegionId>(key >> 32);
    absl::string_view problem = o.RoleEntryProblem(key, unit);
    if (problem.empty()) {
      const uint32_t row = o.region_row_[region];
      const int column = o.Column(static_cast<uint32_t>(key));
      if (row != kNoUnit && column >= 0) {
        const size_t cell =
            static_cast<size_t>(row) * o.columns_ + static_cast<size_t>(column);
        accounted[cell] = true;
        if (o.table_[cell] != unit) {
          problem = "the dense table (organization.table) holds another unit";
        }
      }
    }
    if (!problem.empty() && (!found || key < bad_key)) {
      found = true;
      bad_key = key;
      bad_unit = unit;
      why = problem;
    }
  }
  if (found) {
    size_t index = 0;  // its entry in the section, which is in key order
    for (const auto& e : o.by_role_) index += e.first < bad_key ? 1 : 0;
    io.FailAt("organization.by_role", index, 12,
              absl::StrCat("region ", bad_key >> 32, ", role 0x",
                           absl::Hex(static_cast<uint32_t>(bad_key)), ": unit ",
                           o.code(bad_unit), ": ", why));
    return;
  }
  for (size_t i = 0; i < o.table_.size(); ++i) {
    if (o.table_[i] != kNoUnit && !accounted[i]) {
      io.FailAt("organization.table", i, 4,
                absl::StrCat("unit ", o.code(o.table_[i]),
                             " has no organization.by_role entry"));
      return;
    }
  }
}

void SnapshotCodec::Verify(SnapshotReader& io, const WorkCalendar& c) {
  if (!io.ok()) return;
  const int64_t days = static_cast<int64_t>(c.last_day_) - c.first_day_ + 1;
  if (!ValidDay(c.first_day_) || !ValidDay(c.last_day_)) {
    io.FailAt(
        "calendar.scalars", 0, 4,
        absl::StrCat("first and last day ", c.first_day_, " and ", c.last_day_,
                     " are not both in years ", kMinYear, "-", kMaxYear));
    return;
  }
  if (days < 1 || days > kMaxCalendarDays ||
      c.utc_offset_minutes_ < -kMaxUtcOffsetMinutes ||
      c.utc_offset_minutes_ > kMaxUtcOffsetMinutes) {
    io.FailAt("calendar.scalars", 0, 4,
              absl::StrCat("range of ", days, " days or UTC offset ",
                           c.utc_offset_minutes_, " is out of bounds"));
    return;
  }
  const auto& before = c.working_days_before_;
  if (before.size() != static_cast<size_t>(days) + 1 || before[0] != 0) {
    io.FailAt("calendar.working_days_before", 0, 4,
              absl::StrCat(before.size(), " prefix sums for ", days,
                           " days, or not starting at 0"));
    return;
  }
  for (size_t i = 1; i < before.size(); ++i) {
    const int64_t step = int64_t{before[i]} - before[i - 1];
    if (step != 0 && step != 1) {
      io.FailAt("calendar.working_days_before", i, 4,
                "prefix sums must grow by 0 or 1 a day");
      return;
    }
  }
  const auto& offsets = c.working_day_offsets_;
  if (offsets.size() != static_cast<size_t>(before.back())) {
    io.FailAt("calendar.working_day_offsets", 0, 4,
              absl::StrCat(offsets.size(), " entries for ", before.back(),
                           " working days"));
    return;
  }
  for (size_t i = 0; i < offsets.size(); ++i) {
    const int32_t off = offsets[i];
    if (off < 0 || off >= days || before[static_cast<size_t>(off)] !=
                                      static_cast<int32_t>(i) ||
        before[static_cast<size_t>(off) + 1] != static_cast<int32_t>(i) + 1) {
      io.FailAt("calendar.working_day_offsets", i, 4,
                absl::StrCat("day offset ", off,
                             " is not that working day's"));
      return;
    }
  }
  // Seconds of a day: windows end by 86400, so no sum below overflows.
  int32_t worked = 0, previous_end = 0;
  for (size_t i = 0; i < c.windows_.size(); ++i) {
    const WorkCalendar::Window& w = c.windows_[i];
    if (w.start < previous_end || w.end <= w.start || w.end > 86400 ||
        w.worked_before != worked ||
        w.worked_after != worked + (w.end - w.start)) {
      io.FailAt("calendar.windows", i, sizeof(WorkCalendar::Window),
                "window out of order or its working seconds inconsistent");
      return;
    }
    worked = w.worked_after;
    previous_end = w.end;
  }
  // 64-bit: a forged minute count times 60 must not wrap back to `worked`.
  if (c.windows_.empty() ||
      int64_t{worked} != int64_t{c.working_minutes_per_day_} * 60) {
    io.FailAt("calendar.windows", 0, sizeof(WorkCalendar::Window),
              absl::StrCat("windows total ", worked, " s; expected ",
                           c.working_minutes_per_day_, " working minutes"));
  }
}

void SnapshotCodec::Verify(SnapshotReader& io, const Catalogue& c) {
  if (!io.ok()) return;
  const size_t attributes = c.attribute_types_.size();
  if (c.attribute_keys_.size() != attributes ||
      c.allowed_values_.size() != attributes) {
    io.FailAt("catalogue.attribute_keys", 0, 4,
              "attribute keys, types and allowed values differ in count");
    return;
  }
  for (size_t a = 0; a < attributes; ++a) {
    if (c.attribute_types_[a] == v1::ATTRIBUTE_TYPE_UNSPECIFIED) {
      io.FailAt("catalogue.attribute_types", a, 0, "the attribute has no type");
      return;
    }
    // Allowed values: of string attributes only (attribute.definition).
    if (!c.allowed_values_[a].empty() &&
        c.attribute_types_[a] != v1::ATTRIBUTE_TYPE_STRING) {
      io.FailAt("catalogue.allowed_values", a, 0,
                "allowed values of an attribute that is not a string");
      return;
    }
    if (!std::is_sorted(c.allowed_values_[a].begin(),
                        c.allowed_values_[a].end())) {
      io.FailAt("catalogue.allowed_values", a, 0, "values are not sorted");
      return;
    }
  }
  VerifyPredicates(io, c);
  VerifyRules(io, c);
  if (!io.ok()) return;
  for (size_t i = 0; i < c.items_.size(); ++i) {
    const CompiledItem& item = c.items_[i];
    if (!LimitsInBounds(item.limits) ||
        !DurationsInBounds({&item.statutory_limit, &item.promised_limit})) {
      io.FailAt(
          "catalogue.items", i, 0,
          absl::StrCat("item ", item.code, ": a duration is out of bounds"));
      return;
    }
    if (!ValidWindow(item.window)) {
      io.FailAt(
          "catalogue.items", i, 0,
          absl::StrCat("item ", item.code, ": window [", item.window.from, ", ",
                       item.window.to, ") is not open or dated in years ",
                       kMinYear, "-", kMaxYear));
      return;
    }
    // As item.service_level admits them (compiled: never unspecified).
    if (item.accepting_level < v1::REGION_LEVEL_PROVINCE ||
        item.accepting_level > v1::REGION_LEVEL_VILLAGE ||
        item.approving_level < v1::REGION_LEVEL_PROVINCE ||
        item.approving_level > v1::REGION_LEVEL_TOWNSHIP) {
      io.FailAt("catalogue.items", i, 0,
                absl::StrCat("item ", item.code,
                             ": a service level is out of range"));
      return;
    }
  }
  for (size_t i = 0; i < c.matters_.size(); ++i) {
    if (!LimitsInBounds(c.matters_[i].limits)) {
      io.FailAt("catalogue.matters", i, 0,
                absl::StrCat("matter ", c.matters_[i].code,
                             ": a duration is out of bounds"));
      return;
    }
  }
  VerifyDelegations(io, c);
}

void SnapshotCodec::VerifyPredicates(SnapshotReader& io, const Catalogue& c) {
  if (!io.ok()) return;
  // A predicate's values: string ids for string attributes (the
  // explanations and analyses print them), 0/1 for booleans.
  const size_t strings = c.string_values_.size();
  auto value_ok = [&](v1::AttributeType type, uint32_t v) {
    return type == v1::ATTRIBUTE_TYPE_BOOL ? v <= 1 : v < strings;
  };
  // Build gives each in-set predicate the next run of set_values.
  uint32_t next_set = 0;
  for (size_t i = 0; i < c.predicates_.size(); ++i) {
    const CompiledPredicate& p = c.predicates_[i];
    const v1::AttributeType type = c.attribute_types_[p.attribute];
    const bool number = type == v1::ATTRIBUTE_TYPE_NUMBER;
    std::string problem;
    switch (p.op) {
      case CompiledPredicate::kEquals:
        if (number) {
          problem = "an equality test of a number (Build makes it a range)";
        } else if (!value_ok(type, p.value)) {
          problem = absl::StrCat("value ", p.value,
                                 " is out of range for its attribute's type");
        }
        break;
      case CompiledPredicate::kInSet:
        if (number) {
          problem = "a set test of a number";
        } else if (p.set_begin != next_set || p.set_end <= p.set_begin) {
          problem = absl::StrCat("its values [", p.set_begin, ", ", p.set_end,
                                 ") are not the next run of "
                                 "catalogue.set_values (from ",
                                 next_set, ")");
        } else {
          for (uint32_t k = p.set_begin; k < p.set_end; ++k) {
            if (!value_ok(type, c.set_values_[k]) ||
                (k > p.set_begin && c.set_values_[k - 1] >= c.set_values_[k])) {
              problem = absl::StrCat(
                  "set value ", c.set_values_[k], " at ", k,
                  " is out of range for its attribute's type, or the values "
                  "are not sorted and distinct");
              break;
            }
          }
          next_set = p.set_end;
        }
        break;
      case CompiledPredicate::kRange:
        if (!number) {
          problem = "a range test of an attribute that is not a number";
        } else if (!(p.min <= p.max)) {
          problem = absl::StrCat("range [", p.min, ", ", p.max,
                                 "] is empty or not a number");
        }
        break;
      default:  // kPresent, kAbsent: of any attribute
        break;
    }
    if (problem.empty() && p.op != CompiledPredicate::kInSet &&
        (p.set_begin != 0 || p.set_end != 0)) {
      problem = "a run of catalogue.set_values on a test that takes none";
    }
    if (!problem.empty()) {
      io.FailAt("catalogue.predicates", i, 0, problem);
      return;
    }
  }
  if (next_set != c.set_values_.size()) {
    io.FailAt("catalogue.set_values", next_set, sizeof(uint32_t),
              "values of no in-set predicate");
  }
}

void SnapshotCodec::VerifyRules(SnapshotReader& io, const Catalogue& c) {
  if (!io.ok()) return;
  const Hierarchy& h = *c.h_;
  // Rules grouped by matter: a matter's range holds only its rules (and,
  // below, every rule lies in its matter's range, so the ranges are
  // disjoint and cover the rules).
  for (MatterId m = 0; m < c.matters_.size(); ++m) {
    const CompiledMatter& matter = c.matters_[m];
    for (RuleIndex r = matter.rules_begin; r < matter.rules_end; ++r) {
      if (c.rules_[r].matter != m) {
        io.FailAt("catalogue.matters", m, 0,
                  absl::StrCat("rule ", r, " belongs to matter ",
                               c.rules_[r].matter));
        return;
      }
    }
  }
  // Which predicates and co-handler roles a rule holds: each belongs to
  // exactly one rule, as Build lays them out.
  std::vector<bool> predicate_held(c.predicates_.size(), false);
  std::vector<bool> role_held(c.roles_.size(), false);
  for (RuleIndex r = 0; r < c.rules_.size(); ++r) {
    const CompiledRule& rule = c.rules_[r];
    auto fail = [&](absl::string_view what) {
      io.FailAt("catalogue.rules", r, 0,
                absl::StrCat("rule ", rule.id, ": ", what));
    };
    const CompiledMatter& matter = c.matters_[rule.matter];
    if (r < matter.rules_begin || r >= matter.rules_end) {
      fail(absl::StrCat("it lies outside its matter ", matter.code,
                        "'s rules [", matter.rules_begin, ", ",
                        matter.rules_end, ")"));
      return;
    }
    if (r > matter.rules_begin && !RulePrecedes(c.rules_[r - 1], rule)) {
      fail(absl::StrCat("it is out of precedence order after rule ",
                        c.rules_[r - 1].id));
      return;
    }
    const uint32_t depth =
        rule.region == kNoRegion
            ? 0
            : static_cast<uint32_t>(h.depth(rule.region)) + 1;
    if (rule.depth != depth) {
      fail(absl::StrCat("depth ", rule.depth, " is not its region's (", depth,
                        ")"));
      return;
    }
    const uint64_t tests = uint64_t{MaskTests(rule)} +
                           (rule.predicates_end - rule.predicates_begin);
    if (rule.predicate_count != tests) {
      fail(absl::StrCat("predicate count ", rule.predicate_count,
                        " is not its ", tests, " tests"));
      return;
    }
    for (uint32_t k = rule.predicates_begin; k < rule.predicates_end; ++k) {
      if (predicate_held[k]) {
        fail(absl::StrCat("predicate ", k, " is another rule's too"));
        return;
      }
      predicate_held[k] = true;
    }
    for (uint32_t k = rule.co_handlers_begin; k < rule.co_handlers_end; ++k) {
      if (role_held[k]) {
        fail(absl::StrCat("co-handler role ", k, " is another rule's too"));
        return;
      }
      role_held[k] = true;
    }
    absl::string_view role = RoleProblem(rule.lead, false);
    if (!role.empty()) {
      fail(absl::StrCat("lead: ", role));
      return;
    }
    role = RoleProblem(rule.supervisor, true);
    if (!role.empty()) {
      fail(absl::StrCat("supervisor: ", role));
      return;
    }
    if (!ValidWindow(rule.window)) {
      fail(absl::StrCat("window [", rule.window.from, ", ", rule.window.to,
                        ") is not open or dated in years ", kMinYear, "-",
                        kMaxYear));
      return;
    }
    if (rule.scenario < -1 ||
        rule.scenario >= static_cast<int64_t>(c.rules_.size())) {
      fail(absl::StrCat("scenario ", rule.scenario, " is out of range"));
      return;
    }
    if (!LimitsInBounds(rule.limits)) {
      fail("a duration is out of bounds");
      return;
    }
  }
  for (size_t k = 0; k < predicate_held.size(); ++k) {
    if (!predicate_held[k]) {
      io.FailAt("catalogue.predicates", k, 0, "the predicate is no rule's");
      return;
    }
  }
  for (size_t k = 0; k < role_held.size(); ++k) {
    if (!role_held[k]) {
      io.FailAt("catalogue.roles", k, 0, "the role is no rule's co-handler");
      return;
    }
    const absl::string_view role = RoleProblem(c.roles_[k], false);
    if (!role.empty()) {
      io.FailAt("catalogue.roles", k, 0, role);
      return;
    }
  }
}

void SnapshotCodec::VerifyEngine(SnapshotReader& io, const Engine& e) {
  if (!io.ok()) return;
  // The day analyses and admission reviews default to (reference_day):
  // validation admits no date, or one of the calendar's range.
  const std::string& effective = e.meta_.effective_date();
  if (!effective.empty()) {
    const absl::optional<int32_t> day = ParseIsoDate(effective);
    if (!day || !e.calendar_.Covers(*day)) {
      io.FailAt("engine.meta", 0, 0,
                absl::StrCat("effective_date \"", Utf8Prefix(effective, 48),
                             "\" is not a date of the work calendar's range"));
      return;
    }
  }
  // Compile keeps these two resolved (every default filled in, one
  // assessment entry per level in level order), which the lifecycle and
  // assessment read without looking for defaults: resolving them again
  // changes nothing. (Their validation follows, in Load.)
  if (SerializeDeterministic(ResolveLifecyclePolicy(e.lifecycle_policy_)) !=
      SerializeDeterministic(e.lifecycle_policy_)) {
    io.FailAt("engine.lifecycle_policy", 0, 0,
              "a field Compile fills with its default is unset");
    return;
  }
  if (SerializeDeterministic(ResolveAssessmentPolicy(e.assessment_policy_)) !=
      SerializeDeterministic(e.assessment_policy_)) {
    io.FailAt("engine.assessment_policy", 0, 0,
              "not one entry per level, province to grid, as Compile "
              "resolves it");
    return;
  }
  const Catalogue& c = *e.catalogue_;
  const int64_t count = e.scenario_count_;
  if (count < 0 || count > static_cast<int64_t>(c.rules_.size())) {
    io.FailAt("engine.scalars", 0, 0,
              absl::StrCat(count, " scenarios of ", c.rules_.size(), " rules"));
    return;
  }
  // Build compiles scenario i into one rule that says so.
  std::vector<bool> seen(static_cast<size_t>(count), false);
  int64_t found = 0;
  for (RuleIndex r = 0; r < c.rules_.size(); ++r) {
    const int32_t s = c.rules_[r].scenario;
    if (s < 0) continue;
    if (s >= count || seen[static_cast<size_t>(s)]) {
      io.FailAt("catalogue.rules", r, 0,
                absl::StrCat("rule ", c.rules_[r].id, ": scenario ", s,
                             " is repeated or not below the ", count,
                             " scenarios of engine.scalars"));
      return;
    }
    seen[static_cast<size_t>(s)] = true;
    ++found;
  }
  if (found != count) {
    io.FailAt(
        "engine.scalars", 0, 0,
        absl::StrCat(count, " scenarios, but ", found, " rules are scenarios"));
  }
}

void SnapshotCodec::VerifyDelegations(SnapshotReader& io, const Catalogue& c) {
  if (!io.ok()) return;
  const Hierarchy& h = *c.h_;
  const size_t delegations = c.delegations_.size();
  for (size_t d = 0; d < delegations; ++d) {
    const CompiledDelegation& g = c.delegations_[d];
    auto fail = [&](absl::string_view what) {
      io.FailAt("catalogue.delegations", d, 0,
                absl::StrCat("delegation ", g.id, ": ", what));
    };
    if (g.from_department_type < 0) {
      fail("it names no department type it is delegated from");
      return;
    }
    if (!ValidWindow(g.window)) {
      fail(absl::StrCat("window [", g.window.from, ", ", g.window.to,
                        ") is not open or dated in years ", kMinYear, "-",
                        kMaxYear));
      return;
    }
    const auto& t = g.townships;
    for (size_t k = 0; k < t.size(); ++k) {
      if (k > 0 && t[k] <= t[k - 1]) {
        fail("townships are not sorted and distinct");
        return;
      }
      if (h.level(t[k]) != v1::REGION_LEVEL_TOWNSHIP) {
        fail(absl::StrCat("region ", t[k], " is not a township"));
        return;
      }
    }
  }
  // Per item, its delegations by id: every delegation once.
  VerifyOffsets(io, "catalogue.item_delegations_begin",
                c.item_delegations_begin_, c.items_.size(),
                c.delegation_index_.size());
  if (io.ok() && c.delegation_index_.size() != delegations) {
    io.FailAt("catalogue.delegation_index", 0, 4,
              absl::StrCat(c.delegation_index_.size(), " entries for ",
                           delegations, " delegations"));
  }
  for (size_t i = 0; i < c.delegation_index_.size() && io.ok(); ++i) {
    if (c.delegation_index_[i] >= delegations) {
      io.FailAt("catalogue.delegation_index", i, 4,
                absl::StrCat("delegation ", c.delegation_index_[i], " of ",
                             delegations));
    }
  }
  for (ItemId item = 0; item < c.items_.size() && io.ok(); ++item) {
    for (uint32_t k = c.item_delegations_begin_[item];
         k < c.item_delegations_begin_[item + 1] && io.ok(); ++k) {
      const CompiledDelegation& g = c.delegations_[c.delegation_index_[k]];
      if (g.item != item ||
          (k > c.item_delegations_begin_[item] &&
           !(c.delegations_[c.delegation_index_[k - 1]].id < g.id))) {
        io.FailAt("catalogue.delegation_index", k, 4,
                  absl::StrCat("delegation ", g.id, " is not the next of item ",
                               c.items_[item].code, " by id"));
      }
    }
  }
  const auto& towns = c.delegated_townships_;
  for (size_t i = 0; i < towns.size() && io.ok(); ++i) {
    if (towns[i] >= h.size() || (i > 0 && towns[i] <= towns[i - 1])) {
      io.FailAt("catalogue.delegated_townships", i, 4,
                absl::StrCat("township ", towns[i],
                             " is out of range or out of order"));
    } else if (h.level(towns[i]) != v1::REGION_LEVEL_TOWNSHIP) {
      // The directory blocks are found by the township's organization
      // row, which only regions at township level or above have.
      io.FailAt("catalogue.delegated_townships", i, 4,
                absl::StrCat("region ", towns[i], " is not a township"));
    }
  }
  VerifyOffsets(io, "catalogue.township_delegations_begin",
                c.township_delegations_begin_, towns.size(),
                c.township_delegations_.size());
  for (size_t row = 0; row < towns.size() && io.ok(); ++row) {
    if (c.township_delegations_begin_[row] ==
        c.township_delegations_begin_[row + 1]) {
      io.FailAt("catalogue.township_delegations_begin", row, 4,
                absl::StrCat("township ", towns[row], " has no entries"));
    }
  }
  for (size_t i = 0; i < c.township_delegations_.size() && io.ok(); ++i) {
    const Catalogue::ItemDelegation& e = c.township_delegations_[i];
    if (e.item >= c.items_.size() || e.delegation >= delegations) {
      io.FailAt("catalogue.township_delegations", i, sizeof(DelegationPair),
                absl::StrCat("item ", e.item, " or delegation ", e.delegation,
                             " is out of range"));
    }
  }
  // Each township's entries by item, then delegation id: the order Build
  // gives them (the searches by item rely on it, and the first in force
  // is the first in id order).
  for (size_t row = 0; row < towns.size() && io.ok(); ++row) {
    for (uint32_t k = c.township_delegations_begin_[row] + 1;
         k < c.township_delegations_begin_[row + 1] && io.ok(); ++k) {
      const Catalogue::ItemDelegation& a = c.township_delegations_[k - 1];
      const Catalogue::ItemDelegation& b = c.township_delegations_[k];
      if (a.item > b.item ||
          (a.item == b.item && !(c.delegations_[a.delegation].id <
                                 c.delegations_[b.delegation].id))) {
        io.FailAt("catalogue.township_delegations", k, sizeof(DelegationPair),
                  absl::StrCat("entry (item ", b.item, ", delegation ",
                               b.delegation, ") is out of order"));
      }
    }
  }
  if (!io.ok()) return;
  // And exactly the entries Build derives from the delegations' lists
  // (so that routing, which reads these, and analysis, which reads the
  // lists, see the same delegations): per township, each delegation that
  // lists it, in delegation_index_ order (by item, then id). Gathered by
  // organization row (every township has one) in two sequential passes
  // over the lists, then compared with each township's entries.
  const Organization& o = *c.o_;
  // (row_count() is derived after verification: the table's rows, which
  // Verify(Organization) has matched with region_row_.)
  const size_t org_rows = o.table_.size() / o.columns_;
  std::vector<uint32_t> start(org_rows + 1, 0);
  for (const CompiledDelegation& g : c.delegations_) {
    for (RegionId t : g.townships) ++start[o.row(t) + 1];
  }
  for (size_t r = 0; r < org_rows; ++r) start[r + 1] += start[r];
  std::vector<DelegationIndex> expected(start.back());
  {
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    for (DelegationIndex d : c.delegation_index_) {
      for (RegionId t : c.delegations_[d].townships) {
        expected[fill[o.row(t)]++] = d;
      }
    }
  }
  // A delegation listing the township of organization row `r` (none of
  // whose entries has it), named with that township.
  auto missing = [&](DelegationIndex d, uint32_t r) {
    const CompiledDelegation& g = c.delegations_[d];
    RegionId township = kNoRegion;
    for (RegionId t : g.townships) {
      if (o.row(t) == r) township = t;
    }
    io.FailAt("catalogue.delegations", d, 0,
              absl::StrCat("delegation ", g.id, ": township ", township,
                           " has no catalogue.township_delegations entry "
                           "for it"));
  };
  uint32_t next_row = 0;  // organization rows below it are compared
  for (size_t i = 0; i < towns.size() && io.ok(); ++i) {
    const uint32_t r = o.row(towns[i]);
    for (; next_row < r && io.ok(); ++next_row) {
      if (start[next_row] != start[next_row + 1]) {
        missing(expected[start[next_row]], next_row);
      }
    }
    if (!io.ok()) return;
    next_row = r + 1;
    const uint32_t b = c.township_delegations_begin_[i];
    const uint32_t e = c.township_delegations_begin_[i + 1];
    for (uint32_t j = 0; b + j < e || start[r] + j < start[r + 1]; ++j) {
      const uint32_t want = start[r] + j;
      if (b + j == e) {
        missing(expected[want], r);
        return;
      }
      const Catalogue::ItemDelegation& x = c.township_delegations_[b + j];
      if (want == start[r + 1] || x.delegation != expected[want] ||
          x.item != c.delegations_[x.delegation].item) {
        io.FailAt(
            "catalogue.township_delegations", b + j, sizeof(DelegationPair),
            absl::StrCat("entry (item ", x.item, ", delegation ", x.delegation,
                         ") of township ", towns[i],
                         " is not the next one the delegations' lists give "
                         "it (",
                         want == start[r + 1]
                             ? std::string("they give no more")
                             : absl::StrCat("delegation ",
                                            c.delegations_[expected[want]].id),
                         ")"));
        return;
      }
    }
  }
  for (; next_row < org_rows && io.ok(); ++next_row) {
    if (start[next_row] != start[next_row + 1]) {
      missing(expected[start[next_row]], next_row);
    }
  }
}

void SnapshotCodec::Rebuild(SnapshotReader& io, Organization& o,
                            std::vector<std::pair<uint64_t, UnitId>>& roles) {
  if (!io.ok()) return;
  o.code_text_.shrink_to_fit();
  o.name_text_.shrink_to_fit();
  o.code_begin_.shrink_to_fit();
  o.name_begin_.shrink_to_fit();
  const UnitId duplicate = o.IndexCodes();
  if (duplicate != kNoUnit) {
    io.FailAt("organization.units", duplicate, 0,
              absl::StrCat("duplicate unit code ", o.code(duplicate)));
    return;
  }
  ReserveRoom(&o.type_by_code_, o.type_codes_.size());
  for (size_t t = 0; t < o.type_codes_.size(); ++t) {
    if (!SafeEmplace(&o.type_by_code_, o.type_codes_[t], static_cast<int>(t))
             .second) {
      io.FailAt("organization.type_codes", t, 0,
                absl::StrCat("duplicate department type ", o.type_codes_[t]));
      return;
    }
  }
  const uint64_t regions = io.CountOf("hierarchy.nodes");
  ReserveRoom(&o.by_role_, roles.size());
  for (size_t i = 0; i < roles.size(); ++i) {
    if ((roles[i].first >> 32) >= regions ||
        (i > 0 && roles[i].first <= roles[i - 1].first)) {
      io.FailAt("organization.by_role", i, 12,
                absl::StrCat("role key ", roles[i].first,
                             " is out of range or out of order"));
      return;
    }
    SafeEmplace(&o.by_role_, roles[i].first, roles[i].second);
  }
}

void SnapshotCodec::Rebuild(SnapshotReader& io, Catalogue& c,
                            std::vector<std::string>& retired) {
  if (!io.ok()) return;
  const ItemId item = c.IndexItemCodes();
  if (item != kNoIndex) {
    io.FailAt("catalogue.items", item, 0,
              absl::StrCat("duplicate key ", c.items_[item].code));
    return;
  }
  absl::string_view section;
  size_t duplicate = 0;
  if (io.ok() && !c.IndexLookups(&section, &duplicate)) {
    io.FailAt(section, duplicate, 0, "duplicate key");
  }
  ReserveRoom(&c.retired_codes_, retired.size());
  for (std::string& code : retired) SafeInsert(&c.retired_codes_, code);
}

absl::Status SnapshotCodec::Derive(Engine& e) {
  if (!e.hierarchy_.IndexCodes()) {
    return absl::InvalidArgumentError(
        "snapshot section hierarchy.keys: two regions have the same code");
  }
  e.organization_.Derive(e.hierarchy_);
  e.catalogue_->ResolveRuleTerms();
  e.catalogue_->EncodeRoles();
  e.catalogue_->IndexDelegations();
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------

std::string SnapshotCodec::Save(const Engine& engine) {
  SnapshotWriter writer;
  // The writer's Transfer takes the engine const (TransferData): saving
  // never writes to an engine that other threads may be querying.
  Transfer<SnapshotWriter>(writer, engine);
  return writer.Finish(engine.dataset_fingerprint_);
}

namespace {

absl::Status CheckHeader(absl::string_view bytes) {
  // Only the whole magic makes bytes a snapshot: "J" is not one cut short.
  if (bytes.size() < sizeof(kSnapshotMagic) ||
      std::memcmp(bytes.data(), kSnapshotMagic, sizeof(kSnapshotMagic)) != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "not a jiceng snapshot (", bytes.size(),
        " bytes without the magic \"JICENGSN\"): create one with "
        "`jiceng snapshot` or Engine::SaveSnapshot"));
  }
  if (bytes.size() < kSnapshotHeaderBytes) {
    // It begins as a snapshot does: a snapshot cut short, not another file.
    return absl::DataLossError(absl::StrCat(
        "snapshot is ", bytes.size(), " bytes, shorter than its ",
        kSnapshotHeaderBytes, "-byte header: truncated"));
  }
  const uint32_t mark = GetRaw<uint32_t>(bytes.data() + 12);
  if (mark != kByteOrderMark) {
    return absl::InvalidArgumentError(absl::StrCat(
        "snapshot byte-order mark 0x", absl::Hex(mark, absl::kZeroPad8),
        " is not 0x01020304: it was written with another byte order, or is "
        "damaged"));
  }
  const uint32_t version = GetRaw<uint32_t>(bytes.data() + 8);
  if (version != kSnapshotFormatVersion) {
    return absl::InvalidArgumentError(absl::StrCat(
        "snapshot format version ", version, " is not supported: this jiceng (",
        JICENG_VERSION_STRING, ") reads format version ",
        kSnapshotFormatVersion,
        " only; re-create the snapshot from the dataset"));
  }
  const uint64_t size = GetRaw<uint64_t>(bytes.data() + 40);
  if (size != bytes.size()) {
    return absl::DataLossError(absl::StrCat(
        "snapshot is ", bytes.size(), " bytes but its header says ", size,
        size > bytes.size() ? ": truncated" : ": trailing bytes"));
  }
  const uint64_t stored = GetRaw<uint64_t>(bytes.data() + kChecksumOffset);
  const uint64_t actual = SnapshotChecksum(bytes);
  if (stored != actual) {
    return absl::DataLossError(absl::StrCat(
        "snapshot checksum mismatch (header ", FingerprintHex(stored),
        ", content ", FingerprintHex(actual), "): the snapshot is damaged"));
  }
  // Written as zero; anything else was not written by SaveSnapshot.
  const uint32_t reserved = GetRaw<uint32_t>(bytes.data() + kReservedOffset);
  if (reserved != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "snapshot header bytes ", kReservedOffset, "-", kReservedOffset + 3,
        " (reserved) are 0x", absl::Hex(reserved, absl::kZeroPad8),
        ", not zero: not written by this format's SaveSnapshot"));
  }
  return absl::OkStatus();
}

// The section table, after CheckHeader: names unique, sections in order,
// within the file and not overlapping.
absl::StatusOr<std::vector<EntryView>> ReadTable(absl::string_view bytes) {
  const uint32_t count = GetRaw<uint32_t>(bytes.data() + 48);
  if (count > (bytes.size() - kSnapshotHeaderBytes) /
                  kSnapshotSectionEntryBytes) {
    return absl::DataLossError(absl::StrCat(
        "snapshot section table of ", count, " entries overruns the file"));
  }
  std::vector<EntryView> table;
  table.reserve(count);
  uint64_t previous_end =
      kSnapshotHeaderBytes + uint64_t{count} * kSnapshotSectionEntryBytes;
  for (uint32_t i = 0; i < count; ++i) {
    const char* p =
        bytes.data() + kSnapshotHeaderBytes + i * kSnapshotSectionEntryBytes;
    const absl::string_view raw(p, kSnapshotSectionNameBytes);
    const absl::string_view name = raw.substr(0, raw.find('\0'));
    const char* fixed = p + kSnapshotSectionNameBytes;
    EntryView e{name, GetRaw<uint64_t>(fixed), GetRaw<uint64_t>(fixed + 8),
                GetRaw<uint64_t>(fixed + 16)};
    const uint64_t at =
        kSnapshotHeaderBytes + uint64_t{i} * kSnapshotSectionEntryBytes;
    if (name.empty() || name.size() == raw.size()) {
      return absl::DataLossError(absl::StrCat(
          "snapshot section table entry ", i, " at offset ", at,
          ": the name is empty or not NUL-terminated"));
    }
    if (e.offset < previous_end || e.offset > bytes.size() ||
        e.length > bytes.size() - e.offset) {
      return absl::DataLossError(absl::StrCat(
          "snapshot section ", name, " (table entry at offset ", at,
          "): bytes [", e.offset, ", +", e.length,
          ") overlap another section or overrun the ", bytes.size(),
          "-byte file"));
    }
    previous_end = e.offset + e.length;
    table.push_back(e);
  }
  if (previous_end != bytes.size()) {
    return absl::DataLossError(absl::StrCat(
        "snapshot has ", bytes.size() - std::min<uint64_t>(previous_end,
                                                           bytes.size()),
        " bytes after its last section (at offset ", previous_end, ")"));
  }
  return table;
}

}  // namespace

absl::StatusOr<std::unique_ptr<const Engine>> SnapshotCodec::Load(
    absl::string_view bytes) {
  JC_RETURN_IF_ERROR(CheckHeader(bytes));
  JC_ASSIGN_OR_RETURN(std::vector<EntryView> entries, ReadTable(bytes));
  absl::flat_hash_map<std::string, EntryView> table;
  ReserveRoom(&table, entries.size());
  for (const EntryView& e : entries) {
    if (!SafeEmplace(&table, std::string(e.name), e).second) {
      return absl::DataLossError(
          absl::StrCat("snapshot section ", e.name, " appears twice"));
    }
  }
  SnapshotReader io(bytes, std::move(table));

  std::unique_ptr<Engine> engine(new Engine(
      v1::DatasetMeta(), Hierarchy(), Organization(), WorkCalendar(), 0, 0));
  engine->catalogue_.emplace(
      Catalogue(engine->hierarchy_, engine->organization_));
  engine->dataset_fingerprint_ = GetRaw<uint64_t>(bytes.data() + 32);
  Transfer<SnapshotReader>(io, *engine);
  io.CheckAllRead();
  Verify(io, engine->hierarchy_);
  Verify(io, engine->organization_, engine->hierarchy_);
  Verify(io, engine->calendar_);
  Verify(io, *engine->catalogue_);
  VerifyEngine(io, *engine);
  JC_RETURN_IF_ERROR(io.status());
  JC_RETURN_IF_ERROR(Derive(*engine));

  const int64_t rules = static_cast<int64_t>(engine->catalogue_->rule_count());
  if (engine->scenario_count_ < 0 || engine->scenario_count_ > rules ||
      engine->warning_count_ < 0 || engine->police_grid_count_ < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "snapshot section engine.scalars: counts (", engine->warning_count_,
        " warnings, ", engine->police_grid_count_, " police grids, ",
        engine->scenario_count_, " scenarios of ", rules,
        " rules) are inconsistent"));
  }
  // The policies as the router, the lifecycle and assessment read them:
  // the routing policy as the dataset gave it, the others resolved; each
  // passes its own validation.
  ProblemList problems;
  ValidateRoutingPolicy(engine->routing_policy_, &problems);
  ValidateLifecyclePolicy(engine->lifecycle_policy_, &problems);
  ValidateAssessmentPolicy(engine->assessment_policy_, "", &problems);
  if (problems.has_errors()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "snapshot sections engine.routing_policy/lifecycle_policy/"
        "assessment_policy: ",
        problems.ToStatus().message()));
  }
  return std::unique_ptr<const Engine>(std::move(engine));
}

// The sizes the codec was written for (x86-64 and AArch64, libstdc++):
// a different size means a member was added or removed.
std::vector<std::string> SnapshotCodec::LayoutChanges() {
  std::vector<std::string> changed;
#if defined(__GLIBCXX__) && (defined(__x86_64__) || defined(__aarch64__))
  struct Layout {
    const char* name;
    size_t recorded;
    size_t actual;
  };
  constexpr size_t kMessageBytes =
      sizeof(v1::DatasetMeta) + sizeof(v1::RoutingPolicy) +
      sizeof(v1::LifecyclePolicy) + sizeof(v1::AssessmentPolicy);
  const Layout kLayout[] = {
      // Less its messages, which protobuf sizes and the codec writes whole.
      {"Engine", 1600, sizeof(Engine) - kMessageBytes},
      {"Hierarchy", 272, sizeof(Hierarchy)},
      {"Hierarchy::Node", 16, sizeof(Hierarchy::Node)},
      {"Organization", 440, sizeof(Organization)},
      {"Organization::UnitRecord", 24, sizeof(Organization::UnitRecord)},
      {"WorkCalendar", 88, sizeof(WorkCalendar)},
      {"WorkCalendar::Window", 16, sizeof(WorkCalendar::Window)},
      {"Catalogue", 760, sizeof(Catalogue)},
      {"CompiledItem", 176, sizeof(CompiledItem)},
      {"CompiledMatter", 112, sizeof(CompiledMatter)},
      {"CompiledRole", 48, sizeof(CompiledRole)},
      {"CompiledPredicate", 40, sizeof(CompiledPredicate)},
      {"CompiledRule", 312, sizeof(CompiledRule)},
      {"CompiledDelegation", 112, sizeof(CompiledDelegation)},
      {"CompiledAbolishedDuty", 120, sizeof(CompiledAbolishedDuty)},
      {"Catalogue::ItemDelegation", 16, sizeof(Catalogue::ItemDelegation)},
  };
  for (const Layout& l : kLayout) {
    if (l.recorded != l.actual) {
      changed.push_back(absl::StrCat(l.name, " is ", l.actual,
                                     " bytes; the snapshot codec knows it as ",
                                     l.recorded));
    }
  }
#endif
  return changed;
}

absl::StatusOr<std::string> Engine::SaveSnapshot() const {
#ifndef ABSL_IS_LITTLE_ENDIAN
  return absl::UnimplementedError(
      "snapshots are little-endian; this host is not");
#else
  return SnapshotCodec::Save(*this);
#endif
}

absl::StatusOr<std::unique_ptr<const Engine>> Engine::LoadSnapshot(
    absl::string_view bytes) {
#ifndef ABSL_IS_LITTLE_ENDIAN
  return absl::UnimplementedError(
      "snapshots are little-endian; this host is not");
#else
  return SnapshotCodec::Load(bytes);
#endif
}

uint64_t SnapshotChecksum(absl::string_view bytes) {
  const uint64_t seed = Fingerprint64(bytes.substr(0, kChecksumOffset));
  return Fingerprint64(bytes.substr(kSnapshotHeaderBytes), seed);
}

absl::StatusOr<SnapshotSummary> DescribeSnapshot(absl::string_view bytes) {
  JC_RETURN_IF_ERROR(CheckHeader(bytes));
  JC_ASSIGN_OR_RETURN(std::vector<EntryView> entries, ReadTable(bytes));
  SnapshotSummary s;
  s.format_version = GetRaw<uint32_t>(bytes.data() + 8);
  const absl::string_view version = bytes.substr(16, kVersionBytes);
  s.library_version = std::string(version.substr(0, version.find('\0')));
  if (!IsValidUtf8(s.library_version)) s.library_version = "?";
  s.dataset_fingerprint = GetRaw<uint64_t>(bytes.data() + 32);
  s.checksum = GetRaw<uint64_t>(bytes.data() + kChecksumOffset);
  for (const EntryView& e : entries) {
    s.sections.push_back(
        SnapshotSection{std::string(e.name), e.offset, e.length, e.count});
  }
  return s;
}

std::vector<std::string> SnapshotLayoutChanges() {
  return SnapshotCodec::LayoutChanges();
}

}  // namespace jiceng
