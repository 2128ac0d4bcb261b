"""Touchpoint commands: record a contact with a customer; record a training's follow-up."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from cs_domain.application import CommandResult
from cs_domain.services.customers import CustomerCommands
from cs_domain.touchpoint import Touchpoint


class TouchpointCommands(CustomerCommands):
    def record_touchpoint(
        self, *, actor: str, customer_id: UUID, kind: str, occurred_on: date, summary: str,
        participants: list[str] | None = None, next_steps: list[str] | None = None,
        week_start: date | None = None, touchpoint_id: UUID | None = None,
    ) -> CommandResult:
        touchpoint = Touchpoint.record(
            actor=actor, customer_id=customer_id, kind=kind, occurred_on=occurred_on,
            summary=summary, participants=participants, next_steps=next_steps,
            week_start=week_start, touchpoint_id=touchpoint_id,
        )
        return self.result(touchpoint, self.commit(
            touchpoint, requires=(self.customer_required(customer_id),)))

    def record_training_follow_up(
        self, *, actor: str, touchpoint_id: UUID, follow_up_on: date, outcome: str,
        expected_version: int | None = None,
    ) -> CommandResult:
        touchpoint = self.load(Touchpoint, touchpoint_id, expected_version)
        touchpoint.record_follow_up(actor=actor, follow_up_on=follow_up_on, outcome=outcome)
        return self.result(touchpoint, self.commit(touchpoint))
