"""Health: scores per usage period with components and trend; health, usage and
activation metrics."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import EXAMPLE_CUSTOMER_ID
from api.schemas.views.common import EXAMPLE_OWNER_ID, Measure, Position, Ratio
from projections.queries.activation import ActivationItem
from projections.queries.health_metrics import ModelCount
from projections.views.health import HealthNow, HealthPeriod

PERIOD_EXAMPLE: dict[str, Any] = {
    "period_start": "2026-07-27", "period_end": "2026-08-02", "score": 71.4,
    "exact_score": "71.42857142857142857142857143", "band": "green",
    "components": {"active_days": 34.3, "feature_adoption": 27.0, "open_issues": 10.0},
    "missing": [], "model": {"name": "seed-004", "version": 1},
    "inputs": {"active_days_per_week": 4.8, "feature_adoption": 0.9, "open_issues": 0,
               "core_features_used": 9, "core_features_total": 12, "features_used": 22,
               "features_available": 40, "nps": 40},
    "corrections": 0,
}
HEALTH_EXAMPLE: dict[str, Any] = {
    **PERIOD_EXAMPLE, "customer_id": EXAMPLE_CUSTOMER_ID,
    "trend": {"direction": "down", "previous_period_start": "2026-07-20", "previous_score": 74.9,
              "change": -3.5, "score_drop_14d": 0.0467, "usage_drop_14d": 0.04},
}


class HealthHistory(BaseModel):
    customer_id: UUID
    from_: date | None = Field(alias="from", serialization_alias="from")
    to: date | None
    current: HealthNow | None = Field(description="The latest period with its trend.")
    items: list[HealthPeriod] = Field(description="Every scored period in range, oldest first.")
    position: Position

    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "customer_id": EXAMPLE_CUSTOMER_ID, "from": None, "to": None, "current": HEALTH_EXAMPLE,
        "items": [PERIOD_EXAMPLE], "position": 1107}]})


class HealthDistribution(BaseModel):
    customers: int = Field(description="Customers with a score (churned ones left out "
                                       "unless `include_churned`).")
    bands: dict[str, int] = Field(description="Customers per band of their latest score.")
    mean_score: Measure | None
    models: list[ModelCount] = Field(description="The models behind the current scores.")
    include_churned: bool = Field(description="Whether churned customers are counted.")
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "customers": 252, "bands": {"red": 61, "yellow": 112, "green": 79},
        "mean_score": 41.65, "models": [{"name": "seed-004", "version": 1, "customers": 252}],
        "include_churned": False, "position": 20258}]})


class UsageMetrics(BaseModel):
    from_: date = Field(alias="from", serialization_alias="from")
    to: date
    reports: int = Field(description="Usage reports whose period starts in the range.")
    customers: int
    active_days_per_week: Measure | None
    feature_adoption: Measure | None
    depth_reports: int
    feature_depth: Ratio | None = Field(description="Mean of core features used / core "
                                                    "features (功能深度).")
    breadth_reports: int
    feature_breadth: Ratio | None = Field(description="Mean of features used / features "
                                                      "available (功能广度).")
    position: Position

    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "from": "2026-01-01", "to": "2026-12-31", "reports": 8132, "customers": 252,
        "active_days_per_week": 4.55, "feature_adoption": 0.67, "depth_reports": 8132,
        "feature_depth": 0.7141, "breadth_reports": 8132, "feature_breadth": 0.5201,
        "position": 20258}]})


class ActivationMetrics(BaseModel):
    from_: date = Field(alias="from", serialization_alias="from")
    to: date
    due_customers: int = Field(description="Customers whose activation deadline is in range.")
    activated_customers: int
    activation_rate: Ratio | None = Field(description="Activated on time / due (启用率).")
    activated_late: int
    not_activated: int
    items: list[ActivationItem]
    position: Position

    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "from": "2026-01-01", "to": "2026-12-31", "due_customers": 86,
        "activated_customers": 68, "activation_rate": 0.7907, "activated_late": 15,
        "not_activated": 3, "position": 20258,
        "items": [{"customer_id": EXAMPLE_CUSTOMER_ID, "name": "Shanghai Bluewater Labs",
                   "owner_id": EXAMPLE_OWNER_ID, "start_date": "2025-12-02",
                   "deadline": "2026-01-01", "activated_on": "2026-02-16",
                   "activated_by": "usage", "on_time": False}]}]})
