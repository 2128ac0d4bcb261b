"""Cell parsing for imported sheets: text, dates, decimals, counts and bilingual choices.

A cell comes from a CSV (always text) or an XLSX (text, int, float, datetime). Each
parser returns the value or raises :class:`CellError` with a message for the row's
error list. Every value is bounded: texts by length, dates to 1900-01-01..2199-12-31,
amounts to 15 integer digits and 4 places.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)
MAX_INT_DIGITS = 15
MAX_PLACES = 4
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 with Excel's leap-year quirk
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


class CellError(ValueError):
    """A cell that cannot be read as its column requires."""


Parser = Callable[[Any], Any]


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str:
    """The cell as text; an integral float from a spreadsheet (1001.0) reads as 1001."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else \
            value.isoformat()
    return str(value).strip()


def text(max_len: int) -> Parser:
    def parse(value: Any) -> str:
        result = as_text(value)
        if "\x00" in result:
            raise CellError("must not contain the NUL character")
        if len(result) > max_len:
            raise CellError(f"must be at most {max_len} characters")
        return result
    return parse


def business_date(value: Any) -> date:
    """ISO (2026-07-01), 2026/7/1, 2026年7月1日, a native Excel date or its serial number."""
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2_958_466:
            raise CellError("must be a date such as 2026-07-01 or 2026/7/1")
        result = EXCEL_EPOCH + timedelta(days=int(value))
    else:
        match = _DATE.match(as_text(value))
        if match is None:
            raise CellError("must be a date such as 2026-07-01 or 2026/7/1")
        try:
            result = date(*(int(g) for g in match.groups()))
        except ValueError:
            raise CellError("is not a calendar date") from None
    if not MIN_DATE <= result <= MAX_DATE:
        raise CellError("must be between 1900-01-01 and 2199-12-31")
    return result


def decimal(value: Any) -> Decimal:
    """An exact decimal: text as written (thousands commas allowed), a float by its
    shortest representation; at most 15 integer digits and 4 places."""
    if isinstance(value, bool):
        raise CellError("must be a decimal number")
    raw = repr(value) if isinstance(value, float) else as_text(value).replace(",", "")
    try:
        result = Decimal(raw)
    except InvalidOperation:
        raise CellError("must be a decimal number") from None
    if not result.is_finite():
        raise CellError("must be a decimal number")
    exponent = result.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if places > MAX_PLACES:
        raise CellError(f"must have at most {MAX_PLACES} decimal places")
    if result and result.adjusted() >= MAX_INT_DIGITS:
        raise CellError(f"must have at most {MAX_INT_DIGITS} integer digits")
    return result


def count(value: Any) -> int:
    number = decimal(value)
    if number != number.to_integral_value():
        raise CellError("must be a whole number")
    return int(number)


def choice(names: Mapping[str, str]) -> Parser:
    """One of the values, given in English or Chinese (any case for English)."""
    folded = {k.casefold(): v for k, v in names.items()}
    allowed = " ".join(dict.fromkeys(names))

    def parse(value: Any) -> str:
        found = folded.get(as_text(value).casefold())
        if found is None:
            raise CellError(f"must be one of: {allowed}")
        return found
    return parse
