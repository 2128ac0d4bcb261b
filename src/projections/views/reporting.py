"""Reporting view: exchange rates to the reporting currency and the annual renewal targets.

Answers "what is 1 USD in EUR on this business date" (the rate with the latest
`valid_from` on or before that date, as known at the read's position) for the renewal
metrics' `reporting` block, `GET /fx-rates`, and "what renewal rate did we aim for this
year" (`GET /targets/renewals/{year}`, the metrics' `target` block). Row-versioned like
every view, so both read as of any position.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import Field
from sqlalchemy import BigInteger, Connection, Date, Integer, String, Uuid, select

from cs_domain.reporting import ExchangeRate, RenewalTarget
from projections.shapes import DecimalNumber, Position, Ratio, TypedDict
from projections.versioned import DecimalText, VersionedTable
from projections.view import Reader, View, ViewTx, on
from projections.views import users

FX_RATES = VersionedTable(
    "reporting", "fx_rates",
    # `valid_from` names the row-version column: the rate's business date is `effective_from`.
    keys=[("reporting_currency", String(3)), ("currency", String(3)),
          ("effective_from", Date())],
    columns=[("rate", DecimalText()), ("recorded_by", String(100)),
             ("recorded_position", BigInteger())],
)

TARGETS = VersionedTable(
    "reporting", "renewal_targets",
    keys=[("year", Integer())],
    columns=[("renewal_rate", DecimalText()), ("revenue_renewal_rate", DecimalText()),
             ("owner_id", Uuid()), ("set_by", String(100)), ("set_position", BigInteger())],
)


class FxRate(TypedDict):
    reporting_currency: str
    currency: str
    rate: DecimalNumber
    valid_from: date
    recorded_by: Annotated[str, Field(description="The actor who recorded it.")]
    recorded_position: int


class FxRates(TypedDict):
    items: list[FxRate]
    position: int


class TargetFigures(TypedDict):
    year: int
    renewal_rate: Ratio
    revenue_renewal_rate: Ratio | None
    owner_id: UUID | None
    owner_name: str | None
    set_by: Annotated[str, Field(description="The actor of the last setting.")]
    set_position: int


class TargetOne(TargetFigures):
    position: Position


class ReportingView(View):
    name = "reporting"
    tables = (FX_RATES, TARGETS)

    @on(ExchangeRate.Started, ExchangeRate.RateRecorded)
    def rate(self, tx: ViewTx, e: ExchangeRate.Started | ExchangeRate.RateRecorded) -> None:
        tx[FX_RATES].put((e.reporting_currency, e.currency, e.valid_from), {
            "rate": e.rate, "recorded_by": e.actor, "recorded_position": tx.position})

    @on(RenewalTarget.TargetSet, RenewalTarget.TargetChanged)
    def target(self, tx: ViewTx, e: RenewalTarget.TargetSet | RenewalTarget.TargetChanged
               ) -> None:
        tx[TARGETS].put(e.year, {
            "renewal_rate": e.renewal_rate, "revenue_renewal_rate": e.revenue_renewal_rate,
            "owner_id": e.owner_id, "set_by": e.actor, "set_position": tx.position})


def list_rates(conn: Connection, *, reporting_currency: str | None = None,
               currency: str | None = None, at: int | None = None) -> FxRates:
    """Every recorded rate (of one reporting currency / currency if given), by reporting
    currency, currency and valid_from: `{items: [{reporting_currency, currency, rate,
    valid_from, recorded_by, recorded_position}], position}`."""
    r = Reader(conn, at)
    t = r.table(FX_RATES)
    stmt = select(t.c.reporting_currency, t.c.currency, t.c.rate, t.c.effective_from,
                  t.c.recorded_by, t.c.recorded_position).where(r.visible(t))
    if reporting_currency is not None:
        stmt = stmt.where(t.c.reporting_currency == reporting_currency)
    if currency is not None:
        stmt = stmt.where(t.c.currency == currency)
    rows = conn.execute(stmt.order_by(t.c.reporting_currency, t.c.currency,
                                      t.c.effective_from))
    items: list[FxRate] = [{"reporting_currency": x.reporting_currency, "currency": x.currency,
              "rate": x.rate, "valid_from": x.effective_from, "recorded_by": x.recorded_by,
              "recorded_position": x.recorded_position} for x in rows]
    return {"items": items, "position": r.position}


class RateBook:
    """The rates of some currencies to one reporting currency, for lookups by date."""

    def __init__(self, reporting_currency: str, rates: dict[str, list[tuple[date, Decimal]]]):
        self.reporting_currency = reporting_currency
        self._days = {c: [d for d, _ in pairs] for c, pairs in rates.items()}
        self._rates = {c: [x for _, x in pairs] for c, pairs in rates.items()}

    def rate(self, currency: str, on: date) -> Decimal | None:
        """1 for the reporting currency; else the rate with the latest valid_from ≤ `on`."""
        if currency == self.reporting_currency:
            return Decimal(1)
        days = self._days.get(currency, [])
        i = bisect_right(days, on)
        return self._rates[currency][i - 1] if i else None


def rate_book(r: Reader, reporting_currency: str, currencies: Iterable[str]) -> RateBook:
    wanted = sorted(set(currencies) - {reporting_currency})
    rates: dict[str, list[tuple[date, Decimal]]] = {c: [] for c in wanted}
    if wanted:
        t = r.table(FX_RATES)
        rows = r.conn.execute(select(t.c.currency, t.c.effective_from, t.c.rate).where(
            t.c.reporting_currency == reporting_currency, t.c.currency.in_(wanted),
            r.visible(t)).order_by(t.c.currency, t.c.effective_from))
        for row in rows:
            rates[row.currency].append((row.effective_from, row.rate))
    return RateBook(reporting_currency, rates)


def target_of(r: Reader, year: int) -> TargetFigures | None:
    """The year's renewal target `{year, renewal_rate, revenue_renewal_rate, owner_id,
    owner_name, set_by, set_position}`, or None."""
    t = r.table(TARGETS)
    row = r.conn.execute(select(t).where(t.c.year == year, r.visible(t))).first()
    if row is None:
        return None
    owner: UUID | None = row.owner_id
    return {"year": year, "renewal_rate": row.renewal_rate,
            "revenue_renewal_rate": row.revenue_renewal_rate, "owner_id": owner,
            "owner_name": users.names(r, [owner]).get(owner) if owner else None,
            "set_by": row.set_by, "set_position": row.set_position}


def get_target(conn: Connection, year: int, at: int | None = None) -> TargetOne | None:
    """`GET /targets/renewals/{year}`: the target plus `position`, or None (→ 404)."""
    r = Reader(conn, at)
    found = target_of(r, year)
    return None if found is None else TargetOne(**found, position=r.position)
