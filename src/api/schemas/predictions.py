"""Churn predictions (`GET /predictions/churn`) and forecast accuracy."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.views.common import EXAMPLE_OWNER_ID, Position
from projections.queries import forecast_accuracy
from projections.queries.forecast_accuracy import Calibration, OwnerAccuracy
from projections.views.churn import ChurnModelOut, ChurnPrediction

EXAMPLE_CUSTOMER = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"


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




class Checkpoint(forecast_accuracy.Checkpoint):
    # Declared here so its OpenAPI name stays api__schemas__predictions__Checkpoint (another
    # schema is called Checkpoint too).
    pass


class ForecastAccuracy(BaseModel):
    from_: date = Field(alias="from", serialization_alias="from")
    to: date
    terms: int = Field(description="Terms ending in [from, to] that were renewed or churned.")
    renewed: int
    churned: int
    checkpoints: list[Checkpoint]
    by_owner: list[OwnerAccuracy] = Field(description="Per owner CSM (the customer's owner "
                                                      "at the read position).")
    calibration: Calibration | None = Field(description="The churn model's calibration by "
                                                        "decile (null: no model trained).")
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "from": "2026-01-01", "to": "2026-06-30", "terms": 40, "renewed": 34, "churned": 6,
        "checkpoints": [{
            "days_before": 90, "with_intent": 30, "decisive": 22, "correct": 19,
            "accuracy": 0.8636,
            "by_intent": [{"intent": "high", "terms": 18, "renewed": 17, "churned": 1},
                          {"intent": "medium", "terms": 8, "renewed": 7, "churned": 1},
                          {"intent": "low", "terms": 4, "renewed": 2, "churned": 2},
                          {"intent": "none", "terms": 10, "renewed": 8, "churned": 2}]}],
        "by_owner": [{"owner_id": EXAMPLE_OWNER_ID, "owner_name": "Chen Jing", "terms": 40,
                      "checkpoints": [{"days_before": 90, "with_intent": 30, "decisive": 22,
                                       "correct": 19, "accuracy": 0.8636}]}],
        "calibration": {"model_version": 1, "horizon_days": 30, "predictions": 40,
                        "deciles": [{"decile": 1, "from": 0.0, "to": 0.1, "predictions": 33,
                                     "mean_probability": 0.02, "churn_rate": 0.0303}]},
        "position": 52000}]})
