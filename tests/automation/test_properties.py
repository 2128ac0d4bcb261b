"""Properties of the automation over random customer histories, on SQLite and PostgreSQL.

- Ticking twice at the same `now` writes nothing the second time.
- Ticks at increasing times, in any grouping, reach the same runs, tasks, steps, outcomes
  and overdue marks (and the same views) as one tick at the last of those times.
- Rebuilding the views and replaying the process manager from position 0 writes nothing
  and reproduces the same runs and tasks; so does a brand-new read-model database.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from automation import tracking
from automation.process import PROCESS, ProcessManager, ViewSync, follow_once
from cs_domain.app import CustomerSuccess
from cs_domain.errors import DomainError
from cs_store.factory import build_application
from cs_store.settings import Settings
from projections.db import ReadModels
from projections.queries.playbook_effectiveness import effectiveness
from projections.rebuild import dump, rebuild
from projections.views.playbook_runs import list_runs
from projections.views.team import milestone_lateness
from tests.automation.story import Story, day, log_facts, monday, ticked
from tests.conftest import STORES, drop_schema, make_settings
from tests.profiles import examples

CUSTOMER = st.fixed_dictionaries({
    "tier": st.sampled_from(["strategic", "growth", "basic"]),
    "start": st.integers(-150, 20),
    "length": st.integers(60, 400),
    "usage": st.lists(st.integers(0, 7), max_size=8),
    "risk_due": st.none() | st.integers(-40, 60),
    "churn_after": st.none() | st.integers(1, 150),
    "grown_after": st.none() | st.integers(5, 60),
})
HISTORY = st.lists(CUSTOMER, min_size=1, max_size=3)
AUTOMATION_VIEWS = ["automation", "playbook_runs"]


@contextmanager
def world(kind: str, label: str) -> Iterator[tuple[CustomerSuccess, ReadModels, Settings]]:
    tmp = Path(tempfile.mkdtemp(prefix=f"cs-auto-{label}-"))
    s = make_settings(kind, tmp, prepared=True)
    app = build_application(s)
    models = ReadModels.from_settings(s)
    try:
        yield app, models, s
    finally:
        models.dispose()
        app.close()
        drop_schema(s)
        shutil.rmtree(tmp, ignore_errors=True)


def write(app: CustomerSuccess, history: list[dict[str, Any]]) -> Story:
    """The same history, with the same ids, in every store it is written to."""
    story = Story(app, label="h")
    for i, c in enumerate(history):
        cid = story.customer(f"C{i}", tier=c["tier"])
        k = story.contract(cid, start=c["start"], end=c["start"] + c["length"])
        story.usage(cid, monday(c["start"]), c["usage"])
        if c["grown_after"] is not None:
            app.move_customer_stage(actor="t", customer_id=cid, stage="growth",
                                    effective_on=day(c["start"] + c["grown_after"]))
        if c["risk_due"] is not None:
            story.risk(cid, due=c["risk_due"], raised=c["risk_due"] - 10, name=str(i))
        if c["churn_after"] is not None:
            with suppress(DomainError):  # e.g. churned after the contract was renewed
                app.churn_contract(actor="t", contract_id=k, reason_category="price",
                                   churned_on=day(c["start"] + c["churn_after"]))
    return story


def views(models: ReadModels, today: date) -> dict[str, Any]:
    """The automation's read side as users see it, minus the positions it was built at."""
    with models.read() as conn:
        items = list_runs(conn, limit=500)["items"]
        effect = effectiveness(conn)
        late = milestone_lateness(conn, today=today)
    for item in items:
        item.pop("started_position")
    effect.pop("position")
    late.pop("position")
    return {"runs": items, "effectiveness": effect, "lateness": late}


@pytest.mark.parametrize("kind", STORES)
@settings(max_examples=examples(6), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(history=HISTORY, times=st.lists(st.integers(-60, 200), min_size=1, max_size=4))
def test_ticks_in_any_grouping_equal_one_tick_and_repeat_idempotently(
        kind: str, history: list[dict[str, Any]], times: list[int]) -> None:
    times = sorted(times)
    last = times[-1]
    with world(kind, "once") as (once, once_models, _), world(kind, "steps") as (
            steps, steps_models, _):
        write(once, history)
        write(steps, history)
        ticked(once, once_models, last)
        for t in times:
            ticked(steps, steps_models, t)
        facts = log_facts(once)
        event(f"runs: {min(len(facts['runs']), 5)}+, outcomes: {min(len(facts['outcomes']), 3)}+")
        assert facts == log_facts(steps)
        assert views(once_models, day(last)) == views(steps_models, day(last))
        # The same `now` again: nothing new, not even a position.
        head = steps.max_position()
        again = ticked(steps, steps_models, last)
        assert again.tally.writes == 0 and steps.max_position() == head


@pytest.mark.parametrize("kind", STORES)
@settings(max_examples=examples(5), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(history=HISTORY, times=st.lists(st.integers(-30, 150), min_size=1, max_size=3),
       finish=st.lists(st.integers(0, 7), max_size=6))
def test_rebuild_and_replay_reproduce_the_same_runs_and_write_nothing(
        kind: str, history: list[dict[str, Any]], times: list[int], finish: list[int]) -> None:
    with world(kind, "replay") as (app, models, s):
        story = write(app, history)
        for t in sorted(times):
            ticked(app, models, t)
            _work_on_tasks(story, models, finish, day(t))
        ticked(app, models, max(times))
        facts, head = log_facts(app), app.max_position()
        before = dump(models, AUTOMATION_VIEWS)
        # Rebuild every view, then replay the process manager from the start.
        rebuild(app, models)
        tracking.rewind(models, PROCESS, 0)
        follow_once(ViewSync(app, models), ProcessManager(app, models))
        assert app.max_position() == head and log_facts(app) == facts
        assert dump(models, AUTOMATION_VIEWS) == before
        # A brand-new read-model database: views and process manager from position 0.
        fresh, other = _other_models(s)
        try:
            follow_once(ViewSync(app, fresh), ProcessManager(app, fresh))
            assert app.max_position() == head
            assert dump(fresh, AUTOMATION_VIEWS) == before
        finally:
            fresh.dispose()
            if other is not s:
                drop_schema(other)


def _work_on_tasks(story: Story, models: ReadModels, picks: list[int], on: date) -> None:
    """Completes or cancels some playbook tasks, so steps and outcomes are recorded."""
    with models.read() as conn:
        steps = [s for run in list_runs(conn, limit=500)["items"] for s in run["steps"]
                 if s["task_status"] == "todo"]
    for n, pick in enumerate(picks):
        if not steps:
            return
        step = steps.pop(pick % len(steps))
        if n % 3 == 2:
            story.app.cancel_task(actor="t", task_id=step["task_id"], cancelled_on=on,
                                  reason="not needed")
        else:
            story.finish(step["task_id"], on)


def _other_models(s: Settings) -> tuple[ReadModels, Settings]:
    if s.is_postgres:
        other = s.model_copy(update={"database_schema": f"{s.database_schema}_fresh"})
        return ReadModels.from_settings(other), other
    return ReadModels(f"sqlite:///{s.data_dir / 'views-fresh.db'}"), s
