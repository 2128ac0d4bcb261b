"""Shared fixtures. Every store-dependent test runs on SQLite and on PostgreSQL.

PostgreSQL runs when CS_LEDGER_TEST_POSTGRES_URL is set (CI sets it); each
test gets its own schema, so parallel runs and helpers never see each other.
Locally, without the URL, PostgreSQL tests skip. When the URL is set, or `CI` is,
PostgreSQL is required: an unreachable server stops the run at once, a missing URL
fails each PostgreSQL test, and a run where no PostgreSQL test passed fails.
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
from cs_runtime.bootstrap import open_application
from cs_store.settings import Settings
from tests import pg_clones, profiles, route_cache

assert profiles.PROFILE  # hypothesis profile: ci (thorough) or dev (quick); tests/profiles.py
route_cache.install()  # one build of each API route per test process (tests/route_cache.py)

PG_URL = os.environ.get("CS_LEDGER_TEST_POSTGRES_URL")
PG_REQUIRED = bool(PG_URL) or bool(os.environ.get("CI"))


def _pg_connect(**options: object) -> psycopg.Connection:
    url = make_url(str(PG_URL))
    return psycopg.connect(
        host=url.host or "127.0.0.1", port=url.port or 5432, user=url.username or "postgres",
        password=url.password or "", dbname=url.database or "postgres", autocommit=True,
        **options,  # type: ignore[arg-type]
    )


def postgres_url() -> str:
    """The test server's URL. Without one: skip locally, fail in CI."""
    if PG_URL:
        return PG_URL
    if PG_REQUIRED:
        pytest.fail("CI is set but CS_LEDGER_TEST_POSTGRES_URL is not: PostgreSQL tests must run "
                    "in CI (.ci/run sets it)", pytrace=False)
    pytest.skip("PostgreSQL tests need CS_LEDGER_TEST_POSTGRES_URL (set by .ci/run)")


def make_settings(kind: str, tmp_path: Path, *, prepared: bool = False) -> Settings:
    """Settings of a new, empty store. On PostgreSQL: a schema nobody created yet; with
    `prepared`, a database of its own cloned from this process's template (tests/pg_clones.py:
    the store as the app leaves it on first start, made once instead of per test)."""
    if kind == "sqlite":
        return Settings(data_dir=tmp_path / "data", database_url=None, admin_token=None,
                        default_playbooks=False)
    url = postgres_url()
    if prepared:
        return pg_clones.clone(tmp_path / "data", url)
    schema = "t_" + uuid.uuid4().hex[:12]
    return Settings(data_dir=tmp_path / "data", database_url=url, database_schema=schema,
                    admin_token=None, default_playbooks=False)


def drop_schema(settings: Settings) -> None:
    """Drops a test's store: a clone database as a whole (in the background), another schema
    (beside a clone's, or in the test database) alone."""
    if pg_clones.is_clone(settings) and settings.database_schema == pg_clones.SCHEMA:
        pg_clones.drop(settings)
    elif pg_clones.is_clone(settings):
        pg_clones.drop_schema_in_clone(settings)
    elif settings.is_postgres and settings.database_schema != "public":
        with _pg_connect() as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{settings.database_schema}" CASCADE')


def pytest_sessionstart(session: pytest.Session) -> None:
    # Fail fast: otherwise every PostgreSQL test would wait out a 30 s pool timeout.
    if not PG_URL:
        return
    try:
        with _pg_connect(connect_timeout=5):
            pass
    except psycopg.Error as error:
        pytest.exit(f"PostgreSQL at CS_LEDGER_TEST_POSTGRES_URL is unreachable: {error}",
                    returncode=pytest.ExitCode.INTERNAL_ERROR)


_postgres_passed: list[str] = []
_postgres_seen: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "postgres" not in report.keywords:
        return
    if report.when == "setup":
        _postgres_seen.append(report.nodeid)
    if report.when == "call" and report.passed:
        _postgres_passed.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    pg_clones.drop_template()
    # In CI a run whose PostgreSQL tests all skipped must not pass.
    if PG_REQUIRED and exitstatus == pytest.ExitCode.OK and _postgres_seen and not _postgres_passed:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                f"FAILED: PostgreSQL is required here but none of the {len(_postgres_seen)} "
                "PostgreSQL tests passed", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


STORES = [pytest.param("sqlite"), pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=STORES)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    s = make_settings(request.param, tmp_path, prepared=True)
    yield s
    drop_schema(s)


@pytest.fixture
def app(settings: Settings) -> Iterator[CustomerSuccess]:
    with open_application(settings) as application:  # built as every process builds it
        yield application


@pytest.fixture
def csm(app: CustomerSuccess) -> uuid.UUID:
    result, _token = app.create_user(actor="system", name="Chen Jing", role="csm")
    return result.id


@pytest.fixture
def manager(app: CustomerSuccess) -> uuid.UUID:
    result, _token = app.create_user(actor="system", name="Li Wei", role="manager")
    return result.id
