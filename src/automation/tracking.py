"""Where a process manager stands in the log: `rm_process_tracking` in the read-model database.

Like a view's tracking row (position, status ok | failed, the error and the position of the
event that caused it), but moved by the process manager after its commands are written,
not in the same transaction: the commands are idempotent, so a crash between the two only
means the events after the stored position are handled again (at-least-once). The
position moves forward only (compare-and-set), so two processes never move it back.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import BigInteger, Column, MetaData, String, Table, Text, exc, select, update

from projections import parking
from projections.db import ReadModels
from projections.state import FAILED, OK, now_text

metadata = MetaData()
process_tracking = Table(
    "rm_process_tracking", metadata,
    Column("process", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),
    Column("error", Text, nullable=True),
    Column("error_position", BigInteger, nullable=True),
    Column("updated_at", String(32), nullable=False),
)


@dataclass(frozen=True)
class ProcessState:
    process: str
    position: int
    status: str
    error: str | None = None
    error_position: int | None = None

    @property
    def failed(self) -> bool:
        return self.status == FAILED


def ensure(models: ReadModels, process: str, attempts: int = 5) -> None:
    """Creates the tracking tables and this process's row; safe from several processes at
    once (a losing concurrent CREATE or INSERT is retried and then finds the winner's)."""
    t = process_tracking
    for attempt in range(attempts):
        try:
            with models.write() as conn:
                metadata.create_all(conn, checkfirst=True)
                parking.create_table(conn)
                if conn.execute(select(t.c.process).where(t.c.process == process)).first() \
                        is None:
                    conn.execute(t.insert().values(process=process, position=0, status=OK,
                                                   updated_at=now_text()))
            return
        except (exc.IntegrityError, exc.ProgrammingError, exc.OperationalError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def read(models: ReadModels, process: str) -> ProcessState:
    t = process_tracking
    with models.read() as conn:
        row = conn.execute(select(t).where(t.c.process == process)).first()
    if row is None:
        return ProcessState(process, 0, OK)
    return ProcessState(row.process, row.position, row.status, row.error, row.error_position)


def advance(models: ReadModels, process: str, seen: int, position: int) -> bool:
    """Moves the position from `seen` to `position`; False if another process moved it."""
    t = process_tracking
    with models.write() as conn:
        moved = conn.execute(update(t).where(t.c.process == process, t.c.position == seen).values(
            position=position, status=OK, error=None, error_position=None,
            updated_at=now_text())).rowcount
    return bool(moved)


def fail(models: ReadModels, process: str, position: int, error: str,
         error_position: int) -> None:
    t = process_tracking
    with models.write() as conn:
        # Never back: another process may have got past the event since.
        conn.execute(update(t).where(t.c.process == process, t.c.position <= position).values(
            position=position, status=FAILED, error=error[:4000], error_position=error_position,
            updated_at=now_text()))


def rewind(models: ReadModels, process: str, position: int = 0) -> None:
    """Sets the position back (to replay from it, e.g. after a rebuild) and clears a failure."""
    ensure(models, process)
    t = process_tracking
    with models.write() as conn:
        conn.execute(update(t).where(t.c.process == process).values(
            position=position, status=OK, error=None, error_position=None,
            updated_at=now_text()))
