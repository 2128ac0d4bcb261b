"""Per-test PostgreSQL stores cloned from a template database (a test-only speed-up).

A new store on PostgreSQL costs its first start: the event store's tables and functions and
the read models' ~130 tables and indexes (1-2 s of catalog writes per test). Instead, each
test process builds one template database once — a store opened by the application and its
read models prepared, as the app leaves it on first start, with no event — and every test
that asks for a prepared store (`make_settings(..., prepared=True)`, the `settings` fixture)
gets `CREATE DATABASE ... TEMPLATE` of it (~0.2 s) and drops it after (`WITH (FORCE)`, in
a background thread: the next test does not wait for it).
Tests of the first start itself (a missing schema, creating tables) use
`make_settings(kind, tmp_path)` without `prepared`: a schema nobody created.
"""

from __future__ import annotations

import os
import queue
import shutil
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from cs_store.settings import Settings

SCHEMA = "cs_test"
CLONE_PREFIX = "cs_t_"
TEMPLATE_PREFIX = "cs_tpl_"
_template: dict[str, str] = {}


def _connect(url: str) -> psycopg.Connection:
    u = make_url(url)
    return psycopg.connect(host=u.host or "127.0.0.1", port=u.port or 5432,
                           user=u.username or "postgres", password=u.password or "",
                           dbname="postgres", autocommit=True)


def _url_with_database(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)


def _settings(data_dir: Path, url: str) -> Settings:
    return Settings(data_dir=data_dir, database_url=url, database_schema=SCHEMA,
                    admin_token=None, default_playbooks=False)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sweep(conn: psycopg.Connection, url: str) -> None:
    """Queues the drop of clones and templates left by test processes that are gone (a run
    that was killed): their names carry the process id."""
    for (name,) in conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'cs\\_t\\_%' "
            "OR datname LIKE 'cs\\_tpl\\_%'").fetchall():
        pid = name.removeprefix(TEMPLATE_PREFIX).removeprefix(CLONE_PREFIX).split("_")[0]
        if pid.isdigit() and not _alive(int(pid)):
            _queue_drop(url, name)


def _build_template(url: str) -> str:
    # Imported here: the projections import the whole read side.
    from cs_runtime.bootstrap import open_application
    from projections.db import ReadModels
    from projections.generations import prepare
    from projections.registry import VIEWS

    name = f"{TEMPLATE_PREFIX}{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with _connect(url) as conn:
        _sweep(conn, url)
        conn.execute(f'CREATE DATABASE "{name}"')
        settings = _settings(Path(tempfile.mkdtemp(prefix="cs-tpl-")), _url_with_database(url, name))
    with psycopg.connect(_url_with_database(url, name).replace("+psycopg", ""),
                         autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{SCHEMA}"')
    with open_application(settings):
        models = ReadModels.from_settings(settings)
        try:
            prepare(models, VIEWS)
        finally:
            models.dispose()
    shutil.rmtree(settings.data_dir, ignore_errors=True)
    _template["name"], _template["url"] = name, url
    return name


def clone(data_dir: Path, url: str) -> Settings:
    """Settings of a new database cloned from this process's template."""
    template = _template.get("name") or _build_template(url)
    name = f"{CLONE_PREFIX}{os.getpid()}_{uuid.uuid4().hex[:12]}"
    with _connect(url) as conn:
        for attempt in range(20):  # a template still being let go of by its builder
            try:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                break
            except psycopg.errors.ObjectInUse:
                if attempt == 19:
                    raise
                time.sleep(0.1)
    return _settings(data_dir, _url_with_database(url, name))


def is_clone(settings: Settings) -> bool:
    return bool(settings.is_postgres and settings.database_url
                and (make_url(settings.database_url).database or "").startswith(CLONE_PREFIX))


def _dropper() -> None:
    while True:
        url, database = _drops.get()
        try:
            with _connect(url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        except psycopg.Error as error:  # left behind, named cs_t_*: say so, do not fail a test
            print(f"pg_clones: could not drop {database}: {error}")
        finally:
            _drops.task_done()


_drops: queue.Queue[tuple[str, str]] = queue.Queue()
_dropping: list[threading.Thread] = []


def drop(settings: Settings) -> None:
    """Drops the clone in the background (DROP DATABASE takes 0.5-2 s): the next test
    starts meanwhile. `drop_template` waits for every drop at the end of the session."""
    _queue_drop(str(settings.database_url), str(make_url(str(settings.database_url)).database))


def drop_schema_in_clone(settings: Settings) -> None:
    """Drops one schema a test made beside the store's inside its clone (the clone stays)."""
    with psycopg.connect(str(settings.database_url).replace("+psycopg", ""),
                         autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{settings.database_schema}" CASCADE')


def _queue_drop(url: str, database: str) -> None:
    if not _dropping:
        _dropping.append(threading.Thread(target=_dropper, name="pg-clone-drops", daemon=True))
        _dropping[0].start()
    _drops.put((url, database))


def drop_template() -> None:
    """At the end of the session: waits for the clones' drops, then drops the template."""
    _drops.join()
    name = _template.pop("name", None)
    if name:
        with _connect(_template["url"]) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
