"""The team overview, the CSM milestones and the lifecycle board (`GET /team`,
`GET /team/milestones`, `GET /lifecycle`)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query

from api.reads.docs import view_responses
from api.reads.params import OwnerId
from api.reads.query import ViewReadDep, views_named
from api.routing import ledger_router
from api.schemas.views.team import CsmMilestones, LifecycleBoard, Team
from projections.queries import lifecycle
from projections.views import team

router = ledger_router(tags=["team"])
TEAM_VIEWS = views_named("team", "customers", "contracts", "risks", "tasks", "users", "health",
                         "activities")


@router.get("/team", response_model=Team, responses=view_responses())
def team_overview(read: ViewReadDep) -> Any:
    """Per CSM: customers by stage, contract value per currency, open and overdue risks,
    overdue tasks, and the CSM milestones (done on time, late, overdue)."""
    return read.run(TEAM_VIEWS, lambda conn: team.team(conn, today=read.today, at=read.at))


@router.get("/team/milestones", response_model=CsmMilestones, responses=view_responses())
def csm_milestones(
    read: ViewReadDep, owner_id: OwnerId = None,
    customer_id: Annotated[UUID | None, Query(description="Only this customer.")] = None,
) -> Any:
    """The CSM milestones of each customer (activated in month 1, no basic questions by
    month 4, own activities by month 9, renewed) with due dates and days late."""
    return read.run(TEAM_VIEWS, lambda conn: team.milestone_lateness(
        conn, today=read.today, owner_id=owner_id, customer_id=customer_id, at=read.at))


@router.get("/lifecycle", response_model=LifecycleBoard, responses=view_responses())
def lifecycle_board(read: ViewReadDep, owner_id: OwnerId = None) -> Any:
    """The lifecycle board: customers by phase of their current contract (onboarding,
    stable, renewal, ...) and the onboarding check points (day 7/14/30/60/90)."""
    return read.run(views_named("customers", "contracts", "users"), lambda conn:
                    lifecycle.lifecycle_board(conn, today=read.today, owner_id=owner_id,
                                              at=read.at))
