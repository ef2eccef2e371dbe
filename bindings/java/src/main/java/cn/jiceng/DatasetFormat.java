// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

/** Encodings of a {@code jiceng.v1.Dataset} ({@code JC_FORMAT_*} in {@code jiceng.h}). */
public enum DatasetFormat {
  /** '{' first: JSON; UTF-8 text: text format; else binary. From a file: its extension first. */
  AUTO(0),
  /** Protobuf wire format. */
  BINARY(1),
  /** The proto3 JSON mapping. */
  JSON(2),
  /** Protobuf text format. */
  TEXT(3);

  private final int value;

  DatasetFormat(int value) {
    this.value = value;
  }

  /** The {@code JC_FORMAT_*} value. */
  public int value() {
    return value;
  }
}
