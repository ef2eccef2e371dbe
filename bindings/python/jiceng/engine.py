# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""``Engine``: a dataset validated and compiled, and what it answers.

An engine is immutable once loaded; one engine may serve any number of
threads at once (each call releases the GIL while the library works).
``close()`` (or leaving a ``with`` block) releases it: it is idempotent,
never blocks, and any later use raises ``FailedPreconditionError``; calls
already in flight (on other threads, or the call a signal handler that
closes the engine interrupted) finish first, and the last of them
releases the native engine. An engine that is never closed is released
when it is garbage-collected, but not at interpreter exit (see
``Engine.__init__``).

Methods: ``info``; routing (``route``, ``route_bytes``, ``route_many``,
``route_stream``, ``route_service``, ``diff``); the catalogue
(``review_admission``, ``analyze``); the closed loop (``apply``,
``supervise``, ``assess``, and ``start_assessment`` for an assessment fed
its records a batch at a time: ``Assessment``).

Messages cross as ``jiceng.v1`` protobuf classes (``jiceng.v1.*_pb2``);
every method that takes a message also takes its serialized bytes.

Example::

    import jiceng
    from jiceng.v1 import routing_pb2

    with jiceng.Engine.sample() as engine:
        case = routing_pb2.Case(id="c1", matter_code="01001",
                                location_code=32011600100101,
                                reported_at=1772413200)
        decision = engine.route(case)           # RoutingDecision
        print(decision.lead.code, decision.tier)
        for d in engine.route_many([case, case]).decisions():
            ...
"""

from __future__ import annotations

import ctypes
import enum
import os
import threading
import weakref
from ctypes import byref, c_size_t, c_void_p
from typing import (Any, Callable, Iterable, Iterator, List, Optional,
                    Sequence, Tuple, Type, TypeVar, Union, cast, overload)

from google.protobuf.message import Message

from . import _native, _stream, errors
from .v1 import (admission_pb2, analysis_pb2, assessment_pb2, dataset_pb2,
                 engine_info_pb2, lifecycle_pb2, routing_pb2, validation_pb2)

Bytes = Union[bytes, bytearray, memoryview]
PathLike = Union[str, "os.PathLike[str]"]


class Format(enum.IntEnum):
    """Encodings of a ``jiceng.v1.Dataset`` (JC_FORMAT_*). Where a format
    is taken, its name does as well, in any case: ``"binary"`` for
    ``Format.BINARY``."""
    AUTO = _native.FORMAT_AUTO      # '{' first: JSON; UTF-8 text: text; else binary
    BINARY = _native.FORMAT_BINARY  # protobuf wire format
    JSON = _native.FORMAT_JSON      # proto3 JSON mapping
    TEXT = _native.FORMAT_TEXT      # protobuf text format


FormatLike = Union[Format, str]


def _format(value: FormatLike) -> Format:
    """``value`` as a ``Format``: a member (or the int of one), or a
    member's name in any case (``"binary"``); else the TypeError or
    ValueError that names the argument and the accepted values."""
    accepted = ", ".join(repr(f.name.lower()) for f in Format)
    if isinstance(value, str):
        member = Format.__members__.get(value.upper())
        if member is None:
            raise ValueError(f"format must be a jiceng.Format or one of "
                             f"{accepted} (any case), got {value!r}")
        return member
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return Format(value)
        except ValueError:
            raise ValueError(f"format must be a jiceng.Format or one of "
                             f"{accepted}, got {value!r}") from None
    raise TypeError(f"format must be a jiceng.Format or one of {accepted}, "
                    f"got {type(value).__name__}")


def _count(name: str, value: int) -> int:
    """``value``, an int from 0 to 2**63 - 1 (a bool is refused too), or
    the TypeError or ValueError that names ``name``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < 0 or value >= 1 << 63:
        raise ValueError(f"{name} must be from 0 to 2**63 - 1, got {value}")
    return value


