# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""Routing through the binding gives byte for byte what the C++ API gives.

The expected data are written with the C++ API (Router::Decide, one
BatchEntry per sample case) by tests/c_api_expected_main.cc."""

import copy
import pickle

import pytest

import jiceng
from jiceng import _stream, errors
from jiceng.v1 import (admission_pb2, analysis_pb2, catalogue_pb2,
                       hierarchy_pb2, routing_pb2)

from conftest import expected_decisions


@pytest.mark.parametrize("explain,name", [(False, "expected.binpb"),
                                          (True, "expected_explain.binpb")])
def test_route_is_byte_identical_to_the_cpp_api(engine, case_frames,
                                                expected_dir, explain, name):
    expected = expected_decisions(expected_dir, name)
    assert len(expected) == len(case_frames) > 100
    failed = 0
    for i, (case, want) in enumerate(zip(case_frames, expected)):
        if isinstance(want, bytes):  # the C++ API decided
            assert engine.route_bytes(case, explain_text=explain) == want, i
        else:                        # it refused: so must the binding
            failed += 1
            with pytest.raises(jiceng.JicengError) as info:
                engine.route_bytes(case, explain_text=explain)
            assert (info.value.code, info.value.message) == \
                (want.code, want.message)
    assert failed == 2  # the sample's two malformed cases


def test_route_parses_the_same_decision_from_a_message(engine, cases,
                                                       expected_dir):
    expected = expected_decisions(expected_dir, "expected.binpb")
    for case, want in zip(cases, expected):
        if isinstance(want, bytes):
            d = engine.route(case)
            assert isinstance(d, routing_pb2.RoutingDecision)
            assert d == routing_pb2.RoutingDecision.FromString(want)
            assert d.case_id == case.id


def test_handlers_carry_typed_roles(engine, cases):
    kinds = set()
    departments = 0
    for case in cases:
        try:
            d = engine.route(case)
        except jiceng.JicengError:
            continue  # the sample's malformed cases
        if not d.HasField("lead"):
            continue
        role = d.lead.role
        assert d.lead.HasField("role"), d.case_id
        kinds.add(role.kind)
        if role.kind in (catalogue_pb2.ROLE_KIND_COUNTY_DEPARTMENT,
                         catalogue_pb2.ROLE_KIND_DISPATCHED_UNIT):
            assert role.department_type, d.case_id
            departments += 1
        elif role.kind == catalogue_pb2.ROLE_KIND_NAMED_UNIT:
            assert role.unit_code == d.lead.code, d.case_id
        else:
            assert not role.department_type, d.case_id
    assert catalogue_pb2.ROLE_KIND_TOWNSHIP_COMMAND_ROOM in kinds
    assert len(kinds) >= 4 and departments > 0


def test_explain_text_adds_text_to_the_trace(engine, cases):
    plain = engine.route(cases[0])
    explained = engine.route(cases[0], explain_text=True)
    assert plain.trace and all(not s.text for s in plain.trace)
    assert any(s.text for s in explained.trace)


def test_route_errors_name_the_field(engine, cases):
    bad = routing_pb2.Case()
    bad.CopyFrom(cases[0])
    bad.matter_code = "99999"
    with pytest.raises(jiceng.InvalidArgumentError) as info:
        engine.route(bad)
    assert info.value.code == errors.INVALID_ARGUMENT
    assert "matter_code" in info.value.message and "99999" in info.value.message
    bad.CopyFrom(cases[0])
    bad.urgency = 9
    with pytest.raises(jiceng.InvalidArgumentError, match="urgency"):
        engine.route(bad)
    with pytest.raises(jiceng.InvalidArgumentError):
        engine.route(b"\xff\xff\xff\xff")
    with pytest.raises(TypeError, match="jiceng.v1.Case"):
        engine.route(routing_pb2.ServiceRequest())
    with pytest.raises(TypeError):
        engine.route("not a case")


def test_route_many_stream_is_byte_identical_to_route_batch(
        engine, case_frames, cases, expected_dir):
    want = (expected_dir / "expected.binpb").read_bytes()
    for threads in (0, 1, 2, 8):
        assert engine.route_many(case_frames, threads=threads).stream == want
    assert engine.route_many(cases).stream == want
    assert engine.route_many(iter(cases)).stream == want
    assert engine.route_stream(jiceng.encode_stream(cases)).stream == want
    assert engine.route_stream(
        bytearray(_stream.encode(case_frames))).stream == want


def test_batch_entries_decisions_and_errors(engine, cases, expected_dir):
    batch = engine.route_many(cases)
    expected = expected_decisions(expected_dir, "expected.binpb")
    assert len(batch) == len(cases)
    assert batch[0] == routing_pb2.BatchEntry.FromString(batch.entry_bytes(0))
    assert batch[-1].index == len(cases) - 1
    assert [e.index for e in batch[:3]] == [0, 1, 2]
    results = list(batch.results())
    for i, (r, want) in enumerate(zip(results, expected)):
        if isinstance(want, bytes):
            assert r == routing_pb2.RoutingDecision.FromString(want)
        else:
            assert isinstance(r, jiceng.InvalidArgumentError)
            assert r.index == i and r.case_id == cases[i].id
    errs = batch.errors()
    assert [e.index for e in errs] == [
        i for i, w in enumerate(expected) if not isinstance(w, bytes)]
    with pytest.raises(jiceng.InvalidArgumentError) as info:
        list(batch.decisions())
    assert info.value.index == errs[0].index
    ok = [c for c, w in zip(cases, expected) if isinstance(w, bytes)]
    assert len(list(engine.route_many(ok).decisions())) == len(ok)


def test_a_batch_error_names_its_case_once(engine, cases):
    # A frame that is not a case: the library's message begins "case 1: ".
    batch = engine.route_many([cases[0], b"\xff\xff", cases[0]],
                              first_index=7)
    error = batch.errors()[0]
    assert (error.index, error.case_id) == (8, "")
    assert error.message.startswith("case 8: jiceng.v1.Case")
    text = str(error)
    assert text.startswith("case 8: INVALID_ARGUMENT: jiceng.v1.Case"), text
    assert text.count("case 8") == 1, text
    # A case routing rejects: the binding names it (with its id).
    bad = routing_pb2.Case()
    bad.CopyFrom(cases[0])
    bad.id = "c-bad"
    bad.matter_code = "99999"
    error = engine.route_many([bad]).errors()[0]
    assert not error.message.startswith("case ")
    assert str(error) == f"case 0 (c-bad): INVALID_ARGUMENT: {error.message}"


def test_a_batch_pickles_and_copies_as_its_stream(engine, cases):
    batch = engine.route_many(cases)
    want = batch.stream
    for other in (pickle.loads(pickle.dumps(batch)),
                  pickle.loads(pickle.dumps(batch, protocol=0)),
                  copy.copy(batch), copy.deepcopy(batch)):
        assert isinstance(other, jiceng.Batch)
        assert other == batch and other.stream == want
        assert len(other) == len(batch)
        assert list(other) == list(batch)
    assert engine.route_many(cases[:1]) != batch
    assert batch != want  # a Batch equals Batches only


def test_route_many_edge_cases(engine, case_frames):
    assert len(engine.route_many([])) == 0
    cut = _stream.encode(case_frames[:2])[:-3]
    batch = engine.route_stream(cut)
    assert len(batch) == 2 and batch[1].HasField("error")
    with pytest.raises(TypeError, match="route_stream"):
        engine.route_many(_stream.encode(case_frames))
    with pytest.raises(ValueError):
        engine.route_many(case_frames, threads=-1)


def test_a_stream_routed_in_parts_gives_one_calls_bytes(engine, case_frames):
    stream = _stream.encode(case_frames)
    whole = engine.route_stream(stream, threads=1).stream
    spans = _stream.spans(stream)
    for cut in (1, 100, len(case_frames) - 1):
        at = spans[cut][0] - len(_stream.varint(spans[cut][1] - spans[cut][0]))
        head = engine.route_stream(stream[:at], threads=2)
        tail = engine.route_stream(stream[at:], threads=2, first_index=cut,
                                   first_byte=at)
        assert head.stream + tail.stream == whole, cut
        assert tail[0].index == cut
    # route_many numbers from first_index too.
    assert [e.index for e in engine.route_many(case_frames[:3],
                                               first_index=40)] == [40, 41, 42]
    # A broken tail is named at its offset in the whole stream.
    cut_stream = stream[:-3]
    whole_cut = engine.route_stream(cut_stream).stream
    at = spans[200][0] - len(_stream.varint(spans[200][1] - spans[200][0]))
    parts = (engine.route_stream(cut_stream[:at]).stream +
             engine.route_stream(cut_stream[at:], first_index=200,
                                 first_byte=at).stream)
    assert parts == whole_cut


def test_route_many_explain_text(engine, case_frames, expected_dir):
    explained = expected_decisions(expected_dir, "expected_explain.binpb")
    batch = engine.route_many(case_frames, explain_text=True)
    for entry, want in zip(batch, explained):
        if isinstance(want, bytes):
            assert entry.decision == routing_pb2.RoutingDecision.FromString(want)
    assert len(batch.stream) > len(engine.route_many(case_frames).stream)


def test_batch_options_are_checked(engine, case_frames, cases):
    for name in ("threads", "first_index", "first_byte"):
        with pytest.raises(ValueError, match=name):
            engine.route_stream(b"", **{name: -1})
        with pytest.raises(ValueError, match=name):
            engine.route_stream(b"", **{name: 1 << 63})
        with pytest.raises(TypeError, match=name):
            engine.route_stream(b"", **{name: 1.5})
        with pytest.raises(TypeError, match=name):
            engine.route_stream(b"", **{name: True})
    # Far above 64 threads: clamped, not wrapped to 32 bits.
    want = engine.route_many(case_frames[:5], threads=1).stream
    assert engine.route_many(case_frames[:5], threads=2**32).stream == want
    assert engine.route_many(case_frames[:5], threads=2**32 + 2).stream == want
    # A message that is not a case is refused, not read as one.
    for call in (lambda: engine.route_many([cases[0],
                                            routing_pb2.ServiceRequest()]),
                 lambda: engine.diff(engine, [routing_pb2.RoutingDecision()]),
                 lambda: jiceng.encode_stream([routing_pb2.ServiceRequest()])):
        with pytest.raises(TypeError, match="jiceng.v1.Case"):
            call()


def test_diff_of_an_engine_with_itself_changes_nothing(engine, cases,
                                                       case_frames):
    report = engine.diff(engine, cases)
    assert isinstance(report, routing_pb2.DiffReport)
    assert report.cases == len(cases) and report.changed_cases == 0
    assert engine.diff(engine, _stream.encode(case_frames)) == report
    with pytest.raises(TypeError):
        engine.diff("not an engine", cases)
    # A stream cut short: the cases before the cut are diffed, and the cut
    # frame is listed in `unread` with its index and error.
    cut = engine.diff(engine, _stream.encode(case_frames)[:-3])
    assert cut.cases == len(cases) - 1
    assert [u.index for u in cut.unread] == [len(cases) - 1]
    assert cut.unread[0].error.code == jiceng.errors.INVALID_ARGUMENT
    assert cut.unread[0].error.message.startswith(
        f"frame {len(cases) - 1} at byte ")
    # A frame that is not a case between good ones: listed, the rest
    # diffed.
    mixed = engine.diff(engine, _stream.encode(
        [case_frames[0], b"\x0a\x05ab", case_frames[1]]))
    assert mixed.cases == 2
    assert [u.index for u in mixed.unread] == [1]
    assert mixed.unread[0].error.message.startswith("case 1: ")


def test_diff_finds_the_cases_a_changed_rule_moves(engine, cases):
    dataset = jiceng.sample_dataset()
    # Drop the first rule: the cases it decided fall to another rule or to
    # the backstop.
    first = dataset.catalogue.rules[0].id
    del dataset.catalogue.rules[0]
    with jiceng.Engine.load(dataset) as after:
        report = engine.diff(after, cases)
    assert report.changed_cases == len(report.diffs) > 0
    assert any(d.before.rule_id == first for d in report.diffs)
    ids = {c.id for c in cases}
    assert all(d.case_id in ids and d.changed for d in report.diffs)
    for d in report.diffs:
        # Its place in the workload; one of decision and error per side.
        assert cases[d.index].id == d.case_id
        assert d.HasField("before") != d.HasField("before_error")
        assert d.HasField("after") != d.HasField("after_error")
        # Why: a case the first rule decided no longer finds it.
        if d.before.rule_id == first and d.HasField("after"):
            assert any(s.reason == routing_pb2.REASON_RULE_MATCHED
                       and s.before.ref == first
                       for s in d.changed_steps), d.changed_steps


def _village_code(dataset):
    for r in dataset.regions:
        if r.level == hierarchy_pb2.REGION_LEVEL_VILLAGE:
            return int(r.code)
    raise AssertionError("the sample has no village")


def test_route_service(engine):
    dataset = jiceng.sample_dataset()
    item = next(i for i in dataset.catalogue.items if i.HasField("service"))
    request = routing_pb2.ServiceRequest(
        id="S-1", item_code=item.code,
        applicant_region_code=_village_code(dataset),
        requested_at=1790000000)
    d = engine.route_service(request)
    assert isinstance(d, routing_pb2.ServiceDecision)
    assert d.request_id == "S-1" and d.accepting.code and d.approving.code
    assert engine.route_service(request.SerializeToString()) == d
    request.item_code = "NO-SUCH-ITEM"
    with pytest.raises(jiceng.InvalidArgumentError, match="NO-SUCH-ITEM"):
        engine.route_service(request)


def test_review_admission_rejects_an_abolished_duty(engine):
    dataset = jiceng.sample_dataset()
    abolished = dataset.catalogue.abolished_duties[0]
    village = str(_village_code(dataset))
    request = admission_pb2.AdmissionRequest(
        proposal_id="P-1", title=abolished.name, to_region_code=village,
        funding_attached=True, staff_attached=True)
    d = engine.review_admission(request)
    assert d.proposal_id == "P-1"
    assert d.verdict == admission_pb2.ADMISSION_VERDICT_REJECT
    assert any(r.code == "admission.abolished" and
               r.reference == abolished.code for r in d.reasons)
    request.date = "2026-13-45"
    with pytest.raises(jiceng.InvalidArgumentError, match="date"):
        engine.review_admission(request)


def test_analyze(engine):
    analysis = engine.analyze()
    assert isinstance(analysis, analysis_pb2.CatalogueAnalysis)
    assert analysis.as_of_date
    assert analysis == engine.analyze()


def test_closed_engine_refuses_every_call(cases):
    e = jiceng.Engine.sample()
    e.close()
    for call in (lambda: e.route(cases[0]), lambda: e.route_many(cases),
                 e.analyze, lambda: e.diff(e, cases)):
        with pytest.raises(jiceng.FailedPreconditionError):
            call()


def test_route_grows_a_small_buffer_on_buffer_too_small(engine, case_frames,
                                                        expected_dir):
    # The *_into calls answer BUFFER_TOO_SMALL (100) with the size needed;
    # the binding grows this thread's buffer and calls again.
    import ctypes
    from jiceng import engine as engine_module
    expected = expected_decisions(expected_dir, "expected_explain.binpb")
    [scratch] = engine_module._scratch.idle  # this thread's, between calls
    scratch.capacity = 8
    scratch.buffer = ctypes.create_string_buffer(8)
    i = next(k for k, want in enumerate(expected) if isinstance(want, bytes))
    assert len(expected[i]) > 8
    assert engine.route_bytes(case_frames[i], explain_text=True) == expected[i]
    assert engine_module._scratch.idle == [scratch]
    assert scratch.capacity >= len(expected[i])


def test_buffer_too_small_is_its_own_error():
    assert errors.BUFFER_TOO_SMALL == 100
    assert jiceng.status_name(100) == "BUFFER_TOO_SMALL"
    e = errors.error_for(100, "buffer of 8 bytes is too small")
    assert isinstance(e, jiceng.BufferTooSmallError)
    assert not isinstance(e, jiceng.OutOfRangeError)
