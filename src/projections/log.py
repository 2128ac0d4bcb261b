"""Reading the event log for projectors: timed batches, decoded once, unknown topics skipped.

Events are decoded with the application's own mapper, so upcasters run exactly as they
do for the write side. A topic no view handles is skipped without decoding (a dict
lookup per event); a topic that cannot be resolved at all is skipped the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import resolve_topic

from cs_domain.app import CustomerSuccess
from cs_store.factory import chain_recorder
from projections.shapes import TypedDict


class Envelope(NamedTuple):
    """One event a view may apply: its position, recording time and decoded event.

    A NamedTuple (immutable like a frozen dataclass, but several times cheaper to
    build: one is made per event in every batch)."""

    position: int
    recorded_at: str
    cls: type
    event: Any = None
    error: BaseException | None = None  # the event could not be decoded


@dataclass(frozen=True, slots=True)
class Batch:
    after: int  # the position the batch was read after
    last: int  # the last position read (== after when the log had nothing new)
    envelopes: list[Envelope]


class LogReader:
    def __init__(self, app: CustomerSuccess, wanted: Callable[[type], bool]):
        self.app = app
        self.recorder = chain_recorder(app)
        self.mapper = app.mapper
        self.wanted = wanted
        self._classes: dict[str, type | None] = {}

    def head(self) -> int:
        return int(self.recorder.max_notification_id() or 0)

    def _class_of(self, topic: str) -> type | None:
        try:
            return self._classes[topic]
        except KeyError:
            pass
        try:
            cls = resolve_topic(topic)
        except Exception:  # a topic from code that no longer exists: no view can want it
            cls = None
        found = cls if isinstance(cls, type) and self.wanted(cls) else None
        self._classes[topic] = found
        return found

    def read(self, after: int, limit: int, upto: int | None = None) -> Batch:
        rows = self.recorder.select_timed(after, limit, upto)
        envelopes: list[Envelope] = []
        for row in rows:
            cls = self._class_of(row.topic)
            if cls is None:
                continue
            try:
                originator_id = _as_uuid(row.originator_id)
                event = self.mapper.to_domain_event(
                    StoredEvent(originator_id, row.version, row.topic, bytes(row.state))
                )
            except Exception as error:
                envelopes.append(Envelope(row.position, row.recorded_at, cls, error=error))
                continue
            envelopes.append(Envelope(row.position, row.recorded_at, cls, event))
        last = rows[-1].position if rows else after
        return Batch(after, last, envelopes)


def _as_uuid(value: UUID | str) -> UUID | str:
    # SQLite stores ids as hex text; every aggregate of ours has a UUID id.
    return UUID(value) if isinstance(value, str) else value


def current_versions(app: CustomerSuccess, originator_ids: Iterable[UUID]) -> dict[UUID, int]:
    """The current version of each of these aggregates (for If-Match), in one query."""
    return chain_recorder(app).latest_versions(list(dict.fromkeys(originator_ids)))


class Step(TypedDict):
    """One step of an aggregate as the log holds it (`trail_of`). The API's TrailStep
    serves it reshaped: `recorded_at` parsed, `data` JSON-safe (its decoded values stay
    Python values here: the risk trail follows the task ids in them, the boards show them)."""

    position: int
    recorded_at: str  # as the chain stores it (cs_store.chain.TIME_FORMAT)
    version: int
    actor: str | None
    type: str
    data: dict[str, Any]


class ItemStep(Step):
    """A step of `newest_steps`, with its aggregate."""

    originator_id: UUID


def trail_of(app: CustomerSuccess, originator_id: UUID) -> list[Step]:
    """Every step of one aggregate, oldest first: `{position, recorded_at, version, actor,
    type, data}` (for audit trails such as GET /risks/{id}/trail). `type` is the event
    class's qualified name (e.g. "Customer.ProfileUpdated"); `data` its other fields,
    after upcasting."""
    return [_step(app, row) for row in chain_recorder(app).select_timed_by_originator(
        originator_id)]


def newest_steps(app: CustomerSuccess, originator_ids: Iterable[UUID], limit: int,
                 upto: int | None = None) -> list[ItemStep]:
    """The newest `limit` steps of these aggregates together (at or before position `upto`),
    newest first, each as in `trail_of` plus `originator_id`: a timeline in one query,
    decoding only what it shows."""
    rows = chain_recorder(app).select_timed_newest(list(dict.fromkeys(originator_ids)), limit,
                                                   upto)
    return [{**_step(app, row), "originator_id": _uuid(row.originator_id)} for row in rows]


def _uuid(value: UUID | str) -> UUID:
    return UUID(value) if isinstance(value, str) else value


def _step(app: CustomerSuccess, row: Any) -> Step:
    event = app.mapper.to_domain_event(
        StoredEvent(_as_uuid(row.originator_id), row.version, row.topic, bytes(row.state))
    )
    fields = dict(vars(event))
    for meta in ("originator_id", "originator_version", "timestamp"):
        fields.pop(meta, None)
    return {
        "position": row.position, "recorded_at": row.recorded_at, "version": row.version,
        "actor": fields.pop("actor", None), "type": type(event).__qualname__, "data": fields,
    }
