// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng.bench;

import cn.jiceng.Engine;
import cn.jiceng.Jiceng;
import cn.jiceng.JicengException;
import cn.jiceng.v1.Case;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.sun.management.OperatingSystemMXBean;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls per second through the Java binding (direct-mapped JNA) on the sample engine, over the
 * sample cases that route (round robin). Workloads:
 *
 * <ul>
 *   <li>{@code abi_version}: the bare cost of one direct-mapped call into libjiceng.so.1;
 *   <li>{@code routeInto}: the zero-copy hot path: a pre-serialized Case in a direct buffer, the
 *       decision written into a reused direct buffer (jc_engine_route_into);
 *   <li>{@code route(byte[])}: serialized Case in, decision bytes out (jc_engine_route: the
 *       library allocates, the binding copies and frees);
 *   <li>{@code route(Case)}: the full path, Case message to RoutingDecision message;
 *   <li>{@code routeInto x N threads}: the hot path on N threads sharing one engine (aggregate);
 *   <li>{@code routeBatch(byte[])}: throughput in cases (not calls): 64 rounds of the sample
 *       cases in one jc_engine_route_batch on the hardware's threads; per CPU-second of the whole
 *       process (the batch's native threads included).
 * </ul>
 *
 * Each workload warms up, then runs for {@code -Djiceng.bench.seconds} (default 2) seconds of
 * the calling thread's CPU time; the figures are calls per CPU-second (robust on a shared
 * machine) and per wall-clock second. With threads: the mean per CPU-second of a thread, and
 * the total per wall-clock second.
 * Usage: {@code RouteBenchmark CASES} where CASES is a length-delimited stream of jiceng.v1.Case
 * (the build writes the sample cases to build/tests/c_api_data/sample_cases.binpb); run it with
 * {@code cmake --build build --target java_bench}.
 */
public final class RouteBenchmark {
  private RouteBenchmark() {}

  /** One call of a workload; returns something to keep the JIT from removing it. */
  interface Call {
    long run(int i) throws JicengException;
  }

  private static final double SECONDS =
      Double.parseDouble(System.getProperty("jiceng.bench.seconds", "2"));

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Calls per wall-clock second and per CPU-second of the calling thread. */
  static final class Rate {
    final double wall;
    final double cpu;

    Rate(double wall, double cpu) {
      this.wall = wall;
      this.cpu = cpu;
    }
  }

  /**
   * Runs {@code call} for SECONDS of this thread's CPU time after a warm-up of half that. CPU
   * time (which includes the native code the thread runs) keeps the figure meaningful on a
   * loaded machine, where wall-clock rates only say how much CPU the thread was given.
   */
  static Rate run(Call call) throws JicengException {
    long sink = 0;
    int i = 0;
    long warmupEnd = THREADS.getCurrentThreadCpuTime() + (long) (0.5e9 * SECONDS);
    while (THREADS.getCurrentThreadCpuTime() < warmupEnd) {
      for (int k = 0; k < 256; k++) sink += call.run(i++);
    }
    long calls = 0;
    long wall0 = System.nanoTime();
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    long cpuEnd = cpu0 + (long) (1e9 * SECONDS);
    long cpu;
    do {
      for (int k = 0; k < 256; k++) sink += call.run(i++);
      calls += 256;
      cpu = THREADS.getCurrentThreadCpuTime();
    } while (cpu < cpuEnd);
    long wall = System.nanoTime() - wall0;
    if (sink == 42) System.out.print("");
    return new Rate(calls / (wall / 1e9), calls / ((cpu - cpu0) / 1e9));
  }

  static void report(String name, Rate r) {
    System.out.printf(
        Locale.ROOT,
        "%-32s %11.0f calls/CPU-s %8.3f us CPU/call %11.0f calls/s wall%n",
        name,
        r.cpu,
        1e6 / r.cpu,
        r.wall);
  }

  /** The cases of a length-delimited stream that route without error on {@code engine}. */
  static List<byte[]> routable(Engine engine, byte[] stream) throws Exception {
    List<byte[]> cases = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(stream);
    while (!in.isAtEnd()) {
      byte[] c = in.readByteArray();
      try {
        engine.route(c, 0);
        cases.add(c);
      } catch (JicengException e) {
        // one of the sample's deliberately malformed cases
      }
    }
    if (cases.isEmpty()) throw new IllegalArgumentException("no case routes");
    return cases;
  }

