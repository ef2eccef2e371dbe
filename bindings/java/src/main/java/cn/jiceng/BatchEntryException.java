// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import java.util.Objects;

/**
 * One case of a batch failed ({@code routeMany}, {@code routeBatch}): the {@link JicengException}
 * of its entry's error, with the case's place in the batch and its id. Thrown by {@link
 * BatchEntries#decision} and {@link BatchEntries#decisions}.
 *
 * <p>The message names the case once, first: {@code case 3 (c-9): matter_code: unknown ...}, or
 * {@code case 3: ...} for a case without an id (bytes that are not a case, whose own message from
 * the library already begins so).
 *
 * <p>Example:
 *
 * <pre>{@code
 * try {
 *   decisions = BatchEntries.decisions(engine.routeMany(cases, 0));
 * } catch (BatchEntryException e) {
 *   reject(cases.get((int) e.index()), e.codeName(), e.getMessage());
 * }
 * }</pre>
 */
public class BatchEntryException extends JicengException {
  private static final long serialVersionUID = 1L;

  private final long index;
  private final String caseId;

  /**
   * The failure of case {@code index} (id {@code caseId}, empty when it has none) with the
   * library's {@code code} and {@code message}.
   *
   * <p>REQUIRES: {@code code} is not {@code JC_OK} (0).
   *
   * @throws NullPointerException when {@code message} or {@code caseId} is null
   */
  public BatchEntryException(int code, String message, long index, String caseId) {
    super(
        code,
        where(index, Objects.requireNonNull(caseId, "caseId"))
            + withoutCase(Objects.requireNonNull(message, "message"), index));
    this.index = index;
    this.caseId = caseId;
  }

  /** The case's index in the batch ({@code BatchEntry.index}, counted from its first index). */
  public long index() {
    return index;
  }

  /** The case's id; empty when the case had none, or could not be read. */
  public String caseId() {
    return caseId;
  }

  private static String where(long index, String caseId) {
    if (caseId.isEmpty()) return "case " + index + ": ";
    return "case " + index + " (" + caseId + "): ";
  }

  /** The library names the case itself in some messages ("case 3: jiceng.v1.Case ..."). */
  private static String withoutCase(String message, long index) {
    String prefix = "case " + index + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }
}
