"""Churn predictions (`GET /predictions/churn`) and forecast accuracy."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.views.common import EXAMPLE_OWNER_ID, Position

EXAMPLE_CUSTOMER = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"


class ChurnModelOut(BaseModel):
    version: int
    algorithm: str = Field(description="`logistic-regression` (standardized features).")
    horizon_days: int
    trained_until: date = Field(description="The business date the training history ends.")
    features: list[str]
    metrics: dict[str, Any] = Field(description="Holdout metrics recorded with the version: "
                                                "auc, seed_formula_auc, precision_at_k, "
                                                "recall_at_k, brier, examples (docs/models.md).")
    sha256: str = Field(description="The hash of the fitted parameters scored with.")


class Factor(BaseModel):
    name: str = Field(description="A feature (docs/models.md).")
    contribution: float = Field(description="Its share of the log-odds: coefficient × "
                                            "standardized value (positive raises the risk).")


class ChurnPrediction(BaseModel):
    customer_id: UUID
    customer_name: str
    probability: float = Field(description="Churn within the horizon, 0..1 (4 places).")
    factors: list[Factor] = Field(description="The largest contributions, largest first.")


class ChurnPredictions(BaseModel):
    model: ChurnModelOut
    as_of_date: date = Field(description="The business date the features are taken as of.")
    items: list[ChurnPrediction]
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "model": {"version": 1, "algorithm": "logistic-regression", "horizon_days": 30,
                  "trained_until": "2026-12-07",
                  "features": ["active_days", "usage_trend_28d", "open_risks"],
                  "metrics": {"auc": "0.91", "seed_formula_auc": "0.84"},
                  "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
        "as_of_date": "2026-12-07",
        "items": [{"customer_id": EXAMPLE_CUSTOMER, "customer_name": "Acme Robotics",
                   "probability": 0.8312,
                   "factors": [{"name": "usage_trend_28d", "contribution": 1.42},
                               {"name": "open_risks", "contribution": 0.61}]}],
        "position": 52000}]})


__all__ = ["EXAMPLE_OWNER_ID", "ChurnModelOut", "ChurnPredictions"]
