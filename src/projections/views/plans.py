"""Plans view: success plans (客成计划) with their milestones, due dates and lateness.

Answers "what is this customer's plan and are we on time" (the customer 360's `plans`:
its open plans with their milestones) and "how late are our milestones" (seed 001
measures lateness; the team view can reuse `milestone_lateness`). Lateness is always
relative to a `today` passed in, never the clock:
- completed: days late = completed_on - due_date (0 if on time), as the aggregate records;
- missed: late; days late = missed_on - due_date (0 if declared missed early);
- pending: overdue when today > due_date; days late = today - due_date.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import BigInteger, Connection, Date, Integer, String, Text, Uuid, bindparam, select

from cs_domain import deadlines
from cs_domain.plan import MilestoneStatus, PlanStatus, SuccessPlan
from projections.query import mean
from projections.shapes import Measure, Position, Ratio, TypedDict
from projections.versioned import VersionedTable
from projections.view import Reader, View, ViewTx, on
from projections.views import users
from projections.views.contracts import ratio
from projections.views.customers import CUSTOMERS

PLANS = VersionedTable(
    "plans", "plans",
    keys=[("id", Uuid())],
    columns=[
        ("customer_id", Uuid()), ("name", String(200)), ("template", String(64)),
        ("start_date", Date()), ("previous_plan_id", Uuid()), ("status", String(16)),
        ("activated_on", Date()), ("closed_on", Date()), ("abandon_reason", Text()),
        ("milestones", Integer()), ("drafted_position", BigInteger()),
    ],
    indexes=[("customer_id",)], current_indexes=[("customer_id",)],
)

MILESTONES = VersionedTable(
    "plans", "plan_milestones",
    keys=[("plan_id", Uuid()), ("milestone_id", Uuid())],
    columns=[
        ("customer_id", Uuid()), ("seq", Integer()), ("title", String(200)),
        ("due_date", Date()), ("acceptance_criterion", Text()), ("status", String(16)),
        ("resolved_on", Date()), ("note", Text()), ("days_late", Integer()),
    ],
    indexes=[("customer_id",), ("due_date",)],
    current_indexes=[("customer_id",), ("due_date",)],
)

OPEN = (PlanStatus.DRAFT.value, PlanStatus.ACTIVE.value)
PENDING, COMPLETED, MISSED = (MilestoneStatus.PENDING.value, MilestoneStatus.COMPLETED.value,
                              MilestoneStatus.MISSED.value)


class Lateness(TypedDict):
    late: bool
    overdue: bool
    days_late: int


class PlanMilestone(TypedDict):
    id: UUID
    title: str
    due_date: date
    acceptance_criterion: str | None
    status: Annotated[str, Field(description="pending | completed | missed")]
    resolved_on: date | None
    note: str | None
    late: bool
    overdue: bool
    days_late: int


class PlanCounts(TypedDict):
    total: int
    pending: int
    completed: int
    missed: int
    overdue: int
    late: int


class Plan(TypedDict):
    id: UUID
    customer_id: UUID
    name: str
    template: str | None
    status: Annotated[str, Field(description="draft | active | completed | abandoned")]
    start_date: date
    activated_on: date | None
    closed_on: date | None
    previous_plan_id: UUID | None
    abandon_reason: str | None
    milestones: list[PlanMilestone]
    counts: PlanCounts
    next_milestone: PlanMilestone | None


class PlanOne(Plan):
    position: Position


class PlanList(TypedDict):
    items: list[Plan]
    position: int


class LatenessSummary(TypedDict):
    total: int
    on_time: int
    completed_late: int
    missed: int
    overdue: int
    pending: int
    late: int
    late_rate: Annotated[Ratio | None, Field(description="late / (total - pending).")]
    mean_days_late: Measure | None


class OwnerLateness(LatenessSummary):
    owner_id: UUID | None
    owner_name: str | None


class LateMilestone(PlanMilestone):
    plan_id: UUID
    plan_name: str
    customer_id: UUID
    customer_name: str | None
    owner_id: UUID | None


# `from` is a keyword: the functional form (the API's MilestoneLateness declares it too).
MilestoneLateness = TypedDict("MilestoneLateness", {
    "from": date | None, "to": date | None, "today": date, "items": list[LateMilestone],
    "summary": LatenessSummary, "by_owner": list[OwnerLateness], "position": int})


def plans_section(r: Reader, customer_id: UUID, today: date) -> list[Plan]:
    """The customer 360's `plans`: open plans (active first, then drafts) with milestones."""
    return _plans(r, today, customer_id=customer_id, statuses=OPEN)


