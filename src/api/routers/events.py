"""The event feed (`GET /events`) and the tamper check (`GET /audit/verify`)."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from eventsourcing.persistence import StoredEvent
from fastapi import Query
from pydantic_core import to_jsonable_python

from api.deps import AppDep, PrincipalDep, ReaderDep
from api.openapi import READ_ERRORS, problems
from api.permissions import Action, authorize
from api.routing import ledger_router
from api.schemas.events import AuditResult, EventPage, EventPublic
from cs_domain.app import CustomerSuccess
from cs_store.audit import verify_log
from cs_store.chain import parse_recorded_at
from cs_store.factory import chain_recorder
from cs_store.recorders import TimedNotification

router = ledger_router(tags=["events"])
log = logging.getLogger("api.events")

# Positions are 64-bit integers in both stores.
MAX_POSITION = 2**63 - 1
META = {"originator_id", "originator_version", "timestamp", "originator_topic", "actor"}
# Shown to every reader, so secrets stay out even in hashed form.
REDACTED = {"token_hash"}


def event_data(app: CustomerSuccess, row: TimedNotification) -> dict[str, Any]:
    stored = StoredEvent(originator_id=row.originator_id, originator_version=row.version,
                         topic=row.topic, state=row.state)
    try:
        # Through the mapper, so old event versions appear upcast to today's shape.
        values = dict(vars(app.mapper.to_domain_event(stored)))
    except Exception:
        log.warning("event %s could not be decoded as a domain event; showing its raw state",
                    row.position, exc_info=True)
        values = dict(app.mapper.transcoder.decode(row.state))
    return values


def present(app: CustomerSuccess, row: TimedNotification) -> EventPublic:
    values = event_data(app, row)
    data = {k: v for k, v in values.items() if k not in META and k not in REDACTED}
    actor = values.get("actor")
    return EventPublic(
        position=row.position, recorded_at=parse_recorded_at(row.recorded_at),
        originator_id=str(values.get("originator_id", row.originator_id)), version=row.version,
        type=row.topic.partition(":")[2] or row.topic,
        actor=None if actor is None else str(actor), data=to_jsonable_python(data),
    )


@router.get("/events", response_model=EventPage, responses=problems(*READ_ERRORS))
def events(
    app: AppDep, _: ReaderDep,
    after: Annotated[int, Query(ge=0, le=MAX_POSITION,
                                description="Position to read after (0: from the start).")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000, description="Page size.")] = 100,
) -> EventPage:
    """The log of all events in order, paged by position."""
    rows = chain_recorder(app).select_timed(after, limit)
    return EventPage(events=[present(app, row) for row in rows],
                     next_after=rows[-1].position if rows else after, head=app.max_position())


@router.get("/audit/verify", response_model=AuditResult, response_model_exclude_none=True,
            responses=problems(401, 403, 500), tags=["audit"])
def verify(app: AppDep, principal: PrincipalDep) -> AuditResult:
    """Recompute the hash chain of the whole log (auditor, admin)."""
    authorize(principal, Action.VERIFY_AUDIT)
    result = verify_log(chain_recorder(app))
    return AuditResult(ok=result.ok, events_checked=result.events_checked, head=result.head,
                       first_bad_position=result.first_bad_position, reason=result.reason)
