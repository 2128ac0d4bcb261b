"""`GET /metrics/renewals` whole: the per-currency and overall figures of the contracts
view, the `reporting` block (amounts converted to the reporting currency with the
reporting view's exchange rates) and the year's `target` beside them with the gaps.

Rules (docs/rules.md, *Renewal rates across currencies and targets*):
- a due contract's amount and its successor's amount are converted at the rate valid on
  the due contract's end date (the rate with the latest `valid_from` on or before it);
  the reporting currency converts at 1;
- a contract whose currency has no rate valid on its end date is left out of the
  reporting amounts and its currency is listed in `missing_rates`;
- products are exact Decimals; the two totals are rounded half-up to 2 places (cents of
  the reporting currency) for display, and the rate is the exact totals' ratio rounded
  half-up to 4 places;
- the target is the one of the range's year (from and to in the same calendar year;
  otherwise none); a gap is actual − target (negative: behind), 4 places, None when
  either side is unknown.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import Connection

from cs_domain import deadlines
from cs_domain.rules import RULES_CONTEXT
from projections.query import RATE, ratio
from projections.shapes import Money, Ratio, TypedDict
from projections.view import Reader
from projections.views.contracts import RenewalFigures, due_contracts, renewal_metrics
from projections.views.reporting import rate_book, target_of

CENT = Decimal("0.01")


class ReportingRenewals(TypedDict):
    """Amounts converted to the reporting currency (续费率 across currencies)."""

    currency: Annotated[str, Field(
        description="The reporting currency (CS_LEDGER_REPORTING_CURRENCY).")]
    due_amount: Annotated[Money, Field(
        description="Σ due amount × the rate valid on its end date, rounded half-up to 2 "
                    "places.")]
    renewed_amount: Annotated[Money, Field(
        description="Σ successor amount × the same rate, 2 places.")]
    revenue_renewal_rate: Annotated[Ratio | None, Field(
        description="renewed / due amount of the exact sums; null if nothing is due.")]
    missing_rates: Annotated[list[str], Field(
        description="Currencies of due contracts without a rate valid on their end date "
                    "(left out above).")]


class RenewalTargetGap(TypedDict):
    """The year's target beside the actual figures; a gap is actual − target."""

    year: int
    renewal_rate: Ratio
    revenue_renewal_rate: Ratio | None
    owner_id: UUID | None
    owner_name: str | None
    gap_renewal_rate: Annotated[Ratio | None, Field(
        description="overall.renewal_rate − target (negative: behind).")]
    gap_revenue_renewal_rate: Annotated[Ratio | None, Field(
        description="reporting.revenue_renewal_rate (or the only currency's) − target.")]


class RenewalMetrics(RenewalFigures):
    reporting: ReportingRenewals | None
    target: RenewalTargetGap | None


def reporting_block(r: Reader, rows: list[Any], reporting_currency: str
                    ) -> ReportingRenewals:
    """`{currency, due_amount, renewed_amount, revenue_renewal_rate, missing_rates}`."""
    book = rate_book(r, reporting_currency, (row.currency for row in rows))
    due, renewed = Decimal(0), Decimal(0)
    missing: set[str] = set()
    with localcontext(RULES_CONTEXT) as ctx:
        ctx.prec = 60  # 15 + 4 digit amounts times 10 + 10 digit rates, summed: exact
        for row in rows:
            rate = book.rate(row.currency, row.end_date)
            if rate is None:
                missing.add(row.currency)
                continue
            due += row.amount * rate
            if deadlines.is_renewed(row.status):
                renewed += row.renewal_amount * rate
        return {
            "currency": reporting_currency,
            "due_amount": due.quantize(CENT, rounding=ROUND_HALF_UP),
            "renewed_amount": renewed.quantize(CENT, rounding=ROUND_HALF_UP),
            "revenue_renewal_rate": ratio(renewed, due),
            "missing_rates": sorted(missing),
        }


def gap(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    if actual is None or target is None:
        return None
    return (actual - target).quantize(RATE, rounding=ROUND_HALF_UP)


def target_block(r: Reader, from_: date, to: date, figures: RenewalFigures,
                 reporting: ReportingRenewals | None) -> RenewalTargetGap | None:
    """The range's year target beside the actual figures; None without one."""
    if from_.year != to.year:
        return None
    target = target_of(r, from_.year)
    if target is None:
        return None
    currencies = figures["currencies"]
    if reporting is not None:
        revenue = reporting["revenue_renewal_rate"]
    elif len(currencies) == 1:  # one currency: its own figure needs no conversion
        revenue = currencies[0]["revenue_renewal_rate"]
    else:
        revenue = None
    return {
        "year": target["year"], "renewal_rate": target["renewal_rate"],
        "revenue_renewal_rate": target["revenue_renewal_rate"],
        "owner_id": target["owner_id"], "owner_name": target["owner_name"],
        "gap_renewal_rate": gap(figures["overall"]["renewal_rate"], target["renewal_rate"]),
        "gap_revenue_renewal_rate": gap(revenue, target["revenue_renewal_rate"]),
    }


def renewal_figures(conn: Connection, from_: date, to: date, *,
                    reporting_currency: str | None = None, at: int | None = None
                    ) -> RenewalMetrics:
    """The renewal metrics with `reporting` (None without a reporting currency) and
    `target` (None without a target for the range's year)."""
    figures = renewal_metrics(conn, from_, to, at=at)
    r = Reader(conn, at)
    reporting = None
    if reporting_currency is not None:
        reporting = reporting_block(r, due_contracts(r, from_, to), reporting_currency)
    target = target_block(r, from_, to, figures, reporting)
    if r.used:
        figures["position"] = min(figures["position"], r.position)
    return RenewalMetrics(**figures, reporting=reporting, target=target)
