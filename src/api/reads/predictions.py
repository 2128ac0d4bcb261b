"""Churn predictions: customers ranked by the probability that they churn within the
horizon, with each one's largest factors (docs/models.md)."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated, Any
from uuid import UUID

from fastapi import Query
from sqlalchemy import Connection

from api.problems import PROBLEM_MEDIA_TYPE, ApiProblem, problem_body
from api.reads.docs import view_responses
from api.reads.query import InvalidParameter, ViewReadDep, views_named
from api.routing import ledger_router
from api.schemas.predictions import ChurnPredictions
from cs_domain.churn_model import MAX_HORIZON, MIN_HORIZON
from projections.query import MAX_LIMIT
from projections.view import Reader
from projections.views.churn import (
    ModelFileMissing,
    latest_model,
    load_model_file,
    predict,
    scored,
)
from projections.views.users import get_user

router = ledger_router(prefix="/predictions", tags=["predictions"])
PREDICTION_VIEWS = views_named("churn", "customers", "contracts", "health", "risks",
                               "complaints", "requirements", "touchpoints", "users")

NOT_TRAINED = "churn-model-not-trained"


def responses() -> dict[int | str, dict[str, Any]]:
    """The view read's statuses, with the 409 this read answers (no model trained yet)."""
    out = view_responses(409)
    out[409] = {**out[409], "description": "No churn model of the horizon yet: train first",
                "content": {PROBLEM_MEDIA_TYPE: {"example": problem_body(
                    409, NOT_TRAINED, "no churn model for a 30-day horizon yet: train first "
                    "(cs-ledger predict train)", "/api/v1/predictions/churn")}}}
    return out


class NotTrained(ApiProblem):
    def __init__(self, detail: str):
        super().__init__(409, NOT_TRAINED, detail)


@router.get("/churn", response_model=ChurnPredictions, responses=responses())
def churn_predictions(
    read: ViewReadDep,
    horizon_days: Annotated[int, Query(ge=MIN_HORIZON, le=MAX_HORIZON, description=(
        "Predict a churn within this many days (a model trained for it must exist)."))] = 30,
    owner_id: Annotated[UUID | None, Query(description="Only the customers this CSM owns "
                                                       "(a known user).")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many "
                                                                "customers.")] = 50,
) -> Any:
    """Customers in force on the prediction date, most likely to churn first, scored by the
    newest churn model of the horizon known at the read's position, with their largest
    factors. The features are taken as of `today` (or `as_of`'s UTC date, read at its
    knowledge position, so a past prediction is reproduced exactly). No model trained for
    the horizon yet: 409 `churn-model-not-trained` (run `cs-ledger predict train`)."""
    day = read.today
    if read.at is not None and not read.today_given:
        day = read.at_moment.astimezone(UTC).date() if read.at_moment else day

    def query(conn: Connection) -> dict[str, Any]:
        r = Reader(conn, read.at)
        if owner_id is not None and get_user(conn, owner_id, at=read.at) is None:
            raise InvalidParameter("owner_id", "is not a known user")
        found = latest_model(r, horizon_days)
        if found is None:
            raise NotTrained(f"no churn model for a {horizon_days}-day horizon yet: train "
                             "first (cs-ledger predict train)")
        kept = None
        if read.at is None:  # a current read: the day's ranking, when it is recent enough
            kept = scored(conn, found["sha256"], day, owner_id=owner_id, limit=limit)
            if kept is not None and kept[0] < (read.min_position or 0):
                kept = None
        found.pop("recorded_position")
        if kept is not None:
            position, items = kept
            return {"model": found, "as_of_date": day, "items": items, "position": position}
        try:
            model = load_model_file(conn, found["sha256"])
        except ModelFileMissing as error:
            raise NotTrained(f"{error}: train again (cs-ledger predict train)") from None
        items = predict(r, model, day, owner_id=owner_id, limit=limit)
        return {"model": found, "as_of_date": day, "items": items, "position": r.position}

    return read.run(PREDICTION_VIEWS, query)
