"""Operating the consumers of the log: where each stands, what is parked, retrying it.

`status(app, models)` is what `GET /ops/status`, `cs-ledger ops parked` and `tick`'s
report show; `retry(app, models, parked_id)` handles one parked event again:

- for the process manager, it reacts to that one event again (as of its position; the
  commands are idempotent), and on success the parked row goes;
- for a view, the event's effect belongs *at its position*: later events were applied on
  top of a state that lacked it, so re-applying it now would write a history no replay
  gives. The retry rebuilds that view blue/green (`projections.rebuild`), which applies
  every event in order exactly once and swaps in atomically; the row goes if the event
  was handled this time, else it stays with one more attempt.

On failure the row keeps its id, counts one more attempt and records the new error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Connection, exc

from automation import tracking
from automation.process import CONSUMER, PROCESS, ProcessManager
from cs_domain.app import CustomerSuccess
from projections import parking, state
from projections.db import ReadModels
from projections.log import LogReader
from projections.parking import Parked
from projections.rebuild import RebuildFailed, rebuild
from projections.registry import VIEWS
from projections.runner import TRANSIENT, describe
from projections.view import View

PARKED = "parked"
T = TypeVar("T")


@dataclass(frozen=True)
class Consumer:
    name: str
    position: int
    head: int
    status: str  # ok | parked | failed | building

    @property
    def lag_events(self) -> int:
        return max(0, self.head - self.position)

    def public(self) -> dict[str, Any]:
        return {"name": self.name, "position": self.position, "head": self.head,
                "lag_events": self.lag_events, "status": self.status}


@dataclass(frozen=True)
class OpsStatus:
    position: int  # the head of the log when it was read
    consumers: list[Consumer]
    parked: list[Parked]
    extra: dict[str, Any] = field(default_factory=dict)

    def public(self) -> dict[str, Any]:
        return {"consumers": [c.public() for c in self.consumers],
                "parked": [p.public() for p in self.parked], "position": self.position,
                **self.extra}


class RetryFailed(RuntimeError):
    def __init__(self, row: Parked):
        self.row = row
        super().__init__(row.error)


def status(app: CustomerSuccess, models: ReadModels) -> OpsStatus:
    """Reads only (a fresh store whose tables do not exist yet shows no consumers)."""
    head = app.max_position()
    no_views: dict[str, state.ViewState] = {}
    no_rows: list[Parked] = []
    views = _or_empty(models, lambda conn: state.live_states(conn), no_views)
    rows = _or_empty(models, lambda conn: parking.parked(conn), no_rows)
    try:
        process = tracking.read(models, PROCESS)
    except exc.DBAPIError:
        process = tracking.ProcessState(PROCESS, 0, state.OK)
    held = {p.consumer for p in rows}
    consumers = [Consumer(name, st.position, head,
                          PARKED if name in held and st.status == state.OK else st.status)
                 for name, st in sorted(views.items())]
    consumers.append(Consumer(CONSUMER, process.position, head,
                              PARKED if CONSUMER in held and not process.failed
                              else process.status))
    return OpsStatus(head, consumers, rows)


def _or_empty(models: ReadModels, read: Callable[[Connection], T], empty: T) -> T:
    try:
        with models.read() as conn:
            return read(conn)
    except exc.ProgrammingError:  # PostgreSQL: no such table yet
        return empty
    except exc.OperationalError as error:  # SQLite says "no such table" this way
        if "no such table" in str(error):
            return empty
        raise


def retry(app: CustomerSuccess, models: ReadModels, parked_id: int,
          views: Sequence[View] = VIEWS) -> None:
    """Handles a parked event again. Returns None when it is gone (handled); raises
    LookupError (no such row) or RetryFailed (still failing: one more attempt counted).
    `views`: where a view consumer is found (the registry's)."""
    with models.read() as conn:
        row = parking.get(conn, parked_id)
    if row is None:
        raise LookupError(parked_id)
    if row.consumer == CONSUMER:
        _retry_process(app, models, row)
    else:
        _retry_view(app, models, row, views)
    with models.read() as conn:
        after = parking.get(conn, parked_id)
    if after is not None:
        raise RetryFailed(after)


def _retry_process(app: CustomerSuccess, models: ReadModels, row: Parked) -> None:
    pm = ProcessManager(app, models)
    batch = LogReader(app, lambda cls: True).read(row.position - 1, 1, row.position)
    found = [env for env in batch.envelopes if env.position == row.position]
    try:
        for env in found:  # none: the event's class no longer exists, nothing to react to
            pm.retry(env)
    except TRANSIENT:
        raise
    except Exception as error:
        with models.write() as conn:
            parking.count_attempt(conn, row.id, describe(error))
        return
    with models.write() as conn:
        parking.remove(conn, row.id)


def _retry_view(app: CustomerSuccess, models: ReadModels, row: Parked,
                views: Sequence[View]) -> None:
    view = next((v for v in views if v.name == row.consumer), None)
    if view is None:
        raise LookupError(f"no view {row.consumer!r} in this process")
    try:
        rebuild(app, models, [view])
    except RebuildFailed as error:  # not parked: a view that failed the old way
        with models.write() as conn:
            parking.count_attempt(conn, row.id, str(error))
