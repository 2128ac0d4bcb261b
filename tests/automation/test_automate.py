"""`cs-ledger automate`: the playbook automation alone (both stores), projecting the views
it needs itself, or waiting for another process's projector (`--no-projectors`), once or
following (a real process)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner

from api.cli import app as cli
from automation import tracking
from automation.process import PROCESS
from automation.rules import activated_key
from cs_domain.app import CustomerSuccess
from cs_store.settings import Settings
from projections.db import ReadModels
from projections.runner import Projector
from projections.view import ViewNotReady
from tests.api.reads.processes import spawn
from tests.api.test_cli import env  # noqa: F401  (fixture)
from tests.automation.story import Story, run, run_id


def _started(models: ReadModels, found: UUID) -> dict[str, Any] | None:
    try:
        return run(models, found)
    except (ViewNotReady, OperationalError):  # the child has not prepared the views yet
        return None


def automate(*args: str) -> str:
    result = CliRunner().invoke(cli, ["automate", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_automate_once_starts_the_runs_and_repeats_harmlessly(
        env: dict[str, str], app: CustomerSuccess, models: ReadModels, story: Story):  # noqa: F811
    contract = story.contract(story.customer("Acme"), start=0, end=365)
    onboarding = run_id("onboarding", activated_key(contract))
    before = app.max_position()
    out = automate()
    assert app.max_position() > before  # the run and its tasks
    assert "automation at position" in out
    assert run(models, onboarding) is not None
    head = app.max_position()
    assert tracking.read(models, PROCESS).position == head
    automate()
    assert app.max_position() == head  # nothing written twice


def test_automate_without_projectors_waits_for_another_projector(
        env: dict[str, str], app: CustomerSuccess, models: ReadModels, story: Story):  # noqa: F811
    contract = story.contract(story.customer("Acme"), start=0, end=365)
    projector = Projector(app, models).start(poll_interval=0.05)  # "another process"
    try:
        automate("--no-projectors")
    finally:
        projector.stop()
    assert run(models, run_id("onboarding", activated_key(contract))) is not None


@pytest.mark.slow
def test_automate_follow_acts_on_new_events_and_stops_on_sigterm(
        settings: Settings, app: CustomerSuccess, models: ReadModels, tmp_path: Path):
    story = Story(app)
    child = spawn("automate", settings, tmp_path, "automate", "--follow")
    try:
        contract = story.contract(story.customer("Acme"), start=0, end=365)
        onboarding = run_id("onboarding", activated_key(contract))
        deadline = time.monotonic() + 60
        while _started(models, onboarding) is None:
            assert child.process.poll() is None, child.output()
            assert time.monotonic() < deadline, child.output()
            time.sleep(0.2)
    finally:
        code = child.stop()
    assert code == 0, child.output()
