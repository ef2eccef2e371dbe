// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/dataset/wire_check.h"

#include <climits>
#include <cstdint>
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

// Walks the wire bytes iteratively. Two modes: the quick one answers only
// whether the bytes pass and allocates nothing (the stack is an array);
// the detailed one also counts repeated elements and builds the error
// (error()) naming the offset and the field's path. Callers run the quick
// walk and, on failure, the detailed one.
class WireWalker {
 public:
  WireWalker(absl::string_view bytes, absl::string_view what, bool detailed)
      : p_(reinterpret_cast<const uint8_t*>(bytes.data())),
        size_(bytes.size()),
        what_(what),
        detailed_(detailed) {}

  bool Walk(const Descriptor& root) {
    Push(&root, size_, nullptr, -1);
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
            Push(field->message_type(), start + static_cast<size_t>(len),
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
  void Push(const Descriptor* type, size_t end, const FieldDescriptor* via,
            int index) {
    stack_[depth_++] = Frame{type, end, via, index};
    if (detailed_) {
      if (seen_.size() < static_cast<size_t>(depth_)) seen_.resize(depth_);
      seen_[static_cast<size_t>(depth_ - 1)].assign(
          static_cast<size_t>(type->field_count()), 0);
    }
  }

  bool ReadVarint(size_t end, uint64_t* out) {
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
  if (WireFormatPasses(bytes, type)) return absl::OkStatus();
  WireWalker detailed(bytes, what, /*detailed=*/true);
  if (detailed.Walk(type)) {  // cannot happen: both walk the same bytes
    return absl::InternalError(absl::StrCat(what, ": wire check disagrees"));
  }
  return detailed.error();
}

bool WireFormatPasses(absl::string_view bytes, const Descriptor& type) {
  return WireWalker(bytes, "", /*detailed=*/false).Walk(type);
}

absl::Status ParseMessage(absl::string_view bytes, Message* message,
                          absl::string_view what) {
  if (bytes.size() > static_cast<size_t>(INT_MAX)) {
    return absl::ResourceExhaustedError(absl::StrCat(
        what, ": ", bytes.size(), " bytes, more than protobuf parses"));
  }
  const Descriptor& type = *message->GetDescriptor();
  if (!WireFormatPasses(bytes, type)) {
    return CheckWireFormat(bytes, type,
                           absl::StrCat(what, ": ", type.full_name()));
  }
  // The wire is sound and every string UTF-8: protobuf has nothing to log.
  if (!message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
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
