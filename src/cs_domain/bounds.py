"""The bounds every command input must keep, whatever path it comes by (API, CLI, importer).

An accepted command becomes an immutable event that every view and the automation must
handle, forever. So nothing unbounded gets in: a date far enough out to overflow date
arithmetic (``date.max + 1 day``), an amount that prints as ten megabytes, a text or a
list of any size. The limits (documented in docs/api.md, "Limits"):

- business dates and the dates of moments: :data:`DATE_MIN` .. :data:`DATE_MAX`;
- decimals: at most :data:`MAX_INTEGER_DIGITS` integer digits and :data:`MAX_PLACES`
  decimal places (amounts: the currency's places, :func:`currency_places`);
- whole numbers: magnitude below ``10**15``;
- texts: at most :data:`MAX_TEXT` characters (aggregates set tighter per-field limits);
- lists: at most :data:`MAX_ITEMS` items; mappings: :data:`MAX_KEYS` keys; nesting:
  :data:`MAX_DEPTH` levels.

:func:`bounded` wraps each command method of the application service (those taking a
keyword-only ``actor``) so every argument is checked before the command runs; a breach
is an :class:`~cs_domain.errors.InvalidInput` naming the argument (``todos[1].due_date``).
Dates the domain derives from bounded inputs (a due date ``offset_days`` ≤ 730 after a
trigger) may lie a little past :data:`DATE_MAX`; they stay far from the calendar's end.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import math
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from cs_domain.errors import FieldError, InvalidInput

DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2199, 12, 31)
MAX_INTEGER_DIGITS = 15
MAX_PLACES = 10
MAX_WHOLE = 10**MAX_INTEGER_DIGITS
MAX_TEXT = 10_000
MAX_ITEMS = 100
MAX_KEYS = 50
MAX_DEPTH = 4

# ISO 4217 minor units above 2; every other currency takes 2 places (also those with 0,
# such as JPY: a 0.50 there is refused by no one downstream, and keeps imports simple).
CURRENCY_PLACES = {"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
                   "CLF": 4, "UYW": 4}
DATE_MESSAGE = f"must be a date between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}"

F = TypeVar("F", bound=Callable[..., Any])


def currency_places(currency: Any) -> int:
    return CURRENCY_PLACES.get(currency, 2) if isinstance(currency, str) else 2


def date_in_bounds(value: date) -> bool:
    day = value.date() if isinstance(value, datetime) else value
    return DATE_MIN <= day <= DATE_MAX


def decimal_in_bounds(value: Decimal, places: int = MAX_PLACES) -> bool:
    """Finite, at most 15 integer digits and at most `places` significant decimal places."""
    if not value.is_finite():
        return False
    if value.is_zero():
        return True
    if value.adjusted() >= MAX_INTEGER_DIGITS:
        return False
    exponent = value.normalize().as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -places


def decimal_message(places: int = MAX_PLACES) -> str:
    return (f"must be a decimal with at most {MAX_INTEGER_DIGITS} integer digits "
            f"and {places} decimal places")


def _problem(value: Any, depth: int) -> str | None:
    """What is out of bounds in this one value (not in its items), if anything."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        return None if len(value) <= MAX_TEXT else f"must be at most {MAX_TEXT} characters"
    if isinstance(value, date):
        return None if date_in_bounds(value) else DATE_MESSAGE
    if isinstance(value, Decimal):
        return None if decimal_in_bounds(value) else decimal_message()
    if isinstance(value, int):
        return None if -MAX_WHOLE < value < MAX_WHOLE else "must be a whole number below 10^15"
    if isinstance(value, float):  # the aggregates refuse floats where they want decimals
        ok = math.isfinite(value) and abs(value) < MAX_WHOLE
        return None if ok else "must be a finite number below 10^15"
    if isinstance(value, (list, tuple, set, frozenset)) and len(value) > MAX_ITEMS:
        return f"must have at most {MAX_ITEMS} items"
    if isinstance(value, Mapping) and len(value) > MAX_KEYS:
        return f"must have at most {MAX_KEYS} keys"
    if depth > MAX_DEPTH and isinstance(value, (list, tuple, Mapping)):
        return f"must not be nested more than {MAX_DEPTH} levels deep"
    return None


def _items(value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, (list, tuple)):
        return [(f"[{i}]", item) for i, item in enumerate(value)]
    if isinstance(value, Mapping):
        return [(f".{key}", item) for key, item in value.items()]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [(f".{f.name}", getattr(value, f.name)) for f in dataclasses.fields(value)]
    return []


def out_of_bounds(value: Any, field: str, depth: int = 0) -> list[FieldError]:
    """Every breach in a value and its items, each named by its path."""
    message = _problem(value, depth)
    if message is not None:
        return [FieldError(field, message)]
    errors: list[FieldError] = []
    for suffix, item in _items(value):
        errors.extend(out_of_bounds(item, field + suffix, depth + 1))
    return errors


def _plainly_in_bounds(value: Any) -> bool:
    """A quick yes for the common scalars (short texts, ids, small whole numbers, None):
    the full walk below would find nothing in them. Anything else gets the full walk."""
    kind = type(value)
    if kind is str:
        return len(value) <= MAX_TEXT
    if kind is int:
        return -MAX_WHOLE < value < MAX_WHOLE
    if kind is date:
        return date_in_bounds(value)
    if kind is Decimal:
        return decimal_in_bounds(value)
    return kind is UUID or kind is bool or value is None


def check_bounds(arguments: Mapping[str, Any]) -> None:
    errors = [e for name, value in arguments.items() if not _plainly_in_bounds(value)
              for e in out_of_bounds(value, name)]
    if errors:
        raise InvalidInput(errors)


def is_command(function: Any) -> bool:
    if not inspect.isfunction(function) or function.__name__.startswith("_"):
        return False
    actor = inspect.signature(function).parameters.get("actor")
    return actor is not None and actor.kind is inspect.Parameter.KEYWORD_ONLY


def bounded(command: F) -> F:
    """The command, refusing (InvalidInput) any argument out of bounds before it runs."""
    if getattr(command, "__bounded__", False):
        return command

    @functools.wraps(command)
    def checked(*args: Any, **kwargs: Any) -> Any:
        check_bounds(kwargs)
        return command(*args, **kwargs)

    checked.__bounded__ = True  # type: ignore[attr-defined]
    return checked  # type: ignore[return-value]


def bound_commands(cls: type) -> None:
    """Wraps every command method defined on `cls` itself with :func:`bounded`."""
    for name, attribute in list(vars(cls).items()):
        if is_command(attribute):
            setattr(cls, name, bounded(attribute))
