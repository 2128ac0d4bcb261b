"""Usage report: one customer's usage signals for one period (pushed by product analytics).

Usage arrives in volume, so each (customer, period_start) is its own small
aggregate with a deterministic id (:meth:`UsageReport.id_for`): reporting a
period is one event and never loads or grows the customer's history. Reporting
the same period again records ``Corrected`` with the new figures (nothing when
they are unchanged) instead of a conflict; ``period_start`` is the identity and
never changes.

Figures (validated in :meth:`UsageFigures.validate`, each error naming its field):
- ``active_days_per_week``: 0..7, int or Decimal, stored as Decimal;
- ``feature_adoption``: ratio 0..1 (Decimal or the ints 0 and 1);
- ``open_issues``: whole number ≥ 0;
- ``core_features_used`` / ``core_features_total`` (depth) and ``features_used`` /
  ``features_available`` (breadth), seed 001: optional, given as a pair,
  0 ≤ used ≤ total, total > 0;
- ``nps``: optional Net Promoter Score of the customer's respondents in the
  period, an int on the standard -100..100 scale (% promoters - % detractors),
  not an individual 0..10 answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from cs_domain.base import LedgerAggregate, index_id
from cs_domain.errors import Validator
from cs_domain.number_checks import as_decimal, check_count, check_period, check_ratio

MAX_COUNT = 1_000_000


@dataclass(frozen=True)
class UsageFigures:
    """The measured figures of one period (everything but the customer and period_start)."""

    period_end: date
    active_days_per_week: int | Decimal
    feature_adoption: int | Decimal
    open_issues: int
    core_features_used: int | None = None
    core_features_total: int | None = None
    features_used: int | None = None
    features_available: int | None = None
    nps: int | None = None

    def validate(self, v: Validator, period_start: date) -> None:
        check_period(v, period_start, self.period_end, "period_start", "period_end")
        check_ratio(v, self.active_days_per_week, "active_days_per_week",
                    low=Decimal(0), high=Decimal(7), what="a number of days")
        check_ratio(v, self.feature_adoption, "feature_adoption", low=Decimal(0), high=Decimal(1),
                    what="a decimal ratio")
        check_count(v, self.open_issues, "open_issues", maximum=MAX_COUNT)
        check_pair(v, self.core_features_used, self.core_features_total,
                   "core_features_used", "core_features_total")
        check_pair(v, self.features_used, self.features_available,
                   "features_used", "features_available")
        if self.nps is not None:
            check_count(v, self.nps, "nps", minimum=-100, maximum=100)

    def as_fields(self) -> dict[str, Any]:
        """Event fields, with the two measures stored as Decimal."""
        # A shallow copy: every field is immutable (dataclasses.asdict deep-copies, ~10x slower).
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__}
        fields["active_days_per_week"] = as_decimal(self.active_days_per_week)
        fields["feature_adoption"] = as_decimal(self.feature_adoption)
        return fields


def check_pair(v: Validator, used: Any, total: Any, used_field: str, total_field: str) -> None:
    if used is None and total is None:
        return
    v.check(used is not None, used_field, f"must be given with {total_field}")
    v.check(total is not None, total_field, f"must be given with {used_field}")
    if total is not None:
        check_count(v, total, total_field, minimum=1, maximum=MAX_COUNT)
    if used is not None:
        check_count(v, used, used_field, maximum=MAX_COUNT)
    if isinstance(used, int) and isinstance(total, int) and used >= 0 and total >= 1:
        v.check(used <= total, used_field, f"must not exceed {total_field}")


class UsageReport(LedgerAggregate):
    KIND = "usage report"

    class Reported(LedgerAggregate.Created):
        actor: str
        customer_id: UUID
        period_start: date
        period_end: date
        active_days_per_week: Decimal
        feature_adoption: Decimal
        open_issues: int
        core_features_used: int | None
        core_features_total: int | None
        features_used: int | None
        features_available: int | None
        nps: int | None

    class Corrected(LedgerAggregate.Event):
        """The same period reported again with different figures; these replace the old."""

        actor: str
        customer_id: UUID
        period_start: date
        period_end: date
        active_days_per_week: Decimal
        feature_adoption: Decimal
        open_issues: int
        core_features_used: int | None
        core_features_total: int | None
        features_used: int | None
        features_available: int | None
        nps: int | None

        def apply(self, r: UsageReport) -> None:
            for name in UsageFigures.__dataclass_fields__:
                setattr(r, name, getattr(self, name))
            r.corrections += 1

    def __init__(self, actor: str, customer_id: UUID, period_start: date, period_end: date,
                 active_days_per_week: Decimal, feature_adoption: Decimal, open_issues: int,
                 core_features_used: int | None, core_features_total: int | None,
                 features_used: int | None, features_available: int | None, nps: int | None):
        self.customer_id = customer_id
        self.period_start = period_start
        self.period_end = period_end
        self.active_days_per_week = active_days_per_week
        self.feature_adoption = feature_adoption
        self.open_issues = open_issues
        self.core_features_used = core_features_used
        self.core_features_total = core_features_total
        self.features_used = features_used
        self.features_available = features_available
        self.nps = nps
        self.corrections = 0

    @staticmethod
    def id_for(customer_id: UUID, period_start: date) -> UUID:
        return index_id("usage-report", f"{customer_id}:{period_start.isoformat()}")

    @staticmethod
    def check(period_start: date, figures: UsageFigures) -> None:
        """Validates a report without writing: the command checks before it loads anything."""
        v = Validator()
        figures.validate(v, period_start)
        v.done()

    @classmethod
    def report(cls, *, actor: str, customer_id: UUID, period_start: date,
               figures: UsageFigures) -> UsageReport:
        cls.check(period_start, figures)
        return cls._create(cls.Reported, id=cls.id_for(customer_id, period_start), actor=actor,
                           customer_id=customer_id, period_start=period_start,
                           **figures.as_fields())

    @property
    def figures(self) -> UsageFigures:
        return UsageFigures(**{name: getattr(self, name)
                               for name in UsageFigures.__dataclass_fields__})

    def correct(self, *, actor: str, figures: UsageFigures) -> bool:
        """Records the new figures; False (and no event) when they equal the current ones."""
        self.check(self.period_start, figures)
        if figures == self.figures:
            return False
        self.trigger_event(self.Corrected, actor=actor, customer_id=self.customer_id,
                           period_start=self.period_start, **figures.as_fields())
        return True
