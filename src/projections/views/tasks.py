"""Tasks view: the workbench (a person's tasks: overdue, due today, due this week) and
the customer 360's open tasks.

One row per task with its assignee, status, due date, customer and what spawned it
(`source {kind, id}`: a risk's strategy, a plan, a requirement, a playbook run …).
Due windows are evaluated against the `today` a query is given, never the clock.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import BigInteger, Connection, Date, Integer, String, Uuid, bindparam, func, select

from cs_domain import deadlines
from cs_domain.task import OPEN_TASK, Task, TaskStatus
from projections import rule_sql
from projections.query import (
    as_list,
    check_limit,
    check_values,
    date_page,
    invalid,
)
from projections.shapes import Position, TypedDict
from projections.versioned import VersionedTable
from projections.view import Reader, View, ViewTx, on
from projections.views import users
from projections.views.customers import CUSTOMERS

TASKS = VersionedTable(
    "tasks", "tasks",
    keys=[("id", Uuid())],
    columns=[
        ("customer_id", Uuid()), ("title", String(200)), ("assignee_id", Uuid()),
        ("due_date", Date()), ("status", String(16)), ("source_kind", String(16)),
        ("source_id", Uuid()), ("created_by", String(64)), ("started_on", Date()),
        ("completed_on", Date()), ("cancelled_on", Date()), ("times_reopened", Integer()),
        ("created_position", BigInteger()),
    ],
    indexes=[("assignee_id", "due_date"), ("customer_id",), ("due_date", "id")],
    current_indexes=[("assignee_id", "due_date"), ("customer_id",), ("due_date", "id")],
)

OPEN = tuple(sorted(OPEN_TASK))  # todo, doing
DUE_WINDOWS = ("overdue", "today", "week")
# "This week" is the next 7 days, today included (today … today+6), not the rest of
# the calendar week: on a Friday the workbench still shows next Monday's work.
WEEK_DAYS = 7


class TaskSource(TypedDict):
    kind: Annotated[str, Field(description="risk | plan | requirement | complaint | "
                                           "playbook_run | touchpoint")]
    id: UUID | None


class OpenTask(TypedDict):
    """An open task as the customer 360 lists it."""

    id: UUID
    title: str
    status: Annotated[str, Field(description="todo | doing")]
    due_date: date
    overdue: bool
    assignee_id: UUID | None
    assignee_name: str | None
    source: TaskSource | None


class TaskItem(TypedDict):
    """A task as the workbench shows it."""

    id: UUID
    title: str
    status: Annotated[str, Field(description="todo | doing | done | cancelled")]
    due_date: date
    overdue: bool
    assignee_id: UUID | None
    assignee_name: str | None
    source: TaskSource | None
    customer_id: UUID | None
    customer_name: str | None
    started_on: date | None
    completed_on: date | None
    cancelled_on: date | None
    times_reopened: int


class TaskOne(TaskItem):
    position: Position


class TaskCounts(TypedDict):
    overdue: int
    today: int
    week: int


class Workbench(TypedDict):
    items: list[TaskItem]
    next_cursor: str | None
    counts: TaskCounts
    position: int


def is_overdue(status: str, due_date: date, today: date) -> bool:
    """`cs_domain.deadlines.is_overdue` for a task (open: todo or doing)."""
    return deadlines.is_overdue(status in OPEN_TASK, due_date, today)


def _source(x: Any) -> TaskSource | None:
    return None if x.source_kind is None else {"kind": x.source_kind, "id": x.source_id}


def open_tasks_of_customer(r: Reader, customer_id: UUID, today: date) -> list[OpenTask]:
    """The 360's `open_tasks` (todo or doing), by due date: `[{id, title, status, due_date,
    overdue, assignee_id, assignee_name, source}]`."""
    stmt = r.prepared("open_tasks_of_customer", [TASKS], lambda t: select(t).where(
        t.c.customer_id == bindparam("customer_id"), t.c.status.in_(OPEN), r.visible_bound(t),
    ).order_by(t.c.due_date, t.c.id))
    rows = r.run(stmt, {"customer_id": customer_id}).all()
    names = users.names(r, [x.assignee_id for x in rows])
    return [{"id": x.id, "title": x.title, "status": x.status, "due_date": x.due_date,
             "overdue": is_overdue(x.status, x.due_date, today), "assignee_id": x.assignee_id,
             "assignee_name": names.get(x.assignee_id), "source": _source(x)} for x in rows]


class TasksView(View):
    name = "tasks"
    tables = (TASKS,)
    customer_sections = {"open_tasks": open_tasks_of_customer}

    @on(Task.Created)
    def created(self, tx: ViewTx, e: Task.Created) -> None:
        tx[TASKS].put(e.originator_id, {
            "customer_id": e.customer_id, "title": e.title, "assignee_id": e.assignee_id,
            "due_date": e.due_date, "status": TaskStatus.TODO.value,
            "source_kind": e.source_kind, "source_id": e.source_id, "created_by": e.actor[:64],
            "started_on": None, "completed_on": None, "cancelled_on": None,
            "times_reopened": 0, "created_position": tx.position,
        })

    @on(Task.Started)
    def started(self, tx: ViewTx, e: Task.Started) -> None:
        tx[TASKS].update(e.originator_id, status=TaskStatus.DOING.value, started_on=e.started_on)

    @on(Task.Completed)
    def completed(self, tx: ViewTx, e: Task.Completed) -> None:
        tx[TASKS].update(e.originator_id, status=TaskStatus.DONE.value,
                         completed_on=e.completed_on)

    @on(Task.Cancelled)
    def cancelled(self, tx: ViewTx, e: Task.Cancelled) -> None:
        tx[TASKS].update(e.originator_id, status=TaskStatus.CANCELLED.value,
                         cancelled_on=e.cancelled_on)

    @on(Task.Reopened)
    def reopened(self, tx: ViewTx, e: Task.Reopened) -> None:
        row = tx[TASKS].require(e.originator_id)
        tx[TASKS].update(e.originator_id, status=TaskStatus.TODO.value, started_on=None,
                         completed_on=None, times_reopened=row["times_reopened"] + 1)

    @on(Task.Reassigned)
    def reassigned(self, tx: ViewTx, e: Task.Reassigned) -> None:
        tx[TASKS].update(e.originator_id, assignee_id=e.assignee_id)

    @on(Task.Rescheduled)
    def rescheduled(self, tx: ViewTx, e: Task.Rescheduled) -> None:
        tx[TASKS].update(e.originator_id, due_date=e.due_date)


def due_condition(t: Any, due: str, today: date) -> Any:
    if due == "overdue":
        return rule_sql.overdue_condition(t, today, OPEN)
    if due == "today":
        return t.c.due_date == today
    return t.c.due_date.between(today, today + timedelta(days=WEEK_DAYS - 1))


def _statuses(status: str | Collection[str] | None) -> list[str] | None:
    values = as_list(status)
    if values is None:
        return None
    check_values("status", values, ["open", *(s.value for s in TaskStatus)])
    expanded = [s for v in values for s in (OPEN if v == "open" else (v,))]
    return sorted(set(expanded))


def _select(r: Reader) -> tuple[Any, Any]:
    t, c = r.table(TASKS), r.table(CUSTOMERS)
    return t, (select(t, c.c.name.label("customer_name"))
               .join(c, (c.c.id == t.c.customer_id) & r.visible(c), isouter=True))


def _item(x: Any, names: dict[UUID, str], today: date) -> TaskItem:
    return {
        "id": x.id, "title": x.title, "status": x.status, "due_date": x.due_date,
        "overdue": is_overdue(x.status, x.due_date, today), "customer_id": x.customer_id,
        "customer_name": x.customer_name, "assignee_id": x.assignee_id,
        "assignee_name": names.get(x.assignee_id), "source": _source(x),
        "started_on": x.started_on, "completed_on": x.completed_on,
        "cancelled_on": x.cancelled_on, "times_reopened": x.times_reopened,
    }


def get_task(conn: Connection, task_id: UUID, *, today: date, at: int | None = None
             ) -> TaskOne | None:
    """One task as the workbench shows it, plus `position`; None if unknown (as of `at`)."""
    r = Reader(conn, at, today)
    t, stmt = _select(r)
    row = conn.execute(stmt.where(t.c.id == task_id, r.visible(t))).first()
    if row is None:
        return None
    return TaskOne(**_item(row, users.names(r, [row.assignee_id]), today), position=r.position)


def workbench(
    conn: Connection, *, today: date, assignee_id: UUID | None = None, due: str | None = None,
    status: str | Collection[str] | None = "open", customer_id: UUID | None = None,
    cursor: str | None = None, limit: int = 50, at: int | None = None,
) -> Workbench:
    """Tasks by due date (then id), one page at a time, with the open tasks' counts.

    `due`: `overdue` (open and due before today), `today` (due today), `week` (due
    today … today+6) or None (any); `status`: `open` (todo + doing, the default), any
    status or several, None for all. Returns `{items, next_cursor, counts: {overdue,
    today, week}, position}`; `counts` are open tasks of the same assignee/customer.
    """
    check_limit(limit)
    if due is not None and due not in DUE_WINDOWS:
        raise invalid("due", f"must be one of {', '.join(DUE_WINDOWS)}")
    statuses = _statuses(status)
    r = Reader(conn, at, today)
    t, stmt = _select(r)
    scope = [r.visible(t)]
    if assignee_id is not None:
        scope.append(t.c.assignee_id == assignee_id)
    if customer_id is not None:
        scope.append(t.c.customer_id == customer_id)
    stmt = stmt.where(*scope)
    if statuses is not None:
        stmt = stmt.where(t.c.status.in_(statuses))
    if due is not None:
        stmt = stmt.where(due_condition(t, due, today))
    page, next_cursor = date_page(conn, stmt, t, "due_date", cursor, limit)
    names = users.names(r, [x.assignee_id for x in page])
    items = [_item(x, names, today) for x in page]
    overdue, due_today, week = (conn.execute(select(func.count()).select_from(t).where(
        *scope, t.c.status.in_(OPEN), due_condition(t, window, today))).scalar_one()
        for window in DUE_WINDOWS)
    counts = TaskCounts(overdue=overdue, today=due_today, week=week)
    return {"items": items, "next_cursor": next_cursor, "counts": counts,
            "position": r.position}