  /** The hot path on its own buffers: one per case, pre-filled. */
  static final class HotPath {
    final Engine engine;
    final ByteBuffer[] in;
    final ByteBuffer out = ByteBuffer.allocateDirect(1 << 16);

    HotPath(Engine engine, List<byte[]> cases) {
      this.engine = engine;
      in = new ByteBuffer[cases.size()];
      for (int k = 0; k < in.length; k++) {
        in[k] = ByteBuffer.allocateDirect(cases.get(k).length);
        in[k].put(cases.get(k)).flip();
      }
    }

    long call(int i) throws JicengException {
      return engine.routeInto(in[i % in.length], out, 0);
    }
  }

  /**
   * The hot path on n threads sharing {@code engine}: the total wall-clock rate, and the mean
   * rate per CPU-second of one thread.
   */
  static Rate threads(Engine engine, List<byte[]> cases, int n) throws Exception {
    AtomicLong wall = new AtomicLong();
    AtomicLong cpu = new AtomicLong();
    CountDownLatch done = new CountDownLatch(n);
    Exception[] failure = new Exception[1];
    for (int t = 0; t < n; t++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  HotPath hot = new HotPath(engine, cases);
                  Rate r = run(hot::call);
                  wall.addAndGet(Math.round(r.wall));
                  cpu.addAndGet(Math.round(r.cpu));
                } catch (JicengException e) {
                  failure[0] = e;
                } finally {
                  done.countDown();
                }
              });
      thread.start();
    }
    done.await();
    if (failure[0] != null) throw failure[0];
    return new Rate(wall.get(), cpu.get() / (double) n);
  }

  /**
   * Cases per wall-clock second and per CPU-second of the process (which counts the native
   * threads of a batch) of {@code engine.routeBatch}, the best of 5 runs after a warm-up.
   */
  static Rate batch(Engine engine, List<byte[]> cases) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    int rounds = 64;
    for (int r = 0; r < rounds; r++) {
      for (byte[] c : cases) out.writeByteArrayNoTag(c);
    }
    out.flush();
    byte[] stream = bytes.toByteArray();
    int n = rounds * cases.size();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Rate best = new Rate(0, 0);
    // Each run repeats the batch for at least SECONDS / 2 of wall-clock time: the process CPU
    // clock ticks coarsely (10 ms on Linux).
    for (int run = 0; run < 5; run++) {
      long wall0 = System.nanoTime();
      long cpu0 = os.getProcessCpuTime();
      long routed = 0;
      long wall;
      do {
        if (engine.routeBatch(stream, 0).length == 0) throw new IllegalStateException("empty");
        routed += n;
        wall = System.nanoTime() - wall0;
      } while (wall < 0.5e9 * SECONDS);
      long cpu = os.getProcessCpuTime() - cpu0;
      if (run >= 1 && routed / (wall / 1e9) > best.wall) {
        best = new Rate(routed / (wall / 1e9), routed / (cpu / 1e9));
      }
    }
    return best;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: RouteBenchmark CASES (a length-delimited jiceng.v1.Case stream)");
      System.exit(2);
    }
    System.out.printf(
        Locale.ROOT,
        "jiceng %s, Java %s, %d cores%n",
        Jiceng.version(),
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    report("abi_version (bare call)", run(i -> Jiceng.abiVersion()));
    try (Engine engine = Engine.sample()) {
      List<byte[]> cases = routable(engine, Files.readAllBytes(Path.of(args[0])));
      List<Case> messages = new ArrayList<>();
      for (byte[] c : cases) messages.add(Case.parseFrom(c));
      System.out.println(cases.size() + " routable sample cases, round robin");

      HotPath hot = new HotPath(engine, cases);
      report("routeInto (zero-copy)", run(hot::call));
      report("route(byte[])", run(i -> engine.route(cases.get(i % cases.size()), 0).length));
      report(
          "route(Case) -> RoutingDecision",
          run(i -> engine.route(messages.get(i % messages.size())).getDeadlinesCount()));
      int cores = Runtime.getRuntime().availableProcessors();
      for (int n : new int[] {2, 8}) {
        report("routeInto x " + n + " threads", threads(engine, cases, n));
      }
      if (cores < 8) System.out.println("(" + cores + " cores: threads beyond that share them)");
      Rate b = batch(engine, cases);
      System.out.printf(
          Locale.ROOT,
          "%-32s %11.0f cases/CPU-s (process) %11.0f cases/s wall%n",
          "routeBatch(byte[])",
          b.cpu,
          b.wall);
    }
  }
}
