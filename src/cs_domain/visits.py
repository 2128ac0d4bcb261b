"""On-site visits (seed 003: visits per customer are counted; seeds 000/004: head customers
are visited at least once a quarter): the one definition of a quarter and of a head customer.
"""

from __future__ import annotations

from datetime import date, timedelta

from cs_domain.customer import Tier

VISIT_KIND = "onsite_visit"
HEAD_TIER = Tier.STRATEGIC.value


def quarter_start(day: date) -> date:
    """The first day of the calendar quarter of `day`."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: date) -> date:
    """The last day of the calendar quarter of `day`."""
    start = quarter_start(day)
    next_start = date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    return next_start - timedelta(days=1)


def quarter_label(day: date) -> str:
    """`YYYY-Qn` of `day`."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
