"""Checking snapshots against the (hash-chained) events they summarise.

Snapshots are a cache beside the log and are not in the chain, yet commands load
aggregates through them: an altered snapshot would let a command act on a state
the events never produced. `verify_snapshots` rebuilds each snapshotted version
from the events alone and compares. A bad snapshot can simply be deleted: the
aggregate then replays from its verified events.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder
from eventsourcing.sqlite import SQLiteAggregateRecorder
from psycopg.sql import SQL, Identifier

MAX_REPORTED = 100


@dataclass(frozen=True)
class BadSnapshot:
    originator_id: UUID | str
    version: int
    reason: str


@dataclass(frozen=True)
class SnapshotCheck:
    ok: bool
    snapshots_checked: int
    # The first MAX_REPORTED bad snapshots (all of them are counted in `bad_count`).
    bad: list[BadSnapshot] = field(default_factory=list)
    bad_count: int = 0


def _stored_snapshots(app: Application[Any], batch: int) -> Iterator[StoredEvent]:
    """Every stored snapshot, in key order, `batch` rows per query."""
    if app.snapshots is None:
        return
    recorder = app.snapshots.recorder
    after: tuple[Any, int] = ("", -1)
    while True:
        if isinstance(recorder, SQLiteAggregateRecorder):
            with recorder.datastore.transaction(commit=False) as c:
                c.execute(
                    f"SELECT originator_id, originator_version, topic, state "
                    f"FROM {recorder.events_table_name} "
                    "WHERE (originator_id, originator_version) > (?, ?) "
                    "ORDER BY originator_id, originator_version LIMIT ?",
                    (after[0], after[1], batch),
                )
                rows = [(r[0], r[1], r[2], bytes(r[3])) for r in c.fetchall()]
            ids = [recorder.convert_originator_id(r[0]) for r in rows]
        elif isinstance(recorder, PostgresAggregateRecorder):
            start = after[0] or "00000000-0000-0000-0000-000000000000"
            with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
                curs.execute(
                    SQL("SELECT originator_id, originator_version, topic, state FROM {}.{} "
                        "WHERE (originator_id, originator_version) > (%s, %s) "
                        "ORDER BY originator_id, originator_version LIMIT %s").format(
                        Identifier(recorder.datastore.schema),
                        Identifier(recorder.events_table_name)),
                    (start, after[1], batch),
                )
                rows = [(r["originator_id"], r["originator_version"], r["topic"], bytes(r["state"]))
                        for r in curs.fetchall()]
            ids = [r[0] for r in rows]
        else:
            raise TypeError(f"cannot list snapshots of {type(recorder).__name__}")
        if not rows:
            return
        for row, originator_id in zip(rows, ids, strict=True):
            yield StoredEvent(originator_id, row[1], row[2], row[3])
        after = (rows[-1][0], rows[-1][1])


def _problem(app: Application[Any], stored: StoredEvent) -> str | None:
    """Why this snapshot does not match its events, or None."""
    try:
        snapshot: Any = app.mapper.to_domain_event(stored)
    except Exception as error:
        return f"cannot be decoded: {error}"
    aggregate = None
    for event in app.events.get(stored.originator_id, lte=stored.originator_version):
        aggregate = event.mutate(aggregate)  # type: ignore[attr-defined]
    if aggregate is None or aggregate.version != stored.originator_version:
        return "its events do not reach that version"
    expected: Any = app.mapper.to_domain_event(app.mapper.to_stored_event(Snapshot.take(aggregate)))
    if snapshot.topic != expected.topic:
        return "names another aggregate class"
    if snapshot.state != expected.state:
        return "state differs from the state its events give"
    return None


def rejected_snapshots(app: Application[Any]) -> int:
    """How many loads of this process found a snapshot not matching its seal (and ignored
    it: see cs_domain.sealed); shown by `GET /ops/status`."""
    return int(getattr(app, "snapshots_rejected", 0))


def verify_snapshots(app: Application[Any], *, batch: int = 500) -> SnapshotCheck:
    """Rebuilds every snapshotted version from events and compares (reads only)."""
    checked, bad_count = 0, 0
    bad: list[BadSnapshot] = []
    for stored in _stored_snapshots(app, batch):
        checked += 1
        reason = _problem(app, stored)
        if reason is not None:
            bad_count += 1
            if len(bad) < MAX_REPORTED:
                bad.append(BadSnapshot(stored.originator_id, stored.originator_version, reason))
    return SnapshotCheck(bad_count == 0, checked, bad, bad_count)
