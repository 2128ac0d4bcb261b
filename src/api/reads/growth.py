"""Reads of seed 001's growth practices: activities (§二.4), benchmark cases (§二.6) and
referrals (§二.7)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query

from api.reads.docs import view_responses
from api.reads.query import ViewReadDep, views_named
from api.reads.ranges import From, To, check_range
from api.reads.work import Cursor, CustomerId, Limit, values
from api.routing import ledger_router
from api.schemas.views.activities import ActivityOne, ActivityPage
from api.schemas.views.growth import (
    BenchmarkOne,
    BenchmarkPage,
    ReferralMetrics,
    ReferralOne,
    ReferralPage,
)
from cs_domain.activity import ActivityStatus
from cs_domain.benchmark import BenchmarkStage
from cs_domain.referral import ReferralStatus
from projections.views import activities, benchmarks, referrals

router = ledger_router()
ACTIVITY_VIEWS = views_named("activities")


@router.get("/activities", response_model=ActivityPage, responses=view_responses(),
            tags=["activities"])
def activity_list(
    read: ViewReadDep, customer_id: CustomerId = None,
    status: Annotated[list[ActivityStatus] | None, Query(description="Repeatable.")] = None,
    cursor: Cursor = None, limit: Limit = 50,
) -> Any:
    """Activities by business date of planning, with every step's date and the review."""
    return read.run(ACTIVITY_VIEWS, lambda conn: activities.activity_list(
        conn, customer_id=customer_id, status=values(status), cursor=cursor, limit=limit,
        at=read.at))


@router.get("/activities/{activity_id}", response_model=ActivityOne,
            responses=view_responses(404), tags=["activities"])
def get_activity(activity_id: UUID, read: ViewReadDep) -> Any:
    """One activity."""
    return read.one(ACTIVITY_VIEWS, lambda conn: activities.get_activity(
        conn, activity_id, at=read.at), "activity", activity_id)


BENCHMARK_VIEWS = views_named("benchmarks", "customers", "health")


@router.get("/benchmark-cases", response_model=BenchmarkPage, responses=view_responses(),
            tags=["benchmark cases"])
def benchmark_list(
    read: ViewReadDep, customer_id: CustomerId = None,
    stage: Annotated[list[BenchmarkStage] | None, Query(description="Repeatable.")] = None,
    cursor: Cursor = None, limit: Limit = 50,
) -> Any:
    """Benchmark cases by nomination date with the three criteria judged from the facts, and
    the coverage per class (tier): the classes with customers but no case built."""
    return read.run(BENCHMARK_VIEWS, lambda conn: benchmarks.case_list(
        conn, customer_id=customer_id, stage=values(stage), cursor=cursor, limit=limit,
        at=read.at))


@router.get("/benchmark-cases/{case_id}", response_model=BenchmarkOne,
            responses=view_responses(404), tags=["benchmark cases"])
def get_benchmark_case(case_id: UUID, read: ViewReadDep) -> Any:
    """One benchmark case with its criteria."""
    return read.one(BENCHMARK_VIEWS, lambda conn: benchmarks.get_case(conn, case_id, at=read.at),
                    "benchmark case", case_id)


REFERRAL_VIEWS = views_named("referrals")


@router.get("/referrals", response_model=ReferralPage, responses=view_responses(),
            tags=["referrals"])
def referral_list(
    read: ViewReadDep, customer_id: CustomerId = None,
    owner_id: Annotated[UUID | None, Query(description="The credited CSM.")] = None,
    status: Annotated[list[ReferralStatus] | None, Query(description="Repeatable.")] = None,
    cursor: Cursor = None, limit: Limit = 50,
) -> Any:
    """Referrals by introduction date: the referring customer, the credited CSM, the
    prospect, the incentive and every step's date."""
    return read.run(REFERRAL_VIEWS, lambda conn: referrals.referral_list(
        conn, customer_id=customer_id, owner_id=owner_id, status=values(status),
        cursor=cursor, limit=limit, at=read.at))


@router.get("/referrals/{referral_id}", response_model=ReferralOne,
            responses=view_responses(404), tags=["referrals"])
def get_referral(referral_id: UUID, read: ViewReadDep) -> Any:
    """One referral."""
    return read.one(REFERRAL_VIEWS, lambda conn: referrals.get_referral(
        conn, referral_id, at=read.at), "referral", referral_id)


@router.get("/metrics/referrals", response_model=ReferralMetrics, responses=view_responses(),
            tags=["metrics"])
def referral_metrics(read: ViewReadDep, from_: From, to: To) -> Any:
    """The referrals introduced in [from, to]: counts per status, win rate (won / closed),
    the same per credited CSM."""
    check_range(from_, to)
    return read.run(REFERRAL_VIEWS, lambda conn: referrals.referral_metrics(
        conn, from_, to, at=read.at))
