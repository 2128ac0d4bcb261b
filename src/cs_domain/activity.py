"""Activity (活动, seed 001 §二.4): an influence-raising or revenue-raising activity the CSM
plans with a customer, then prepares, launches, reviews and improves.

planned → prepared → launched → reviewed (outcome figures: participants, revenue, note) →
improved (the improvement for next time); a planned or prepared activity may be
cancelled. Any other step raises TransitionNotAllowed. Each step's business date `on`
may not precede the previous step's. A reviewed activity is the evidence of the month-9
CSM milestone "the customer runs its own activities" (seed 001 §三.1.1).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID, uuid4

from cs_domain.base import (
    CURRENCY_RE,
    LedgerAggregate,
    SteppedAggregate,
    check_amount,
    check_enum,
    check_text,
)
from cs_domain.errors import Validator
from cs_domain.number_checks import check_count, check_optional_text

TITLE_MAX = 200
NOTE_MAX = 5000
PARTICIPANTS_MAX = 10_000_000


class ActivityKind(StrEnum):
    """Seed 001 §二.4 divides activities by purpose."""

    INFLUENCE = "influence"  # 提高影响力类: brand, reach, more visits
    REVENUE = "revenue"  # 提高营收类: sales to the customer's own clients


class ActivityStatus(StrEnum):
    PLANNED = "planned"
    PREPARED = "prepared"
    LAUNCHED = "launched"
    REVIEWED = "reviewed"
    IMPROVED = "improved"
    CANCELLED = "cancelled"


S = ActivityStatus
# The statuses from which each step may be taken.
STEPS: dict[str, frozenset[str]] = {
    "prepare": frozenset({S.PLANNED}),
    "launch": frozenset({S.PREPARED}),
    "review": frozenset({S.LAUNCHED}),
    "improve": frozenset({S.REVIEWED}),
    "cancel": frozenset({S.PLANNED, S.PREPARED}),
}
# A reviewed activity (improved or not) has run: it evidences the month-9 milestone.
RUN = frozenset({S.REVIEWED.value, S.IMPROVED.value})


class Activity(SteppedAggregate):
    KIND = "activity"

    class Planned(LedgerAggregate.Created):
        actor: str
        customer_id: UUID
        kind: str
        title: str
        goal: str | None
        on: date

    class Prepared(LedgerAggregate.Event):
        actor: str
        note: str | None
        on: date

        def apply(self, a: Activity) -> None:
            a.step_to(S.PREPARED, self.on)

    class Launched(LedgerAggregate.Event):
        actor: str
        note: str | None
        on: date

        def apply(self, a: Activity) -> None:
            a.step_to(S.LAUNCHED, self.on)

    class Reviewed(LedgerAggregate.Event):
        actor: str
        participants: int
        revenue: Decimal | None
        currency: str | None
        note: str
        on: date

        def apply(self, a: Activity) -> None:
            a.participants = self.participants
            a.revenue = self.revenue
            a.currency = self.currency
            a.review_note = self.note
            a.step_to(S.REVIEWED, self.on)

    class Improved(LedgerAggregate.Event):
        actor: str
        improvement: str
        on: date

        def apply(self, a: Activity) -> None:
            a.improvement = self.improvement
            a.step_to(S.IMPROVED, self.on)

    class Cancelled(LedgerAggregate.Event):
        actor: str
        reason: str
        on: date

        def apply(self, a: Activity) -> None:
            a.cancel_reason = self.reason
            a.step_to(S.CANCELLED, self.on)

    def __init__(self, actor: str, customer_id: UUID, kind: str, title: str, goal: str | None,
                 on: date):
        self.customer_id = customer_id
        self.kind = kind
        self.title = title
        self.goal = goal
        self.planned_by = actor
        self.status: str = S.PLANNED.value
        self.last_step_on = on
        self.step_dates: dict[str, date] = {S.PLANNED.value: on}
        self.participants: int | None = None
        self.revenue: Decimal | None = None
        self.currency: str | None = None
        self.review_note: str | None = None
        self.improvement: str | None = None
        self.cancel_reason: str | None = None

    # --- commands --------------------------------------------------------------
    @classmethod
    def plan(cls, *, actor: str, customer_id: UUID, kind: str, title: str, on: date,
             goal: str | None = None, activity_id: UUID | None = None) -> Activity:
        v = Validator()
        check_enum(v, ActivityKind, kind, "kind")
        check_text(v, title, "title", max_len=TITLE_MAX)
        check_optional_text(v, goal, "goal", max_len=NOTE_MAX)
        v.done()
        return cls._create(cls.Planned, id=activity_id or uuid4(), actor=actor,
                           customer_id=customer_id, kind=kind, title=title.strip(), goal=goal,
                           on=on)

    def _step(self, v: Validator, action: str, on: date) -> None:
        """Checks the step's date, then whether the current status allows the step."""
        v.check(on >= self.last_step_on, "on",
                f"must not be before the previous step ({self.last_step_on.isoformat()})")
        v.done()
        if self.status not in STEPS[action]:
            raise self.refuse(action, self.status)

    def prepare(self, *, actor: str, on: date, note: str | None = None) -> None:
        v = Validator()
        check_optional_text(v, note, "note", max_len=NOTE_MAX)
        self._step(v, "prepare", on)
        self.trigger_event(self.Prepared, actor=actor, note=note, on=on)

    def launch(self, *, actor: str, on: date, note: str | None = None) -> None:
        v = Validator()
        check_optional_text(v, note, "note", max_len=NOTE_MAX)
        self._step(v, "launch", on)
        self.trigger_event(self.Launched, actor=actor, note=note, on=on)

    def review(self, *, actor: str, participants: int, note: str, on: date,
               revenue: Decimal | None = None, currency: str | None = None) -> None:
        """The review (复盘): who took part, what it earned (revenue activities; in the
        currency given), what was learnt."""
        v = Validator()
        check_count(v, participants, "participants", maximum=PARTICIPANTS_MAX)
        check_text(v, note, "note", max_len=NOTE_MAX)
        if revenue is not None or currency is not None:
            v.check(isinstance(currency, str) and bool(CURRENCY_RE.match(currency)),
                    "currency", "must be an ISO 4217 code such as EUR or USD (with revenue)")
            v.check(revenue is not None, "revenue", "must be given with currency")
            if revenue is not None:
                check_amount(v, revenue, currency, "revenue", minimum=Decimal(0))
        self._step(v, "review", on)
        self.trigger_event(self.Reviewed, actor=actor, participants=participants,
                           revenue=revenue, currency=currency, note=note, on=on)

    def improve(self, *, actor: str, improvement: str, on: date) -> None:
        v = Validator()
        check_text(v, improvement, "improvement", max_len=NOTE_MAX)
        self._step(v, "improve", on)
        self.trigger_event(self.Improved, actor=actor, improvement=improvement, on=on)

    def cancel(self, *, actor: str, reason: str, on: date) -> None:
        v = Validator()
        check_text(v, reason, "reason", max_len=NOTE_MAX)
        self._step(v, "cancel", on)
        self.trigger_event(self.Cancelled, actor=actor, reason=reason, on=on)

    @property
    def has_run(self) -> bool:
        return self.status in RUN
