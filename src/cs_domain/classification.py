"""Customer classification (seed 001 §二.1: 客户分级 by level and by product use, managed
daily and cross-analysed to extract the best practices of each class).

- Level classes are an existing customer fact, chosen per read (`LEVEL_DIMENSIONS`):
  `tier` (strategic / growth / basic, the default) or `size_grade` (A..D).
- Usage classes are derived from the customer's latest usage period by the thresholds
  below (`usage_class`), the one place they are defined; a customer with no usage report
  is `unreported`.
- A best practice is a manager's note (at most `PRACTICE_MAX` characters) recorded on one
  cell (level × usage class); it is a fact: recorded once, never changed.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from cs_domain.base import LedgerAggregate, check_enum, check_text
from cs_domain.customer import SizeGrade, Tier
from cs_domain.errors import Validator


class UsageClass(StrEnum):
    HEAVY = "heavy"
    REGULAR = "regular"
    LIGHT = "light"
    INACTIVE = "inactive"
    UNREPORTED = "unreported"


# (class, minimum active days per week, minimum feature adoption), tried in order: the
# first whose both minimums the latest period reaches is the customer's class.
USAGE_THRESHOLDS: tuple[tuple[UsageClass, Decimal, Decimal], ...] = (
    (UsageClass.HEAVY, Decimal(5), Decimal("0.6")),
    (UsageClass.REGULAR, Decimal(3), Decimal("0.3")),
    (UsageClass.LIGHT, Decimal(1), Decimal(0)),
)

LEVEL_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "tier": tuple(t.value for t in Tier),
    "size_grade": tuple(g.value for g in SizeGrade),
}
DEFAULT_LEVEL_BY = "tier"
UNGRADED = "ungraded"  # a customer without the level fact (size_grade is optional)
ALL_LEVELS = frozenset(v for values in LEVEL_DIMENSIONS.values() for v in values) | {UNGRADED}
USAGE_CLASSES = tuple(u.value for u in UsageClass)
PRACTICE_MAX = 2000


def usage_class(active_days_per_week: Decimal | int | None,
                feature_adoption: Decimal | int | None) -> str:
    """The usage class of a customer's latest period (None inputs: `unreported`):
    heavy ≥ 5 active days a week and ≥ 60 % adoption; regular ≥ 3 days and ≥ 30 %;
    light ≥ 1 day; inactive below one active day a week."""
    if active_days_per_week is None or feature_adoption is None:
        return UsageClass.UNREPORTED.value
    days, adoption = Decimal(active_days_per_week), Decimal(feature_adoption)
    for name, min_days, min_adoption in USAGE_THRESHOLDS:
        if days >= min_days and adoption >= min_adoption:
            return name.value
    return UsageClass.INACTIVE.value


def level_of(customer: Any, level_by: str) -> str:
    """The customer's level class on the dimension `level_by` (`ungraded` without it)."""
    value = getattr(customer, level_by, None)
    return value if value in LEVEL_DIMENSIONS[level_by] else UNGRADED


class BestPractice(LedgerAggregate):
    """A best practice of one classification cell (level × usage class)."""

    KIND = "best_practice"

    class Recorded(LedgerAggregate.Created):
        actor: str
        level: str
        usage_class: str
        text: str

    def __init__(self, actor: str, level: str, usage_class: str, text: str):
        self.level = level
        self.usage_class = usage_class
        self.text = text
        self.recorded_by = actor

    @classmethod
    def record(cls, *, actor: str, level: Any, usage_class: Any, text: Any,
               practice_id: UUID | None = None) -> BestPractice:
        v = Validator()
        v.check(isinstance(level, str) and level in ALL_LEVELS, "level",
                "must be a level class: " + ", ".join(sorted(ALL_LEVELS)))
        check_enum(v, UsageClass, usage_class, "usage_class")
        check_text(v, text, "text", max_len=PRACTICE_MAX)
        v.done()
        return cls._create(cls.Recorded, id=practice_id or uuid4(), actor=actor, level=level,
                           usage_class=usage_class, text=text.strip())
