// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.jiceng.v1.EngineInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Engine snapshots: saved, loaded from bytes and from a file, every sample case routed byte for
 * byte as the C++ API routes it; damaged snapshots refused with the documented status codes.
 */
class SnapshotTest {
  @Test
  void loadedEngineRoutesEverySampleCaseAsCpp(@TempDir Path dir) throws Exception {
    List<byte[]> cases = Samples.caseBytes();
    List<Samples.Expected> expected = Samples.expected(false);
    try (Engine sample = Engine.sample()) {
      byte[] snapshot = sample.saveSnapshot();
      assertEquals("JICENGSN", new String(snapshot, 0, 8, StandardCharsets.US_ASCII));
      assertArrayEquals(snapshot, sample.saveSnapshot());
      Path file = dir.resolve("sample.jcsnap");
      Files.write(file, snapshot);
      for (Engine loaded : new Engine[] {Engine.loadSnapshot(snapshot), Engine.loadSnapshot(file)}) {
        try (loaded) {
          int routed = 0;
          for (int i = 0; i < cases.size(); i++) {
            if (!expected.get(i).entry.hasError()) {
              assertArrayEquals(expected.get(i).decision, loaded.route(cases.get(i), 0), "case " + i);
              routed++;
            }
          }
          assertTrue(routed > 10);
          EngineInfo a =
              loaded.info().toBuilder().clearMemoryBytes().clearRegionIndexBytes().build();
          EngineInfo b =
              sample.info().toBuilder().clearMemoryBytes().clearRegionIndexBytes().build();
          assertEquals(b, a);
          assertEquals(16, a.getDatasetFingerprint().length());
          assertArrayEquals(snapshot, loaded.saveSnapshot());
        }
      }
    }
  }

  @Test
  void damagedSnapshotsAreRefused(@TempDir Path dir) throws Exception {
    byte[] snapshot;
    try (Engine sample = Engine.sample()) {
      snapshot = sample.saveSnapshot();
    }
    byte[] damaged = snapshot.clone();
    damaged[damaged.length - 7] ^= 0x20;
    JicengException x = assertThrows(JicengException.class, () -> Engine.loadSnapshot(damaged));
    assertEquals(Status.DATA_LOSS.code(), x.code());
    assertTrue(x.getMessage().contains("checksum mismatch"), x.getMessage());
    byte[] cut = Arrays.copyOf(snapshot, snapshot.length / 2);
    x = assertThrows(JicengException.class, () -> Engine.loadSnapshot(cut));
    assertEquals(Status.DATA_LOSS.code(), x.code());
    x = assertThrows(
        JicengException.class,
        () -> Engine.loadSnapshot("not a snapshot".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(Status.INVALID_ARGUMENT.code(), x.code());
    assertTrue(x.getMessage().contains("not a jiceng snapshot"), x.getMessage());
    x =
        assertThrows(
            JicengException.class, () -> Engine.loadSnapshot(dir.resolve("missing.jcsnap")));
    assertEquals(Status.NOT_FOUND.code(), x.code());
  }

  @Test
  void snapshotGivenAsADatasetSaysSo(@TempDir Path dir) throws Exception {
    byte[] snapshot;
    try (Engine sample = Engine.sample()) {
      snapshot = sample.saveSnapshot();
    }
    Path file = dir.resolve("engine.binpb");
    Files.write(file, snapshot);
    List<JicengException> refusals =
        List.of(
            assertThrows(JicengException.class, () -> Engine.load(snapshot)),
            assertThrows(JicengException.class, () -> Engine.load(file)));
    for (JicengException x : refusals) {
      assertEquals(Status.INVALID_ARGUMENT.code(), x.code());
      assertTrue(x.getMessage().contains("compiled-engine snapshot"), x.getMessage());
      assertTrue(x.getMessage().contains("Engine.loadSnapshot"), x.getMessage());
    }
  }
}
