"""Wire types shared by every resource: ISO dates and moments, decimals, write results."""

from __future__ import annotations

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
    PlainSerializer,
)

from cs_domain.application import CommandResult

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


def _exact_decimal(value: Any) -> Any:
    # Request bodies are parsed with Decimal for non-integer numbers (api.routing), so a
    # JSON number arrives exact; a Python float here could only have lost digits already.
    if isinstance(value, (bool, float)):
        raise ValueError("must be a decimal number or a decimal string such as \"1200.50\"")
    return value


def _plain_decimal(value: Decimal) -> Decimal:
    # 1E+3 and 1000 are the same amount; keep the plain notation clients expect back.
    return Decimal(format(value, "f")) if value.is_finite() else value


def _decimal_text(value: Decimal) -> str:
    return format(value, "f")


def _iso_moment(value: Any) -> Any:
    # Like dates: text only, so a number is never read as a Unix timestamp.
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 date-time with a time zone, "
                         "such as 2025-03-01T09:30:00+08:00")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Moment = Annotated[
    AwareDatetime, BeforeValidator(_iso_moment),
    Field(description="An ISO 8601 date-time with a time zone.",
          examples=["2025-03-01T09:30:00+08:00"]),
]
Amount = Annotated[
    Decimal,
    BeforeValidator(_exact_decimal),
    AfterValidator(_plain_decimal),
    PlainSerializer(_decimal_text, return_type=str, when_used="json"),
    Field(description="A decimal amount: a JSON number or a decimal string; returned as a string.",
          examples=["12000.00"]),
]


Number = Annotated[
    Decimal,
    BeforeValidator(_exact_decimal),
    AfterValidator(_plain_decimal),
    PlainSerializer(_decimal_text, return_type=str, when_used="json"),
    Field(description="A decimal number (JSON number or decimal string), read exactly."),
]


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
