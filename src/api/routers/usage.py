"""Usage signals: `POST /customers/{id}/usage` records one period's figures."""

from __future__ import annotations

from uuid import UUID

from fastapi.responses import JSONResponse

from api.deps import PlainWrite
from api.openapi import CREATE_ERRORS, problems
from api.ownership import customer_at
from api.permissions import Action
from api.routing import ledger_router
from api.schemas.usage import UsageRecorded, UsageReportIn
from cs_domain.application import CommandResult
from cs_domain.customer import Customer

router = ledger_router(prefix="/customers", tags=["usage"])


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
