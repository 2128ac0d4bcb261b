"""The customer lifecycle, defined once (docs/rules.md "Lifecycle"; seeds 001 and 003).

- **Activated** (seed 001 启用: "客户启用产品是签约客户成为真实客户的关键指标" — the customer
  uses the product): the first usage period with at least ``MIN_ACTIVE_DAYS`` active days a
  week that reaches the customer's start; activated on ``max(period_start, start)``.
- **Stages** (seed 001: 签约期 → 启用期 → 成长期 → 成熟期 → 续费期, churned / reactivated) follow
  dated facts through :func:`next_stage` (see :class:`Fact`):
  ``contract_activated`` — signed → onboarding (a churned customer → reactivated);
  ``activated`` — onboarding / reactivated → growth;
  ``matured`` (``MATURE_AFTER_MONTHS`` months after the first start, with a usage period of
  feature adoption ≥ ``MATURE_ADOPTION`` reported from then on) — growth → mature;
  ``renewal_window`` (``RENEWAL_WINDOW_DAYS`` days before the current term's end, the term
  still open) — any live stage → renewal;
  ``renewed`` — any live stage → mature (a renewed customer is never onboarding again);
  ``churned`` — any stage → churned.
  A manager may set a stage by hand within :func:`manual_refusal`; the rules resume with the
  next fact dated after the manual change.
- **Phase** of a customer on a day (seed 003, the lifecycle board): :func:`term_phase`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from cs_domain.days import shift
from cs_domain.rules import ONBOARDING_CHECKPOINTS, ONBOARDING_LAST_DAY, add_months

LIFECYCLE_ACTOR = "system:lifecycle"
MIN_ACTIVE_DAYS = Decimal(1)
MATURE_AFTER_MONTHS = 6
MATURE_ADOPTION = Decimal("0.5")
RENEWAL_WINDOW_DAYS = 120
RENEWAL_PHASE_DAYS = 90


class Fact(StrEnum):
    CONTRACT_ACTIVATED = "contract_activated"
    ACTIVATED = "activated"
    MATURED = "matured"
    RENEWAL_WINDOW = "renewal_window"
    RENEWED = "renewed"
    CHURNED = "churned"


# Stage values (cs_domain.customer.Stage).
SIGNED, ONBOARDING, GROWTH, MATURE, RENEWAL = "signed", "onboarding", "growth", "mature", "renewal"
CHURNED, REACTIVATED = "churned", "reactivated"
LIVE_STAGES = (SIGNED, ONBOARDING, GROWTH, MATURE, RENEWAL, REACTIVATED)
ACTIVATED_STAGES = (GROWTH, MATURE, RENEWAL)  # stages past onboarding

# fact → {stage it applies to: the stage it leads to}
TRANSITIONS: dict[Fact, dict[str, str]] = {
    Fact.CONTRACT_ACTIVATED: {SIGNED: ONBOARDING, CHURNED: REACTIVATED},
    Fact.ACTIVATED: {ONBOARDING: GROWTH, REACTIVATED: GROWTH},
    Fact.MATURED: {GROWTH: MATURE},
    Fact.RENEWAL_WINDOW: {s: RENEWAL for s in LIVE_STAGES if s != RENEWAL},
    Fact.RENEWED: {s: MATURE for s in LIVE_STAGES if s != MATURE},
    Fact.CHURNED: {s: CHURNED for s in LIVE_STAGES},
}
REASONS = {
    Fact.CONTRACT_ACTIVATED: "contract activated",
    Fact.ACTIVATED: "customer activated (first active usage)",
    Fact.MATURED: f"{MATURE_AFTER_MONTHS} months in service with feature adoption "
                  f">= {MATURE_ADOPTION}",
    Fact.RENEWAL_WINDOW: f"renewal window ({RENEWAL_WINDOW_DAYS} days before the term ends)",
    Fact.RENEWED: "contract renewed",
    Fact.CHURNED: "contract churned",
}


# Facts the passing of time reveals (run by `tick`); the others are recorded by the command
# of the fact itself (contract activation, renewal, churn) and always apply.
TIME_FACTS = (Fact.ACTIVATED, Fact.MATURED, Fact.RENEWAL_WINDOW)


def next_stage(stage: str, fact: Fact) -> str | None:
    """The stage a fact moves a customer in `stage` to, or None (the fact changes nothing)."""
    return TRANSITIONS[fact].get(stage)


@dataclass(frozen=True)
class StagePoint:
    """A customer's stage, since when, and whether a person set it (not the rules)."""

    stage: str
    since: date | None
    by_hand: bool = False


def step(point: StagePoint, fact: Fact, on: date) -> StagePoint | None:
    """The stage after a dated fact, or None when it changes nothing. A time fact dated
    before a stage set by hand does not apply (the rules resume from the next fact); any
    other fact dated before the current stage takes effect on the stage's date, so stage
    dates never go backwards."""
    target = next_stage(point.stage, fact)
    if target is None:
        return None
    if point.since is not None and on < point.since:
        if point.by_hand and fact in TIME_FACTS:
            return None
        on = point.since
    return StagePoint(target, on, by_hand=False)


