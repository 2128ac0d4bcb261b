"""Complaint (投诉): received → investigating → resolved → reviewed (seed 001).

Seed 001: calm the customer and investigate at once; a complaint that can be
solved without extra resources is solved immediately, one that needs resources
within 24 hours (:data:`RESOURCE_TARGET`), both with compensation where due.
Every complaint is then reviewed: its category, root cause and the improvement
that keeps it from happening again.

Steps are timed with timezone-aware datetimes (the 24 h target is in hours);
each may not precede the previous one. Out-of-order steps raise
TransitionNotAllowed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from cs_domain.base import LedgerAggregate, check_enum, check_text
from cs_domain.errors import Validator
from cs_domain.risk import Severity

RESOURCE_TARGET = timedelta(hours=24)


class ComplaintStatus(StrEnum):
    RECEIVED = "received"
    INVESTIGATING = "investigating"
    RESOLVED = "resolved"
    REVIEWED = "reviewed"


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    CHAT = "chat"
    ONSITE = "onsite"
    TICKET = "ticket"
    SOCIAL = "social"
    OTHER = "other"


class ComplaintCategory(StrEnum):
    """Review categories (投诉事件归类)."""

    PRODUCT_DEFECT = "product_defect"
    PERFORMANCE = "performance"
    SERVICE_ATTITUDE = "service_attitude"
    RESPONSE_TIME = "response_time"
    DELIVERY = "delivery"
    BILLING = "billing"
    OTHER = "other"


def check_moment(v: Validator, value: Any, field: str) -> None:
    ok = isinstance(value, datetime) and value.utcoffset() is not None
    v.check(ok, field, "must be a date-time with a time zone")


class Complaint(LedgerAggregate):
    KIND = "complaint"

    class Received(LedgerAggregate.Created):
        actor: str
        customer_id: UUID
        channel: str
        summary: str
        severity: str
        needs_resources: bool
        received_at: datetime
        resolve_by: datetime | None

    class InvestigationStarted(LedgerAggregate.Event):
        actor: str
        started_at: datetime
        note: str | None

        def apply(self, c: Complaint) -> None:
            c.status = ComplaintStatus.INVESTIGATING.value
            c.investigation_started_at = self.started_at
            c.last_step_at = self.started_at

    class Resolved(LedgerAggregate.Event):
        actor: str
        resolution: str
        compensation: str | None
        resolved_at: datetime
        within_target: bool | None

        def apply(self, c: Complaint) -> None:
            c.status = ComplaintStatus.RESOLVED.value
            c.resolution = self.resolution
            c.compensation = self.compensation
            c.resolved_at = self.resolved_at
            c.within_target = self.within_target
            c.last_step_at = self.resolved_at

    class Reviewed(LedgerAggregate.Event):
        actor: str
        category: str
        root_cause: str
        improvement: str
        reviewed_on: date

        def apply(self, c: Complaint) -> None:
            c.status = ComplaintStatus.REVIEWED.value
            c.category = self.category
            c.root_cause = self.root_cause
            c.improvement = self.improvement
            c.reviewed_on = self.reviewed_on

    def __init__(
        self, actor: str, customer_id: UUID, channel: str, summary: str, severity: str,
        needs_resources: bool, received_at: datetime, resolve_by: datetime | None,
    ):
        self.customer_id = customer_id
        self.channel = channel
        self.summary = summary
        self.severity = severity
        self.needs_resources = needs_resources
        self.received_at = received_at
        self.resolve_by = resolve_by
        self.received_by = actor
        self.status: str = ComplaintStatus.RECEIVED.value
        self.last_step_at = received_at
        self.investigation_started_at: datetime | None = None
        self.resolution: str | None = None
        self.compensation: str | None = None
        self.resolved_at: datetime | None = None
        self.within_target: bool | None = None
        self.category: str | None = None
        self.root_cause: str | None = None
        self.improvement: str | None = None
        self.reviewed_on: date | None = None

    # --- commands --------------------------------------------------------------
    @classmethod
    def receive(
        cls, *, actor: str, customer_id: UUID, channel: str, summary: str, severity: str,
        needs_resources: bool, received_at: datetime, complaint_id: UUID | None = None,
    ) -> Complaint:
        """A new complaint. One that needs resources must be resolved within 24 h
        (``resolve_by``); one that does not has no hour target: it is solved at once."""
        v = Validator()
        check_enum(v, Channel, channel, "channel")
        check_text(v, summary, "summary", max_len=5000)
        check_enum(v, Severity, severity, "severity")
        v.check(isinstance(needs_resources, bool), "needs_resources", "must be true or false")
        check_moment(v, received_at, "received_at")
        v.done()
        return cls._create(
            cls.Received, id=complaint_id or uuid4(), actor=actor, customer_id=customer_id,
            channel=channel, summary=summary.strip(), severity=severity,
            needs_resources=needs_resources, received_at=received_at,
            resolve_by=received_at + RESOURCE_TARGET if needs_resources else None,
        )

    def _check_after_last_step(self, v: Validator, at: datetime, field: str) -> None:
        check_moment(v, at, field)
        if isinstance(at, datetime) and at.utcoffset() is not None:
            v.check(at >= self.last_step_at, field,
                    f"must not be before the previous step ({self.last_step_at.isoformat()})")

    def start_investigation(self, *, actor: str, started_at: datetime,
                            note: str | None = None) -> None:
        v = Validator()
        self._check_after_last_step(v, started_at, "started_at")
        if note is not None:
            check_text(v, note, "note", max_len=5000)
        v.done()
        if self.status != ComplaintStatus.RECEIVED:
            raise self.refuse("start investigating", self.status)
        self.trigger_event(self.InvestigationStarted, actor=actor, started_at=started_at, note=note)

    def resolve(
        self, *, actor: str, resolution: str, resolved_at: datetime,
        compensation: str | None = None,
    ) -> None:
        v = Validator()
        check_text(v, resolution, "resolution", max_len=5000)
        if compensation is not None:
            check_text(v, compensation, "compensation", max_len=5000)
        self._check_after_last_step(v, resolved_at, "resolved_at")
        v.done()
        if self.status != ComplaintStatus.INVESTIGATING:
            raise self.refuse("resolve", self.status)
        within = None if self.resolve_by is None else resolved_at <= self.resolve_by
        self.trigger_event(
            self.Resolved, actor=actor, resolution=resolution, compensation=compensation,
            resolved_at=resolved_at, within_target=within,
        )

    def review(
        self, *, actor: str, category: str, root_cause: str, improvement: str, reviewed_on: date,
    ) -> None:
        v = Validator()
        check_enum(v, ComplaintCategory, category, "category")
        check_text(v, root_cause, "root_cause", max_len=5000)
        check_text(v, improvement, "improvement", max_len=5000)
        if self.resolved_at is not None:
            v.check(reviewed_on >= self.resolved_at.date(), "reviewed_on",
                    "must not be before the day it was resolved")
        v.done()
        if self.status != ComplaintStatus.RESOLVED:
            raise self.refuse("review", self.status)
        self.trigger_event(
            self.Reviewed, actor=actor, category=category, root_cause=root_cause,
            improvement=improvement, reviewed_on=reviewed_on,
        )

    # --- queries ---------------------------------------------------------------
    def is_past_target(self, now: datetime) -> bool:
        """Needs resources, not yet resolved and past its 24 h target."""
        return (self.resolve_by is not None and self.resolved_at is None
                and now > self.resolve_by)

    @property
    def hours_to_resolve(self) -> float | None:
        if self.resolved_at is None:
            return None
        return (self.resolved_at - self.received_at).total_seconds() / 3600
