"""Reporting commands (manager): exchange rates to the reporting currency, annual renewal
targets. Each is one small aggregate with a deterministic id (see cs_domain.reporting)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypeVar
from uuid import UUID

from cs_domain.application import CommandResult
from cs_domain.errors import InvalidInput, NotFound
from cs_domain.reporting import ExchangeRate, RenewalTarget
from cs_domain.services.users import OWNER_ROLES, UserCommands

A = TypeVar("A", ExchangeRate, RenewalTarget)


class ReportingCommands(UserCommands):
    def _load_or_none(self, cls: type[A], item_id: UUID) -> A | None:
        try:
            return self.load(cls, item_id)
        except NotFound:
            return None

    def _saved(self, item: ExchangeRate | RenewalTarget, changed: bool) -> CommandResult:
        """Commits a change (an unchanged item writes nothing and keeps the head)."""
        position = self.commit(item) if changed else self.max_position()
        return self.result(item, position, changed=changed)

    def record_exchange_rate(
        self, *, actor: str, reporting_currency: str | None, currency: str, rate: Decimal,
        valid_from: date,
    ) -> CommandResult:
        """From `valid_from` on, 1 `currency` = `rate` units of the reporting currency."""
        if reporting_currency is None:
            raise InvalidInput.one("currency", "no reporting currency is configured "
                                               "(CS_LEDGER_REPORTING_CURRENCY): rates convert "
                                               "to it")
        ExchangeRate.check(reporting_currency=reporting_currency, currency=currency, rate=rate,
                           valid_from=valid_from)
        found = self._load_or_none(ExchangeRate, ExchangeRate.id_for(reporting_currency, currency))
        if found is None:
            return self._saved(ExchangeRate.start(
                actor=actor, reporting_currency=reporting_currency, currency=currency,
                rate=rate, valid_from=valid_from), True)
        return self._saved(found, found.record(actor=actor, rate=rate, valid_from=valid_from))

    def set_renewal_target(
        self, *, actor: str, year: int, renewal_rate: Decimal,
        revenue_renewal_rate: Decimal | None = None, owner_id: UUID | None = None,
    ) -> CommandResult:
        """The year's renewal rate target (and optionally revenue rate target and owner)."""
        RenewalTarget.check(year=year, renewal_rate=renewal_rate,
                            revenue_renewal_rate=revenue_renewal_rate)
        if owner_id is not None:
            self.require_user(owner_id, "owner_id", OWNER_ROLES)
        found = self._load_or_none(RenewalTarget, RenewalTarget.id_for(year))
        if found is None:
            return self._saved(RenewalTarget.set_for(
                actor=actor, year=year, renewal_rate=renewal_rate,
                revenue_renewal_rate=revenue_renewal_rate, owner_id=owner_id), True)
        return self._saved(found, found.change(actor=actor, renewal_rate=renewal_rate,
                                               revenue_renewal_rate=revenue_renewal_rate,
                                               owner_id=owner_id))
