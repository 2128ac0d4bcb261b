"""Requirements view: each requirement's current step and the business date of every
step of its loop (seed 001), for the customer 360 and the loop metrics.

collected → classified → analysed → handed_over → scheduled → delivered | rejected
→ feedback_given. The loop is open until feedback is given to the customer.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from itertools import pairwise
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import Connection, Date, String, Uuid, bindparam, select

from cs_domain.requirement import Requirement, RequirementStatus
from projections.query import (
    mean,
    median,
    status_list,
)
from projections.shapes import Measure, Position, Ratio, TypedDict
from projections.versioned import VersionedTable
from projections.view import Reader, View, ViewTx, on
from projections.views.contracts import ratio

S = RequirementStatus
# The loop's steps in order; an item reaches either delivered or rejected, never both.
STEPS = (S.COLLECTED, S.CLASSIFIED, S.ANALYSED, S.HANDED_OVER, S.SCHEDULED, S.DELIVERED,
         S.REJECTED, S.FEEDBACK_GIVEN)
DATE_COLUMN = {s.value: f"{s.value}_on" for s in STEPS}
OPEN_STEPS = tuple(s.value for s in STEPS if s != S.FEEDBACK_GIVEN)

REQUIREMENTS = VersionedTable(
    "requirements", "requirements",
    keys=[("id", Uuid())],
    columns=[
        ("customer_id", Uuid()), ("summary", String(200)), ("requested_by", String(200)),
        ("status", String(16)), ("category", String(16)), ("priority", String(16)),
        ("product_fit", String(16)), ("product_ref", String(100)),
        ("target_date", Date()), ("release", String(100)),
        *((DATE_COLUMN[s.value], Date()) for s in STEPS),
    ],
    indexes=[("customer_id",), ("collected_on", "id")],
    current_indexes=[("customer_id",), ("collected_on", "id")],
)


class RequirementItem(TypedDict):
    id: UUID
    customer_id: UUID
    summary: str
    requested_by: str | None
    status: Annotated[str, Field(description="collected | classified | analysed | handed_over | "
                                             "scheduled | delivered | rejected | feedback_given")]
    category: str | None
    priority: str | None
    product_fit: str | None
    product_ref: str | None
    target_date: date | None
    release: str | None
    steps: Annotated[dict[str, date | None], Field(
        description="The business date of every step of the loop (null: not reached).")]


class RequirementOne(RequirementItem):
    position: Position


class RequirementsSection(TypedDict):
    """The customer 360's `requirements`."""

    by_status: Annotated[dict[str, int], Field(
        description="Every status with its count (zeros too).")]
    open: Annotated[list[RequirementItem], Field(
        description="Feedback not yet given, oldest first.")]


class RequirementList(TypedDict):
    items: list[RequirementItem]
    next_cursor: str | None
    position: int


class StepTimes(TypedDict):
    count: int
    mean_days: Measure | None
    median_days: Measure | None


class StepFigures(StepTimes):
    step: str


# `from` is a keyword: the functional form (the API's RequirementMetrics documents it).
RequirementMetrics = TypedDict("RequirementMetrics", {
    "from": date, "to": date, "collected": int, "steps": list[StepFigures],
    "loop_days": StepTimes, "open_by_step": dict[str, int], "open": int, "delivered": int,
    "rejected": int, "feedback_given": int, "feedback_ratio": Ratio | None, "position": int,
})


def _item(x: Any) -> RequirementItem:
    return {
        "id": x.id, "customer_id": x.customer_id, "summary": x.summary,
        "requested_by": x.requested_by, "status": x.status, "category": x.category,
        "priority": x.priority, "product_fit": x.product_fit, "product_ref": x.product_ref,
        "target_date": x.target_date, "release": x.release,
        "steps": {s.value: getattr(x, DATE_COLUMN[s.value]) for s in STEPS},
    }


def requirements_of_customer(r: Reader, customer_id: UUID, today: date
                             ) -> RequirementsSection:
    """The 360's `requirements`: `{by_status: {status: count}, open: [item...]}` (every
    status counted, zeros included; open = feedback not yet given, oldest first)."""
    stmt = r.prepared("requirements_of_customer", [REQUIREMENTS], lambda t: select(t).where(
        t.c.customer_id == bindparam("customer_id"), r.visible_bound(t),
    ).order_by(t.c.collected_on, t.c.id))
    rows = r.run(stmt, {"customer_id": customer_id}).all()
    found = no_requirements()
    for x in rows:
        found["by_status"][x.status] += 1
    found["open"] = [_item(x) for x in rows if x.status in OPEN_STEPS]
    return found


def no_requirements() -> RequirementsSection:
    """The 360's `requirements` of a customer without any: every status counted 0."""
    return {"by_status": {s.value: 0 for s in STEPS}, "open": []}


