// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.jiceng.v1.BatchEntry;
import cn.jiceng.v1.BatchOptions;
import cn.jiceng.v1.Case;
import cn.jiceng.v1.Handler;
import cn.jiceng.v1.RoleKind;
import cn.jiceng.v1.RouteOptions;
import cn.jiceng.v1.RoutingDecision;
import cn.jiceng.v1.RoutingOutcome;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every sample case routed through the Java binding gives byte for byte the decision the C++ API
 * gives (Router::Decide, serialized by C++), or the same error; on every route path.
 */
class SampleRoutesTest {
  private static Engine engine;
  private static List<Case> cases;
  private static List<byte[]> caseBytes;
  private static List<Samples.Expected> expected;
  private static List<Samples.Expected> explained;

  @BeforeAll
  static void load() throws Exception {
    engine = Engine.sample();
    cases = Samples.cases();
    caseBytes = Samples.caseBytes();
    expected = Samples.expected(false);
    explained = Samples.expected(true);
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  @Test
  void theSampleCoversEveryOutcomeAndSomeErrors() {
    assertEquals(cases.size(), expected.size());
    assertEquals(cases.size(), explained.size());
    Set<RoutingOutcome> outcomes = EnumSet.noneOf(RoutingOutcome.class);
    int errors = 0;
    for (Samples.Expected e : expected) {
      if (e.entry.hasError()) {
        errors++;
      } else {
        outcomes.add(e.entry.getDecision().getOutcome());
      }
    }
    assertEquals(
        EnumSet.of(
            RoutingOutcome.ROUTING_OUTCOME_ROUTED,
            RoutingOutcome.ROUTING_OUTCOME_AMBIGUOUS,
            RoutingOutcome.ROUTING_OUTCOME_UNMAPPED),
        outcomes);
    assertTrue(errors >= 2, "errors: " + errors);
  }

  /**
   * Handlers carry their roles typed: a switch on the kind, the department type where the role
   * names one, never a label to parse.
   */
  @Test
  void handlersCarryTypedRoles() throws JicengException {
    Set<RoleKind> kinds = EnumSet.noneOf(RoleKind.class);
    int departments = 0;
    for (Case c : cases) {
      RoutingDecision d;
      try {
        d = engine.route(c);
      } catch (JicengException e) {
        continue; // the sample's malformed cases
      }
      if (!d.hasLead()) {
        continue;
      }
      Handler lead = d.getLead();
      assertTrue(lead.hasRole(), d.getCaseId());
      kinds.add(lead.getRole().getKind());
      switch (lead.getRole().getKind()) {
        case ROLE_KIND_COUNTY_DEPARTMENT:
        case ROLE_KIND_DISPATCHED_UNIT:
          assertTrue(!lead.getRole().getDepartmentType().isEmpty(), d.getCaseId());
          departments++;
          break;
        case ROLE_KIND_NAMED_UNIT:
          assertEquals(lead.getCode(), lead.getRole().getUnitCode(), d.getCaseId());
          break;
        default:
          assertEquals("", lead.getRole().getDepartmentType(), d.getCaseId());
          break;
      }
    }
    assertTrue(kinds.contains(RoleKind.ROLE_KIND_TOWNSHIP_COMMAND_ROOM), kinds.toString());
    assertTrue(kinds.size() >= 4, kinds.toString());
    assertTrue(departments > 0);
  }

  /** Checks one route path against the C++ decisions (with or without explanation text). */
  private interface RoutePath {
    byte[] route(int index, int flags) throws JicengException;
  }

  private static void assertMatchesCpp(RoutePath path) throws JicengException {
    for (int flags : new int[] {0, Engine.EXPLAIN_TEXT}) {
      List<Samples.Expected> want = flags == 0 ? expected : explained;
      for (int i = 0; i < cases.size(); i++) {
        Samples.Expected e = want.get(i);
        String what = "case " + i + " (" + cases.get(i).getId() + "), flags " + flags;
        if (e.entry.hasError()) {
          final int index = i;
          final int f = flags;
          JicengException x = assertThrows(JicengException.class, () -> path.route(index, f), what);
          assertEquals(e.entry.getError().getCode(), x.code(), what);
          assertEquals(e.entry.getError().getMessage(), x.getMessage(), what);
        } else {
          assertArrayEquals(e.decision, path.route(i, flags), what);
        }
      }
    }
  }

  @Test
  void routeBytesIsByteIdenticalToCpp() throws Exception {
    assertMatchesCpp((i, flags) -> engine.route(caseBytes.get(i), flags));
  }

  @Test
  void routeMessageIsByteIdenticalToCpp() throws Exception {
    assertMatchesCpp((i, flags) -> engine.route(cases.get(i), flags).toByteArray());
  }

  @Test
  void routeIntoIsByteIdenticalToCpp() throws Exception {
    ByteBuffer in = ByteBuffer.allocateDirect(1 << 16);
    ByteBuffer out = ByteBuffer.allocateDirect(1 << 16);
    assertMatchesCpp(
        (i, flags) -> {
          in.clear();
          in.put(caseBytes.get(i)).flip();
          out.clear();
          int n = engine.routeInto(in, out, flags);
          assertTrue(n <= out.remaining(), "decision of " + n + " bytes");
          assertEquals(0, in.position());
          assertEquals(0, out.position());
          byte[] bytes = new byte[n];
          out.get(bytes);
          return bytes;
        });
  }

  @Test
  void routeIntoReportsTheSizeNeededAndWritesNothingWhenTooSmall() throws Exception {
    int i = firstRouted();
    byte[] want = expected.get(i).decision;
    ByteBuffer in = ByteBuffer.allocateDirect(caseBytes.get(i).length);
    in.put(caseBytes.get(i)).flip();
    ByteBuffer out = ByteBuffer.allocateDirect(want.length + 8);
    for (int k = 0; k < out.capacity(); k++) out.put(k, (byte) 0x5a);

    // Too small by one byte, and empty: the size needed, nothing written.
    out.position(4).limit(4 + want.length - 1);
    assertEquals(want.length, engine.routeInto(in, out, 0));
    out.limit(4);
    assertEquals(want.length, engine.routeInto(in, out, 0));
    ByteBuffer all = out.duplicate().clear();
    for (int k = 0; k < all.capacity(); k++) assertEquals((byte) 0x5a, all.get(k), "byte " + k);

    // Exactly large enough, at an offset: written there, positions unchanged.
    out.limit(4 + want.length);
    assertEquals(want.length, engine.routeInto(in, out, 0));
    assertEquals(4, out.position());
    byte[] got = new byte[want.length];
    out.get(got);
    assertArrayEquals(want, got);
    out.clear();
    assertEquals((byte) 0x5a, out.get(3));
    assertEquals((byte) 0x5a, out.get(4 + want.length));
  }

  @Test
  void routeIntoNeedsDirectBuffers() {
    ByteBuffer heap = ByteBuffer.allocate(64);
    ByteBuffer direct = ByteBuffer.allocateDirect(64);
    assertThrows(IllegalArgumentException.class, () -> engine.routeInto(heap, direct, 0));
    assertThrows(IllegalArgumentException.class, () -> engine.routeInto(direct, heap, 0));
  }

  @Test
  void routeIntoFollowsEveryBufferItIsGiven() throws Exception {
    // The binding remembers the last buffers' addresses: alternating buffers, and slices of one
    // buffer (other objects at other addresses), must each be read and written where they are.
    int i = firstRouted();
    byte[] want = expected.get(i).decision;
    ByteBuffer[] ins = {direct(caseBytes.get(i)), direct(caseBytes.get(i))};
    ByteBuffer shared = ByteBuffer.allocateDirect(2 * want.length + 64);
    ByteBuffer[] outs = {
      ByteBuffer.allocateDirect(want.length),
      shared.duplicate().limit(want.length).slice(),
      shared.duplicate().position(want.length + 64).slice()
    };
    for (int round = 0; round < 3; round++) {
      for (ByteBuffer in : ins) {
        for (ByteBuffer out : outs) {
          for (int k = 0; k < out.capacity(); k++) out.put(k, (byte) 0);
          assertEquals(want.length, engine.routeInto(in, out, 0));
          byte[] got = new byte[want.length];
          out.duplicate().get(got);
          assertArrayEquals(want, got, "round " + round);
        }
      }
    }
    for (int k = want.length; k < want.length + 64; k++) {
      assertEquals((byte) 0, shared.get(k), "between the slices, byte " + k);
    }
  }

  @Test
  void routeIntoDoesNotKeepTheCallersBuffersAlive() throws Exception {
    List<WeakReference<ByteBuffer>> buffers = routeThroughFreshBuffers();
    for (int attempt = 0; attempt < 100 && buffers.stream().anyMatch(r -> r.get() != null); ) {
      System.gc();
      Thread.sleep(++attempt);
    }
    for (WeakReference<ByteBuffer> r : buffers) assertNull(r.get());
  }

  /** Routes one case through a new pair of buffers; returns them weakly held. */
  private static List<WeakReference<ByteBuffer>> routeThroughFreshBuffers()
      throws Exception {
    int i = firstRouted();
    ByteBuffer in = direct(caseBytes.get(i));
    ByteBuffer out = ByteBuffer.allocateDirect(1 << 12);
    assertEquals(expected.get(i).decision.length, engine.routeInto(in, out, 0));
    return List.of(new WeakReference<>(in), new WeakReference<>(out));
  }

  private static ByteBuffer direct(byte[] bytes) {
    ByteBuffer b = ByteBuffer.allocateDirect(bytes.length);
    b.put(bytes).flip();
    return b;
  }

  @Test
  void routeManyMatchesCppForAnyThreadCount() throws Exception {
    byte[] single = engine.routeBatch(Samples.caseStream(), 1);
    for (int threads : new int[] {0, 1, 2, 8}) {
      assertArrayEquals(single, engine.routeBatch(Samples.caseStream(), threads), "" + threads);
      List<BatchEntry> entries = engine.routeMany(cases, threads);
      assertEquals(cases.size(), entries.size());
      for (int i = 0; i < entries.size(); i++) {
        BatchEntry got = entries.get(i);
        Samples.Expected want = expected.get(i);
        assertEquals(i, got.getIndex());
        assertEquals(want.entry.getCaseId(), got.getCaseId());
        assertEquals(want.entry.hasError(), got.hasError(), "case " + i);
        if (got.hasError()) {
          assertEquals(want.entry.getError().getCode(), got.getError().getCode(), "case " + i);
        }
      }
    }
    // The decisions in the batch's own bytes are the C++ decisions' bytes.
    List<Samples.Expected> batch = Samples.entries(single);
    assertEquals(expected.size(), batch.size());
    for (int i = 0; i < batch.size(); i++) {
      if (expected.get(i).entry.hasError()) {
        assertNull(batch.get(i).decision, "case " + i);
      } else {
        assertNotNull(batch.get(i).decision, "case " + i);
        assertArrayEquals(expected.get(i).decision, batch.get(i).decision, "case " + i);
      }
    }
  }

  @Test
  void aStreamRoutedInPartsGivesOneCallsBytes() throws Exception {
    byte[] stream = Samples.caseStream();
    byte[] whole = engine.routeBatch(stream, 1);
    // Cut after the 100th case: skip 100 frames.
    com.google.protobuf.CodedInputStream in =
        com.google.protobuf.CodedInputStream.newInstance(stream);
    for (int k = 0; k < 100; k++) in.skipRawBytes(in.readRawVarint32());
    int at = in.getTotalBytesRead();
    byte[] head =
        engine.routeBatch(
            java.util.Arrays.copyOfRange(stream, 0, at),
            BatchOptions.newBuilder().setThreads(2).build());
    byte[] tail =
        engine.routeBatch(
            java.util.Arrays.copyOfRange(stream, at, stream.length),
            BatchOptions.newBuilder().setThreads(2).setFirstIndex(100).setFirstByte(at).build());
    byte[] joined = new byte[head.length + tail.length];
    System.arraycopy(head, 0, joined, 0, head.length);
    System.arraycopy(tail, 0, joined, head.length, tail.length);
    assertArrayEquals(whole, joined);
    assertArrayEquals(
        engine.routeBatch(stream, 0), engine.routeBatch(stream, BatchOptions.getDefaultInstance()));
    List<BatchEntry> numbered =
        engine.routeMany(cases.subList(0, 3), BatchOptions.newBuilder().setFirstIndex(40).build());
    assertEquals(3, numbered.size());
    for (int k = 0; k < 3; k++) assertEquals(40 + k, numbered.get(k).getIndex());
  }

  @Test
  void routeManyExplainsWhenAsked() throws Exception {
    List<Samples.Expected> explained = Samples.expected(true);
    List<Samples.Expected> batch =
        Samples.entries(
            engine.routeBatch(
                Samples.caseStream(),
                BatchOptions.newBuilder()
                    .setRoute(RouteOptions.newBuilder().setExplainText(true))
                    .build()));
    assertEquals(explained.size(), batch.size());
    for (int i = 0; i < batch.size(); i++) {
      if (!explained.get(i).entry.hasError()) {
        assertArrayEquals(explained.get(i).decision, batch.get(i).decision, "case " + i);
      }
    }
    for (BatchOptions bad :
        List.of(
            BatchOptions.newBuilder().setThreads(-1).build(),
            BatchOptions.newBuilder().setFirstIndex(-1).build(),
            BatchOptions.newBuilder().setFirstByte(-5).build())) {
      JicengException e =
          assertThrows(JicengException.class, () -> engine.routeMany(cases, bad));
      assertEquals(Status.INVALID_ARGUMENT.code(), e.code());
    }
  }

  @Test
  void routingIsDeterministic() throws Exception {
    int i = firstRouted();
    RoutingDecision first = engine.route(cases.get(i));
    for (int k = 0; k < 100; k++) assertEquals(first, engine.route(cases.get(i)));
  }

  private static int firstRouted() {
    for (int i = 0; i < expected.size(); i++) {
      if (!expected.get(i).entry.hasError()) return i;
    }
    throw new AssertionError("no routed sample case");
  }
}
