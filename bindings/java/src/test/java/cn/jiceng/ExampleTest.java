// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.jiceng.example.RoutingService;
import cn.jiceng.v1.BatchEntry;
import cn.jiceng.v1.Case;
import cn.jiceng.v1.RoutingDecision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The integrator's example does what its documentation says. */
class ExampleTest {
  @Test
  void routesTheSampleCasesAndRejectsTheMalformedOnes() throws Exception {
    List<Case> cases = Samples.cases();
    List<Samples.Expected> expected = Samples.expected(false);
    try (RoutingService service = RoutingService.sample()) {
      assertFalse(service.datasetVersion().isEmpty());
      for (int i = 0; i < cases.size(); i++) {
        Case c = cases.get(i);
        BatchEntry want = expected.get(i).entry;
        if (want.hasError()) {
          RoutingService.CaseRejectedException e =
              assertThrows(RoutingService.CaseRejectedException.class, () -> service.route(c));
          assertEquals(want.getError().getCode(), e.status().code());
          assertTrue(e.getMessage().startsWith("case " + c.getId() + ": "), e.getMessage());
        } else {
          RoutingDecision d = service.route(c);
          assertEquals(want.getDecision(), d);
        }
      }
      List<BatchEntry> all = service.routeAll(cases);
      assertEquals(cases.size(), all.size());
    }
  }

  @Test
  void loadsADatasetFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("dataset.binpb");
    Files.write(file, Jiceng.sampleDatasetBytes());
    try (RoutingService fromFile = new RoutingService(file);
        RoutingService sample = RoutingService.sample()) {
      assertEquals(sample.datasetVersion(), fromFile.datasetVersion());
    }
  }
}
