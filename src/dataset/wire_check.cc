// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/dataset/wire_check.h"

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
  std::vector<int> seen;       // occurrences so far, by field index
};

std::string FieldPath(const std::vector<Frame>& stack,
                      const FieldDescriptor* last, int last_index) {
  std::string path;
  auto append = [&path](const FieldDescriptor* f, int index) {
    if (!path.empty()) path += '.';
    path += f->name();
    if (index >= 0) absl::StrAppend(&path, "[", index, "]");
  };
  for (const Frame& f : stack) {
    if (f.via != nullptr) append(f.via, f.index);
  }
  if (last != nullptr) append(last, last_index);
  return path.empty() ? "the message" : path;
}

class WireWalker {
 public:
  WireWalker(absl::string_view bytes, absl::string_view what)
      : p_(reinterpret_cast<const uint8_t*>(bytes.data())),
        size_(bytes.size()),
        what_(what) {}

  absl::Status Walk(const Descriptor& root) {
    stack_.push_back(Frame{&root, size_, nullptr, -1,
                           std::vector<int>(root.field_count(), 0)});
    while (!stack_.empty()) {
      Frame& top = stack_.back();
      if (pos_ == top.end) {
        stack_.pop_back();
        continue;
      }
      const size_t tag_at = pos_;
      uint64_t tag;
      if (!ReadVarint(top.end, &tag)) return Corrupt(tag_at, "a tag");
      const uint64_t number = tag >> 3;
      const int wire_type = static_cast<int>(tag & 7);
      if (number == 0 || number > FieldDescriptor::kMaxNumber) {
        return Corrupt(tag_at, absl::StrCat("a tag with field number ", number));
      }
      const FieldDescriptor* field =
          top.type->FindFieldByNumber(static_cast<int>(number));
      int index = -1;
      if (field != nullptr && field->is_repeated()) {
        index = top.seen[field->index()]++;
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
              return absl::InvalidArgumentError(absl::StrCat(
                  what_, " (", size_, " bytes): ",
                  FieldPath(stack_, field, index),
                  ": not valid UTF-8 (byte offset ", start + bad, ")"));
            }
          } else if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
            if (static_cast<int>(stack_.size()) >= kMaxMessageDepth) {
              return absl::InvalidArgumentError(absl::StrCat(
                  what_, " (", size_, " bytes): ",
                  FieldPath(stack_, field, index), ": nested deeper than ",
                  kMaxMessageDepth, " messages"));
            }
            const Descriptor* type = field->message_type();
            pos_ = start;
            stack_.push_back(Frame{type, start + static_cast<size_t>(len),
                                   field, index,
                                   std::vector<int>(type->field_count(), 0)});
          }
          break;
        }
        default:
          return Corrupt(tag_at, absl::StrCat("wire type ", wire_type,
                                              " (groups are not used)"));
      }
    }
    return absl::OkStatus();
  }

 private:
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

  std::string Named(absl::string_view thing, const FieldDescriptor* field,
                    int index) const {
    if (field == nullptr) return std::string(thing);
    return absl::StrCat(thing, " of ", FieldPath(stack_, field, index));
  }

  absl::Status Corrupt(size_t at, absl::string_view what_broke) const {
    return absl::InvalidArgumentError(absl::StrCat(
        what_, " (", size_, " bytes) is truncated or corrupted at byte offset ",
        at, ": ", what_broke, " runs past its end or is malformed"));
  }

  const uint8_t* p_;
  size_t size_;
  absl::string_view what_;
  size_t pos_ = 0;
  std::vector<Frame> stack_;
};

}  // namespace

absl::Status CheckWireFormat(absl::string_view bytes, const Descriptor& type,
                             absl::string_view what) {
  return WireWalker(bytes, what).Walk(type);
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
