# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""Engine.start_assessment (jc_assessment_*): an assessment fed its
records a batch at a time gives Engine.assess's report byte for byte; its
errors, its lifetime and its engine's."""

import copy
import gc
import pickle
import statistics
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import jiceng
from jiceng import _native, _stream
from jiceng import engine as engine_module
from jiceng.v1 import assessment_pb2, hierarchy_pb2, routing_pb2

from conftest import SOURCE_ROOT, expected_exchange

CASE_RECORD = "jiceng.v1.CaseRecord"


@pytest.fixture(scope="module")
def records(expected_dir):
    """The records of the sample lifecycles (c_api_expected's assess
    requests), the largest request's."""
    requests = [assessment_pb2.AssessRequest.FromString(q)
                for q, status, _ in expected_exchange(expected_dir, "assess")
                if status == 0]
    largest = max(requests, key=lambda r: len(r.records))
    assert len(largest.records) >= 100
    return list(largest.records)


def settings_variants(records):
    received = sorted(r.received_at for r in records)
    middle = statistics.median_low(received)
    return [
        assessment_pb2.AssessRequest(),
        assessment_pb2.AssessRequest(
            period_start=received[0], period_end=middle + 1,
            as_of=received[-1] + 7 * 24 * 3600,
            deepest_region_level=hierarchy_pb2.REGION_LEVEL_VILLAGE,
            overdue_units_limit=3),
    ]


def assess_bytes(engine, settings, records):
    """The library's bytes of Engine.assess for `settings` with `records`."""
    request = assessment_pb2.AssessRequest()
    request.CopyFrom(settings)
    request.records.extend(records)
    data = request.SerializeToString()
    return engine._call(_native.lib().jc_engine_assess, data, len(data))


def record_stream(records):
    return _stream.encode(records, CASE_RECORD)


def with_bad_score(records, k):
    bad = copy.deepcopy(records)
    bad[k].ratings[0].score = 140
    return bad


def first_rated(records, at_least):
    return next(i for i, r in enumerate(records)
                if r.ratings and i >= at_least)


# -- the report -------------------------------------------------------------

@pytest.mark.parametrize("variant", [0, 1])
@pytest.mark.parametrize("sizes", [[], [1], [7, 50, 1, 13], [100, 100]])
def test_chunks_of_messages_give_assess_bytes(engine, records, variant,
                                              sizes):
    settings = settings_variants(records)[variant]
    want = assess_bytes(engine, settings, records)
    with engine.start_assessment(settings) as a:
        at = 0
        for n in sizes:
            a.add(records[at:at + n])
            at += n
        a.add(records[at:])  # the rest
        got = a._finish_bytes()
    assert got == want
    report = assessment_pb2.AssessmentReport.FromString(got)
    assert report.records > 0
    assert report == engine.assess(assessment_pb2.AssessRequest(
        records=records, period_start=settings.period_start,
        period_end=settings.period_end, as_of=settings.as_of,
        deepest_region_level=settings.deepest_region_level,
        overdue_units_limit=settings.overdue_units_limit))


def test_streams_and_serialized_records_give_the_same_report(engine,
                                                             records):
    settings = settings_variants(records)[1]
    want = engine.assess(assessment_pb2.AssessRequest(
        records=records, period_start=settings.period_start,
        period_end=settings.period_end, as_of=settings.as_of,
        deepest_region_level=settings.deepest_region_level,
        overdue_units_limit=settings.overdue_units_limit))
    with engine.start_assessment(settings.SerializeToString()) as a:
        a.add(record_stream(records[:40]))                    # bytes
        a.add(bytearray(record_stream(records[40:41])))       # one frame
        a.add(memoryview(record_stream(records[41:90])))
        a.add(b"")                                            # nothing
        a.add([r.SerializeToString() for r in records[90:120]])
        a.add(records[120])                                   # one message
        a.add(r for r in records[121:])                       # a generator
        report = a.finish()
    assert isinstance(report, assessment_pb2.AssessmentReport)
    assert report == want
    assert report.SerializeToString(deterministic=True) == \
        want.SerializeToString(deterministic=True)
    assert report.records == want.records > 0