class PlansView(View):
    name = "plans"
    tables = (PLANS, MILESTONES)
    customer_sections = {"plans": plans_section}

    def _milestone(self, tx: ViewTx, plan_id: UUID, customer_id: UUID, seq: int,
                   m: dict[str, Any]) -> None:
        tx[MILESTONES].put((plan_id, m["milestone_id"]), {
            "customer_id": customer_id, "seq": seq, "title": m["title"],
            "due_date": m["due_date"], "acceptance_criterion": m["acceptance_criterion"],
            "status": PENDING, "resolved_on": None, "note": None, "days_late": None,
        })

    @on(SuccessPlan.Drafted)
    def drafted(self, tx: ViewTx, e: SuccessPlan.Drafted) -> None:
        tx[PLANS].put(e.originator_id, {
            "customer_id": e.customer_id, "name": e.name, "template": e.template,
            "start_date": e.start_date, "previous_plan_id": e.previous_plan_id,
            "status": PlanStatus.DRAFT.value, "activated_on": None, "closed_on": None,
            "abandon_reason": None, "milestones": len(e.milestones),
            "drafted_position": tx.position,
        })
        for seq, m in enumerate(e.milestones):
            self._milestone(tx, e.originator_id, e.customer_id, seq, m)

    @on(SuccessPlan.MilestoneAdded)
    def milestone_added(self, tx: ViewTx, e: SuccessPlan.MilestoneAdded) -> None:
        plan = tx[PLANS].require(e.originator_id)
        self._milestone(tx, e.originator_id, plan["customer_id"], plan["milestones"], {
            "milestone_id": e.milestone_id, "title": e.title, "due_date": e.due_date,
            "acceptance_criterion": e.acceptance_criterion})
        tx[PLANS].update(e.originator_id, milestones=plan["milestones"] + 1)

    @on(SuccessPlan.MilestoneCompleted)
    def milestone_completed(self, tx: ViewTx, e: SuccessPlan.MilestoneCompleted) -> None:
        key = (e.originator_id, e.milestone_id)
        m = tx[MILESTONES].require(key)
        tx[MILESTONES].update(key, status=COMPLETED, resolved_on=e.completed_on,
                              note=e.evidence,
                              days_late=max(0, (e.completed_on - m["due_date"]).days))

    @on(SuccessPlan.MilestoneMissed)
    def milestone_missed(self, tx: ViewTx, e: SuccessPlan.MilestoneMissed) -> None:
        key = (e.originator_id, e.milestone_id)
        m = tx[MILESTONES].require(key)
        tx[MILESTONES].update(key, status=MISSED, resolved_on=e.missed_on, note=e.note,
                              days_late=max(0, (e.missed_on - m["due_date"]).days))

    @on(SuccessPlan.Activated)
    def activated(self, tx: ViewTx, e: SuccessPlan.Activated) -> None:
        tx[PLANS].update(e.originator_id, status=PlanStatus.ACTIVE.value,
                         activated_on=e.activated_on)

    @on(SuccessPlan.Completed)
    def completed(self, tx: ViewTx, e: SuccessPlan.Completed) -> None:
        tx[PLANS].update(e.originator_id, status=PlanStatus.COMPLETED.value,
                         closed_on=e.completed_on)

    @on(SuccessPlan.Abandoned)
    def abandoned(self, tx: ViewTx, e: SuccessPlan.Abandoned) -> None:
        tx[PLANS].update(e.originator_id, status=PlanStatus.ABANDONED.value,
                         closed_on=e.abandoned_on, abandon_reason=e.reason)


