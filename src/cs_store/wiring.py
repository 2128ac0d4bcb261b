"""Turns Settings into the eventsourcing environment and the read-model URL.

One setting (`CS_LEDGER_DATABASE_URL`) switches both the event store and the
read models from embedded SQLite files to PostgreSQL.
"""

from __future__ import annotations

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from cs_store.settings import Settings

SQLITE_RECORDER = "cs_store.recorders:ChainedSQLiteApplicationRecorder"
POSTGRES_RECORDER = "cs_store.recorders:ChainedPostgresApplicationRecorder"


def ensure_postgres_schema(settings: Settings) -> None:
    url = make_url(str(settings.database_url))
    with psycopg.connect(
        host=url.host or "127.0.0.1", port=url.port or 5432, user=url.username or "postgres",
        password=url.password or "", dbname=url.database or "postgres", autocommit=True,
    ) as conn:
        conn.execute(
            sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(settings.database_schema))
        )


def event_store_env(settings: Settings) -> dict[str, str]:
    """The environment for the eventsourcing Application (never os.environ)."""
    if settings.is_postgres:
        url = make_url(str(settings.database_url))
        ensure_postgres_schema(settings)
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
        }
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(settings.data_dir / "events.db"),
        "SQLITE_LOCK_TIMEOUT": "30",
        "APPLICATION_RECORDER_TOPIC": SQLITE_RECORDER,
    }


def views_url(settings: Settings) -> str:
    """SQLAlchemy URL of the read-model database."""
    if settings.is_postgres:
        return str(settings.database_url)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{settings.data_dir / 'views.db'}"
