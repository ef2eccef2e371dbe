// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

/**
 * The status codes of the C ABI ({@code JC_*} in {@code jiceng.h}), whose values are pinned: 0-16
 * mirror {@code absl::StatusCode}, the library's own start at 100. The library may add codes: a
 * code this binding does not know maps to {@link #UNRECOGNIZED}, so keep a default branch when
 * switching on a status.
 */
public enum Status {
  OK(0),
  CANCELLED(1),
  UNKNOWN(2),
  INVALID_ARGUMENT(3),
  DEADLINE_EXCEEDED(4),
  NOT_FOUND(5),
  ALREADY_EXISTS(6),
  PERMISSION_DENIED(7),
  RESOURCE_EXHAUSTED(8),
  FAILED_PRECONDITION(9),
  ABORTED(10),
  OUT_OF_RANGE(11),
  UNIMPLEMENTED(12),
  INTERNAL(13),
  UNAVAILABLE(14),
  DATA_LOSS(15),
  UNAUTHENTICATED(16),
  /**
   * A caller's buffer is too small for the result ({@code JC_BUFFER_TOO_SMALL}); the binding grows
   * its buffers and calls again, and {@link Engine#routeInto} returns the size needed instead.
   */
  BUFFER_TOO_SMALL(100),
  /** A code added to the library after this binding was written; its value is -1 here. */
  UNRECOGNIZED(-1);

  private static final Status[] BY_CODE = new Status[101];

  static {
    for (Status s : values()) {
      if (s.code >= 0) BY_CODE[s.code] = s;
    }
  }

  private final int code;

  Status(int code) {
    this.code = code;
  }

  /** The {@code JC_*} value; -1 for {@link #UNRECOGNIZED}. */
  public int code() {
    return code;
  }

  /** The status with that {@code JC_*} value, or {@link #UNRECOGNIZED}. */
  public static Status forCode(int code) {
    Status s = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    return s != null ? s : UNRECOGNIZED;
  }
}
