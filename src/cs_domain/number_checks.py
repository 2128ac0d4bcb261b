"""Checks for counts, ratios and date ranges shared by the delivery and usage aggregates.

Each check adds a FieldError naming the field to a :class:`Validator` instead of
raising, so one refusal can name every bad field. Numbers arrive from the API as
int or Decimal; floats are refused (money and ratios are never binary floats) and
so are bools (``True`` is an int in Python, but never a count).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from cs_domain.errors import Validator


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    """An int or a finite Decimal (not a float, not a bool)."""
    if isinstance(value, Decimal):
        return value.is_finite()
    return is_int(value)


def check_count(v: Validator, value: Any, field: str, *, minimum: int = 0,
                maximum: int | None = None) -> None:
    ok = is_int(value) and value >= minimum and (maximum is None or value <= maximum)
    bound = f"at least {minimum}" if maximum is None else f"between {minimum} and {maximum}"
    v.check(ok, field, f"must be a whole number {bound}")


def check_ratio(v: Validator, value: Any, field: str, *, low: Decimal, high: Decimal,
                what: str = "a decimal") -> None:
    ok = is_number(value) and low <= value <= high
    v.check(ok, field, f"must be {what} between {low} and {high}")


def check_positive(v: Validator, value: Any, field: str) -> None:
    v.check(is_number(value) and value > 0, field, "must be a number greater than 0")


def check_date(v: Validator, value: Any, field: str) -> bool:
    # datetime is a date subclass; a business date must be a plain date.
    ok = isinstance(value, date) and type(value) is date
    v.check(ok, field, "must be a date (YYYY-MM-DD)")
    return ok


def check_period(v: Validator, start: Any, end: Any, start_field: str, end_field: str) -> None:
    """Both are dates and the end is strictly after the start; the end is blamed."""
    if check_date(v, start, start_field) & check_date(v, end, end_field):
        v.check(end > start, end_field, f"must be after {start_field}")


def check_not_before(v: Validator, value: Any, field: str, floor: date | None,
                     floor_name: str) -> None:
    """A business date must not precede the date of the step it follows."""
    if check_date(v, value, field) and floor is not None:
        v.check(value >= floor, field, f"must not be before {floor_name} ({floor.isoformat()})")


def check_optional_text(v: Validator, value: Any, field: str, *, max_len: int = 5000) -> None:
    if value is not None:
        ok = isinstance(value, str) and 0 < len(value.strip()) <= max_len
        v.check(ok, field, f"must be non-empty text of at most {max_len} characters")


def check_texts(v: Validator, values: Any, field: str, *, max_items: int = 50,
                max_len: int = 500) -> None:
    ok = (isinstance(values, list | tuple) and len(values) <= max_items
          and all(isinstance(t, str) and 0 < len(t.strip()) <= max_len for t in values))
    v.check(ok, field, f"must be a list of at most {max_items} non-empty texts")


def as_decimal(value: int | Decimal) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)


FIRST_BUSINESS_DAY = date(1900, 1, 1)
LAST_BUSINESS_DAY = date(2199, 12, 31)


def check_business_date(v: Validator, value: Any, field: str) -> bool:
    """A plain date within the supported business calendar (1900-01-01 … 2199-12-31)."""
    if not check_date(v, value, field):
        return False
    ok = FIRST_BUSINESS_DAY <= value <= LAST_BUSINESS_DAY
    v.check(ok, field, f"must be between {FIRST_BUSINESS_DAY} and {LAST_BUSINESS_DAY}")
    return ok


def check_places(v: Validator, value: Any, field: str, *, integer_digits: int,
                 places: int) -> None:
    """A number with at most `integer_digits` digits before the point and `places` after."""
    if not is_number(value):
        return
    _sign, digits, exponent = as_decimal(value).normalize().as_tuple()
    if not isinstance(exponent, int):  # not finite: is_number refused it already
        return
    decimals = max(0, -exponent)
    whole = max(0, len(digits) + exponent)
    v.check(decimals <= places and whole <= integer_digits, field,
            f"must have at most {integer_digits} digits before the point and {places} after")
