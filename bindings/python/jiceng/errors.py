# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""Exceptions raised by the jiceng binding.

Every failure of the library arrives as a ``JicengError`` carrying the C
ABI's status code (``.code``, an ``int`` whose values are pinned and mirror
``absl::StatusCode``), its name (``.code_name``) and the library's message
(``.message``), which names the element and the field that were wrong.
Each common code has its own subclass, so callers can catch precisely::

    try:
        engine.route(case)
    except jiceng.InvalidArgumentError as e:
        print(e.code_name, e.message)   # INVALID_ARGUMENT matter_code: ...

A per-case failure inside a batch (``Batch.decisions()``) also carries the
case's position (``.index``) and id (``.case_id``); they are ``None``
elsewhere. Its ``str()`` names the case once, first: ``case 3 (c-9):
INVALID_ARGUMENT: matter_code: ...``; ``.message`` is the library's own
text, which for a frame that is not a case already begins ``case 3: ``.
Codes this binding does not know yet still give a ``JicengError`` (keep a
default branch).
"""

from __future__ import annotations

from typing import Callable, Dict, Optional, Tuple, Type

# Status codes of jiceng.h (JC_*), pinned.
OK = 0
CANCELLED = 1
UNKNOWN = 2
INVALID_ARGUMENT = 3
DEADLINE_EXCEEDED = 4
NOT_FOUND = 5
ALREADY_EXISTS = 6
PERMISSION_DENIED = 7
RESOURCE_EXHAUSTED = 8
FAILED_PRECONDITION = 9
ABORTED = 10
OUT_OF_RANGE = 11
UNIMPLEMENTED = 12
INTERNAL = 13
UNAVAILABLE = 14
DATA_LOSS = 15
UNAUTHENTICATED = 16
# jiceng's own codes (outside absl::StatusCode).
BUFFER_TOO_SMALL = 100

_NAMES = (
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
    "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
    "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
)


def status_name(code: int) -> str:
    """The name of a status code, e.g. ``"NOT_FOUND"``; ``"UNKNOWN_STATUS"``
    for a value this binding does not know (as ``jc_status_name``)."""
    if code == BUFFER_TOO_SMALL:
        return "BUFFER_TOO_SMALL"
    return _NAMES[code] if 0 <= code < len(_NAMES) else "UNKNOWN_STATUS"


class JicengError(Exception):
    """A failure reported by the jiceng library.

    Attributes:
      code: the status code (``jiceng.errors.INVALID_ARGUMENT`` etc.).
      code_name: its name, e.g. ``"INVALID_ARGUMENT"``.
      message: the library's message.
      index: the case's position in a batch, or ``None``.
      case_id: the case's id in a batch, or ``None``.
    """

    def __init__(self, code: int, message: str, *,
                 index: Optional[int] = None,
                 case_id: Optional[str] = None) -> None:
        super().__init__(code, message)
        self.code = code
        self.code_name = status_name(code)
        self.message = message
        self.index = index
        self.case_id = case_id

    def __str__(self) -> str:
        where = ""
        message = self.message
        if self.index is not None:
            where = f"case {self.index}"
            if self.case_id:
                where += f" ({self.case_id})"
            where += ": "
            # The library names the case itself in some messages (a frame
            # that is not a case: "case 3: jiceng.v1.Case ..."): say it once.
            message = message.removeprefix(f"case {self.index}: ")
        return f"{where}{self.code_name}: {message}"

    def __reduce__(self) -> Tuple[Callable[..., JicengError], Tuple[
            int, str, Optional[int], Optional[str]]]:
        # Picklable with its keyword attributes.
        return (_rebuild, (self.code, self.message, self.index, self.case_id))


def _rebuild(code: int, message: str, index: Optional[int],
             case_id: Optional[str]) -> JicengError:
    return error_for(code, message, index=index, case_id=case_id)


class CancelledError(JicengError):
    """CANCELLED (1)."""


class UnknownError(JicengError):
    """UNKNOWN (2)."""


class InvalidArgumentError(JicengError):
    """INVALID_ARGUMENT (3): bad input — a dataset, a case, a request."""


class DeadlineExceededError(JicengError):
    """DEADLINE_EXCEEDED (4)."""


class NotFoundError(JicengError):
    """NOT_FOUND (5): e.g. a dataset file that cannot be opened."""


class AlreadyExistsError(JicengError):
    """ALREADY_EXISTS (6)."""


class PermissionDeniedError(JicengError):
    """PERMISSION_DENIED (7)."""


class ResourceExhaustedError(JicengError):
    """RESOURCE_EXHAUSTED (8): input too large, or out of memory."""


class FailedPreconditionError(JicengError):
    """FAILED_PRECONDITION (9): e.g. an action not allowed in a case's
    state, or an engine that was closed."""


class AbortedError(JicengError):
    """ABORTED (10)."""


class OutOfRangeError(JicengError):
    """OUT_OF_RANGE (11): e.g. a deadline beyond the work calendar."""


class UnimplementedError(JicengError):
    """UNIMPLEMENTED (12)."""


class InternalError(JicengError):
    """INTERNAL (13): a bug in jiceng."""


class UnavailableError(JicengError):
    """UNAVAILABLE (14)."""


class DataLossError(JicengError):
    """DATA_LOSS (15)."""


class UnauthenticatedError(JicengError):
    """UNAUTHENTICATED (16)."""


class BufferTooSmallError(JicengError):
    """BUFFER_TOO_SMALL (100): a caller's buffer could not hold a result
    (the binding grows its buffers and retries, so it does not raise this
    itself)."""


_BY_CODE: Dict[int, Type[JicengError]] = {
    CANCELLED: CancelledError,
    UNKNOWN: UnknownError,
    INVALID_ARGUMENT: InvalidArgumentError,
    DEADLINE_EXCEEDED: DeadlineExceededError,
    NOT_FOUND: NotFoundError,
    ALREADY_EXISTS: AlreadyExistsError,
    PERMISSION_DENIED: PermissionDeniedError,
    RESOURCE_EXHAUSTED: ResourceExhaustedError,
    FAILED_PRECONDITION: FailedPreconditionError,
    ABORTED: AbortedError,
    OUT_OF_RANGE: OutOfRangeError,
    UNIMPLEMENTED: UnimplementedError,
    INTERNAL: InternalError,
    UNAVAILABLE: UnavailableError,
    DATA_LOSS: DataLossError,
    UNAUTHENTICATED: UnauthenticatedError,
    BUFFER_TOO_SMALL: BufferTooSmallError,
}


def error_for(code: int, message: str, *, index: Optional[int] = None,
              case_id: Optional[str] = None) -> JicengError:
    """The exception for ``code``: its subclass, or ``JicengError`` for a
    code this binding does not know."""
    cls = _BY_CODE.get(code, JicengError)
    return cls(code, message, index=index, case_id=case_id)