def _serialized(value: Union[Message, Bytes], full_name: str,
                what: str) -> bytes:
    """`value`'s wire bytes: a message of type `full_name`, or bytes."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, Message):
        if value.DESCRIPTOR.full_name != full_name:
            raise TypeError(f"{what}: expected {full_name}, got "
                            f"{value.DESCRIPTOR.full_name}")
        return cast(bytes, value.SerializeToString())
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{what}: expected {full_name} or its serialized bytes, "
                    f"got {type(value).__name__}")


_M = TypeVar("_M", bound=Message)


def _parse(cls: Type[_M], data: Union[bytes, memoryview]) -> _M:
    """A ``cls`` message parsed from ``data``. (Typed for checkers that lack
    protobuf's own stubs, to which ``FromString`` returns ``Any``.)"""
    return cast(_M, cls.FromString(data))


def _cases_stream(cases: Union[Iterable[Union[Message, Bytes]], Bytes]) -> bytes:
    if isinstance(cases, (bytes, bytearray, memoryview)):
        return bytes(cases)
    return _stream.encode(cases, "jiceng.v1.Case")


# ---------------------------------------------------------------------------
# Module-level functions.

def version() -> str:
    """The loaded library's version, e.g. ``"0.1.0"``."""
    return cast(bytes, _native.lib().jc_version_string()).decode("ascii")


def validate(dataset: Union[Message, Bytes],
             format: FormatLike = Format.AUTO
             ) -> validation_pb2.ValidationReport:
    """Validates a dataset without compiling it and returns every problem.

    ``format`` is a ``Format`` or its name (``"json"``, any case). The call
    succeeds for an invalid dataset (the report's error count says so); it
    raises ``InvalidArgumentError`` only when the bytes do not parse as a
    dataset in ``format``, and ``TypeError`` or ``ValueError`` for a
    ``format`` that is neither.
    """
    fmt = _format(format)
    data = _serialized(dataset, "jiceng.v1.Dataset", "dataset")
    if isinstance(dataset, Message):
        fmt = Format.BINARY
    raw = _native.call_bytes(_native.lib().jc_dataset_validate, data,
                             len(data), int(fmt))
    return _parse(validation_pb2.ValidationReport, raw)


def sample_dataset() -> dataset_pb2.Dataset:
    """The embedded sample dataset (Nanjing Luhe, 2026)."""
    raw = _native.call_bytes(_native.lib().jc_sample_dataset)
    return _parse(dataset_pb2.Dataset, raw)


# ---------------------------------------------------------------------------
# Batches.

class Batch(Sequence[routing_pb2.BatchEntry]):
    """The result of ``Engine.route_many``: one ``BatchEntry`` per case, in
    input order, parsed only when read.

    ``batch[i]`` and iteration give ``jiceng.v1.BatchEntry`` messages (the
    decision or that case's error); ``decisions()`` gives the decisions and
    raises the first case's error; ``results()`` gives each decision or the
    ``JicengError`` of its case without raising; ``stream`` is the raw
    length-delimited bytes, exactly as the library returned them.

    The entries are read in place from the library's output (a read-only
    ``memoryview``, released with the batch): nothing is copied until an
    entry or ``stream`` is asked for. A batch pickles and copies as its
    stream, and equals another batch of the same bytes.
    """

    __slots__ = ("_data", "_bytes", "_spans")

    def __init__(self, data: Union[bytes, memoryview]) -> None:
        self._data = data
        self._bytes: Optional[bytes] = data if isinstance(data, bytes) else None
        self._spans: Optional[List[Tuple[int, int]]] = None

    @property
    def stream(self) -> bytes:
        """The length-delimited ``BatchEntry`` stream (copied out of the
        library's buffer on first use)."""
        if self._bytes is None:
            self._bytes = bytes(self._data)
        return self._bytes

    def __repr__(self) -> str:
        n = "?" if self._spans is None else str(len(self._spans))
        return f"<jiceng.Batch entries={n} bytes={len(self._data)}>"

    def __reduce__(self) -> Tuple[Type["Batch"], Tuple[bytes]]:
        # Pickled as its stream (a multiprocessing pool's workers hand
        # their batches back to the parent); the library's buffer stays.
        return (Batch, (self.stream,))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Batch):
            return NotImplemented
        return self._data == other._data

    __hash__ = None  # type: ignore[assignment]  # equality by content

    def _index(self) -> List[Tuple[int, int]]:
        spans = self._spans
        if spans is None:
            spans = self._spans = _stream.spans(self._data)
        return spans

    def __len__(self) -> int:
        return len(self._index())

    @overload
    def __getitem__(self, i: int) -> routing_pb2.BatchEntry: ...
    @overload
    def __getitem__(self, i: slice) -> List[routing_pb2.BatchEntry]: ...

    def __getitem__(
            self, i: Union[int, slice]
    ) -> Union[routing_pb2.BatchEntry, List[routing_pb2.BatchEntry]]:
        spans = self._index()
        if isinstance(i, slice):
            return [routing_pb2.BatchEntry.FromString(self._data[s:e])
                    for s, e in spans[i]]
        s, e = spans[i]
        return _parse(routing_pb2.BatchEntry, self._data[s:e])

    def entry_bytes(self, i: int) -> bytes:
        """The serialized ``BatchEntry`` of case ``i``."""
        s, e = self._index()[i]
        return bytes(self._data[s:e])

    def __iter__(self) -> Iterator[routing_pb2.BatchEntry]:
        parse = routing_pb2.BatchEntry.FromString
        data = self._data
        for s, e in self._index():
            yield parse(data[s:e])

    def results(self) -> Iterator[Union[routing_pb2.RoutingDecision,
                                        errors.JicengError]]:
        """Per case, its ``RoutingDecision`` or its ``JicengError``
        (with ``.index`` and ``.case_id``), without raising."""
        for entry in self:
            if entry.HasField("error"):
                yield _entry_error(entry)
            else:
                yield entry.decision

    def decisions(self) -> Iterator[routing_pb2.RoutingDecision]:
        """The decisions in order; raises the ``JicengError`` of the first
        case that failed (with ``.index`` and ``.case_id``)."""
        for entry in self:
            if entry.HasField("error"):
                raise _entry_error(entry)
            yield entry.decision

    def errors(self) -> List[errors.JicengError]:
        """The errors of the cases that failed, in order."""
        return [_entry_error(e) for e in self if e.HasField("error")]


def _entry_error(entry: routing_pb2.BatchEntry) -> errors.JicengError:
    return errors.error_for(entry.error.code, entry.error.message,
                            index=entry.index, case_id=entry.case_id)


# ---------------------------------------------------------------------------
# Engines.

# The largest output buffer a thread keeps between *_into calls. A larger
# result gets a buffer for that call only: a pool of many threads that each
# once saw a large result keeps no large buffers.
_RETAINED_BYTES = 64 * 1024


