"""Delivery and engagement views: projects, success plans, touchpoints, subscriptions."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query

from api.reads.docs import view_responses
from api.reads.query import InvalidParameter, ViewReadDep, views_named
from api.reads.ranges import OptionalFrom, OptionalTo, check_range
from api.routing import ledger_router
from api.schemas.views.delivery import (
    PlanList,
    PlanOne,
    ProjectList,
    ProjectOne,
    SubscriptionList,
    TouchpointList,
)
from cs_domain.plan import PlanStatus
from cs_domain.touchpoint import TouchpointKind
from projections.views import plans, projects, subscriptions, touchpoints

router = ledger_router()
CustomerOf = Annotated[UUID, Query(description="The customer.")]


@router.get("/projects", response_model=ProjectList, responses=view_responses(),
            tags=["projects"])
def project_list(
    read: ViewReadDep,
    customer_id: Annotated[UUID | None, Query(description="A customer's projects.")] = None,
    contract_id: Annotated[UUID | None, Query(description="Or a contract's.")] = None,
) -> Any:
    """Implementation projects (项目) with their weighted stages and progress, oldest first.
    Give exactly one of `customer_id` and `contract_id`."""
    if (customer_id is None) == (contract_id is None):
        raise InvalidParameter("customer_id", "give exactly one of customer_id and contract_id")
    return read.run(views_named("projects"), lambda conn: projects.projects_of(
        conn, customer_id=customer_id, contract_id=contract_id, at=read.at))


@router.get("/projects/{project_id}", response_model=ProjectOne,
            responses=view_responses(404), tags=["projects"])
def get_project(project_id: UUID, read: ViewReadDep) -> Any:
    """One project with its stages and progress."""
    return read.one(views_named("projects"), lambda conn: projects.get_project(
        conn, project_id, at=read.at), "project", project_id)


@router.get("/plans", response_model=PlanList, responses=view_responses(), tags=["plans"])
def plan_list(read: ViewReadDep, customer_id: CustomerOf,
              status: Annotated[PlanStatus | None, Query()] = None) -> Any:
    """A customer's success plans (客成计划), newest first, with their milestones, counts and
    the next milestone due."""
    return read.run(views_named("plans"), lambda conn: plans.plans_of(
        conn, customer_id, today=read.today, status=None if status is None else status.value,
        at=read.at))


@router.get("/plans/{plan_id}", response_model=PlanOne, responses=view_responses(404),
            tags=["plans"])
def get_plan(plan_id: UUID, read: ViewReadDep) -> Any:
    """One success plan with its milestones."""
    return read.one(views_named("plans"), lambda conn: plans.get_plan(
        conn, plan_id, today=read.today, at=read.at), "plan", plan_id)


@router.get("/touchpoints", response_model=TouchpointList, responses=view_responses(),
            tags=["touchpoints"])
def touchpoint_list(
    read: ViewReadDep,
    customer_id: Annotated[UUID | None, Query(
        description="One customer's touchpoints; leave out for all customers.")] = None,
    owner_id: Annotated[UUID | None, Query(
        description="Only customers this CSM owns (the customer's current owner).")] = None,
    kind: Annotated[TouchpointKind | None, Query()] = None,
    from_: OptionalFrom = None, to: OptionalTo = None,
    limit: Annotated[int, Query(ge=1, le=500, description="At most this many.")] = 100,
) -> Any:
    """Touchpoints (calls, visits, trainings, QBRs, weekly reports), newest first: of one
    customer, or across customers (e.g. `kind=onsite_visit&from=&to=` counts a quarter's
    visits, `owner_id` a CSM's); `from`/`to` bound the day they occurred."""
    check_range(from_, to)
    names = ("touchpoints",) if owner_id is None else ("touchpoints", "customers")
    return read.run(views_named(*names), lambda conn: touchpoints.touchpoints_of(
        conn, customer_id, kind=None if kind is None else kind.value, from_=from_, to=to,
        limit=limit, owner_id=owner_id, at=read.at))


@router.get("/subscriptions", response_model=SubscriptionList, responses=view_responses(),
            tags=["subscriptions"])
def subscription_list(read: ViewReadDep, customer_id: CustomerOf) -> Any:
    """A customer's subscriptions (产品租期): product, seats, status, term, days to end."""
    return read.run(views_named("subscriptions"), lambda conn: subscriptions.subscriptions_of(
        conn, customer_id, today=read.today, at=read.at))
