"""Shared building blocks for aggregates: the base class, enums and value checks."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Transcoding

from cs_domain.bounds import currency_places, decimal_in_bounds, decimal_message
from cs_domain.errors import TransitionNotAllowed, Validator

CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
LEDGER_NS = uuid5(NAMESPACE_URL, "https://cs-ledger.dev/ids")


def index_id(kind: str, key: str) -> UUID:
    """Deterministic id of a uniqueness index entry (e.g. a contract number)."""
    return uuid5(LEDGER_NS, f"{kind}:{key}")


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


@cache
def enum_values(enum: type[StrEnum]) -> str:
    return ", ".join(e.value for e in enum)


@cache
def _values(enum: type[StrEnum]) -> frozenset[str]:
    return frozenset(e.value for e in enum)


def check_enum(v: Validator, enum: type[StrEnum], value: Any, field: str) -> None:
    # Cached per enum: building the set and the message on every call was ~20 µs.
    ok = isinstance(value, str) and value in _values(enum)
    v.check(ok, field, f"must be one of: {enum_values(enum)}")


def check_text(v: Validator, value: Any, field: str, *, max_len: int = 200) -> None:
    ok = isinstance(value, str) and 0 < len(value.strip()) <= max_len
    v.check(ok, field, f"must be non-empty text of at most {max_len} characters")


def check_amount(v: Validator, amount: Any, currency: Any, field: str, *,
                 minimum: Decimal | None = None) -> None:
    """A finite Decimal above 0 (or at least `minimum`), within 15 integer digits and
    the currency's decimal places (bounds.currency_places)."""
    ok = isinstance(amount, Decimal) and amount.is_finite()
    if minimum is None:
        v.check(ok and amount > 0, field, "must be a decimal greater than 0")
    else:
        v.check(ok and amount >= minimum, field, f"must be a decimal amount of at least {minimum}")
    places = currency_places(currency)
    v.check(not ok or decimal_in_bounds(amount, places), field, decimal_message(places))


def check_money(v: Validator, amount: Any, currency: Any, prefix: str = "") -> None:
    check_amount(v, amount, currency, f"{prefix}amount")
    v.check(
        isinstance(currency, str) and bool(CURRENCY_RE.match(currency)),
        f"{prefix}currency", "must be an ISO 4217 code such as EUR or USD",
    )


class LedgerAggregate(Aggregate):
    """Base for every aggregate: events name their actor; rules live in public methods."""

    KIND = "item"

    def refuse(self, action: str, state: str) -> TransitionNotAllowed:
        return TransitionNotAllowed(self.KIND, action, state)


class SteppedAggregate(LedgerAggregate):
    """An aggregate that moves through statuses, keeping the business date of each step
    reached (`step_dates`, keyed by status) and of the last (`last_step_on`)."""

    if TYPE_CHECKING:  # set by each subclass's __init__ (no class annotations at run time:
        status: str    # the library would read them as a declared constructor)
        last_step_on: date
        step_dates: dict[str, date]

    def step_to(self, status: str, on: date) -> None:
        """State change shared by every step's event (no rules: replay-safe)."""
        self.status = status
        self.last_step_on = on
        self.step_dates = {**self.step_dates, status: on}


def as_str(value: UUID | str | None) -> str | None:
    return None if value is None else str(value)
