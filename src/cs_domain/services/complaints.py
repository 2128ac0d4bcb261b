"""Complaint commands: receive, investigate, resolve (24 h target when resources are
needed), review."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from cs_domain.application import CommandResult
from cs_domain.complaint import Complaint
from cs_domain.services.customers import CustomerCommands


class ComplaintCommands(CustomerCommands):
    def receive_complaint(
        self, *, actor: str, customer_id: UUID, channel: str, summary: str, severity: str,
        needs_resources: bool, received_at: datetime, complaint_id: UUID | None = None,
    ) -> CommandResult:
        complaint = Complaint.receive(
            actor=actor, customer_id=customer_id, channel=channel, summary=summary,
            severity=severity, needs_resources=needs_resources, received_at=received_at,
            complaint_id=complaint_id,
        )
        self.check_customer(customer_id)
        return self.result(complaint, self.commit(complaint))

    def start_complaint_investigation(
        self, *, actor: str, complaint_id: UUID, started_at: datetime, note: str | None = None,
        expected_version: int | None = None,
    ) -> CommandResult:
        complaint = self.load(Complaint, complaint_id, expected_version)
        complaint.start_investigation(actor=actor, started_at=started_at, note=note)
        return self.result(complaint, self.commit(complaint))

    def resolve_complaint(
        self, *, actor: str, complaint_id: UUID, resolution: str, resolved_at: datetime,
        compensation: str | None = None, expected_version: int | None = None,
    ) -> CommandResult:
        """Resolves; `extra["within_target"]` is None when the complaint had no hour target."""
        complaint = self.load(Complaint, complaint_id, expected_version)
        complaint.resolve(actor=actor, resolution=resolution, resolved_at=resolved_at,
                          compensation=compensation)
        position = self.commit(complaint)
        return self.result(complaint, position, within_target=complaint.within_target)

    def review_complaint(
        self, *, actor: str, complaint_id: UUID, category: str, root_cause: str,
        improvement: str, reviewed_on: date, expected_version: int | None = None,
    ) -> CommandResult:
        complaint = self.load(Complaint, complaint_id, expected_version)
        complaint.review(actor=actor, category=category, root_cause=root_cause,
                         improvement=improvement, reviewed_on=reviewed_on)
        return self.result(complaint, self.commit(complaint))
