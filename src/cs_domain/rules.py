"""Business rules from the seeds as pure functions: no clock, no I/O, Decimal arithmetic.

- Health score (seed 004): ``clamp(0, 100, active_days_per_week/7*40 +
  feature_adoption*30 - open_issues*5)``, computed in that order of operations
  in a fixed Decimal context (28 significant digits, half-even), so the same
  inputs always give the same digits. :func:`health_score` is this formula;
  :class:`HealthModel` makes weights, extra components and bands configurable,
  and its default reproduces the formula exactly. Note the default tops out at 70.
- Bands belong to the model (docs/rules.md): by default red < 30 ≤ yellow < 50 ≤ green,
  sized to the default formula's 0..70 range.
- Feature depth = core features used / core features; breadth = features used /
  features available (seed 001).
- Lifecycle of an annual contract (seed 003): onboarding days 0-90 with check
  points 7/14/30/60/90, stable 91-275, renewal 276-365, then ``ended``.
- CSM process milestones from the customer's start (seed 001): activated within
  month 1, no basic-operation questions within month 4, own activities within
  month 9, renewed at term end; lateness in days.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext
from enum import StrEnum
from typing import Any

from cs_domain.days import add_months, shift
from cs_domain.errors import InvalidInput, Validator
from cs_domain.number_checks import as_decimal, check_count, check_ratio, is_number

RULES_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)
# Rates are ratios to 4 places (0.875, not 87.5 %), rounded half-up: the one definition
# every rate of every view, report and backtest uses (`ratio`).
RATE = Decimal("0.0001")


def ratio(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    """numerator / denominator to 4 places (half-up): rates are ratios (0.875, not 87.5);
    None when there is nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(RATE, rounding=ROUND_HALF_UP)
ZERO, SEVEN, HUNDRED = Decimal(0), Decimal(7), Decimal(100)


class Band(StrEnum):
    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"


@dataclass(frozen=True)
class HealthScore:
    """A score in 0..100 with the signed contribution of each component before clamping."""

    score: Decimal
    band: str
    components: Mapping[str, Decimal]
    model: str
    model_version: int
    missing: tuple[str, ...] = ()  # weighted components whose signal was not given (counted 0)

    def rounded(self, places: int = 1) -> Decimal:
        return self.score.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _weight_ok(value: Any) -> bool:
    return is_number(value) and value >= 0