def lateness(row: Any, today: date) -> Lateness:
    """`late`, `overdue` and `days_late` of a milestone as of today (module docstring)."""
    if row.status == PENDING:
        overdue = deadlines.is_overdue(True, row.due_date, today)
        return {"late": overdue, "overdue": overdue,
                "days_late": (today - row.due_date).days if overdue else 0}
    late = row.status == MISSED or (row.days_late or 0) > 0
    return {"late": late, "overdue": False, "days_late": row.days_late or 0}


def milestone_of(row: Any, today: date) -> PlanMilestone:
    return PlanMilestone(id=row.milestone_id, title=row.title, due_date=row.due_date,
                         acceptance_criterion=row.acceptance_criterion, status=row.status,
                         resolved_on=row.resolved_on, note=row.note, **lateness(row, today))


def plan_of(row: Any, milestones: list[PlanMilestone]) -> Plan:
    pending = [m for m in milestones if m["status"] == PENDING]
    return {
        "id": row.id, "customer_id": row.customer_id, "name": row.name,
        "template": row.template, "status": row.status, "start_date": row.start_date,
        "activated_on": row.activated_on, "closed_on": row.closed_on,
        "previous_plan_id": row.previous_plan_id, "abandon_reason": row.abandon_reason,
        "milestones": milestones,
        "counts": {"total": len(milestones), "pending": len(pending),
                   "completed": sum(m["status"] == COMPLETED for m in milestones),
                   "missed": sum(m["status"] == MISSED for m in milestones),
                   "overdue": sum(m["overdue"] for m in milestones),
                   "late": sum(m["late"] for m in milestones)},
        "next_milestone": min(pending, key=lambda m: (m["due_date"], m["title"]), default=None),
    }


def _plans(r: Reader, today: date, *, customer_id: UUID | None = None,
           plan_id: UUID | None = None, statuses: tuple[str, ...] | None = None
           ) -> list[Plan]:
    def mine(t: Any, plan_column: str) -> Any:
        """The visible rows of `t` of the customer and/or plan asked for."""
        stmt = select(t).where(r.visible_bound(t))
        if customer_id is not None:
            stmt = stmt.where(t.c.customer_id == bindparam("customer_id"))
        if plan_id is not None:
            stmt = stmt.where(t.c[plan_column] == bindparam("plan_id"))
        return stmt

    def plans_stmt(p: Any) -> Any:
        stmt = mine(p, "id")
        if statuses is not None:
            stmt = stmt.where(p.c.status.in_(bindparam("statuses", expanding=True)))
        return stmt.order_by(p.c.start_date.desc(), p.c.drafted_position)

    def milestones_stmt(m: Any) -> Any:
        return mine(m, "plan_id").order_by(m.c.due_date, m.c.seq)

    shape = (customer_id is not None, plan_id is not None, statuses is not None)
    values: dict[str, Any] = {k: v for k, v in (
        ("customer_id", customer_id), ("plan_id", plan_id),
        ("statuses", None if statuses is None else list(statuses))) if v is not None}
    plans = r.run(r.prepared(("plans", *shape), [PLANS], plans_stmt), values).all()
    if not plans:
        return []
    values.pop("statuses", None)
    per: dict[UUID, list[PlanMilestone]] = {}
    for row in r.run(r.prepared(("plan_milestones", *shape[:2]), [MILESTONES], milestones_stmt),
                     values):
        per.setdefault(row.plan_id, []).append(milestone_of(row, today))
    # Active before draft: the 360 shows the plan being worked on first.
    plans = sorted(plans, key=lambda row: row.status != PlanStatus.ACTIVE.value)
    return [plan_of(row, per.get(row.id, [])) for row in plans]


def plans_of(conn: Connection, customer_id: UUID, *, today: date,
             status: str | None = None, at: int | None = None) -> PlanList:
    """A customer's plans (all, or of one status), newest start first:
    `{items: [{id, name, template, status, start_date, activated_on, closed_on,
    previous_plan_id, milestones: [...], counts, next_milestone}], position}`."""
    r = Reader(conn, at, today)
    items = _plans(r, today, customer_id=customer_id,
                   statuses=(status,) if status is not None else None)
    return {"items": items, "position": r.position}