def test_an_iterable_is_handed_over_in_chunks(engine, records, monkeypatch):
    lib = _native.lib()
    native_add = lib.jc_assessment_add
    sizes = []

    def counting_add(handle, data, size, err):
        sizes.append(size)
        return native_add(handle, data, size, err)

    monkeypatch.setattr(lib, "jc_assessment_add", counting_add)
    want = assess_bytes(engine, assessment_pb2.AssessRequest(), records)
    total = len(record_stream(records))

    # All of them (some hundred KB) in one call by default.
    with engine.start_assessment() as a:
        a.add(records)
        assert a._finish_bytes() == want
    assert sizes == [total]

    # In chunks of at least the chunk size, the last excepted.
    sizes.clear()
    monkeypatch.setattr(engine_module, "_ASSESSMENT_CHUNK_BYTES", 20_000)
    with engine.start_assessment() as a:
        a.add(iter(records))
        assert a._finish_bytes() == want
    assert sum(sizes) == total
    assert total // 20_000 <= len(sizes) <= total // 20_000 + 1
    assert len(sizes) < len(records)
    assert all(s >= 20_000 for s in sizes[:-1])
    assert all(s < 20_000 + 10_000 for s in sizes)

    # A stream goes as it is, in one call.
    sizes.clear()
    with engine.start_assessment() as a:
        a.add(record_stream(records))
        assert a._finish_bytes() == want
    assert sizes == [total]


def test_an_empty_assessment(engine, records):
    for settings in settings_variants(records):
        with engine.start_assessment(settings) as a:
            got = a._finish_bytes()
        assert got == assess_bytes(engine, settings, [])
        assert assessment_pb2.AssessmentReport.FromString(got).records == 0
    with engine.start_assessment() as a:
        a.add([])
        a.add(b"")
        report = a.finish()
    assert report == engine.assess(assessment_pb2.AssessRequest())
    assert report.records == 0


def test_different_assessments_run_on_different_threads(engine, records):
    want = assess_bytes(engine, assessment_pb2.AssessRequest(), records)

    def run(t):
        with engine.start_assessment() as a:
            step = 5 + t
            for at in range(0, len(records), step):
                a.add(records[at:at + step])
            return a._finish_bytes()

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(run, range(8))) == [want] * 8
    assert engine._calls == []


# -- errors -----------------------------------------------------------------

def test_bad_settings_raise_invalid_argument(engine, records):
    calls = len(engine._calls)
    with pytest.raises(jiceng.InvalidArgumentError) as info:
        engine.start_assessment(
            assessment_pb2.AssessRequest(records=records[:2]))
    assert info.value.code == jiceng.errors.INVALID_ARGUMENT
    assert "records: 2 given with the settings" in info.value.message
    assert "jc_assessment_add" in info.value.message
    for bad in (assessment_pb2.AssessRequest(period_start=-5),
                assessment_pb2.AssessRequest(period_start=10, period_end=5)):
        with pytest.raises(jiceng.InvalidArgumentError) as info:
            engine.start_assessment(bad)
        with pytest.raises(jiceng.InvalidArgumentError) as assess_info:
            engine.assess(bad)
        # The message engine.assess gives.
        assert info.value.message == assess_info.value.message
        assert info.value.message.startswith("period_")
    with pytest.raises(jiceng.InvalidArgumentError) as info:
        engine.start_assessment(b"\xff")
    assert "settings_data: jiceng.v1.AssessRequest" in info.value.message
    with pytest.raises(TypeError, match="settings: expected "
                       "jiceng.v1.AssessRequest, got jiceng.v1.CaseRecord"):
        engine.start_assessment(records[0])
    with pytest.raises(TypeError):
        engine.start_assessment(42)
    assert len(engine._calls) == calls  # nothing held


def test_a_bad_record_is_named_across_adds_and_fails_the_assessment(
        engine, records):
    k = first_rated(records, 100)
    bad = with_bad_score(records, k)
    with pytest.raises(jiceng.InvalidArgumentError) as assess_info:
        engine.assess(assessment_pb2.AssessRequest(records=bad))
    a = engine.start_assessment()
    a.add(bad[:60])
    a.add(record_stream(bad[60:k - 3]))
    with pytest.raises(jiceng.InvalidArgumentError) as info:
        a.add(bad[k - 3:])
    message = info.value.message
    assert message.startswith(
        f"records[{k}] (case {bad[k].case.id}) ratings[0].score: 140")
    assert message == assess_info.value.message
    # Failed: later adds, of any kind, and the first finish repeat it.
    for later in ([], b"", records[0], [records[0]], record_stream(records)):
        with pytest.raises(jiceng.InvalidArgumentError) as again:
            a.add(later)
        assert again.value.message == message
    with pytest.raises(jiceng.InvalidArgumentError) as again:
        a.finish()
    assert again.value.message == message
    # Spent by the finish.
    with pytest.raises(jiceng.FailedPreconditionError, match="finished"):
        a.finish()
    with pytest.raises(jiceng.FailedPreconditionError, match="finished"):
        a.add(records[:1])
    a.close()


