"""Playbook runs: the commands a person takes (abandon a run, record an outcome), the reads
(the runs, one run) and their effectiveness (`GET /metrics/playbooks`).

Runs are started (and their steps recorded) by the automation that reacts to
events and the clock, not through HTTP.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query
from fastapi.responses import JSONResponse

from api.clock import on_or_today
from api.deps import PlainWrite, Write
from api.openapi import CREATE_ERRORS, WRITE_ERRORS, problems
from api.ownership import item_customer
from api.permissions import Action
from api.reads.docs import view_responses
from api.reads.query import ViewReadDep, views_named
from api.reads.ranges import OptionalFrom, OptionalTo, check_range
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.playbooks import OutcomeRecord, OutcomeRecorded, RunAbandon
from api.schemas.views.playbooks import Effectiveness, PlaybookRunList, PlaybookRunOne
from cs_domain.application import CommandResult
from cs_domain.playbook_run import PlaybookRun, RunStatus
from projections.queries import playbook_effectiveness
from projections.views import playbook_runs

router = ledger_router(prefix="/playbook-runs", tags=["playbooks"])
metrics = ledger_router(prefix="/metrics", tags=["playbooks", "metrics"])


@router.post("/{run_id}/abandon", response_model=WriteResult, responses=problems(*WRITE_ERRORS))
def abandon_run(run_id: UUID, body: RunAbandon, w: Write) -> JSONResponse:
    """Abandon an active run; its open tasks are cancelled in the same transaction."""
    return w.run(
        Action.WRITE_PLAYBOOK_RUNS,
        lambda: w.app.abandon_playbook_run(actor=w.actor, run_id=run_id, reason=body.reason,
                                           abandoned_on=on_or_today(body.abandoned_on),
                                           expected_version=w.expected_version),
        WriteResult.of, resource=item_customer(w.app, PlaybookRun, run_id),
    )


@router.post("/{run_id}/outcomes", response_model=OutcomeRecorded,
             responses=problems(*CREATE_ERRORS, 404))
def record_outcome(run_id: UUID, body: OutcomeRecord, w: PlainWrite) -> JSONResponse:
    """Record whether a success metric was achieved (once per metric)."""

    def present(result: CommandResult) -> OutcomeRecorded:
        return OutcomeRecorded(id=result.id, version=result.version, position=result.position,
                               recorded=result.extra["recorded"])

    return w.run(
        Action.WRITE_PLAYBOOK_RUNS,
        lambda: w.app.measure_playbook_outcome(
            actor=w.actor, run_id=run_id, metric=body.metric, achieved=body.achieved,
            measured_on=on_or_today(body.measured_on), detail=body.detail),
        present, resource=item_customer(w.app, PlaybookRun, run_id),
    )


RUN_VIEWS = views_named("playbook_runs", "users")


Playbook = Annotated[list[str] | None, Query(description="Playbook key (repeatable).")]


@router.get("", response_model=PlaybookRunList, responses=view_responses())
def run_list(
    read: ViewReadDep,
    customer_id: Annotated[UUID | None, Query(description="Only this customer's.")] = None,
    playbook: Playbook = None,
    status: Annotated[list[RunStatus] | None, Query(description="Repeatable.")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="At most this many.")] = 200,
) -> Any:
    """Playbook runs (手册执行), newest trigger first, each with its steps (their tasks) and
    its success metrics, measured or pending."""
    return read.run(RUN_VIEWS, lambda conn: playbook_runs.list_runs(
        conn, customer_id=customer_id, playbook=playbook,
        status=None if status is None else [s.value for s in status], limit=limit, at=read.at))


@router.get("/{run_id}", response_model=PlaybookRunOne,
            responses=view_responses(404))
def get_run(run_id: UUID, read: ViewReadDep) -> Any:
    """One playbook run with its steps and outcomes."""
    return read.one(RUN_VIEWS, lambda conn: playbook_runs.get_run(conn, run_id, at=read.at),
                    "playbook run", run_id)


@metrics.get("/playbooks", response_model=Effectiveness, responses=view_responses())
def effectiveness(read: ViewReadDep, playbook: Annotated[str | None, Query(
        max_length=64, description="One playbook's key.")] = None,
                  from_: OptionalFrom = None, to: OptionalTo = None) -> Any:
    """Playbook effectiveness (如何衡量): per playbook and version, runs started, completed
    and abandoned, and per success metric how often it was achieved — for the runs
    triggered in [from, to] (both optional)."""
    check_range(from_, to)
    return read.run(views_named("playbook_runs"), lambda conn:
                    playbook_effectiveness.effectiveness(conn, playbook=playbook, from_=from_,
                                                         to=to, at=read.at))
