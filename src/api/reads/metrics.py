"""Metrics over a business-date range (`GET /metrics/...`), besides renewals.

Each reads its views as of the read's position (`as_of`), and counts by the business
dates the events carry: raised/closed on, collected on, received on, period start, ...
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from fastapi import Query

from api.reads.docs import view_responses
from api.reads.query import ViewRead, ViewReadDep, views_named
from api.reads.ranges import From, OptionalFrom, OptionalTo, To, check_range
from api.routing import ledger_router
from api.schemas.predictions import ForecastAccuracy
from api.schemas.views.delivery import MilestoneLateness
from api.schemas.views.health import ActivationMetrics, HealthDistribution, UsageMetrics
from api.schemas.views.loops import ComplaintMetrics, RequirementMetrics
from api.schemas.views.work import RiskMetrics
from projections.views import (
    activation,
    complaints,
    forecast_accuracy,
    health_metrics,
    plans,
    requirements,
    risks,
)

router = ledger_router(prefix="/metrics", tags=["metrics"])
OwnerId = Annotated[UUID | None, Query(description="Only the customers this CSM owns.")]


@router.get("/risks", response_model=RiskMetrics, responses=view_responses())
def risk_metrics(read: ViewReadDep, from_: From, to: To) -> Any:
    """Risks opened, reopened and closed in [from, to], the days they took to close (mean,
    median), and how many are open and overdue now."""
    check_range(from_, to)
    return read.run(views_named("risks"), lambda conn: risks.risk_metrics(
        conn, from_, to, today=read.today, at=read.at))


@router.get("/requirements", response_model=RequirementMetrics, responses=view_responses())
def requirement_metrics(read: ViewReadDep, from_: From, to: To) -> Any:
    """The loop times of the requirements collected in [from, to]: days per step, days to
    feedback, open loops by step, feedback ratio (需求闭环)."""
    check_range(from_, to)
    return read.run(views_named("requirements"), lambda conn: requirements.requirement_metrics(
        conn, from_, to, at=read.at))


def moment_of(read: ViewRead) -> datetime:
    """`now` for complaint targets: the clock, or the end of the `today` the client gave."""
    if read.today_given:
        return datetime.combine(read.today, time.max, UTC)
    return datetime.now(UTC)


@router.get("/complaints", response_model=ComplaintMetrics, responses=view_responses())
def complaint_metrics(read: ViewReadDep, from_: From, to: To) -> Any:
    """The complaints received in [from, to]: resolution within the 24 h target, resolution
    hours, reviews and their categories, open ones by step."""
    check_range(from_, to)
    now = moment_of(read)
    return read.run(views_named("complaints"), lambda conn: complaints.complaint_metrics(
        conn, from_, to, now=now, at=read.at))


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


@router.get("/usage", response_model=UsageMetrics, responses=view_responses())
def usage_metrics(read: ViewReadDep, from_: From, to: To) -> Any:
    """Usage depth (core features used / core features) and breadth (features used /
    available), averaged over the usage reports of periods starting in [from, to]."""
    check_range(from_, to)
    return read.run(views_named("health"), lambda conn: health_metrics.usage_metrics(
        conn, from_, to, at=read.at))


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


@router.get("/milestones", response_model=MilestoneLateness, responses=view_responses())
def milestone_lateness(
    read: ViewReadDep, from_: OptionalFrom = None, to: OptionalTo = None,
    owner_id: OwnerId = None,
    customer_id: Annotated[UUID | None, Query(description="Only this customer's.")] = None,
) -> Any:
    """Success-plan milestones due in [from, to] (both optional): on time, late, missed,
    overdue, with the late rate overall and per CSM."""
    check_range(from_, to)
    return read.run(views_named("plans", "customers", "users"), lambda conn:
                    plans.milestone_lateness(conn, today=read.today, from_=from_, to=to,
                                             owner_id=owner_id, customer_id=customer_id,
                                             at=read.at))


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
