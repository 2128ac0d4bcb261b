"""The read-model database: engine, connection settings and transaction kinds.

SQLite: its own file (views.db) in WAL mode with a busy timeout; we issue BEGIN
ourselves so a read sees one snapshot and a projector takes the write lock up
front (BEGIN IMMEDIATE), which avoids lock-upgrade failures between writers.
PostgreSQL: the event store's database with `search_path` set to the configured
schema, so each schema (each test) has its own read models; reads run in
REPEATABLE READ so rows and the position they reflect come from one snapshot.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event

from cs_store.settings import Settings
from cs_store.wiring import ensure_postgres_schema, views_url

_SCHEMA_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
# Execution option naming a transaction that will write (BEGIN IMMEDIATE on SQLite).
WRITE = "cs_write"


class ReadModels:
    """The engine of the read-model database and the two kinds of transaction."""

    def __init__(self, url: str, *, schema: str | None = None, sqlite_cache_mb: int = 64):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.schema = schema
        if self.is_sqlite:
            self.engine = create_engine(url, connect_args={"timeout": 30})
            _configure_sqlite(self.engine, sqlite_cache_mb)
        else:
            connect_args: dict[str, Any] = {}
            if schema:
                if not _SCHEMA_RE.match(schema):
                    raise ValueError(f"invalid schema name {schema!r}")
                connect_args["options"] = f"-csearch_path={schema}"
            self.engine = create_engine(url, connect_args=connect_args, pool_pre_ping=True,
                                        pool_size=5, max_overflow=10)

    @classmethod
    def from_settings(cls, settings: Settings) -> ReadModels:
        if settings.is_postgres:
            ensure_postgres_schema(settings)
            return cls(views_url(settings), schema=settings.database_schema)
        return cls(views_url(settings))

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction over one consistent snapshot."""
        with self.engine.connect() as conn:
            if not self.is_sqlite:
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A read-write transaction; commits on success, rolls back on error."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(**{WRITE: True})
            with conn.begin():
                yield conn

    def dispose(self) -> None:
        self.engine.dispose()


def _configure_sqlite(engine: Engine, cache_mb: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let us emit BEGIN ourselves (pysqlite's implicit transactions start too late).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        # WAL + NORMAL survives a killed process; only an OS crash may lose the last commits,
        # and then rows and positions are lost together, so exactly-once still holds.
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA cache_size=-{int(cache_mb) * 1024}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        writes = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
