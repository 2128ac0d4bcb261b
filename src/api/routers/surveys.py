"""Satisfaction surveys (seed 004): record NPS / CSAT responses; `GET /metrics/nps`."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from api.deps import Create
from api.openapi import CREATE_ERRORS, problems
from api.ownership import customer_in_body
from api.permissions import Action
from api.reads.docs import view_responses
from api.reads.query import ViewReadDep, views_named
from api.reads.ranges import From, To, check_range
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.surveys import SurveyResponseRecord
from api.schemas.views.tickets import NpsMetrics
from projections.views import surveys

router = ledger_router(prefix="/surveys", tags=["surveys"])
metrics = ledger_router(prefix="/metrics", tags=["metrics"])


@router.post("/responses", status_code=201, response_model=WriteResult,
             responses=problems(*CREATE_ERRORS))
def record_response(body: SurveyResponseRecord, w: Create) -> JSONResponse:
    """Record one survey response on a customer (nps 0..10, csat 1..5)."""
    return w.run(
        Action.RECORD_SURVEY,
        lambda: w.app.record_survey_response(
            actor=w.actor, customer_id=body.customer_id, kind=body.kind.value, score=body.score,
            respondent=body.respondent, responded_on=body.responded_on, comment=body.comment),
        WriteResult.of, resource=customer_in_body(w.app, body.customer_id), status=201,
    )


@metrics.get("/nps", response_model=NpsMetrics, responses=view_responses())
def nps_metrics(read: ViewReadDep, from_: From, to: To) -> Any:
    """NPS over the responses answered in [from, to] (% promoters 9-10 − % detractors 0-6),
    by the customer's tier and owner, and the CSAT mean."""
    check_range(from_, to)
    return read.run(views_named("surveys", "customers"), lambda conn: surveys.nps_metrics(
        conn, from_, to, at=read.at))
