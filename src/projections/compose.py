"""Reads that combine views: the customer list and the customer 360.

They are assembled from each view's own query functions plus the hooks registered
views declare (`customer_filters`, `customer_sections`, `contract_progress`), so a new
view adds a 360 section or a list filter without changing this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Annotated, Any, TypeVar, cast
from uuid import UUID

from pydantic import Field
from sqlalchemy import Connection, and_, exists, or_, select

from cs_domain.customer import Stage
from projections import registry
from projections.query import MAX_LIMIT, InvalidQuery, check_limit, decode_cursor, encode_cursor
from projections.shapes import Position, Ratio, TypedDict
from projections.view import Reader
from projections.views import users
from projections.views.activities import ActivityItem
from projections.views.business_changes import BusinessChangeLine
from projections.views.complaints import ComplaintLine
from projections.views.contracts import (
    CONTRACTS,
    ContractDetail,
    ContractLine,
    contract_of,
    contracts_of,
)
from projections.views.customers import (
    CUSTOMERS,
    Contact,
    Profile,
    contacts_of,
    customer_profile,
    fold,
    profile_of,
)
from projections.views.handover import Expectation, Handover
from projections.views.health import HealthNow
from projections.views.plans import Plan
from projections.views.playbook_runs import PlaybookRun
from projections.views.requirements import RequirementsSection, no_requirements
from projections.views.risks import RiskLine
from projections.views.subscriptions import Subscription
from projections.views.tasks import OpenTask
from projections.views.touchpoints import Touchpoint

LIVE_CONTRACT = ("signed", "active")
__all__ = ["MAX_LIMIT", "Customer360", "InvalidQuery", "contract_detail", "customer_360",
           "customer_list", "fill_progress"]


class _Customer(Profile):
    contacts: list[Contact]
    contracts: Annotated[list[ContractLine], Field(description="Newest end date first.")]


class Sections(TypedDict):
    """The 360's sections: each is a registered view's (`View.customer_sections`, the
    key its function answers; tests/projections/test_queries.py checks that the two agree)."""

    health: Annotated[HealthNow | None, Field(
        description="The latest health score with its components and trend (null: none yet).")]
    risks: Annotated[list[RiskLine], Field(
        description="Open risks and those closed in the last 30 days.")]
    requirements: RequirementsSection
    plans: Annotated[list[Plan], Field(description="Plans in force (draft or active).")]
    open_tasks: list[OpenTask]
    complaints: Annotated[list[ComplaintLine], Field(description="Complaints not yet reviewed.")]
    last_touchpoints: Annotated[list[Touchpoint], Field(description="The latest touchpoints.")]
    subscriptions: list[Subscription]
    playbook_runs: Annotated[list[PlaybookRun], Field(
        description="The customer's playbook runs, newest first.")]
    handover: Annotated[Handover | None, Field(
        description="The latest handover from sales; null before one.")]
    expectations: Annotated[list[Expectation], Field(description=(
        "The customer's agreed expectations (set by the handover, replaced by an agreement)."))]
    activities: Annotated[list[ActivityItem], Field(description=(
        "Activities planned with the customer (seed 001 §二.4), the latest 20 by business "
        "date of planning, newest first."))]
    business_changes: Annotated[list[BusinessChangeLine], Field(description=(
        "Changes of the customer's business reported (merger, closure, budget cut, "
        "leadership change), newest first."))]


class Customer360(_Customer, Sections):
    """`customer_360`: the profile fields, `contacts`, `contracts`, the sections and the
    position."""

    position: Position


def no_sections() -> Sections:
    """Every section as a customer with nothing recorded reads: the key of a view that is
    not registered (tests, tools) is there all the same."""
    return {"health": None, "risks": [], "requirements": no_requirements(), "plans": [],
            "open_tasks": [], "complaints": [], "last_touchpoints": [], "subscriptions": [],
            "playbook_runs": [], "handover": None, "expectations": [], "activities": [],
            "business_changes": []}


class CustomerList(TypedDict):
    items: list[Profile]
    next_cursor: str | None
    position: int


def _decode_name_cursor(cursor: str) -> tuple[str, UUID]:
    name, ident = decode_cursor(cursor, 2)
    try:
        return name, UUID(ident)
    except ValueError:
        raise InvalidQuery("cursor", "is not a cursor this list returned") from None


def customer_list(
    conn: Connection, *, today: date, owner_id: UUID | None = None, tier: str | None = None,
    stage: str | None = None, q: str | None = None, expiring_within_days: int | None = None,
    health_band: str | None = None, filters: Mapping[str, Any] | None = None,
    cursor: str | None = None, limit: int = 50, at: int | None = None,
    include_churned: bool = False,
) -> CustomerList:
    """Customers by name, filtered, one page at a time.

    Returns `{items: [profile...], next_cursor: str | None, position}`. `q` matches a
    case-insensitive substring of the name; `expiring_within_days` keeps customers with
    a signed/active contract ending between `today` and `today + N`; `health_band` and
    `filters` are served by views that register a customer filter (InvalidQuery if none);
    with `health_band`, churned customers are left out unless `include_churned`.
    """
    check_limit(limit)
    r = Reader(conn, at, today)
    c = r.table(CUSTOMERS)
    stmt = select(c).where(r.visible(c))
    if owner_id is not None:
        stmt = stmt.where(c.c.owner_id == owner_id)
    if tier is not None:
        stmt = stmt.where(c.c.tier == tier)
    if stage is not None:
        stmt = stmt.where(c.c.stage == stage)
    if q:
        pattern = "%" + fold(q).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(c.c.name_folded.like(pattern, escape="\\"))
    if expiring_within_days is not None:
        if expiring_within_days < 0:
            raise InvalidQuery("expiring_within_days", "must be 0 or more")
        k = r.table(CONTRACTS)
        stmt = stmt.where(exists(select(k.c.id).where(
            k.c.customer_id == c.c.id, k.c.status.in_(LIVE_CONTRACT), r.visible(k),
            k.c.end_date >= today, k.c.end_date <= today + timedelta(days=expiring_within_days),
        )))
    hooked = dict(filters or {})
    if health_band is not None:
        hooked["health_band"] = health_band
        if not include_churned:
            stmt = stmt.where(c.c.stage != Stage.CHURNED.value)
    for name, value in hooked.items():
        stmt = stmt.where(_hook_filter(name)(r, c, value))
    if cursor:
        name, ident = _decode_name_cursor(cursor)
        stmt = stmt.where(or_(c.c.name_folded > name,
                              and_(c.c.name_folded == name, c.c.id > ident)))
    rows = conn.execute(stmt.order_by(c.c.name_folded, c.c.id).limit(limit + 1)).all()
    page = rows[:limit]
    names = users.names(r, [x for row in page for x in (row.owner_id, row.support_manager_id)])
    next_cursor = None
    if len(rows) > limit:
        last = page[-1]
        next_cursor = encode_cursor(last.name_folded, last.id)
    return {"items": [profile_of(row, names) for row in page], "next_cursor": next_cursor,
            "position": r.position}


def _hook_filter(name: str) -> Any:
    for view in registry.VIEWS:
        if name in view.customer_filters:
            return view.customer_filters[name]
    raise InvalidQuery(name, "this filter needs a view that is not installed yet")


class _WithProgress(TypedDict):
    id: UUID
    progress: Ratio | None


# A contract line or a renewal: anything with a contract's id and its progress.
C = TypeVar("C", bound=_WithProgress)


def fill_progress(r: Reader, contracts: list[C]) -> list[C]:
    """Sets each contract's `progress` from the views that provide it (delivery projects);
    a contract no view knows progress of keeps None (no project: no progress known)."""
    if not contracts:
        return contracts
    for view in registry.VIEWS:
        progress = view.contract_progress(r, [k["id"] for k in contracts])
        for k in contracts:
            if progress and k["id"] in progress:
                k["progress"] = progress[k["id"]]
    return contracts


def contract_detail(conn: Connection, contract_id: UUID, today: date, at: int | None = None
                    ) -> ContractDetail | None:
    """One contract (`GET /contracts/{id}`): the 360's contract line with its progress,
    plus `customer_id` and `position`; None if unknown (as of `at`)."""
    r = Reader(conn, at, today)
    found = contract_of(r, contract_id, today)
    if found is None:
        return None
    return ContractDetail(**fill_progress(r, [found])[0], position=r.position)


def customer_360(conn: Connection, customer_id: UUID, today: date, at: int | None = None
                 ) -> Customer360 | None:
    """Everything about one customer, or None if it did not exist (as of `at`).

    Profile fields at the top level (as in the list), `contacts`, `contracts` (with
    `days_to_end` from `today` and `progress`), then one key per section (`Sections`:
    `health`, `risks`, `requirements`, ...), each from the view that registers it; and
    `position`.
    """
    r = Reader(conn, at, today)
    profile = customer_profile(r, customer_id)
    if profile is None:
        return None
    contracts = fill_progress(r, contracts_of(r, customer_id, today))
    # The registry's hooks are untyped (a view adds a key); Sections declares what each
    # answers and the test named there checks it.
    sections: dict[str, Any] = dict(no_sections())
    for view in registry.VIEWS:
        for key, section in view.customer_sections.items():
            sections[key] = section(r, customer_id, today)
    return cast(Customer360, {**profile, "contacts": contacts_of(r, customer_id),
                              "contracts": contracts, **sections, "position": r.position})
