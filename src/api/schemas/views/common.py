"""Wire types shared by view responses: ratios and measures, the position field, example ids.

Amounts of money are decimal strings (`Amount`); ratios, scores, days and hours are JSON
numbers (`Ratio`, `Measure`), exact to the places the views round them to.
"""

from __future__ import annotations

from projections.shapes import POSITION_DOC, ExactDecimal, Measure, Position, Ratio

__all__ = ["POSITION_DOC", "ExactDecimal", "Measure", "Position", "Ratio"]

EXAMPLE_OWNER_ID = "8d5e0b2a-1c3f-4e6a-b7d8-9f0a1b2c3d4e"
EXAMPLE_CONTRACT_ID = "3f1c9a0e-5b7d-4c2a-9e8f-1a2b3c4d5e6f"
EXAMPLE_RISK_ID = "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e"
EXAMPLE_TASK_ID = "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f"



EXAMPLE_PLAN_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
EXAMPLE_MILESTONE_ID = "1f2e3d4c-5b6a-4978-8a6b-5c4d3e2f1a0b"
EXAMPLE_PROJECT_ID = "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a"
