"""Issue 11: playbooks ship (installed at a store's first start), late runs skip what is
past with one catch-up task, touchpoints complete steps, successor terms start on their own.
Both stores (the `settings` fixture)."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

from typer.testing import CliRunner

from api.cli import app as cli
from automation.rules import activated_key
from cs_domain.app import CustomerSuccess
from cs_domain.contract import Contract
from cs_domain.errors import InvalidInput
from cs_domain.playbook import Playbook
from cs_domain.playbook_defaults import DEFAULT_PLAYBOOKS
from cs_domain.task import Task
from cs_store.factory import build_application
from cs_store.first_start import ensure_default_playbooks
from cs_store.settings import Settings
from projections.db import ReadModels
from projections.log import trail_of
from tests.api.conftest import ADMIN, admin_settings, started
from tests.automation.story import BASE, Story, day, run, run_id, tasks, ticked

KEYS = sorted(DEFAULT_PLAYBOOKS)


def _listed(settings: Settings) -> list[str]:
    with started(admin_settings(settings)) as client:
        response = client.get("/api/v1/playbooks", headers=ADMIN)
        assert response.status_code == 200, response.text
        body: Any = response.json()
    items = body["playbooks"]
    return sorted(p["key"] for p in items)


def test_a_new_store_installs_the_default_playbooks_once(settings: Settings) -> None:
    on = settings.model_copy(update={"default_playbooks": True})
    assert _listed(on) == KEYS  # the API's first start installed them
    app = build_application(on)
    try:
        head = app.max_position()
        assert ensure_default_playbooks(app, on) == []  # a second start writes nothing
        assert app.max_position() == head == len(KEYS)
        actors = {e["actor"] for key in KEYS for e in trail_of(app, Playbook.id_for(key))}
    finally:
        app.close()
    assert actors == {"system"}
    assert _listed(on) == KEYS


def test_two_processes_starting_together_install_once(settings: Settings) -> None:
    on = settings.model_copy(update={"default_playbooks": True})
    apps = [build_application(on) for _ in range(2)]
    errors: list[BaseException] = []

    def start(app: CustomerSuccess) -> None:
        try:
            ensure_default_playbooks(app, on)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=start, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert errors == []
        assert apps[0].max_position() == len(KEYS)
    finally:
        for a in apps:
            a.close()


def test_opting_out_installs_nothing(settings: Settings) -> None:
    assert not settings.default_playbooks  # the test stores opt out (tests/conftest.py)
    assert _listed(settings) == []


def test_a_late_onboarding_skips_what_is_past_and_catches_the_kickoff_up(
        app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    acme = story.customer("Acme")
    k = story.contract(acme, start=-30, end=335)  # activated 30 days before it was recorded
    ticked(app, models, 0)
    found = run(models, run_id("onboarding", activated_key(k)))
    assert found is not None
    statuses = [s["status"] for s in found["steps"]]
    # Offsets 0/2/5/7/14 were due 14+ days before: skipped, except the kickoff (must happen),
    # caught up today; day-30/60/90 are still ahead.
    assert statuses == ["skipped", "open", "skipped", "skipped", "skipped", "open", "open", "open"]
    made = tasks(app, found)
    assert [t.due_date for t in made] == [BASE, day(0), day(30), day(60)]
    assert made[0].title == "Catch up: Hold the kickoff call"
    assert not any(app.exists(s["task_id"]) for s in found["steps"] if s["status"] == "skipped")
    assert ticked(app, models, 0).tally.writes == 0


def test_a_touchpoint_completes_the_step_it_answers(
        app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    acme = story.customer("Acme")
    k = story.contract(acme, start=0, end=365)
    ticked(app, models, 0)
    key = run_id("onboarding", activated_key(k))
    app.record_touchpoint(actor="t", customer_id=acme, kind="check_in", occurred_on=day(1),
                          participants=["Chen Jing"], summary="Kick-off held", next_steps=[])
    app.record_touchpoint(actor="t", customer_id=acme, kind="qbr", occurred_on=day(1),
                          participants=["Chen Jing"], summary="Not a step's kind yet",
                          next_steps=[])
    report = ticked(app, models, 1)
    assert report.tally.tasks_done_by_touchpoints == 1
    found = run(models, key)
    kickoff = found["steps"][1]
    assert (kickoff["status"], kickoff["done_on"]) == ("done", day(1))
    assert [s["status"] for s in found["steps"]].count("done") == 1
    done = [e for e in trail_of(app, kickoff["task_id"]) if e["type"] == "Task.Completed"]
    assert [e["actor"] for e in done] == ["system:automation"]
    assert next(o for o in found["outcomes"] if o["metric"] == "kickoff held")["achieved"]
    assert ticked(app, models, 1).tally.writes == 0  # replay-safe


def test_a_touchpoint_recorded_before_the_run_completes_its_catch_up(
        app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    acme = story.customer("Acme")
    k = story.contract(acme, start=-30, end=335, activate=False)
    app.activate_contract(actor="t", contract_id=k, activated_on=day(-30))
    app.record_touchpoint(actor="t", customer_id=acme, kind="check_in", occurred_on=day(-29),
                          participants=["Chen Jing"], summary="Kick-off", next_steps=[])
    ticked(app, models, 0)
    found = run(models, run_id("onboarding", activated_key(k)))
    assert (found["steps"][1]["status"], found["steps"][1]["done_on"]) == ("done", day(-29))
    assert app.load(Task, found["steps"][1]["task_id"]).status == "done"


def test_a_touchpoint_shows_a_skipped_step_happened(
        app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    """Activated 40 days before it was recorded: the day-30 check is caught up, the kickoff
    skipped; the kick-off check-in of the activation day records the kickoff done."""
    acme = story.customer("Acme")
    k = story.contract(acme, start=-40, end=325, activate=False)
    app.activate_contract(actor="t", contract_id=k, activated_on=day(-40))
    app.record_touchpoint(actor="t", customer_id=acme, kind="check_in", occurred_on=day(-40),
                          participants=["Chen Jing"], summary="Kick-off", next_steps=[])
    ticked(app, models, 0)
    found = run(models, run_id("onboarding", activated_key(k)))
    assert [s["status"] for s in found["steps"]][:6] == ["skipped", "done", "skipped",
                                                         "skipped", "skipped", "open"]
    assert found["steps"][1]["done_on"] == day(-40)
    assert not app.exists(found["steps"][1]["task_id"])
    assert next(o for o in found["outcomes"] if o["metric"] == "kickoff held")["achieved"]
    assert ticked(app, models, 0).tally.writes == 0


def test_tick_starts_a_signed_successor_term_on_its_start_date(
        app: CustomerSuccess, settings: Settings, story: Story, monkeypatch: Any) -> None:
    acme = story.customer("Acme")
    k = story.contract(acme, start=-300, end=64)
    successor = app.renew_contract(actor="t", contract_id=k, renewed_on=day(-1),
                                   amount=Decimal("1500"),
                                   new_end_date=day(430)).extra["successor_id"]
    ended = story.contract(story.customer("Ends"), start=-300, end=64)
    gone = app.renew_contract(actor="t", contract_id=ended, renewed_on=day(-1),
                              amount=Decimal("1500"),
                              new_end_date=day(430)).extra["successor_id"]
    app.terminate_contract(actor="t", contract_id=gone, terminated_on=day(0), reason="cancelled")
    for name, value in {"CS_LEDGER_DATA_DIR": str(settings.data_dir),
                        "CS_LEDGER_DATABASE_SCHEMA": settings.database_schema,
                        "CS_LEDGER_DATABASE_URL": settings.database_url or "",
                        "CS_LEDGER_DEFAULT_PLAYBOOKS": "0"}.items():
        monkeypatch.setenv(name, value)
    if not settings.database_url:
        monkeypatch.delenv("CS_LEDGER_DATABASE_URL")
    runner = CliRunner()
    before = runner.invoke(cli, ["tick", "--now", day(64).isoformat()])
    assert before.exit_code == 0, before.output
    assert app.load(Contract, successor).status == "signed"
    result = runner.invoke(cli, ["tick", "--now", day(65).isoformat()])
    assert result.exit_code == 0, result.output
    assert "contract terms started: 1" in result.output
    term = app.load(Contract, successor)
    assert (term.status, term.activated_on) == ("active", day(65))
    started_by = [e for e in trail_of(app, successor) if e["type"] == "Contract.Activated"]
    assert [e["actor"] for e in started_by] == ["system"]
    assert app.load(Contract, gone).status == "terminated"
    again = runner.invoke(cli, ["tick", "--now", day(66).isoformat()])
    assert "contract terms started: 0" in again.output


def test_bad_step_fields_are_refused_naming_the_field() -> None:
    base = dict(DEFAULT_PLAYBOOKS["qbr"])
    for bad, field in ((dict(base["actions"][1], completed_by=["kickoff"]),
                        "actions[1].completed_by"),
                       (dict(base["actions"][1], completed_by=["qbr"] * 7),
                        "actions[1].completed_by"),
                       (dict(base["actions"][1], must_happen="yes"), "actions[1].must_happen")):
        actions = [base["actions"][0], bad, base["actions"][2]]
        try:
            Playbook.define(actor="m", key="qbr2", **dict(base, actions=actions))
        except InvalidInput as error:
            assert field in str(error.errors), error.errors
        else:
            raise AssertionError(f"{field} accepted")