@dataclass(frozen=True)
class HealthModel:
    """A versioned health model. Components (each a signed number of points):

    - ``active_days``: active_days_per_week / 7 * active_days_weight
    - ``feature_adoption``: feature_adoption * adoption_weight
    - ``open_issues``: -(open_issues * issue_penalty)
    - ``nps`` (when nps_weight > 0): (nps + 100) / 200 * nps_weight (nps on -100..100)
    - ``feature_depth`` (when depth_weight > 0): depth (0..1) * depth_weight
    - ``feature_breadth`` (when breadth_weight > 0): breadth (0..1) * breadth_weight
    - ``open_risks`` (when risk_penalty > 0): -(risks open at the period's end * risk_penalty)

    The score is the sum clamped to 0..100. A missing optional signal counts 0
    and is listed in ``HealthScore.missing``. Bands: red below ``yellow_from``,
    yellow below ``green_from``, green from there.
    """

    name: str = "seed-004"
    version: int = 1
    active_days_weight: Decimal = Decimal(40)
    adoption_weight: Decimal = Decimal(30)
    issue_penalty: Decimal = Decimal(5)
    nps_weight: Decimal = Decimal(0)
    depth_weight: Decimal = Decimal(0)
    breadth_weight: Decimal = Decimal(0)
    risk_penalty: Decimal = Decimal(0)
    # Sized to the seed formula's reach (0..70, not 0..100): see docs/rules.md "Bands".
    yellow_from: Decimal = Decimal(30)
    green_from: Decimal = Decimal(50)
    description: str = "seed 004: days/7*40 + adoption*30 - issues*5, clamped to 0..100"

    def __post_init__(self) -> None:
        v = Validator()
        v.check(isinstance(self.name, str) and bool(self.name.strip()), "name", "must be given")
        check_count(v, self.version, "version", minimum=1)
        for weight in ("active_days_weight", "adoption_weight", "issue_penalty", "nps_weight",
                       "depth_weight", "breadth_weight", "risk_penalty"):
            v.check(_weight_ok(getattr(self, weight)), weight, "must be a number of at least 0")
        check_ratio(v, self.yellow_from, "yellow_from", low=ZERO, high=HUNDRED, what="a score")
        check_ratio(v, self.green_from, "green_from", low=ZERO, high=HUNDRED, what="a score")
        if is_number(self.yellow_from) and is_number(self.green_from):
            v.check(self.yellow_from <= self.green_from, "green_from",
                    "must not be below yellow_from")
        v.done()

    @property
    def bands(self) -> dict[str, Decimal]:
        """The model's band thresholds (red below yellow_from, green from green_from)."""
        return {"yellow_from": self.yellow_from, "green_from": self.green_from}

    def band(self, score: Decimal) -> str:
        if score < self.yellow_from:
            return Band.RED.value
        return Band.YELLOW.value if score < self.green_from else Band.GREEN.value

    def score(self, *, active_days_per_week: int | Decimal, feature_adoption: int | Decimal,
              open_issues: int, nps: int | None = None,
              feature_depth: Decimal | None = None,
              feature_breadth: Decimal | None = None,
              open_risks: int | None = None) -> HealthScore:
        v = Validator()
        check_ratio(v, active_days_per_week, "active_days_per_week", low=ZERO, high=SEVEN,
                    what="a number of days")
        check_ratio(v, feature_adoption, "feature_adoption", low=ZERO, high=Decimal(1),
                    what="a decimal ratio")
        check_count(v, open_issues, "open_issues")
        if nps is not None:
            check_count(v, nps, "nps", minimum=-100, maximum=100)
        if feature_depth is not None:
            check_ratio(v, feature_depth, "feature_depth", low=ZERO, high=Decimal(1))
        if feature_breadth is not None:
            check_ratio(v, feature_breadth, "feature_breadth", low=ZERO, high=Decimal(1))
        if open_risks is not None:
            check_count(v, open_risks, "open_risks")
        v.done()
        missing: list[str] = []
        with localcontext(RULES_CONTEXT):
            # Seed 004's order of operations: days / 7 * 40, adoption * 30, issues * 5.
            components = {
                "active_days": as_decimal(active_days_per_week) / SEVEN * self.active_days_weight,
                "feature_adoption": as_decimal(feature_adoption) * self.adoption_weight,
                "open_issues": -(Decimal(open_issues) * self.issue_penalty),
            }
            if self.nps_weight > 0:
                if nps is None:
                    missing.append("nps")
                components["nps"] = (ZERO if nps is None
                                     else (Decimal(nps) + HUNDRED) / 200 * self.nps_weight)
            if self.depth_weight > 0:
                if feature_depth is None:
                    missing.append("feature_depth")
                components["feature_depth"] = (ZERO if feature_depth is None
                                               else feature_depth * self.depth_weight)
            if self.breadth_weight > 0:
                if feature_breadth is None:
                    missing.append("feature_breadth")
                components["feature_breadth"] = (ZERO if feature_breadth is None
                                                 else feature_breadth * self.breadth_weight)
            if self.risk_penalty > 0:
                if open_risks is None:
                    missing.append("open_risks")
                components["open_risks"] = (ZERO if open_risks is None
                                            else -(Decimal(open_risks) * self.risk_penalty))
            raw = sum(components.values(), ZERO)
            score = max(ZERO, min(HUNDRED, raw))
        return HealthScore(score=score, band=self.band(score), components=components,
                           model=self.name, model_version=self.version, missing=tuple(missing))


DEFAULT_HEALTH_MODEL = HealthModel()


def health_score(active_days_per_week: int | Decimal, feature_adoption: int | Decimal,
                 open_issues: int) -> HealthScore:
    """Seed 004's customer_health_score, exactly, with its components."""
    return DEFAULT_HEALTH_MODEL.score(active_days_per_week=active_days_per_week,
                                      feature_adoption=feature_adoption, open_issues=open_issues)


