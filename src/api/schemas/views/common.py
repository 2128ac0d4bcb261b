"""Wire types shared by view responses: ratios, the position field, example ids."""

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
POSITION_DOC = ("The log position this answer reflects: every event up to it is included "
                "(also in the `X-View-Position` header).")
Position = Annotated[int, Field(description=POSITION_DOC, examples=[1107])]
