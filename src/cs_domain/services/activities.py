"""Activity commands (seed 001 §二.4): plan with a customer, prepare, launch, review,
improve, cancel."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from cs_domain.activity import Activity
from cs_domain.application import CommandResult
from cs_domain.services.customers import CustomerCommands


class ActivityCommands(CustomerCommands):
    def plan_activity(
        self, *, actor: str, customer_id: UUID, kind: str, title: str, on: date,
        goal: str | None = None, activity_id: UUID | None = None,
    ) -> CommandResult:
        activity = Activity.plan(actor=actor, customer_id=customer_id, kind=kind, title=title,
                                 on=on, goal=goal, activity_id=activity_id)
        self.check_customer(customer_id)
        return self.result(activity, self.commit(activity))

    def _activity_step(self, activity_id: UUID, expected_version: int | None, step: str,
                       **kwargs: Any) -> CommandResult:
        activity = self.load(Activity, activity_id, expected_version)
        getattr(activity, step)(**kwargs)
        return self.result(activity, self.commit(activity))

    def prepare_activity(self, *, actor: str, activity_id: UUID, on: date,
                         note: str | None = None, expected_version: int | None = None
                         ) -> CommandResult:
        return self._activity_step(activity_id, expected_version, "prepare", actor=actor,
                                   on=on, note=note)

    def launch_activity(self, *, actor: str, activity_id: UUID, on: date,
                        note: str | None = None, expected_version: int | None = None
                        ) -> CommandResult:
        return self._activity_step(activity_id, expected_version, "launch", actor=actor,
                                   on=on, note=note)

    def review_activity(self, *, actor: str, activity_id: UUID, participants: int, note: str,
                        on: date, revenue: Decimal | None = None, currency: str | None = None,
                        expected_version: int | None = None) -> CommandResult:
        return self._activity_step(activity_id, expected_version, "review", actor=actor,
                                   participants=participants, note=note, on=on,
                                   revenue=revenue, currency=currency)

    def improve_activity(self, *, actor: str, activity_id: UUID, improvement: str, on: date,
                         expected_version: int | None = None) -> CommandResult:
        return self._activity_step(activity_id, expected_version, "improve", actor=actor,
                                   improvement=improvement, on=on)

    def cancel_activity(self, *, actor: str, activity_id: UUID, reason: str, on: date,
                        expected_version: int | None = None) -> CommandResult:
        return self._activity_step(activity_id, expected_version, "cancel", actor=actor,
                                   reason=reason, on=on)
