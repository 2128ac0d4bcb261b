"""Averages and ratios for the metric queries: exact Decimals, rounded half-up for display."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from cs_domain.rules import RULES_CONTEXT

HUNDREDTHS = Decimal("0.01")
RATE = Decimal("0.0001")


def mean(values: list[int] | list[Decimal], places: Decimal = HUNDREDTHS) -> Decimal | None:
    """The mean of `values` rounded half-up to `places`; None when there are none."""
    if not values:
        return None
    total = sum((Decimal(v) for v in values), Decimal(0))
    average = RULES_CONTEXT.divide(total, Decimal(len(values)))
    return average.quantize(places, rounding=ROUND_HALF_UP)


def ratio(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    """numerator / denominator to 4 places (half-up): rates are ratios (0.875, not 87.5);
    None when there is nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(RATE, rounding=ROUND_HALF_UP)
