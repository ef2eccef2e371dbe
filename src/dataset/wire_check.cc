// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/dataset/wire_check.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/reflection.h"
#include "src/base/utf8.h"

namespace jiceng {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// One message being walked: its type, where its bytes end, and how it was
// reached (for the path in a message).
struct Frame {
  const Descriptor* type;
  int layout_type;             // its index in the WireLayout (quick walk)
  size_t end;
  const FieldDescriptor* via;  // null for the root
  int index;                   // the element of `via` if repeated, else -1
};

std::string FieldPath(const Frame* stack, int depth,
                      const FieldDescriptor* last, int last_index) {
  std::string path;
  auto append = [&path](const FieldDescriptor* f, int index) {
    if (!path.empty()) path += '.';
    path += f->name();
    if (index >= 0) absl::StrAppend(&path, "[", index, "]");
  };
  for (int i = 0; i < depth; ++i) {
    if (stack[i].via != nullptr) append(stack[i].via, stack[i].index);
  }
  if (last != nullptr) append(last, last_index);
  return path.empty() ? "the message" : path;
}

}  // namespace

// Per message type reachable from the root, by field number: what the
// quick walk must check (a string, a nested message) without asking the
// descriptor (FindFieldByNumber hashes field numbers that are not
// sequential, which cost the C ABI's route call 11 % more instructions).
struct WireLayout {
  static constexpr int kOther = -1;   // varint, fixed, bytes, unknown
  static constexpr int kString = -2;  // else: the nested type's index
  struct Type {
    const Descriptor* descriptor;
    std::vector<int> kind;  // by field number, kOther past the largest
  };
  std::vector<Type> types;  // [0]: the root
  // Whether any type holds a message field in a oneof (see ParseMessage).
  bool message_in_oneof = false;

  int Kind(int type, uint64_t number) const {
    const std::vector<int>& kind = types[static_cast<size_t>(type)].kind;
    return number < kind.size() ? kind[number] : kOther;
  }
};

const WireLayout* NewWireLayout(const Descriptor& root) {
  auto layout = std::make_unique<WireLayout>();
  std::vector<std::pair<const Descriptor*, int>> index;  // few types
  auto index_of = [&](const Descriptor* d) {
    for (const auto& [type, i] : index) {
      if (type == d) return i;
    }
    const int i = static_cast<int>(layout->types.size());
    index.emplace_back(d, i);
    layout->types.push_back(WireLayout::Type{d, {}});
    return i;
  };
  index_of(&root);
  // Breadth first over the types (no recursion over the schema either).
  for (size_t t = 0; t < layout->types.size(); ++t) {
    const Descriptor* d = layout->types[t].descriptor;
    int largest = 0;
    for (int f = 0; f < d->field_count(); ++f) {
      largest = std::max(largest, d->field(f)->number());
    }
    std::vector<int> kind(static_cast<size_t>(largest) + 1,
                          WireLayout::kOther);
    for (int f = 0; f < d->field_count(); ++f) {
      const FieldDescriptor* field = d->field(f);
      int& k = kind[static_cast<size_t>(field->number())];
      if (field->type() == FieldDescriptor::TYPE_STRING) {
        k = WireLayout::kString;
      } else if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
        k = index_of(field->message_type());
        if (field->real_containing_oneof() != nullptr) {
          layout->message_in_oneof = true;
        }
      }
    }
    layout->types[t].kind = std::move(kind);
  }
  return layout.release();
}

namespace {

// Walks the wire bytes iteratively. Two modes: the quick one (with a
// WireLayout) answers only whether the bytes pass and allocates nothing
// (the stack is an array); the detailed one also counts repeated elements
// and builds the error (error()) naming the offset and the field's path.
// Callers run the quick walk and, on failure, the detailed one.
class WireWalker {
 public:
  WireWalker(absl::string_view bytes, absl::string_view what,
             const WireLayout* quick)
      : p_(reinterpret_cast<const uint8_t*>(bytes.data())),
        size_(bytes.size()),
        what_(what),
        layout_(quick),
        detailed_(quick == nullptr) {}

