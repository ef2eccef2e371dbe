// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Enum values that their enum does not define. proto3 enums are open: a
// number the schema does not know survives parsing (from the wire, and as
// a bare number in JSON or text format), and code that switches over the
// enum, names its value or indexes a table by it would then act on
// nothing the rules describe. These checks find such values once, at the
// boundary, so that the algorithms after it never meet one.
//
// The walk is iterative (an explicit stack, never recursing over the
// input), visits only the fields that can hold an enum (a per-type plan
// built once), and goes in field-number and index order: the same message
// gives the same findings in the same order.
//
// Example:
//   JC_RETURN_IF_ERROR(CheckEnumsDefined(request, "request"));
//   // every enum in `request` now has a defined value

#ifndef JICENG_SRC_DATASET_ENUM_CHECK_H_
#define JICENG_SRC_DATASET_ENUM_CHECK_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace jiceng {

// One enum value that its enum does not define.
struct UndefinedEnum {
  // From the message walked: "tier", "predicates[2].op", "lead.kind".
  std::string path;
  int value;
  const google::protobuf::FieldDescriptor* field;
  const google::protobuf::EnumDescriptor* type;  // field->enum_type()
};

// "9 is not a value of jiceng.v1.HandlingTier (0 to 4)".
std::string DescribeUndefinedEnum(const UndefinedEnum& found);

// Calls `found` for each undefined enum value in `message` and the
// messages it holds, in field-number and index order, until it returns
// false. Returns how many were found (counting the one that stopped it).
int FindUndefinedEnums(const google::protobuf::Message& message,
                       absl::FunctionRef<bool(const UndefinedEnum&)> found);

// INVALID_ARGUMENT "<what>.<path>: <value> is not a value of <Enum> ..."
// naming the first undefined value, or OK when there is none.
absl::Status CheckEnumsDefined(const google::protobuf::Message& message,
                               absl::string_view what);

}  // namespace jiceng

#endif  // JICENG_SRC_DATASET_ENUM_CHECK_H_
