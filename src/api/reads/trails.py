"""Audit trails read from the event log itself (`GET /risks/{id}/trail`).

Not a view, so always current; `as_of` keeps the steps known at that moment and
`min_position` only has to be a position the log has reached.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query
from pydantic_core import to_jsonable_python

from api.deps import AppDep
from api.reads.docs import view_responses
from api.reads.query import POSITION_HEADER, ViewRead, ViewReadDep
from api.reads.side import RETRY_LAGGING, ViewUnavailable
from api.routing import ledger_router
from api.schemas.views.trails import Trail
from cs_domain.app import CustomerSuccess
from cs_domain.errors import NotFound
from cs_store.chain import parse_recorded_at
from projections.views import risks

router = ledger_router(tags=["risks"])


def log_position(app: CustomerSuccess, read: ViewRead) -> int:
    """The position a log read reflects: the head, or the as-of position."""
    head = app.max_position()
    if read.min_position is not None and read.min_position > head:
        raise ViewUnavailable(
            "view-lagging", f"position {read.min_position} is beyond the last event in the "
                            f"log ({head}); send the position a write returned",
            RETRY_LAGGING, view_position=head, head=head)
    return head if read.at is None else min(read.at, head)


def present(item_id: UUID, steps: list[dict[str, Any]], upto: int) -> dict[str, Any]:
    return {"id": item_id, "position": upto, "items": [
        {**s, "recorded_at": parse_recorded_at(s["recorded_at"]),
         "data": to_jsonable_python(s["data"])} for s in steps]}


@router.get("/risks/{risk_id}/trail", response_model=Trail, response_model_exclude_unset=True,
            responses=view_responses(404))
def risk_trail(
    risk_id: UUID, app: AppDep, read: ViewReadDep,
    with_tasks: Annotated[bool, Query(
        description="Also the steps of the tasks the strategies created (each with "
                    "`task_id`), merged in by position.")] = False,
) -> Any:
    """Every step of a risk in order — raised, strategy (with the `task_ids` its todos
    became), mitigation, escalation, closed, reopened — with who did it and when it was
    recorded. Read from the hash-chained log itself."""
    upto = log_position(app, read)
    steps = risks.risk_trail(app, risk_id, upto, with_tasks=with_tasks)
    if steps is None:
        raise NotFound("risk", risk_id)
    read.response.headers[POSITION_HEADER] = str(upto)
    return present(risk_id, steps, upto)
