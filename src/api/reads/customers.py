"""Customer views: the list (filters, cursor pages), the customer 360 and health history."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query
from sqlalchemy import Connection

from api.reads.docs import view_responses
from api.reads.query import InvalidParameter, ViewReadDep, composite_views, views_named
from api.reads.ranges import OptionalFrom, OptionalTo, check_range
from api.routing import ledger_router
from api.schemas.views.customers import Customer360, CustomerPage
from api.schemas.views.health import HealthHistory
from cs_domain.customer import Stage, Tier
from cs_domain.rules import Band
from projections import compose
from projections.view import Reader
from projections.views import health
from projections.views.customers import customer_profile
from projections.views.health_models import model_at, parse_ref

router = ledger_router(prefix="/customers", tags=["customers"])
PROFILE = ("id", "name", "tier", "industry", "region", "size_grade", "owner_id", "owner_name",
           "support_manager_id", "support_manager_name", "stage", "stage_since", "onboarded_on",
           "contacts_count", "created_position", "registered_at")


@router.get("", response_model=CustomerPage, responses=view_responses())
def list_customers(
    read: ViewReadDep,
    owner_id: Annotated[UUID | None, Query(description="The owning CSM.")] = None,
    tier: Annotated[Tier | None, Query()] = None,
    stage: Annotated[Stage | None, Query(description="Lifecycle stage.")] = None,
    health_band: Annotated[Band | None, Query(
        description="The band of the customer's latest health score.")] = None,
    q: Annotated[str | None, Query(max_length=200,
                                   description="Part of the name, any case.")] = None,
    expiring_within_days: Annotated[int | None, Query(
        ge=0, le=36600, description="Has a signed or active contract ending within this many "
                                    "days of `today`.")] = None,
    cursor: Annotated[str | None, Query(max_length=2000,
                                        description="`next_cursor` of the previous page.")] = None,
    limit: Annotated[int, Query(ge=1, le=compose.MAX_LIMIT, description="Page size.")] = 50,
    include_churned: Annotated[bool, Query(
        description="With `health_band`: keep churned customers (left out by default).")
    ] = False,
) -> Any:
    """Customers by name, filtered, one page at a time (客户台账)."""
    return read.run(composite_views(), lambda conn: compose.customer_list(
        conn, today=read.today, owner_id=owner_id, tier=None if tier is None else tier.value,
        stage=None if stage is None else stage.value, q=q,
        expiring_within_days=expiring_within_days,
        health_band=None if health_band is None else health_band.value, cursor=cursor,
        limit=limit, at=read.at, include_churned=include_churned))


@router.get("/{customer_id}", response_model=Customer360, responses=view_responses(404))
def customer_360(customer_id: UUID, read: ViewReadDep) -> Any:
    """The customer 360: profile, stage, health, contracts, risks, requirements, plans,
    open tasks, complaints, the latest touchpoints and subscriptions in one answer."""
    result = read.one(composite_views(), lambda conn: compose.customer_360(
        conn, customer_id, read.today, at=read.at), "customer", customer_id)
    return {**result, "profile": {k: result[k] for k in PROFILE}}


@router.get("/{customer_id}/health", response_model=HealthHistory,
            responses=view_responses(404))
def health_history(customer_id: UUID, read: ViewReadDep, from_: OptionalFrom = None,
                   to: OptionalTo = None, model: Annotated[str | None, Query(
                       max_length=80, description=(
                           "Score the periods with this model version, `NAME:VERSION`, "
                           "from their stored inputs (404 if not defined as of the read); "
                           "`current` stays the recorded score."))] = None) -> Any:
    """The customer's health score per usage period (oldest first) with its components,
    and the latest score with its trend. `from`/`to` bound the periods' start dates."""
    check_range(from_, to)
    ref = None if model is None else parse_ref(model)
    if model is not None and ref is None:
        raise InvalidParameter("model", "must be NAME:VERSION, such as seed-004:1")

    def query(conn: Connection) -> dict[str, Any] | None:
        known = Reader(conn, read.at)
        if customer_profile(known, customer_id) is None:
            return None
        scorer = None if ref is None else model_at(known, *ref)
        history = health.health_history(conn, customer_id, from_, to, at=read.at,
                                        model=scorer)
        current = health.health_of(conn, customer_id, at=read.at)
        positions = [known.position, history["position"]]
        if current is not None:
            positions.append(current.pop("position"))
        return {**history, "current": current, "position": min(positions)}

    return read.one(views_named("customers", "users", "health"), query, "customer", customer_id)
