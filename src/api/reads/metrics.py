"""Metrics across resources (`GET /metrics/activation`, `/metrics/health`,
`/metrics/forecast-accuracy`); a resource's own metrics (`GET /metrics/risks`, ...) live with
its routes in `api.routers.<resource>`, the renewal metrics in `api.reads.renewals`.

Each reads its views as of the read's position (`as_of`), and counts by the business
dates the events carry: raised/closed on, collected on, received on, period start, ...
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import Query

from api.reads.docs import view_responses
from api.reads.params import OwnerId
from api.reads.query import ViewReadDep, views_named
from api.reads.ranges import From, To, check_range
from api.routing import ledger_router
from api.schemas.predictions import ForecastAccuracy
from api.schemas.views.health import ActivationMetrics, HealthDistribution
from projections.queries import activation, forecast_accuracy, health_metrics

router = ledger_router(prefix="/metrics", tags=["metrics"])


@router.get("/activation", response_model=ActivationMetrics, responses=view_responses())
def activation_metrics(
    read: ViewReadDep, from_: From, to: To,
    min_active_days: Annotated[Decimal, Query(
        ge=0, le=7, description="Active days per week that count a usage period as active.")
    ] = Decimal(1),
) -> Any:
    """Activation rate (启用率): of the customers whose activation deadline (a month after
    their start) falls in [from, to], those activated by then."""
    check_range(from_, to)
    return read.run(views_named("customers", "contracts", "health"),
                    lambda conn: activation.activation_metrics(
                        conn, from_, to, min_active_days=min_active_days, at=read.at))


@router.get("/health", response_model=HealthDistribution, responses=view_responses())
def health_distribution(
    read: ViewReadDep, owner_id: OwnerId = None,
    include_churned: Annotated[bool, Query(
        description="Keep churned customers (left out by default).")] = False,
) -> Any:
    """Customers per health band of their latest score, the mean score, and the health
    models behind the scores (use `as_of` for an earlier distribution); churned customers
    are left out unless `include_churned=true`."""
    return read.run(views_named("health", "customers"), lambda conn:
                    health_metrics.health_distribution(
                        conn, owner_id=owner_id, include_churned=include_churned, at=read.at))


@router.get("/forecast-accuracy", response_model=ForecastAccuracy,
            responses=view_responses())
def forecast_accuracy_metrics(read: ViewReadDep, from_: From, to: To,
                              owner_id: OwnerId = None) -> Any:
    """Forecasts held to account: for the terms ending in [from, to] that were renewed or
    churned, the renewal intent held 90, 60 and 30 days before each end (the latest recorded
    by then) against the outcome — high forecasts a renewal, low a churn — overall, by
    intent and per owner CSM; with a churn model, its calibration by decile of the
    probability predicted as of each end − its horizon (docs/models.md)."""
    check_range(from_, to)
    return read.run(views_named("churn", "contracts", "customers", "users", "health", "risks",
                                "complaints", "requirements", "touchpoints"),
                    lambda conn: forecast_accuracy.forecast_accuracy(
                        conn, from_, to, owner_id=owner_id, at=read.at))
