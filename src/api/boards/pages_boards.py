"""Board pages of the team: renewals, lifecycle, team and playbooks."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from api.boards.timeline import versions
from api.boards.web import BASE, Board, BoardDep, attempt
from api.permissions import Action
from api.reads import renewals, team
from api.reads.ranges import check_range
from api.routers import classification, playbooks
from api.routers.playbook_runs import effectiveness, run_list
from cs_domain.contract import ContractStatus, Intent

router = APIRouter(prefix=BASE, include_in_schema=False)
PERIODS = ("month", "quarter", "custom")
PAGE_ROWS = 50  # contracts per page of the renewal board (a page stays light at any size)
MAX_PAGE = 100_000


def period_range(period: str, today: date) -> tuple[date, date]:
    """This month or this quarter around `today` (first and last day)."""
    if period == "quarter":
        first = (today.month - 1) // 3 * 3 + 1
        return date(today.year, first, 1), date(today.year, first + 2,
                                                monthrange(today.year, first + 2)[1])
    return today.replace(day=1), today.replace(day=monthrange(today.year, today.month)[1])


def _date(b: Board, field: str, value: str | None) -> date | None:
    try:
        moment = date.fromisoformat(value or "")
    except ValueError:
        b.errors.append(f"{field}: must be a date such as 2025-12-31")
        return None
    if not date(1900, 1, 1) <= moment <= date(2199, 12, 31):
        b.errors.append(f"{field}: must be within 1900-01-01 … 2199-12-31")
        return None
    return moment


def _page(b: Board, value: str) -> int:
    if value.isdigit() and 1 <= int(value) <= MAX_PAGE:
        return int(value)
    b.errors.append(f"page: must be a whole number from 1 to {MAX_PAGE}")
    return 1


def _choices(b: Board, cls: Any, field: str, values: list[str]) -> list[Any] | None:
    chosen = []
    for value in values[:10]:
        try:
            chosen.append(cls(value))
        except ValueError:
            b.errors.append(f"{field}: {value!r} is not one of " + ", ".join(m.value for m in cls))
    return chosen or None


@router.get("/renewals")
def renewal_board(b: BoardDep, period: str = "month", from_: str | None = Query(None, alias="from"),
                  to: str | None = None, intent: list[str] = Query(default=[]),
                  status: list[str] = Query(default=[]), page: str = "1") -> HTMLResponse:
    """The renewal board: the period's rates at the top (all its contracts), the contracts
    `PAGE_ROWS` at a time."""
    number = _page(b, page)
    period = period if period in PERIODS else "month"
    first, last = period_range(period, b.today)
    if period == "custom":
        first = _date(b, "from", from_) or first
        last = _date(b, "to", to) or last
    intents = _choices(b, Intent, "intent", intent)
    statuses = _choices(b, ContractStatus, "status", status)
    rows = metrics = None
    attempt(b, check_range, first, last)
    if not b.errors:
        rows = attempt(b, renewals.renewal_page, b.read, first, last, intent=intents,
                       owner_id=None, status=statuses, limit=PAGE_ROWS,
                       offset=(number - 1) * PAGE_ROWS)
        metrics = attempt(b, renewals.renewal_metrics, b.read, b.container, first, last)
    items = (rows or {}).get("items", [])
    total = (rows or {}).get("total", 0)
    pages = max(1, -(-total // PAGE_ROWS))
    return b.render("renewals.html", period=period, first=first, last=last, items=items,
                    total=total, page=number, pages=pages, offset=(number - 1) * PAGE_ROWS,
                    metrics=metrics, intents=list(Intent), statuses=list(ContractStatus),
                    chosen_intents=set(intent), chosen_statuses=set(status),
                    versions=versions(b, [r["id"] for r in items], Action.WRITE_CONTRACTS))


@router.get("/lifecycle")
def lifecycle(b: BoardDep) -> HTMLResponse:
    return b.render("lifecycle.html",
                    board=attempt(b, team.lifecycle_board, b.read, owner_id=None))


@router.get("/team")
def team_page(b: BoardDep) -> HTMLResponse:
    classes = attempt(b, classification.classification_table, b.read, from_=None, to=None,
                      level_by="tier", owner_id=None)
    return b.render("team.html", team=attempt(b, team.team_overview, b.read), classes=classes)


@router.get("/playbooks")
def playbook_page(b: BoardDep) -> HTMLResponse:
    definitions = attempt(b, playbooks.list_playbooks, b.container, b.principal)
    runs = attempt(b, run_list, b.read, customer_id=None, playbook=None,
                   status=None, limit=50)
    effect = attempt(b, effectiveness, b.read, playbook=None, from_=None, to=None)
    return b.render("playbooks.html",
                    definitions=[] if definitions is None else definitions.playbooks,
                    runs=(runs or {}).get("items", []), effect=effect)
