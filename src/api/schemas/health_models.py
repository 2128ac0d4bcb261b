"""Health models: definitions (weights, bands), activation, backtests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, with_config

from api.schemas.common import EXAMPLE_ID, Number, Schema, WriteResult
from api.schemas.views.common import Position
from projections.queries import health_backtest
from projections.views.health_models import WIRE_NAMES, ModelVersion

# Wire name of each weight → the HealthModel field it sets (the reads use the same names).
WEIGHT_FIELDS = {wire: field for field, wire in WIRE_NAMES.items()}
EXAMPLE_WEIGHTS: dict[str, Any] = {"active_days": "40", "adoption": "30", "open_issues": "5", "nps": "20",
                   "depth": "10"}


class Weights(Schema):
    active_days: Number = Field(description="Points for 7 active days a week "
                                            "(days/7 × weight). 0..1000, ≤ 4 places.")
    adoption: Number = Field(description="Points for full feature adoption (ratio × weight).")
    open_issues: Number = Field(description="Points taken per open issue.")
    nps: Number = Field(default=Decimal(0), description="Points for NPS +100 ((nps+100)/200 × weight).")
    depth: Number = Field(default=Decimal(0), description="Points for full feature depth "
                                                 "(core used / core total × weight).")
    breadth: Number = Field(default=Decimal(0), description="Points for full feature breadth "
                                                   "(features used / available × weight).")
    open_risks: Number = Field(default=Decimal(0), description=(
        "Points taken per risk open at the period's end (risks raised by then and not "
        "closed by then, as the log knew them when the period was scored)."))

    def domain(self) -> dict[str, Any]:
        return {WEIGHT_FIELDS[k]: v for k, v in self.model_dump().items()}


class Bands(Schema):
    yellow_from: Number = Field(description="Scores below are red; 0..100.")
    green_from: Number = Field(description="Scores from here are green; ≥ yellow_from, ≤ 100.")


class HealthModelIn(Schema):
    name: str = Field(description="1..64 characters; a new name starts at version 1, an "
                                  "existing one gets its next version.")
    weights: Weights
    bands: Bands
    description: str = Field(description="1..500 characters.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "name": "with-nps", "weights": EXAMPLE_WEIGHTS,
        "bands": {"yellow_from": "40", "green_from": "60"},
        "description": "seed 004 plus satisfaction (NPS) and depth of use"}]})


class HealthModelDefined(WriteResult):
    name: str
    model_version: int = Field(description="The version this definition got.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": EXAMPLE_ID, "version": 2, "position": 5120, "name": "with-nps",
        "model_version": 1}]})


class HealthModelActivated(WriteResult):
    changed: bool = Field(description="False when the version was already active (nothing "
                                      "written).")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": EXAMPLE_ID, "version": 3, "position": 5121, "changed": True}]})


class HealthModelOut(ModelVersion):
    # The OpenAPI name of a model version (the view calls it ModelVersion).
    pass


class HealthModelList(BaseModel):
    items: list[HealthModelOut]
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [{
        "name": "seed-004", "version": 1, "active": True,
        "weights": {"active_days": "40", "adoption": "30", "open_issues": "5", "nps": "0",
                    "depth": "0", "breadth": "0", "open_risks": "0"},
        "bands": {"yellow_from": "40", "green_from": "60"},
        "description": "seed 004: days/7*40 + adoption*30 - issues*5, clamped to 0..100"}],
        "position": 1107}]})


# Its BacktestFigures and BandFigures are the query's (projections.queries.health_backtest).
@with_config(ConfigDict(json_schema_extra={"examples": [{
    "model": {"name": "seed-004", "version": 1}, "from": "2025-01-01", "to": "2025-12-31",
    "horizon_days": 90, "customers": 60, "churned": 6, "observations": 2900,
    "positives": 70, "auc": 0.81, "k": 70, "precision_at_k": 0.3, "recall_at_k": 0.3,
    "median_lead_days": 45, "warned": 5,
    "by_band": {"red": {"observations": 300, "positives": 40, "churn_rate": 0.1333}},
    "compare": None, "position": 52000}]}))
class Backtest(health_backtest.Backtest):
    pass
