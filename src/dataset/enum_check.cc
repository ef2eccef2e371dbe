// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/dataset/enum_check.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "src/base/hash_tables.h"

namespace jiceng {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The fields of a message type that can hold an enum value: its enum
// fields and the message fields whose types can, in field-number order.
struct Plan {
  std::vector<const FieldDescriptor*> enums;
  std::vector<const FieldDescriptor*> messages;
};

class Plans {
 public:
  // The plan of `type`, built (with those of every type it reaches) on
  // first use. Plans are never freed: there is one per message type.
  const Plan& Of(const Descriptor* type) {
    {
      absl::ReaderMutexLock lock(&mu_);
      auto it = plans_.find(type);
      if (it != plans_.end()) return *it->second;
    }
    absl::MutexLock lock(&mu_);
    Build(type);
    return *plans_.at(type);
  }

 private:
  // Every type reachable from `root` (an explicit worklist: message types
  // may refer to themselves), then which of them can hold an enum, by
  // iterating to a fixed point.
  void Build(const Descriptor* root) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (plans_.contains(root)) return;
    std::vector<const Descriptor*> types = {root};
    absl::flat_hash_map<const Descriptor*, bool> holds;
    SafeEmplace(&holds, root, false);
    for (size_t k = 0; k < types.size(); ++k) {
      const Descriptor* t = types[k];
      for (int i = 0; i < t->field_count(); ++i) {
        const FieldDescriptor* f = t->field(i);
        if (f->type() == FieldDescriptor::TYPE_ENUM) holds[t] = true;
        if (f->type() == FieldDescriptor::TYPE_MESSAGE &&
            !plans_.contains(f->message_type()) &&
            SafeEmplace(&holds, f->message_type(), false).second) {
          types.push_back(f->message_type());
        }
      }
    }
    auto can_hold = [&](const Descriptor* t) {
      auto planned = plans_.find(t);
      if (planned != plans_.end()) {
        return !planned->second->enums.empty() ||
               !planned->second->messages.empty();
      }
      return holds.at(t);
    };
    for (bool changed = true; changed;) {
      changed = false;
      for (const Descriptor* t : types) {
        if (holds[t]) continue;
        for (int i = 0; i < t->field_count() && !holds[t]; ++i) {
          const FieldDescriptor* f = t->field(i);
          if (f->type() == FieldDescriptor::TYPE_MESSAGE &&
              can_hold(f->message_type())) {
            holds[t] = changed = true;
          }
        }
      }
    }
    for (const Descriptor* t : types) {
      auto plan = std::make_unique<Plan>();
      std::vector<const FieldDescriptor*> fields;
      for (int i = 0; i < t->field_count(); ++i) fields.push_back(t->field(i));
      std::sort(fields.begin(), fields.end(),
                [](const FieldDescriptor* a, const FieldDescriptor* b) {
                  return a->number() < b->number();
                });
      for (const FieldDescriptor* f : fields) {
        if (f->type() == FieldDescriptor::TYPE_ENUM) {
          plan->enums.push_back(f);
        } else if (f->type() == FieldDescriptor::TYPE_MESSAGE &&
                   can_hold(f->message_type())) {
          plan->messages.push_back(f);
        }
      }
      SafeEmplace(&plans_, t, std::move(plan));
    }
  }

  absl::Mutex mu_;
  absl::flat_hash_map<const Descriptor*, std::unique_ptr<const Plan>> plans_
      ABSL_GUARDED_BY(mu_);
};

Plans& ThePlans() {
  static Plans* const plans = new Plans();
  return *plans;
}

std::string Indexed(const std::string& prefix, const FieldDescriptor* f,
                    int index) {
  return index < 0 ? absl::StrCat(prefix, f->name())
                   : absl::StrCat(prefix, f->name(), "[", index, "]");
}

}  // namespace

std::string DescribeUndefinedEnum(const UndefinedEnum& found) {
  const EnumDescriptor* t = found.type;
  std::vector<int> values;
  for (int i = 0; i < t->value_count(); ++i) {
    values.push_back(t->value(i)->number());
  }
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  std::string defined;
  if (values.empty()) {
    defined = "none";
  } else if (values.back() - values.front() + 1 ==
             static_cast<int>(values.size())) {
    defined = absl::StrCat(values.front(), " to ", values.back());
  } else {
    defined = absl::StrJoin(values, ", ");
  }
  return absl::StrCat(found.value, " is not a value of ", t->full_name(), " (",
                      defined, ")");
}

int FindUndefinedEnums(const Message& message,
                       absl::FunctionRef<bool(const UndefinedEnum&)> found) {
  // A depth-first walk with an explicit stack of frames, one per message
  // on the path from `message`: memory grows with the depth, not with the
  // number of messages, and a finding's path is read off the frames.
  struct Frame {
    const Message* message;
    const Plan* plan;
    const FieldDescriptor* via;  // the field it was reached by (or null)
    int via_index;               // its index there, -1 if not repeated
    size_t next_field = 0;       // in plan->messages
    int next_index = 0;
  };
  std::vector<Frame> stack;
  int count = 0;
  bool go_on = true;
  auto enter = [&](const Message* m, const FieldDescriptor* via,
                   int via_index) {
    stack.push_back({m, &ThePlans().Of(m->GetDescriptor()), via, via_index});
    const Reflection& r = *m->GetReflection();
    for (const FieldDescriptor* f : stack.back().plan->enums) {
      const int n = f->is_repeated() ? r.FieldSize(*m, f) : 1;
      for (int i = 0; i < n && go_on; ++i) {
        const int value = f->is_repeated() ? r.GetRepeatedEnumValue(*m, f, i)
                                           : r.GetEnumValue(*m, f);
        if (f->enum_type()->FindValueByNumber(value) != nullptr) continue;
        ++count;
        std::string path;
        for (size_t k = 1; k < stack.size(); ++k) {
          absl::StrAppend(&path, Indexed("", stack[k].via, stack[k].via_index),
                          ".");
        }
        go_on = found({Indexed(path, f, f->is_repeated() ? i : -1), value, f,
                       f->enum_type()});
      }
    }
  };
  enter(&message, nullptr, -1);
  while (!stack.empty() && go_on) {
    Frame& top = stack.back();
    if (top.next_field == top.plan->messages.size()) {
      stack.pop_back();
      continue;
    }
    const FieldDescriptor* f = top.plan->messages[top.next_field];
    const Message& m = *top.message;
    const Reflection& r = *m.GetReflection();
    if (f->is_repeated()) {
      if (top.next_index < r.FieldSize(m, f)) {
        const int i = top.next_index++;
        enter(&r.GetRepeatedMessage(m, f, i), f, i);  // `top` dangles now
        continue;
      }
    } else if (top.next_index == 0 && r.HasField(m, f)) {
      top.next_index = 1;
      enter(&r.GetMessage(m, f), f, -1);
      continue;
    }
    top.next_field++;
    top.next_index = 0;
  }
  return count;
}

absl::Status CheckEnumsDefined(const Message& message, absl::string_view what) {
  absl::Status status;
  FindUndefinedEnums(message, [&](const UndefinedEnum& found) {
    status = absl::InvalidArgumentError(
        absl::StrCat(what, what.empty() ? "" : ".", found.path, ": ",
                     DescribeUndefinedEnum(found)));
    return false;
  });
  return status;
}

}  // namespace jiceng
