"""`cs-ledger demo` as users run it: a subprocess that loads, prints tokens, refuses or skips."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from cs_store.factory import build_application
from cs_store.settings import Settings

SRC = Path(__file__).resolve().parents[2] / "src"
TOKEN = re.compile(r"csl_demo_(admin|manager|csm|support|analyst|auditor)_(\d+)_[0-9a-f]{8}")


def cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CS_LEDGER_")}
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")])
    env["CS_LEDGER_DATA_DIR"] = str(settings.data_dir)
    if settings.database_url:
        env["CS_LEDGER_DATABASE_URL"] = settings.database_url
        env["CS_LEDGER_DATABASE_SCHEMA"] = settings.database_schema
    return subprocess.run(
        [sys.executable, "-c", "from api.cli import main; main()", "demo", *args],
        env=env, capture_output=True, text=True, timeout=240, cwd=settings.data_dir.parent,
    )


def tokens_in(output: str) -> dict[str, str]:
    return {m.group(0): m.group(1) for m in TOKEN.finditer(output)}


def positions(settings: Settings) -> int:
    app = build_application(settings)
    try:
        return app.max_position()
    finally:
        app.close()


def test_loads_prints_tokens_and_then_leaves_the_store_alone(settings: Settings) -> None:
    loaded = cli(settings, "--customers", "12", "--seed", "5", "--today", "2026-11-30")
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded 12 customers" in loaded.stdout
    tokens = tokens_in(loaded.stdout)
    assert set(tokens.values()) == {"admin", "manager", "csm", "support", "analyst", "auditor"}
    app = build_application(settings)
    try:
        for token, role in tokens.items():
            user = app.user_for_token(token)
            assert user is not None and user.role == role
        events = app.max_position()
    finally:
        app.close()
    assert events > 12 * 30

    skipped = cli(settings, "--if-empty", "--seed", "5")
    assert skipped.returncode == 0, skipped.stderr
    assert "demo not loaded" in skipped.stdout
    assert tokens_in(skipped.stdout) == tokens  # shown again from the seed
    refused = cli(settings, "--seed", "5")
    assert refused.returncode == 1
    assert "only into an empty store" in " ".join(refused.stderr.split())
    again = cli(settings, "--tokens", "--seed", "5")
    assert again.returncode == 0 and tokens_in(again.stdout) == tokens
    assert positions(settings) == events  # skipping, refusing and listing wrote nothing


def test_if_empty_loads_an_empty_store_and_rejects_a_bad_date(settings: Settings) -> None:
    bad = cli(settings, "--customers", "2", "--today", "30/11/2026")
    assert bad.returncode == 2 and "--today" in bad.stderr
    assert positions(settings) == 0
    loaded = cli(settings, "--if-empty", "--customers", "3", "--today", "2026-11-30")
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded 3 customers" in loaded.stdout
    assert positions(settings) > 0


def test_make_run_s_demo_trains_the_churn_model_once(settings: Settings) -> None:
    """`make demo` passes --train-model: a fresh demo answers GET /predictions/churn at once;
    a store that was not loaded is not trained again."""
    loaded = cli(settings, "--if-empty", "--train-model", "--customers", "200",
                 "--today", "2026-11-30")
    assert loaded.returncode == 0, loaded.stderr
    assert "churn model version 1 trained on the demo" in loaded.stdout
    events = positions(settings)
    skipped = cli(settings, "--if-empty", "--train-model")
    assert skipped.returncode == 0 and "demo not loaded" in skipped.stdout
    assert "churn model" not in skipped.stdout and positions(settings) == events
