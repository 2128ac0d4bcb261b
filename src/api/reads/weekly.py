"""Seed 003's CSM reads: each CSM's ISO week (`GET /team/weekly`, the weekly work
statistics) and the on-site visits across customers (`GET /metrics/visits`)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import Query

from api.reads.docs import view_responses
from api.reads.query import InvalidParameter, ViewReadDep, views_named
from api.reads.ranges import OptionalFrom, OptionalTo, check_range
from api.routing import ledger_router
from api.schemas.views.visits import VisitMetrics
from api.schemas.views.weekly import TeamWeek
from projections.queries import visits, weekly

router = ledger_router(tags=["team"])
WEEKLY_VIEWS = views_named("customers", "touchpoints", "tasks", "risks", "contracts", "users",
                           "weekly_briefs")
VISIT_VIEWS = views_named("customers", "touchpoints", "contracts")
WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")
FIRST_YEAR, LAST_YEAR = 1900, 2199
FIRST_DAY, LAST_DAY = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)


def week_monday(text: str) -> date:
    """The Monday of an ISO week `YYYY-Www` (years 1900..2199); a 422 on `week` otherwise."""
    match = WEEK.fullmatch(text)
    if match is None:
        raise InvalidParameter("week", "must be an ISO week like 2026-W49")
    year, number = int(match[1]), int(match[2])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidParameter("week", f"the year must be within {FIRST_YEAR}..{LAST_YEAR}")
    try:
        return date.fromisocalendar(year, number, 1)
    except ValueError:
        raise InvalidParameter("week", f"{year} has no week {number}") from None


@router.get("/team/weekly", response_model=TeamWeek, responses=view_responses())
def team_weekly(
    read: ViewReadDep,
    week: Annotated[str, Query(max_length=8, description="ISO week, e.g. 2026-W49.",
                               examples=["2026-W49"])],
    owner_id: Annotated[UUID | None, Query(description="Only this CSM.")] = None,
) -> Any:
    """Each CSM's ISO week (seed 003): customers touched, on-site visits, tasks done, risks
    raised and closed, renewals recorded — computed from the views."""
    monday = week_monday(week)
    result = read.run(WEEKLY_VIEWS, lambda conn: weekly.team_weekly(
        conn, monday=monday, today=read.today, owner_id=owner_id, at=read.at))
    return {"week": week, **result}


@router.get("/metrics/visits", response_model=VisitMetrics, responses=view_responses(),
            tags=["metrics"])
def visit_metrics(read: ViewReadDep, from_: OptionalFrom = None, to: OptionalTo = None,
                  owner_id: Annotated[UUID | None, Query(
                      description="Only the customers this CSM owns.")] = None) -> Any:
    """On-site visits (seed 003) per customer and per quarter in [from, to], and the head
    (strategic) customers with a live contract not visited this quarter (seeds 000/004)."""
    for name, day in (("from", from_), ("to", to)):
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise InvalidParameter(name, f"must be within {FIRST_DAY} … {LAST_DAY}")
    check_range(from_, to)
    return read.run(VISIT_VIEWS, lambda conn: visits.visit_metrics(
        conn, today=read.today, from_=from_, to=to, owner_id=owner_id, at=read.at))
