"""The CSM's weekly brief (seed 003): submitted for an ISO week, shown as `brief` in
`GET /team/weekly`; the manager assigns each problem a follow-up owner and closes it."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import Path, Query
from fastapi.responses import JSONResponse

from api.clock import on_or_today
from api.deps import Create, Write
from api.openapi import CREATE_ERRORS, WRITE_ERRORS, problems
from api.permissions import Action, Resource
from api.reads.docs import view_responses
from api.reads.query import InvalidParameter, ViewReadDep, views_named
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.weekly_briefs import BriefSubmit, FollowUpAssign, ProblemClose, ProblemList
from cs_domain.weekly_brief import PROBLEMS_MAX
from projections.views import weekly_briefs

router = ledger_router(prefix="/team/weekly", tags=["team"])
VIEWS = views_named("weekly_briefs")
Week = Annotated[str, Path(max_length=8, description="ISO week, e.g. 2026-W49.",
                           examples=["2026-W49"])]
Problem = Annotated[int, Path(ge=0, lt=PROBLEMS_MAX,
                              description="The problem's number in the brief, from 0.")]


@router.get("/problems", response_model=ProblemList, responses=view_responses())
def list_problems(
    read: ViewReadDep,
    status: Annotated[Literal["open", "closed"] | None, Query(
        description="open or closed.")] = None,
    owner_id: Annotated[UUID | None, Query(description="The brief's CSM.")] = None,
    follow_up_owner_id: Annotated[UUID | None, Query(
        description="The problem's follow-up owner.")] = None,
) -> Any:
    """The problems raised in weekly briefs with their follow-up owner and closure — the
    manager's list to track them to closure (e.g. `status=open`)."""
    return read.run(VIEWS, lambda conn: weekly_briefs.brief_problems(
        conn, status=status, owner_id=owner_id, follow_up_owner_id=follow_up_owner_id,
        at=read.at))


@router.post("/{week}/brief", status_code=201, response_model=WriteResult,
             responses=problems(*CREATE_ERRORS))
def submit_brief(week: Week, body: BriefSubmit, w: Create) -> JSONResponse:
    """Submit a CSM's brief of the week (summary and problems); once per CSM and week (a
    second submission is 409)."""
    owner = body.owner_id or w.principal.user_id
    if owner is None:
        raise InvalidParameter("owner_id", "is required when the bootstrap admin submits")
    return w.run(
        Action.SUBMIT_BRIEF,
        lambda: w.app.submit_weekly_brief(
            actor=w.actor, owner_id=owner, week=week, summary=body.summary,
            problems=body.problems, submitted_on=on_or_today(body.submitted_on)),
        WriteResult.of, resource=lambda: Resource("weekly brief", owner), status=201,
    )


@router.post("/{week}/briefs/{owner_id}/problems/{problem}/follow-up",
             response_model=WriteResult, responses=problems(*WRITE_ERRORS))
def assign_follow_up(week: Week, owner_id: UUID, problem: Problem, body: FollowUpAssign,
                     w: Write) -> JSONResponse:
    """Assign (or change) the follow-up owner of an open problem of a CSM's brief."""
    return w.run(
        Action.FOLLOW_UP_BRIEFS,
        lambda: w.app.assign_brief_follow_up(
            actor=w.actor, owner_id=owner_id, week=week, problem=problem,
            assignee_id=body.assignee_id, assigned_on=on_or_today(body.assigned_on),
            expected_version=w.expected_version),
        WriteResult.of,
    )


@router.post("/{week}/briefs/{owner_id}/problems/{problem}/close",
             response_model=WriteResult, responses=problems(*WRITE_ERRORS))
def close_problem(week: Week, owner_id: UUID, problem: Problem, body: ProblemClose,
                  w: Write) -> JSONResponse:
    """Close a problem of a CSM's brief with its resolution (it needs a follow-up owner;
    closed once: 409 otherwise)."""
    return w.run(
        Action.FOLLOW_UP_BRIEFS,
        lambda: w.app.close_brief_problem(
            actor=w.actor, owner_id=owner_id, week=week, problem=problem,
            resolution=body.resolution, closed_on=on_or_today(body.closed_on),
            expected_version=w.expected_version),
        WriteResult.of,
    )
