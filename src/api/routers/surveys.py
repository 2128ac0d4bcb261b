"""Satisfaction surveys (seed 004): record NPS / CSAT responses."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from api.deps import Create
from api.openapi import CREATE_ERRORS, problems
from api.ownership import customer_in_body
from api.permissions import Action
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.surveys import SurveyResponseRecord

router = ledger_router(prefix="/surveys", tags=["surveys"])


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