def time_facts(point: StagePoint, onboarded_on: date | None, periods: list[UsagePeriod],
               term_end: date | None, today: date) -> list[tuple[Fact, date, StagePoint]]:
    """The time facts that apply by `today`, in order, each with the stage it leads to.
    `term_end`: the end of the customer's current open term (signed or active, started)."""
    out: list[tuple[Fact, date, StagePoint]] = []
    for _ in range(len(TIME_FACTS)):
        options: list[tuple[date, Fact]] = []
        start = point.since or onboarded_on
        if point.stage in (ONBOARDING, REACTIVATED) and start is not None:
            on = activated_on(start, periods)
            if on is not None:
                options.append((on, Fact.ACTIVATED))
        first = onboarded_on or start
        if point.stage == GROWTH and first is not None:
            on = matured_on(first, periods)
            if on is not None:
                options.append((on, Fact.MATURED))
        if term_end is not None:
            options.append((renewal_window_opens(term_end), Fact.RENEWAL_WINDOW))
        moves = sorted((on, fact, after) for on, fact in options if on <= today
                       for after in [step(point, fact, on)] if after is not None)
        if not moves:
            break
        on, fact, point = moves[0]
        out.append((fact, on, point))
    return out


@dataclass(frozen=True)
class StageFacts:
    """What the customer's own history says, for checking a manual change."""

    stage: str
    onboarded_on: date | None  # its first term started (first contract activation)
    activated: bool  # ever past onboarding (activated, renewed or set so)


def manual_refusal(facts: StageFacts, target: str) -> str | None:
    """Why a manager may not set `target` (None: allowed). From churned only reactivated;
    reactivated only from churned; signed only before the first term started; onboarding
    never once the customer was activated or renewed (a renewal term is never onboarding)."""
    if target == facts.stage:
        return "is already the customer's stage"
    if facts.stage == CHURNED and target != REACTIVATED:
        return "a churned customer can only be reactivated"
    if target == REACTIVATED and facts.stage != CHURNED:
        return "only a churned customer can be reactivated"
    if target == SIGNED and facts.onboarded_on is not None:
        return "the customer's first term has started"
    if target == ONBOARDING and facts.activated:
        return "the customer was activated or renewed: it is never onboarding again"
    return None


# --- activation (the one definition) --------------------------------------------------------
@dataclass(frozen=True)
class UsagePeriod:
    period_start: date
    period_end: date
    active_days_per_week: Decimal
    feature_adoption: Decimal = Decimal(0)


def activated_on(start: date, periods: Iterable[UsagePeriod],
                 min_active_days: Decimal = MIN_ACTIVE_DAYS) -> date | None:
    """The day the customer counts as activated (see the module docstring), or None."""
    days = [max(p.period_start, start) for p in periods
            if p.active_days_per_week >= min_active_days and p.period_end >= start]
    return min(days, default=None)


def matured_on(first_start: date, periods: Iterable[UsagePeriod]) -> date | None:
    """`MATURE_AFTER_MONTHS` after the first start, once a period ending then or later shows
    feature adoption of at least `MATURE_ADOPTION`: the later of the two dates."""
    from_ = add_months(first_start, MATURE_AFTER_MONTHS)
    days = [max(p.period_start, from_) for p in periods
            if p.feature_adoption >= MATURE_ADOPTION and p.period_end >= from_]
    return min(days, default=None)


def renewal_window_opens(end_date: date) -> date:
    return shift(end_date, -RENEWAL_WINDOW_DAYS)


# --- phase on a day (the lifecycle board, seed 003) -----------------------------------------
class BoardPhase(StrEnum):
    ONBOARDING = "onboarding"
    STABLE = "stable"
    RENEWAL = "renewal"
    CHURNED = "churned"
    REFUNDED = "refunded"


@dataclass(frozen=True)
class TermPhase:
    phase: str
    day: int  # days since the term's start (day 0 is the start)
    days_to_end: int
    checkpoint: int | None  # onboarding: the next check point (the first ≥ day)
    checkpoints_passed: tuple[int, ...]


def term_phase(start: date, end: date, on: date, *, first_term: bool) -> TermPhase:
    """The phase of a live term on a day it has started: `renewal` in its last
    `RENEWAL_PHASE_DAYS` days (and past its end while neither renewed nor churned), else
    `onboarding` in days 0-90 of a first term, else `stable` (a renewal term's days 0-90
    included)."""
    day, to_end = (on - start).days, (end - on).days
    checkpoints = [d for d, _ in ONBOARDING_CHECKPOINTS]
    if to_end < RENEWAL_PHASE_DAYS:
        return TermPhase(BoardPhase.RENEWAL.value, day, to_end, None, ())
    if first_term and day <= ONBOARDING_LAST_DAY:
        upcoming = next((d for d in checkpoints if d >= day), None)
        passed = tuple(d for d in checkpoints if d < day)
        return TermPhase(BoardPhase.ONBOARDING.value, day, to_end, upcoming, passed)
    return TermPhase(BoardPhase.STABLE.value, day, to_end, None, ())
