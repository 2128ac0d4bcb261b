"""`cs-ledger audit verify` end to end, as operators run it: a real subprocess
configured only through the environment, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cs_domain.app import CustomerSuccess
from cs_store.audit import verify_log
from cs_store.factory import chain_recorder
from cs_store.settings import Settings
from tests.conftest import make_settings
from tests.store.conftest import RawLog
from tests.store.test_tamper import delete_event_and_link, populate

SRC = Path(__file__).resolve().parents[2] / "src"


def cli_command() -> list[str]:
    """The installed console script when there is one (what users run), else the module."""
    script = Path(sys.executable).parent / "cs-ledger"
    if script.exists():
        return [str(script)]
    found = shutil.which("cs-ledger")
    if found:
        return [found]
    return [sys.executable, "-c", "from api.cli import main; main()"]


def run_cli(settings: Settings, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CS_LEDGER_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    env["CS_LEDGER_DATA_DIR"] = str(settings.data_dir)
    if settings.is_postgres:
        env["CS_LEDGER_DATABASE_URL"] = str(settings.database_url)
        env["CS_LEDGER_DATABASE_SCHEMA"] = settings.database_schema
    return subprocess.run(
        [*cli_command(), "audit", "verify", *args], env=env, cwd=cwd, capture_output=True,
        text=True, timeout=120, check=False,
    )


def assert_no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr


def test_verify_prints_the_head_then_names_the_first_bad_position(
    app: CustomerSuccess, raw: RawLog, settings: Settings, tmp_path: Path
):
    populate(app)
    expected = verify_log(chain_recorder(app))

    clean = run_cli(settings, cwd=tmp_path)
    assert clean.returncode == 0, clean.stderr
    assert f"ok: {expected.events_checked} events checked" in clean.stdout
    assert f"head: {expected.head}" in clean.stdout
    assert f"anchor: {expected.head_position}:{expected.head}" in clean.stdout
    assert_no_traceback(clean)

    raw.swap_states(3, 5)
    tampered = run_cli(settings, cwd=tmp_path)
    assert tampered.returncode == 1
    assert "first bad position 3 (hash does not match)" in tampered.stderr
    assert "2 events verified before it" in tampered.stderr
    assert_no_traceback(tampered)


def test_verify_with_an_anchor_finds_a_cut_off_tail(
    app: CustomerSuccess, raw: RawLog, settings: Settings, tmp_path: Path
):
    populate(app)
    first = run_cli(settings, cwd=tmp_path)
    anchor = next(line for line in first.stdout.splitlines() if line.startswith("anchor: "))
    anchor = anchor.removeprefix("anchor: ")
    position = int(anchor.split(":")[0])

    delete_event_and_link(raw, position)  # consistent without an anchor: see test_tamper

    anchored = run_cli(settings, "--anchor", anchor, cwd=tmp_path)
    assert anchored.returncode == 1
    assert f"first bad position {position} (log ends before the anchored position)" in (
        anchored.stderr)
    assert_no_traceback(anchored)


def test_a_malformed_anchor_is_a_usage_error(tmp_path: Path):
    settings = Settings(data_dir=tmp_path / "nowhere", database_url=None)
    proc = run_cli(settings, "--anchor", "nonsense", cwd=tmp_path)
    assert proc.returncode == 2 and "POSITION:HASH" in proc.stderr
    assert_no_traceback(proc)


def test_a_missing_sqlite_store_is_a_clean_error_and_is_not_created(tmp_path: Path):
    settings = Settings(data_dir=tmp_path / "nowhere", database_url=None)
    proc = run_cli(settings, cwd=tmp_path)
    assert proc.returncode == 2
    assert "no event store at" in proc.stderr and "CS_LEDGER_DATA_DIR" in proc.stderr
    assert_no_traceback(proc)
    assert not (tmp_path / "nowhere").exists()


def test_an_unreachable_postgres_is_a_clean_error(tmp_path: Path):
    # Port 1 on the loopback: nothing listens there, the connection is refused at once.
    settings = Settings(data_dir=tmp_path, database_url="postgresql+psycopg://postgres@127.0.0.1:1/x")
    proc = run_cli(settings, cwd=tmp_path)
    assert proc.returncode == 2
    assert "cannot connect to PostgreSQL at 127.0.0.1:1/x" in proc.stderr
    assert_no_traceback(proc)


@pytest.mark.postgres
def test_a_missing_postgres_schema_is_a_clean_error_and_is_not_created(tmp_path: Path):
    settings = make_settings("postgres", tmp_path)  # names a schema nobody created
    proc = run_cli(settings, cwd=tmp_path)
    assert proc.returncode == 2
    assert f"no schema '{settings.database_schema}'" in proc.stderr
    assert_no_traceback(proc)
    assert RawLog(settings).execute(
        "SELECT 1 FROM information_schema.schemata WHERE schema_name = ?",
        settings.database_schema) == []
