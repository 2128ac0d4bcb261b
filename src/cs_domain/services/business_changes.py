"""Business change commands (seed 001 §二.8): report a change of a customer's business."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from cs_domain.application import CommandResult
from cs_domain.business_change import BusinessChange
from cs_domain.services.customers import CustomerCommands


class BusinessChangeCommands(CustomerCommands):
    def report_business_change(
        self, *, actor: str, customer_id: UUID, kind: Any, occurred_on: date,
        note: str | None = None, change_id: UUID | None = None,
    ) -> CommandResult:
        change = BusinessChange.report(actor=actor, customer_id=customer_id, kind=kind,
                                       occurred_on=occurred_on, note=note, change_id=change_id)
        self.check_customer(customer_id)
        return self.result(change, self.commit(change))
