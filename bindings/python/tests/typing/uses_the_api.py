# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""A caller's program that uses jiceng correctly: mypy --strict must find no
error in it against the installed package (python_typecheck runs it too).
Every value below has a precise type, not Any, through the package's
annotations and its message stubs."""

from typing import Dict, Iterator, List, Optional

import jiceng
from jiceng.v1 import assessment_pb2, catalogue_pb2, lifecycle_pb2, routing_pb2


def lead_of(engine: jiceng.Engine, matter: str, location: int) -> str:
    case = routing_pb2.Case(id="c1", matter_code=matter,
                            location_code=location, reported_at=1772413200,
                            urgency=1)
    decision: routing_pb2.RoutingDecision = engine.route(case)
    if decision.outcome != routing_pb2.ROUTING_OUTCOME_ROUTED:
        # (Name() is protobuf's: Any without its stubs, so formatted.)
        return f"{routing_pb2.RoutingOutcome.Name(decision.outcome)}"
    steps: List[str] = [f"{routing_pb2.Reason.Name(s.reason)}:{s.ref}"
                        for s in decision.trace]
    return decision.lead.code + " " + " ".join(steps)


def outcomes(engine: jiceng.Engine,
             cases: List[routing_pb2.Case]) -> Dict[str, int]:
    counts: Dict[str, int] = {}
    batch: jiceng.Batch = engine.route_many(cases, threads=2)
    for result in batch.results():
        if isinstance(result, jiceng.JicengError):
            key = result.code_name
            index: Optional[int] = result.index
            assert index is not None
        else:
            key = f"{catalogue_pb2.HandlingTier.Name(result.tier)}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def due_hours(engine: jiceng.Engine) -> float:
    request = routing_pb2.ServiceRequest(item_code="JZ-ZW-003",
                                         applicant_region_code=320116001001,
                                         requested_at=1772413200)
    service = engine.route_service(request)
    return (service.promised_due_at - request.requested_at) / 3600


def pages() -> Iterator[List[lifecycle_pb2.CaseRecord]]:
    yield []
    yield [lifecycle_pb2.CaseRecord()]


def assessed(engine: jiceng.Engine) -> int:
    settings = assessment_pb2.AssessRequest(period_start=0)
    assessment: jiceng.Assessment
    with engine.start_assessment(settings) as assessment:
        for page in pages():
            assessment.add(page)
        assessment.add(b"")  # a length-delimited stream
        report: assessment_pb2.AssessmentReport = assessment.finish()
    closed: bool = assessment.closed
    assert closed
    return report.records


def regions(dataset: bytes) -> int:
    # A format by its name; jiceng.Format.BINARY says the same.
    with jiceng.Engine.load(dataset, "binary") as engine:
        return engine.info().region_count


def main() -> None:
    print(regions(jiceng.sample_dataset().SerializeToString()))
    with jiceng.Engine.sample() as engine:
        print(lead_of(engine, "01001", 32011600100101))
        print(outcomes(engine, [
            routing_pb2.Case(id="a", matter_code="01001",
                             location_code=32011600100101,
                             reported_at=1772413200),
            routing_pb2.Case(id="b", matter_code="nope",
                             location_code=32011600100101,
                             reported_at=1772413200)]))
        print(due_hours(engine))
        print(assessed(engine))
        report = jiceng.validate(jiceng.sample_dataset())
        print(report.error_count, jiceng.version())


if __name__ == "__main__":
    main()
