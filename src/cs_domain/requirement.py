"""Requirement (需求): the closed loop of seed 001, every step dated so its duration shows.

collected (who asked, what) → classified (category) and graded (priority) →
analysed (fit with the product) → handed to product → scheduled (target date,
release) → delivered, or rejected (reason) → feedback given to the customer.

Rejection is possible once the requirement is understood: after analysis (a
pseudo-requirement, 去伪求真), after the handover or once scheduled (product says
no). Any other out-of-order step raises TransitionNotAllowed. Each step's
business date ``on`` may not precede the previous step's.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID, uuid4

from cs_domain.base import LedgerAggregate, SteppedAggregate, check_enum, check_text
from cs_domain.errors import Validator


class RequirementStatus(StrEnum):
    COLLECTED = "collected"
    CLASSIFIED = "classified"
    ANALYSED = "analysed"
    HANDED_OVER = "handed_over"
    SCHEDULED = "scheduled"
    DELIVERED = "delivered"
    REJECTED = "rejected"
    FEEDBACK_GIVEN = "feedback_given"


class RequirementCategory(StrEnum):
    """Seed 001 separates functional needs (built by product) from service needs."""

    FEATURE = "feature"
    IMPROVEMENT = "improvement"
    BUG = "bug"
    INTEGRATION = "integration"
    DATA = "data"
    SERVICE = "service"
    OTHER = "other"


class Priority(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class ProductFit(StrEnum):
    """How well the request fits the product (匹配度)."""

    FULL = "full"  # the product already does it: guidance, not development
    PARTIAL = "partial"
    NONE = "none"


S = RequirementStatus
# The statuses from which each step may be taken (its event names the status it leads to).
STEPS: dict[str, set[str]] = {
    "classify": {S.COLLECTED},
    "analyse": {S.CLASSIFIED},
    "hand over": {S.ANALYSED},
    "schedule": {S.HANDED_OVER},
    "deliver": {S.SCHEDULED},
    "reject": {S.ANALYSED, S.HANDED_OVER, S.SCHEDULED},
    "give feedback on": {S.DELIVERED, S.REJECTED},
}


class Requirement(SteppedAggregate):
    KIND = "requirement"

    class Collected(LedgerAggregate.Created):
        actor: str
        customer_id: UUID
        requested_by: str
        summary: str
        detail: str | None
        on: date

    class Classified(LedgerAggregate.Event):
        actor: str
        category: str
        priority: str
        on: date

        def apply(self, r: Requirement) -> None:
            r.category = self.category
            r.priority = self.priority
            r.step_to(S.CLASSIFIED, self.on)

    class Analysed(LedgerAggregate.Event):
        actor: str
        product_fit: str
        note: str
        on: date

        def apply(self, r: Requirement) -> None:
            r.product_fit = self.product_fit
            r.analysis = self.note
            r.step_to(S.ANALYSED, self.on)

    class HandedToProduct(LedgerAggregate.Event):
        actor: str
        product_ref: str | None  # the product team's ticket, if any
        note: str | None
        on: date

        def apply(self, r: Requirement) -> None:
            r.product_ref = self.product_ref
            r.step_to(S.HANDED_OVER, self.on)

    class Scheduled(LedgerAggregate.Event):
        actor: str
        target_date: date
        release: str | None
        on: date

        def apply(self, r: Requirement) -> None:
            r.target_date = self.target_date
            r.release = self.release
            r.step_to(S.SCHEDULED, self.on)

    class Delivered(LedgerAggregate.Event):
        actor: str
        release: str | None
        note: str | None
        on: date

        def apply(self, r: Requirement) -> None:
            if self.release is not None:
                r.release = self.release
            r.step_to(S.DELIVERED, self.on)

    class Rejected(LedgerAggregate.Event):
        actor: str
        reason: str
        on: date

        def apply(self, r: Requirement) -> None:
            r.rejection_reason = self.reason
            r.step_to(S.REJECTED, self.on)

    class FeedbackGiven(LedgerAggregate.Event):
        actor: str
        feedback: str
        on: date

        def apply(self, r: Requirement) -> None:
            r.feedback = self.feedback
            r.step_to(S.FEEDBACK_GIVEN, self.on)

    def __init__(
        self, actor: str, customer_id: UUID, requested_by: str, summary: str,
        detail: str | None, on: date,
    ):
        self.customer_id = customer_id
        self.requested_by = requested_by
        self.summary = summary
        self.detail = detail
        self.collected_by = actor
        self.status: str = S.COLLECTED.value
        self.last_step_on = on
        # The business date of each step reached, keyed by status: the loop's timings.
        self.step_dates: dict[str, date] = {S.COLLECTED.value: on}
        self.category: str | None = None
        self.priority: str | None = None
        self.product_fit: str | None = None
        self.analysis: str | None = None
        self.product_ref: str | None = None
        self.target_date: date | None = None
        self.release: str | None = None
        self.rejection_reason: str | None = None
        self.feedback: str | None = None

    # --- commands --------------------------------------------------------------
    @classmethod
    def collect(
        cls, *, actor: str, customer_id: UUID, requested_by: str, summary: str, on: date,
        detail: str | None = None, requirement_id: UUID | None = None,
    ) -> Requirement:
        v = Validator()
        check_text(v, requested_by, "requested_by")
        check_text(v, summary, "summary")
        if detail is not None:
            check_text(v, detail, "detail", max_len=5000)
        v.done()
        return cls._create(
            cls.Collected, id=requirement_id or uuid4(), actor=actor, customer_id=customer_id,
            requested_by=requested_by.strip(), summary=summary.strip(), detail=detail, on=on,
        )

    def _step(self, v: Validator, action: str, on: date) -> None:
        """Checks the step's date, then whether the current status allows it."""
        v.check(on >= self.last_step_on, "on",
                f"must not be before the previous step ({self.last_step_on.isoformat()})")
        v.done()
        if self.status not in STEPS[action]:
            raise self.refuse(action, self.status)

    def classify(self, *, actor: str, category: str, priority: str, on: date) -> None:
        v = Validator()
        check_enum(v, RequirementCategory, category, "category")
        check_enum(v, Priority, priority, "priority")
        self._step(v, "classify", on)
        self.trigger_event(self.Classified, actor=actor, category=category, priority=priority, on=on)

    def analyse(self, *, actor: str, product_fit: str, note: str, on: date) -> None:
        v = Validator()
        check_enum(v, ProductFit, product_fit, "product_fit")
        check_text(v, note, "note", max_len=5000)
        self._step(v, "analyse", on)
        self.trigger_event(self.Analysed, actor=actor, product_fit=product_fit, note=note, on=on)

    def hand_to_product(
        self, *, actor: str, on: date, product_ref: str | None = None, note: str | None = None,
    ) -> None:
        v = Validator()
        if product_ref is not None:
            check_text(v, product_ref, "product_ref", max_len=100)
        if note is not None:
            check_text(v, note, "note", max_len=5000)
        self._step(v, "hand over", on)
        self.trigger_event(self.HandedToProduct, actor=actor, product_ref=product_ref, note=note,
                           on=on)

    def schedule(
        self, *, actor: str, target_date: date, on: date, release: str | None = None,
    ) -> None:
        v = Validator()
        v.check(target_date >= on, "target_date", "must not be before the day it is scheduled")
        if release is not None:
            check_text(v, release, "release", max_len=100)
        self._step(v, "schedule", on)
        self.trigger_event(self.Scheduled, actor=actor, target_date=target_date, release=release,
                           on=on)

    def deliver(
        self, *, actor: str, on: date, release: str | None = None, note: str | None = None,
    ) -> None:
        v = Validator()
        if release is not None:
            check_text(v, release, "release", max_len=100)
        if note is not None:
            check_text(v, note, "note", max_len=5000)
        self._step(v, "deliver", on)
        self.trigger_event(self.Delivered, actor=actor, release=release, note=note, on=on)

    def reject(self, *, actor: str, reason: str, on: date) -> None:
        v = Validator()
        check_text(v, reason, "reason", max_len=5000)
        self._step(v, "reject", on)
        self.trigger_event(self.Rejected, actor=actor, reason=reason, on=on)

    def give_feedback(self, *, actor: str, feedback: str, on: date) -> None:
        v = Validator()
        check_text(v, feedback, "feedback", max_len=5000)
        self._step(v, "give feedback on", on)
        self.trigger_event(self.FeedbackGiven, actor=actor, feedback=feedback, on=on)

    # --- queries ---------------------------------------------------------------
    @property
    def is_closed(self) -> bool:
        """The loop is closed once the customer has been told the outcome."""
        return self.status == S.FEEDBACK_GIVEN

    def days_between(self, start: str, end: str) -> int | None:
        """Days from one step (status name) to another, if both were reached."""
        a, b = self.step_dates.get(start), self.step_dates.get(end)
        return None if a is None or b is None else (b - a).days
