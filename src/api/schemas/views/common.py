"""Wire types shared by view responses: ratios and measures, the position field, example ids.

Amounts of money are decimal strings (`Amount`); ratios, scores, days and hours are JSON
numbers (`Ratio`, `Measure`), exact to the places the views round them to.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field, PlainSerializer

EXAMPLE_OWNER_ID = "8d5e0b2a-1c3f-4e6a-b7d8-9f0a1b2c3d4e"
EXAMPLE_CONTRACT_ID = "3f1c9a0e-5b7d-4c2a-9e8f-1a2b3c4d5e6f"
EXAMPLE_RISK_ID = "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e"
EXAMPLE_TASK_ID = "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f"


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

EXAMPLE_PLAN_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
EXAMPLE_MILESTONE_ID = "1f2e3d4c-5b6a-4978-8a6b-5c4d3e2f1a0b"
EXAMPLE_PROJECT_ID = "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a"
