"""Risk commands. Setting a strategy saves the risk and the tasks its todos
become in one transaction: either all of them are written or none."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from cs_domain.application import CommandResult
from cs_domain.risk import Risk, Todo
from cs_domain.services.customers import CustomerCommands


class RiskCommands(CustomerCommands):
    def _raiser(self, actor: str) -> UUID | None:
        """The acting user's id when the actor is a stored user (not "system" or the
        bootstrap admin token)."""
        try:
            user_id = UUID(actor)
        except ValueError:
            return None
        return user_id if self.exists(user_id) else None

    def raise_risk(
        self, *, actor: str, customer_id: UUID, title: str, category: str, severity: str,
        due_date: date, raised_on: date, description: str | None = None,
        owner_id: UUID | None = None, risk_id: UUID | None = None,
    ) -> CommandResult:
        """Raises a risk; its owner is `owner_id`, by default the raiser (if a stored user)."""
        risk = Risk.raise_risk(
            actor=actor, customer_id=customer_id, title=title, category=category,
            severity=severity, due_date=due_date, raised_on=raised_on, description=description,
            owner_id=owner_id if owner_id is not None else self._raiser(actor), risk_id=risk_id,
        )
        if owner_id is None:  # the customer is the last check: the store makes it
            return self.result(risk, self.commit(
                risk, requires=(self.customer_required(customer_id),)))
        self.check_customer(customer_id)
        self.require_user(owner_id, "owner_id")
        return self.result(risk, self.commit(risk))

    def set_risk_strategy(
        self, *, actor: str, risk_id: UUID, strategy: str, owner_id: UUID,
        todos: Sequence[Todo | dict[str, Any]], set_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        """Sets the strategy and creates its todos as tasks; `extra["task_ids"]` lists them."""
        risk = self.load(Risk, risk_id, expected_version)
        tasks = risk.set_strategy(actor=actor, strategy=strategy, owner_id=owner_id, todos=todos,
                                  set_on=set_on)
        self.require_user(owner_id, "owner_id")
        for i, task in enumerate(tasks):
            self.require_user(task.assignee_id, f"todos[{i}].assignee_id")
        position = self.commit(risk, *tasks)
        return self.result(risk, position, task_ids=[t.id for t in tasks])

    def record_risk_mitigation(
        self, *, actor: str, risk_id: UUID, note: str, recorded_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        risk = self.load(Risk, risk_id, expected_version)
        risk.record_mitigation(actor=actor, note=note, recorded_on=recorded_on)
        return self.result(risk, self.commit(risk))

    def close_risk(
        self, *, actor: str, risk_id: UUID, resolution: str, closed_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        risk = self.load(Risk, risk_id, expected_version)
        risk.close(actor=actor, resolution=resolution, closed_on=closed_on)
        return self.result(risk, self.commit(risk))

    def reopen_risk(
        self, *, actor: str, risk_id: UUID, reason: str, reopened_on: date,
        due_date: date | None = None, expected_version: int | None = None,
    ) -> CommandResult:
        risk = self.load(Risk, risk_id, expected_version)
        risk.reopen(actor=actor, reason=reason, reopened_on=reopened_on, due_date=due_date)
        return self.result(risk, self.commit(risk))

    def escalate_risk(
        self, *, actor: str, risk_id: UUID, escalated_to: UUID, reason: str, escalated_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        risk = self.load(Risk, risk_id, expected_version)
        risk.escalate(actor=actor, escalated_to=escalated_to, reason=reason,
                      escalated_on=escalated_on)
        self.require_user(escalated_to, "escalated_to")
        return self.result(risk, self.commit(risk), level=risk.escalation_level)

    def change_risk_due_date(
        self, *, actor: str, risk_id: UUID, due_date: date, changed_on: date,
        reason: str | None = None, expected_version: int | None = None,
    ) -> CommandResult:
        risk = self.load(Risk, risk_id, expected_version)
        risk.change_due_date(actor=actor, due_date=due_date, changed_on=changed_on, reason=reason)
        return self.result(risk, self.commit(risk))

    def assign_risk_owner(
        self, *, actor: str, risk_id: UUID, owner_id: UUID, expected_version: int | None = None,
    ) -> CommandResult:
        risk = self.load(Risk, risk_id, expected_version)
        self.require_user(owner_id, "owner_id")
        risk.assign_owner(actor=actor, owner_id=owner_id)
        return self.result(risk, self.commit(risk))

    def mark_risk_overdue(
        self, *, actor: str, risk_id: UUID, now: datetime,
    ) -> CommandResult:
        """For `tick`: records MarkedOverdue when due; `extra["marked"]` says whether it did
        (when not, nothing is written and `position` is the current head)."""
        risk = self.load(Risk, risk_id)
        marked = risk.mark_overdue(actor=actor, now=now)
        return self.result(risk, self.commit(risk), marked=marked)
