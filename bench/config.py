"""What a benchmark run measures and where: sizes, stores, paths, and their environment.

Everything is read from the environment, so `make bench` needs no arguments:

- ``BENCH_EVENTS`` (default 1,000,000): the size of the log; the demo generator writes
  ~81 events per customer, so customers = BENCH_EVENTS / 81.
- ``BENCH_STORES`` (default: sqlite, plus postgres when ``CS_LEDGER_TEST_POSTGRES_URL``
  is set): a comma-separated subset of ``sqlite,postgres``.
- ``BENCH_DIR`` (default ``.cs-ledger-bench``): where the SQLite files live.
- ``BENCH_OUT`` (default ``bench/``): where results.json and results.md are written.
- ``BENCH_REUSE=1``: keep the dataset (SQLite dir / PostgreSQL schema named after the
  size) and load it again next time instead of generating it (for iterating on one part).
- ``BENCH_HTTP=0``: skip the HTTP part (the figures are then null).
- ``BENCH_APPEND_COMMANDS``: commands the append part times (default BENCH_EVENTS / 300,
  200 to 3,000).
- ``BENCH_PARTS`` (default all: ``rebuild,queries,append,http,import``): the parts to run; with
  ``BENCH_REUSE=1``, re-measures some figures and keeps the others of the last run in
  results.json (each part's figures say when they were measured).
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from cs_store.settings import Settings

EVENTS_PER_CUSTOMER = 81  # what the demo generator writes on average (docs/demo.md)
DEFAULT_EVENTS = 1_000_000
SEED = 42
# A fixed business date: the same BENCH_EVENTS gives the same dataset whenever it runs.
TODAY = date(2026, 11, 30)
ROOT = Path(__file__).resolve().parent.parent
PG_ENV = "CS_LEDGER_TEST_POSTGRES_URL"
PARTS = ("rebuild", "queries", "append", "http", "import")


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() not in ("0", "false", "no", "off")


@dataclass(frozen=True)
class BenchConfig:
    events: int
    stores: tuple[str, ...]
    data_dir: Path
    out_dir: Path
    reuse: bool
    http: bool
    postgres_url: str | None
    parts: tuple[str, ...] = PARTS
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])

    @property
    def customers(self) -> int:
        return max(1, round(self.events / EVENTS_PER_CUSTOMER))

    @property
    def append_commands(self) -> int:
        """Commands timed through the services (and as many bare saves): enough to be
        steady, bounded so a run at full size stays within minutes; ``BENCH_APPEND_COMMANDS``
        sets it (a steadier ratio from a small log, e.g. on a shared machine)."""
        chosen = os.environ.get("BENCH_APPEND_COMMANDS")
        if chosen:
            return max(1, int(chosen))
        return max(200, min(3000, self.events // 300))

    @classmethod
    def from_env(cls) -> BenchConfig:
        events = int(os.environ.get("BENCH_EVENTS") or DEFAULT_EVENTS)
        if events < 500:
            raise SystemExit("BENCH_EVENTS must be at least 500")
        pg_url = os.environ.get(PG_ENV) or None
        default_stores = "sqlite,postgres" if pg_url else "sqlite"
        stores = tuple(s.strip() for s in (os.environ.get("BENCH_STORES") or default_stores)
                       .split(",") if s.strip())
        unknown = set(stores) - {"sqlite", "postgres"}
        if unknown:
            raise SystemExit(f"BENCH_STORES: unknown store(s) {sorted(unknown)}")
        if "postgres" in stores and not pg_url:
            raise SystemExit(f"BENCH_STORES names postgres but {PG_ENV} is not set")
        parts = tuple(p.strip() for p in (os.environ.get("BENCH_PARTS") or ",".join(PARTS))
                      .split(",") if p.strip())
        if set(parts) - set(PARTS):
            raise SystemExit(f"BENCH_PARTS: unknown part(s) {sorted(set(parts) - set(PARTS))}")
        return cls(
            events=events, stores=stores, parts=parts,
            data_dir=Path(os.environ.get("BENCH_DIR") or ROOT / ".cs-ledger-bench").resolve(),
            out_dir=Path(os.environ.get("BENCH_OUT") or ROOT / "bench").resolve(),
            reuse=_flag("BENCH_REUSE", False), http=_flag("BENCH_HTTP", True),
            postgres_url=pg_url,
        )


@dataclass(frozen=True)
class Store:
    """One store under test: its settings and the environment a child process needs."""

    kind: str  # "sqlite" | "postgres"
    settings: Settings

    def child_env(self) -> dict[str, str]:
        """os.environ for a child process (loader, rebuild, server) on this store."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("CS_LEDGER_")}
        env["CS_LEDGER_DATA_DIR"] = str(self.settings.data_dir)
        if self.settings.is_postgres:
            env["CS_LEDGER_DATABASE_URL"] = str(self.settings.database_url)
            env["CS_LEDGER_DATABASE_SCHEMA"] = self.settings.database_schema
        src = str(ROOT / "src")
        paths = [src, str(ROOT), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
        env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
        env["PYTHONUNBUFFERED"] = "1"
        return env


def _pg_connect(url: str) -> psycopg.Connection:
    u = make_url(url)
    return psycopg.connect(host=u.host or "127.0.0.1", port=u.port or 5432,
                           user=u.username or "postgres", password=u.password or "",
                           dbname=u.database or "postgres", autocommit=True)


def open_store(config: BenchConfig, kind: str) -> Store:
    """The store for this run: empty unless BENCH_REUSE keeps an earlier one."""
    if kind == "sqlite":
        name = f"sqlite-{config.events}" if config.reuse else f"sqlite-{config.run_id}"
        path = config.data_dir / name
        if not config.reuse and path.exists():
            shutil.rmtree(path)
        path.mkdir(parents=True, exist_ok=True)
        # Settings reads .env too: pass every field explicitly.
        return Store(kind, Settings(data_dir=path, database_url=None, admin_token=None))
    assert config.postgres_url is not None
    schema = f"bench_{config.events}" if config.reuse else f"bench_{config.run_id}"
    with _pg_connect(config.postgres_url) as conn:
        if not config.reuse:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    settings = Settings(data_dir=config.data_dir / f"pg-{schema}", database_url=config.postgres_url,
                        database_schema=schema, admin_token=None)
    return Store(kind, settings)


def close_store(config: BenchConfig, store: Store) -> None:
    """Drops what this run created (a reused dataset is kept)."""
    if config.reuse:
        return
    if store.settings.is_postgres:
        with _pg_connect(str(store.settings.database_url)) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                sql.Identifier(store.settings.database_schema)))
    shutil.rmtree(store.settings.data_dir, ignore_errors=True)


def checkpoint(store: Store) -> bool:
    """Writes the store's dirty pages out now (PostgreSQL `CHECKPOINT`), so a timed part
    does not pay for the bulk writes of the part before it (the rebuild's, the baseline's
    copy of the log). Needs the right to checkpoint: without it, False and nothing done."""
    if not store.settings.is_postgres:
        return False  # SQLite: each commit of the timed part syncs its own WAL pages
    try:
        with _pg_connect(str(store.settings.database_url)) as conn:
            conn.execute("CHECKPOINT")
        return True
    except psycopg.Error:
        return False


def postgres_version(url: str) -> str | None:
    try:
        with _pg_connect(url) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else None
    except psycopg.Error:
        return None
