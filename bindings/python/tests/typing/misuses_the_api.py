# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""A caller's program with type errors: mypy --strict must report each
marked line (and nothing else), which it can only do through the package's
annotations and message stubs. A marked line ends in a comment that
names a part of the message, after "error:". Type-checked, never run.

(A message of the wrong type passes where another is expected: the stubs
derive every message from protobuf's Message, which is Any to a checker
without protobuf's own stubs, and Debian ships none.)"""

import jiceng
from jiceng.v1 import routing_pb2


def misuse(engine: jiceng.Engine) -> None:
    case = routing_pb2.Case(id=1, matter_code="01001")  # error: "id" to "Case" has incompatible type "int"
    code: int = case.matter_code  # error: Incompatible types in assignment
    engine.route_many([case], threads="2")  # error: Argument "threads" to "route_many" of "Engine" has incompatible type "str"
    tier: str = engine.route(case).tier  # error: Incompatible types in assignment
    engine.route_bytes(case, explain=True)  # error: Unexpected keyword argument "explain" for "route_bytes" of "Engine"
    batch: jiceng.Batch = engine.route_many([case])
    batch.entry_bytes("0")  # error: Argument 1 to "entry_bytes" of "Batch" has incompatible type "str"
    service = engine.route_service(routing_pb2.ServiceRequest())
    service.promised_due_at = "tomorrow"  # error: Incompatible types in assignment
    jiceng.Engine.load("luhe.binpb", 1.5)  # error: Argument 2 to "load" of "Engine" has incompatible type "float"
    assessment = engine.start_assessment()
    assessment.add(3)  # error: Argument 1 to "add" of "Assessment" has incompatible type "int"
    records: str = assessment.finish().records  # error: Incompatible types in assignment
    print(code, tier, records)
