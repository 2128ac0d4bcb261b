"""Reporting figures a manager sets: exchange rates (汇率) and annual renewal targets (年度续约目标).

- :class:`ExchangeRate`: one aggregate per (reporting currency, currency), id
  :meth:`ExchangeRate.id_for`. Each ``RateRecorded`` says: from ``valid_from`` (a business
  date) on, one unit of ``currency`` is worth ``rate`` units of the reporting currency,
  until a later ``valid_from`` of the same pair. Recording the same date again replaces
  that day's rate; an identical one writes nothing. The reporting currency is part of the
  identity, so rates recorded for another reporting currency are never used by mistake.
- :class:`RenewalTarget`: one aggregate per calendar year, id :meth:`RenewalTarget.id_for`.
  ``TargetSet`` records the year's renewal rate target (续约率目标, 0..1), optionally the
  revenue renewal rate target (续费率目标, 0..1) and the user who owns it; setting it again
  records the new values (an identical setting writes nothing).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from cs_domain.base import LedgerAggregate, index_id
from cs_domain.currencies import check_currency
from cs_domain.errors import Validator
from cs_domain.number_checks import check_business_date, check_places, check_ratio, is_number

MAX_RATE = Decimal(10) ** 9
RATE_PLACES = 10
FIRST_YEAR, LAST_YEAR = 1900, 2199
ONE = Decimal(1)


class ExchangeRate(LedgerAggregate):
    KIND = "exchange rate"

    class Started(LedgerAggregate.Created):
        """The first rate of a currency against the reporting currency."""

        actor: str
        reporting_currency: str
        currency: str
        rate: Decimal
        valid_from: date

    class RateRecorded(LedgerAggregate.Event):
        """A rate of the same pair from another (or the same: a correction) business date."""

        actor: str
        reporting_currency: str
        currency: str
        rate: Decimal
        valid_from: date

        def apply(self, x: ExchangeRate) -> None:
            x.rates[self.valid_from] = self.rate

    def __init__(self, actor: str, reporting_currency: str, currency: str, rate: Decimal,
                 valid_from: date):
        self.reporting_currency = reporting_currency
        self.currency = currency
        self.rates: dict[date, Decimal] = {valid_from: rate}

    @staticmethod
    def id_for(reporting_currency: str, currency: str) -> UUID:
        return index_id("exchange-rate", f"{reporting_currency}:{currency}")

    @staticmethod
    def check(*, reporting_currency: str, currency: Any, rate: Any, valid_from: Any) -> None:
        """Validates a rate without writing, naming each bad field."""
        v = Validator()
        check_currency(v, currency, "currency")
        v.check(currency != reporting_currency, "currency",
                f"is the reporting currency ({reporting_currency}): its rate is always 1")
        v.check(is_number(rate) and 0 < rate <= MAX_RATE, "rate",
                f"must be a number greater than 0 and at most {MAX_RATE}")
        check_places(v, rate, "rate", integer_digits=10, places=RATE_PLACES)
        check_business_date(v, valid_from, "valid_from")
        v.done()

    @classmethod
    def start(cls, *, actor: str, reporting_currency: str, currency: str, rate: Decimal,
              valid_from: date) -> ExchangeRate:
        cls.check(reporting_currency=reporting_currency, currency=currency, rate=rate,
                  valid_from=valid_from)
        return cls._create(cls.Started, id=cls.id_for(reporting_currency, currency), actor=actor,
                           reporting_currency=reporting_currency, currency=currency,
                           rate=Decimal(rate), valid_from=valid_from)

    def record(self, *, actor: str, rate: Decimal, valid_from: date) -> bool:
        """Records the rate from `valid_from`; False (no event) when it is already that."""
        self.check(reporting_currency=self.reporting_currency, currency=self.currency,
                   rate=rate, valid_from=valid_from)
        if self.rates.get(valid_from) == rate:
            return False
        self.trigger_event(self.RateRecorded, actor=actor,
                           reporting_currency=self.reporting_currency, currency=self.currency,
                           rate=Decimal(rate), valid_from=valid_from)
        return True


class RenewalTarget(LedgerAggregate):
    KIND = "renewal target"

    class TargetSet(LedgerAggregate.Created):
        actor: str
        year: int
        renewal_rate: Decimal
        revenue_renewal_rate: Decimal | None
        owner_id: UUID | None

    class TargetChanged(LedgerAggregate.Event):
        actor: str
        year: int
        renewal_rate: Decimal
        revenue_renewal_rate: Decimal | None
        owner_id: UUID | None

        def apply(self, t: RenewalTarget) -> None:
            t.renewal_rate = self.renewal_rate
            t.revenue_renewal_rate = self.revenue_renewal_rate
            t.owner_id = self.owner_id

    def __init__(self, actor: str, year: int, renewal_rate: Decimal,
                 revenue_renewal_rate: Decimal | None, owner_id: UUID | None):
        self.year = year
        self.renewal_rate = renewal_rate
        self.revenue_renewal_rate = revenue_renewal_rate
        self.owner_id = owner_id

    @staticmethod
    def id_for(year: int) -> UUID:
        return index_id("renewal-target", str(year))

    @staticmethod
    def check(*, year: Any, renewal_rate: Any, revenue_renewal_rate: Any) -> None:
        v = Validator()
        ok_year = isinstance(year, int) and not isinstance(year, bool)
        v.check(ok_year and FIRST_YEAR <= year <= LAST_YEAR, "year",
                f"must be a year between {FIRST_YEAR} and {LAST_YEAR}")
        for field, value in (("renewal_rate", renewal_rate),
                             ("revenue_renewal_rate", revenue_renewal_rate)):
            if value is None and field == "revenue_renewal_rate":
                continue
            check_ratio(v, value, field, low=Decimal(0), high=ONE, what="a ratio")
            check_places(v, value, field, integer_digits=1, places=4)
        v.done()

    @classmethod
    def set_for(cls, *, actor: str, year: int, renewal_rate: Decimal,
                revenue_renewal_rate: Decimal | None, owner_id: UUID | None) -> RenewalTarget:
        cls.check(year=year, renewal_rate=renewal_rate, revenue_renewal_rate=revenue_renewal_rate)
        return cls._create(cls.TargetSet, id=cls.id_for(year), actor=actor, year=year,
                           renewal_rate=Decimal(renewal_rate),
                           revenue_renewal_rate=_decimal(revenue_renewal_rate),
                           owner_id=owner_id)

    def change(self, *, actor: str, renewal_rate: Decimal, revenue_renewal_rate: Decimal | None,
               owner_id: UUID | None) -> bool:
        """Records the new target; False (no event) when nothing changes."""
        self.check(year=self.year, renewal_rate=renewal_rate,
                   revenue_renewal_rate=revenue_renewal_rate)
        if (self.renewal_rate, self.revenue_renewal_rate, self.owner_id) == (
                renewal_rate, revenue_renewal_rate, owner_id):
            return False
        self.trigger_event(self.TargetChanged, actor=actor, year=self.year,
                           renewal_rate=Decimal(renewal_rate),
                           revenue_renewal_rate=_decimal(revenue_renewal_rate), owner_id=owner_id)
        return True


def _decimal(value: Decimal | int | None) -> Decimal | None:
    return None if value is None else Decimal(value)
