"""Fixtures for store tests: direct database access that bypasses the application,
the way an intruder with database credentials would change the log."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url

from cs_domain.app import CustomerSuccess
from cs_store.settings import Settings
from cs_store.wiring import sqlite_events_path


class RawLog:
    """SQL straight against the events and chain tables of one store."""

    def __init__(self, settings: Settings):
        self.settings = settings
        if settings.is_postgres:
            schema = settings.database_schema
            prefix = CustomerSuccess.name
            self.events = f'"{schema}"."{prefix}_events"'
            self.chain = f'"{schema}"."{prefix}_chain"'
            self.snapshots = f'"{schema}"."{prefix}_snapshots"'
            self.pos = "notification_id"
            self.mark = "%s"
        else:
            self.events, self.chain, self.pos, self.mark = "stored_events", "event_chain", "rowid", "?"
            self.snapshots = "stored_snapshots"

    def _sql(self, text: str) -> str:
        return (text.replace("{events}", self.events).replace("{chain}", self.chain)
                .replace("{snapshots}", self.snapshots).replace("{pos}", self.pos)
                .replace("?", self.mark))

    def execute(self, text: str, *params: Any) -> list[tuple[Any, ...]]:
        sql = self._sql(text)
        if self.settings.is_postgres:
            url = make_url(str(self.settings.database_url))
            with psycopg.connect(
                host=url.host, port=url.port or 5432, user=url.username or "postgres",
                password=url.password or "", dbname=url.database, autocommit=True,
            ) as conn:
                cursor = conn.execute(sql, params)  # type: ignore[arg-type]
                return cursor.fetchall() if cursor.description else []
        conn = sqlite3.connect(sqlite_events_path(self.settings))
        try:
            with conn:
                cursor = conn.execute(sql, params)
                return cursor.fetchall()
        finally:
            conn.close()

    # --- what an intruder might do ----------------------------------------------
    def state(self, position: int) -> bytes:
        return bytes(self.execute("SELECT state FROM {events} WHERE {pos} = ?", position)[0][0])

    def set_state(self, position: int, state: bytes) -> None:
        self.execute("UPDATE {events} SET state = ? WHERE {pos} = ?", state, position)

    def swap_states(self, first: int, second: int) -> None:
        a, b = self.state(first), self.state(second)
        self.set_state(first, b)
        self.set_state(second, a)

    def set_column(self, position: int, column: str, value: Any) -> None:
        self.execute(f"UPDATE {{events}} SET {column} = ? WHERE {{pos}} = ?", value, position)

    def delete_event(self, position: int) -> None:
        self.execute("DELETE FROM {events} WHERE {pos} = ?", position)

    def delete_link(self, position: int) -> None:
        self.execute("DELETE FROM {chain} WHERE position = ?", position)

    def recorded_at(self, position: int) -> str:
        return str(self.execute("SELECT recorded_at FROM {chain} WHERE position = ?", position)[0][0])

    def set_recorded_at(self, position: int, text: str) -> None:
        self.execute("UPDATE {chain} SET recorded_at = ? WHERE position = ?", text, position)

    def last_link(self) -> tuple[int, str]:
        row = self.execute("SELECT position, hash FROM {chain} ORDER BY position DESC LIMIT 1")[0]
        return int(row[0]), str(row[1])

    def positions(self) -> list[int]:
        return [int(r[0]) for r in self.execute("SELECT {pos} FROM {events} ORDER BY {pos}")]

    def link_positions(self) -> list[int]:
        return [int(r[0]) for r in self.execute("SELECT position FROM {chain} ORDER BY position")]


@pytest.fixture
def raw(settings: Settings, app: CustomerSuccess) -> Iterator[RawLog]:
    """Direct access to the log of `app` (which has created the tables)."""
    yield RawLog(settings)