class _Scratch:
    """A reusable output buffer and out-parameters for the *_into calls, so
    that a route allocates nothing in ctypes but its result."""

    __slots__ = ("capacity", "buffer", "size", "error")

    def __init__(self) -> None:
        self.capacity = min(4096, _RETAINED_BYTES)
        self.buffer = ctypes.create_string_buffer(self.capacity)
        self.size = c_size_t()
        self.error = c_void_p()

    def grow(self, needed: int) -> None:
        """REQUIRES: needed <= _RETAINED_BYTES."""
        self.capacity = min(max(needed, 2 * self.capacity), _RETAINED_BYTES)
        self.buffer = ctypes.create_string_buffer(self.capacity)


class _ThreadScratch(threading.local):
    """This thread's idle scratch. A call takes it and puts it back, so that
    a call nested in another on the same thread (a signal handler running
    between two steps of a call) gets a fresh one instead of overwriting
    the outer call's result."""

    def __init__(self) -> None:
        self.idle = [_Scratch()]


_scratch = _ThreadScratch()


class Engine:
    """A compiled dataset. Create with ``Engine.load`` or ``Engine.sample``.

    Thread-safe: share one engine between threads. Not copyable (it owns a
    native handle); a context manager.
    """

    def __init__(self, handle: int) -> None:
        """Internal: takes ownership of a ``jc_engine*``."""
        self._handle = handle
        # One element per call in flight. Calls are counted with list.append
        # and list.pop, each a single atomic step (also with respect to a
        # signal handler that runs between two steps of a call on the same
        # thread), and no lock is held anywhere: a close() that interrupts
        # a call on its own thread cannot deadlock. A call appends, then
        # reads _closed; close() sets _closed, then reads the list: either
        # the call sees the engine closed and backs out, or close() sees the
        # call, whose end then destroys the engine.
        self._calls: List[None] = []
        self._closed = False
        # Destroys the engine at most once: when close() or the last call in
        # flight after it calls it, or when the engine is collected.
        self._finalizer = weakref.finalize(
            self, _native.lib().jc_engine_destroy, c_void_p(handle))
        # Not at interpreter exit: a daemon thread may still be inside a
        # call on this engine (the GIL is released during native calls), and
        # destroying it under that call is a use after free. The operating
        # system reclaims the memory when the process ends.
        self._finalizer.atexit = False

    # -- creation -----------------------------------------------------------

    @classmethod
    def load(cls, source: Union[PathLike, Bytes, Message],
             format: FormatLike = Format.AUTO) -> "Engine":
        """Parses, validates and compiles a dataset.

        ``source`` is a file name (``str`` or path; with ``Format.AUTO`` the
        format comes from the extension, then the content), the dataset's
        bytes, or a ``jiceng.v1.Dataset`` message. ``format`` is a
        ``Format`` or its name, in any case (``Engine.load("luhe.binpb",
        "binary")``); anything else raises ``TypeError`` or ``ValueError``
        naming the accepted values. Raises
        ``InvalidArgumentError`` for an invalid dataset (its message counts
        the errors and names the first; ``jiceng.validate`` lists them all)
        and ``NotFoundError`` for a file that cannot be opened,
        ``PermissionDeniedError`` for one that may not be read; a directory
        is ``InvalidArgumentError``. A file name with a NUL character raises
        ``ValueError``, as ``open`` does.
        """
        fmt = _format(format)
        lib = _native.lib()
        handle = c_void_p()
        err = c_void_p()
        if isinstance(source, (str, os.PathLike)):
            status = lib.jc_engine_create_from_file(
                _file_name(source), int(fmt), byref(handle), byref(err))
        else:
            data = _serialized(source, "jiceng.v1.Dataset", "source")
            if isinstance(source, Message):
                fmt = Format.BINARY
            status = lib.jc_engine_create(data, len(data), int(fmt),
                                          byref(handle), byref(err))
        if status != errors.OK:
            raise _native.take_error(status, err)
        return cls(cast(int, handle.value))

    @classmethod
    def load_snapshot(cls, source: Union[PathLike, Bytes]) -> "Engine":
        """An engine from an engine snapshot (``save_snapshot``, or
        ``jiceng snapshot`` on the command line): no parsing or compiling,
        milliseconds even for a province.

        ``source`` is a file name (``str`` or path) or the snapshot's bytes.
        Raises ``InvalidArgumentError`` when they are not a snapshot, come
        from another snapshot format version or break an invariant (the
        message names the section and byte offset), ``DataLossError`` when
        truncated or damaged; for a file, ``NotFoundError`` when it does not
        exist, ``PermissionDeniedError`` when it may not be read,
        ``InvalidArgumentError`` for a directory (as ``load`` and the C
        library say), and ``UnavailableError`` when reading fails otherwise
        (an I/O error). The message names the file and the system's reason.
        """
        if isinstance(source, (str, os.PathLike)):
            _file_name(source)
            try:
                with open(source, "rb") as f:
                    data = f.read()
            except OSError as e:
                raise _read_error("snapshot", source, e) from e
        elif isinstance(source, (bytes, bytearray, memoryview)):
            data = bytes(source)
        else:
            raise TypeError("source: expected a file name or the snapshot's "
                            f"bytes, got {type(source).__name__}")
        lib = _native.lib()
        handle = c_void_p()
        err = c_void_p()
        status = lib.jc_engine_create_from_snapshot(data, len(data),
                                                    byref(handle), byref(err))
        if status != errors.OK:
            raise _native.take_error(status, err)
        return cls(cast(int, handle.value))

    @classmethod
    def sample(cls) -> "Engine":
        """An engine compiled from the embedded sample dataset."""
        handle = c_void_p()
        err = c_void_p()
        status = _native.lib().jc_engine_create_sample(byref(handle),
                                                       byref(err))
        if status != errors.OK:
            raise _native.take_error(status, err)
        return cls(cast(int, handle.value))

    # -- lifetime -----------------------------------------------------------

    def close(self) -> None:
        """Releases the engine. Idempotent; never blocks, so it is safe from
        a signal handler that interrupted a call on this engine. Later calls
        raise ``FailedPreconditionError``; calls already in flight finish,
        and the last of them releases the native engine. An open
        ``Assessment`` counts as a call in flight until it is finished or
        closed: it goes on working, and the native engine is released after
        it (see ``start_assessment``)."""
        self._closed = True
        if not self._calls:
            self._finalizer()

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __copy__(self) -> "Engine":
        raise TypeError("an Engine owns a native handle and is not copyable; "
                        "share it (it is thread-safe)")

    def __deepcopy__(self, memo: object) -> "Engine":
        return self.__copy__()

    def __reduce__(self) -> Tuple[Any, ...]:
        raise TypeError("an Engine cannot be pickled; load it in each process")

    def __repr__(self) -> str:
        state = "closed" if self._closed else f"handle=0x{self._handle:x}"
        return f"<jiceng.Engine {state}>"

    def _acquire(self) -> int:
        self._calls.append(None)
        if self._closed:
            self._release()
            raise errors.FailedPreconditionError(
                errors.FAILED_PRECONDITION, "the engine is closed")
        return self._handle

    def _release(self) -> None:
        self._calls.pop()
        if self._closed and not self._calls:
            self._finalizer()  # at most once, whoever gets here first

    def _call(self, fn: Callable[..., int], *args: Any) -> bytes:
        handle = self._acquire()
        try:
            return _native.call_bytes(fn, handle, *args)
        finally:
            self._release()

    # -- queries ------------------------------------------------------------

    def info(self) -> engine_info_pb2.EngineInfo:
        """What the engine holds: the dataset's meta, counts per level and
        kind, the calendar's range, memory used."""
        raw = self._call(_native.lib().jc_engine_info)
        return _parse(engine_info_pb2.EngineInfo, raw)

    def save_snapshot(self) -> bytes:
        """The engine as a snapshot for ``Engine.load_snapshot``: the same
        dataset always gives the same bytes."""
        return self._call(_native.lib().jc_engine_save_snapshot)

    # -- routing ------------------------------------------------------------

    def route(self, case: Union[routing_pb2.Case, Bytes], *,
              explain_text: bool = False) -> routing_pb2.RoutingDecision:
        """Routes one case: who leads, who helps, who supervises, by when.

        ``case`` is a ``jiceng.v1.Case`` or its bytes; ``explain_text`` adds
        readable text to every trace step. Raises ``InvalidArgumentError``
        naming the field and value for a case routing rejects (unknown
        matter or location, bad attribute, urgency outside 0..4, ...) and
        ``OutOfRangeError`` when a deadline leaves the work calendar.
        """
        return _parse(routing_pb2.RoutingDecision,
                      self.route_bytes(case, explain_text=explain_text))

    def route_bytes(self, case: Union[routing_pb2.Case, Bytes], *,
                    explain_text: bool = False) -> bytes:
        """As ``route``, returning the decision's bytes exactly as the
        library serialized them (deterministic: the same engine and case
        give the same bytes)."""
        data = _serialized(case, "jiceng.v1.Case", "case")
        flags = _native.ROUTE_EXPLAIN_TEXT if explain_text else 0
        return self._into(_native.lib().jc_engine_route_into, data, flags)

    def route_many(self, cases: Iterable[Union[routing_pb2.Case, Bytes]], *,
                   threads: int = 0, explain_text: bool = False,
                   first_index: int = 0) -> Batch:
        """Routes many cases in one call (jc_engine_route_batch_with), on
        ``threads`` native threads, the calling thread included.

        The default, 0, shares the machine across the process: all calls
        with ``threads=0`` running at once start together at most one
        thread fewer than the machine has cores besides their calling
        threads, so many Python threads batching at once do not
        oversubscribe it; a call that finds none free routes on its own
        thread alone. ``threads=N`` uses exactly N (more than 64 are
        clamped, never more than there are cases) whatever else runs, and
        the ``threads=0`` calls beside it take only what it leaves.

        ``cases`` is an iterable of ``jiceng.v1.Case`` messages or their
        bytes. Returns a ``Batch`` with one entry per case in input order;
        a case that fails does not stop the others (its entry holds the
        error: see ``Batch.decisions`` and ``Batch.results``). Decisions
        carry explanation text only with ``explain_text=True``. Entries
        are numbered from ``first_index`` (where these cases stand in a
        longer sequence routed in parts). The result is the same for any
        thread count. To skip serializing in Python, pass a prepared
        stream to ``route_stream``.
        """
        if isinstance(cases, (bytes, bytearray, memoryview, Message)):
            raise TypeError("route_many takes an iterable of cases; use "
                            "route_stream for a length-delimited stream")
        return self.route_stream(_stream.encode(cases, "jiceng.v1.Case"),
                                 threads=threads,
                                 explain_text=explain_text,
                                 first_index=first_index)

    def route_stream(self, stream: Bytes, *, threads: int = 0,
                     explain_text: bool = False, first_index: int = 0,
                     first_byte: int = 0) -> Batch:
        """As ``route_many``, for cases already joined into a
        length-delimited stream (each a varint length, then a serialized
        ``jiceng.v1.Case``; ``jiceng.encode_stream`` makes one). A frame
        running past the end becomes a final error entry.

        To route a long stream a part at a time, give each part where it
        stands: ``first_index``, the index of its first case, and
        ``first_byte``, the byte offset of its first frame. The entries'
        indexes and the errors' case and frame numbers and byte offsets
        then count from them, and the parts' ``Batch.stream``, concatenated,
        are the bytes one call over the whole stream gives."""
        if not isinstance(stream, bytes):
            stream = bytes(stream)
        threads = _count("threads", threads)
        options = routing_pb2.BatchOptions(
            threads=min(threads, 64),
            route=routing_pb2.RouteOptions(explain_text=bool(explain_text)),
            first_index=_count("first_index", first_index),
            first_byte=_count("first_byte", first_byte))
        raw_options = options.SerializeToString()
        handle = self._acquire()
        try:
            # The output is read in place (no copy of what may be hundreds
            # of megabytes); the library frees it when the batch goes.
            raw = _native.call_view(_native.lib().jc_engine_route_batch_with,
                                    handle, stream, len(stream), raw_options,
                                    len(raw_options))
        finally:
            self._release()
        return Batch(raw)

    def route_service(self, request: Union[routing_pb2.ServiceRequest, Bytes]
                      ) -> routing_pb2.ServiceDecision:
        """Routes a government-service application (政务服务): the window
        that accepts it, the unit that approves it, the village proxy, the
        deadlines. A centre outside the item's scope is not an error
        (``accepted_here`` is false)."""
        data = _serialized(request, "jiceng.v1.ServiceRequest", "request")
        raw = self._into(_native.lib().jc_engine_route_service_into, data)
        return _parse(routing_pb2.ServiceDecision, raw)

    def diff(self, after: "Engine",
             cases: Union[Iterable[Union[routing_pb2.Case, Bytes]], Bytes]
             ) -> routing_pb2.DiffReport:
        """What-if: routes ``cases`` on this engine and on ``after`` and
        reports the cases whose outcome, lead, tier, co-handlers,
        supervisor, enforcement mode, deadlines, escalation, whistle list or
        error change (``changed``), with both decisions and the explanation
        steps that differ (``changed_steps``). ``cases`` is an iterable of
        cases (messages or bytes) or a length-delimited stream. ``after``
        may be this engine. As in ``route_stream``, one bad case does not
        stop it: bytes that are not a case, or a stream cut short, are
        listed in the report's ``unread`` with their index and error."""
        if not isinstance(after, Engine):
            raise TypeError(f"after: expected an Engine, got "
                            f"{type(after).__name__}")
        stream = _cases_stream(cases)
        other = after._acquire()
        try:
            raw = self._call(_native.lib().jc_engine_diff, other, stream,
                             len(stream))
        finally:
            after._release()
        return _parse(routing_pb2.DiffReport, raw)

    # -- the responsibility catalogue ---------------------------------------

    def review_admission(
            self, request: Union[admission_pb2.AdmissionRequest, Bytes]
    ) -> admission_pb2.AdmissionDecision:
        """Reviews a proposed duty for a township or village (准入审查):
        the verdict and the reasons that decided it (a bar alone, when one
        holds; see ``AdmissionDecision.reasons``). Raises
        ``InvalidArgumentError`` for a malformed request."""
        data = _serialized(request, "jiceng.v1.AdmissionRequest", "request")
        raw = self._call(_native.lib().jc_engine_review_admission, data,
                         len(data))
        return _parse(admission_pb2.AdmissionDecision, raw)

    def analyze(self) -> analysis_pb2.CatalogueAnalysis:
        """Analyses the responsibility catalogue as of the dataset's
        effective date: overlaps, gaps, findings with counts."""
        raw = self._call(_native.lib().jc_engine_analyze)
        return _parse(analysis_pb2.CatalogueAnalysis, raw)

    # -- the closed loop ----------------------------------------------------

    def apply(self, request: Union[lifecycle_pb2.ApplyRequest, Bytes]
              ) -> lifecycle_pb2.CaseRecord:
        """Moves a case record one step: an ``ApplyRequest`` {record,
        action, now} in, the record after the action out. Pure: store the
        record returned. Raises ``FailedPreconditionError`` naming the rule
        for a refused action (wrong state, wrong actor, ...),
        ``InvalidArgumentError`` for a malformed one, ``OutOfRangeError``
        when a deadline leaves the work calendar.

        Example::

            record = engine.apply(lifecycle_pb2.ApplyRequest(
                record=lifecycle_pb2.CaseRecord(),
                action=lifecycle_pb2.Action(
                    actor=lifecycle_pb2.Actor(
                        role=lifecycle_pb2.ACTOR_ROLE_GRID_WORKER,
                        code=str(case.location_code)),
                    receive=lifecycle_pb2.ReceiveAction(case=case)),
                now=case.reported_at))
        """
        data = _serialized(request, "jiceng.v1.ApplyRequest", "request")
        raw = self._call(_native.lib().jc_engine_apply, data, len(data))
        return _parse(lifecycle_pb2.CaseRecord, raw)

    def supervise(self, request: Union[lifecycle_pb2.SuperviseRequest, Bytes]
                  ) -> lifecycle_pb2.SupervisionReport:
        """Checks a record's clocks at a moment (``SuperviseRequest``
        {record, now}): what is overdue or nearly so, whether to urge, whom
        to escalate to. ``OutOfRangeError`` when a time lies outside the
        work calendar."""
        data = _serialized(request, "jiceng.v1.SuperviseRequest", "request")
        raw = self._call(_native.lib().jc_engine_supervise, data, len(data))
        return _parse(lifecycle_pb2.SupervisionReport, raw)

    def assess(self, request: Union[assessment_pb2.AssessRequest, Bytes]
               ) -> assessment_pb2.AssessmentReport:
        """Assesses a period's case records (考核评价): figures per unit and
        per region rolled up the hierarchy, tier shares, weighted scores.
        ``InvalidArgumentError`` naming the field for a bad period, weights
        or rating."""
        data = _serialized(request, "jiceng.v1.AssessRequest", "request")
        raw = self._call(_native.lib().jc_engine_assess, data, len(data))
        return _parse(assessment_pb2.AssessmentReport, raw)

    def start_assessment(
            self,
            settings: Union[assessment_pb2.AssessRequest, Bytes, None] = None
    ) -> "Assessment":
        """Starts an assessment fed its records a batch at a time
        (jc_assessment_start): ``assess``'s report without one
        ``AssessRequest`` holding every record, for a record store read a
        part at a time.

        ``settings`` is an ``AssessRequest`` without records (period,
        ``as_of``, weights, limits) or its bytes; ``None``, the default,
        is an empty one. Raises ``InvalidArgumentError`` as ``assess`` does
        for bad settings, and when they hold records (give those to
        ``Assessment.add``).

        The assessment refers to this engine: while it is open it holds
        the engine as a call in flight does, so ``close()`` on the engine
        refuses new calls on it but lets the assessment go on, and the
        native engine is released once the last open assessment is
        finished or closed (or collected). Example::

            with engine.start_assessment(
                    AssessRequest(period_start=start, period_end=end)) as a:
                for page in store.pages():          # CaseRecord lists
                    a.add(page)
                report = a.finish()                 # AssessmentReport
        """
        if settings is None:
            data = b""
        else:
            data = _serialized(settings, "jiceng.v1.AssessRequest",
                               "settings")
        lib = _native.lib()
        handle = self._acquire()
        try:
            out = c_void_p()
            err = c_void_p()
            status = lib.jc_assessment_start(handle, data, len(data),
                                             byref(out), byref(err))
            if status != errors.OK:
                raise _native.take_error(status, err)
            try:
                # From here on the assessment's finalizer releases the
                # engine's count taken above.
                return Assessment(self, cast(int, out.value))
            except BaseException:
                lib.jc_assessment_destroy(out)
                raise
        except BaseException:
            self._release()
            raise

    # -- helpers ------------------------------------------------------------

    def _into(self, fn: Callable[..., int], data: bytes, *flags: int) -> bytes:
        """Calls a *_into function with this thread's scratch buffer,
        growing it when the result does not fit (JC_BUFFER_TOO_SMALL with
        the size needed, convention 10), and returns the result's bytes. A
        result above _RETAINED_BYTES gets a buffer for this call only."""
        handle = self._acquire()
        try:
            idle = _scratch.idle
            s = idle.pop() if idle else _Scratch()
            try:
                buffer, capacity = s.buffer, s.capacity
                while True:
                    s.size.value = 0
                    s.error.value = None
                    status = fn(handle, data, len(data), *flags, buffer,
                                capacity, byref(s.size), byref(s.error))
                    if status == errors.OK:
                        return ctypes.string_at(buffer, s.size.value)
                    if status == errors.BUFFER_TOO_SMALL:
                        if s.error.value:
                            _native.lib().jc_free(s.error)
                        needed = s.size.value
                        if needed <= _RETAINED_BYTES:
                            s.grow(needed)
                            buffer, capacity = s.buffer, s.capacity
                        else:
                            buffer = ctypes.create_string_buffer(needed)
                            capacity = needed
                        continue
                    raise _native.take_error(status, s.error)
            finally:
                if not idle:
                    idle.append(s)
        finally:
            self._release()


