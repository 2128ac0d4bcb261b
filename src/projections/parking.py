"""Parked events: an event a consumer's handler cannot handle is set aside, not a stop.

A consumer is a view (its name) or the playbook process manager (`process:playbooks`).
When its handler raises for one event — deterministically: a store error that may pass
(`projections.runner.TRANSIENT`) is re-raised and retried from the same position
instead — the event is *parked*: a row in `rm_parked` (beside the read models) records
the consumer, the view generation (0 for a process), the position, the event's id,
version and topic, the error, when and how many attempts; the consumer's position moves
past it in the same transaction, and the rest of the log goes on.

Parking is idempotent per (consumer, generation, position): handling the same event
again (a restart before the position moved) only counts one more attempt. A rebuild's
new generation parks its own rows; when it is swapped in, `adopt` keeps the ids and
attempts of the positions that are still parked and forgets those the rebuild handled.
See docs/operations.md, "Parked events".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    delete,
    func,
    or_,
    select,
    update,
)

from projections.db import ReadModels
from projections.state import now_text, views_table

metadata = MetaData()
parked_table = Table(
    "rm_parked", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("consumer", String(80), nullable=False),
    Column("generation", Integer, nullable=False),  # the view generation; 0 for a process
    Column("position", BigInteger, nullable=False),
    Column("event_id", String(64), nullable=True),  # None when the event cannot be decoded
    Column("event_version", Integer, nullable=True),
    Column("topic", String(255), nullable=False),
    Column("error", Text, nullable=False),
    Column("parked_at", String(32), nullable=False),
    Column("attempts", Integer, nullable=False),
    UniqueConstraint("consumer", "generation", "position", name="rm_parked_place"),
)
PROCESS_GENERATION = 0
MAX_ERROR = 4000


@dataclass(frozen=True)
class Parked:
    id: int
    consumer: str
    generation: int
    position: int
    event_id: str | None
    event_version: int | None
    topic: str
    error: str
    parked_at: str
    attempts: int

    def public(self) -> dict[str, Any]:
        """The shape of `GET /ops/status`'s `parked` items."""
        return {"id": self.id, "consumer": self.consumer, "position": self.position,
                "topic": self.topic, "event_id": self.event_id,
                "event_version": self.event_version, "error": self.error,
                "parked_at": self.parked_at, "attempts": self.attempts}


def ensure(models: ReadModels) -> None:
    with models.write() as conn:
        create_table(conn)


def create_table(conn: Connection) -> None:
    metadata.create_all(conn, checkfirst=True)


def park(conn: Connection, consumer: str, generation: int, position: int, *,
         event_id: str | None, event_version: int | None, topic: str, error: str) -> int:
    """Records (or counts one more attempt at) a parked event; returns its id."""
    t = parked_table
    place = and_(t.c.consumer == consumer, t.c.generation == generation,
                 t.c.position == position)
    found = conn.execute(select(t.c.id).where(place)).scalar()
    if found is not None:
        conn.execute(update(t).where(t.c.id == found).values(
            attempts=t.c.attempts + 1, error=error[:MAX_ERROR], parked_at=now_text()))
        return int(found)
    conn.execute(t.insert().values(
        consumer=consumer, generation=generation, position=position, event_id=event_id,
        event_version=event_version, topic=topic[:255], error=error[:MAX_ERROR],
        parked_at=now_text(), attempts=1))
    return int(conn.execute(select(t.c.id).where(place)).scalar_one())


def _live(conn: Connection) -> Any:
    """Rows of live view generations and of processes (a rebuild's aside rows are not
    parked for anyone yet)."""
    t, v = parked_table, views_table
    live_gen = select(v.c.generation).where(v.c.view == t.c.consumer).scalar_subquery()
    return or_(t.c.generation == PROCESS_GENERATION, t.c.generation == live_gen)


def parked(conn: Connection, consumer: str | None = None) -> list[Parked]:
    t = parked_table
    stmt = select(t).where(_live(conn)).order_by(t.c.position, t.c.consumer)
    if consumer is not None:
        stmt = stmt.where(t.c.consumer == consumer)
    return [Parked(**dict(r._mapping)) for r in conn.execute(stmt)]


def get(conn: Connection, parked_id: int) -> Parked | None:
    t = parked_table
    row = conn.execute(select(t).where(t.c.id == parked_id, _live(conn))).first()
    return Parked(**dict(row._mapping)) if row is not None else None


def remove(conn: Connection, parked_id: int) -> None:
    conn.execute(delete(parked_table).where(parked_table.c.id == parked_id))


def count_attempt(conn: Connection, parked_id: int, error: str) -> None:
    t = parked_table
    conn.execute(update(t).where(t.c.id == parked_id).values(
        attempts=t.c.attempts + 1, error=error[:MAX_ERROR], parked_at=now_text()))


def drop_generation(conn: Connection, consumer: str, generation: int) -> None:
    t = parked_table
    conn.execute(delete(t).where(t.c.consumer == consumer, t.c.generation == generation))


def adopt(conn: Connection, view: str, old: int, new: int) -> None:
    """At a swap: the new generation's rows take over the ids and attempts (+1, the
    rebuild tried again) of the old one's at the same positions; the old ones go."""
    t = parked_table
    before = {r.position: r for r in conn.execute(
        select(t).where(t.c.consumer == view, t.c.generation == old))}
    for row in conn.execute(select(t).where(t.c.consumer == view, t.c.generation == new)).all():
        prior = before.pop(row.position, None)
        if prior is None:
            continue
        conn.execute(delete(t).where(t.c.id == row.id))
        conn.execute(update(t).where(t.c.id == prior.id).values(
            generation=new, attempts=prior.attempts + 1, error=row.error,
            parked_at=row.parked_at))
    drop_generation(conn, view, old)


def parked_count(models: ReadModels) -> int:
    """How many events are parked for the live consumers (0 = nothing parked): for
    readiness checks (`/readyz`) and metrics. 0 when the table does not exist yet."""
    with models.read() as conn:
        if not models.engine.dialect.has_table(conn, parked_table.name):
            return 0
        return int(conn.execute(select(func.count()).select_from(parked_table)
                                .where(_live(conn))).scalar() or 0)

