"""Project (implementation delivery): weighted stages, progress, contract progress."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cs_domain.app import CustomerSuccess
from cs_domain.errors import InvalidInput, TransitionNotAllowed
from cs_domain.project import (
    DEFAULT_STAGES,
    Project,
    ProjectWeights,
    contract_progress,
    progress_ratio,
)
from tests.domain.delivery_support import (
    event_names,
    last_event,
    new_contract,
    new_customer,
    replay,
    state,
)
from tests.profiles import examples

DAY = date(2025, 1, 10)


@pytest.fixture
def customer(app: CustomerSuccess, csm: UUID) -> UUID:
    return new_customer(app, csm)


@pytest.fixture
def contract(app: CustomerSuccess, customer: UUID) -> UUID:
    return new_contract(app, customer)


def open_project(app: CustomerSuccess, contract: UUID, **kw: object) -> UUID:
    args: dict = dict(actor="impl-1", contract_id=contract, name="Rollout", opened_on=DAY)
    args.update(kw)
    return app.open_project(**args).id


def test_default_stages_are_ordered_and_weigh_100():
    assert [name for name, _ in DEFAULT_STAGES] == [
        "kickoff", "deployment", "training", "go-live", "acceptance"]
    assert sum(weight for _, weight in DEFAULT_STAGES) == 100


def test_open_links_the_contract_and_its_customer(app: CustomerSuccess, customer: UUID,
                                                  contract: UUID):
    pid = open_project(app, contract)
    event = last_event(app, pid)
    assert type(event).__name__ == "Opened"
    assert (event.customer_id, event.contract_id, event.name, event.opened_on) == (
        customer, contract, "Rollout", DAY)
    assert [(s["name"], s["weight"]) for s in event.stages] == [
        (n, Decimal(w)) for n, w in DEFAULT_STAGES]
    project = app.load(Project, pid)
    assert project.progress() == 0 and project.status == "active"


def test_stage_steps_emit_events_and_move_progress(app: CustomerSuccess, contract: UUID):
    pid = open_project(app, contract)
    r1 = app.start_project_stage(actor="a", project_id=pid, stage="kickoff", started_on=DAY)
    r2 = app.complete_project_stage(actor="a", project_id=pid, stage="Kickoff",
                                    completed_on=DAY + timedelta(days=1))
    r3 = app.complete_project_stage(actor="a", project_id=pid, stage="deployment",
                                    completed_on=DAY + timedelta(days=20))
    r4 = app.reopen_project_stage(actor="a", project_id=pid, stage="deployment",
                                  reopened_on=DAY + timedelta(days=21), reason="server moved")
    assert [r.extra["progress"] for r in (r1, r2, r3, r4)] == [
        Decimal(0), Decimal("0.1"), Decimal("0.4"), Decimal("0.1")]
    assert event_names(app, pid) == ["Opened", "StageStarted", "StageCompleted",
                                     "StageCompleted", "StageReopened"]
    completed = list(app.repository.event_store.get(pid))[2]
    assert (completed.stage, completed.completed_on) == ("kickoff", DAY + timedelta(days=1))
    stage = app.load(Project, pid).stages[1]
    assert (stage["status"], stage["completed_on"]) == ("in_progress", None)


def test_complete_only_when_every_stage_is_done(app: CustomerSuccess, contract: UUID):
    pid = open_project(app, contract, stages=[("setup", 1), ("go-live", Decimal("2.5"))])
    app.complete_project_stage(actor="a", project_id=pid, stage="setup", completed_on=DAY)
    before = app.max_position()
    with pytest.raises(TransitionNotAllowed, match="1 stage"):
        app.complete_project(actor="a", project_id=pid, completed_on=DAY)
    assert app.max_position() == before
    app.complete_project_stage(actor="a", project_id=pid, stage="go-live",
                               completed_on=DAY + timedelta(days=3))
    assert app.load(Project, pid).progress() == 1
    with pytest.raises(InvalidInput) as err:
        app.complete_project(actor="a", project_id=pid, completed_on=DAY)
    assert err.value.errors[0].field == "completed_on"
    app.complete_project(actor="a", project_id=pid, completed_on=DAY + timedelta(days=3))
    assert event_names(app, pid)[-1] == "Completed"
    with pytest.raises(TransitionNotAllowed):
        app.reopen_project_stage(actor="a", project_id=pid, stage="setup", reopened_on=DAY,
                                 reason="x")
    with pytest.raises(TransitionNotAllowed):
        app.cancel_project(actor="a", project_id=pid, cancelled_on=DAY, reason="x")


def test_refused_stage_moves_and_cancel(app: CustomerSuccess, contract: UUID):
    pid = open_project(app, contract)
    app.start_project_stage(actor="a", project_id=pid, stage="training", started_on=DAY)
    before = app.max_position()
    with pytest.raises(TransitionNotAllowed):
        app.start_project_stage(actor="a", project_id=pid, stage="training", started_on=DAY)
    with pytest.raises(TransitionNotAllowed):
        app.reopen_project_stage(actor="a", project_id=pid, stage="kickoff", reopened_on=DAY,
                                 reason="x")
    with pytest.raises(InvalidInput) as unknown:
        app.start_project_stage(actor="a", project_id=pid, stage="migration", started_on=DAY)
    assert unknown.value.errors[0].field == "stage"
    with pytest.raises(InvalidInput) as early:
        app.complete_project_stage(actor="a", project_id=pid, stage="training",
                                   completed_on=DAY - timedelta(days=1))
    assert early.value.errors[0].field == "completed_on"
    assert app.max_position() == before
    app.cancel_project(actor="a", project_id=pid, cancelled_on=DAY, reason="customer paused")
    with pytest.raises(TransitionNotAllowed):
        app.complete_project_stage(actor="a", project_id=pid, stage="kickoff", completed_on=DAY)
    assert app.load(Project, pid).is_cancelled


@pytest.mark.parametrize(("stages", "fields"), [
    ([], ["stages"]),
    ([("a", 1), ("A ", 2)], ["stages[1].name"]),
    ([("a", 0)], ["stages[0].weight"]),
    ([("a", -1), ("b", 1.5)], ["stages[0].weight", "stages[1].weight"]),
    ([{"name": "", "weight": 1}], ["stages[0].name"]),
    (["kickoff"], ["stages[0].name", "stages[0].weight"]),
])
def test_custom_stage_lists_are_validated(app: CustomerSuccess, contract: UUID, stages: list,
                                          fields: list[str]):
    before = app.max_position()
    with pytest.raises(InvalidInput) as err:
        open_project(app, contract, stages=stages)
    assert [e.field for e in err.value.errors] == fields
    assert app.max_position() == before


def test_contract_must_exist_and_still_deliver(app: CustomerSuccess, contract: UUID):
    before = app.max_position()
    with pytest.raises(InvalidInput) as missing:
        open_project(app, uuid4())
    assert missing.value.errors[0].field == "contract_id"
    app.terminate_contract(actor="a", contract_id=contract, terminated_on=DAY, reason="void")
    after_termination = app.max_position()
    with pytest.raises(InvalidInput) as closed:
        open_project(app, contract)
    assert "terminated" in closed.value.errors[0].message
    assert app.max_position() == after_termination == before + 1


def test_snapshot_round_trips_stages(stored: CustomerSuccess, stored_customer: UUID):
    app, contract = stored, new_contract(stored, stored_customer)
    pid = open_project(app, contract, stages=[("a", Decimal("0.5")), ("b", 3)])
    app.start_project_stage(actor="a", project_id=pid, stage="a", started_on=DAY)
    app.complete_project_stage(actor="a", project_id=pid, stage="a", completed_on=DAY)
    live = app.load(Project, pid)
    app.take_snapshot(pid)
    assert app.snapshots is not None and list(app.snapshots.get(pid))
    assert state(app.repository.get(pid)) == state(live)
    assert app.repository.get(pid).progress() == Decimal("0.1428")


# --- pure progress rules -------------------------------------------------------------
def test_contract_progress_is_the_weight_average_of_live_projects():
    a = ProjectWeights(completed_weight=Decimal(40), total_weight=Decimal(100))
    b = ProjectWeights(completed_weight=Decimal(50), total_weight=Decimal(50))
    cancelled = ProjectWeights(Decimal(0), Decimal(100), is_cancelled=True)
    assert contract_progress([a, b]) == Decimal("0.6")  # (40 + 50) / (100 + 50)
    assert contract_progress([a, b, cancelled]) == Decimal("0.6")
    assert contract_progress([cancelled]) is None
    assert contract_progress([]) is None
    assert progress_ratio(Decimal(1), Decimal(3)) == Decimal("0.3333")
    assert progress_ratio(Decimal(2), Decimal(3)) == Decimal("0.6666")  # rounded down


weights = st.one_of(st.integers(1, 1000),
                    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(1000), places=2))


@settings(max_examples=examples(80), deadline=None)
@given(st.lists(st.tuples(weights, st.booleans()), min_size=1, max_size=8), st.randoms())
def test_progress_is_a_ratio_that_reaches_1_exactly_when_all_done(specs, rnd):
    stages = [(f"s{i}", w) for i, (w, _) in enumerate(specs)]
    project = Project.open(actor="a", customer_id=uuid4(), contract_id=uuid4(), name="p",
                           opened_on=DAY, stages=stages)
    order = list(range(len(stages)))
    rnd.shuffle(order)
    previous = project.progress()
    for i in order:
        if specs[i][1]:
            project.complete_stage(actor="a", stage=f"s{i}", completed_on=DAY)
            assert project.progress() >= previous
            previous = project.progress()
    progress = project.progress()
    assert 0 <= progress <= 1
    assert (progress == 1) == all(done for _, done in specs)
    assert (contract_progress([project]) == 1) == project.all_stages_done
    assert state(replay(list(project.collect_events()))) == state(project)


STAGE_COMMANDS = ["start", "complete", "reopen"]


def run_stage_command(app: CustomerSuccess, pid: UUID, command: str, stage: str) -> None:
    if command == "start":
        app.start_project_stage(actor="a", project_id=pid, stage=stage, started_on=DAY)
    elif command == "complete":
        app.complete_project_stage(actor="a", project_id=pid, stage=stage, completed_on=DAY)
    else:
        app.reopen_project_stage(actor="a", project_id=pid, stage=stage, reopened_on=DAY,
                                 reason="r")


@settings(max_examples=examples(15), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(STAGE_COMMANDS), st.integers(0, 2)), max_size=10))
def test_stored_stage_commands_match_a_model(app: CustomerSuccess, contract: UUID,
                                             steps: list[tuple[str, int]]):
    """Through the store: refused commands write nothing; what is stored is what was allowed."""
    names, weights = ["a", "b", "c"], [Decimal(1), Decimal(2), Decimal(5)]
    pid = open_project(app, contract, stages=list(zip(names, weights, strict=True)))
    model = ["pending"] * 3
    allowed_from = {"start": {"pending"}, "complete": {"pending", "in_progress"},
                    "reopen": {"done"}}
    after = {"start": "in_progress", "complete": "done", "reopen": "in_progress"}
    for command, i in steps:
        before = app.max_position()
        if model[i] in allowed_from[command]:
            run_stage_command(app, pid, command, names[i])
            model[i] = after[command]
            assert app.max_position() == before + 1
        else:
            with pytest.raises(TransitionNotAllowed):
                run_stage_command(app, pid, command, names[i])
            assert app.max_position() == before
    stored = app.load(Project, pid)
    assert [s["status"] for s in stored.stages] == model
    done = sum((w for w, s in zip(weights, model, strict=True) if s == "done"), Decimal(0))
    assert stored.progress() == progress_ratio(done, Decimal(8))