  bool Walk(const Descriptor& root) {
    Push(&root, 0, size_, nullptr, -1);
    while (depth_ > 0) {
      Frame& top = stack_[depth_ - 1];
      if (pos_ == top.end) {
        --depth_;
        continue;
      }
      const size_t tag_at = pos_;
      uint64_t tag;
      if (!ReadVarint(top.end, &tag)) return Corrupt(tag_at, "a tag");
      const uint64_t number = tag >> 3;
      const int wire_type = static_cast<int>(tag & 7);
      if (number == 0 || number > FieldDescriptor::kMaxNumber) {
        return Corrupt(tag_at,
                       absl::StrCat("a tag with field number ", number));
      }
      if (!detailed_) {
        if (!QuickField(top, number, wire_type, tag_at)) return false;
        continue;
      }
      const FieldDescriptor* field =
          top.type->FindFieldByNumber(static_cast<int>(number));
      int index = -1;
      if (detailed_ && field != nullptr && field->is_repeated()) {
        index = seen_[static_cast<size_t>(depth_ - 1)]
                     [static_cast<size_t>(field->index())]++;
      }
      switch (wire_type) {
        case 0: {
          uint64_t ignored;
          if (!ReadVarint(top.end, &ignored)) {
            return Corrupt(tag_at, Named("a varint", field, index));
          }
          break;
        }
        case 1:
        case 5: {
          const size_t n = wire_type == 1 ? 8 : 4;
          if (top.end - pos_ < n) {
            return Corrupt(tag_at, Named("a fixed-width value", field, index));
          }
          pos_ += n;
          break;
        }
        case 2: {
          uint64_t len;
          if (!ReadVarint(top.end, &len) || len > top.end - pos_) {
            return Corrupt(tag_at, Named("a length", field, index));
          }
          const size_t start = pos_;
          pos_ += static_cast<size_t>(len);
          if (field == nullptr ||
              field->type() == FieldDescriptor::TYPE_BYTES) {
            break;
          }
          if (field->type() == FieldDescriptor::TYPE_STRING) {
            absl::string_view s(reinterpret_cast<const char*>(p_ + start),
                                static_cast<size_t>(len));
            size_t bad = 0;
            if (!IsValidUtf8(s, &bad)) {
              return Fail([&] {
                return absl::StrCat(what_, " (", size_, " bytes): ",
                                    Path(field, index),
                                    ": not valid UTF-8 (byte offset ",
                                    start + bad, ")");
              });
            }
          } else if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
            if (depth_ >= kMaxMessageDepth) {
              return Fail([&] {
                return absl::StrCat(what_, " (", size_, " bytes): ",
                                    Path(field, index), ": nested deeper than ",
                                    kMaxMessageDepth, " messages");
              });
            }
            pos_ = start;
            Push(field->message_type(), 0, start + static_cast<size_t>(len),
                 field, index);
          }
          break;
        }
        default:
          return Corrupt(tag_at, absl::StrCat("wire type ", wire_type,
                                              " (groups are not used)"));
      }
    }
    return true;
  }

  // The detailed walk's error, after Walk returned false.
  const absl::Status& error() const { return error_; }

 private:
  void Push(const Descriptor* type, int layout_type, size_t end,
            const FieldDescriptor* via, int index) {
    stack_[depth_++] = Frame{type, layout_type, end, via, index};
    if (detailed_) {
      if (seen_.size() < static_cast<size_t>(depth_)) seen_.resize(depth_);
      seen_[static_cast<size_t>(depth_ - 1)].assign(
          static_cast<size_t>(type->field_count()), 0);
    }
  }

  // The quick walk's step over one field of `top` (its tag read): the
  // detailed walk's checks, with the field's kind from the layout.
  bool QuickField(const Frame& top, uint64_t number, int wire_type,
                  size_t tag_at) {
    uint64_t v;
    switch (wire_type) {
      case 0:
        return ReadVarint(top.end, &v);
      case 1:
      case 5: {
        const size_t n = wire_type == 1 ? 8 : 4;
        if (top.end - pos_ < n) return false;
        pos_ += n;
        return true;
      }
      case 2: {
        if (!ReadVarint(top.end, &v) || v > top.end - pos_) return false;
        const size_t start = pos_;
        pos_ += static_cast<size_t>(v);
        const int kind = layout_->Kind(top.layout_type, number);
        if (kind == WireLayout::kOther) return true;
        if (kind == WireLayout::kString) {
          return IsValidUtf8(absl::string_view(
              reinterpret_cast<const char*>(p_ + start),
              static_cast<size_t>(v)));
        }
        if (depth_ >= kMaxMessageDepth) return false;
        pos_ = start;
        Push(nullptr, kind, start + static_cast<size_t>(v), nullptr, -1);
        return true;
      }
      default:
        static_cast<void>(tag_at);
        return false;
    }
  }

  bool ReadVarint(size_t end, uint64_t* out) {
    if (pos_ < end && p_[pos_] < 0x80) {  // tags and lengths mostly
      *out = p_[pos_++];
      return true;
    }
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= end) return false;
      const uint8_t b = p_[pos_++];
      v |= uint64_t{b & 0x7Fu} << shift;
      if ((b & 0x80) == 0) {
        *out = v;
        return true;
      }
    }
    return false;
  }

  std::string Path(const FieldDescriptor* field, int index) const {
    return FieldPath(stack_, depth_, field, index);
  }

  // Returns false; in detailed mode, records INVALID_ARGUMENT with the
  // message `message()` builds (the quick walk builds nothing).
  template <typename MessageFn>
  bool Fail(MessageFn message) {
    if (detailed_) error_ = absl::InvalidArgumentError(message());
    return false;
  }

  // (Callers build Corrupt's second argument before the call: only on the
  // failure path.)
  bool Corrupt(size_t at, absl::string_view what_broke) {
    return Fail([&] {
      return absl::StrCat(what_, " (", size_,
                          " bytes) is truncated or corrupted at byte offset ",
                          at, ": ", what_broke,
                          " runs past its end or is malformed");
    });
  }

  std::string Named(absl::string_view thing, const FieldDescriptor* field,
                    int index) const {
    if (!detailed_ || field == nullptr) return std::string(thing);
    return absl::StrCat(thing, " of ", Path(field, index));
  }

  const uint8_t* p_;
  size_t size_;
  absl::string_view what_;
  const WireLayout* layout_;  // the quick walk's, else null
  bool detailed_;
  size_t pos_ = 0;
  // The root and the messages it nests, kMaxMessageDepth at most (left
  // uninitialised: Push writes a frame before it is read).
  Frame stack_[kMaxMessageDepth + 1];
  int depth_ = 0;
  // Detailed mode: occurrences so far per frame, by field index.
  std::vector<std::vector<int>> seen_;
  absl::Status error_;
};

}  // namespace

