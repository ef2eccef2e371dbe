// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.jiceng.v1.BatchEntry;
import cn.jiceng.v1.Case;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One engine hammered from 8 threads gives exactly the single-threaded results. */
class ThreadsTest {
  private static final int THREADS = 8;
  private static final int ROUNDS = 30;

  private static List<Case> cases;
  private static List<byte[]> caseBytes;

  @BeforeAll
  static void load() throws Exception {
    cases = Samples.cases();
    caseBytes = Samples.caseBytes();
  }

  /** Single-threaded results: the decision's bytes, or the error code as a 1-byte array. */
  private static List<byte[]> singleThreaded(Engine engine, int flags) {
    List<byte[]> out = new ArrayList<>();
    for (byte[] c : caseBytes) out.add(routeOrCode(engine, c, flags));
    return out;
  }

  private static byte[] routeOrCode(Engine engine, byte[] c, int flags) {
    try {
      return engine.route(c, flags);
    } catch (JicengException e) {
      return new byte[] {(byte) e.code()};
    }
  }

  /** Runs {@code task} on THREADS threads released together; rethrows the first failure. */
  private static <T> List<T> onThreads(Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return task.call();
                }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) results.add(f.get(120, TimeUnit.SECONDS));
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void eightThreadsOnOneEngineGetTheSingleThreadedBytes() throws Exception {
    try (Engine engine = Engine.sample()) {
      List<byte[]> plain = singleThreaded(engine, 0);
      List<byte[]> explained = singleThreaded(engine, Engine.EXPLAIN_TEXT);
      List<Integer> routed =
          onThreads(
              () -> {
                ByteBuffer in = ByteBuffer.allocateDirect(1 << 16);
                ByteBuffer out = ByteBuffer.allocateDirect(1 << 16);
                int n = 0;
                for (int round = 0; round < ROUNDS; round++) {
                  for (int i = 0; i < cases.size(); i++) {
                    byte[] want = plain.get(i);
                    String what = "round " + round + ", case " + i;
                    if (want.length == 1) {  // an error code
                      assertArrayEquals(want, routeOrCode(engine, caseBytes.get(i), 0), what);
                      continue;
                    }
                    // Rotate through the route paths.
                    switch ((round + i) % 4) {
                      case 0:
                        assertArrayEquals(want, engine.route(caseBytes.get(i), 0), what);
                        break;
                      case 1:
                        assertArrayEquals(want, engine.route(cases.get(i)).toByteArray(), what);
                        break;
                      case 2:
                        in.clear();
                        in.put(caseBytes.get(i)).flip();
                        out.clear();
                        int size = engine.routeInto(in, out, 0);
                        byte[] got = new byte[size];
                        out.get(got);
                        assertArrayEquals(want, got, what);
                        break;
                      default:
                        assertArrayEquals(
                            explained.get(i),
                            engine.route(caseBytes.get(i), Engine.EXPLAIN_TEXT),
                            what);
                        break;
                    }
                    n++;
                  }
                }
                return n;
              });
      for (int n : routed) assertTrue(n > 0);
    }
  }

  @Test
  void batchesFromEightThreadsAgree() throws Exception {
    try (Engine engine = Engine.sample()) {
      List<BatchEntry> want = engine.routeMany(cases, 1);
      List<List<BatchEntry>> got = onThreads(() -> engine.routeMany(cases, 2));
      for (List<BatchEntry> g : got) assertEquals(want, g);
    }
  }

  @Test
  void closingWhileEightThreadsRouteIsSafe() throws Exception {
    Engine engine = Engine.sample();
    List<byte[]> want = singleThreaded(engine, 0);
    AtomicBoolean closed = new AtomicBoolean();
    ExecutorService closer = Executors.newSingleThreadExecutor();
    try {
      closer.submit(
          () -> {
            Thread.sleep(200);
            engine.close();
            closed.set(true);
            return null;
          });
      List<Integer> refused =
          onThreads(
              () -> {
                int ok = 0;
                for (int i = 0; ; i = (i + 1) % cases.size()) {
                  boolean closedBefore = closed.get();
                  try {
                    byte[] got = routeOrCode(engine, caseBytes.get(i), 0);
                    assertArrayEquals(want.get(i), got, "case " + i);
                    ok++;
                  } catch (IllegalStateException e) {
                    return ok;
                  }
                  // Once close() has returned, every later call is refused.
                  if (closedBefore) throw new AssertionError("routed after close()");
                }
              });
      assertEquals(THREADS, refused.size());
      assertTrue(engine.isClosed());
    } finally {
      closer.shutdownNow();
    }
  }
}
