// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng.bench;

import cn.jiceng.Engine;
import cn.jiceng.Jiceng;
import cn.jiceng.JicengException;
import java.util.Locale;

/**
 * Calls per second through the Java binding (direct-mapped JNA). Workloads:
 *
 * <ul>
 *   <li>{@code abi_version}: the bare cost of one direct-mapped call into libjiceng.so.1;
 *   <li>{@code info}: a fallible call returning a library-allocated message (copied, freed with
 *       jc_free, parsed into EngineInfo).
 * </ul>
 *
 * Each workload warms up, then runs for {@code -Djiceng.bench.seconds} (default 2) seconds.
 * Run with {@code cmake --build build --target java_bench}.
 */
public final class RouteBenchmark {
  private RouteBenchmark() {}

  /** One call of a workload; returns something to keep the JIT from removing it. */
  interface Call {
    long run() throws JicengException;
  }

  private static final double SECONDS =
      Double.parseDouble(System.getProperty("jiceng.bench.seconds", "2"));

  static double measure(String name, Call call) throws JicengException {
    long sink = 0;
    long warmupEnd = System.nanoTime() + (long) (0.5e9 * SECONDS);
    while (System.nanoTime() < warmupEnd) {
      for (int i = 0; i < 1000; i++) sink += call.run();
    }
    long calls = 0;
    long start = System.nanoTime();
    long end = start + (long) (1e9 * SECONDS);
    long now;
    do {
      for (int i = 0; i < 1000; i++) sink += call.run();
      calls += 1000;
      now = System.nanoTime();
    } while (now < end);
    double perSecond = calls / ((now - start) / 1e9);
    System.out.printf(
        Locale.ROOT,
        "%-28s %12.0f calls/s  %8.3f us/call  (sink %d)%n",
        name,
        perSecond,
        1e6 / perSecond,
        sink & 1);
    return perSecond;
  }

  public static void main(String[] args) throws Exception {
    System.out.println("jiceng " + Jiceng.version() + ", Java " + System.getProperty("java.version"));
    measure("abi_version (bare call)", Jiceng::abiVersion);
    try (Engine engine = Engine.sample()) {
      measure("info", () -> engine.info().getRegionCount());
    }
  }
}