absl::Status CheckWireFormat(absl::string_view bytes, const Descriptor& type,
                             absl::string_view what) {
  WireWalker detailed(bytes, what, /*quick=*/nullptr);
  if (detailed.Walk(type)) return absl::OkStatus();
  return detailed.error();
}

bool WireFormatPasses(absl::string_view bytes, const WireLayout& layout) {
  return WireWalker(bytes, "", &layout).Walk(*layout.types[0].descriptor);
}

absl::Status WireError(absl::string_view bytes, const Descriptor& type,
                       absl::string_view what) {
  absl::Status s = CheckWireFormat(bytes, type, what);
  if (s.ok()) {  // cannot happen: both walks check the same
    return absl::InternalError(absl::StrCat(what, ": wire checks disagree"));
  }
  return s;
}

absl::Status ParseMessage(absl::string_view bytes, const WireLayout& layout,
                          Message* message, absl::string_view what) {
  if (bytes.size() > static_cast<size_t>(INT_MAX)) {
    return absl::ResourceExhaustedError(absl::StrCat(
        what, ": ", bytes.size(), " bytes, more than protobuf parses"));
  }
  const Descriptor& type = *message->GetDescriptor();
  if (!WireFormatPasses(bytes, layout)) {
    return WireError(bytes, type, absl::StrCat(what, ": ", type.full_name()));
  }
  // The wire is sound and every string UTF-8: protobuf has nothing to log.
  bool parsed = false;
  if (!layout.message_in_oneof) {
    parsed = message->ParseFromArray(bytes.data(),
                                     static_cast<int>(bytes.size()));
  } else {
    // protobuf 3.21's generated parser marks a oneof's message as set
    // before allocating it: a std::bad_alloc there leaves a message whose
    // destructor deletes an uninitialised pointer. Such types are parsed
    // into a fresh message of their own that is abandoned, never
    // destroyed, when an exception leaves the parser (a leak on an
    // allocation failure instead of a crash), and swapped in on success.
    Message* fresh = message->New();
    parsed = fresh->ParseFromArray(bytes.data(),
                                   static_cast<int>(bytes.size()));
    if (parsed) message->GetReflection()->Swap(message, fresh);
    delete fresh;
  }
  if (!parsed) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", bytes.size(),
                     " bytes that are not a serialized ", type.full_name()));
  }
  return absl::OkStatus();
}

absl::Status CheckUtf8Strings(const Message& message, absl::string_view what) {
  struct Item {
    const Message* message;
    std::string path;
  };
  std::vector<Item> stack{{&message, ""}};
  std::vector<const FieldDescriptor*> fields;
  while (!stack.empty()) {
    Item item = std::move(stack.back());
    stack.pop_back();
    const Reflection* r = item.message->GetReflection();
    fields.clear();
    r->ListFields(*item.message, &fields);
    for (const FieldDescriptor* f : fields) {
      const std::string base =
          item.path.empty() ? f->name() : absl::StrCat(item.path, ".", f->name());
      const bool string = f->type() == FieldDescriptor::TYPE_STRING;
      const bool message = f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
      if (!string && !message) continue;
      const int n = f->is_repeated() ? r->FieldSize(*item.message, f) : 1;
      for (int i = 0; i < n; ++i) {
        std::string path =
            f->is_repeated() ? absl::StrCat(base, "[", i, "]") : base;
        if (string) {
          std::string scratch;
          const std::string& s =
              f->is_repeated()
                  ? r->GetRepeatedStringReference(*item.message, f, i, &scratch)
                  : r->GetStringReference(*item.message, f, &scratch);
          size_t bad = 0;
          if (!IsValidUtf8(s, &bad)) {
            return absl::InvalidArgumentError(
                absl::StrCat(what, ": ", path, ": not valid UTF-8 (byte ", bad,
                             " of the value)"));
          }
        } else {
          const Message& m = f->is_repeated()
                                 ? r->GetRepeatedMessage(*item.message, f, i)
                                 : r->GetMessage(*item.message, f);
          stack.push_back(Item{&m, std::move(path)});
        }
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace jiceng