def test_a_truncated_stream(engine, records):
    stream = record_stream(records[3:10])
    with engine.start_assessment() as a:
        a.add(records[:3])
        with pytest.raises(jiceng.InvalidArgumentError) as info:
            a.add(stream[:-5])
        message = info.value.message
        # The 7th frame of that call, the 10th record.
        assert message.startswith(
            "records[9]: in this call's records_stream, frame 6 at byte "
        ), message
        assert "remain" in message
        with pytest.raises(jiceng.InvalidArgumentError) as again:
            a.finish()
        assert again.value.message == message
    with engine.start_assessment() as a:
        with pytest.raises(jiceng.InvalidArgumentError) as info:
            a.add(record_stream(records[:2]) + b"\xff")
        assert info.value.message.startswith(
            "records[2]: in this call's records_stream, frame 2 at byte ")


def test_bytes_that_are_not_a_record(engine, records):
    with engine.start_assessment() as a:
        a.add(records[:5])
        with pytest.raises(jiceng.InvalidArgumentError) as info:
            a.add([b"\xff\xff"])
        assert info.value.message.startswith(
            "records[5]: jiceng.v1.CaseRecord (2 bytes) is truncated or "
            "corrupted")


def test_wrong_types_raise_type_error_after_the_items_before(engine,
                                                             records):
    with engine.start_assessment() as a:
        with pytest.raises(TypeError, match=r"records\[0\] of this add: "
                           "expected jiceng.v1.CaseRecord, got "
                           "jiceng.v1.Case"):
            a.add(routing_pb2.Case(id="c1"))
        with pytest.raises(TypeError, match="got int"):
            a.add(42)
        with pytest.raises(TypeError, match="got str"):
            a.add("records")
        with pytest.raises(TypeError, match=r"records\[2\] of this add: "
                           "expected a jiceng.v1.CaseRecord or its "
                           "serialized bytes, got float"):
            a.add([records[0], records[1].SerializeToString(), 1.5,
                   records[2]])

        def failing():
            yield records[2]
            raise KeyError("the store went away")

        with pytest.raises(KeyError):
            a.add(failing())
        # Still open, with the items before each failure.
        a.add(records[3:5])
        got = a._finish_bytes()
    assert got == assess_bytes(engine, assessment_pb2.AssessRequest(),
                               records[:5])


# -- lifetime ---------------------------------------------------------------

def test_finish_twice_raises_failed_precondition(engine, records):
    a = engine.start_assessment()
    a.add(records[:10])
    report = a.finish()
    assert report.records == engine.assess(
        assessment_pb2.AssessRequest(records=records[:10])).records
    assert "finished" in repr(a)
    assert not a._finalizer.alive  # released by the finish
    with pytest.raises(jiceng.FailedPreconditionError) as info:
        a.finish()
    assert info.value.message == \
        "the assessment is finished (finish was called)"
    with pytest.raises(jiceng.FailedPreconditionError):
        a.add(records[10:20])
    a.close()
    a.close()
    assert a.closed


def test_use_after_close(engine, records):
    calls = len(engine._calls)
    a = engine.start_assessment()
    assert len(engine._calls) == calls + 1  # it holds the engine
    a.add(records[:3])
    assert not a.closed
    a.close()
    a.close()  # idempotent
    assert a.closed and "closed" in repr(a)
    assert not a._finalizer.alive
    assert len(engine._calls) == calls
    for call in (lambda: a.add(records[3:6]), lambda: a.add(b""), a.finish):
        with pytest.raises(jiceng.FailedPreconditionError) as info:
            call()
        assert info.value.message == "the assessment is closed"


