// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.jiceng.v1.Dataset;
import cn.jiceng.v1.EngineInfo;
import cn.jiceng.v1.ValidationReport;
import com.google.protobuf.TextFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading engines, what they hold, and the library-level calls. */
class EngineTest {
  @Test
  void sampleEngineDescribesTheSampleDataset() throws Exception {
    try (Engine engine = Engine.sample()) {
      EngineInfo info = engine.info();
      assertEquals(Jiceng.version(), info.getLibraryVersion());
      assertEquals(Jiceng.sampleDataset().getRegionsCount(), info.getRegionCount());
      assertTrue(info.getRuleCount() > 0, info.toString());
      assertTrue(info.getMemoryBytes() > 0, info.toString());
      assertFalse(info.getMeta().getVersion().isEmpty(), info.toString());
    }
  }

  @Test
  void everyWayOfLoadingGivesTheSameEngine() throws Exception {
    byte[] bytes = Jiceng.sampleDatasetBytes();
    Dataset dataset = Dataset.parseFrom(bytes);
    EngineInfo expected;
    try (Engine engine = Engine.sample()) {
      expected = engine.info();
    }
    try (Engine a = Engine.load(bytes);
        Engine b = Engine.load(bytes, DatasetFormat.BINARY);
        Engine c = Engine.load(dataset)) {
      assertEquals(expected, a.info());
      assertEquals(expected, b.info());
      assertEquals(expected, c.info());
    }
  }

  @Test
  void loadsFilesInEachFormat(@TempDir Path dir) throws Exception {
    Dataset dataset = Jiceng.sampleDataset();
    Path binary = dir.resolve("luhe.binpb");
    Files.write(binary, dataset.toByteArray());
    Path text = dir.resolve("luhe.textproto");
    Files.write(text, TextFormat.printer().printToString(dataset).getBytes(StandardCharsets.UTF_8));
    Path chinese = dir.resolve("六合区.binpb");
    Files.write(chinese, dataset.toByteArray());
    try (Engine sample = Engine.sample();
        Engine b = Engine.load(binary);
        Engine t = Engine.load(text);
        Engine tt = Engine.load(text, DatasetFormat.TEXT);
        Engine c = Engine.load(chinese)) {
      EngineInfo expected = sample.info();
      assertEquals(expected, b.info());
      assertEquals(expected, t.info());
      assertEquals(expected, tt.info());
      assertEquals(expected, c.info());
    }
  }

  @Test
  void sampleDatasetValidatesWithoutErrors() throws Exception {
    ValidationReport report = Jiceng.validate(Jiceng.sampleDatasetBytes(), DatasetFormat.AUTO);
    assertEquals(0, report.getErrorCount(), report.toString());
  }

  @Test
  void versionsAgree() {
    String[] parts = Jiceng.version().split("\\.");
    assertEquals(3, parts.length, Jiceng.version());
    int number =
        Integer.parseInt(parts[0]) * 10000
            + Integer.parseInt(parts[1]) * 100
            + Integer.parseInt(parts[2]);
    assertEquals(number, Jiceng.versionNumber());
    assertEquals(CApi.ABI_VERSION, Jiceng.abiVersion());
    // On the class path the jar's manifest gives its version (built with the library). Asked
    // of cn.jiceng.v1: cn.jiceng is split with the tests' jar, which may define it first.
    Package messages = EngineInfo.class.getPackage();
    assertEquals(Jiceng.version(), messages.getImplementationVersion());
    assertEquals("jiceng", messages.getImplementationTitle());
  }

  @Test
  void statusNamesMatchTheLibrary() {
    for (Status s : Status.values()) {
      if (s == Status.UNRECOGNIZED) continue;
      assertEquals(s.name(), Jiceng.statusName(s.code()));
      assertEquals(s, Status.forCode(s.code()));
      if (s != Status.OK) assertEquals(s.name(), new JicengException(s.code(), "m").codeName());
    }
    assertEquals(Status.BUFFER_TOO_SMALL, Status.forCode(100));
    assertEquals("BUFFER_TOO_SMALL", Jiceng.statusName(100));
    assertEquals(Status.UNRECOGNIZED, Status.forCode(101));
    assertEquals("UNKNOWN_STATUS", Jiceng.statusName(99));
    JicengException future = new JicengException(99, "newer");
    assertEquals(Status.UNRECOGNIZED, future.status());
    assertEquals(Jiceng.statusName(99), future.codeName());
    assertEquals(99, future.code());
    assertThrows(IllegalArgumentException.class, () -> new JicengException(0, "ok"));
  }
}
