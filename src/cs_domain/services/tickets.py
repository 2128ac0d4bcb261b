"""Support ticket commands: open, first reply, resolve, accuracy review (seed 001 §三.1.2)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from cs_domain.application import CommandResult
from cs_domain.services.customers import CustomerCommands
from cs_domain.ticket import Ticket


class TicketCommands(CustomerCommands):
    def open_ticket(
        self, *, actor: str, customer_id: UUID, channel: str, subject: str, opened_at: datetime,
        ticket_id: UUID | None = None,
    ) -> CommandResult:
        ticket = Ticket.open(actor=actor, customer_id=customer_id, channel=channel,
                             subject=subject, opened_at=opened_at, ticket_id=ticket_id)
        self.check_customer(customer_id)
        return self.result(ticket, self.commit(ticket))

    def reply_ticket(
        self, *, actor: str, ticket_id: UUID, replied_at: datetime,
        expected_version: int | None = None,
    ) -> CommandResult:
        ticket = self.load(Ticket, ticket_id, expected_version)
        ticket.reply(actor=actor, replied_at=replied_at)
        return self.result(ticket, self.commit(ticket))

    def resolve_ticket(
        self, *, actor: str, ticket_id: UUID, resolved_at: datetime,
        expected_version: int | None = None,
    ) -> CommandResult:
        ticket = self.load(Ticket, ticket_id, expected_version)
        ticket.resolve(actor=actor, resolved_at=resolved_at)
        return self.result(ticket, self.commit(ticket))

    def review_ticket(
        self, *, actor: str, ticket_id: UUID, accurate: bool, reviewed_at: datetime,
        note: str | None = None, expected_version: int | None = None,
    ) -> CommandResult:
        ticket = self.load(Ticket, ticket_id, expected_version)
        ticket.review(actor=actor, accurate=accurate, reviewed_at=reviewed_at, note=note)
        return self.result(ticket, self.commit(ticket))
