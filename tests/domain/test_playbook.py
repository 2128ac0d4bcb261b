"""Playbook definitions and runs through the application service, on both stores."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_domain.app import CustomerSuccess
from cs_domain.errors import DuplicateKey, InvalidInput, TransitionNotAllowed
from cs_domain.playbook import Playbook
from cs_domain.playbook_defaults import DEFAULT_PLAYBOOKS
from cs_domain.playbook_rules import drop_occurrence, growth_sustained, inactive, quarter_start
from cs_domain.playbook_run import PlaybookRun
from cs_domain.task import Task

D0 = date(2026, 3, 2)


@pytest.fixture
def customer(app: CustomerSuccess, csm):
    support, _ = app.create_user(actor="system", name="Zhao Min", role="support")
    res = app.register_customer(actor=str(csm), name="Acme", tier="strategic", owner_id=csm,
                                support_manager_id=support.id)
    return res.id, support.id


def test_defaults_install_once(app: CustomerSuccess):
    ids = app.install_default_playbooks(actor="system")
    assert len(ids) == len(DEFAULT_PLAYBOOKS)
    head = app.max_position()
    assert app.install_default_playbooks(actor="system") == []
    assert app.max_position() == head
    onboarding = app.load(Playbook, Playbook.id_for("onboarding"))
    assert onboarding.trigger_kind == "contract_activated"
    assert [a["offset_days"] for a in onboarding.actions][-5:] == [7, 14, 30, 60, 90]


def test_definition_errors_name_the_field(app: CustomerSuccess):
    definition = dict(DEFAULT_PLAYBOOKS["qbr"])
    definition["actions"] = [dict(definition["actions"][0], offset_days=-1),
                             *definition["actions"][1:]]
    head = app.max_position()
    with pytest.raises(InvalidInput) as err:
        app.define_playbook(actor="m", key="qbr2", **definition)
    assert [e.field for e in err.value.errors] == ["actions[0].offset_days"]
    with pytest.raises(InvalidInput) as err:
        app.define_playbook(actor="m", key="x", **dict(definition, trigger_kind="moon"))
    assert "trigger_kind" in {e.field for e in err.value.errors}
    assert app.max_position() == head


def test_duplicate_key_refused(app: CustomerSuccess):
    app.install_default_playbooks(actor="system")
    with pytest.raises(DuplicateKey):
        app.define_playbook(actor="m", key="qbr", **DEFAULT_PLAYBOOKS["qbr"])


def test_run_turns_actions_into_owned_tasks(app: CustomerSuccess, csm, customer):
    customer_id, support_id = customer
    app.install_default_playbooks(actor="system")
    definition = dict(DEFAULT_PLAYBOOKS["qbr"])
    definition["actions"] = [dict(definition["actions"][0], owner_role="support_manager"),
                             *definition["actions"][1:]]
    app.revise_playbook(actor="m", playbook_id=Playbook.id_for("qbr"), **definition)
    res = app.start_playbook_run(actor="system", playbook_key="qbr", customer_id=customer_id,
                                 occurrence_key=f"customer:{customer_id}:2026Q1",
                                 triggered_on=D0)
    assert res.extra["started"] is True
    run = app.load(PlaybookRun, res.id)
    assert run.playbook_version == 2
    tasks = [app.load(Task, tid) for tid in res.extra["task_ids"]]
    assert [t.assignee_id for t in tasks] == [support_id, csm, csm]
    assert [t.due_date for t in tasks] == [D0, D0 + timedelta(days=14), D0 + timedelta(days=16)]
    assert all(t.source_kind == "playbook_run" and t.source_id == run.id for t in tasks)


def test_same_occurrence_never_starts_twice(app: CustomerSuccess, customer):
    customer_id, _ = customer
    app.install_default_playbooks(actor="system")
    kwargs = dict(actor="system", playbook_key="churn_winback", customer_id=customer_id,
                  occurrence_key="contract:x:churned", triggered_on=D0)
    first = app.start_playbook_run(**kwargs)
    head = app.max_position()
    again = app.start_playbook_run(**kwargs)
    assert again.extra["started"] is False and again.id == first.id
    assert app.max_position() == head


def test_steps_complete_the_run_once(app: CustomerSuccess, customer):
    customer_id, _ = customer
    app.install_default_playbooks(actor="system")
    res = app.start_playbook_run(actor="system", playbook_key="churn_winback",
                                 customer_id=customer_id, occurrence_key="c:1", triggered_on=D0)
    for i, tid in enumerate(res.extra["task_ids"]):
        out = app.record_playbook_step(actor="system", run_id=res.id, task_id=tid,
                                       done_on=D0 + timedelta(days=i))
        assert out.extra["recorded"] is True
    run = app.load(PlaybookRun, res.id)
    assert run.status == "completed" and run.ended_on == D0 + timedelta(days=2)
    head = app.max_position()
    out = app.record_playbook_step(actor="system", run_id=res.id, task_id=res.extra["task_ids"][0],
                                   done_on=D0)
    assert out.extra["recorded"] is False and app.max_position() == head


def test_abandon_cancels_open_tasks_atomically(app: CustomerSuccess, customer):
    customer_id, _ = customer
    app.install_default_playbooks(actor="system")
    res = app.start_playbook_run(actor="system", playbook_key="expansion",
                                 customer_id=customer_id, occurrence_key="g:1", triggered_on=D0)
    before = app.max_position()
    out = app.abandon_playbook_run(actor="m", run_id=res.id, abandoned_on=D0, reason="deal lost")
    assert out.position == before + 3  # the run's event and two task cancellations
    assert all(app.load(Task, t).status == "cancelled" for t in res.extra["task_ids"])
    with pytest.raises(TransitionNotAllowed):
        app.abandon_playbook_run(actor="m", run_id=res.id, abandoned_on=D0, reason="again")


def test_retired_playbook_starts_nothing(app: CustomerSuccess, customer):
    customer_id, _ = customer
    app.install_default_playbooks(actor="system")
    app.retire_playbook(actor="m", playbook_id=Playbook.id_for("qbr"), reason="paused")
    head = app.max_position()
    res = app.start_playbook_run(actor="system", playbook_key="qbr", customer_id=customer_id,
                                 occurrence_key="q", triggered_on=D0)
    assert res.extra["started"] is False and app.max_position() == head


def test_outcome_measured_once(app: CustomerSuccess, customer):
    customer_id, _ = customer
    app.install_default_playbooks(actor="system")
    res = app.start_playbook_run(actor="system", playbook_key="renewal_readiness",
                                 customer_id=customer_id, occurrence_key="r", triggered_on=D0)
    assert app.measure_playbook_outcome(actor="system", run_id=res.id, metric="renewed",
                                        achieved=True, measured_on=D0).extra["recorded"]
    head = app.max_position()
    assert not app.measure_playbook_outcome(actor="system", run_id=res.id, metric="renewed",
                                            achieved=False, measured_on=D0).extra["recorded"]
    assert app.max_position() == head
    assert app.load(PlaybookRun, res.id).outcomes["renewed"]["achieved"] is True


# --- pure trigger rules -------------------------------------------------------------
def test_drop_within_window():
    weeks = [(D0, Decimal(5)), (D0 + timedelta(7), Decimal(4)), (D0 + timedelta(14), Decimal("3.5"))]
    assert drop_occurrence(weeks, 14, Decimal("0.30")) == D0 + timedelta(14)
    assert drop_occurrence(weeks, 7, Decimal("0.30")) is None  # 4 → 3.5 is only 12.5 %
    assert drop_occurrence(weeks[:1], 14, Decimal("0.30")) is None


def test_inactivity_and_quarters():
    assert inactive(D0, D0, D0 + timedelta(29), 30) is None
    assert inactive(D0, D0, D0 + timedelta(30), 30) == D0 + timedelta(30)
    assert inactive(None, D0, D0 + timedelta(45), 30) == D0 + timedelta(30)
    assert quarter_start(date(2026, 5, 17)) == date(2026, 4, 1)


@given(st.lists(st.decimals(min_value=0, max_value=7, places=1), min_size=1, max_size=10),
       st.integers(min_value=1, max_value=8))
def test_growth_requires_strict_rise(values, weeks):
    if growth_sustained(values, weeks, Decimal("0.2")):
        window = values[-(weeks + 1):]
        assert all(b > a for a, b in itertools.pairwise(window))
        assert window[-1] >= window[0] * Decimal("1.2")


@pytest.mark.parametrize(("key", "params", "field"), [
    ("low_engagement_drop", {"drop_ratio": "a lot", "window_days": 14}, "trigger_params.drop_ratio"),
    ("low_engagement_drop", {"drop_ratio": "1.5", "window_days": 14}, "trigger_params.drop_ratio"),
    ("low_engagement_drop", {"drop_ratio": "0.3", "window_days": "14"}, "trigger_params.window_days"),
    ("renewal_readiness", {"days_before": 0}, "trigger_params.days_before"),
    ("expansion", {"weeks": 4, "growth_ratio": "NaN"}, "trigger_params.growth_ratio"),
])
def test_trigger_parameters_must_be_usable(key, params, field):
    definition = dict(DEFAULT_PLAYBOOKS[key], trigger_params=params)
    with pytest.raises(InvalidInput) as err:
        Playbook.define(actor="m", key="custom", **definition)
    assert [e.field for e in err.value.errors] == [field]
    assert Playbook.define(actor="m", key="ok", **DEFAULT_PLAYBOOKS[key]).key == "ok"
