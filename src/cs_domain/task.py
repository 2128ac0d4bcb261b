"""Task (任务 / Todo): a piece of work on a customer that shows up on its assignee's workbench.

Flow: ``todo → doing → done``; ``todo | doing → cancelled``; ``done`` and
``cancelled`` are final, except that a ``done`` task may be reopened (back to
``todo``) with a reason. Open tasks can be reassigned and rescheduled.

A task may link to what spawned it (``source_kind`` + ``source_id``): a risk's
strategy, a success plan, a requirement, a complaint, a playbook run or a
touchpoint. Other areas create tasks with :meth:`Task.create` and save them in
the same ``commit(...)`` as their own aggregate, so both land atomically.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID, uuid4

from cs_domain.base import LedgerAggregate, check_enum, check_text
from cs_domain.deadlines import is_overdue
from cs_domain.errors import InvalidInput, Validator


class TaskStatus(StrEnum):
    TODO = "todo"
    DOING = "doing"
    DONE = "done"
    CANCELLED = "cancelled"


class TaskSource(StrEnum):
    """What kind of item spawned a task."""

    RISK = "risk"
    PLAN = "plan"
    REQUIREMENT = "requirement"
    COMPLAINT = "complaint"
    PLAYBOOK_RUN = "playbook_run"
    TOUCHPOINT = "touchpoint"


OPEN_TASK = {TaskStatus.TODO.value, TaskStatus.DOING.value}


def check_reason(v: Validator, reason: object, field: str = "reason", *, required: bool) -> None:
    if reason is not None or required:
        check_text(v, reason, field, max_len=5000)


class Task(LedgerAggregate):
    KIND = "task"

    class Created(LedgerAggregate.Created):
        actor: str
        customer_id: UUID
        title: str
        assignee_id: UUID
        due_date: date
        description: str | None
        source_kind: str | None
        source_id: UUID | None

    class Started(LedgerAggregate.Event):
        actor: str
        started_on: date

        def apply(self, t: Task) -> None:
            t.status = TaskStatus.DOING.value
            t.started_on = self.started_on

    class Completed(LedgerAggregate.Event):
        actor: str
        completed_on: date
        note: str | None

        def apply(self, t: Task) -> None:
            t.status = TaskStatus.DONE.value
            t.completed_on = self.completed_on

    class Cancelled(LedgerAggregate.Event):
        actor: str
        cancelled_on: date
        reason: str

        def apply(self, t: Task) -> None:
            t.status = TaskStatus.CANCELLED.value
            t.cancelled_on = self.cancelled_on

    class Reopened(LedgerAggregate.Event):
        actor: str
        reopened_on: date
        reason: str

        def apply(self, t: Task) -> None:
            # A reopened task starts over: it must be started and completed again.
            t.status = TaskStatus.TODO.value
            t.started_on = None
            t.completed_on = None
            t.reopened_on = self.reopened_on
            t.times_reopened += 1

    class Reassigned(LedgerAggregate.Event):
        actor: str
        assignee_id: UUID
        previous_assignee_id: UUID
        reason: str | None

        def apply(self, t: Task) -> None:
            t.assignee_id = self.assignee_id

    class Rescheduled(LedgerAggregate.Event):
        actor: str
        due_date: date
        previous_due_date: date
        reason: str | None

        def apply(self, t: Task) -> None:
            t.due_date = self.due_date

    def __init__(
        self, actor: str, customer_id: UUID, title: str, assignee_id: UUID, due_date: date,
        description: str | None, source_kind: str | None, source_id: UUID | None,
    ):
        self.customer_id = customer_id
        self.title = title
        self.assignee_id = assignee_id
        self.due_date = due_date
        self.description = description
        self.source_kind = source_kind
        self.source_id = source_id
        self.created_by = actor
        self.status: str = TaskStatus.TODO.value
        self.started_on: date | None = None
        self.completed_on: date | None = None
        self.cancelled_on: date | None = None
        self.reopened_on: date | None = None
        self.times_reopened = 0

    # --- commands --------------------------------------------------------------
    @classmethod
    def create(
        cls, *, actor: str, customer_id: UUID, title: str, assignee_id: UUID, due_date: date,
        description: str | None = None, source_kind: str | None = None,
        source_id: UUID | None = None, task_id: UUID | None = None,
    ) -> Task:
        """A new ``todo`` task (unsaved: pass it to ``commit`` with its source).

        ``source_kind`` is one of :class:`TaskSource` (or None) and must come
        with ``source_id``, the id of the spawning item. The caller checks that
        the customer, the assignee and the source exist.
        Raises InvalidInput naming each bad field.
        """
        v = Validator()
        check_text(v, title, "title")
        check_reason(v, description, "description", required=False)
        v.check(isinstance(due_date, date), "due_date", "must be a date")
        if source_kind is not None:
            check_enum(v, TaskSource, source_kind, "source_kind")
        v.check((source_kind is None) == (source_id is None), "source_id",
                "source_kind and source_id go together")
        v.done()
        return cls._create(
            cls.Created, id=task_id or uuid4(), actor=actor, customer_id=customer_id,
            title=title.strip(), assignee_id=assignee_id, due_date=due_date,
            description=description, source_kind=source_kind, source_id=source_id,
        )

    def start(self, *, actor: str, started_on: date) -> None:
        if self.status != TaskStatus.TODO:
            raise self.refuse("start", self.status)
        self.trigger_event(self.Started, actor=actor, started_on=started_on)

    def complete(self, *, actor: str, completed_on: date, note: str | None = None) -> None:
        v = Validator()
        check_reason(v, note, "note", required=False)
        if self.started_on is not None:
            v.check(completed_on >= self.started_on, "completed_on",
                    f"must not be before the start ({self.started_on.isoformat()})")
        v.done()
        if self.status != TaskStatus.DOING:
            raise self.refuse("complete", self.status)
        self.trigger_event(self.Completed, actor=actor, completed_on=completed_on, note=note)

    def cancel(self, *, actor: str, cancelled_on: date, reason: str) -> None:
        v = Validator()
        check_reason(v, reason, required=True)
        v.done()
        if self.status not in OPEN_TASK:
            raise self.refuse("cancel", self.status)
        self.trigger_event(self.Cancelled, actor=actor, cancelled_on=cancelled_on, reason=reason)

    def reopen(self, *, actor: str, reopened_on: date, reason: str) -> None:
        v = Validator()
        check_reason(v, reason, required=True)
        if self.completed_on is not None:
            v.check(reopened_on >= self.completed_on, "reopened_on",
                    f"must not be before the completion ({self.completed_on.isoformat()})")
        v.done()
        if self.status != TaskStatus.DONE:
            raise self.refuse("reopen", self.status)
        self.trigger_event(self.Reopened, actor=actor, reopened_on=reopened_on, reason=reason)

    def reassign(self, *, actor: str, assignee_id: UUID, reason: str | None = None) -> None:
        v = Validator()
        check_reason(v, reason, required=False)
        v.done()
        if self.status not in OPEN_TASK:
            raise self.refuse("reassign", self.status)
        if assignee_id == self.assignee_id:
            raise InvalidInput.one("assignee_id", "is already the assignee")
        self.trigger_event(
            self.Reassigned, actor=actor, assignee_id=assignee_id,
            previous_assignee_id=self.assignee_id, reason=reason,
        )

    def reschedule(self, *, actor: str, due_date: date, reason: str | None = None) -> None:
        v = Validator()
        check_reason(v, reason, required=False)
        v.check(isinstance(due_date, date), "due_date", "must be a date")
        v.done()
        if self.status not in OPEN_TASK:
            raise self.refuse("reschedule", self.status)
        if due_date == self.due_date:
            raise InvalidInput.one("due_date", "is already the due date")
        self.trigger_event(
            self.Rescheduled, actor=actor, due_date=due_date, previous_due_date=self.due_date,
            reason=reason,
        )

    # --- queries ---------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TASK

    def is_overdue(self, today: date) -> bool:
        """`cs_domain.deadlines.is_overdue`: open and past its due date."""
        return is_overdue(self.is_open, self.due_date, today)
