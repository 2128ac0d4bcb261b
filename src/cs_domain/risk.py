"""Risk (风险): the closed loop of seed 000, traceable end to end by an auditor.

raise (by a CSM / implementation / support) → a manager sets a strategy and
breaks it into todos (tasks, saved atomically with the risk) → mitigation
notes → close with a resolution (销项) → possibly reopen; escalate while open.
Past its due date and not closed a risk is overdue: :meth:`Risk.mark_overdue`
records that once per episode so the reminder goes out once.

Statuses ``open → mitigating → closed (→ open again on reopen)``. What each
command does from each status ("-" = refused with TransitionNotAllowed):

    command            open          mitigating    closed
    set_strategy       → mitigating  → mitigating  -
    record_mitigation  → mitigating  → mitigating  -
    close              → closed      → closed      -
    reopen             -             -             → open
    escalate           stays         stays         -
    change_due_date    stays         stays         -
    assign_owner       stays         stays         -
    mark_overdue       never refused: records only when past due, not closed and
                       not yet marked in this episode (a no-op otherwise)

Step dates are business dates and may not precede the day the risk was raised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from cs_domain.base import LedgerAggregate, check_enum, check_text, index_id
from cs_domain.deadlines import is_overdue
from cs_domain.errors import InvalidInput, Validator
from cs_domain.task import Task, TaskSource


class RiskStatus(StrEnum):
    OPEN = "open"
    MITIGATING = "mitigating"
    CLOSED = "closed"


class RiskCategory(StrEnum):
    ADOPTION = "adoption"
    RELATIONSHIP = "relationship"
    PRODUCT = "product"
    DELIVERY = "delivery"
    COMMERCIAL = "commercial"
    COMPETITOR = "competitor"
    OTHER = "other"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


@dataclass(frozen=True)
class Todo:
    """One line of a strategy: becomes a Task assigned to ``assignee_id``."""

    title: str
    assignee_id: UUID
    due_date: date

    @classmethod
    def parse(cls, v: Validator, index: int, raw: object) -> Todo | None:
        data = raw.__dict__ if isinstance(raw, Todo) else raw
        field = f"todos[{index}]"
        if not isinstance(data, dict):
            v.check(False, field, "must be an object with title, assignee_id and due_date")
            return None
        title, assignee, due = data.get("title"), data.get("assignee_id"), data.get("due_date")
        check_text(v, title, f"{field}.title")
        v.check(isinstance(assignee, UUID), f"{field}.assignee_id", "must be a user id")
        v.check(isinstance(due, date), f"{field}.due_date", "must be a date")
        if isinstance(title, str) and isinstance(assignee, UUID) and isinstance(due, date):
            return cls(title.strip(), assignee, due)
        return None


class Risk(LedgerAggregate):
    KIND = "risk"

    class Raised(LedgerAggregate.Created):
        actor: str
        customer_id: UUID
        title: str
        category: str
        severity: str
        due_date: date
        description: str | None
        owner_id: UUID | None
        raised_on: date

    class StrategySet(LedgerAggregate.Event):
        actor: str
        strategy: str
        owner_id: UUID
        previous_owner_id: UUID | None
        todos: list[dict[str, Any]]  # {task_id, title, assignee_id, due_date}
        set_on: date

        def apply(self, r: Risk) -> None:
            r.status = RiskStatus.MITIGATING.value
            r.strategy = self.strategy
            r.owner_id = self.owner_id
            r.task_ids = [*r.task_ids, *(t["task_id"] for t in self.todos)]

    class MitigationRecorded(LedgerAggregate.Event):
        actor: str
        note: str
        recorded_on: date

        def apply(self, r: Risk) -> None:
            r.status = RiskStatus.MITIGATING.value
            r.mitigations = [*r.mitigations, {"note": self.note, "on": self.recorded_on,
                                              "by": self.actor}]

    class Closed(LedgerAggregate.Event):
        actor: str
        resolution: str
        closed_on: date

        def apply(self, r: Risk) -> None:
            r.status = RiskStatus.CLOSED.value
            r.resolution = self.resolution
            r.closed_on = self.closed_on
            r.marked_overdue = False

    class Reopened(LedgerAggregate.Event):
        actor: str
        reason: str
        reopened_on: date
        due_date: date

        def apply(self, r: Risk) -> None:
            r.status = RiskStatus.OPEN.value
            r.reopened_on = self.reopened_on
            r.due_date = self.due_date
            r.resolution = None
            r.closed_on = None
            r.times_reopened += 1
            # A reopened risk is a new episode: it may be marked overdue again.
            r.marked_overdue = False

    class Escalated(LedgerAggregate.Event):
        actor: str
        escalated_to: UUID
        level: int
        reason: str
        escalated_on: date

        def apply(self, r: Risk) -> None:
            r.escalation_level = self.level
            r.escalated_to = self.escalated_to

    class DueDateChanged(LedgerAggregate.Event):
        actor: str
        due_date: date
        previous_due_date: date
        reason: str | None
        changed_on: date

        def apply(self, r: Risk) -> None:
            r.due_date = self.due_date
            r.marked_overdue = False

    class OwnerAssigned(LedgerAggregate.Event):
        actor: str
        owner_id: UUID
        previous_owner_id: UUID | None

        def apply(self, r: Risk) -> None:
            r.owner_id = self.owner_id

    class MarkedOverdue(LedgerAggregate.Event):
        """Recorded by the time-driven `tick`: the reminder to the owner hangs off it."""

        actor: str
        due_date: date
        owner_id: UUID | None
        detected_at: datetime

        def apply(self, r: Risk) -> None:
            r.marked_overdue = True

    def __init__(
        self, actor: str, customer_id: UUID, title: str, category: str, severity: str,
        due_date: date, description: str | None, owner_id: UUID | None, raised_on: date,
    ):
        self.customer_id = customer_id
        self.title = title
        self.category = category
        self.severity = severity
        self.due_date = due_date
        self.description = description
        self.owner_id = owner_id
        self.raised_on = raised_on
        self.raised_by = actor
        self.status: str = RiskStatus.OPEN.value
        self.strategy: str | None = None
        self.task_ids: list[UUID] = []
        self.mitigations: list[dict[str, Any]] = []
        self.resolution: str | None = None
        self.closed_on: date | None = None
        self.reopened_on: date | None = None
        self.times_reopened = 0
        self.escalation_level = 0
        self.escalated_to: UUID | None = None
        # Set by MarkedOverdue; cleared by a new due date, closing or reopening,
        # so each (episode, due date) is marked, and reminded, at most once.
        self.marked_overdue = False

    # --- commands --------------------------------------------------------------
    @classmethod
    def raise_risk(
        cls, *, actor: str, customer_id: UUID, title: str, category: str, severity: str,
        due_date: date, raised_on: date, description: str | None = None,
        owner_id: UUID | None = None, risk_id: UUID | None = None,
    ) -> Risk:
        """A new ``open`` risk. Its owner is ``owner_id`` (the service passes the
        raiser) until a strategy names another."""
        v = Validator()
        check_text(v, title, "title")
        check_enum(v, RiskCategory, category, "category")
        check_enum(v, Severity, severity, "severity")
        if description is not None:
            check_text(v, description, "description", max_len=5000)
        v.check(due_date >= raised_on, "due_date", "must not be before the day it is raised")
        v.done()
        return cls._create(
            cls.Raised, id=risk_id or uuid4(), actor=actor, customer_id=customer_id,
            title=title.strip(), category=category, severity=severity, due_date=due_date,
            description=description, owner_id=owner_id, raised_on=raised_on,
        )

    def _check_step_date(self, v: Validator, on: date, field: str) -> None:
        v.check(on >= self.raised_on, field,
                f"must not be before the day the risk was raised ({self.raised_on.isoformat()})")

    def _refuse_if_closed(self, action: str) -> None:
        if self.status == RiskStatus.CLOSED:
            raise self.refuse(action, self.status)

    def set_strategy(
        self, *, actor: str, strategy: str, owner_id: UUID,
        todos: Sequence[Todo | dict[str, Any]], set_on: date,
    ) -> list[Task]:
        """Sets (or revises) the strategy; returns the todos as unsaved Tasks
        (``source_kind="risk"``) to be committed together with this risk."""
        v = Validator()
        check_text(v, strategy, "strategy", max_len=5000)
        v.check(isinstance(todos, list | tuple), "todos", "must be a list")
        items = list(todos) if isinstance(todos, list | tuple) else []
        parsed = [Todo.parse(v, i, t) for i, t in enumerate(items)]
        self._check_step_date(v, set_on, "set_on")
        v.done()
        self._refuse_if_closed("set the strategy of")
        tasks = [
            Task.create(actor=actor, customer_id=self.customer_id, title=t.title,
                        assignee_id=t.assignee_id, due_date=t.due_date,
                        description=f"Risk: {self.title}", source_kind=TaskSource.RISK.value,
                        source_id=self.id,
                        # Derived from the risk's next version and the todo's index, so the
                        # same strategy replayed or generated twice names the same tasks.
                        task_id=index_id("risk-todo", f"{self.id}:{self.version + 1}:{i}"))
            for i, t in enumerate(parsed) if t is not None
        ]
        self.trigger_event(
            self.StrategySet, actor=actor, strategy=strategy, owner_id=owner_id,
            previous_owner_id=self.owner_id,
            todos=[{"task_id": task.id, "title": task.title, "assignee_id": task.assignee_id,
                    "due_date": task.due_date} for task in tasks],
            set_on=set_on,
        )
        return tasks

    def record_mitigation(self, *, actor: str, note: str, recorded_on: date) -> None:
        v = Validator()
        check_text(v, note, "note", max_len=5000)
        self._check_step_date(v, recorded_on, "recorded_on")
        v.done()
        self._refuse_if_closed("record mitigation on")
        self.trigger_event(self.MitigationRecorded, actor=actor, note=note, recorded_on=recorded_on)

    def close(self, *, actor: str, resolution: str, closed_on: date) -> None:
        v = Validator()
        check_text(v, resolution, "resolution", max_len=5000)
        self._check_step_date(v, closed_on, "closed_on")
        v.done()
        self._refuse_if_closed("close")
        self.trigger_event(self.Closed, actor=actor, resolution=resolution, closed_on=closed_on)

    def reopen(
        self, *, actor: str, reason: str, reopened_on: date, due_date: date | None = None,
    ) -> None:
        """Reopens a closed risk, optionally with a new due date (default: the old one)."""
        v = Validator()
        check_text(v, reason, "reason", max_len=5000)
        if self.closed_on is not None:
            v.check(reopened_on >= self.closed_on, "reopened_on",
                    f"must not be before the day it was closed ({self.closed_on.isoformat()})")
        if due_date is not None:
            v.check(due_date >= reopened_on, "due_date", "must not be before reopened_on")
        v.done()
        if self.status != RiskStatus.CLOSED:
            raise self.refuse("reopen", self.status)
        self.trigger_event(
            self.Reopened, actor=actor, reason=reason, reopened_on=reopened_on,
            due_date=due_date or self.due_date,
        )

    def escalate(self, *, actor: str, escalated_to: UUID, reason: str, escalated_on: date) -> None:
        """Escalates one level up (1, 2, ...) to ``escalated_to``."""
        v = Validator()
        check_text(v, reason, "reason", max_len=5000)
        self._check_step_date(v, escalated_on, "escalated_on")
        v.done()
        self._refuse_if_closed("escalate")
        self.trigger_event(
            self.Escalated, actor=actor, escalated_to=escalated_to,
            level=self.escalation_level + 1, reason=reason, escalated_on=escalated_on,
        )

    def change_due_date(
        self, *, actor: str, due_date: date, changed_on: date, reason: str | None = None,
    ) -> None:
        v = Validator()
        if reason is not None:
            check_text(v, reason, "reason", max_len=5000)
        self._check_step_date(v, changed_on, "changed_on")
        v.check(due_date >= self.raised_on, "due_date",
                "must not be before the day the risk was raised")
        v.done()
        self._refuse_if_closed("change the due date of")
        if due_date == self.due_date:
            raise InvalidInput.one("due_date", "is already the due date")
        self.trigger_event(
            self.DueDateChanged, actor=actor, due_date=due_date, previous_due_date=self.due_date,
            reason=reason, changed_on=changed_on,
        )

    def assign_owner(self, *, actor: str, owner_id: UUID) -> None:
        self._refuse_if_closed("reassign the owner of")
        if owner_id == self.owner_id:
            raise InvalidInput.one("owner_id", "is already the owner")
        self.trigger_event(
            self.OwnerAssigned, actor=actor, owner_id=owner_id, previous_owner_id=self.owner_id
        )

    def mark_overdue(self, *, actor: str, now: datetime) -> bool:
        """Records MarkedOverdue if the risk is past due, not closed and not yet
        marked for this due date in this episode. Returns whether it recorded."""
        if self.marked_overdue or not self.is_overdue(now.date()):
            return False
        self.trigger_event(
            self.MarkedOverdue, actor=actor, due_date=self.due_date, owner_id=self.owner_id,
            detected_at=now,
        )
        return True

    # --- queries ---------------------------------------------------------------
    @property
    def is_closed(self) -> bool:
        return self.status == RiskStatus.CLOSED

    def is_overdue(self, today: date) -> bool:
        """`cs_domain.deadlines.is_overdue`: not closed and past its due date."""
        return is_overdue(not self.is_closed, self.due_date, today)