def test_the_with_statement_closes_it(engine, records):
    with engine.start_assessment() as a:
        assert isinstance(a, jiceng.Assessment)
        a.add(records[:3])
        assert a._finalizer.alive
    assert a.closed and not a._finalizer.alive
    with pytest.raises(jiceng.FailedPreconditionError):
        a.add(records[:1])
    with pytest.raises(ZeroDivisionError):
        with engine.start_assessment() as b:
            b.add(records[:3])
            1 / 0
    assert b.closed and not b._finalizer.alive
    assert engine._calls == []


def test_a_collected_assessment_is_released(records):
    engine = jiceng.Engine.sample()
    a = engine.start_assessment()
    a.add(records[:3])
    finalizer = a._finalizer
    del a
    gc.collect()
    assert not finalizer.alive
    assert engine._calls == []
    engine.close()
    assert not engine._finalizer.alive


def test_not_copyable_or_picklable(engine):
    with engine.start_assessment() as a:
        for attempt in (copy.copy, copy.deepcopy, pickle.dumps):
            with pytest.raises(TypeError):
                attempt(a)


def test_closing_the_engine_lets_open_assessments_finish(engine, records):
    want = assess_bytes(engine, assessment_pb2.AssessRequest(), records)
    own = jiceng.Engine.sample()
    a = own.start_assessment()
    b = own.start_assessment()
    a.add(records[:50])
    own.close()
    assert own.closed
    # New calls on the engine are refused ...
    with pytest.raises(jiceng.FailedPreconditionError,
                       match="the engine is closed"):
        own.info()
    with pytest.raises(jiceng.FailedPreconditionError,
                       match="the engine is closed"):
        own.start_assessment()
    # ... the open assessments go on, and hold the native engine.
    assert own._finalizer.alive
    a.add(records[50:])
    assert a._finish_bytes() == want
    assert own._finalizer.alive  # b is still open
    b.add(records[:2])
    b.close()
    assert not own._finalizer.alive  # released after the last of them
    assert own._calls == []


def test_one_thread_at_a_time(engine, records):
    """A call while another runs on the same assessment raises at once;
    close() during it stops it at its next call into the library."""
    calls = len(engine._calls)
    a = engine.start_assessment()
    inside = threading.Event()
    go_on = threading.Event()
    outcome = []

    def slow_records():
        yield records[0]
        inside.set()
        assert go_on.wait(30)
        yield records[1]

    def worker():
        try:
            a.add(slow_records())
            outcome.append("added")
        except jiceng.FailedPreconditionError as e:
            outcome.append(e.message)

    t = threading.Thread(target=worker)
    t.start()
    assert inside.wait(30)
    for call in (lambda: a.add(records[2]), a.finish):
        with pytest.raises(jiceng.FailedPreconditionError) as info:
            call()
        assert "in use by another call" in info.value.message
    a.close()  # does not wait
    assert a.closed and a._finalizer.alive  # the add still runs
    go_on.set()
    t.join(30)
    assert outcome == ["the assessment is closed"]
    assert not a._finalizer.alive  # the add released it
    assert len(engine._calls) == calls

    # From the iterable given to add, on the same thread.
    with engine.start_assessment() as b:
        def reentrant():
            yield records[0]
            b.finish()

        with pytest.raises(jiceng.FailedPreconditionError,
                           match="in use by another call"):
            b.add(reentrant())
        b.add(records[1])
        assert b._finish_bytes() == assess_bytes(
            engine, assessment_pb2.AssessRequest(), records[:2])



def test_the_bindings_readme_example_gives_assess_report(engine, records):
    markdown = (SOURCE_ROOT / "bindings" / "README.md").read_text(
        encoding="utf-8")
    at = markdown.index("\n## Python: assessing a record store")
    begin = markdown.index("```python\n", at) + len("```python\n")
    namespace = {}
    exec(compile(markdown[begin:markdown.index("```\n", begin)],
                 "bindings/README.md (Python)", "exec"), namespace)
    settings = settings_variants(records)[1]
    pages = [records[:100], records[100:101], records[101:]]
    report = namespace["assess_store"](engine, iter(pages),
                                       settings.period_start,
                                       settings.period_end)
    assert report == engine.assess(assessment_pb2.AssessRequest(
        records=records, period_start=settings.period_start,
        period_end=settings.period_end))
    assert 0 < report.records < len(records)
