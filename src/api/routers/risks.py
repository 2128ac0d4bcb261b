"""Risks: the commands (raise, strategy (todos become tasks), mitigation, escalation, due
date, owner, close, reopen) and the reads (the register, one risk, its trail read from the
log itself, `GET /metrics/risks`). A risk's evidence for auditors is a report
(api.routers.reports)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query
from fastapi.responses import JSONResponse
from pydantic_core import to_jsonable_python

from api.clock import on_or_today
from api.deps import AppDep, Create, Write
from api.openapi import CREATE_ERRORS, WRITE_ERRORS, problems
from api.ownership import customer_in_body, risk_owner
from api.permissions import Action
from api.reads.docs import view_responses
from api.reads.params import Cursor, CustomerId, Limit, values
from api.reads.query import POSITION_HEADER, ViewReadDep, log_position, views_named
from api.reads.ranges import From, To, check_range
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
from api.schemas.views.trails import Trail
from api.schemas.views.work import RiskMetrics, RiskOne, RiskPage
from cs_domain.application import CommandResult
from cs_domain.errors import NotFound
from cs_domain.risk import RiskStatus
from cs_store.chain import parse_recorded_at
from projections.views import (
    risks,
)

router = ledger_router(prefix="/risks", tags=["risks"])
metrics = ledger_router(prefix="/metrics", tags=["metrics"])
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


RISK_VIEWS = views_named("risks", "customers", "users")


@router.get("", response_model=RiskPage, responses=view_responses())
def risk_register(
    read: ViewReadDep,
    status: Annotated[list[RiskStatus] | None, Query(
        description="open | mitigating | closed (repeatable; open + mitigating = not closed).")
    ] = None,
    overdue: Annotated[bool | None, Query(
        description="true: not closed and due before `today`; false: the others.")] = None,
    owner_id: Annotated[UUID | None, Query(description="The risk's owner.")] = None,
    customer_id: CustomerId = None, cursor: Cursor = None, limit: Limit = 50,
) -> Any:
    """The risk register (风险台账) by due date, one page at a time."""
    return read.run(RISK_VIEWS, lambda conn: risks.risk_register(
        conn, today=read.today, status=values(status), overdue=overdue, owner_id=owner_id,
        customer_id=customer_id, cursor=cursor, limit=limit, at=read.at))


@router.get("/{risk_id}", response_model=RiskOne, responses=view_responses(404))
def get_risk(risk_id: UUID, read: ViewReadDep) -> Any:
    """One risk as the register shows it."""
    return read.one(RISK_VIEWS, lambda conn: risks.get_risk(
        conn, risk_id, today=read.today, at=read.at), "risk", risk_id)


def present_trail(item_id: UUID, steps: list[risks.RiskStep], upto: int) -> dict[str, Any]:
    # The API's TrailStep: recorded_at parsed, data JSON-safe (the query keeps Python values).
    return {"id": item_id, "position": upto, "items": [
        {**s, "recorded_at": parse_recorded_at(s["recorded_at"]),
         "data": to_jsonable_python(s["data"])} for s in steps]}


@router.get("/{risk_id}/trail", response_model=Trail, response_model_exclude_unset=True,
            responses=view_responses(404))
def risk_trail(
    risk_id: UUID, app: AppDep, read: ViewReadDep,
    with_tasks: Annotated[bool, Query(
        description="Also the steps of the tasks the strategies created (each with "
                    "`task_id`), merged in by position.")] = False,
) -> Any:
    """Every step of a risk in order — raised, strategy (with the `task_ids` its todos
    became), mitigation, escalation, closed, reopened — with who did it and when it was
    recorded. Read from the hash-chained log itself."""
    upto = log_position(app, read)
    steps = risks.risk_trail(app, risk_id, upto, with_tasks=with_tasks)
    if steps is None:
        raise NotFound("risk", risk_id)
    read.response.headers[POSITION_HEADER] = str(upto)
    return present_trail(risk_id, steps, upto)


@metrics.get("/risks", response_model=RiskMetrics, responses=view_responses())
def risk_metrics(read: ViewReadDep, from_: From, to: To) -> Any:
    """Risks opened, reopened and closed in [from, to], the days they took to close (mean,
    median), and how many are open and overdue now."""
    check_range(from_, to)
    return read.run(views_named("risks"), lambda conn: risks.risk_metrics(
        conn, from_, to, today=read.today, at=read.at))
