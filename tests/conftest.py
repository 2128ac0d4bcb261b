"""Shared fixtures. Every store-dependent test runs on SQLite and on PostgreSQL.

PostgreSQL runs when CS_LEDGER_TEST_POSTGRES_URL is set (CI sets it); each
test gets its own schema, so parallel runs and helpers never see each other.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from cs_domain.app import CustomerSuccess
from cs_store.factory import build_application
from cs_store.settings import Settings

PG_URL = os.environ.get("CS_LEDGER_TEST_POSTGRES_URL")


def _pg_connect() -> psycopg.Connection:
    url = make_url(str(PG_URL))
    return psycopg.connect(
        host=url.host or "127.0.0.1", port=url.port or 5432, user=url.username or "postgres",
        password=url.password or "", dbname=url.database or "postgres", autocommit=True,
    )


def make_settings(kind: str, tmp_path: Path) -> Settings:
    if kind == "sqlite":
        return Settings(data_dir=tmp_path / "data", database_url=None, admin_token=None)
    if not PG_URL:
        pytest.skip("PostgreSQL tests need CS_LEDGER_TEST_POSTGRES_URL (set by .ci/run)")
    schema = "t_" + uuid.uuid4().hex[:12]
    return Settings(data_dir=tmp_path / "data", database_url=PG_URL, database_schema=schema,
                    admin_token=None)


def drop_schema(settings: Settings) -> None:
    if settings.is_postgres and settings.database_schema != "public":
        with _pg_connect() as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{settings.database_schema}" CASCADE')


STORES = [pytest.param("sqlite"), pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=STORES)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    s = make_settings(request.param, tmp_path)
    yield s
    drop_schema(s)


@pytest.fixture
def app(settings: Settings) -> Iterator[CustomerSuccess]:
    application = build_application(settings)
    yield application
    application.close()


@pytest.fixture
def csm(app: CustomerSuccess) -> uuid.UUID:
    result, _token = app.create_user(actor="system", name="Chen Jing", role="csm")
    return result.id


@pytest.fixture
def manager(app: CustomerSuccess) -> uuid.UUID:
    result, _token = app.create_user(actor="system", name="Li Wei", role="manager")
    return result.id
