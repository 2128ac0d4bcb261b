"""Audit trails read from the event log itself (`GET /risks/{id}/trail`).

Not a view, so always current; `as_of` keeps the steps known at that moment and
`min_position` only has to be a position the log has reached.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

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
from projections.log import trail_of

router = ledger_router(tags=["risks"])


def trail(app: CustomerSuccess, read: ViewRead, kind: str, type_prefix: str,
          item_id: UUID) -> dict[str, Any]:
    """Steps of one item of this kind, up to the log head (or the as-of position)."""
    head = app.max_position()
    if read.min_position is not None and read.min_position > head:
        raise ViewUnavailable(
            "view-lagging", f"position {read.min_position} is beyond the last event in the "
                            f"log ({head}); send the position a write returned",
            RETRY_LAGGING, view_position=head, head=head)
    upto = head if read.at is None else min(read.at, head)
    steps = [s for s in trail_of(app, item_id) if s["position"] <= upto]
    if not steps or not steps[0]["type"].startswith(type_prefix):
        raise NotFound(kind, item_id)
    read.response.headers[POSITION_HEADER] = str(upto)
    return {"id": item_id, "position": upto, "items": [
        {**s, "recorded_at": parse_recorded_at(s["recorded_at"]),
         "data": to_jsonable_python(s["data"])} for s in steps]}


@router.get("/risks/{risk_id}/trail", response_model=Trail, responses=view_responses(404))
def risk_trail(risk_id: UUID, app: AppDep, read: ViewReadDep) -> Any:
    """Every step of a risk in order — raised, strategy, mitigation, escalation, closed,
    reopened — with who did it and when it was recorded (the audit trail)."""
    return trail(app, read, "risk", "Risk.", risk_id)