# --- feature depth and breadth (seed 001) ---------------------------------------------
def _ratio(used: int, total: int, used_field: str, total_field: str) -> Decimal:
    v = Validator()
    check_count(v, total, total_field, minimum=1)
    check_count(v, used, used_field)
    v.done()
    if used > total:
        raise InvalidInput.one(used_field, f"must not exceed {total_field}")
    with localcontext(RULES_CONTEXT):
        return Decimal(used) / Decimal(total)


def feature_depth(used: int, total: int) -> Decimal:
    """Core features used / core features of the product (使用核心功能数/产品核心功能数)."""
    return _ratio(used, total, "core_features_used", "core_features_total")


def feature_breadth(used: int, available: int) -> Decimal:
    """Features used / features available (已用功能数/可使用功能数)."""
    return _ratio(used, available, "features_used", "features_available")


# --- lifecycle of an annual contract (seed 003) ----------------------------------------
class Phase(StrEnum):
    ONBOARDING = "onboarding"
    STABLE = "stable"
    RENEWAL = "renewal"
    ENDED = "ended"


ONBOARDING_CHECKPOINTS: tuple[tuple[int, str], ...] = (
    (7, "contact established, accounts initialised"),
    (14, "first training delivered"),
    (30, "all users live (全员正式启用)"),
    (60, "second training needed?"),
    (90, "usage data in focus"),
)
ONBOARDING_LAST_DAY, STABLE_LAST_DAY, RENEWAL_LAST_DAY = 90, 275, 365


@dataclass(frozen=True)
class LifecyclePosition:
    day: int  # days since the contract's start (day 0 is the start date)
    phase: str
    # In onboarding: the check point the customer is working towards (the first ≥ day).
    checkpoint: int | None
    checkpoints_passed: tuple[int, ...]


def lifecycle_phase(days_since_start: int) -> LifecyclePosition:
    v = Validator()
    check_count(v, days_since_start, "days_since_start")
    v.done()
    day = days_since_start
    if day <= ONBOARDING_LAST_DAY:
        phase = Phase.ONBOARDING
    elif day <= STABLE_LAST_DAY:
        phase = Phase.STABLE
    elif day <= RENEWAL_LAST_DAY:
        phase = Phase.RENEWAL
    else:
        phase = Phase.ENDED
    days = [d for d, _ in ONBOARDING_CHECKPOINTS]
    checkpoint = next((d for d in days if d >= day), None)
    return LifecyclePosition(day=day, phase=phase.value, checkpoint=checkpoint,
                             checkpoints_passed=tuple(d for d in days if d < day))


def lifecycle_position(start_date: date, on: date) -> LifecyclePosition:
    """Where a contract that started on start_date stands on the given day."""
    if on < start_date:
        raise InvalidInput.one("on", "must not be before the start_date")
    return lifecycle_phase((on - start_date).days)


# --- CSM process milestones (seed 001) ---------------------------------------------------
CSM_MILESTONES: tuple[tuple[str, str, int], ...] = (
    ("activated", "customer activated (完成客户启用)", 1),
    ("no_basic_questions", "no more basic-operation questions (不再提系统操作性问题)", 4),
    ("own_activities", "customer runs its own activities with the product (开展活动)", 9),
)


@dataclass(frozen=True)
class CsmMilestone:
    key: str
    title: str
    due_date: date


def csm_milestones(start_date: date, term_end: date | None = None) -> tuple[CsmMilestone, ...]:
    """Due dates: "within month N" ends the day before the same day N months later
    (start 1 Jan → activated by 31 Jan, month 4 by 30 Apr, month 9 by 30 Sep);
    the renewal is due on the term's end date when it is given."""
    due = [CsmMilestone(key, title, shift(add_months(start_date, n), -1))
           for key, title, n in CSM_MILESTONES]
    if term_end is not None:
        due.append(CsmMilestone("renewed", "renewed at term end (完成客户续费)", term_end))
    return tuple(due)


def days_late(due_date: date, done_on: date | None, today: date) -> int:
    """Days past due: for a done milestone when it was done, else as of today; never < 0."""
    reference = done_on if done_on is not None else today
    return max(0, (reference - due_date).days)
