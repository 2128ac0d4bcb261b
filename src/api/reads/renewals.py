"""The renewal pipeline (`GET /renewals`) and renewal metrics (`GET /metrics/renewals`)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query

from api.reads.docs import view_responses
from api.reads.query import ViewReadDep, views_named
from api.reads.ranges import From, To, check_range
from api.routing import ledger_router
from api.schemas.views.renewals import RenewalList, RenewalMetrics
from cs_domain.contract import ContractStatus, Intent
from projections.views import contracts

router = ledger_router(tags=["renewals"])


@router.get("/renewals", response_model=RenewalList, responses=view_responses())
def renewals(
    read: ViewReadDep, from_: From, to: To,
    intent: Annotated[list[Intent] | None, Query(description="Renewal intent (repeatable).")] = None,
    owner_id: Annotated[UUID | None, Query(description="The customer's owning CSM.")] = None,
    status: Annotated[list[ContractStatus] | None, Query(
        description="Contract status (repeatable).")] = None,
) -> Any:
    """Contracts ending in [from, to] with their customer, owner, amount, intent and status:
    "expiring this month", "low renewal intent" (续约)."""
    check_range(from_, to)
    return read.run(views_named("users", "customers", "contracts"), lambda conn: contracts.renewals(
        conn, from_, to, intent=None if intent is None else [i.value for i in intent],
        owner_id=owner_id, status=None if status is None else [s.value for s in status],
        at=read.at))


@router.get("/metrics/renewals", response_model=RenewalMetrics, responses=view_responses(),
            tags=["metrics"])
def renewal_metrics(read: ViewReadDep, from_: From, to: To) -> Any:
    """Renewal rate and revenue renewal rate per currency for the contracts due in
    [from, to] (by end date; early renewals count), with churn reasons (续约率)."""
    check_range(from_, to)
    return read.run(views_named("contracts"),
                    lambda conn: contracts.renewal_metrics(conn, from_, to, at=read.at))
