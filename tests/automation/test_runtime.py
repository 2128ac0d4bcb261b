"""The automation running in the background (`serve`), and `cs-ledger tick` on the command line."""

from __future__ import annotations

import time
from datetime import datetime

from typer.testing import CliRunner

from api.cli.base import app as cli_app
from automation.rules import activated_key, renewal_key
from automation.runtime import start_ticker
from cs_domain.app import CustomerSuccess
from cs_store.settings import Settings
from projections.db import ReadModels
from tests.automation.story import Story, at, day, run, run_id


def wait_until(check, timeout: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def test_the_runtime_follows_events_and_ticks(app: CustomerSuccess, models: ReadModels,
                                              story: Story) -> None:
    renewing = story.contract(story.customer("Renewing"), start=-300, end=65)
    moments: list[datetime] = []

    def clock() -> datetime:
        moments.append(at(0))
        return at(0)

    runtime = start_ticker(app, models, tick_interval=3600, poll_interval=0.05, clock=clock)
    try:
        # The first tick opens the renewal window (a time rule)...
        renewal = run_id("renewal_readiness", renewal_key(renewing, day(65)))
        assert wait_until(lambda: runtime.ticks == 1)
        assert run(models, renewal) is not None
        # ...and an activation afterwards is handled without waiting for the next tick.
        k = story.contract(story.customer("New"), start=0, end=365)
        assert wait_until(lambda: run(models, run_id("onboarding", activated_key(k))) is not None)
        assert runtime.ticks == 1 and len(moments) == 1
    finally:
        runtime.stop()
    assert runtime.last_tick is not None and runtime.last_tick.ok


def cli(settings: Settings, *args: str) -> tuple[int, str]:
    env = {"CS_LEDGER_DATA_DIR": str(settings.data_dir), "CS_LEDGER_DATABASE_URL": "",
           "CS_LEDGER_DATABASE_SCHEMA": settings.database_schema}
    if settings.is_postgres:
        env["CS_LEDGER_DATABASE_URL"] = str(settings.database_url)
    result = CliRunner().invoke(cli_app, list(args), env=env)
    return result.exit_code, result.output


def test_tick_from_the_command_line(app: CustomerSuccess, settings: Settings,
                                    story: Story) -> None:
    acme = story.customer("Acme")
    story.contract(acme, start=-300, end=65)
    story.risk(acme, due=-1)
    code, out = cli(settings, "tick", "--now", day(0).isoformat())
    assert code == 0, out
    assert "renewal_readiness 1" in out and "risks marked overdue: 1; reminders: 1" in out
    head = app.max_position()
    code, out = cli(settings, "tick", "--now", f"{day(0).isoformat()}T18:00:00+00:00")
    assert code == 0, out
    assert "runs started: none" in out and f"log {head} → {head}" in out
    code, out = cli(settings, "tick", "--now", "yesterday")
    assert code == 2 and "ISO date" in out
