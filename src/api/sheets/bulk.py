"""Loading many aggregates in a few queries: an import looks up every key of its file.

One `select_events` per aggregate costs a transaction and a round trip each (tens of
thousands for a book of business); :func:`load_many` reads the events of up to
:data:`CHUNK` aggregates per query on either store and replays them with the same
:func:`~cs_domain.application.project_events` as a single load. Snapshots are a cache
of those same events, so replaying the events alone gives the same state.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from psycopg.sql import SQL, Identifier

from cs_domain.app import CustomerSuccess
from cs_domain.application import project_events

CHUNK = 500


def _sqlite_rows(recorder: Any, ids: list[UUID]) -> list[tuple[Any, ...]]:
    marks = ",".join("?" * len(ids))
    sql = (f"SELECT originator_id, originator_version, topic, state FROM "
           f"{recorder.events_table_name} WHERE originator_id IN ({marks}) "
           "ORDER BY originator_id, originator_version")
    with recorder.datastore.transaction(commit=False) as c:
        c.execute(sql, [i.hex for i in ids])
        return [(r[0], r[1], r[2], r[3]) for r in c.fetchall()]


def _postgres_rows(recorder: Any, ids: list[UUID]) -> list[tuple[Any, ...]]:
    sql = SQL("SELECT originator_id, originator_version, topic, state FROM {schema}.{events} "
              "WHERE originator_id = ANY(%s) ORDER BY originator_id, originator_version").format(
        schema=Identifier(recorder.datastore.schema),
        events=Identifier(recorder.events_table_name))
    with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
        curs.execute(sql, (ids,))
        return [(r["originator_id"], r["originator_version"], r["topic"], bytes(r["state"]))
                for r in curs.fetchall()]


def load_many(app: CustomerSuccess, ids: Iterable[UUID]) -> dict[UUID, Any]:
    """Every aggregate of `ids` that exists, by id (missing ids are absent)."""
    wanted = list(dict.fromkeys(ids))
    recorder: Any = app.recorder
    select = _postgres_rows if hasattr(recorder.datastore, "schema") else _sqlite_rows
    found: dict[UUID, Any] = {}
    for start in range(0, len(wanted), CHUNK):
        events: dict[UUID, list[Any]] = {}
        for originator_id, version, topic, state in select(recorder, wanted[start:start + CHUNK]):
            key = originator_id if isinstance(originator_id, UUID) else UUID(originator_id)
            stored = StoredEvent(originator_id=key, originator_version=version, topic=topic,
                                 state=state)
            events.setdefault(key, []).append(app.mapper.to_domain_event(stored))
        for key, domain_events in events.items():
            found[key] = project_events(None, domain_events)
    return found
