"""Customer classification (seed 001 §二.1): the level × usage cross table
(`GET /classification`) and the best practices recorded per cell (manager)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import Query
from fastapi.responses import JSONResponse

from api.deps import Create
from api.openapi import CREATE_ERRORS, problems
from api.permissions import Action
from api.reads.docs import view_responses
from api.reads.query import ViewReadDep, views_named
from api.reads.ranges import OptionalFrom, OptionalTo, check_range
from api.routing import ledger_router
from api.schemas.classification import BestPracticeRecord, ClassificationTable
from api.schemas.common import WriteResult
from cs_domain.classification import DEFAULT_LEVEL_BY
from cs_domain.days import shift
from projections.views import classification

router = ledger_router(prefix="/classification", tags=["classification"])
VIEWS = views_named("customers", "health", "contracts", "classification")
RENEWAL_WINDOW_DAYS = 365


def renewal_window(from_: date | None, to: date | None, today: date) -> tuple[date, date]:
    """The window whose due contracts give each cell's renewal rate: [from, to] when given,
    by default the 365 days ending today (to = today, from = to − 364 days)."""
    end = to if to is not None else today
    start = from_ if from_ is not None else shift(end, -(RENEWAL_WINDOW_DAYS - 1))
    check_range(start, end)
    return start, end


@router.get("", response_model=ClassificationTable, responses=view_responses())
def classification_table(
    read: ViewReadDep, from_: OptionalFrom = None, to: OptionalTo = None,
    level_by: Annotated[Literal["tier", "size_grade"], Query(
        description="The level dimension: the customer's tier (default) or size grade.")
    ] = DEFAULT_LEVEL_BY,  # type: ignore[assignment]
    owner_id: Annotated[UUID | None, Query(description="Only the customers this CSM owns.")
                        ] = None,
) -> Any:
    """The level × usage cross table (seed 001 §二.1): customers, mean health, renewal rate
    (contracts due in [from, to], by default the 365 days ending today) and best practices
    of every cell. Usage classes come from each customer's latest usage period (docs/rules.md
    *Customer classification*)."""
    start, end = renewal_window(from_, to, read.today)
    return read.run(VIEWS, lambda conn: classification.classification(
        conn, level_by=level_by, from_=start, to=end, owner_id=owner_id, at=read.at))


@router.post("/best-practices", status_code=201, response_model=WriteResult,
             responses=problems(*CREATE_ERRORS))
def record_best_practice(body: BestPracticeRecord, w: Create) -> JSONResponse:
    """Record a best practice of one cell (level × usage class); 422 on an unknown class."""
    return w.run(
        Action.RECORD_BEST_PRACTICE,
        lambda: w.app.record_best_practice(actor=w.actor, level=body.level,
                                           usage_class=body.usage_class.value, text=body.text),
        WriteResult.of, status=201,
    )
