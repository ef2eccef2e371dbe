// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.jiceng.v1.BatchOptions;
import cn.jiceng.v1.Case;
import cn.jiceng.v1.Dataset;
import cn.jiceng.v1.Problem;
import cn.jiceng.v1.Severity;
import cn.jiceng.v1.ValidationReport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Failures become JicengExceptions carrying the library's code; closing is safe. */
class ErrorTest {
  private static final byte[] GARBAGE = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};

  /** The sample with its first region repeated: a duplicate code. */
  private static Dataset invalidDataset() throws JicengException {
    Dataset sample = Jiceng.sampleDataset();
    return sample.toBuilder().addRegions(sample.getRegions(0)).build();
  }

  @Test
  void bytesThatDoNotParseAreInvalidArgument() {
    JicengException e =
        assertThrows(JicengException.class, () -> Engine.load(GARBAGE, DatasetFormat.BINARY));
    assertEquals(Status.INVALID_ARGUMENT, e.status());
    assertEquals(3, e.code());
    assertEquals("INVALID_ARGUMENT", e.codeName());
    assertFalse(e.getMessage().isEmpty());

    JicengException v =
        assertThrows(
            JicengException.class,
            () -> Jiceng.validate("{not json".getBytes(StandardCharsets.UTF_8), DatasetFormat.JSON));
    assertEquals(Status.INVALID_ARGUMENT, v.status());
  }

  @Test
  void anInvalidDatasetIsReportedAndRefused() throws Exception {
    byte[] bytes = invalidDataset().toByteArray();
    ValidationReport report = Jiceng.validate(bytes, DatasetFormat.BINARY);
    assertTrue(report.getErrorCount() > 0, report.toString());
    Problem error =
        report.getProblemsList().stream()
            .filter(p -> p.getSeverity() == Severity.SEVERITY_ERROR)
            .findFirst()
            .orElseThrow();
    assertEquals("region.duplicate_code", error.getRule(), report.toString());

    JicengException e = assertThrows(JicengException.class, () -> Engine.load(bytes));
    assertEquals(Status.INVALID_ARGUMENT, e.status());
    assertTrue(e.getMessage().contains(error.getElementCode()), e.getMessage());
  }

  @Test
  void aMissingFileIsNotFound(@TempDir Path dir) {
    Path missing = dir.resolve("missing.binpb");
    JicengException e = assertThrows(JicengException.class, () -> Engine.load(missing));
    assertEquals(Status.NOT_FOUND, e.status());
    assertTrue(e.getMessage().contains("missing.binpb"), e.getMessage());
  }

  @Test
  void closingTwiceIsHarmless() throws Exception {
    Engine engine = Engine.sample();
    assertFalse(engine.isClosed());
    engine.close();
    assertTrue(engine.isClosed());
    assertDoesNotThrow(engine::close);
    assertTrue(engine.isClosed());
  }

  @Test
  void closeDestroysTheNativeEngineOnce() throws Exception {
    int before = Engine.liveEngines();
    Engine engine = Engine.sample();
    assertEquals(before + 1, Engine.liveEngines());
    engine.close();
    engine.close();
    assertEquals(before, Engine.liveEngines());
  }

  @Test
  void theCleanerDestroysEnginesNobodyClosed() throws Exception {
    int before = Engine.liveEngines();
    for (int i = 0; i < 4; i++) {
      assertTrue(Engine.sample().info().getRegionCount() > 0);  // never closed
    }
    assertEquals(before + 4, Engine.liveEngines());
    for (int i = 0; i < 200 && Engine.liveEngines() > before; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertEquals(before, Engine.liveEngines());
  }

  @Test
  void useAfterCloseThrows() throws Exception {
    Engine engine = Engine.sample();
    engine.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, engine::info);
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> engine.route(aCase().build()));
    assertThrows(IllegalStateException.class, () -> engine.route(new byte[0], 0));
    assertThrows(IllegalStateException.class, () -> engine.routeMany(List.of(), 1));
    assertThrows(IllegalStateException.class, engine::analyze);
    try (Engine open = Engine.sample()) {
      assertThrows(IllegalStateException.class, () -> Engine.diff(open, engine, List.of()));
      assertThrows(IllegalStateException.class, () -> Engine.diff(engine, open, List.of()));
      // The open engine's references were all released: it still works and closes.
      assertTrue(open.info().getRegionCount() > 0);
    }
  }

  /** Asserts that {@code call} throws a NullPointerException naming {@code parameter}. */
  private static void assertNamesNull(String parameter, Executable call) {
    NullPointerException e = assertThrows(NullPointerException.class, call);
    assertEquals(parameter, e.getMessage());
  }

  @Test
  void aNullArgumentIsNamed() throws Exception {
    Case c = aCase().build();
    ByteBuffer direct = ByteBuffer.allocateDirect(4096);
    try (Engine engine = Engine.sample()) {
      assertNamesNull("c", () -> engine.route((Case) null));
      assertNamesNull("c", () -> engine.route((Case) null, Engine.EXPLAIN_TEXT));
      assertNamesNull("caseBytes", () -> engine.route((byte[]) null, 0));
      assertNamesNull("caseBytes", () -> engine.routeInto(null, null, 0));
      assertNamesNull("decision", () -> engine.routeInto(direct, null, 0));
      assertNamesNull("cases", () -> engine.routeMany(null, 0));
      assertNamesNull("cases[1]", () -> engine.routeMany(Arrays.asList(c, null), 0));
      assertNamesNull("options", () -> engine.routeMany(List.of(c), (BatchOptions) null));
      assertNamesNull("casesStream", () -> engine.routeBatch(null, 0));
      assertNamesNull("cases", () -> Engine.diff(engine, engine, (List<Case>) null));
      assertNamesNull("after", () -> Engine.diff(engine, null, new byte[0]));
      assertNamesNull("request", () -> engine.routeService(null));
      assertNamesNull("request", () -> engine.reviewAdmission(null));
      assertNamesNull("request", () -> engine.apply(null));
      assertNamesNull("request", () -> engine.supervise(null));
      assertNamesNull("request", () -> engine.assess(null));
      // The engine still routes.
      assertEquals(engine.route(c), BatchEntries.decision(engine.routeMany(List.of(c), 1).get(0)));
    }
    assertNamesNull("path", () -> Engine.load((Path) null));
    assertNamesNull("format", () -> Engine.load(Path.of("luhe.binpb"), null));
    assertNamesNull("dataset", () -> Engine.load((byte[]) null));
    assertNamesNull("dataset", () -> Engine.load((Dataset) null));
    assertNamesNull("snapshot", () -> Engine.loadSnapshot((byte[]) null));
    assertNamesNull("path", () -> Engine.loadSnapshot((Path) null));
    assertNamesNull("format", () -> Jiceng.validate(new byte[0], null));
  }

  /** A case on the sample's first grid, reported on a Tuesday morning. */
  private static Case.Builder aCase() throws Exception {
    Case routed = null;
    try (Engine engine = Engine.sample()) {
      for (Case c : Samples.cases()) {
        try {
          engine.route(c);
          routed = c;
          break;
        } catch (JicengException e) {
          // an error case of the sample; take the next
        }
      }
    }
    return routed.toBuilder();
  }

  @Test
  void casesRoutingRejectsNameTheField() throws Exception {
    try (Engine engine = Engine.sample()) {
      JicengException location =
          assertThrows(
              JicengException.class,
              () -> engine.route(aCase().setLocationCode(329999999999L).build()));
      assertEquals(Status.INVALID_ARGUMENT, location.status());
      assertTrue(location.getMessage().contains("329999999999"), location.getMessage());

      JicengException matter =
          assertThrows(
              JicengException.class, () -> engine.route(aCase().setMatterCode("99999").build()));
      assertEquals(Status.INVALID_ARGUMENT, matter.status());
      assertTrue(matter.getMessage().contains("99999"), matter.getMessage());

      JicengException urgency =
          assertThrows(JicengException.class, () -> engine.route(aCase().setUrgency(9).build()));
      assertEquals(Status.INVALID_ARGUMENT, urgency.status());
      assertTrue(urgency.getMessage().contains("urgency"), urgency.getMessage());
    }
  }

  @Test
  void badCaseBytesAndFlagsAreInvalidArgument() throws Exception {
    try (Engine engine = Engine.sample()) {
      JicengException bytes = assertThrows(JicengException.class, () -> engine.route(GARBAGE, 0));
      assertEquals(Status.INVALID_ARGUMENT, bytes.status());
      assertTrue(bytes.getMessage().contains("jiceng.v1.Case"), bytes.getMessage());

      byte[] c = aCase().build().toByteArray();
      JicengException flags = assertThrows(JicengException.class, () -> engine.route(c, 6));
      assertEquals(Status.INVALID_ARGUMENT, flags.status());
      assertTrue(flags.getMessage().contains("flags"), flags.getMessage());

      ByteBuffer in = ByteBuffer.allocateDirect(GARBAGE.length);
      in.put(GARBAGE).flip();
      ByteBuffer out = ByteBuffer.allocateDirect(1024);
      JicengException into =
          assertThrows(JicengException.class, () -> engine.routeInto(in, out, 0));
      assertEquals(Status.INVALID_ARGUMENT, into.status());

      JicengException threads =
          assertThrows(
              JicengException.class, () -> engine.routeMany(List.of(aCase().build()), -1));
      assertEquals(Status.INVALID_ARGUMENT, threads.status());

      // A cut-short stream: a final error entry, not a failed batch.
      byte[] stream = engine.routeBatch(new byte[] {0x7f, 0x01}, 1);
      List<Samples.Expected> entries = Samples.entries(stream);
      assertEquals(1, entries.size());
      assertEquals(Status.INVALID_ARGUMENT.code(), entries.get(0).entry.getError().getCode());
    }
  }
}
