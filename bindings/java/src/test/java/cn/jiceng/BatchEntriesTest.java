// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.jiceng.v1.BatchEntry;
import cn.jiceng.v1.BatchOptions;
import cn.jiceng.v1.Case;
import cn.jiceng.v1.RouteError;
import cn.jiceng.v1.RoutingDecision;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch's entries as decisions, and each failed case as a BatchEntryException. */
class BatchEntriesTest {
  @Test
  void decisionsAndErrorsMatchTheEntries() throws Exception {
    List<Case> cases = Samples.cases();
    try (Engine engine = Engine.sample()) {
      List<BatchEntry> entries = engine.routeMany(cases, 0);
      List<BatchEntry> routed = new ArrayList<>();
      List<BatchEntry> failed = new ArrayList<>();
      for (BatchEntry entry : entries) {
        if (entry.hasError()) {
          failed.add(entry);
          BatchEntryException e =
              assertThrows(BatchEntryException.class, () -> BatchEntries.decision(entry));
          assertEquals(entry.getError().getCode(), e.code());
          assertEquals(entry.getIndex(), e.index());
          assertEquals(entry.getCaseId(), e.caseId());
          assertEquals(
              "case " + e.index() + " (" + e.caseId() + "): " + entry.getError().getMessage(),
              e.getMessage());
        } else {
          routed.add(entry);
          assertEquals(entry.getDecision(), BatchEntries.decision(entry));
        }
      }
      assertFalse(failed.isEmpty(), "the sample cases include cases routing rejects");
      assertFalse(routed.isEmpty());

      List<BatchEntryException> errors = BatchEntries.errors(entries);
      assertEquals(failed.size(), errors.size());
      for (int i = 0; i < errors.size(); i++) {
        assertEquals(failed.get(i).getIndex(), errors.get(i).index());
        assertEquals(Status.INVALID_ARGUMENT, errors.get(i).status());
      }
      BatchEntryException first =
          assertThrows(BatchEntryException.class, () -> BatchEntries.decisions(entries));
      assertEquals(failed.get(0).getIndex(), first.index());

      List<RoutingDecision> decisions = BatchEntries.decisions(routed);
      assertEquals(routed.size(), decisions.size());
      for (int i = 0; i < routed.size(); i++) {
        assertEquals(routed.get(i).getDecision(), decisions.get(i));
      }
      assertTrue(BatchEntries.errors(routed).isEmpty());
    }
  }

  @Test
  void aCaseThatCannotBeReadIsNamedOnce() throws Exception {
    Case c = Samples.cases().get(0);
    byte[] stream = stream(c.toByteArray(), new byte[] {(byte) 0xff, (byte) 0xff});
    try (Engine engine = Engine.sample()) {
      byte[] out =
          engine.routeBatch(stream, BatchOptions.newBuilder().setFirstIndex(7).build());
      List<BatchEntry> entries = new ArrayList<>();
      for (Samples.Expected e : Samples.entries(out)) entries.add(e.entry);
      assertEquals(2, entries.size());
      String library = entries.get(1).getError().getMessage();
      assertTrue(library.startsWith("case 8: jiceng.v1.Case"), library);

      BatchEntryException e = BatchEntries.errors(entries).get(0);
      assertEquals(8, e.index());
      assertEquals("", e.caseId());
      assertEquals(library, e.getMessage());  // "case 8: " once, the library's own
    }
  }

  @Test
  void theMessageNamesTheCaseOnce() {
    BatchEntryException named =
        new BatchEntryException(3, "case 4: jiceng.v1.Case (2 bytes) is cut", 4, "");
    assertEquals("case 4: jiceng.v1.Case (2 bytes) is cut", named.getMessage());
    BatchEntryException withId = new BatchEntryException(3, "case 4: x", 4, "c-4");
    assertEquals("case 4 (c-4): x", withId.getMessage());
    BatchEntryException other = new BatchEntryException(3, "case 40: x", 4, "c-4");
    assertEquals("case 4 (c-4): case 40: x", other.getMessage());
    BatchEntryException plain = new BatchEntryException(11, "deadline: out of range", 0, "a");
    assertEquals("case 0 (a): deadline: out of range", plain.getMessage());
    assertEquals(Status.OUT_OF_RANGE, plain.status());

    BatchEntry noCode =
        BatchEntry.newBuilder()
            .setIndex(2)
            .setError(RouteError.newBuilder().setMessage("m"))
            .build();
    assertEquals(Status.UNKNOWN, BatchEntries.errors(List.of(noCode)).get(0).status());
  }

  @Test
  void nullsAreNamed() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> BatchEntries.decision(null));
    assertEquals("entry", e.getMessage());
    e = assertThrows(NullPointerException.class, () -> BatchEntries.decisions(null));
    assertEquals("entries", e.getMessage());
    e = assertThrows(NullPointerException.class, () -> BatchEntries.errors(null));
    assertEquals("entries", e.getMessage());
    List<BatchEntry> withNull = Arrays.asList(BatchEntry.getDefaultInstance(), null);
    e = assertThrows(NullPointerException.class, () -> BatchEntries.errors(withNull));
    assertEquals("entry", e.getMessage());
  }

  /** The length-delimited stream of {@code frames}. */
  private static byte[] stream(byte[]... frames) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (byte[] f : frames) out.writeByteArrayNoTag(f);
    out.flush();
    return bytes.toByteArray();
  }
}
