"""A real `cs-ledger project` process killed with SIGKILL mid catch-up resumes correctly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import projections
from cs_domain.app import CustomerSuccess
from cs_store.settings import Settings
from projections import state
from projections.db import ReadModels
from projections.rebuild import dump
from projections.runner import Projector
from tests.projections import scenario as s

SRC = str(Path(projections.__file__).resolve().parents[1])


def cli(settings: Settings, cwd: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CS_LEDGER_")}
    env["PYTHONPATH"] = os.pathsep.join([SRC, env.get("PYTHONPATH", "")])
    env["CS_LEDGER_DATA_DIR"] = str(settings.data_dir)
    env["CS_LEDGER_DEFAULT_PLAYBOOKS"] = "0"  # as the `settings` fixture's store
    if settings.is_postgres:
        env["CS_LEDGER_DATABASE_URL"] = str(settings.database_url)
        env["CS_LEDGER_DATABASE_SCHEMA"] = settings.database_schema
    return subprocess.Popen(
        [sys.executable, "-c", "from api.cli import main; main()", *args],
        cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


def history(app: CustomerSuccess, customers: int) -> None:
    csm = s.user(app)
    for i in range(customers):
        cust = s.customer(app, csm, f"Customer {i:04d}")
        for j in range(4):
            app.add_contact(actor="t", customer_id=cust, name=f"P{j}", role="ops", level="2")
        k = s.contract(app, cust, f"K{i}", str(100 + i), "EUR", date(2025, 12, 31))
        if i % 3 == 0:
            s.renew(app, k, date(2025, 11, 1), str(200 + i), date(2026, 12, 31))


def positions(models: ReadModels) -> dict[str, int]:
    try:
        with models.read() as conn:
            return {v: st.position for v, st in state.live_states(conn).items()}
    except Exception:  # tables not created yet by the child process
        return {}


def test_sigkilled_projector_resumes_and_equals_a_clean_rebuild(
    app: CustomerSuccess, settings: Settings, models: ReadModels, fresh_models: Any,
    tmp_path: Path,
) -> None:
    history(app, 250)
    head = app.max_position()
    assert head > 2500
    kills = []
    for _ in range(2):
        child = cli(settings, tmp_path, "project", "--batch-size", "25")
        deadline = time.monotonic() + 60
        seen: dict[str, int] = {}
        floor = max(kills[-1].values(), default=0) if kills else 0
        while time.monotonic() < deadline and child.poll() is None:
            seen = positions(models)
            if seen and min(seen.values()) > floor + 200:
                break
            time.sleep(0.005)
        assert child.poll() is None, child.communicate()[0].decode()[-2000:]
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        after_kill = positions(models)
        kills.append(after_kill)
        assert 0 < min(after_kill.values()) < head  # stopped mid catch-up

    child = cli(settings, tmp_path, "project", "--batch-size", "25")
    out, _ = child.communicate(timeout=120)
    assert child.returncode == 0, out.decode()[-2000:]
    with models.read() as conn:
        final = state.live_states(conn)
    assert {(st.status, st.position) for st in final.values()} == {("ok", head)}

    clean = fresh_models()
    Projector(app, clean, batch_size=10_000).catch_up()
    assert dump(models, history=True) == dump(clean, history=True)
    contacts = {c["contacts"] for c in dump(models)["customers"]["customers"].values()}
    assert contacts == {4}  # no contact counted twice across the kills


def test_project_follow_keeps_up_and_stops_cleanly_on_sigterm(
    app: CustomerSuccess, settings: Settings, models: ReadModels, tmp_path: Path
) -> None:
    csm = s.user(app)
    child = cli(settings, tmp_path, "project", "--follow")
    try:
        for i in range(3):
            target = app.register_customer(actor="t", name=f"Live {i}", tier="basic",
                                           owner_id=csm).position
            deadline = time.monotonic() + 30
            while positions(models).get("customers", 0) < target:
                assert time.monotonic() < deadline and child.poll() is None
                time.sleep(0.02)
        child.send_signal(signal.SIGTERM)
        out, _ = child.communicate(timeout=15)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, out.decode()[-2000:]
    assert b"stopped at position" in out
