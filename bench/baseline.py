"""The bare-library baselines: what `eventsourcing` itself does on the same store.

- Append: a plain `Application` with a trivial aggregate and the library's own recorder
  (no hash chain, no domain rules, no loads), one save per command, each event carrying a
  payload as large as the event our command wrote. It writes into its own copy of the
  log (a second SQLite file / a second PostgreSQL schema, filled with every event of
  ours first), so its table and indexes are as large as ours (inserting into a 1M-row
  index costs more than into an empty one) while our log stays ours alone: its events
  are not hash-chained, and in our table they would break `audit verify` and hold the
  views back from the head (no chain row = no position for the projectors).
- Read + decode: a bare scan of the whole log, `select_notifications` pages and
  `mapper.to_domain_event` on every event (what any projection must at least pay).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from psycopg import sql

from bench.config import Store, _pg_connect
from cs_domain.app import CustomerSuccess
from cs_store.settings import Settings
from cs_store.wiring import event_store_env, sqlite_events_path

SCAN_PAGE = 5000


class Note(Aggregate):
    """A trivial aggregate: one event holding an opaque payload."""

    @event("Written")
    def __init__(self, actor: str, payload: str):
        self.actor = actor
        self.payload = payload


class BareApplication(Application[UUID]):
    """No domain logic: saves what it is given (to the project application's table)."""

    name = CustomerSuccess.name

    def construct_env(self, name: str, env: Any = None) -> Any:
        # Only the explicit env (never os.environ), as the project's application does.
        from eventsourcing.utils import Environment

        return Environment(name, dict(env or {}))


COLUMNS = "originator_id, originator_version, topic, state"


def bare_settings(settings: Settings) -> Settings:
    """The baseline's own store beside ours: `bare/` in the data dir (SQLite) or the
    schema `<ours>_bare` (PostgreSQL)."""
    if settings.is_postgres:
        return settings.model_copy(update={"database_schema": settings.database_schema + "_bare"})
    return settings.model_copy(update={"data_dir": settings.data_dir / "bare"})


def bare_env(settings: Settings) -> dict[str, str]:
    """The environment of the bare application on `settings` (see `bare_settings`):
    the library's own recorder, no snapshots."""
    env = event_store_env(settings)
    env.pop("APPLICATION_RECORDER_TOPIC", None)
    return env


def open_bare(ours: CustomerSuccess, store: Store) -> BareApplication:
    """The bare application on its own store, holding a copy of every event of ours."""
    settings = bare_settings(store.settings)
    drop_bare(store)
    bare = BareApplication(env=bare_env(settings))
    source = ours.recorder.events_table_name  # type: ignore[attr-defined]
    target = bare.recorder.events_table_name  # type: ignore[attr-defined]
    if settings.is_postgres:
        with _pg_connect(str(settings.database_url)) as conn:
            conn.execute(sql.SQL(
                "INSERT INTO {}.{} (" + COLUMNS + ") SELECT " + COLUMNS + " FROM {}.{} "
                "ORDER BY notification_id").format(
                sql.Identifier(settings.database_schema), sql.Identifier(target),
                sql.Identifier(store.settings.database_schema), sql.Identifier(source)))
            conn.execute(sql.SQL("ANALYZE {}.{}").format(
                sql.Identifier(settings.database_schema), sql.Identifier(target)))
    else:
        db = sqlite3.connect(sqlite_events_path(settings))
        try:
            with db:
                db.execute("ATTACH DATABASE ? AS ours", (str(sqlite_events_path(store.settings)),))
                db.execute(f"INSERT INTO main.{target} ({COLUMNS}) "
                           f"SELECT {COLUMNS} FROM ours.{source} ORDER BY rowid")
        finally:
            db.close()
    return bare


def drop_bare(store: Store) -> None:
    """Removes the baseline's store (it is rebuilt from ours at every run)."""
    settings = bare_settings(store.settings)
    if settings.is_postgres:
        with _pg_connect(str(settings.database_url)) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                sql.Identifier(settings.database_schema)))
        return
    for path in Path(settings.data_dir).glob("events.db*"):
        path.unlink()


def bare_saver(app: BareApplication) -> Callable[[int], int]:
    """A function saving one new Note whose stored state is about `size` bytes; its position."""
    empty = Note(actor="bench", payload="")
    overhead = len(app.mapper.to_stored_event(empty.collect_events()[0]).state)

    def save(size: int) -> int:
        note = Note(actor="bench", payload="x" * max(0, size - overhead))
        recordings = app.save(note)
        return recordings[-1].notification.id

    return save


def scan_and_decode(app: CustomerSuccess, progress: Callable[[int, int], None] | None = None
                    ) -> tuple[int, float]:
    """Reads and decodes every event of the log; (events, seconds)."""
    recorder = app.recorder
    mapper = app.mapper
    head = app.max_position()
    started = time.perf_counter()
    after, count = 0, 0
    while True:
        page = recorder.select_notifications(after, SCAN_PAGE, inclusive_of_start=False)
        if not page:
            break
        for notification in page:
            mapper.to_domain_event(notification)
        count += len(page)
        after = page[-1].id
        if progress is not None:
            progress(after, head)
    return count, time.perf_counter() - started
