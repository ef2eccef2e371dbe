// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.jiceng.v1.AssessRequest;
import cn.jiceng.v1.AssessmentReport;
import cn.jiceng.v1.CaseRecord;
import cn.jiceng.v1.CaseState;
import cn.jiceng.v1.DepartmentRating;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link Assessment}: records fed a part at a time give the report {@link Engine#assess} gives
 * for one request holding them all (and the C++ API's bytes); errors name records counted across
 * calls and stick; finishing spends it; closing, try-with-resources, misuse across threads and an
 * engine closed under an open assessment.
 */
class AssessmentStreamTest {
  private static Engine engine;
  /** The fixture's assessment request (the sample lifecycles), as tests/c_api_expected wrote it. */
  private static AssessRequest request;
  /** {@code request} without its records. */
  private static AssessRequest settings;
  private static List<CaseRecord> records;

  @BeforeAll
  static void load() throws Exception {
    engine = Engine.sample();
    request = AssessRequest.parseFrom(Samples.loopRequests("assess").get(0));
    settings = request.toBuilder().clearRecords().build();
    records = request.getRecordsList();
    assertTrue(records.size() >= 6, "the fixture has " + records.size() + " records");
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  private static AssessRequest withRecords(List<CaseRecord> rs) {
    return settings.toBuilder().addAllRecords(rs).build();
  }

  private static byte[] delimited(List<CaseRecord> rs) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (CaseRecord r : rs) r.writeDelimitedTo(out);
    return out.toByteArray();
  }

  /** A record assess counts (received in the period, not merged). */
  private static int countedRecord(int from) {
    for (int i = from; i < records.size(); i++) {
      CaseRecord r = records.get(i);
      long at = r.getReceivedAt();
      boolean inPeriod =
          at >= settings.getPeriodStart()
              && (settings.getPeriodEnd() == 0 || at < settings.getPeriodEnd());
      if (inPeriod && r.getState() != CaseState.CASE_STATE_MERGED) return i;
    }
    throw new AssertionError("no record of the fixture is counted");
  }

  /** {@code r} with a rating of 140: outside 0..100. */
  private static CaseRecord badRating(CaseRecord r) {
    return r.toBuilder()
        .addRatings(
            DepartmentRating.newBuilder()
                .setDepartmentCode("LH-XZ-LHZF")
                .setScore(140)
                .setRatedAt(r.getReceivedAt()))
        .build();
  }

  private static void assertFailsWith(Status status, String message, Executable call) {
    JicengException e = assertThrows(JicengException.class, call);
    assertEquals(status, e.status(), e.getMessage());
    assertEquals(message, e.getMessage());
  }

  @Test
  void theReportIsAssesssReportAndTheCppBytes() throws Exception {
    AssessmentReport expected = engine.assess(request);
    AssessmentReport report;
    try (Assessment a = engine.startAssessment(settings)) {
      a.add(records);
      report = a.finish();
    }
    assertEquals(expected, report);
    assertArrayEquals(expected.toByteArray(), report.toByteArray());
    // The C++ API's own serialization of Assess for the fixture's request.
    byte[] cpp = Samples.loopExpected("assess").get(0).substring(1).toByteArray();
    assertEquals(0, Samples.loopExpected("assess").get(0).byteAt(0));
    assertArrayEquals(cpp, report.toByteArray());
    assertTrue(report.getRecords() > 0, report.toString());
  }

  @Test
  void recordsAddedInSeveralCallsAndFormsGiveTheSameReport() throws Exception {
    int n = records.size();
    int third = n / 3;
    List<CaseRecord> first = records.subList(1, third);
    List<CaseRecord> second = records.subList(third, 2 * third);
    byte[] secondHalf = delimited(records.subList(2 * third, n - 2));
    ByteBuffer direct = ByteBuffer.allocateDirect(64 + secondHalf.length);
    direct.position(64);
    direct.put(secondHalf).flip().position(64);
    ByteBuffer heap = ByteBuffer.wrap(delimited(records.subList(n - 2, n)));
    byte[] padded = delimited(List.of(records.get(0)));
    byte[] framed = new byte[padded.length + 10];
    System.arraycopy(padded, 0, framed, 7, padded.length);

    AssessmentReport report;
    try (Assessment a = engine.startAssessment(settings)) {
      a.addDelimited(framed, 7, padded.length); // records[0]
      a.add(List.of()); // nothing
      a.add(first); // records[1, third)
      for (CaseRecord r : second) a.add(r); // one call each
      a.addDelimited(new byte[0]); // nothing
      a.addDelimited(direct); // read where it is
      a.addDelimited(heap); // copied
      report = a.finish();
    }
    assertEquals(64, direct.position());
    assertEquals(64 + secondHalf.length, direct.limit());
    assertEquals(0, heap.position());
    assertArrayEquals(engine.assess(request).toByteArray(), report.toByteArray());
  }

  @Test
  void manyChunksGiveTheSameReportAsOneRequest() throws Exception {
    // Enough copies of the records for add(Iterable) to make several native calls, each copy's
    // cases renamed (a case is assessed once).
    long size = 0;
    for (CaseRecord r : records) size += Scratch.delimitedSize(r);
    int copies = (int) (3L * Assessment.CHUNK_BYTES / size) + 1;
    List<CaseRecord> many = new ArrayList<>();
    for (int i = 0; i < copies; i++) {
      for (CaseRecord r : records) {
        CaseRecord.Builder b = r.toBuilder();
        b.getCaseBuilder().setId(r.getCase().getId() + "~" + i);
        many.add(b.build());
      }
    }
    AssessmentReport expected = engine.assess(withRecords(many));
    AssessmentReport report;
    try (Assessment a = engine.startAssessment(settings)) {
      a.add(many.subList(0, records.size()));
      a.add(many.subList(records.size(), many.size()));
      report = a.finish();
    }
    assertArrayEquals(expected.toByteArray(), report.toByteArray());
    assertEquals(expected.getRecords(), report.getRecords());
    assertTrue(report.getRecords() >= copies, report.getRecords() + " records");
    // A lazy Iterable (not a Collection) is read once, in order.
    try (Assessment a = engine.startAssessment(settings)) {
      a.add(() -> many.iterator());
      assertArrayEquals(expected.toByteArray(), a.finish().toByteArray());
    }
  }

  @Test
  void anEmptyAssessmentIsAssessWithoutRecords() throws Exception {
    AssessmentReport expected = engine.assess(settings);
    try (Assessment a = engine.startAssessment(settings)) {
      AssessmentReport report = a.finish();
      assertArrayEquals(expected.toByteArray(), report.toByteArray());
      assertEquals(0, report.getRecords());
    }
    try (Assessment a = engine.startAssessment(AssessRequest.getDefaultInstance())) {
      assertEquals(
          engine.assess(AssessRequest.getDefaultInstance()), a.finish());
    }
  }

  @Test
  void badSettingsAreInvalidArgumentWithTheMessage() throws Exception {
    int live = Assessment.liveAssessments();
    JicengException held =
        assertThrows(
            JicengException.class,
            () -> engine.startAssessment(withRecords(records.subList(0, 2))));
    assertEquals(Status.INVALID_ARGUMENT, held.status());
    assertTrue(held.getMessage().contains("records: 2 given"), held.getMessage());

    AssessRequest negative = settings.toBuilder().setPeriodStart(-1).build();
    JicengException e =
        assertThrows(JicengException.class, () -> engine.startAssessment(negative));
    assertEquals(Status.INVALID_ARGUMENT, e.status());
    assertTrue(e.getMessage().contains("period_start: -1 is negative"), e.getMessage());
    // The message jc_engine_assess gives for the same settings.
    JicengException assess = assertThrows(JicengException.class, () -> engine.assess(negative));
    assertEquals(assess.getMessage(), e.getMessage());

    AssessRequest backwards = settings.toBuilder().setPeriodStart(100).setPeriodEnd(50).build();
    assertEquals(
        Status.INVALID_ARGUMENT,
        assertThrows(JicengException.class, () -> engine.startAssessment(backwards)).status());
    assertEquals(live, Assessment.liveAssessments());
  }

  @Test
  void aBadRecordIsNamedAcrossCallsAndSticks() throws Exception {
    int k = countedRecord(3);
    List<CaseRecord> before = new ArrayList<>(records.subList(0, k));
    CaseRecord bad = badRating(records.get(k));
    // What jc_engine_assess says of the same records in one request.
    List<CaseRecord> all = new ArrayList<>(before);
    all.add(bad);
    JicengException whole =
        assertThrows(JicengException.class, () -> engine.assess(withRecords(all)));
    String message = whole.getMessage();
    assertTrue(message.startsWith("records[" + k + "] (case "), message);
    assertTrue(message.contains("score: 140 is outside 0..100"), message);

    try (Assessment a = engine.startAssessment(settings)) {
      a.add(before.subList(0, 2)); // two calls before: the index counts across them
      a.add(before.subList(2, k));
      List<CaseRecord> chunk = new ArrayList<>(List.of(bad));
      chunk.addAll(records.subList(k + 1, records.size()));
      assertFailsWith(Status.INVALID_ARGUMENT, message, () -> a.add(chunk));
      // Failed: every later add, even an empty one, and finish repeat it.
      assertFailsWith(Status.INVALID_ARGUMENT, message, () -> a.add(records.get(0)));
      assertFailsWith(Status.INVALID_ARGUMENT, message, () -> a.add(List.of()));
      assertFailsWith(
          Status.INVALID_ARGUMENT, message, () -> a.addDelimited(delimited(records)));
      assertFailsWith(Status.INVALID_ARGUMENT, message, a::finish);
      // The finish spent it.
      JicengException spent = assertThrows(JicengException.class, a::finish);
      assertEquals(Status.FAILED_PRECONDITION, spent.status(), spent.getMessage());
    }
  }

  @Test
  void aCaseAddedAgainInALaterCallIsRefusedAsAssessRefusesIt() throws Exception {
    List<CaseRecord> twice = new ArrayList<>(records);
    twice.add(records.get(0));
    String message =
        assertThrows(JicengException.class, () -> engine.assess(withRecords(twice))).getMessage();
    assertTrue(message.startsWith("records[" + records.size() + "]"), message);
    try (Assessment a = engine.startAssessment(settings)) {
      a.add(records);
      assertFailsWith(Status.INVALID_ARGUMENT, message, () -> a.add(records.get(0)));
    }
  }

  @Test
  void aFrameThatIsNotARecordIsNamedAcrossCalls() throws Exception {
    try (Assessment a = engine.startAssessment(settings)) {
      a.add(records.subList(0, 2));
      a.add(records.get(2));
      byte[] stream = delimited(records.subList(3, 5));
      byte[] cut = java.util.Arrays.copyOf(stream, stream.length - 1); // the last frame cut short
      JicengException e = assertThrows(JicengException.class, () -> a.addDelimited(cut));
      assertEquals(Status.INVALID_ARGUMENT, e.status(), e.getMessage());
      assertTrue(e.getMessage().startsWith("records[4]"), e.getMessage());
      JicengException again = assertThrows(JicengException.class, a::finish);
      assertEquals(e.getMessage(), again.getMessage());
    }
    try (Assessment a = engine.startAssessment(settings)) {
      a.add(records.get(0));
      // A frame of 3 bytes that are no CaseRecord (field 1, length 5: cut short inside).
      JicengException e =
          assertThrows(JicengException.class, () -> a.addDelimited(new byte[] {3, 0x0a, 5, 1}));
      assertEquals(Status.INVALID_ARGUMENT, e.status(), e.getMessage());
      assertTrue(e.getMessage().startsWith("records[1]"), e.getMessage());
    }
  }

  @Test
  void finishingTwiceIsFailedPrecondition() throws Exception {
    try (Assessment a = engine.startAssessment(settings)) {
      a.add(records);
      assertEquals(engine.assess(request), a.finish());
      JicengException e = assertThrows(JicengException.class, a::finish);
      assertEquals(Status.FAILED_PRECONDITION, e.status());
      assertTrue(e.getMessage().contains("finished"), e.getMessage());
      assertFailsWith(Status.FAILED_PRECONDITION, e.getMessage(), () -> a.add(records.get(0)));
      assertFailsWith(Status.FAILED_PRECONDITION, e.getMessage(), () -> a.add(List.of()));
      assertFailsWith(
          Status.FAILED_PRECONDITION, e.getMessage(), () -> a.addDelimited(new byte[0]));
      assertFalse(a.isClosed());
    }
  }

  @Test
  void useAfterCloseThrowsAndCloseIsIdempotent() throws Exception {
    int live = Assessment.liveAssessments();
    Assessment a = engine.startAssessment(settings);
    assertEquals(live + 1, Assessment.liveAssessments());
    a.add(records.get(0));
    assertFalse(a.isClosed());
    a.close();
    assertTrue(a.isClosed());
    assertEquals(live, Assessment.liveAssessments());
    assertDoesNotThrow(a::close);
    assertEquals(live, Assessment.liveAssessments());
    IllegalStateException e = assertThrows(IllegalStateException.class, a::finish);
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> a.add(records.get(0)));
    assertThrows(IllegalStateException.class, () -> a.add(records));
    assertThrows(IllegalStateException.class, () -> a.addDelimited(new byte[0]));
    assertThrows(IllegalStateException.class, () -> a.addDelimited(ByteBuffer.allocate(0)));
    // The engine is unaffected.
    assertEquals(engine.assess(request), engine.assess(request));
  }

  @Test
  void tryWithResourcesClosesOnAnException() throws Exception {
    int live = Assessment.liveAssessments();
    AtomicReference<Assessment> seen = new AtomicReference<>();
    IOException thrown =
        assertThrows(
            IOException.class,
            () -> {
              try (Assessment a = engine.startAssessment(settings)) {
                seen.set(a);
                a.add(records);
                assertEquals(live + 1, Assessment.liveAssessments());
                throw new IOException("the record store went away");
              }
            });
    assertEquals("the record store went away", thrown.getMessage());
    assertTrue(seen.get().isClosed());
    assertEquals(live, Assessment.liveAssessments());
  }

  @Test
  void anOpenAssessmentOutlivesItsClosedEngine() throws Exception {
    int engines = Engine.liveEngines();
    int live = Assessment.liveAssessments();
    Engine own = Engine.sample();
    Assessment a = own.startAssessment(settings);
    Assessment b = own.startAssessment(settings);
    a.add(records.subList(0, 3));
    own.close();
    assertTrue(own.isClosed());
    // The engine refuses new calls, new assessments included...
    assertThrows(IllegalStateException.class, own::info);
    assertThrows(IllegalStateException.class, () -> own.startAssessment(settings));
    // ...but its native engine lives while an assessment is open, and the assessment works.
    assertEquals(engines + 1, Engine.liveEngines());
    a.add(records.subList(3, records.size()));
    assertArrayEquals(engine.assess(request).toByteArray(), a.finish().toByteArray());
    assertEquals(engines + 1, Engine.liveEngines()); // finished, still open
    a.close();
    assertEquals(engines + 1, Engine.liveEngines()); // b is still open
    b.close();
    assertEquals(engines, Engine.liveEngines());
    assertEquals(live, Assessment.liveAssessments());
    assertDoesNotThrow(own::close);
  }

  /** Starts an assessment on a fresh engine, closes the engine, and drops the assessment. */
  private static void abandonAssessment() throws Exception {
    Engine own = Engine.sample();
    Assessment a = own.startAssessment(settings);
    a.add(records.get(0));
    own.close();
  }

  @Test
  void theCleanerFreesAnAssessmentNobodyClosedAndThenItsEngine() throws Exception {
    int engines = Engine.liveEngines();
    int live = Assessment.liveAssessments();
    abandonAssessment();
    assertEquals(engines + 1, Engine.liveEngines());
    assertEquals(live + 1, Assessment.liveAssessments());
    for (int i = 0; i < 200 && Engine.liveEngines() > engines; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertEquals(live, Assessment.liveAssessments());
    assertEquals(engines, Engine.liveEngines());
  }

  /** An Iterable that runs {@code hook} when the element at {@code at} is taken. */
  private static Iterable<CaseRecord> withHook(
      List<CaseRecord> rs, int at, Consumer<Integer> hook) {
    return () ->
        new Iterator<CaseRecord>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < rs.size();
          }

          @Override
          public CaseRecord next() {
            if (next == at) hook.accept(next);
            return rs.get(next++);
          }
        };
  }

  @Test
  void aCallWhileAnotherRunsIsRefusedAndChangesNothing() throws Exception {
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (Assessment a = engine.startAssessment(settings)) {
      AtomicReference<Throwable> refused = new AtomicReference<>();
      AtomicReference<Throwable> reentered = new AtomicReference<>();
      a.add(
          withHook(
              records,
              2,
              i -> {
                // Another thread, while this add is running.
                Future<AssessmentReport> f = other.submit(a::finish);
                try {
                  f.get();
                } catch (Exception e) {
                  refused.set(e.getCause());
                }
                // This thread, from inside the add.
                try {
                  a.add(records.get(0));
                } catch (Exception | Error e) {
                  reentered.set(e);
                }
              }));
      assertTrue(refused.get() instanceof IllegalStateException, String.valueOf(refused.get()));
      assertTrue(refused.get().getMessage().contains("in use"), refused.get().getMessage());
      // A call from inside the running add (its iterator) is refused too; the add went on.
      assertTrue(
          reentered.get() instanceof IllegalStateException, String.valueOf(reentered.get()));
      // Neither refused call touched it: the report is that of the records, once.
      assertArrayEquals(engine.assess(request).toByteArray(), a.finish().toByteArray());
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void closingWhileACallRunsWaitsForIt() throws Exception {
    int live = Assessment.liveAssessments();
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Assessment a = engine.startAssessment(settings);
      AtomicReference<Boolean> closedDuring = new AtomicReference<>();
      AtomicReference<Integer> liveDuring = new AtomicReference<>();
      a.add(
          withHook(
              records,
              1,
              i -> {
                try {
                  other.submit(a::close).get();
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
                closedDuring.set(a.isClosed());
                liveDuring.set(Assessment.liveAssessments());
              }));
      assertSame(Boolean.TRUE, closedDuring.get());
      assertEquals(live + 1, liveDuring.get()); // not destroyed under the running add
      assertEquals(live, Assessment.liveAssessments()); // destroyed when it returned
      assertThrows(IllegalStateException.class, a::finish);
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void anIterationThatFailsAddsWhatItYieldedFirst() throws Exception {
    List<CaseRecord> withNull = new ArrayList<>(records.subList(0, 3));
    withNull.add(null);
    withNull.addAll(records.subList(3, records.size()));
    try (Assessment a = engine.startAssessment(settings)) {
      NullPointerException e = assertThrows(NullPointerException.class, () -> a.add(withNull));
      assertEquals("records[3]", e.getMessage());
      a.add(records.subList(3, records.size())); // still open
      assertArrayEquals(engine.assess(request).toByteArray(), a.finish().toByteArray());
    }
    try (Assessment a = engine.startAssessment(settings)) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  a.add(
                      withHook(
                          records,
                          2,
                          i -> {
                            throw new IllegalStateException("the store failed");
                          })));
      assertEquals("the store failed", e.getMessage());
      a.add(records.subList(2, records.size()));
      assertArrayEquals(engine.assess(request).toByteArray(), a.finish().toByteArray());
    }
  }

  @Test
  void nullArgumentsAreNamed() throws Exception {
    NullPointerException s =
        assertThrows(NullPointerException.class, () -> engine.startAssessment(null));
    assertEquals("settings", s.getMessage());
    try (Assessment a = engine.startAssessment(settings)) {
      assertEquals(
          "record",
          assertThrows(NullPointerException.class, () -> a.add((CaseRecord) null)).getMessage());
      assertEquals(
          "records",
          assertThrows(NullPointerException.class, () -> a.add((Iterable<CaseRecord>) null))
              .getMessage());
      assertEquals(
          "stream",
          assertThrows(NullPointerException.class, () -> a.addDelimited((byte[]) null))
              .getMessage());
      assertEquals(
          "stream",
          assertThrows(NullPointerException.class, () -> a.addDelimited((ByteBuffer) null))
              .getMessage());
      assertThrows(IndexOutOfBoundsException.class, () -> a.addDelimited(new byte[4], 2, 3));
      // None of them changed it.
      assertEquals(engine.assess(settings), a.finish());
    }
    assertNotEquals(engine.assess(settings), engine.assess(request));
    assertEquals(Collections.emptyList(), settings.getRecordsList());
  }
}
