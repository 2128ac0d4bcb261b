"""Support ticket (客服工单): opened → replied → resolved, with one accuracy review
(seed 001 §三.1.2: the support desk is measured by reply time and accuracy).

A ticket is opened on a customer (channel, subject, the moment it came in). The first
reply records the agent who answered and when: the first-reply time is the minutes
between `opened_at` and `replied_at`. A manager then reviews whether that answer was
accurate (once). Moments carry a time zone and may not precede the previous step;
out-of-order steps raise TransitionNotAllowed.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from cs_domain.base import LedgerAggregate, check_enum, check_text
from cs_domain.complaint import Channel, check_moment
from cs_domain.errors import Validator

SUBJECT_MAX = 500
NOTE_MAX = 5000


class TicketStatus(StrEnum):
    OPEN = "open"
    REPLIED = "replied"
    RESOLVED = "resolved"


class Ticket(LedgerAggregate):
    KIND = "ticket"

    class Opened(LedgerAggregate.Created):
        actor: str
        customer_id: UUID
        channel: str
        subject: str
        opened_at: datetime

    class FirstReplied(LedgerAggregate.Event):
        actor: str
        agent: str
        replied_at: datetime

        def apply(self, t: Ticket) -> None:
            t.status = TicketStatus.REPLIED.value
            t.agent = self.agent
            t.replied_at = self.replied_at

    class Resolved(LedgerAggregate.Event):
        actor: str
        resolved_at: datetime

        def apply(self, t: Ticket) -> None:
            t.status = TicketStatus.RESOLVED.value
            t.resolved_at = self.resolved_at

    class AccuracyReviewed(LedgerAggregate.Event):
        actor: str
        accurate: bool
        reviewer: str
        note: str | None
        reviewed_at: datetime

        def apply(self, t: Ticket) -> None:
            t.accurate = self.accurate
            t.reviewer = self.reviewer
            t.review_note = self.note
            t.reviewed_at = self.reviewed_at

    def __init__(self, actor: str, customer_id: UUID, channel: str, subject: str,
                 opened_at: datetime):
        self.customer_id = customer_id
        self.channel = channel
        self.subject = subject
        self.opened_at = opened_at
        self.opened_by = actor
        self.status: str = TicketStatus.OPEN.value
        self.agent: str | None = None
        self.replied_at: datetime | None = None
        self.resolved_at: datetime | None = None
        self.accurate: bool | None = None
        self.reviewer: str | None = None
        self.review_note: str | None = None
        self.reviewed_at: datetime | None = None

    # --- commands --------------------------------------------------------------
    @classmethod
    def open(cls, *, actor: str, customer_id: UUID, channel: str, subject: str,
             opened_at: datetime, ticket_id: UUID | None = None) -> Ticket:
        v = Validator()
        check_enum(v, Channel, channel, "channel")
        check_text(v, subject, "subject", max_len=SUBJECT_MAX)
        cls._check_moment(v, opened_at, "opened_at")
        v.done()
        return cls._create(cls.Opened, id=ticket_id or uuid4(), actor=actor,
                           customer_id=customer_id, channel=channel, subject=subject.strip(),
                           opened_at=opened_at)

    @staticmethod
    def _check_moment(v: Validator, at: datetime, field: str) -> bool:
        check_moment(v, at, field)
        ok = isinstance(at, datetime) and at.utcoffset() is not None
        if ok:
            v.check(1900 <= at.year <= 2199, field, "must be within 1900-01-01 … 2199-12-31")
        return ok

    def _check_not_before(self, v: Validator, at: datetime, field: str,
                          previous: datetime) -> None:
        if self._check_moment(v, at, field):
            v.check(at >= previous, field,
                    f"must not be before the previous step ({previous.isoformat()})")

    def reply(self, *, actor: str, replied_at: datetime) -> None:
        """The first reply: the acting agent answered at `replied_at`."""
        v = Validator()
        self._check_not_before(v, replied_at, "replied_at", self.opened_at)
        v.done()
        if self.status != TicketStatus.OPEN:
            raise self.refuse("record a first reply", self.status)
        self.trigger_event(self.FirstReplied, actor=actor, agent=actor, replied_at=replied_at)

    def resolve(self, *, actor: str, resolved_at: datetime) -> None:
        v = Validator()
        self._check_not_before(v, resolved_at, "resolved_at", self.replied_at or self.opened_at)
        v.done()
        if self.status != TicketStatus.REPLIED:
            raise self.refuse("resolve", self.status)
        self.trigger_event(self.Resolved, actor=actor, resolved_at=resolved_at)

    def review(self, *, actor: str, accurate: bool, reviewed_at: datetime,
               note: str | None = None) -> None:
        """The accuracy review of the first reply: once, after there is a reply."""
        v = Validator()
        v.check(isinstance(accurate, bool), "accurate", "must be true or false")
        if note is not None:
            check_text(v, note, "note", max_len=NOTE_MAX)
        self._check_not_before(v, reviewed_at, "reviewed_at", self.replied_at or self.opened_at)
        v.done()
        if self.replied_at is None:
            raise self.refuse("review the accuracy of", "not yet replied")
        if self.reviewer is not None:
            raise self.refuse("review the accuracy of", "already reviewed")
        self.trigger_event(self.AccuracyReviewed, actor=actor, accurate=accurate, reviewer=actor,
                           note=note, reviewed_at=reviewed_at)

    # --- queries ---------------------------------------------------------------
    @property
    def first_reply_minutes(self) -> float | None:
        if self.replied_at is None:
            return None
        return (self.replied_at - self.opened_at).total_seconds() / 60
