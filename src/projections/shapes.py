"""Field types shared by the typed query results of the views (ADR 0008).

Each view module declares what its queries return as `TypedDict`s (mypy checks every
query against them) and the API's response schemas reuse those declarations instead of
re-declaring them. The annotations here say how a value reads on the wire; they carry no
input validation (that stays with the API's request schemas).

Ratios, scores, days and hours are JSON numbers (`Ratio`, `Measure`), exact to the places
the views round them to; exact decimals are strings (`ExactDecimal`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, NotRequired

from pydantic import Field, PlainSerializer

# pydantic reads a TypedDict's fields (descriptions included) only from typing_extensions'
# TypedDict on Python 3.11; every shape imports it from here.
from typing_extensions import TypedDict

from cs_domain.bounds import MAX_INTEGER_DIGITS, MAX_PLACES

__all__ = ["POSITION_DOC", "DecimalNumber", "ExactDecimal", "Measure", "Money", "NotRequired",
           "Position", "Ratio", "TypedDict"]


def _number(value: Decimal) -> float:
    # Ratios are exact to 4 places in the views; as JSON numbers they read 0.875, not "0.875".
    return float(value)


Ratio = Annotated[
    Decimal,
    PlainSerializer(_number, return_type=float, when_used="json"),
    Field(description="A ratio (0.875 means 87.5 %), rounded half-up to 4 places.",
          examples=[0.875]),
]
Measure = Annotated[
    Decimal,
    PlainSerializer(_number, return_type=float, when_used="json"),
    Field(description="A decimal measure (score, days, hours, weight), as a JSON number."),
]
ExactDecimal = Annotated[
    Decimal,
    PlainSerializer(lambda v: format(v, "f"), return_type=str, when_used="json"),
    Field(description="An exact decimal, as a string (no rounding)."),
]
POSITION_DOC = ("The log position this answer reflects: every event up to it is included "
                "(also in the `X-View-Position` header).")
Position = Annotated[int, Field(description=POSITION_DOC, examples=[1107])]


# The places of an amount (the API accepts at most these: api.schemas.common.AMOUNT_PLACES).
MONEY_PLACES = 4


def _decimal_text(value: Decimal) -> str:
    # Plain notation, never an exponent.
    return format(value, "f")


# An amount as a query returns it; the API's request type `Amount` is this plus its input
# validation (api.schemas.common), so both read and are documented alike.
Money = Annotated[
    Decimal,
    PlainSerializer(_decimal_text, return_type=str, when_used="json"),
    Field(description=f"A decimal amount: a JSON number or a plain decimal string (`\"1200.50\"`; "
                      f"no spaces, `+`, `_` or exponent), at most {MAX_INTEGER_DIGITS} integer "
                      f"digits and {MONEY_PLACES} places (the currency's places: 2, or 3/4 "
                      "for the currencies listed in docs/api.md); returned as a string.",
          examples=["12000.00"]),
]

# A decimal number as a query returns it (an exchange rate); the API's `Number` is this
# plus its input validation.
DecimalNumber = Annotated[
    Decimal,
    PlainSerializer(_decimal_text, return_type=str, when_used="json"),
    Field(description="A decimal number (JSON number or plain decimal string), read exactly; "
                      f"at most {MAX_INTEGER_DIGITS} integer digits and {MAX_PLACES} places."),
]
