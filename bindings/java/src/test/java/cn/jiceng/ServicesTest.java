// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.jiceng.v1.AdmissionDecision;
import cn.jiceng.v1.AdmissionRequest;
import cn.jiceng.v1.AdmissionVerdict;
import cn.jiceng.v1.Case;
import cn.jiceng.v1.CaseDiff;
import cn.jiceng.v1.CatalogueAnalysis;
import cn.jiceng.v1.Dataset;
import cn.jiceng.v1.DiffReport;
import cn.jiceng.v1.Reason;
import cn.jiceng.v1.ServiceDecision;
import cn.jiceng.v1.ServiceRequest;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Service routing, admission review, catalogue analysis and what-if diffs. */
class ServicesTest {
  private static Engine engine;

  @BeforeAll
  static void load() throws Exception {
    engine = Engine.sample();
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  private static ServiceRequest.Builder serviceRequest() {
    return ServiceRequest.newBuilder()
        .setId("S-1")
        .setItemCode("RS-GG-001")
        .setApplicantRegionCode(320116001001L)
        .setRequestedAt(1790647200L); // Tuesday 2026-09-29 10:00 in Nanjing
  }

  @Test
  void serviceRequestsGetAWindowAndDeadlines() throws Exception {
    ServiceDecision d = engine.routeService(serviceRequest().build());
    assertEquals("S-1", d.getRequestId());
    assertFalse(d.getAccepting().getCode().isEmpty(), d.toString());
    assertFalse(d.getApproving().getCode().isEmpty(), d.toString());
    assertTrue(d.getAcceptedHere(), d.toString());
    assertFalse(d.getTraceList().isEmpty(), d.toString());
    assertEquals(d, engine.routeService(serviceRequest().build()));
  }

  @Test
  void anUnknownServiceItemIsInvalidArgument() {
    JicengException e =
        assertThrows(
            JicengException.class,
            () -> engine.routeService(serviceRequest().setItemCode("NO-SUCH-ITEM").build()));
    assertEquals(Status.INVALID_ARGUMENT, e.status());
    assertTrue(e.getMessage().contains("item_code"), e.getMessage());
  }

  @Test
  void admissionReviewGivesAVerdictWithReasons() throws Exception {
    AdmissionRequest request =
        AdmissionRequest.newBuilder()
            .setProposalId("P-1")
            .setTitle("a duty moved down")
            .setToRegionCode("320116001000")
            .setItemCode("RS-GG-001")
            .build();
    AdmissionDecision d = engine.reviewAdmission(request);
    assertEquals("P-1", d.getProposalId());
    assertNotEquals(AdmissionVerdict.ADMISSION_VERDICT_UNSPECIFIED, d.getVerdict());
    assertFalse(d.getReasonsList().isEmpty(), d.toString());
  }

  @Test
  void admissionToACountyIsInvalidArgument() {
    AdmissionRequest request =
        AdmissionRequest.newBuilder().setTitle("x").setToRegionCode("320116000000").build();
    JicengException e = assertThrows(JicengException.class, () -> engine.reviewAdmission(request));
    assertEquals(Status.INVALID_ARGUMENT, e.status());
    assertTrue(e.getMessage().contains("to_region_code"), e.getMessage());
  }

  @Test
  void analysisIsMadeForADate() throws Exception {
    CatalogueAnalysis a = engine.analyze();
    assertTrue(a.getAsOfDate().matches("\\d{4}-\\d{2}-\\d{2}"), a.getAsOfDate());
    assertEquals(a, engine.analyze());
  }

  @Test
  void diffAgainstItselfChangesNothing() throws Exception {
    List<Case> cases = Samples.cases();
    DiffReport r = Engine.diff(engine, engine, cases);
    assertEquals(cases.size(), r.getCases());
    assertEquals(0, r.getChangedCases());
    assertTrue(r.getDiffsList().isEmpty());
  }

  @Test
  void diffOfAStreamListsTheCasesItCannotRead() throws Exception {
    List<Case> cases = Samples.cases();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Case c : cases) c.writeDelimitedTo(out);
    byte[] stream = out.toByteArray();
    // The same report as from the list.
    assertEquals(Engine.diff(engine, engine, cases), Engine.diff(engine, engine, stream));
    // Cut short: the cases before the cut are diffed, the cut one is listed.
    DiffReport cut = Engine.diff(engine, engine, Arrays.copyOf(stream, stream.length - 3));
    assertEquals(cases.size() - 1, cut.getCases());
    assertEquals(1, cut.getUnreadCount());
    assertEquals(cases.size() - 1, cut.getUnread(0).getIndex());
    assertEquals(Status.INVALID_ARGUMENT.code(), cut.getUnread(0).getError().getCode());
    assertTrue(
        cut.getUnread(0).getError().getMessage().startsWith("frame " + (cases.size() - 1)),
        cut.toString());
    // A frame that is not a case (field 1 declares 5 bytes, 2 follow), between good ones.
    ByteArrayOutputStream mixed = new ByteArrayOutputStream();
    cases.get(0).writeDelimitedTo(mixed);
    mixed.write(new byte[] {4, 0x0a, 5, 'a', 'b'});
    cases.get(1).writeDelimitedTo(mixed);
    DiffReport r = Engine.diff(engine, engine, mixed.toByteArray());
    assertEquals(2, r.getCases());
    assertEquals(1, r.getUnreadCount());
    assertEquals(1, r.getUnread(0).getIndex());
    assertTrue(r.getUnread(0).getError().getMessage().startsWith("case 1: "), r.toString());
  }

  @Test
  void diffFindsTheCasesAPolicyChangeMoves() throws Exception {
    Dataset sample = Jiceng.sampleDataset();
    Dataset everyCaseMajor =
        sample.toBuilder()
            .setRoutingPolicy(sample.getRoutingPolicy().toBuilder().setMajorUrgency(1))
            .build();
    List<Case> cases = Samples.cases();
    try (Engine after = Engine.load(everyCaseMajor)) {
      DiffReport r = Engine.diff(engine, after, cases);
      assertEquals(cases.size(), r.getCases());
      assertTrue(r.getChangedCases() > 0, r.toString());
      assertEquals(r.getChangedCases(), r.getDiffsCount());
      assertTrue(r.getDiffs(0).getChangedList().contains("tier"), r.getDiffs(0).toString());
      for (CaseDiff d : r.getDiffsList()) {
        // Its place in the workload; one of decision and error per side.
        assertEquals(cases.get((int) d.getIndex()).getId(), d.getCaseId());
        assertTrue(d.hasBefore() != d.hasBeforeError(), d.toString());
        assertTrue(d.hasAfter() != d.hasAfterError(), d.toString());
        // Why: the tier step differs where the tier does.
        if (d.hasBefore() && d.hasAfter() && d.getChangedList().contains("tier")) {
          assertTrue(d.getChangedStepsList().stream().anyMatch(s
                         -> s.getReason() == Reason.REASON_TIER
                             && !s.getBefore().getRef().equals(s.getAfter().getRef())),
              d.toString());
        }
      }
    }
  }
}
