# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""The closed loop through the binding: apply, supervise, assess."""

import pytest

import jiceng
from jiceng import _native
from jiceng.v1 import (assessment_pb2, lifecycle_pb2, organization_pb2,
                       routing_pb2)

from conftest import expected_exchange

HOUR = 3600


def township_command_room(dataset, location_code):
    """The command room of the township a location lies in."""
    regions = {r.code: r for r in dataset.regions}
    code = str(location_code)
    townships = {u.region_code: u.code for u in dataset.units
                 if u.centre_type ==
                 organization_pb2.CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM}
    while code and code not in townships:
        code = regions[code].parent_code
    return townships[code]


def act(role, code, **kind):
    return lifecycle_pb2.Action(actor=lifecycle_pb2.Actor(role=role, code=code),
                                **kind)


@pytest.fixture(scope="module")
def dispatched(engine, cases):
    """A sample case received, registered and dispatched."""
    case = cases[0]
    room = township_command_room(jiceng.sample_dataset(), case.location_code)
    centre = lifecycle_pb2.ACTOR_ROLE_CENTRE
    steps = [
        act(lifecycle_pb2.ACTOR_ROLE_GRID_WORKER, str(case.location_code),
            receive=lifecycle_pb2.ReceiveAction(case=case)),
        act(centre, room, register=lifecycle_pb2.RegisterAction()),
        act(centre, room, dispatch=lifecycle_pb2.DispatchAction()),
    ]
    record = lifecycle_pb2.CaseRecord()
    now = case.reported_at
    for action in steps:
        record = engine.apply(lifecycle_pb2.ApplyRequest(
            record=record, action=action, now=now))
        now += 10 * 60
    return record


def test_apply_moves_the_record_through_the_loop(engine, dispatched, cases):
    assert dispatched.state == lifecycle_pb2.CASE_STATE_DISPATCHED
    assert dispatched.case.id == cases[0].id
    assert dispatched.decision.lead.code
    assert [h.action for h in dispatched.history] == \
        ["receive", "register", "dispatch"]
    lead = dispatched.decision.lead
    role = (lifecycle_pb2.ACTOR_ROLE_GRID_WORKER
            if lead.kind == routing_pb2.HANDLER_KIND_GRID
            else lifecycle_pb2.ACTOR_ROLE_UNIT)
    request = lifecycle_pb2.ApplyRequest(
        record=dispatched,
        action=act(role, lead.code, sign_for=lifecycle_pb2.SignForAction()),
        now=dispatched.dispatched_at + HOUR)
    signed = engine.apply(request.SerializeToString())
    assert signed.state == lifecycle_pb2.CASE_STATE_SIGNED


def test_apply_refuses_an_action_out_of_turn(engine, dispatched):
    citizen = act(lifecycle_pb2.ACTOR_ROLE_CITIZEN, "someone",
                  close=lifecycle_pb2.CloseAction())
    with pytest.raises(jiceng.FailedPreconditionError) as info:
        engine.apply(lifecycle_pb2.ApplyRequest(
            record=dispatched, action=citizen,
            now=dispatched.dispatched_at + HOUR))
    assert info.value.code_name == "FAILED_PRECONDITION"
    with pytest.raises(jiceng.FailedPreconditionError):
        engine.apply(lifecycle_pb2.ApplyRequest(
            record=lifecycle_pb2.CaseRecord(),
            action=act(lifecycle_pb2.ACTOR_ROLE_UNIT, "x",
                       sign_for=lifecycle_pb2.SignForAction()),
            now=dispatched.dispatched_at))


def test_supervise_turns_red_when_the_sign_for_is_overdue(engine,
                                                          dispatched):
    fresh = engine.supervise(lifecycle_pb2.SuperviseRequest(
        record=dispatched, now=dispatched.dispatched_at + 60))
    assert fresh.case_id == dispatched.case.id
    assert all(w.level != lifecycle_pb2.WARNING_LEVEL_RED
               for w in fresh.warnings)
    late = engine.supervise(lifecycle_pb2.SuperviseRequest(
        record=dispatched, now=dispatched.dispatched_at + 30 * 24 * HOUR))
    assert any(w.level == lifecycle_pb2.WARNING_LEVEL_RED
               for w in late.warnings)


def test_assess_counts_the_records(engine, dispatched):
    report = engine.assess(assessment_pb2.AssessRequest(
        records=[dispatched], period_start=0,
        period_end=dispatched.received_at + 24 * HOUR))
    assert report.records == 1
    assert report.total.received == 1 and report.total.dispatched == 1
    assert report.regions
    bad = assessment_pb2.AssessRequest(records=[dispatched],
                                       period_start=10, period_end=5)
    with pytest.raises(jiceng.InvalidArgumentError):
        engine.assess(bad)


@pytest.mark.parametrize("name,response_type", [
    ("apply", lifecycle_pb2.CaseRecord),
    ("supervise", lifecycle_pb2.SupervisionReport),
    ("assess", assessment_pb2.AssessmentReport)])
def test_byte_identical_to_the_cpp_api(engine, expected_dir, name,
                                       response_type):
    """Every request c_api_expected made for the sample lifecycles gives
    the C++ API's status and bytes; the method parses the same message."""
    exchange = expected_exchange(expected_dir, name)
    assert exchange
    native = getattr(_native.lib(), f"jc_engine_{name}")
    method = getattr(engine, name)
    for request, status, response in exchange:
        if status == 0:
            assert engine._call(native, request, len(request)) == response
            assert method(request) == response_type.FromString(response)
        else:
            with pytest.raises(jiceng.JicengError) as info:
                method(request)
            assert info.value.code == status