# ---------------------------------------------------------------------------
# Assessments fed a batch at a time.

# Assessment.add hands records serialized here to the library in calls of
# about this many bytes (a record is 1 to 2 KB): few calls, little memory.
_ASSESSMENT_CHUNK_BYTES = 4 << 20


def _destroy_assessment(handle: int, engine: Engine) -> None:
    """An assessment's finalizer: destroys it, then releases its engine
    (which the last holder destroys when the engine is closed)."""
    try:
        _native.lib().jc_assessment_destroy(c_void_p(handle))
    finally:
        engine._release()


def _record_frame(record: object, i: int) -> bytes:
    """The length-delimited frame of ``record``, item ``i`` of an add."""
    if isinstance(record, Message):
        if record.DESCRIPTOR.full_name != "jiceng.v1.CaseRecord":
            raise TypeError(f"records[{i}] of this add: expected "
                            f"jiceng.v1.CaseRecord, got "
                            f"{record.DESCRIPTOR.full_name}")
        data = cast(bytes, record.SerializeToString())
    elif isinstance(record, bytes):
        data = record
    elif isinstance(record, (bytearray, memoryview)):
        data = bytes(record)
    else:
        raise TypeError(f"records[{i}] of this add: expected a "
                        f"jiceng.v1.CaseRecord or its serialized bytes, got "
                        f"{type(record).__name__}")
    n = len(data)
    prefix = _stream._PREFIX
    return (prefix[n] if n < len(prefix) else _stream.varint(n)) + data


