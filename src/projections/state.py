"""Positions, statuses and generations of the views (the engine's own tables).

`rm_views` points each view at its live generation (blue/green: a rebuild fills a new
generation, then one UPDATE per view, in one transaction, swaps it in).
`rm_tracking` has one row per view generation: the last log position applied, the
status (ok | failed | building) and, for a failure, the error and the event position
that caused it. A projector writes its rows and this row in the same transaction, so
a position is applied exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    select,
    update,
)
from sqlalchemy.schema import CreateTable

metadata = MetaData()

views_table = Table(
    "rm_views", metadata,
    Column("view", String(64), primary_key=True),
    Column("generation", Integer, nullable=False),
)

tracking_table = Table(
    "rm_tracking", metadata,
    Column("view", String(64), primary_key=True),
    Column("generation", Integer, primary_key=True, autoincrement=False),
    Column("position", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),
    Column("error", Text, nullable=True),
    Column("error_position", BigInteger, nullable=True),
    Column("updated_at", String(32), nullable=False),
)

OK, FAILED, BUILDING = "ok", "failed", "building"


@dataclass(frozen=True)
class ViewState:
    view: str
    generation: int
    position: int
    status: str
    error: str | None = None
    error_position: int | None = None
    updated_at: str | None = None


def now_text() -> str:
    # Bookkeeping only (when a row last moved); never part of a view's data.
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def create_engine_tables(conn: Connection) -> None:
    metadata.create_all(conn, checkfirst=True)


def create_ddl(table: Table) -> CreateTable:
    return CreateTable(table, if_not_exists=True)


def live_states(conn: Connection, views: list[str] | None = None) -> dict[str, ViewState]:
    """The live generation's tracking row of each view (all views when None)."""
    v, t = views_table, tracking_table
    stmt = select(t).join(v, (v.c.view == t.c.view) & (v.c.generation == t.c.generation))
    if views is not None:
        stmt = stmt.where(v.c.view.in_(views))
    return {r.view: _state(r) for r in conn.execute(stmt)}


def generation_state(conn: Connection, view: str, generation: int) -> ViewState | None:
    t = tracking_table
    row = conn.execute(
        select(t).where(t.c.view == view, t.c.generation == generation)
    ).first()
    return _state(row) if row else None


def all_generations(conn: Connection, view: str) -> list[ViewState]:
    t = tracking_table
    return [_state(r) for r in conn.execute(select(t).where(t.c.view == view))]


def lock_pointer(conn: Connection, view: str) -> int | None:
    """The live generation, locked until commit (SQLite: the write lock is already held)."""
    v = views_table
    return conn.execute(
        select(v.c.generation).where(v.c.view == view).with_for_update()
    ).scalar()


def set_pointer(conn: Connection, view: str, generation: int) -> None:
    v = views_table
    if conn.execute(update(v).where(v.c.view == view).values(generation=generation)).rowcount == 0:
        conn.execute(v.insert().values(view=view, generation=generation))


def insert_tracking(conn: Connection, view: str, generation: int, status: str) -> None:
    conn.execute(tracking_table.insert().values(
        view=view, generation=generation, position=0, status=status, updated_at=now_text()))


def advance(conn: Connection, view: str, generation: int, position: int,
            status: str = OK) -> None:
    t = tracking_table
    conn.execute(update(t).where(t.c.view == view, t.c.generation == generation).values(
        position=position, status=status, error=None, error_position=None, updated_at=now_text()))


def mark_failed(conn: Connection, view: str, generation: int, position: int,
                error: str, error_position: int) -> None:
    t = tracking_table
    conn.execute(update(t).where(t.c.view == view, t.c.generation == generation).values(
        position=position, status=FAILED, error=error[:4000], error_position=error_position,
        updated_at=now_text()))


def delete_tracking(conn: Connection, view: str, generation: int) -> None:
    t = tracking_table
    conn.execute(t.delete().where(t.c.view == view, t.c.generation == generation))


def _state(r: object) -> ViewState:
    m = r._mapping  # type: ignore[attr-defined]
    return ViewState(m["view"], m["generation"], m["position"], m["status"], m["error"],
                     m["error_position"], m["updated_at"])
