"""Risk driven through random command sequences on SQLite and PostgreSQL.

A clock only moves forward, so every step date is valid and the risk's status
alone decides whether a command may run. The model predicts each outcome; the
machine checks that forbidden transitions are ALWAYS refused with
TransitionNotAllowed and write nothing, that a strategy's todos become tasks
written with the risk or not at all, that `tick` marks a risk overdue at most
once per episode, and that each risk rebuilt from its stored events equals the
live one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, initialize, invariant, multiple, rule

from cs_domain.errors import InvalidInput, StaleVersion, TransitionNotAllowed
from cs_domain.risk import Risk, RiskCategory, RiskStatus, Severity
from cs_domain.task import Task
from tests.conftest import STORES
from tests.domain.stateful_support import StoreMachine, run_machine

# Who a command may name: a csm, a support engineer, a manager, or someone unknown.
PEOPLE = st.sampled_from(["csm", "support", "manager", "nobody"])


@dataclass
class Expected:
    status: str
    version: int
    customer: UUID
    raised_on: date
    due_date: date
    owner: UUID | None
    marked: bool = False
    marks: int = 0
    escalation: int = 0
    tasks: list[UUID] = field(default_factory=list)


class RiskMachine(StoreMachine):
    risks = Bundle("risks")

    @initialize()
    def people(self) -> None:
        def user(name: str, role: str) -> UUID:
            return self.live.create_user(actor="system", name=name, role=role)[0].id

        self.users = {"csm": user("Chen", "csm"), "support": user("Wang", "support"),
                      "manager": user("Li", "manager"), "nobody": uuid4()}
        self.customers = [
            self.live.register_customer(actor=str(self.users["csm"]), name=f"Clinic {i}",
                                        tier="basic", owner_id=self.users["csm"]).id
            for i in range(2)
        ]
        self.today = date(2025, 1, 6)
        self.model: dict[UUID, Expected] = {}

    def _ok(self, risk: UUID, allowed: bool, command, error=TransitionNotAllowed) -> bool:
        result = self.attempt(None if allowed else error, command)
        if result is not None:
            self.model[risk].version += 1
            assert result.version == self.model[risk].version
        return result is not None

    # --- rules -------------------------------------------------------------------------
    @rule(days=st.integers(1, 15))
    def time_passes(self, days):
        self.today += timedelta(days=days)

    @rule(target=risks, customer=st.integers(0, 1), raiser=st.sampled_from(["csm", "support"]),
          category=st.sampled_from([*RiskCategory, "weather"]),
          severity=st.sampled_from(list(Severity)), due_in=st.integers(-2, 8))
    def raise_risk(self, customer, raiser, category, severity, due_in):
        due = self.today + timedelta(days=due_in)
        error = InvalidInput if category == "weather" or due_in < 0 else None
        result = self.attempt(error, lambda: self.live.raise_risk(
            actor=str(self.users[raiser]), customer_id=self.customers[customer], title="Churn risk",
            category=category, severity=severity, due_date=due, raised_on=self.today))
        if result is None:
            return multiple()
        self.model[result.id] = Expected("open", 1, self.customers[customer], self.today, due,
                                         self.users[raiser])
        return result.id

    @rule(risk=risks, owner=PEOPLE, assignees=st.lists(PEOPLE, max_size=3),
          due_in=st.integers(0, 20))
    def set_strategy(self, risk, owner, assignees, due_in):
        expected = self.model[risk]
        todos = [{"title": f"todo {i}", "assignee_id": self.users[a],
                  "due_date": self.today + timedelta(days=due_in)} for i, a in enumerate(assignees)]
        head = self.live.max_position()
        command = lambda: self.live.set_risk_strategy(  # noqa: E731
            actor=str(self.users["manager"]), risk_id=risk, strategy="Win the champion back",
            owner_id=self.users[owner], todos=todos, set_on=self.today)
        if expected.status == RiskStatus.CLOSED:
            self.attempt(TransitionNotAllowed, command)
        elif "nobody" in [owner, *assignees]:
            self.attempt(InvalidInput, command)  # nothing, not even the valid todos
        else:
            result = self.attempt(None, command)
            assert result is not None
            task_ids = result.extra["task_ids"]
            assert len(task_ids) == len(todos)
            assert result.position == head + 1 + len(todos)  # one contiguous range
            expected.status, expected.owner = RiskStatus.MITIGATING, self.users[owner]
            expected.version += 1
            expected.tasks += task_ids

    @rule(risk=risks)
    def record_mitigation(self, risk):
        expected = self.model[risk]
        if self._ok(risk, expected.status != RiskStatus.CLOSED,
                    lambda: self.live.record_risk_mitigation(
                        actor=str(self.users["csm"]), risk_id=risk, note="called the director",
                        recorded_on=self.today)):
            expected.status = RiskStatus.MITIGATING

    @rule(risk=risks)
    def close(self, risk):
        expected = self.model[risk]
        if self._ok(risk, expected.status != RiskStatus.CLOSED,
                    lambda: self.live.close_risk(actor=str(self.users["manager"]), risk_id=risk,
                                                 resolution="renewal signed",
                                                 closed_on=self.today)):
            expected.status, expected.marked = RiskStatus.CLOSED, False

    @rule(risk=risks, new_due_in=st.none() | st.integers(0, 20))
    def reopen(self, risk, new_due_in):
        expected = self.model[risk]
        new_due = None if new_due_in is None else self.today + timedelta(days=new_due_in)
        if self._ok(risk, expected.status == RiskStatus.CLOSED,
                    lambda: self.live.reopen_risk(actor=str(self.users["manager"]), risk_id=risk,
                                                  reason="they went quiet again",
                                                  reopened_on=self.today, due_date=new_due)):
            expected.status, expected.marked = RiskStatus.OPEN, False
            expected.due_date = new_due or expected.due_date

    @rule(risk=risks, to=PEOPLE)
    def escalate(self, risk, to):
        expected = self.model[risk]
        closed = expected.status == RiskStatus.CLOSED
        allowed = not closed and to != "nobody"
        if self._ok(risk, allowed, lambda: self.live.escalate_risk(
                actor=str(self.users["csm"]), risk_id=risk, escalated_to=self.users[to],
                reason="no progress", escalated_on=self.today),
                error=TransitionNotAllowed if closed else InvalidInput):
            expected.escalation += 1

    @rule(risk=risks, due_in=st.integers(-40, 20))
    def change_due_date(self, risk, due_in):
        expected = self.model[risk]
        due = self.today + timedelta(days=due_in)
        command = lambda: self.live.change_risk_due_date(  # noqa: E731
            actor=str(self.users["manager"]), risk_id=risk, due_date=due, changed_on=self.today)
        if due < expected.raised_on:
            self.attempt(InvalidInput, command)
        elif expected.status == RiskStatus.CLOSED:
            self.attempt(TransitionNotAllowed, command)
        elif due == expected.due_date:
            self.attempt(InvalidInput, command)
        elif self._ok(risk, True, command):
            expected.due_date, expected.marked = due, False

    @rule(days=st.integers(0, 10), twice=st.booleans())
    def tick(self, days, twice):
        """Some days later `cs-ledger tick` runs for every risk: it marks the newly overdue
        ones. Run twice at the same moment, the second pass must write nothing."""
        self.today += timedelta(days=days)
        now = datetime(self.today.year, self.today.month, self.today.day, 8, tzinfo=UTC)
        for risk, expected in self.model.items():
            due = (expected.status != RiskStatus.CLOSED and self.today > expected.due_date
                   and not expected.marked)
            head = self.live.max_position()
            result = self.live.mark_risk_overdue(actor="system", risk_id=risk, now=now)
            assert result.extra["marked"] is due
            assert self.live.max_position() == head + (1 if due else 0)
            if due:
                expected.marked, expected.marks = True, expected.marks + 1
                expected.version += 1
            if twice:
                again = self.live.mark_risk_overdue(actor="system", risk_id=risk, now=now)
                assert again.extra["marked"] is False
                assert again.version == expected.version

    @rule(risk=risks)
    def stale_write(self, risk):
        stale = self.model[risk].version - 1
        self.attempt(StaleVersion, lambda: self.live.record_risk_mitigation(
            actor="system", risk_id=risk, note="late", recorded_on=self.today,
            expected_version=stale))

    # --- invariants ----------------------------------------------------------------------
    @invariant()
    def risks_hold_their_rules_and_rebuild_to_live_state(self):
        for risk_id, expected in getattr(self, "model", {}).items():
            live: Risk = self.assert_rebuilt_equals_live(risk_id)
            assert live.status in set(RiskStatus)
            assert (live.status, live.version, live.due_date, live.owner_id) == (
                expected.status, expected.version, expected.due_date, expected.owner)
            assert (live.marked_overdue, live.escalation_level) == (expected.marked,
                                                                     expected.escalation)
            assert live.due_date >= live.raised_on
            marks = [e for e in self.replay.events.get(risk_id)
                     if isinstance(e, Risk.MarkedOverdue)]
            assert len(marks) == expected.marks
            if live.marked_overdue:
                assert not live.is_closed and live.is_overdue(self.today)
            if live.is_closed:
                assert live.resolution and live.closed_on is not None
                assert live.closed_on >= live.raised_on
            else:
                assert live.resolution is None and live.closed_on is None
            assert live.task_ids == expected.tasks
            for task_id in live.task_ids:
                task = self.replay.repository.get(task_id)
                assert isinstance(task, Task)
                assert (task.source_kind, task.source_id, task.customer_id) == (
                    "risk", risk_id, expected.customer)
                assert task.status == "todo"


@pytest.mark.parametrize("store", STORES)
def test_risk_state_machine(store):
    run_machine(RiskMachine, store)
