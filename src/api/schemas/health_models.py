"""Health models: definitions (weights, bands), activation, backtests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import EXAMPLE_ID, Number, Schema, WriteResult
from api.schemas.views.common import ExactDecimal, Measure, Position, Ratio
from projections.views.health import HealthModelRef

# Wire name of each weight → the HealthModel field it sets.
WEIGHT_FIELDS = {"active_days": "active_days_weight", "adoption": "adoption_weight",
                 "open_issues": "issue_penalty", "nps": "nps_weight", "depth": "depth_weight",
                 "breadth": "breadth_weight", "open_risks": "risk_penalty"}
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


class HealthModelOut(BaseModel):
    name: str
    version: int
    active: bool = Field(description="The version the health view scores new reports with.")
    weights: dict[str, ExactDecimal]
    bands: dict[str, ExactDecimal]
    description: str


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


class BandFigures(BaseModel):
    observations: int
    positives: int = Field(description="Observations followed by a churn within the horizon.")
    churn_rate: Ratio | None


class BacktestFigures(BaseModel):
    model: HealthModelRef
    customers: int = Field(description="Customers with a scored period in range.")
    churned: int = Field(description="Of them, those with a churn within the horizon of one.")
    observations: int = Field(description="Customer-periods scored.")
    positives: int
    auc: Ratio | None = Field(description="Mann-Whitney AUC, ties ½ (null without both kinds).")
    k: int
    precision_at_k: Ratio | None
    recall_at_k: Ratio | None
    median_lead_days: Measure | None = Field(description="Median days from the first red "
                                                         "score to the churn.")
    warned: int = Field(description="Churns preceded by a red score within the horizon.")
    by_band: dict[str, BandFigures]


class Backtest(BacktestFigures):
    from_: date = Field(alias="from", serialization_alias="from")
    to: date
    horizon_days: int
    compare: BacktestFigures | None = Field(description="The `compare` version on the same "
                                                        "periods, side by side.")
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "model": {"name": "seed-004", "version": 1}, "from": "2025-01-01", "to": "2025-12-31",
        "horizon_days": 90, "customers": 60, "churned": 6, "observations": 2900,
        "positives": 70, "auc": 0.81, "k": 70, "precision_at_k": 0.3, "recall_at_k": 0.3,
        "median_lead_days": 45, "warned": 5,
        "by_band": {"red": {"observations": 300, "positives": 40, "churn_rate": 0.1333}},
        "compare": None, "position": 52000}]})
