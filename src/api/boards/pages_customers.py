"""Board pages of customers: the list (search, filters, sort, pages) and the customer 360."""

from __future__ import annotations

from enum import Enum
from typing import Any, TypeVar
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.boards.timeline import actor_names, customer_timeline
from api.boards.web import BASE, Board, BoardDep, attempt
from api.permissions import Action, Scope, scope_of
from api.reads import team
from api.routers.benchmarks import benchmark_list
from api.routers.customers import customer_360, list_customers
from api.routers.referrals import referral_list
from api.routers.risks import risk_register
from cs_domain.customer import Stage, Tier
from cs_domain.rules import Band
from projections.query import MAX_LIMIT
from projections.views import health, users

router = APIRouter(prefix=BASE, include_in_schema=False)
E = TypeVar("E", bound=Enum)
SORTS = ("name", "tier", "stage", "owner_name", "region")
PAGE = 50
# With a phase filter the pages of the list are read on until a page is full (bounded).
MAX_SCANNED_PAGES = 20
TREND_POINTS = 52  # the health chart shows the latest year of weekly scores


def _enum(b: Board, cls: type[E], field: str, value: str | None) -> E | None:
    if not value:
        return None
    try:
        return cls(value)
    except ValueError:
        b.errors.append(f"{field}: {value!r} is not one of " + ", ".join(str(m.value) for m in cls))
        return None


def _int(b: Board, field: str, value: str | None, high: int) -> int | None:
    if not value:
        return None
    if value.isdigit() and int(value) <= high:
        return int(value)
    b.errors.append(f"{field}: must be a whole number from 0 to {high}")
    return None


def _uuid(b: Board, field: str, value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        b.errors.append(f"{field}: not an id")
        return None


def _phases(b: Board, owner_id: UUID | None) -> dict[str, str]:
    board = attempt(b, team.lifecycle_board, b.read, owner_id=owner_id)
    return {str(c["customer_id"]): p["phase"] for p in (board or {}).get("phases", [])
            for c in p["customers"]}


@router.get("/customers")
def customer_list(b: BoardDep, q: str | None = None, tier: str | None = None,
                  stage: str | None = None, phase: str | None = None,
                  health_band: str | None = None, owner_id: str | None = None,
                  expiring_within_days: str | None = None, sort: str = "name",
                  cursor: str | None = None) -> HTMLResponse:
    filters: dict[str, Any] = {
        "owner_id": _uuid(b, "owner_id", owner_id), "tier": _enum(b, Tier, "tier", tier),
        "stage": _enum(b, Stage, "stage", stage),
        "health_band": _enum(b, Band, "health_band", health_band), "q": (q or "")[:200] or None,
        "expiring_within_days": _int(b, "expiring_within_days", expiring_within_days, 36600)}
    phases = _phases(b, filters["owner_id"])
    rows: list[dict[str, Any]] = []
    next_cursor = cursor
    for _ in range(MAX_SCANNED_PAGES if phase else 1):
        page = attempt(b, list_customers, b.read, cursor=next_cursor, limit=PAGE,
                       **filters)
        if page is None:
            next_cursor = None
            break
        rows += [c for c in page["items"] if not phase or phases.get(str(c["id"])) == phase]
        next_cursor = page["next_cursor"]
        if next_cursor is None or len(rows) >= PAGE:
            break
    key = sort.removeprefix("-") if sort.removeprefix("-") in SORTS else "name"
    rows.sort(key=lambda c: str(c.get(key) or ""), reverse=sort.startswith("-"))
    owners = b.read.side.query(lambda conn: users.list_users(conn, b.read.at))["items"]
    return b.render("customers.html", rows=rows, phases=phases, next_cursor=next_cursor,
                    owners=[u for u in owners if u["role"] in ("csm", "manager")],
                    tiers=list(Tier), stages=list(Stage), bands=list(Band),
                    phase_names=sorted(set(phases.values())), sort=sort)


@router.get("/customers/{customer_id}")
def customer_page(b: BoardDep, customer_id: UUID) -> HTMLResponse:
    c = attempt(b, customer_360, customer_id, b.read)
    if c is None:
        return b.render("customer.html", status=404, c=None)
    # The same view query as GET /customers/{id}/health, alone (the 360 has the rest).
    history = attempt(b, b.read.side.query, lambda conn: health.health_history(
        conn, customer_id, at=b.read.at))
    timeline, current = customer_timeline(b, c)
    return b.render("customer.html", c=c, growth=_growth(b, customer_id),
                    history=(history or {}).get("items", [])[-TREND_POINTS:],
                    timeline=timeline, names=actor_names(b, [s["actor"] for s in timeline]),
                    versions=current, risk_owners=_risk_owners(b, c))


def _growth(b: Board, customer_id: UUID) -> dict[str, Any]:
    """The customer's benchmark case (if any) and the referrals it made (seed 001 §二.6/7)."""
    cases = attempt(b, benchmark_list, b.read, customer_id=customer_id, stage=None,
                    cursor=None, limit=1)
    referrals = attempt(b, referral_list, b.read, customer_id=customer_id,
                        owner_id=None, status=None, cursor=None, limit=20)
    return {"case": next(iter((cases or {}).get("items", [])), None),
            "referrals": (referrals or {}).get("items", [])}


def _risk_owners(b: Board, c: dict[str, Any]) -> dict[str, Any]:
    """The owner of each risk on the 360, from the risk register: needed only by a role
    that may close the risks it owns (for the others the answer does not depend on it)."""
    if b.past or not c["risks"] or scope_of(b.principal.role, Action.CLOSE_RISK) is not Scope.OWN:
        return {}
    page = attempt(b, risk_register, b.read, status=None, overdue=None, owner_id=None,
                   customer_id=c["id"], cursor=None, limit=MAX_LIMIT)
    return {str(r["id"]): r["owner_id"] for r in (page or {}).get("items", [])}
