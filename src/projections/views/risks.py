"""Risks view: the risk register (open / overdue / closed), time to close, the 360's
risks, and each risk's audit trail.

A risk row holds its current state; an episode row per open→closed stretch (the
first from `raised_on`, one more per reopening from `reopened_on`) gives time to
close in business days. "Overdue" is always evaluated against the `today` a query
is given (open and due date before today, as `Risk.is_overdue`); `marked_overdue`
says whether the time-driven tick has recorded it (and reminded the owner).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import Boolean, Connection, Date, Integer, String, Uuid, bindparam, or_, select

from cs_domain import deadlines
from cs_domain.app import CustomerSuccess
from cs_domain.risk import Risk, RiskStatus
from projections import rule_sql
from projections.log import Step, trail_of
from projections.query import (
    as_list,
    check_limit,
    check_values,
    date_page,
    mean,
    median,
)
from projections.shapes import Measure, NotRequired, Position, TypedDict
from projections.versioned import VersionedTable
from projections.view import Reader, View, ViewTx, on
from projections.views import users
from projections.views.customers import CUSTOMERS

RISKS = VersionedTable(
    "risks", "risks",
    keys=[("id", Uuid())],
    columns=[
        ("customer_id", Uuid()), ("title", String(200)), ("category", String(16)),
        ("severity", String(8)), ("status", String(16)), ("owner_id", Uuid()),
        ("raised_by", String(64)), ("raised_on", Date()), ("due_date", Date()),
        ("escalation_level", Integer()), ("escalated_to", Uuid()),
        ("marked_overdue", Boolean()), ("overdue_marked_on", Date()),
        ("strategy", String(5000)), ("strategy_set_on", Date()), ("todos", Integer()),
        ("mitigations", Integer()), ("closed_on", Date()), ("resolution", String(5000)),
        ("reopened_on", Date()), ("times_reopened", Integer()),
    ],
    indexes=[("customer_id",), ("owner_id",), ("due_date", "id")],
    current_indexes=[("customer_id",), ("owner_id",), ("due_date", "id")],
)

# One row per open→closed stretch of a risk: episode 0 from raised_on, n from the n-th reopening.
EPISODES = VersionedTable(
    "risks", "risk_episodes",
    keys=[("risk_id", Uuid()), ("episode", Integer())],
    columns=[("customer_id", Uuid()), ("opened_on", Date()), ("closed_on", Date())],
    indexes=[("closed_on",), ("opened_on",)],
)

OPEN_STATUSES = (RiskStatus.OPEN.value, RiskStatus.MITIGATING.value)
# The customer 360 lists open risks and those closed in the last 30 days (so a risk
# closed last week still shows, with its status, until it is no longer news).
RECENTLY_CLOSED_DAYS = 30


class RiskLine(TypedDict):
    """A risk as the customer 360 lists it (open ones and those closed in 30 days)."""

    id: UUID
    title: str
    status: Annotated[str, Field(description="open | mitigating | closed")]
    severity: Annotated[str, Field(description="low | medium | high | critical")]
    due_date: date | None
    overdue: Annotated[bool, Field(description="Not closed and due before `today`.")]
    closed_on: date | None


class RiskItem(TypedDict):
    """A risk as the register shows it."""

    id: UUID
    customer_id: UUID
    customer_name: str | None
    title: str
    category: str
    severity: str
    status: Annotated[str, Field(description="open | mitigating | closed")]
    owner_id: UUID | None
    owner_name: str | None
    raised_by: str | None
    raised_on: date
    due_date: date
    overdue: Annotated[bool, Field(description="Not closed and due before `today`.")]
    marked_overdue: Annotated[bool, Field(
        description="The time-driven tick recorded it as overdue.")]
    escalation_level: int
    escalated_to: UUID | None
    strategy: str | None
    strategy_set_on: date | None
    todos: Annotated[int, Field(description="Tasks created by strategies.")]
    mitigations: int
    closed_on: date | None
    resolution: str | None
    reopened_on: date | None
    times_reopened: int


class RiskOne(RiskItem):
    position: Position


class RiskRegister(TypedDict):
    items: list[RiskItem]
    next_cursor: str | None
    position: int


# `from` is a keyword: the functional form (the API's RiskMetrics documents it).
RiskMetrics = TypedDict("RiskMetrics", {
    "from": date, "to": date, "opened": int, "reopened": int, "closed": int,
    "mean_days_to_close": Measure | None, "median_days_to_close": Measure | None,
    "open_now": int, "overdue_now": int, "position": int,
})


class RiskStep(Step):
    """A step of a risk's trail; with `with_tasks`, a task's step names its task."""

    task_id: NotRequired[UUID]


def is_overdue(status: str, due_date: date, today: date) -> bool:
    """`cs_domain.deadlines.is_overdue` for a risk (open: not closed), as `Risk.is_overdue`."""
    return deadlines.is_overdue(status in OPEN_STATUSES, due_date, today)


def overdue_condition(t: Any, today: date) -> Any:
    return rule_sql.overdue_condition(t, today, OPEN_STATUSES)


def risks_of_customer(r: Reader, customer_id: UUID, today: date) -> list[RiskLine]:
    """The 360's `risks`: open ones and those closed in the last 30 days, open first,
    then by due date: `[{id, title, status, severity, due_date, overdue, closed_on}]`."""
    stmt = r.prepared("risks_of_customer", [RISKS], lambda t: select(t).where(
        t.c.customer_id == bindparam("customer_id"), r.visible_bound(t),
        or_(t.c.status.in_(OPEN_STATUSES), t.c.closed_on >= bindparam("closed_since"))))
    rows = list(r.run(stmt, {"customer_id": customer_id,
                             "closed_since": today - timedelta(days=RECENTLY_CLOSED_DAYS)}))
    rows.sort(key=lambda x: (x.status == RiskStatus.CLOSED.value, x.due_date, x.title, x.id))
    return [{"id": x.id, "title": x.title, "status": x.status, "severity": x.severity,
             "due_date": x.due_date, "overdue": is_overdue(x.status, x.due_date, today),
             "closed_on": x.closed_on} for x in rows]


class RisksView(View):
    name = "risks"
    tables = (RISKS, EPISODES)
    customer_sections = {"risks": risks_of_customer}

    @on(Risk.Raised)
    def raised(self, tx: ViewTx, e: Risk.Raised) -> None:
        tx[RISKS].put(e.originator_id, {
            "customer_id": e.customer_id, "title": e.title, "category": e.category,
            "severity": e.severity, "status": RiskStatus.OPEN.value, "owner_id": e.owner_id,
            "raised_by": e.actor[:64], "raised_on": e.raised_on, "due_date": e.due_date,
            "escalation_level": 0, "escalated_to": None, "marked_overdue": False,
            "overdue_marked_on": None, "strategy": None, "strategy_set_on": None, "todos": 0,
            "mitigations": 0, "closed_on": None, "resolution": None, "reopened_on": None,
            "times_reopened": 0,
        })
        tx[EPISODES].put((e.originator_id, 0), {
            "customer_id": e.customer_id, "opened_on": e.raised_on, "closed_on": None})

    @on(Risk.StrategySet)
    def strategy_set(self, tx: ViewTx, e: Risk.StrategySet) -> None:
        row = tx[RISKS].require(e.originator_id)
        tx[RISKS].update(e.originator_id, status=RiskStatus.MITIGATING.value,
                         strategy=e.strategy, strategy_set_on=e.set_on, owner_id=e.owner_id,
                         todos=row["todos"] + len(e.todos))

    @on(Risk.MitigationRecorded)
    def mitigation(self, tx: ViewTx, e: Risk.MitigationRecorded) -> None:
        row = tx[RISKS].require(e.originator_id)
        tx[RISKS].update(e.originator_id, status=RiskStatus.MITIGATING.value,
                         mitigations=row["mitigations"] + 1)

    @on(Risk.Closed)
    def closed(self, tx: ViewTx, e: Risk.Closed) -> None:
        row = tx[RISKS].require(e.originator_id)
        tx[RISKS].update(e.originator_id, status=RiskStatus.CLOSED.value,
                         resolution=e.resolution, closed_on=e.closed_on, marked_overdue=False)
        tx[EPISODES].update((e.originator_id, row["times_reopened"]), closed_on=e.closed_on)

    @on(Risk.Reopened)
    def reopened(self, tx: ViewTx, e: Risk.Reopened) -> None:
        row = tx[RISKS].require(e.originator_id)
        episode = row["times_reopened"] + 1
        tx[RISKS].update(e.originator_id, status=RiskStatus.OPEN.value, reopened_on=e.reopened_on,
                         due_date=e.due_date, resolution=None, closed_on=None,
                         times_reopened=episode, marked_overdue=False)
        tx[EPISODES].put((e.originator_id, episode), {
            "customer_id": row["customer_id"], "opened_on": e.reopened_on, "closed_on": None})

    @on(Risk.Escalated)
    def escalated(self, tx: ViewTx, e: Risk.Escalated) -> None:
        tx[RISKS].update(e.originator_id, escalation_level=e.level, escalated_to=e.escalated_to)

    @on(Risk.DueDateChanged)
    def due_date_changed(self, tx: ViewTx, e: Risk.DueDateChanged) -> None:
        tx[RISKS].update(e.originator_id, due_date=e.due_date, marked_overdue=False)

    @on(Risk.OwnerAssigned)
    def owner_assigned(self, tx: ViewTx, e: Risk.OwnerAssigned) -> None:
        tx[RISKS].update(e.originator_id, owner_id=e.owner_id)

    @on(Risk.MarkedOverdue)
    def marked_overdue(self, tx: ViewTx, e: Risk.MarkedOverdue) -> None:
        tx[RISKS].update(e.originator_id, marked_overdue=True,
                         overdue_marked_on=e.detected_at.date())


def _item(x: Any, names: dict[UUID, str], today: date) -> RiskItem:
    return {
        "id": x.id, "customer_id": x.customer_id, "customer_name": x.customer_name,
        "title": x.title, "category": x.category, "severity": x.severity, "status": x.status,
        "owner_id": x.owner_id, "owner_name": names.get(x.owner_id), "raised_by": x.raised_by,
        "raised_on": x.raised_on, "due_date": x.due_date,
        "overdue": is_overdue(x.status, x.due_date, today), "marked_overdue": x.marked_overdue,
        "escalation_level": x.escalation_level, "escalated_to": x.escalated_to,
        "strategy": x.strategy, "strategy_set_on": x.strategy_set_on, "todos": x.todos,
        "mitigations": x.mitigations, "closed_on": x.closed_on, "resolution": x.resolution,
        "reopened_on": x.reopened_on, "times_reopened": x.times_reopened,
    }


def _select(r: Reader) -> tuple[Any, Any]:
    t, c = r.table(RISKS), r.table(CUSTOMERS)
    return t, (select(t, c.c.name.label("customer_name"))
               .join(c, (c.c.id == t.c.customer_id) & r.visible(c), isouter=True)
               .where(r.visible(t)))


def get_risk(conn: Connection, risk_id: UUID, *, today: date, at: int | None = None
             ) -> RiskOne | None:
    """One risk as the register shows it, plus `position`; None if unknown (as of `at`)."""
    r = Reader(conn, at, today)
    t, stmt = _select(r)
    row = conn.execute(stmt.where(t.c.id == risk_id)).first()
    if row is None:
        return None
    return RiskOne(**_item(row, users.names(r, [row.owner_id]), today), position=r.position)


def risk_register(
    conn: Connection, *, today: date, status: str | Collection[str] | None = None,
    overdue: bool | None = None, owner_id: UUID | None = None, customer_id: UUID | None = None,
    cursor: str | None = None, limit: int = 50, at: int | None = None,
) -> RiskRegister:
    """The risk register, by due date (then id), one page at a time.

    `status`: a status (open, mitigating, closed) or several; `overdue=True` keeps risks
    not closed whose due date is before `today`, `False` the others; `owner_id` is the
    risk's owner. Returns `{items, next_cursor, position}`.
    """
    check_limit(limit)
    statuses = as_list(status)
    check_values("status", statuses, (s.value for s in RiskStatus))
    r = Reader(conn, at, today)
    t, stmt = _select(r)
    if statuses is not None:
        stmt = stmt.where(t.c.status.in_(statuses))
    if overdue is not None:
        cond = overdue_condition(t, today)
        stmt = stmt.where(cond if overdue else ~cond)
    if owner_id is not None:
        stmt = stmt.where(t.c.owner_id == owner_id)
    if customer_id is not None:
        stmt = stmt.where(t.c.customer_id == customer_id)
    page, next_cursor = date_page(conn, stmt, t, "due_date", cursor, limit)
    names = users.names(r, [x.owner_id for x in page])
    return {"items": [_item(x, names, today) for x in page], "next_cursor": next_cursor,
            "position": r.position}


def risk_metrics(conn: Connection, from_: date, to: date, *, today: date | None = None,
                 at: int | None = None) -> RiskMetrics:
    """Risk figures for the business period [from_, to] (both inclusive).

    `opened`: risks raised in the range; `reopened`: reopenings dated in it; `closed`:
    closings dated in it (a risk closed, reopened and closed again counts twice);
    `mean_days_to_close` / `median_days_to_close`: over those closings, days from the
    episode's start (raised_on, or reopened_on for a reopened risk) to closed_on;
    `open_now`: risks not closed; `overdue_now`: of those, due before `today`
    (default: `to`).
    """
    r = Reader(conn, at, today)
    t, ep = r.table(RISKS), r.table(EPISODES)
    in_range = ep.c.opened_on.between(from_, to)
    opened = conn.execute(select(ep.c.episode).where(
        r.visible(ep), in_range)).scalars().all()
    closings = conn.execute(select(ep.c.opened_on, ep.c.closed_on).where(
        r.visible(ep), ep.c.closed_on.between(from_, to))).all()
    days = [(x.closed_on - x.opened_on).days for x in closings]
    current = conn.execute(select(t.c.status, t.c.due_date).where(
        r.visible(t), t.c.status.in_(OPEN_STATUSES))).all()
    reference = today or to
    return {
        "from": from_, "to": to,
        "opened": sum(1 for e in opened if e == 0),
        "reopened": sum(1 for e in opened if e > 0),
        "closed": len(closings),
        "mean_days_to_close": mean(days), "median_days_to_close": median(days),
        "open_now": len(current),
        "overdue_now": sum(1 for x in current if is_overdue(x.status, x.due_date, reference)),
        "position": r.position,
    }


def risk_trail(app: CustomerSuccess, risk_id: UUID, at: int | None = None,
               *, with_tasks: bool = False) -> list[RiskStep] | None:
    """Every step of one risk in order (read from the log itself, so it is complete and
    as tamper-evident as the chain): `{position, recorded_at, version, actor, type, data}`.

    A StrategySet step's `data` also lists `task_ids`, the tasks its todos became. With
    `with_tasks` the steps of those tasks are merged in by position (each with
    `task_id`). `at` leaves out steps after that position. None if there is no such risk.
    """
    steps: list[RiskStep] = [{**s} for s in trail_of(app, risk_id)]
    if not steps or steps[0]["type"] != "Risk.Raised":
        return None
    task_ids: list[UUID] = []
    for step in steps:
        if step["type"] == "Risk.StrategySet":
            ids = [todo["task_id"] for todo in step["data"]["todos"]]
            step["data"]["task_ids"] = ids
            task_ids.extend(ids)
    if with_tasks:
        for task_id in task_ids:
            steps.extend({**s, "task_id": task_id} for s in trail_of(app, task_id))
        steps.sort(key=lambda s: s["position"])
    if at is not None:
        steps = [s for s in steps if s["position"] <= at]
    return steps or None
