"""Wire types shared by every resource: ISO dates and moments, decimals, write results."""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
)

from cs_domain.application import CommandResult
from cs_domain.bounds import (
    DATE_MAX,
    DATE_MESSAGE,
    DATE_MIN,
    MAX_PLACES,
    MAX_TEXT,
    MAX_WHOLE,
    date_in_bounds,
    decimal_in_bounds,
    decimal_message,
)
from projections.shapes import MONEY_PLACES, DecimalNumber, Money

EXAMPLE_ID = "3f1c9a0e-5b7d-4c2a-9e8f-1a2b3c4d5e6f"
EXAMPLE_USER_ID = "8d5e0b2a-1c3f-4e6a-b7d8-9f0a1b2c3d4e"
EXAMPLE_CUSTOMER_ID = "5a7b9c1d-2e3f-4a5b-8c6d-7e8f9a0b1c2d"


def _iso_date(value: Any) -> Any:
    # Dates travel as ISO text only: a number would otherwise be read as a Unix timestamp.
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError("must be an ISO date such as 2025-01-31")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError("must be an ISO date such as 2025-01-31") from None


def _date_in_bounds(value: date) -> date:
    # Far dates overflow date arithmetic downstream (views, automation): cs_domain.bounds.
    if not date_in_bounds(value):
        raise ValueError(DATE_MESSAGE)
    return value


def _exact_decimal(value: Any, places: int) -> Any:
    # Request bodies are parsed with Decimal for non-integer numbers (api.routing), so a
    # JSON number arrives exact; a Python float here could only have lost digits already.
    # Text must be a canonical decimal: no spaces, signs "+", "_", exponents, NaN, Infinity.
    message = decimal_message(places)
    if isinstance(value, (bool, float)):
        raise ValueError("must be a decimal number or a decimal string such as \"1200.50\"")
    if isinstance(value, str):
        if not CANONICAL_DECIMAL.fullmatch(value):
            raise ValueError(f"must be a plain decimal string such as \"1200.50\" ({message})")
        value = Decimal(value)
    if isinstance(value, int) and not -MAX_WHOLE < value < MAX_WHOLE:
        raise ValueError(message)
    if isinstance(value, Decimal) and not decimal_in_bounds(value, places):
        raise ValueError(message)
    return value


def _plain_decimal(value: Decimal) -> Decimal:
    # 1E+3 and 1000 are the same amount; keep the plain notation clients expect back.
    return Decimal(format(value, "f")) if value.is_finite() else value


def _iso_moment(value: Any) -> Any:
    # Like dates: text only, so a number is never read as a Unix timestamp.
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 date-time with a time zone, "
                         "such as 2025-03-01T09:30:00+08:00")
    return value


def _moment_in_bounds(value: datetime) -> datetime:
    if not date_in_bounds(value):
        raise ValueError(DATE_MESSAGE.replace("a date", "a moment"))
    return value


DATE_BOUNDS = {"formatMinimum": DATE_MIN.isoformat(), "formatMaximum": DATE_MAX.isoformat()}
IsoDate = Annotated[
    date, BeforeValidator(_iso_date), AfterValidator(_date_in_bounds),
    Field(json_schema_extra=DATE_BOUNDS),
]
Moment = Annotated[
    AwareDatetime, BeforeValidator(_iso_moment), AfterValidator(_moment_in_bounds),
    Field(description=f"An ISO 8601 date-time with a time zone, dated {DATE_MIN.isoformat()} "
                      f"to {DATE_MAX.isoformat()}.",
          examples=["2025-03-01T09:30:00+08:00"]),
]
# Canonical decimal text: an optional "-", digits, optionally "." and digits.
CANONICAL_DECIMAL = re.compile(r"-?[0-9]{1,40}(\.[0-9]{1,40})?")
AMOUNT_PLACES = MONEY_PLACES
# The request types are the result types (projections.shapes: wire form and description,
# one definition) plus the input validation.
Amount = Annotated[
    Money,
    BeforeValidator(functools.partial(_exact_decimal, places=AMOUNT_PLACES)),
    AfterValidator(_plain_decimal),
]
Number = Annotated[
    DecimalNumber,
    BeforeValidator(functools.partial(_exact_decimal, places=MAX_PLACES)),
    AfterValidator(_plain_decimal),
]


# Texts and lists: each with a documented maximum (docs/api.md, "Limits"), matching the
# domain's own checks (cs_domain; any other text is capped at cs_domain.bounds.MAX_TEXT).
ShortText = Annotated[str, Field(max_length=200)]
Label = Annotated[str, Field(max_length=100)]
Goal = Annotated[str, Field(max_length=2000)]
Note = Annotated[str, Field(max_length=5000)]
LongNote = Annotated[str, Field(max_length=MAX_TEXT)]
MAX_LIST = 50


def range_of(low: int, high: int) -> dict[str, Any]:
    """The OpenAPI `minimum`/`maximum` of a number the domain range-checks itself (with its
    own message naming the field), declared without a second, differently worded check."""
    return {"minimum": low, "maximum": high}


MAX_STAGES = 30
TextItems = Annotated[list[Annotated[str, Field(max_length=500)]], Field(max_length=MAX_LIST)]
NameItems = Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=MAX_LIST)]
StepItems = Annotated[list[Annotated[str, Field(max_length=1000)]], Field(max_length=MAX_LIST)]


# JSON integers and booleans as sent: `true` is not a count, and "3" or 3.0 is not one either.
WholeNumber = Annotated[int, Field(strict=True)]
Flag = Annotated[bool, Field(strict=True)]


class Schema(BaseModel):
    """Base of request bodies: unknown fields are refused, so a typo cannot pass silently."""

    model_config = ConfigDict(extra="forbid")


class WriteResult(BaseModel):
    """What every write returns: the item, its version after the write, the log position."""

    id: UUID = Field(description="The id of the item written.")
    version: int = Field(description="The item's version after the write (use it in If-Match).")
    position: int = Field(description="Global position of the last event written.")

    model_config = ConfigDict(json_schema_extra={
        "examples": [{"id": EXAMPLE_ID, "version": 3, "position": 1042}]
    })

    @classmethod
    def of(cls, result: CommandResult) -> WriteResult:
        return cls(id=result.id, version=result.version, position=result.position)
