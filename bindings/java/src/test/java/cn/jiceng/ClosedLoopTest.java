// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.jiceng.v1.Action;
import cn.jiceng.v1.ActorRole;
import cn.jiceng.v1.ApplyRequest;
import cn.jiceng.v1.AssessRequest;
import cn.jiceng.v1.CaseRecord;
import cn.jiceng.v1.CaseState;
import cn.jiceng.v1.SignForAction;
import cn.jiceng.v1.SuperviseRequest;
import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The closed loop (apply, supervise, assess) through the Java binding gives byte for byte the
 * C++ API's responses to the requests tests/c_api_expected_main.cc writes: receive, register and
 * dispatch of every sample case, supervision three days on, the assessment of the sample
 * lifecycles.
 */
class ClosedLoopTest {
  private static Engine engine;

  @BeforeAll
  static void load() throws Exception {
    engine = Engine.sample();
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  /** One request of a stream, answered through the binding. */
  private interface Exchange {
    MessageLite answer(ByteString request) throws Exception;
  }

  /** Returns how many requests succeeded. */
  private static int assertMatchesCpp(String name, Exchange exchange) throws Exception {
    List<ByteString> requests = Samples.loopRequests(name);
    List<ByteString> expected = Samples.loopExpected(name);
    assertEquals(requests.size(), expected.size(), name);
    assertFalse(requests.isEmpty(), name);
    int ok = 0;
    for (int i = 0; i < requests.size(); i++) {
      int code = expected.get(i).byteAt(0);
      String what = name + " request " + i;
      ByteString request = requests.get(i);
      if (code == 0) {
        byte[] want = expected.get(i).substring(1).toByteArray();
        assertArrayEquals(want, exchange.answer(request).toByteArray(), what);
        ok++;
      } else {
        JicengException e =
            assertThrows(JicengException.class, () -> exchange.answer(request), what);
        assertEquals(code, e.code(), what + ": " + e.getMessage());
      }
    }
    return ok;
  }

  @Test
  void applyIsByteIdenticalToCpp() throws Exception {
    int ok = assertMatchesCpp("apply", r -> engine.apply(ApplyRequest.parseFrom(r)));
    assertTrue(ok > 0);
  }

  @Test
  void superviseIsByteIdenticalToCpp() throws Exception {
    int ok = assertMatchesCpp("supervise", r -> engine.supervise(SuperviseRequest.parseFrom(r)));
    assertTrue(ok > 0);
  }

  @Test
  void assessIsByteIdenticalToCpp() throws Exception {
    assertEquals(1, assertMatchesCpp("assess", r -> engine.assess(AssessRequest.parseFrom(r))));
  }

  @Test
  void theRecordsMoveThroughTheStates() throws Exception {
    ApplyRequest receive = ApplyRequest.parseFrom(Samples.loopRequests("apply").get(0));
    CaseRecord received = engine.apply(receive);
    assertEquals(CaseState.CASE_STATE_RECEIVED, received.getState());
    assertEquals(receive.getAction().getReceive().getCase(), received.getCase());
  }

  @Test
  void aRefusedActionIsFailedPrecondition() throws Exception {
    ApplyRequest signForNothing =
        ApplyRequest.newBuilder()
            .setRecord(CaseRecord.getDefaultInstance())
            .setAction(
                Action.newBuilder()
                    .setActor(
                        cn.jiceng.v1.Actor.newBuilder()
                            .setRole(ActorRole.ACTOR_ROLE_UNIT)
                            .setCode("LH-XZ-LHZF"))
                    .setSignFor(SignForAction.getDefaultInstance()))
            .setNow(1790647200L)
            .build();
    JicengException e = assertThrows(JicengException.class, () -> engine.apply(signForNothing));
    assertEquals(Status.FAILED_PRECONDITION, e.status(), e.getMessage());
  }
}