def get_plan(conn: Connection, plan_id: UUID, *, today: date, at: int | None = None
             ) -> PlanOne | None:
    r = Reader(conn, at, today)
    found = _plans(r, today, plan_id=plan_id)
    return None if not found else PlanOne(**found[0], position=r.position)


def summary(milestones: Sequence[PlanMilestone]) -> LatenessSummary:
    """Counts and lateness of milestones: on time, late (completed late, missed or
    overdue), still pending and not yet due; `late_rate` = late / (total - pending)."""
    pending = sum(m["status"] == PENDING and not m["overdue"] for m in milestones)
    late = [m for m in milestones if m["late"]]
    return {
        "total": len(milestones),
        "on_time": sum(m["status"] == COMPLETED and not m["late"] for m in milestones),
        "completed_late": sum(m["status"] == COMPLETED and m["late"] for m in milestones),
        "missed": sum(m["status"] == MISSED for m in milestones),
        "overdue": sum(m["overdue"] for m in milestones),
        "pending": pending, "late": len(late),
        "late_rate": ratio(len(late), len(milestones) - pending),
        "mean_days_late": mean([Decimal(m["days_late"]) for m in late]),
    }


def milestone_lateness(
    conn: Connection, *, today: date, from_: date | None = None, to: date | None = None,
    owner_id: UUID | None = None, customer_id: UUID | None = None, at: int | None = None,
) -> MilestoneLateness:
    """Lateness of plan milestones due in [from_, to] (both optional, inclusive), as of today.

    Counts the milestones of plans in force (active, completed or abandoned; never a
    draft), leaving out the still-pending milestones of abandoned plans. Returns
    `{from, to, today, items: [milestone + plan_id, plan_name, customer_id, customer_name,
    owner_id], summary, by_owner: [{owner_id, owner_name, **summary}], position}`.
    """
    r = Reader(conn, at, today)
    p, m, c = r.table(PLANS), r.table(MILESTONES), r.table(CUSTOMERS)
    stmt = (
        select(m, p.c.name.label("plan_name"), p.c.status.label("plan_status"),
               c.c.name.label("customer_name"), c.c.owner_id)
        .join(p, (p.c.id == m.c.plan_id) & r.visible(p))
        .join(c, (c.c.id == m.c.customer_id) & r.visible(c), isouter=True)
        .where(r.visible(m), p.c.status != PlanStatus.DRAFT.value)
    )
    if from_ is not None:
        stmt = stmt.where(m.c.due_date >= from_)
    if to is not None:
        stmt = stmt.where(m.c.due_date <= to)
    if owner_id is not None:
        stmt = stmt.where(c.c.owner_id == owner_id)
    if customer_id is not None:
        stmt = stmt.where(m.c.customer_id == customer_id)
    rows = [row for row in conn.execute(stmt.order_by(m.c.due_date, c.c.name_folded, m.c.seq))
            if not (row.plan_status == PlanStatus.ABANDONED.value and row.status == PENDING)]
    items = [LateMilestone(**milestone_of(row, today), plan_id=row.plan_id,
                           plan_name=row.plan_name, customer_id=row.customer_id,
                           customer_name=row.customer_name, owner_id=row.owner_id)
             for row in rows]
    owners: dict[UUID | None, list[LateMilestone]] = {}
    for item in items:
        owners.setdefault(item["owner_id"], []).append(item)
    names = users.names(r, owners)
    by_owner = sorted((OwnerLateness(owner_id=o, owner_name=names.get(o) if o else None,
                                     **summary(ms)) for o, ms in owners.items()),
                      key=lambda x: (x["owner_name"] or "", str(x["owner_id"])))
    return {"from": from_, "to": to, "today": today, "items": items, "summary": summary(items),
            "by_owner": by_owner, "position": r.position}