class RequirementsView(View):
    name = "requirements"
    tables = (REQUIREMENTS,)
    customer_sections = {"requirements": requirements_of_customer}

    @on(Requirement.Collected)
    def collected(self, tx: ViewTx, e: Requirement.Collected) -> None:
        row: dict[str, Any] = {c: None for c in REQUIREMENTS.data_names}
        row.update(customer_id=e.customer_id, summary=e.summary, requested_by=e.requested_by,
                   status=S.COLLECTED.value, collected_on=e.on)
        tx[REQUIREMENTS].put(e.originator_id, row)

    def _step(self, tx: ViewTx, e: Any, status: str, **changes: Any) -> None:
        tx[REQUIREMENTS].update(e.originator_id, status=status, **{DATE_COLUMN[status]: e.on},
                                **changes)

    @on(Requirement.Classified)
    def classified(self, tx: ViewTx, e: Requirement.Classified) -> None:
        self._step(tx, e, S.CLASSIFIED.value, category=e.category, priority=e.priority)

    @on(Requirement.Analysed)
    def analysed(self, tx: ViewTx, e: Requirement.Analysed) -> None:
        self._step(tx, e, S.ANALYSED.value, product_fit=e.product_fit)

    @on(Requirement.HandedToProduct)
    def handed_over(self, tx: ViewTx, e: Requirement.HandedToProduct) -> None:
        self._step(tx, e, S.HANDED_OVER.value, product_ref=e.product_ref)

    @on(Requirement.Scheduled)
    def scheduled(self, tx: ViewTx, e: Requirement.Scheduled) -> None:
        self._step(tx, e, S.SCHEDULED.value, target_date=e.target_date, release=e.release)

    @on(Requirement.Delivered)
    def delivered(self, tx: ViewTx, e: Requirement.Delivered) -> None:
        changes = {} if e.release is None else {"release": e.release}
        self._step(tx, e, S.DELIVERED.value, **changes)

    @on(Requirement.Rejected)
    def rejected(self, tx: ViewTx, e: Requirement.Rejected) -> None:
        self._step(tx, e, S.REJECTED.value)

    @on(Requirement.FeedbackGiven)
    def feedback_given(self, tx: ViewTx, e: Requirement.FeedbackGiven) -> None:
        self._step(tx, e, S.FEEDBACK_GIVEN.value)


def requirement_list(
    conn: Connection, *, customer_id: UUID | None = None,
    status: str | Collection[str] | None = None, cursor: str | None = None, limit: int = 50,
    at: int | None = None,
) -> RequirementList:
    """Requirements by collection date (then id): `{items, next_cursor, position}`; each
    item has its current `status` and `steps` (the business date of every step, or None)."""
    page = status_list(conn, REQUIREMENTS, day="collected_on", item=_item,
                       known=(s.value for s in STEPS), customer_id=customer_id,
                       status=status, cursor=cursor, limit=limit, at=at)
    # status_list is shared by several views; its items are `_item`'s (checked above).
    return RequirementList(items=page["items"], next_cursor=page["next_cursor"],
                           position=page["position"])


def get_requirement(conn: Connection, requirement_id: UUID, at: int | None = None
                    ) -> RequirementOne | None:
    """One requirement (as in the list) plus `position`; None if unknown (as of `at`)."""
    r = Reader(conn, at)
    t = r.table(REQUIREMENTS)
    row = conn.execute(select(t).where(t.c.id == requirement_id, r.visible(t))).first()
    return None if row is None else RequirementOne(**_item(row), position=r.position)


def requirement_metrics(conn: Connection, from_: date, to: date, *, at: int | None = None
                        ) -> RequirementMetrics:
    """Loop figures of the requirements collected in [from_, to] (both inclusive).

    `steps`: per step, over the items that reached it, the days from the step reached
    just before it (`count`, `mean_days`, `median_days`); `loop_days`: collected →
    feedback given; `open_by_step`: items whose loop is still open, by current step;
    `delivered` / `rejected`: outcomes; `feedback_ratio`: feedback given / (delivered +
    rejected), a ratio rounded half-up to 4 places (None when nothing was decided).
    """
    r = Reader(conn, at)
    t = r.table(REQUIREMENTS)
    rows = conn.execute(select(t).where(
        r.visible(t), t.c.collected_on.between(from_, to))).all()
    gaps: dict[str, list[int]] = {s.value: [] for s in STEPS[1:]}
    loops: list[int] = []
    open_by_step = {s: 0 for s in OPEN_STEPS}
    for x in rows:
        reached = [(s.value, getattr(x, DATE_COLUMN[s.value])) for s in STEPS]
        dated = [(step, day) for step, day in reached if day is not None]
        for (_, before), (step, day) in pairwise(dated):
            gaps[step].append((day - before).days)
        if x.feedback_given_on is not None:
            loops.append((x.feedback_given_on - x.collected_on).days)
        else:
            open_by_step[x.status] += 1
    delivered = sum(1 for x in rows if x.delivered_on is not None)
    rejected = sum(1 for x in rows if x.rejected_on is not None)
    given = sum(1 for x in rows if x.feedback_given_on is not None)
    return {
        "from": from_, "to": to, "collected": len(rows),
        "steps": [{"step": step, "count": len(days), "mean_days": mean(days),
                   "median_days": median(days)} for step, days in gaps.items()],
        "loop_days": {"count": len(loops), "mean_days": mean(loops),
                      "median_days": median(loops)},
        "open_by_step": open_by_step, "open": sum(open_by_step.values()),
        "delivered": delivered, "rejected": rejected, "feedback_given": given,
        "feedback_ratio": ratio(given, delivered + rejected),
        "position": r.position,
    }

