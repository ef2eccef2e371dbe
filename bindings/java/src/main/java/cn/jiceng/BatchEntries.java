// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import cn.jiceng.v1.BatchEntry;
import cn.jiceng.v1.RouteError;
import cn.jiceng.v1.RoutingDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The entries of a batch ({@link Engine#routeMany}) as decisions, with each failed case's error as
 * a typed {@link BatchEntryException} carrying its status code, index and case id. An entry holds
 * a decision or an error: one bad case never fails the batch, so these are the places to decide
 * what a failed case means to the caller.
 *
 * <p>Example:
 *
 * <pre>{@code
 * List<BatchEntry> entries = engine.routeMany(cases, 0);
 * for (BatchEntry entry : entries) {
 *   try {
 *     store(BatchEntries.decision(entry));
 *   } catch (BatchEntryException e) {
 *     log.warn(e.getMessage());  // case 3 (c-9): matter_code: unknown ...
 *   }
 * }
 * }</pre>
 */
public final class BatchEntries {
  private BatchEntries() {}

  /**
   * The entry's decision.
   *
   * @throws BatchEntryException the entry's error, when its case failed
   * @throws NullPointerException when {@code entry} is null
   */
  public static RoutingDecision decision(BatchEntry entry) throws BatchEntryException {
    Objects.requireNonNull(entry, "entry");
    if (entry.hasError()) throw error(entry);
    return entry.getDecision();
  }

  /**
   * The decisions of all entries, in order.
   *
   * @throws BatchEntryException the error of the first case that failed
   * @throws NullPointerException when {@code entries} or one of its elements is null
   */
  public static List<RoutingDecision> decisions(List<BatchEntry> entries)
      throws BatchEntryException {
    Objects.requireNonNull(entries, "entries");
    List<RoutingDecision> decisions = new ArrayList<>(entries.size());
    for (BatchEntry entry : entries) decisions.add(decision(entry));
    return decisions;
  }

  /**
   * The errors of the cases that failed, in order; empty when every case was routed.
   *
   * @throws NullPointerException when {@code entries} or one of its elements is null
   */
  public static List<BatchEntryException> errors(List<BatchEntry> entries) {
    Objects.requireNonNull(entries, "entries");
    List<BatchEntryException> errors = new ArrayList<>();
    for (BatchEntry entry : entries) {
      if (Objects.requireNonNull(entry, "entry").hasError()) errors.add(error(entry));
    }
    return errors;
  }

  private static BatchEntryException error(BatchEntry entry) {
    RouteError e = entry.getError();
    // A code the library always sets; UNKNOWN should an entry ever come without one.
    int code = e.getCode() != 0 ? e.getCode() : Status.UNKNOWN.code();
    return new BatchEntryException(code, e.getMessage(), entry.getIndex(), entry.getCaseId());
  }
}
