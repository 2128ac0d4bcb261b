"""Risk commands: raise, strategy (todos become tasks), mitigation, escalation, due date,
owner, close, reopen."""

from __future__ import annotations

from uuid import UUID

from fastapi.responses import JSONResponse

from api.clock import on_or_today
from api.deps import Create, Write
from api.openapi import CREATE_ERRORS, WRITE_ERRORS, problems
from api.ownership import customer_in_body, risk_owner
from api.permissions import Action
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.risks import (
    EscalationResult,
    MitigationRecord,
    RiskClose,
    RiskDueDateChange,
    RiskEscalate,
    RiskOwnerAssign,
    RiskRaise,
    RiskReopen,
    RiskStrategySet,
    StrategyResult,
)
from cs_domain.application import CommandResult

router = ledger_router(prefix="/risks", tags=["risks"])
WRITE_DOCS = problems(*WRITE_ERRORS)


@router.post("", status_code=201, response_model=WriteResult, responses=problems(*CREATE_ERRORS))
def raise_risk(body: RiskRaise, w: Create) -> JSONResponse:
    """Raise a risk on a customer; the raiser owns it until a strategy names another owner."""
    return w.run(
        Action.RAISE_ISSUES,
        lambda: w.app.raise_risk(
            actor=w.actor, customer_id=body.customer_id, title=body.title,
            category=body.category.value, severity=body.severity.value, due_date=body.due_date,
            description=body.description, raised_on=on_or_today(body.raised_on)),
        WriteResult.of, resource=customer_in_body(w.app, body.customer_id), status=201,
    )


@router.post("/{risk_id}/strategy", response_model=StrategyResult, responses=WRITE_DOCS)
def set_strategy(risk_id: UUID, body: RiskStrategySet, w: Write) -> JSONResponse:
    """Set (or revise) the strategy and its todos (manager): each todo becomes a task."""

    def present(result: CommandResult) -> StrategyResult:
        return StrategyResult(id=result.id, version=result.version, position=result.position,
                              task_ids=result.extra["task_ids"])

    return w.run(
        Action.SET_RISK_STRATEGY,
        lambda: w.app.set_risk_strategy(
            actor=w.actor, risk_id=risk_id, strategy=body.strategy, owner_id=body.owner_id,
            todos=[t.model_dump() for t in body.todos], set_on=on_or_today(body.set_on),
            expected_version=w.expected_version),
        present,
    )


@router.post("/{risk_id}/mitigation", response_model=WriteResult, responses=WRITE_DOCS)
def record_mitigation(risk_id: UUID, body: MitigationRecord, w: Write) -> JSONResponse:
    """Record mitigation progress (the risk moves to `mitigating`)."""
    return w.run(
        Action.MITIGATE_RISK,
        lambda: w.app.record_risk_mitigation(
            actor=w.actor, risk_id=risk_id, note=body.note,
            recorded_on=on_or_today(body.recorded_on), expected_version=w.expected_version),
        WriteResult.of, resource=risk_owner(w.app, risk_id),
    )


@router.post("/{risk_id}/escalate", response_model=EscalationResult, responses=WRITE_DOCS)
def escalate(risk_id: UUID, body: RiskEscalate, w: Write) -> JSONResponse:
    """Escalate one level up, to a named user."""

    def present(result: CommandResult) -> EscalationResult:
        return EscalationResult(id=result.id, version=result.version, position=result.position,
                                level=result.extra["level"])

    return w.run(
        Action.MITIGATE_RISK,
        lambda: w.app.escalate_risk(
            actor=w.actor, risk_id=risk_id, escalated_to=body.escalated_to, reason=body.reason,
            escalated_on=on_or_today(body.escalated_on), expected_version=w.expected_version),
        present, resource=risk_owner(w.app, risk_id),
    )


@router.post("/{risk_id}/due-date", response_model=WriteResult, responses=WRITE_DOCS)
def change_due_date(risk_id: UUID, body: RiskDueDateChange, w: Write) -> JSONResponse:
    """Move the due date (manager); an overdue risk with a later date is no longer overdue."""
    return w.run(
        Action.MANAGE_RISK,
        lambda: w.app.change_risk_due_date(
            actor=w.actor, risk_id=risk_id, due_date=body.due_date, reason=body.reason,
            changed_on=on_or_today(body.changed_on), expected_version=w.expected_version),
        WriteResult.of,
    )


@router.post("/{risk_id}/owner", response_model=WriteResult, responses=WRITE_DOCS)
def assign_owner(risk_id: UUID, body: RiskOwnerAssign, w: Write) -> JSONResponse:
    """Reassign the risk to another owner (manager)."""
    return w.run(
        Action.MANAGE_RISK,
        lambda: w.app.assign_risk_owner(actor=w.actor, risk_id=risk_id, owner_id=body.owner_id,
                                        expected_version=w.expected_version),
        WriteResult.of,
    )


@router.post("/{risk_id}/close", response_model=WriteResult, responses=WRITE_DOCS)
def close_risk(risk_id: UUID, body: RiskClose, w: Write) -> JSONResponse:
    """Close a risk with its resolution (销项)."""
    return w.run(
        Action.CLOSE_RISK,
        lambda: w.app.close_risk(actor=w.actor, risk_id=risk_id, resolution=body.resolution,
                                 closed_on=on_or_today(body.closed_on),
                                 expected_version=w.expected_version),
        WriteResult.of, resource=risk_owner(w.app, risk_id),
    )


@router.post("/{risk_id}/reopen", response_model=WriteResult, responses=WRITE_DOCS)
def reopen_risk(risk_id: UUID, body: RiskReopen, w: Write) -> JSONResponse:
    """Reopen a closed risk, optionally with a new due date."""
    return w.run(
        Action.CLOSE_RISK,
        lambda: w.app.reopen_risk(actor=w.actor, risk_id=risk_id, reason=body.reason,
                                  reopened_on=on_or_today(body.reopened_on), due_date=body.due_date,
                                  expected_version=w.expected_version),
        WriteResult.of, resource=risk_owner(w.app, risk_id),
    )
