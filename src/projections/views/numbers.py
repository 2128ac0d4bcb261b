"""Averages for the metric queries: exact Decimal means, rounded half-up for display."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from cs_domain.rules import RULES_CONTEXT

HUNDREDTHS = Decimal("0.01")


def mean(values: list[Decimal], places: Decimal = HUNDREDTHS) -> Decimal | None:
    """The mean of `values` rounded half-up to `places`; None when there are none."""
    if not values:
        return None
    average = RULES_CONTEXT.divide(sum(values, Decimal(0)), Decimal(len(values)))
    return average.quantize(places, rounding=ROUND_HALF_UP)
