"""Averages and ratios for the metric queries: exact Decimals, rounded half-up for display."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from cs_domain.rules import RATE, RULES_CONTEXT, ratio

__all__ = ["HUNDREDTHS", "RATE", "mean", "ratio"]

HUNDREDTHS = Decimal("0.01")


def mean(values: list[int] | list[Decimal], places: Decimal = HUNDREDTHS) -> Decimal | None:
    """The mean of `values` rounded half-up to `places`; None when there are none."""
    if not values:
        return None
    total = sum((Decimal(v) for v in values), Decimal(0))
    average = RULES_CONTEXT.divide(total, Decimal(len(values)))
    return average.quantize(places, rounding=ROUND_HALF_UP)
