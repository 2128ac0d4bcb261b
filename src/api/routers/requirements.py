"""Requirements: the closed loop of seed 001, one command per step, and the reads (the list,
one requirement, `GET /metrics/requirements`)."""

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
from api.reads.ranges import From, To, check_range
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.requirements import (
    RequirementAnalyse,
    RequirementClassify,
    RequirementCollect,
    RequirementDeliver,
    RequirementFeedback,
    RequirementHandOver,
    RequirementReject,
    RequirementSchedule,
)
from api.schemas.views.loops import RequirementMetrics, RequirementOne, RequirementPage
from api.writes import item_write
from cs_domain.requirement import Requirement, RequirementStatus
from projections.views import (
    requirements,
)

router = ledger_router(prefix="/requirements", tags=["requirements"])
metrics = ledger_router(prefix="/metrics", tags=["metrics"])
WRITE_DOCS = problems(*WRITE_ERRORS)


@router.post("", status_code=201, response_model=WriteResult, responses=problems(*CREATE_ERRORS))
def collect_requirement(body: RequirementCollect, w: Create) -> JSONResponse:
    """Collect a requirement: who at the customer asked for what."""
    return w.run(
        Action.RAISE_ISSUES,
        lambda: w.app.collect_requirement(
            actor=w.actor, customer_id=body.customer_id, requested_by=body.requested_by,
            summary=body.summary, detail=body.detail, on=on_or_today(body.on)),
        WriteResult.of, resource=customer_in_body(w.app, body.customer_id), status=201,
    )


step = item_write(Action.PROCESS_REQUIREMENT, Requirement)


@router.post("/{requirement_id}/classify", response_model=WriteResult, responses=WRITE_DOCS)
def classify(requirement_id: UUID, body: RequirementClassify, w: Write) -> JSONResponse:
    """Classify (category) and grade (priority) a collected requirement."""
    return step(w, requirement_id, lambda: w.app.classify_requirement(
        actor=w.actor, requirement_id=requirement_id, category=body.category.value,
        priority=body.priority.value, on=on_or_today(body.on),
        expected_version=w.expected_version))


@router.post("/{requirement_id}/analyse", response_model=WriteResult, responses=WRITE_DOCS)
def analyse(requirement_id: UUID, body: RequirementAnalyse, w: Write) -> JSONResponse:
    """Record the analysis: how well it fits the product (去伪求真)."""
    return step(w, requirement_id, lambda: w.app.analyse_requirement(
        actor=w.actor, requirement_id=requirement_id, product_fit=body.product_fit.value,
        note=body.note, on=on_or_today(body.on), expected_version=w.expected_version))


@router.post("/{requirement_id}/hand-to-product", response_model=WriteResult,
             responses=WRITE_DOCS)
def hand_to_product(requirement_id: UUID, body: RequirementHandOver, w: Write) -> JSONResponse:
    """Hand an analysed requirement to the product team."""
    return step(w, requirement_id, lambda: w.app.hand_requirement_to_product(
        actor=w.actor, requirement_id=requirement_id, product_ref=body.product_ref,
        note=body.note, on=on_or_today(body.on), expected_version=w.expected_version))


@router.post("/{requirement_id}/schedule", response_model=WriteResult, responses=WRITE_DOCS)
def schedule(requirement_id: UUID, body: RequirementSchedule, w: Write) -> JSONResponse:
    """Record the product team's target date (and release)."""
    return step(w, requirement_id, lambda: w.app.schedule_requirement(
        actor=w.actor, requirement_id=requirement_id, target_date=body.target_date,
        release=body.release, on=on_or_today(body.on), expected_version=w.expected_version))


@router.post("/{requirement_id}/deliver", response_model=WriteResult, responses=WRITE_DOCS)
def deliver(requirement_id: UUID, body: RequirementDeliver, w: Write) -> JSONResponse:
    """Record that a scheduled requirement was delivered."""
    return step(w, requirement_id, lambda: w.app.deliver_requirement(
        actor=w.actor, requirement_id=requirement_id, release=body.release, note=body.note,
        on=on_or_today(body.on), expected_version=w.expected_version))


@router.post("/{requirement_id}/reject", response_model=WriteResult, responses=WRITE_DOCS)
def reject(requirement_id: UUID, body: RequirementReject, w: Write) -> JSONResponse:
    """Reject an analysed, handed-over or scheduled requirement, with the reason."""
    return step(w, requirement_id, lambda: w.app.reject_requirement(
        actor=w.actor, requirement_id=requirement_id, reason=body.reason,
        on=on_or_today(body.on), expected_version=w.expected_version))


@router.post("/{requirement_id}/feedback", response_model=WriteResult, responses=WRITE_DOCS)
def give_feedback(requirement_id: UUID, body: RequirementFeedback, w: Write) -> JSONResponse:
    """Record the feedback given to the customer: this closes the loop."""
    return step(w, requirement_id, lambda: w.app.give_requirement_feedback(
        actor=w.actor, requirement_id=requirement_id, feedback=body.feedback,
        on=on_or_today(body.on), expected_version=w.expected_version))


@router.get("", response_model=RequirementPage, responses=view_responses())
def requirement_list(
    read: ViewReadDep, customer_id: CustomerId = None,
    status: Annotated[list[RequirementStatus] | None, Query(description="Repeatable.")] = None,
    cursor: Cursor = None, limit: Limit = 50,
) -> Any:
    """Requirements (需求) by collection date, with the date of every step of their loop."""
    return read.run(views_named("requirements"), lambda conn: requirements.requirement_list(
        conn, customer_id=customer_id, status=values(status), cursor=cursor,
        limit=limit, at=read.at))


@router.get("/{requirement_id}", response_model=RequirementOne,
            responses=view_responses(404))
def get_requirement(requirement_id: UUID, read: ViewReadDep) -> Any:
    """One requirement with the date of every step of its loop."""
    return read.one(views_named("requirements"), lambda conn: requirements.get_requirement(
        conn, requirement_id, at=read.at), "requirement", requirement_id)


@metrics.get("/requirements", response_model=RequirementMetrics, responses=view_responses())
def requirement_metrics(read: ViewReadDep, from_: From, to: To) -> Any:
    """The loop times of the requirements collected in [from, to]: days per step, days to
    feedback, open loops by step, feedback ratio (需求闭环)."""
    check_range(from_, to)
    return read.run(views_named("requirements"), lambda conn: requirements.requirement_metrics(
        conn, from_, to, at=read.at))
