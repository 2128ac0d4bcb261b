"""Playbook runs and playbook effectiveness (issue 5): what ran for whom, and whether it worked."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query

from api.reads.docs import view_responses
from api.reads.query import ViewReadDep, views_named
from api.reads.ranges import OptionalFrom, OptionalTo, check_range
from api.routing import ledger_router
from api.schemas.views.playbooks import EffectivenessReport, PlaybookRunList, PlaybookRunOne
from cs_domain.playbook_run import RunStatus
from projections.views import playbook_effectiveness, playbook_runs

router = ledger_router()
RUNS = views_named("playbook_runs")


@router.get("/playbook-runs", response_model=PlaybookRunList, responses=view_responses(),
            tags=["playbooks"])
def run_list(
    read: ViewReadDep,
    customer_id: Annotated[UUID | None, Query(description="One customer's runs.")] = None,
    playbook: Annotated[str | None, Query(max_length=64, description="A playbook key.")] = None,
    status: Annotated[RunStatus | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="At most this many.")] = 200,
) -> Any:
    """Playbook runs, newest trigger first, with their steps (the tasks they created, with
    assignees and due dates) and their success metrics, measured or pending."""
    return read.run(RUNS, lambda conn: playbook_runs.list_runs(
        conn, customer_id=customer_id, playbook=playbook,
        status=None if status is None else status.value, limit=limit, at=read.at))


@router.get("/playbook-runs/{run_id}", response_model=PlaybookRunOne,
            responses=view_responses(404), tags=["playbooks"])
def get_run(run_id: UUID, read: ViewReadDep) -> Any:
    """One playbook run with its steps and outcomes."""
    return read.one(RUNS, lambda conn: playbook_runs.get_run(conn, run_id, at=read.at),
                    "playbook run", run_id)


@router.get("/metrics/playbooks", response_model=EffectivenessReport,
            responses=view_responses(), tags=["playbooks"])
def effectiveness(
    read: ViewReadDep,
    playbook: Annotated[str | None, Query(max_length=64, description="A playbook key.")] = None,
    from_: OptionalFrom = None, to: OptionalTo = None,
) -> Any:
    """Playbook effectiveness: runs started / completed / abandoned and the outcome rate of
    each success metric, per playbook and per definition version; `from`/`to` bound the
    runs' trigger dates."""
    check_range(from_, to)
    return read.run(RUNS, lambda conn: playbook_effectiveness.effectiveness(
        conn, playbook=playbook, from_=from_, to=to, at=read.at))
