"""The renewal pipeline (`GET /renewals`) and renewal metrics (`GET /metrics/renewals`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import Query
from sqlalchemy import Connection

from api.deps import ContainerDep
from api.reads.docs import view_responses
from api.reads.query import ViewRead, ViewReadDep, progress_views, views_named
from api.reads.ranges import From, To, check_range
from api.routing import ledger_router
from api.schemas.views.renewals import RenewalList, RenewalMetrics
from cs_domain.contract import ContractStatus, Intent
from projections import compose
from projections.queries import renewal_rates
from projections.view import Reader
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
    return renewal_page(read, from_, to, intent=intent, owner_id=owner_id, status=status)


def renewal_page(read: ViewRead, from_: date, to: date, *, intent: list[Intent] | None,
                 owner_id: UUID | None, status: list[ContractStatus] | None,
                 limit: int | None = None, offset: int = 0) -> contracts.RenewalPipeline:
    """`GET /renewals`' answer, or (with `limit`) one page of it with the `total` (boards)."""
    check_range(from_, to)

    def query(conn: Connection) -> contracts.RenewalPipeline:
        found = contracts.renewals(
            conn, from_, to, intent=None if intent is None else [i.value for i in intent],
            owner_id=owner_id, status=None if status is None else [s.value for s in status],
            at=read.at, limit=limit, offset=offset)
        if not found["items"]:
            return found
        known = Reader(conn, read.at)
        compose.fill_progress(known, found["items"])
        found["position"] = min(found["position"], known.position)
        return found

    return read.run(views_named("users", "customers", "contracts", *progress_views()), query)


@router.get("/metrics/renewals", response_model=RenewalMetrics, responses=view_responses(),
            tags=["metrics"])
def renewal_metrics(read: ViewReadDep, container: ContainerDep, from_: From, to: To) -> Any:
    """Renewal rate and revenue renewal rate per currency for the contracts due in
    [from, to] (by end date; early renewals count), with churn reasons (续约率); `overall`
    customer figures across currencies; with a reporting currency, the amounts converted
    at the rates valid on the contracts' end dates (续费率); the year's target and the gap."""
    check_range(from_, to)
    currency = container.settings.reporting_currency
    return read.run(views_named("contracts", "reporting", "users"),
                    lambda conn: renewal_rates.renewal_figures(
                        conn, from_, to, reporting_currency=currency, at=read.at))
