"""Benchmark case commands (seed 001 §二.6): nominate a candidate, record its recognition and
measured outcome, move it along the pipeline (build → replicate → upgrade → replicate
again; 409 on a skipped stage), drop it; the list (with the criteria judged from the facts)
and one case."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query
from fastapi.responses import JSONResponse

from api.clock import on_or_today
from api.deps import Create, Write
from api.openapi import CREATE_ERRORS, WRITE_ERRORS, problems
from api.ownership import customer_in_body
from api.permissions import Action
from api.reads.docs import view_responses
from api.reads.params import Cursor, CustomerId, Limit, values
from api.reads.query import ViewReadDep, views_named
from api.routing import ledger_router
from api.schemas.benchmarks import (
    BenchmarkDrop,
    BenchmarkNominate,
    BenchmarkOutcome,
    BenchmarkRecognition,
    BenchmarkStep,
)
from api.schemas.common import WriteResult
from api.schemas.views.growth import (
    BenchmarkOne,
    BenchmarkPage,
)
from api.writes import item_write
from cs_domain.benchmark import BenchmarkCase, BenchmarkStage
from projections.views import benchmarks

router = ledger_router(prefix="/benchmark-cases", tags=["benchmark cases"])
WRITE_DOCS = problems(*WRITE_ERRORS)


@router.post("", status_code=201, response_model=WriteResult, responses=problems(*CREATE_ERRORS))
def nominate(body: BenchmarkNominate, w: Create) -> JSONResponse:
    """Nominate a customer as a benchmark-case candidate (one case per customer: 409 on
    `customer_id` for a second)."""
    return w.run(
        Action.WRITE_BENCHMARKS,
        lambda: w.app.nominate_benchmark_case(actor=w.actor, customer_id=body.customer_id,
                                              title=body.title, on=on_or_today(body.on)),
        WriteResult.of, resource=customer_in_body(w.app, body.customer_id), status=201,
    )


_act = item_write(Action.WRITE_BENCHMARKS, BenchmarkCase)


@router.post("/{case_id}/recognition", response_model=WriteResult, responses=WRITE_DOCS)
def recognition(case_id: UUID, body: BenchmarkRecognition, w: Write) -> JSONResponse:
    """Record whether the customer is known in its industry, with the evidence (the latest
    recording counts; 409 once dropped)."""
    return _act(w, case_id, lambda: w.app.record_benchmark_recognition(
        actor=w.actor, case_id=case_id, industry_known=body.industry_known, note=body.note,
        on=on_or_today(body.on), expected_version=w.expected_version))


@router.post("/{case_id}/outcome", response_model=WriteResult, responses=WRITE_DOCS)
def outcome(case_id: UUID, body: BenchmarkOutcome, w: Write) -> JSONResponse:
    """Record the measured outcome: cost down and / or growth in % (the latest recording
    counts; 409 once dropped)."""
    return _act(w, case_id, lambda: w.app.record_benchmark_outcome(
        actor=w.actor, case_id=case_id, cost_down_pct=body.cost_down_pct,
        growth_pct=body.growth_pct, note=body.note,
        measured_on=on_or_today(body.measured_on), expected_version=w.expected_version))


def _stage(path: str, step: str, doc: str) -> None:
    def advance(case_id: UUID, body: BenchmarkStep, w: Write) -> JSONResponse:
        return _act(w, case_id, lambda: w.app.advance_benchmark_case(
            actor=w.actor, case_id=case_id, step=step, note=body.note,
            on=on_or_today(body.on), expected_version=w.expected_version))

    advance.__doc__ = doc
    advance.__name__ = f"benchmark_{path.replace('-', '_')}"
    router.post(f"/{{case_id}}/{path}", response_model=WriteResult, responses=WRITE_DOCS,
                name=advance.__name__)(advance)


_stage("build", "build", "The case is built (标杆案例打造): from candidate only; 409 otherwise.")
_stage("replicate", "replicate", "The case is replicated through the sales network "
                                 "(复制): from built only; 409 otherwise.")
_stage("upgrade", "upgrade", "The case is upgraded (升级): from replicated only; 409 otherwise.")
_stage("replicate-again", "replicate again", "The upgraded case is replicated again (再复制): "
                                             "from upgraded only; 409 otherwise.")


@router.post("/{case_id}/drop", response_model=WriteResult, responses=WRITE_DOCS)
def drop(case_id: UUID, body: BenchmarkDrop, w: Write) -> JSONResponse:
    """Drop the case (any stage before the last; 409 otherwise)."""
    return _act(w, case_id, lambda: w.app.drop_benchmark_case(
        actor=w.actor, case_id=case_id, reason=body.reason, on=on_or_today(body.on),
        expected_version=w.expected_version))


BENCHMARK_VIEWS = views_named("benchmarks", "customers", "health")


@router.get("", response_model=BenchmarkPage, responses=view_responses())
def benchmark_list(
    read: ViewReadDep, customer_id: CustomerId = None,
    stage: Annotated[list[BenchmarkStage] | None, Query(description="Repeatable.")] = None,
    cursor: Cursor = None, limit: Limit = 50,
) -> Any:
    """Benchmark cases by nomination date with the three criteria judged from the facts, and
    the coverage per class (tier): the classes with customers but no case built."""
    return read.run(BENCHMARK_VIEWS, lambda conn: benchmarks.case_list(
        conn, customer_id=customer_id, stage=values(stage), cursor=cursor, limit=limit,
        at=read.at))


@router.get("/{case_id}", response_model=BenchmarkOne,
            responses=view_responses(404))
def get_benchmark_case(case_id: UUID, read: ViewReadDep) -> Any:
    """One benchmark case with its criteria."""
    return read.one(BENCHMARK_VIEWS, lambda conn: benchmarks.get_case(conn, case_id, at=read.at),
                    "benchmark case", case_id)
