// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.jiceng.v1.Dataset;
import cn.jiceng.v1.Problem;
import cn.jiceng.v1.Severity;
import cn.jiceng.v1.ValidationReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
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
  void useAfterCloseThrows() throws Exception {
    Engine engine = Engine.sample();
    engine.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, engine::info);
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }
}
