"""Issuing the automation's commands through the application service, idempotently.

Every command here is safe to repeat: runs and tasks have ids derived from their
occurrence, a step or an outcome is recorded once, an overdue risk is marked once per
episode. A command that loses a race to a concurrent writer (another process ticking, the
API) is retried on the new state, where it finds its work done. The `Tally` counts only
what was actually written.
"""

from __future__ import annotations

import contextlib
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar
from uuid import UUID

from automation.rules import Decision, Occurrence
from cs_domain.app import CustomerSuccess
from cs_domain.application import CommandResult
from cs_domain.customer import Customer
from cs_domain.days import shift
from cs_domain.errors import ConcurrencyConflict, NotFound
from cs_domain.playbook_run import PlaybookRun
from cs_domain.risk import Risk
from cs_domain.task import TaskSource
from cs_domain.user import User
from projections.views.automation import reminder_id

ACTOR = "system:playbooks"
TOUCH_ACTOR = "system:automation"  # a touchpoint completing a step's task
RETRIES = 5
log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class Tally:
    """What one pass of the automation wrote."""

    runs_started: Counter[str] = field(default_factory=Counter)
    tasks_created: int = 0
    steps_recorded: int = 0
    outcomes_measured: int = 0
    risks_marked_overdue: int = 0
    reminders_created: int = 0
    tasks_reassigned: int = 0
    runs_abandoned: int = 0
    tasks_done_by_touchpoints: int = 0
    terms_started: int = 0
    stages_changed: int = 0  # by the stage time rule (automation.lifecycle_stages)

    @property
    def writes(self) -> int:
        return (sum(self.runs_started.values()) + self.steps_recorded + self.outcomes_measured
                + self.risks_marked_overdue + self.reminders_created + self.tasks_reassigned
                + self.runs_abandoned + self.tasks_done_by_touchpoints + self.terms_started
                + self.stages_changed)


def retried(command: Callable[[], T]) -> T:
    for attempt in range(RETRIES):
        try:
            return command()
        except ConcurrencyConflict:
            if attempt == RETRIES - 1:
                raise
    raise AssertionError("unreachable")


class Commands:
    def __init__(self, app: CustomerSuccess, tally: Tally | None = None):
        self.app = app
        self.tally = tally if tally is not None else Tally()

    def start(self, occ: Occurrence) -> bool:
        result: CommandResult = retried(lambda: self.app.start_playbook_run(
            actor=ACTOR, playbook_key=occ.playbook_key, customer_id=occ.customer_id,
            occurrence_key=occ.occurrence_key, triggered_on=occ.triggered_on,
            source_id=occ.source_id, known_on=occ.known_on))
        if result.extra.get("started"):
            self.tally.runs_started[occ.playbook_key] += 1
            self.tally.tasks_created += len(result.extra.get("task_ids", ()))
            return True
        return False

    def record_step(self, run_id: UUID, task_id: UUID, done_on: date, outcome: str) -> bool:
        result = retried(lambda: self.app.record_playbook_step(
            actor=ACTOR, run_id=run_id, task_id=task_id, done_on=done_on, outcome=outcome))
        recorded = bool(result.extra.get("recorded"))
        self.tally.steps_recorded += recorded
        return recorded

    def measure(self, run_id: UUID, metric: str, decision: Decision) -> bool:
        result = retried(lambda: self.app.measure_playbook_outcome(
            actor=ACTOR, run_id=run_id, metric=metric, achieved=decision.achieved,
            measured_on=decision.measured_on, detail=decision.detail))
        recorded = bool(result.extra.get("recorded"))
        self.tally.outcomes_measured += recorded
        return recorded

    def follow_roles(self, customer_id: UUID, changed_in: int, run_ids: list[UUID]) -> int:
        result = retried(lambda: self.app.follow_customer_roles(
            actor=ACTOR, customer_id=customer_id, changed_in=changed_in, run_ids=run_ids))
        moved = len(result.extra.get("reassigned", ()))
        self.tally.tasks_reassigned += moved
        return moved

    def touch(self, run_ids: list[UUID], touchpoints: list[tuple[str, date]]) -> int:
        result = retried(lambda: self.app.complete_steps_by_touchpoints(
            actor=TOUCH_ACTOR, run_ids=run_ids, touchpoints=touchpoints))
        done = len(result.extra.get("completed", ())) + int(result.extra.get("skipped_done", 0))
        self.tally.tasks_done_by_touchpoints += done
        return done

    def abandon(self, run_id: UUID, abandoned_on: date, reason: str) -> bool:
        """Abandons the run (cancelling its open tasks) unless it has ended meanwhile."""
        def attempt() -> bool:
            if not self.app.load(PlaybookRun, run_id).is_active:
                return False
            self.app.abandon_playbook_run(actor=ACTOR, run_id=run_id,
                                          abandoned_on=abandoned_on, reason=reason)
            return True
        abandoned = retried(attempt)
        self.tally.runs_abandoned += abandoned
        return abandoned

    def overdue_risk(self, risk_id: UUID, now: datetime) -> None:
        """Marks the risk overdue (an event in its trail) and reminds its owner with a task,
        each at most once per episode and due date. Decided on the risk itself, so a risk
        closed since the views were read is left alone."""
        risk = self.app.load(Risk, risk_id)
        if not risk.is_overdue(now.date()):
            return
        if not risk.marked_overdue:
            result = retried(lambda: self.app.mark_risk_overdue(actor=ACTOR, risk_id=risk_id,
                                                                now=now))
            self.tally.risks_marked_overdue += bool(result.extra.get("marked"))
        task_id = reminder_id(risk.id, risk.times_reopened, risk.due_date)
        if self.app.exists(task_id):
            return
        assignee = self._reminded(risk)
        if assignee is None:
            log.warning("overdue risk %s: nobody active to remind", risk.id)
            return
        try:
            self.app.create_task(
                actor=ACTOR, customer_id=risk.customer_id, title=f"Overdue risk: {risk.title}"[:200],
                assignee_id=assignee, due_date=shift(risk.due_date, 1),
                description=(f"The risk was due on {risk.due_date.isoformat()} and is not "
                             "closed: close it, or agree a new due date."),
                source_kind=TaskSource.RISK.value, source_id=risk.id, task_id=task_id)
        except ConcurrencyConflict:
            return  # created meanwhile by another process: the same task
        self.tally.reminders_created += 1

    def _reminded(self, risk: Risk) -> UUID | None:
        """The risk's owner if an active user, else the customer's owner CSM."""
        candidates = [risk.owner_id]
        with contextlib.suppress(NotFound):
            candidates.append(self.app.load(Customer, risk.customer_id).owner_id)
        for user_id in candidates:
            if user_id is None:
                continue
            try:
                if self.app.load(User, user_id).active:
                    return user_id
            except NotFound:
                continue
        return None
