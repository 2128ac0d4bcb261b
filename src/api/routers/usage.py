"""Usage signals: `POST /customers/{id}/usage` records one period's figures;
`GET /metrics/usage` their depth and breadth."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi.responses import JSONResponse

from api.deps import PlainWrite
from api.openapi import CREATE_ERRORS, problems
from api.ownership import customer_at
from api.permissions import Action
from api.reads.docs import view_responses
from api.reads.query import ViewReadDep, views_named
from api.reads.ranges import From, To, check_range
from api.routing import ledger_router
from api.schemas.usage import UsageRecorded, UsageReportIn
from api.schemas.views.health import UsageMetrics
from cs_domain.application import CommandResult
from cs_domain.customer import Customer
from projections.queries import health_metrics

router = ledger_router(prefix="/customers", tags=["usage"])
metrics = ledger_router(prefix="/metrics", tags=["metrics"])


def present(result: CommandResult) -> UsageRecorded:
    return UsageRecorded(id=result.id, version=result.version, position=result.position,
                         corrected=result.extra["corrected"], changed=result.extra["changed"])


@router.post("/{customer_id}/usage", status_code=201, response_model=UsageRecorded,
             responses={**problems(*CREATE_ERRORS, 404),
                        200: {"model": UsageRecorded,
                              "description": "The period had been reported: corrected (or "
                                             "unchanged)."}})
def report_usage(customer_id: UUID, body: UsageReportIn, w: PlainWrite) -> JSONResponse:
    """Record a period's usage: 201 for a new period, 200 when it corrects an earlier report."""

    def command() -> CommandResult:
        w.app.load(Customer, customer_id)  # an unknown customer in the path is a 404
        return w.app.report_usage(actor=w.actor, customer_id=customer_id, **body.model_dump())

    return w.run(Action.RECORD_USAGE, command, present, resource=customer_at(w.app, customer_id),
                 status=lambda result: 200 if result.extra["corrected"] else 201)


@metrics.get("/usage", response_model=UsageMetrics, responses=view_responses())
def usage_metrics(read: ViewReadDep, from_: From, to: To) -> Any:
    """Usage depth (core features used / core features) and breadth (features used /
    available), averaged over the usage reports of periods starting in [from, to]."""
    check_range(from_, to)
    return read.run(views_named("health"), lambda conn: health_metrics.usage_metrics(
        conn, from_, to, at=read.at))
