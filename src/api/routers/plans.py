"""Success plans: the templates (read), drafting, milestones, activate, complete, abandon."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from fastapi.responses import JSONResponse

from api.clock import on_or_today
from api.deps import Create, ReaderDep, Write
from api.openapi import CREATE_ERRORS, WRITE_ERRORS, problems
from api.ownership import customer_in_body, item_customer
from api.permissions import Action
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
from api.writes import WriteContext
from cs_domain.application import CommandResult
from cs_domain.plan import SuccessPlan
from cs_domain.plan_templates import TEMPLATES

router = ledger_router(tags=["plans"])
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


def _on_plan(w: WriteContext, plan_id: UUID, command: Callable[[], CommandResult]
            ) -> JSONResponse:
    """Runs a command on an existing plan: WRITE_PLANS, for the plan's customer's owner."""
    return w.run(Action.WRITE_PLANS, command, WriteResult.of,
                 resource=item_customer(w.app, SuccessPlan, plan_id))


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
