// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng.example;

import cn.jiceng.Engine;
import cn.jiceng.JicengException;
import cn.jiceng.Status;
import cn.jiceng.v1.BatchEntry;
import cn.jiceng.v1.Case;
import cn.jiceng.v1.RoutingDecision;
import java.nio.file.Path;
import java.util.List;

/**
 * The shape an integrator copies into a service (the README shows it as a Spring {@code @Service}):
 * one {@link Engine} for the whole process, loaded at start-up, shared by every request thread
 * without locking, closed at shutdown. A case the dataset rejects becomes a {@link
 * CaseRejectedException} (unchecked, for the web layer to answer 422 with the library's message);
 * anything else is a server error.
 *
 * <p>In Spring: annotate the class {@code @Service}, the constructor's parameter {@code
 * @Value("${jiceng.dataset}")}, and {@link #close} {@code @PreDestroy}.
 */
public final class RoutingService implements AutoCloseable {
  /** A case the dataset cannot route: the status and the message naming field and value. */
  public static final class CaseRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Status status;

    CaseRejectedException(String caseId, JicengException cause) {
      super("case " + caseId + ": " + cause.getMessage(), cause);
      this.status = cause.status();
    }

    public Status status() {
      return status;
    }
  }

  private final Engine engine;

  /** Loads {@code dataset} (binary, JSON or text format). */
  public RoutingService(Path dataset) throws JicengException {
    this(Engine.load(dataset));
  }

  private RoutingService(Engine engine) {
    this.engine = engine;
  }

  /** A service over the embedded sample dataset, for demos and tests. */
  public static RoutingService sample() throws JicengException {
    return new RoutingService(Engine.sample());
  }

  /** The version of the dataset that decides. */
  public String datasetVersion() throws JicengException {
    return engine.info().getMeta().getVersion();
  }

  /** Decides one case; thread-safe. */
  public RoutingDecision route(Case c) {
    try {
      return engine.route(c);
    } catch (JicengException e) {
      if (e.status() == Status.INVALID_ARGUMENT || e.status() == Status.OUT_OF_RANGE) {
        throw new CaseRejectedException(c.getId(), e);
      }
      throw new IllegalStateException("jiceng: " + e.codeName() + ": " + e.getMessage(), e);
    }
  }

  /** Decides a batch on all cores; each entry holds its decision or its own error. */
  public List<BatchEntry> routeAll(List<Case> cases) {
    try {
      return engine.routeMany(cases, 0);
    } catch (JicengException e) {
      throw new IllegalStateException("jiceng: " + e.codeName() + ": " + e.getMessage(), e);
    }
  }

  /** Releases the engine; in Spring, {@code @PreDestroy}. */
  @Override
  public void close() {
    engine.close();
  }
}
