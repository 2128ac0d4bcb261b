"""Benchmark case (标杆案例, seed 001 §二.6): a customer nominated as a candidate, then built,
replicated, upgraded and replicated again (【标杆案例打造】-【复制】-【升级】-【再复制】).

One case per customer: its id derives from the customer (:func:`case_id`), so a second
nomination is a DuplicateKey. Stages follow one another without skipping; a case may be
dropped (reason) before the last stage. Recognition in the industry and the measured outcome
(cost down %, growth %) are recorded facts; whether the three criteria are met is judged
from the facts by :func:`all_modules_used` and :func:`outcome_measured` (the views apply them
to the customer's latest usage report), never typed in as a verdict.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from cs_domain.base import LedgerAggregate, check_text, index_id
from cs_domain.errors import Validator
from cs_domain.number_checks import check_optional_text, check_places, is_number

TITLE_MAX = 200
NOTE_MAX = 5000
PERCENT_MAX = Decimal(1000)
# "Uses every module" without breadth figures: feature adoption of at least 90 %.
ALL_MODULES_ADOPTION = Decimal("0.90")


class BenchmarkStage(StrEnum):
    CANDIDATE = "candidate"
    BUILT = "built"
    REPLICATED = "replicated"
    UPGRADED = "upgraded"
    REPLICATED_AGAIN = "replicated_again"
    DROPPED = "dropped"


B = BenchmarkStage
# The stages from which each step may be taken.
STEPS: dict[str, frozenset[str]] = {
    "build": frozenset({B.CANDIDATE}),
    "replicate": frozenset({B.BUILT}),
    "upgrade": frozenset({B.REPLICATED}),
    "replicate again": frozenset({B.UPGRADED}),
    "drop": frozenset({B.CANDIDATE, B.BUILT, B.REPLICATED, B.UPGRADED}),
}
STEP_STAGE = {"build": B.BUILT, "replicate": B.REPLICATED, "upgrade": B.UPGRADED,
              "replicate again": B.REPLICATED_AGAIN}
# A class (tier) is covered by a case that has been built (seed 001: 每个类别至少做出一家).
COVERING = frozenset({B.BUILT.value, B.REPLICATED.value, B.UPGRADED.value,
                      B.REPLICATED_AGAIN.value})


def case_id(customer_id: UUID) -> UUID:
    """The one benchmark case of a customer."""
    return index_id("benchmark-case", str(customer_id))


def all_modules_used(feature_adoption: Decimal | None, features_used: int | None,
                     features_available: int | None) -> bool:
    """Seed 001's "uses every module", from one usage report: every available feature used
    when the breadth figures are reported, else feature adoption ≥ ALL_MODULES_ADOPTION;
    False without a report."""
    if features_used is not None and features_available is not None:
        return features_available > 0 and features_used >= features_available
    return feature_adoption is not None and feature_adoption >= ALL_MODULES_ADOPTION


def outcome_measured(cost_down_pct: Decimal | None, growth_pct: Decimal | None) -> bool:
    """Seed 001's "cost down, business up through the product": a recorded figure > 0."""
    return any(x is not None and x > 0 for x in (cost_down_pct, growth_pct))


def _check_percent(v: Validator, value: object, field: str) -> None:
    if value is None:
        return
    v.check(is_number(value) and 0 < value <= PERCENT_MAX, field,  # type: ignore[operator]
            f"must be a decimal greater than 0 and at most {PERCENT_MAX}")
    check_places(v, value, field, integer_digits=4, places=2)