class Assessment:
    """An assessment fed its records a batch at a time (jc_assessment_*).
    Create with ``Engine.start_assessment``; ``add`` records, then
    ``finish`` for the ``AssessmentReport``: the report ``Engine.assess``
    gives for the settings with every record added, in the order added.

    A context manager: leaving the ``with`` block closes it. ``close()``
    is idempotent and never blocks; an assessment that is never closed is
    released when it is garbage-collected. ``finish()`` releases it too
    (the native assessment and its hold on the engine), whatever its
    outcome. While open it keeps its engine usable: see
    ``Engine.start_assessment``.

    Errors are the library's, as for ``Engine.assess``: a bad record raises
    ``InvalidArgumentError`` naming it by its place among all the records
    added, across ``add`` calls (``records[12345] (case C-17)
    ratings[0].score: ...``). The records before it are added, and the
    assessment is failed: every later ``add`` and the first ``finish``
    raise the same error. After ``finish`` (whatever it raised), ``close``
    or the end of the ``with`` block, ``add`` and ``finish`` raise
    ``FailedPreconditionError``.

    Not thread-safe: one thread at a time may use an assessment
    (different assessments may run on different threads over one engine).
    A call made while another is running on it (from another thread, or
    from the iterable given to ``add``) raises ``FailedPreconditionError``
    at once instead of waiting; ``close()`` may be called at any time, and
    a call it interrupts stops at its next call into the library.
    """

    def __init__(self, engine: Engine, handle: int) -> None:
        """Internal: takes ownership of a ``jc_assessment*`` of ``engine``
        and of one count of ``engine``'s calls in flight."""
        self._handle = handle
        # Held (never waited for) by the call running on the assessment.
        self._busy = threading.Lock()
        self._closed = False
        self._finished = False
        # Destroys the assessment and releases the engine at most once:
        # when close(), finish() or the call in flight after close() calls
        # it, or when the assessment is collected. It holds the engine.
        self._finalizer = weakref.finalize(self, _destroy_assessment, handle,
                                           engine)
        # Not at interpreter exit, as for an engine: a daemon thread may be
        # inside a call on it.
        self._finalizer.atexit = False

    # -- records --------------------------------------------------------------

    def add(self, records: Union[lifecycle_pb2.CaseRecord,
                                 Iterable[Union[lifecycle_pb2.CaseRecord,
                                                Bytes]],
                                 Bytes]) -> None:
        """Adds records, in order: one ``jiceng.v1.CaseRecord``; an
        iterable of ``CaseRecord`` messages or their serialized bytes (one
        record each; a generator is read once, as it goes); or
        ``bytes``-like data that is already a length-delimited stream of
        serialized ``CaseRecord`` (each a varint length, then the record;
        whole frames), handed to the library as it is in one call.

        An iterable is serialized and handed over in chunks of about 4 MB,
        not one call per record. An item that is neither a ``CaseRecord``
        nor bytes raises ``TypeError`` (naming its place in this call), as
        does anything the iterable raises, after the items before it are
        added. A bad record, a frame cut short, or bytes that are not a
        ``CaseRecord`` raise the library's ``InvalidArgumentError`` (see
        the class)."""
        if isinstance(records, Message):
            records = [records]
        elif isinstance(records, str):
            raise TypeError("records: expected a jiceng.v1.CaseRecord, an "
                            "iterable of them or a length-delimited stream, "
                            "got str")
        handle = self._enter()
        try:
            if isinstance(records, (bytes, bytearray, memoryview)):
                self._add_stream(handle, records if isinstance(records, bytes)
                                 else bytes(records))
                return
            try:
                items = iter(records)
            except TypeError:
                raise TypeError(
                    "records: expected a jiceng.v1.CaseRecord, an iterable "
                    "of them or a length-delimited stream, got "
                    f"{type(records).__name__}") from None
            parts: List[bytes] = []
            pending = 0
            sent = False
            i = 0
            while True:
                try:
                    frame = _record_frame(next(items), i)
                except StopIteration:
                    break
                except Exception:
                    # The items before the one that failed are added.
                    if parts:
                        self._add_stream(handle, b"".join(parts))
                    raise
                i += 1
                parts.append(frame)
                pending += len(frame)
                if pending >= _ASSESSMENT_CHUNK_BYTES:
                    chunk = b"".join(parts)
                    parts.clear()
                    pending = 0
                    sent = True
                    self._add_stream(handle, chunk)
            if parts or not sent:
                # Also with nothing to add, so that a failed assessment
                # raises its error as the library says.
                self._add_stream(handle, b"".join(parts))
        finally:
            self._exit()

    def finish(self) -> assessment_pb2.AssessmentReport:
        """The ``AssessmentReport`` of every record added: what
        ``Engine.assess`` gives for the settings with those records. The
        assessment is spent and released, whatever the outcome; a failed
        one raises its error here (see the class)."""
        return _parse(assessment_pb2.AssessmentReport, self._finish_bytes())

    # -- lifetime -------------------------------------------------------------

    def close(self) -> None:
        """Releases the assessment without a report. Idempotent; never
        blocks (safe from a signal handler). Later ``add`` and ``finish``
        raise ``FailedPreconditionError``; a call in flight stops at its
        next call into the library, and releases it."""
        self._closed = True
        if self._busy.acquire(blocking=False):
            try:
                self._finalizer()
            finally:
                self._busy.release()

    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called (or the ``with`` block left)."""
        return self._closed

    def __enter__(self) -> "Assessment":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __copy__(self) -> "Assessment":
        raise TypeError("an Assessment owns a native handle and is not "
                        "copyable")

    def __deepcopy__(self, memo: object) -> "Assessment":
        return self.__copy__()

    def __reduce__(self) -> Tuple[Any, ...]:
        raise TypeError("an Assessment cannot be pickled")

    def __repr__(self) -> str:
        if self._closed:
            state = "closed"
        elif self._finished:
            state = "finished"
        else:
            state = f"handle=0x{self._handle:x}"
        return f"<jiceng.Assessment {state}>"

    # -- helpers --------------------------------------------------------------

    def _refusal(self) -> Optional[errors.JicengError]:
        if self._closed:
            return errors.FailedPreconditionError(
                errors.FAILED_PRECONDITION, "the assessment is closed")
        if self._finished:
            return errors.FailedPreconditionError(
                errors.FAILED_PRECONDITION,
                "the assessment is finished (finish was called)")
        return None

    def _enter(self) -> int:
        """Starts a call: the handle, or the error that refuses it."""
        if not self._busy.acquire(blocking=False):
            raise errors.FailedPreconditionError(
                errors.FAILED_PRECONDITION,
                "the assessment is in use by another call (one thread at a "
                "time may use an assessment)")
        refusal = self._refusal()
        if refusal is not None:
            self._exit()
            raise refusal
        return self._handle

    def _exit(self) -> None:
        """Ends a call; after close() or finish(), releases the assessment.
        (close() sets _closed, then tries _busy: either it gets _busy and
        releases, or the call holding it sees _closed here.)"""
        self._busy.release()
        if self._closed or self._finished:
            self._finalizer()  # at most once, whoever gets here first

    def _add_stream(self, handle: int, stream: bytes) -> None:
        refusal = self._refusal()  # close() from within the call
        if refusal is not None:
            raise refusal
        err = c_void_p()
        status = _native.lib().jc_assessment_add(handle, stream, len(stream),
                                                 byref(err))
        if status != errors.OK:
            raise _native.take_error(status, err)

    def _finish_bytes(self) -> bytes:
        """As ``finish``, the report's bytes as the library serialized
        them."""
        handle = self._enter()
        try:
            # Spent whatever happens: _exit releases it.
            self._finished = True
            return _native.call_bytes(_native.lib().jc_assessment_finish,
                                      handle)
        finally:
            self._exit()


def _read_error(what: str, path: PathLike, e: OSError) -> errors.JicengError:
    """The error for a file that could not be read: ``NotFoundError`` when it
    does not exist, ``PermissionDeniedError`` when it may not be read,
    ``InvalidArgumentError`` for a directory (the C library's code for
    one), ``UnavailableError`` otherwise; the message names the file and
    the system's reason."""
    cls: Type[errors.JicengError]
    if isinstance(e, (FileNotFoundError, NotADirectoryError)):
        cls, code = errors.NotFoundError, errors.NOT_FOUND
    elif isinstance(e, PermissionError):
        cls, code = errors.PermissionDeniedError, errors.PERMISSION_DENIED
    elif isinstance(e, IsADirectoryError):
        cls, code = errors.InvalidArgumentError, errors.INVALID_ARGUMENT
    else:
        cls, code = errors.UnavailableError, errors.UNAVAILABLE
    reason = e.strerror or str(e) or type(e).__name__
    return cls(code, f"cannot read the {what} {os.fsdecode(path)!r}: {reason}")


def _file_name(path: PathLike) -> bytes:
    """``path`` as the bytes the C library opens. A NUL would end the name
    there, opening another file: ``ValueError``, as ``open`` raises."""
    name = os.fsencode(path)
    if b"\0" in name:
        raise ValueError(f"file name {os.fsdecode(name)!r} contains a NUL "
                         "character")
    return name


def encode_stream(cases: Iterable[Union[Message, Bytes]]) -> bytes:
    """Joins cases (``jiceng.v1.Case`` messages or their bytes) into the
    length-delimited stream that ``Engine.route_stream`` and
    ``Engine.diff`` take. Build it once to route the same cases often."""
    return _stream.encode(cases, "jiceng.v1.Case")


def decode_stream(stream: Bytes) -> List[bytes]:
    """The frames of a length-delimited stream, as bytes. Raises
    ``ValueError`` when a frame runs past the end."""
    return list(_stream.frames(bytes(stream)))
