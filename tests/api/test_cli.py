"""`cs-ledger users add` and `cs-ledger serve`, run as a user would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from cs_store.factory import build_application
from cs_store.settings import Settings
from tests.api.conftest import ADMIN, ADMIN_TOKEN

SRC = Path(__file__).resolve().parents[2] / "src"


def cli_env(settings: Settings) -> dict[str, str]:
    env = {"CS_LEDGER_DATA_DIR": str(settings.data_dir),
           "CS_LEDGER_DATABASE_SCHEMA": settings.database_schema}
    if settings.database_url:
        env["CS_LEDGER_DATABASE_URL"] = settings.database_url
    return env


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("CS_LEDGER_DATABASE_URL", "CS_LEDGER_ADMIN_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    values = cli_env(settings)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def test_users_add_prints_a_working_token_once(env: dict[str, str], settings: Settings):
    result = CliRunner().invoke(cli, ["users", "add", "Chen Jing", "--role", "csm"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("csl_")
    app = build_application(settings)
    try:
        user = app.user_for_token(token)
        assert user is not None and (user.name, user.role) == ("Chen Jing", "csm")
    finally:
        app.close()


@pytest.mark.parametrize("args,code", [
    (["users", "add", "X", "--role", "boss"], 2),
    (["users", "add", "X"], 2),
    (["users", "add", "   ", "--role", "csm"], 1),
])
def test_users_add_refuses_bad_input_cleanly(env: dict[str, str], args: list[str], code: int):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == code
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_users_add_reports_an_unreachable_store_cleanly(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CS_LEDGER_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    result = CliRunner().invoke(cli, ["users", "add", "X", "--role", "csm"])
    assert result.exit_code == 1
    assert "cannot open the event store" in result.output and "Traceback" not in result.output


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_runs_the_api(settings: Settings, tmp_path: Path):
    port = free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("CS_LEDGER_")},
           **cli_env(settings), "CS_LEDGER_ADMIN_TOKEN": ADMIN_TOKEN,
           "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from api.cli import main; main()", "serve", "--port", str(port),
         "--no-projectors"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180  # a loaded machine imports slowly
        while True:
            try:
                r = httpx.get(f"{base}/api/v1/users/me", headers=ADMIN, timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["role"] == "admin"
        assert httpx.get(f"{base}/healthz", timeout=30).status_code == 200
        assert httpx.get(f"{base}/openapi.json", timeout=120).status_code == 200  # slow under load
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_refuses_a_bad_port(env: dict[str, str]):
    result = CliRunner().invoke(cli, ["serve", "--port", "70000"])
    assert result.exit_code == 2 and "Traceback" not in result.output