class BenchmarkCase(LedgerAggregate):
    KIND = "benchmark case"

    class Nominated(LedgerAggregate.Created):
        actor: str
        customer_id: UUID
        title: str
        on: date

    class Advanced(LedgerAggregate.Event):
        """One pipeline step: built, replicated, upgraded or replicated again."""

        actor: str
        stage: str
        note: str | None
        on: date

        def apply(self, c: BenchmarkCase) -> None:
            c.step_to(self.stage, self.on)

    class Dropped(LedgerAggregate.Event):
        actor: str
        reason: str
        on: date

        def apply(self, c: BenchmarkCase) -> None:
            c.drop_reason = self.reason
            c.step_to(B.DROPPED, self.on)

    class RecognitionRecorded(LedgerAggregate.Event):
        actor: str
        industry_known: bool
        note: str
        on: date

        def apply(self, c: BenchmarkCase) -> None:
            c.industry_known = self.industry_known
            c.recognition_note = self.note

    class OutcomeRecorded(LedgerAggregate.Event):
        actor: str
        cost_down_pct: Decimal | None
        growth_pct: Decimal | None
        note: str
        measured_on: date

        def apply(self, c: BenchmarkCase) -> None:
            c.cost_down_pct = self.cost_down_pct
            c.growth_pct = self.growth_pct
            c.outcome_note = self.note

    def __init__(self, actor: str, customer_id: UUID, title: str, on: date):
        self.customer_id = customer_id
        self.title = title
        self.nominated_by = actor
        self.stage: str = B.CANDIDATE.value
        self.last_step_on = on
        self.step_dates: dict[str, date] = {B.CANDIDATE.value: on}
        self.drop_reason: str | None = None
        self.industry_known: bool | None = None
        self.recognition_note: str | None = None
        self.cost_down_pct: Decimal | None = None
        self.growth_pct: Decimal | None = None
        self.outcome_note: str | None = None

    def step_to(self, stage: str, on: date) -> None:
        """State change shared by the step events (no rules: replay-safe)."""
        self.stage = stage
        self.last_step_on = on
        self.step_dates = {**self.step_dates, stage: on}

    # --- commands --------------------------------------------------------------
    @classmethod
    def nominate(cls, *, actor: str, customer_id: UUID, title: str, on: date
                 ) -> BenchmarkCase:
        v = Validator()
        check_text(v, title, "title", max_len=TITLE_MAX)
        v.done()
        return cls._create(cls.Nominated, id=case_id(customer_id), actor=actor,
                           customer_id=customer_id, title=title.strip(), on=on)

    def _step(self, v: Validator, action: str, on: date) -> None:
        v.check(on >= self.last_step_on, "on",
                f"must not be before the previous step ({self.last_step_on.isoformat()})")
        v.done()
        if self.stage not in STEPS[action]:
            raise self.refuse(action, self.stage)

    def advance(self, *, actor: str, step: str, on: date, note: str | None = None) -> None:
        """One pipeline step (`build`, `replicate`, `upgrade`, `replicate again`): only
        from the stage before it."""
        v = Validator()
        v.check(step in STEP_STAGE, "step", f"must be one of: {', '.join(STEP_STAGE)}")
        check_optional_text(v, note, "note", max_len=NOTE_MAX)
        if step not in STEP_STAGE:
            v.done()
        self._step(v, step, on)
        self.trigger_event(self.Advanced, actor=actor, stage=STEP_STAGE[step].value, note=note,
                           on=on)

    def drop(self, *, actor: str, reason: str, on: date) -> None:
        v = Validator()
        check_text(v, reason, "reason", max_len=NOTE_MAX)
        self._step(v, "drop", on)
        self.trigger_event(self.Dropped, actor=actor, reason=reason, on=on)

    def _refuse_if_dropped(self, action: str) -> None:
        if self.stage == B.DROPPED:
            raise self.refuse(action, self.stage)

    def record_recognition(self, *, actor: str, industry_known: bool, note: str, on: date
                           ) -> None:
        """Whether the customer is known in its industry (行业知名度), and the evidence."""
        v = Validator()
        v.check(isinstance(industry_known, bool), "industry_known", "must be true or false")
        check_text(v, note, "note", max_len=NOTE_MAX)
        v.done()
        self._refuse_if_dropped("record the recognition of")
        self.trigger_event(self.RecognitionRecorded, actor=actor, industry_known=industry_known,
                           note=note, on=on)

    def record_outcome(self, *, actor: str, note: str, measured_on: date,
                       cost_down_pct: Decimal | None = None,
                       growth_pct: Decimal | None = None) -> None:
        """The measured outcome: cost down and / or business growth, in % (at least one)."""
        v = Validator()
        _check_percent(v, cost_down_pct, "cost_down_pct")
        _check_percent(v, growth_pct, "growth_pct")
        v.check(cost_down_pct is not None or growth_pct is not None, "cost_down_pct",
                "give cost_down_pct or growth_pct (or both)")
        check_text(v, note, "note", max_len=NOTE_MAX)
        v.done()
        self._refuse_if_dropped("record the outcome of")
        self.trigger_event(self.OutcomeRecorded, actor=actor, cost_down_pct=cost_down_pct,
                           growth_pct=growth_pct, note=note, measured_on=measured_on)
