"""Board page of the seeds' practices (issue 17): each CSM's week and weekly brief (seed
003), and the quarter's visits to head customers, NPS, support desk, referrals and
benchmark-case coverage (seeds 000/001/004) — each the API read of the same name."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.boards.pages_boards import period_range
from api.boards.timeline import actor_names
from api.boards.web import BASE, BoardDep, attempt
from api.reads import weekly
from api.routers.benchmarks import benchmark_list
from api.routers.referrals import referral_metrics
from api.routers.surveys import nps_metrics
from api.routers.tickets import support_metrics

router = APIRouter(prefix=BASE, include_in_schema=False)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@router.get("/practice")
def practice(b: BoardDep, week: str = "") -> HTMLResponse:
    """`week` (ISO, default the current one) for the CSMs' week; the quarter of today for
    the rest."""
    chosen = week or iso_week(b.today)
    this_week = attempt(b, weekly.team_weekly, b.read, chosen[:8], owner_id=None)
    first, last = period_range("quarter", b.today)
    visits = attempt(b, weekly.visit_metrics, b.read, first, last, owner_id=None)
    nps = attempt(b, nps_metrics, b.read, first, last)
    desk = attempt(b, support_metrics, b.read, first, last)
    referrals = attempt(b, referral_metrics, b.read, first, last)
    cases = attempt(b, benchmark_list, b.read, customer_id=None, stage=None,
                    cursor=None, limit=1)
    items: list[dict[str, Any]] = (this_week or {}).get("items", [])
    names = actor_names(b, [i["owner_id"] for i in items])
    monday = weekly.week_monday(chosen) if this_week else None
    around = {} if monday is None else {
        "previous": iso_week(monday - timedelta(days=7)), "next": iso_week(monday + timedelta(days=7))}
    return b.render("practice.html", week=chosen, around=around, items=items, names=names,
                    quarter_first=first, quarter_last=last, visits=visits, nps=nps, desk=desk,
                    referrals=referrals, cases=cases)
