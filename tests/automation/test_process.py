"""The process manager: at-least-once with idempotent commands, two at once, failures parked.

Both stores. Failure handling is exercised by injecting a fault into the decision step
(the one thing here that replaces our code): the point is what happens around a failure.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from automation import operations, tracking
from automation import process as process_module
from automation.commands import ACTOR
from automation.process import CONSUMER, PROCESS, ProcessManager, ViewSync, follow_once
from automation.rules import activated_key
from automation.tick import tick
from cs_domain.app import CustomerSuccess
from cs_domain.playbook import Playbook
from cs_domain.playbook_defaults import DEFAULT_PLAYBOOKS
from cs_store.factory import build_application
from cs_store.settings import Settings
from projections.db import ReadModels
from tests.automation.poison import poison_activation
from tests.automation.story import Story, at, log_facts, monday, run, run_id, runs, ticked


@pytest.fixture
def second_app(settings: Settings) -> Iterator[CustomerSuccess]:
    """Another application on the same store: a second process."""
    other = build_application(settings)
    yield other
    other.close()


def test_runs_start_without_a_tick_and_name_the_system_actor(
        app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    acme = story.customer("Acme")
    k = story.contract(acme, start=0, end=365)
    pm = ProcessManager(app, models)
    follow_once(ViewSync(app, models), pm)
    found = run(models, run_id("onboarding", activated_key(k)))
    assert found is not None and found["started_by"] == ACTOR
    assert pm.position() == app.max_position()  # its own events included
    head = app.max_position()
    follow_once(ViewSync(app, models), pm)
    assert app.max_position() == head


def test_two_process_managers_at_once_start_each_run_once(
        app: CustomerSuccess, second_app: CustomerSuccess, models: ReadModels,
        settings: Settings, story: Story) -> None:
    for i in range(4):
        story.contract(story.customer(f"C{i}"), start=0, end=365)
    other_models = ReadModels.from_settings(settings)
    errors: list[BaseException] = []

    def work(application: CustomerSuccess, read_models: ReadModels) -> None:
        try:
            follow_once(ViewSync(application, read_models), ProcessManager(application,
                                                                           read_models))
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=work, args=args)
               for args in ((app, models), (second_app, other_models))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    other_models.dispose()
    assert errors == []
    facts = log_facts(app)
    assert len(facts["runs"]) == 4 and len(facts["tasks"]) == 4 * 8
    started = [e for e in facts["runs"] if e[1] == "onboarding"]
    assert len({e[0] for e in started}) == 4


def test_replaying_after_a_crash_before_the_position_moved_writes_nothing(
        app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    acme = story.customer("Acme")
    story.contract(acme, start=-1, end=364)
    story.usage(acme, monday(-28), [6, 6, 6, 2])
    ticked(app, models, 0)
    head, facts = app.max_position(), log_facts(app)
    # As if the process had died after writing its commands but before storing its position.
    tracking.rewind(models, PROCESS, 0)
    ticked(app, models, 0)
    assert app.max_position() == head and log_facts(app) == facts


def test_the_automation_parks_an_event_and_a_retry_reacts_to_it(
        app: CustomerSuccess, models: ReadModels, story: Story,
        monkeypatch: pytest.MonkeyPatch) -> None:
    bad = story.contract(story.customer("Bad"), start=-1, end=364)
    good = story.contract(story.customer("Good"), start=-1, end=364)
    real_react = poison_activation(monkeypatch, bad)
    report = tick(app, models, at(0))
    assert report.ok, report.failures
    assert [p.consumer for p in report.parked] == [CONSUMER]
    assert "RuntimeError: cannot decide" in report.parked[0].error
    # The events after it were handled: the good contract's onboarding started.
    assert {r["source_id"] for r in runs(models, playbook="onboarding")} == {good}
    process = next(c for c in operations.status(app, models).consumers if c.name == CONSUMER)
    assert process.status == "parked"

    [row] = operations.status(app, models).parked
    with pytest.raises(operations.RetryFailed):
        operations.retry(app, models, row.id)
    monkeypatch.setattr(process_module, "react", real_react)
    operations.retry(app, models, row.id)
    assert operations.status(app, models).parked == []
    tick(app, models, at(0))
    assert {r["source_id"] for r in runs(models, playbook="onboarding")} == {bad, good}


def test_a_playbook_with_unusable_parameters_is_reported_and_skipped(
        app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    definition = dict(DEFAULT_PLAYBOOKS["low_engagement_drop"],
                      trigger_params={"drop_ratio": "a lot", "window_days": 14})
    # The domain now refuses such parameters; a definition stored before that rule (as
    # here, written past the validation) must still not stop the automation.
    stored = Playbook._create(Playbook.Defined, id=Playbook.id_for("drop_custom"), actor="m",
                              key="drop_custom", **definition)
    app.commit(stored)
    acme = story.customer("Acme")
    story.usage(acme, monday(-28), [6, 6, 6, 2])
    report = tick(app, models, at(0))
    assert report.failures == {
        "playbook:drop_custom": "version 1: trigger_params.drop_ratio is not a number: 'a lot'"}
    # The shipped drop playbook still ran.
    assert len(runs(models, playbook="low_engagement_drop")) == 1
    # Revised, it works for the reports that come after.
    app.revise_playbook(actor="m", playbook_id=Playbook.id_for("drop_custom"),
                        trigger_params={"drop_ratio": "0.5", "window_days": 14})
    story.usage(acme, monday(-28) + timedelta(weeks=4), [6, 6, 1])
    assert tick(app, models, at(0)).failures == {}
    assert len(runs(models, playbook="drop_custom")) == 1


def test_a_retired_playbook_starts_nothing(app: CustomerSuccess, models: ReadModels,
                                           story: Story) -> None:
    app.retire_playbook(actor="m", playbook_id=Playbook.id_for("onboarding"), reason="paused")
    story.contract(story.customer("Acme"), start=0, end=365)
    ticked(app, models, 0)
    assert runs(models, playbook="onboarding") == []


def test_tick_and_the_ops_cli_show_and_retry_a_parked_event(
        app: CustomerSuccess, models: ReadModels, story: Story, settings: Settings,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from api.cli import app as cli
    from tests.api.test_cli import cli_env

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CS_LEDGER_DATABASE_URL", raising=False)
    for name, value in cli_env(settings).items():
        monkeypatch.setenv(name, value)
    bad = story.contract(story.customer("Bad"), start=-1, end=364)
    real_react = poison_activation(monkeypatch, bad)
    runner = CliRunner()
    ticked_ = runner.invoke(cli, ["tick", "--now", at(0).isoformat()])
    assert ticked_.exit_code == 0, ticked_.output  # parked: the log went on
    assert "parked: 1" in ticked_.output and "RuntimeError: cannot decide" in ticked_.output
    listed = runner.invoke(cli, ["ops", "parked"])
    assert listed.exit_code == 0, listed.output
    assert f"{CONSUMER}: parked" in listed.output
    [row] = operations.status(app, models).parked
    assert f"#{row.id} {CONSUMER} at {row.position}" in listed.output
    assert runner.invoke(cli, ["ops", "retry", str(row.id)]).exit_code == 1
    monkeypatch.setattr(process_module, "react", real_react)
    assert runner.invoke(cli, ["ops", "retry", str(row.id)]).exit_code == 0
    assert runner.invoke(cli, ["ops", "retry", str(row.id)]).exit_code == 2
    assert "parked: none" in runner.invoke(cli, ["ops", "parked"]).output
