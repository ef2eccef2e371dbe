// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

/**
 * A call into the library failed: carries the C ABI's status code and the library's message,
 * which names what was wrong and where (an element code, a field, a value).
 *
 * <p>Example:
 *
 * <pre>{@code
 * try {
 *   decision = engine.route(c);
 * } catch (JicengException e) {
 *   if (e.status() == Status.INVALID_ARGUMENT) reject(c, e.getMessage());
 *   else throw e;
 * }
 * }</pre>
 */
public class JicengException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int code;

  /** REQUIRES: {@code code} is not {@code JC_OK} (0). */
  public JicengException(int code, String message) {
    super(message);
    if (code == 0) throw new IllegalArgumentException("a JicengException needs a failure code");
    this.code = code;
  }

  /** The {@code JC_*} status code as the library returned it. */
  public int code() {
    return code;
  }

  /** The code as an enum; {@link Status#UNRECOGNIZED} for codes newer than this binding. */
  public Status status() {
    return Status.forCode(code);
  }

  /**
   * The code's name as {@code jc_status_name} spells it, e.g. {@code "INVALID_ARGUMENT"}; {@code
   * "UNKNOWN_STATUS"} for codes newer than this binding.
   */
  public String codeName() {
    Status s = status();
    return s == Status.UNRECOGNIZED ? "UNKNOWN_STATUS" : s.name();
  }

  @Override
  public String toString() {
    return "JicengException(" + codeName() + "): " + getMessage();
  }
}
