"""Playbook run commands a person takes: abandon a run, record an outcome.

Runs are started (and their steps recorded) by the automation that reacts to
events and the clock, not through HTTP.
"""

from __future__ import annotations

from uuid import UUID

from fastapi.responses import JSONResponse

from api.clock import on_or_today
from api.deps import PlainWrite, Write
from api.openapi import CREATE_ERRORS, WRITE_ERRORS, problems
from api.ownership import item_customer
from api.permissions import Action
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.playbooks import OutcomeRecord, OutcomeRecorded, RunAbandon
from cs_domain.application import CommandResult
from cs_domain.playbook_run import PlaybookRun

router = ledger_router(prefix="/playbook-runs", tags=["playbooks"])


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
