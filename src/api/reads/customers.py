"""Customer views: the list (filters, cursor pages) and the customer 360."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query

from api.reads.docs import view_responses
from api.reads.query import ViewReadDep, composite_views
from api.routing import ledger_router
from api.schemas.views.customers import Customer360, CustomerPage
from cs_domain.customer import Stage, Tier
from cs_domain.errors import NotFound
from projections import compose

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
    health_band: Annotated[str | None, Query(
        max_length=16, description="red | yellow | green (needs the health view).")] = None,
    q: Annotated[str | None, Query(max_length=200,
                                   description="Part of the name, any case.")] = None,
    expiring_within_days: Annotated[int | None, Query(
        ge=0, le=36600, description="Has a signed or active contract ending within this many "
                                    "days of `today`.")] = None,
    cursor: Annotated[str | None, Query(max_length=2000,
                                        description="`next_cursor` of the previous page.")] = None,
    limit: Annotated[int, Query(ge=1, le=compose.MAX_LIMIT, description="Page size.")] = 50,
) -> Any:
    """Customers by name, filtered, one page at a time (客户台账)."""
    return read.run(composite_views(), lambda conn: compose.customer_list(
        conn, today=read.today, owner_id=owner_id, tier=None if tier is None else tier.value,
        stage=None if stage is None else stage.value, q=q,
        expiring_within_days=expiring_within_days, health_band=health_band, cursor=cursor,
        limit=limit, at=read.at))


@router.get("/{customer_id}", response_model=Customer360, responses=view_responses(404))
def customer_360(customer_id: UUID, read: ViewReadDep) -> Any:
    """The customer 360: profile, stage, health, contracts, risks, requirements, plans,
    open tasks and touchpoints in one answer."""
    result = read.run(composite_views(), lambda conn: compose.customer_360(
        conn, customer_id, read.today, at=read.at))
    if result is None:
        raise NotFound("customer", customer_id)
    return {**result, "profile": {k: result[k] for k in PROFILE}}
