"""Success plans: the templates (read), drafting, milestones, activate, complete, abandon;
the reads (a customer's plans, one plan) and `GET /metrics/milestones`."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query
from fastapi.responses import JSONResponse

from api.clock import on_or_today
from api.deps import Create, ReaderDep, Write
from api.openapi import CREATE_ERRORS, WRITE_ERRORS, problems
from api.ownership import customer_in_body, item_customer
from api.permissions import Action
from api.reads.docs import view_responses
from api.reads.params import CustomerOf, OwnerId
from api.reads.query import ViewReadDep, views_named
from api.reads.ranges import OptionalFrom, OptionalTo, check_range
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.plans import (
    MilestoneAdd,
    MilestoneAdded,
    MilestoneComplete,
    MilestoneMiss,
    MilestoneTemplatePublic,
    PlanAbandon,
    PlanActivate,
    PlanComplete,
    PlanCreate,
    PlanCreated,
    PlanTemplateList,
    PlanTemplatePublic,
)
from api.schemas.views.delivery import (
    MilestoneLateness,
    PlanList,
    PlanOne,
)
from api.writes import item_write
from cs_domain.application import CommandResult
from cs_domain.plan import PlanStatus, SuccessPlan
from cs_domain.plan_templates import TEMPLATES
from projections.views import (
    plans,
)

router = ledger_router(tags=["plans"])
metrics = ledger_router(prefix="/metrics", tags=["metrics"])
WRITE_DOCS = problems(*WRITE_ERRORS)


@router.get("/plan-templates", response_model=PlanTemplateList, responses=problems(401, 500))
def plan_templates(_: ReaderDep) -> PlanTemplateList:
    """The success-plan templates a plan can be drafted from."""
    return PlanTemplateList(templates=[
        PlanTemplatePublic(
            key=t.key, name=t.name, purpose=t.purpose, next_template=t.next_template,
            milestones=[MilestoneTemplatePublic(title=m.title, offset_days=m.offset_days,
                                                acceptance_criterion=m.acceptance_criterion)
                        for m in t.milestones])
        for t in TEMPLATES.values()])


@router.post("/plans", status_code=201, response_model=PlanCreated,
             responses=problems(*CREATE_ERRORS))
def create_plan(body: PlanCreate, w: Create) -> JSONResponse:
    """Draft a plan, from a template (its milestones come due from start_date) or empty."""

    def present(result: CommandResult) -> PlanCreated:
        return PlanCreated(id=result.id, version=result.version, position=result.position,
                           milestone_ids=result.extra["milestone_ids"])

    return w.run(
        Action.WRITE_PLANS,
        lambda: w.app.create_plan(actor=w.actor, **body.model_dump()),
        present, resource=customer_in_body(w.app, body.customer_id), status=201,
    )


@router.post("/plans/{plan_id}/milestones", status_code=201, response_model=MilestoneAdded,
             responses=WRITE_DOCS)
def add_milestone(plan_id: UUID, body: MilestoneAdd, w: Write) -> JSONResponse:
    """Add a milestone to a draft or active plan; the answer names its id."""

    def present(result: CommandResult) -> MilestoneAdded:
        return MilestoneAdded(id=result.id, version=result.version, position=result.position,
                              milestone_id=result.extra["milestone_id"])

    return w.run(
        Action.WRITE_PLANS,
        lambda: w.app.add_plan_milestone(actor=w.actor, plan_id=plan_id,
                                         expected_version=w.expected_version, **body.model_dump()),
        present, resource=item_customer(w.app, SuccessPlan, plan_id), status=201,
    )


_on_plan = item_write(Action.WRITE_PLANS, SuccessPlan)


@router.post("/plans/{plan_id}/milestones/{milestone_id}/complete", response_model=WriteResult,
             responses=WRITE_DOCS)
def complete_milestone(plan_id: UUID, milestone_id: UUID, body: MilestoneComplete,
                       w: Write) -> JSONResponse:
    """Complete a pending milestone of an active plan, with the evidence."""
    return _on_plan(w, plan_id, lambda: w.app.complete_plan_milestone(
        actor=w.actor, plan_id=plan_id, milestone_id=milestone_id, evidence=body.evidence,
        completed_on=on_or_today(body.completed_on), expected_version=w.expected_version))


@router.post("/plans/{plan_id}/milestones/{milestone_id}/miss", response_model=WriteResult,
             responses=WRITE_DOCS)
def miss_milestone(plan_id: UUID, milestone_id: UUID, body: MilestoneMiss,
                   w: Write) -> JSONResponse:
    """Record that a pending milestone of an active plan was missed."""
    return _on_plan(w, plan_id, lambda: w.app.miss_plan_milestone(
        actor=w.actor, plan_id=plan_id, milestone_id=milestone_id, note=body.note,
        missed_on=on_or_today(body.missed_on), expected_version=w.expected_version))


@router.post("/plans/{plan_id}/activate", response_model=WriteResult, responses=WRITE_DOCS)
def activate_plan(plan_id: UUID, body: PlanActivate, w: Write) -> JSONResponse:
    """Activate a draft plan."""
    return _on_plan(w, plan_id, lambda: w.app.activate_plan(
        actor=w.actor, plan_id=plan_id, activated_on=on_or_today(body.activated_on),
        expected_version=w.expected_version))


@router.post("/plans/{plan_id}/complete", response_model=WriteResult, responses=WRITE_DOCS)
def complete_plan(plan_id: UUID, body: PlanComplete, w: Write) -> JSONResponse:
    """Complete an active plan whose milestones are all completed or missed."""
    return _on_plan(w, plan_id, lambda: w.app.complete_plan(
        actor=w.actor, plan_id=plan_id, completed_on=on_or_today(body.completed_on),
        expected_version=w.expected_version))


@router.post("/plans/{plan_id}/abandon", response_model=WriteResult, responses=WRITE_DOCS)
def abandon_plan(plan_id: UUID, body: PlanAbandon, w: Write) -> JSONResponse:
    """Abandon a draft or active plan, with the reason."""
    return _on_plan(w, plan_id, lambda: w.app.abandon_plan(
        actor=w.actor, plan_id=plan_id, reason=body.reason,
        abandoned_on=on_or_today(body.abandoned_on), expected_version=w.expected_version))


@router.get("/plans", response_model=PlanList, responses=view_responses())
def plan_list(read: ViewReadDep, customer_id: CustomerOf,
              status: Annotated[PlanStatus | None, Query()] = None) -> Any:
    """A customer's success plans (客成计划), newest first, with their milestones, counts and
    the next milestone due."""
    return read.run(views_named("plans"), lambda conn: plans.plans_of(
        conn, customer_id, today=read.today, status=None if status is None else status.value,
        at=read.at))


@router.get("/plans/{plan_id}", response_model=PlanOne, responses=view_responses(404))
def get_plan(plan_id: UUID, read: ViewReadDep) -> Any:
    """One success plan with its milestones."""
    return read.one(views_named("plans"), lambda conn: plans.get_plan(
        conn, plan_id, today=read.today, at=read.at), "plan", plan_id)


@metrics.get("/milestones", response_model=MilestoneLateness, responses=view_responses())
def milestone_lateness(
    read: ViewReadDep, from_: OptionalFrom = None, to: OptionalTo = None,
    owner_id: OwnerId = None,
    customer_id: Annotated[UUID | None, Query(description="Only this customer's.")] = None,
) -> Any:
    """Success-plan milestones due in [from, to] (both optional): on time, late, missed,
    overdue, with the late rate overall and per CSM."""
    check_range(from_, to)
    return read.run(views_named("plans", "customers", "users"), lambda conn:
                    plans.milestone_lateness(conn, today=read.today, from_=from_, to=to,
                                             owner_id=owner_id, customer_id=customer_id,
                                             at=read.at))
