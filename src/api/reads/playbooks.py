"""Playbook runs and their effectiveness (`GET /playbook-runs`, `GET /metrics/playbooks`)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query

from api.reads.docs import view_responses
from api.reads.query import ViewReadDep, views_named
from api.reads.ranges import OptionalFrom, OptionalTo, check_range
from api.routing import ledger_router
from api.schemas.views.playbooks import Effectiveness, PlaybookRunList, PlaybookRunOne
from cs_domain.playbook_run import RunStatus
from projections.views import playbook_effectiveness, playbook_runs

router = ledger_router(tags=["playbooks"])
RUN_VIEWS = views_named("playbook_runs", "users")
Playbook = Annotated[list[str] | None, Query(description="Playbook key (repeatable).")]


@router.get("/playbook-runs", response_model=PlaybookRunList, responses=view_responses())
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


@router.get("/playbook-runs/{run_id}", response_model=PlaybookRunOne,
            responses=view_responses(404))
def get_run(run_id: UUID, read: ViewReadDep) -> Any:
    """One playbook run with its steps and outcomes."""
    return read.one(RUN_VIEWS, lambda conn: playbook_runs.get_run(conn, run_id, at=read.at),
                    "playbook run", run_id)


@router.get("/metrics/playbooks", response_model=Effectiveness, responses=view_responses(),
            tags=["metrics"])
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
