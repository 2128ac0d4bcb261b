"""Turns Settings into the eventsourcing environment and the read-model URL.

One setting (`CS_LEDGER_DATABASE_URL`) switches both the event store and the
read models from embedded SQLite files to PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from cs_store.settings import Settings

SQLITE_RECORDER = "cs_store.recorders:ChainedSQLiteApplicationRecorder"
POSTGRES_RECORDER = "cs_store.recorders:ChainedPostgresApplicationRecorder"


class StoreUnavailable(Exception):
    """The configured event store does not exist or cannot be reached."""


def _pg_connect(settings: Settings, **options: object) -> psycopg.Connection:
    url = make_url(str(settings.database_url))
    return psycopg.connect(
        host=url.host or "127.0.0.1", port=url.port or 5432, user=url.username or "postgres",
        password=url.password or "", dbname=url.database or "postgres", autocommit=True,
        **options,  # type: ignore[arg-type]
    )


@contextmanager
def postgres_setup_lock(settings: Settings) -> Iterator[None]:
    """Serialises creating the schema and tables across processes.

    Several processes starting at once (server workers, CLI, projectors) would otherwise
    run the library's CREATE ... IF NOT EXISTS / CREATE OR REPLACE FUNCTION statements
    concurrently, which PostgreSQL can refuse ("tuple concurrently updated").
    """
    with _pg_connect(settings) as conn:
        key = f"cs-ledger setup {settings.database_schema}"
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (key,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))


def ensure_postgres_schema(settings: Settings) -> None:
    with _pg_connect(settings) as conn:
        conn.execute(
            sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(settings.database_schema))
        )


def probe_postgres(settings: Settings, timeout: int = 5) -> None:
    """Fails fast and clearly (instead of the pool's 30 s wait) when PostgreSQL or the
    schema is not there."""
    url = make_url(str(settings.database_url))
    where = f"{url.host or '127.0.0.1'}:{url.port or 5432}/{url.database or 'postgres'}"
    try:
        with _pg_connect(settings, connect_timeout=timeout) as conn:
            found = conn.execute(
                "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s",
                (settings.database_schema,),
            ).fetchone()
    except psycopg.Error as error:
        raise StoreUnavailable(f"cannot connect to PostgreSQL at {where}: {error}") from None
    if not found:
        raise StoreUnavailable(
            f"no schema {settings.database_schema!r} in {where} (check CS_LEDGER_DATABASE_SCHEMA)"
        )


def sqlite_events_path(settings: Settings) -> Path:
    return settings.data_dir / "events.db"


def event_store_env(settings: Settings, *, create: bool = True) -> dict[str, str]:
    """The environment for the eventsourcing Application (never os.environ).

    With `create=False` (read-only tools such as `audit verify`) nothing is created:
    no data directory, schema or table; a missing SQLite file raises StoreUnavailable.
    """
    if settings.is_postgres:
        url = make_url(str(settings.database_url))
        if create:
            ensure_postgres_schema(settings)
        else:
            probe_postgres(settings)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": url.database or "postgres",
            "POSTGRES_HOST": url.host or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": url.username or "postgres",
            "POSTGRES_PASSWORD": url.password or "",
            "POSTGRES_SCHEMA": settings.database_schema,
            "POSTGRES_POOL_SIZE": "5",
            "POSTGRES_MAX_OVERFLOW": "10",
            "POSTGRES_LOCK_TIMEOUT": "10",
            "POSTGRES_PRE_PING": "y",
            "APPLICATION_RECORDER_TOPIC": POSTGRES_RECORDER,
            "CREATE_TABLE": "y" if create else "n",
        }
    path = sqlite_events_path(settings)
    if create:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    elif not path.is_file():
        raise StoreUnavailable(f"no event store at {path} (check CS_LEDGER_DATA_DIR)")
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "30",
        "APPLICATION_RECORDER_TOPIC": SQLITE_RECORDER,
        "CREATE_TABLE": "y" if create else "n",
    }


def views_url(settings: Settings) -> str:
    """SQLAlchemy URL of the read-model database."""
    if settings.is_postgres:
        return str(settings.database_url)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{settings.data_dir / 'views.db'}"
