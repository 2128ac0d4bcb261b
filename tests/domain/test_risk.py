"""Risk: its closed loop, refused transitions, overdue marking, and the atomic strategy."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_domain.app import CustomerSuccess
from cs_domain.errors import ConcurrencyConflict, InvalidInput, TransitionNotAllowed
from cs_domain.risk import Risk
from cs_domain.task import Task
from tests.domain.helpers import event_names, events_after, pending_names

RAISED = date(2025, 3, 1)
DUE = date(2025, 3, 15)
USER = uuid.uuid4()


def new_risk(**overrides: object) -> Risk:
    args: dict = dict(actor="u1", customer_id=uuid.uuid4(), title="Usage dropped",
                      category="adoption", severity="high", due_date=DUE, raised_on=RAISED,
                      owner_id=USER)
    args.update(overrides)
    return Risk.raise_risk(**args)


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


TODO = {"title": "Retrain staff", "assignee_id": USER, "due_date": DUE}
ACTIONS = {
    "set_strategy": lambda r: r.set_strategy(actor="m", strategy="Retrain", owner_id=USER,
                                             todos=[TODO], set_on=RAISED),
    "record_mitigation": lambda r: r.record_mitigation(actor="u", note="called",
                                                       recorded_on=RAISED),
    "close": lambda r: r.close(actor="u", resolution="usage back", closed_on=DUE),
    "reopen": lambda r: r.reopen(actor="u", reason="dropped again", reopened_on=DUE),
    "escalate": lambda r: r.escalate(actor="u", escalated_to=USER, reason="no answer",
                                     escalated_on=RAISED),
    "change_due_date": lambda r: r.change_due_date(
        actor="u", due_date=r.due_date + timedelta(days=1), changed_on=RAISED),
    "assign_owner": lambda r: r.assign_owner(actor="m", owner_id=uuid.uuid4()),
}
# Where each action is allowed and the status it leads to; anything else is refused.
ALLOWED = {
    "set_strategy": {"open": "mitigating", "mitigating": "mitigating"},
    "record_mitigation": {"open": "mitigating", "mitigating": "mitigating"},
    "close": {"open": "closed", "mitigating": "closed"},
    "reopen": {"closed": "open"},
    "escalate": {"open": "open", "mitigating": "mitigating"},
    "change_due_date": {"open": "open", "mitigating": "mitigating"},
    "assign_owner": {"open": "open", "mitigating": "mitigating"},
}


def risk_in(status: str) -> Risk:
    risk = new_risk()
    for action in {"open": [], "mitigating": ["record_mitigation"], "closed": ["close"]}[status]:
        ACTIONS[action](risk)
    assert risk.status == status
    return risk


def test_raise_records_raised_and_makes_the_raiser_owner():
    risk = new_risk(description="Active days fell from 5 to 2")
    [raised] = risk.collect_events()
    assert type(raised).__name__ == "Raised"
    assert (raised.actor, raised.category, raised.severity, raised.due_date, raised.raised_on) == (
        "u1", "adoption", "high", DUE, RAISED)
    assert (risk.status, risk.owner_id, risk.raised_by, risk.escalation_level) == (
        "open", USER, "u1", 0)


@pytest.mark.parametrize(("field", "overrides"), [
    ("title", {"title": ""}),
    ("category", {"category": "weather"}),
    ("severity", {"severity": "huge"}),
    ("due_date", {"due_date": RAISED - timedelta(days=1)}),
    ("description", {"description": "   "}),
])
def test_raise_names_the_bad_field(field, overrides):
    with pytest.raises(InvalidInput) as err:
        new_risk(**overrides)
    assert [e.field for e in err.value.errors] == [field]


@pytest.mark.parametrize("status", ["open", "mitigating", "closed"])
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_transition_table(status, action):
    risk = risk_in(status)
    version = risk.version
    if status in ALLOWED[action]:
        ACTIONS[action](risk)
        assert risk.status == ALLOWED[action][status]
        assert risk.version == version + 1
    else:
        with pytest.raises(TransitionNotAllowed):
            ACTIONS[action](risk)
        assert risk.version == version


def test_full_loop_emits_each_event_in_order():
    risk = new_risk()
    tasks = risk.set_strategy(actor="m", strategy="Retrain and weekly check-in", owner_id=USER,
                              todos=[TODO, {**TODO, "title": "Weekly call"}], set_on=RAISED)
    risk.record_mitigation(actor="u", note="training held", recorded_on=date(2025, 3, 5))
    risk.escalate(actor="u", escalated_to=USER, reason="owner unresponsive",
                  escalated_on=date(2025, 3, 6))
    risk.change_due_date(actor="m", due_date=date(2025, 3, 30), changed_on=date(2025, 3, 6))
    risk.close(actor="u", resolution="usage recovered", closed_on=date(2025, 3, 20))
    risk.reopen(actor="u", reason="usage dropped again", reopened_on=date(2025, 4, 1),
                due_date=date(2025, 4, 15))
    assert pending_names(risk) == ["Raised", "StrategySet", "MitigationRecorded", "Escalated",
                                   "DueDateChanged", "Closed", "Reopened"]
    assert [t.source_kind for t in tasks] == ["risk", "risk"]
    assert {t.source_id for t in tasks} == {risk.id}
    assert risk.task_ids == [t.id for t in tasks]
    assert (risk.status, risk.due_date, risk.times_reopened, risk.escalation_level) == (
        "open", date(2025, 4, 15), 1, 1)
    assert risk.resolution is None and risk.closed_on is None


def test_strategy_names_each_bad_todo_field():
    risk = new_risk()
    with pytest.raises(InvalidInput) as err:
        risk.set_strategy(actor="m", strategy="", owner_id=USER, set_on=RAISED - timedelta(1),
                          todos=[TODO, {"title": "", "assignee_id": "bob", "due_date": "soon"}])
    assert [e.field for e in err.value.errors] == [
        "strategy", "todos[1].title", "todos[1].assignee_id", "todos[1].due_date", "set_on"]
    assert risk.version == 1


def test_step_dates_may_not_precede_raising_or_closing():
    risk = new_risk()
    with pytest.raises(InvalidInput, match="closed_on"):
        risk.close(actor="u", resolution="r", closed_on=RAISED - timedelta(days=1))
    risk.close(actor="u", resolution="r", closed_on=DUE)
    with pytest.raises(InvalidInput, match="reopened_on"):
        risk.reopen(actor="u", reason="r", reopened_on=DUE - timedelta(days=1))


def test_escalation_levels_count_up():
    risk = new_risk()
    for level in (1, 2, 3):
        risk.escalate(actor="u", escalated_to=USER, reason="still stuck", escalated_on=RAISED)
        assert risk.escalation_level == level


# --- overdue -------------------------------------------------------------------------
def test_overdue_is_marked_once_after_the_due_date():
    risk = new_risk()
    assert not risk.mark_overdue(actor="system", now=at(DUE, 23))  # the due day is not late
    assert risk.mark_overdue(actor="system", now=at(DUE + timedelta(days=1)))
    assert not risk.mark_overdue(actor="system", now=at(DUE + timedelta(days=1)))
    assert not risk.mark_overdue(actor="system", now=at(DUE + timedelta(days=30)))
    events = [e for e in risk.collect_events() if type(e).__name__ == "MarkedOverdue"]
    assert len(events) == 1
    assert (events[0].due_date, events[0].owner_id) == (DUE, USER)


def test_a_new_due_date_or_a_reopen_rearms_the_overdue_mark():
    risk = new_risk()
    assert risk.mark_overdue(actor="system", now=at(date(2025, 3, 16)))
    risk.change_due_date(actor="m", due_date=date(2025, 3, 20), changed_on=date(2025, 3, 16))
    assert not risk.marked_overdue
    assert not risk.mark_overdue(actor="system", now=at(date(2025, 3, 20)))
    assert risk.mark_overdue(actor="system", now=at(date(2025, 3, 21)))
    risk.close(actor="u", resolution="ok", closed_on=date(2025, 3, 22))
    assert not risk.mark_overdue(actor="system", now=at(date(2025, 5, 1)))  # closed: never
    risk.reopen(actor="u", reason="again", reopened_on=date(2025, 5, 1))  # keeps 20 March
    assert risk.mark_overdue(actor="system", now=at(date(2025, 5, 1)))
    assert pending_names(risk).count("MarkedOverdue") == 3


@given(st.lists(st.integers(min_value=-5, max_value=40), min_size=1, max_size=15))
def test_marking_is_idempotent_for_any_sequence_of_ticks(offsets):
    """However often and in whatever order `tick` runs, an open risk is marked at most
    once, and is marked exactly when some tick came after its due date."""
    risk = new_risk()
    for offset in offsets:
        risk.mark_overdue(actor="system", now=at(DUE + timedelta(days=offset)))
    marks = pending_names(risk).count("MarkedOverdue")
    assert marks == (1 if max(offsets) > 0 else 0)
    assert risk.marked_overdue == (marks == 1)


# --- through the application, on both stores ---------------------------------------
def raise_on(app: CustomerSuccess, customer, actor: str, **kw):
    args = dict(actor=actor, customer_id=customer, title="Champion left", category="relationship",
                severity="critical", due_date=DUE, raised_on=RAISED)
    args.update(kw)
    return app.raise_risk(**args)


def test_strategy_saves_risk_and_tasks_in_one_position_range(
        app: CustomerSuccess, customer, csm, manager, support):
    risk_id = raise_on(app, customer, str(csm)).id
    head = app.max_position()
    result = app.set_risk_strategy(
        actor=str(manager), risk_id=risk_id, strategy="Find a new champion", owner_id=manager,
        set_on=RAISED, todos=[{"title": "Meet the director", "assignee_id": csm, "due_date": DUE},
                              {"title": "Review tickets", "assignee_id": support,
                               "due_date": DUE}])
    task_ids = result.extra["task_ids"]
    assert len(task_ids) == 2 and result.position == head + 3 == app.max_position()
    written = events_after(app, head)
    assert [(type(e).__qualname__, e.originator_id) for e in written] == [
        ("Risk.StrategySet", risk_id), ("Task.Created", task_ids[0]),
        ("Task.Created", task_ids[1])]
    for task_id, assignee in zip(task_ids, (csm, support), strict=True):
        task = app.repository.get(task_id)
        assert isinstance(task, Task)
        assert (task.source_kind, task.source_id, task.customer_id, task.assignee_id) == (
            "risk", risk_id, customer, assignee)
    risk = app.repository.get(risk_id)
    assert (risk.status, risk.owner_id, risk.task_ids) == ("mitigating", manager, task_ids)


def test_strategy_with_an_unknown_assignee_writes_nothing(app: CustomerSuccess, customer, csm,
                                                          manager):
    risk_id = raise_on(app, customer, str(csm)).id
    head = app.max_position()
    with pytest.raises(InvalidInput) as err:
        app.set_risk_strategy(
            actor=str(manager), risk_id=risk_id, strategy="s", owner_id=manager, set_on=RAISED,
            todos=[{"title": "a", "assignee_id": csm, "due_date": DUE},
                   {"title": "b", "assignee_id": uuid.uuid4(), "due_date": DUE}])
    assert err.value.errors[0].field == "todos[1].assignee_id"
    assert app.max_position() == head
    assert event_names(app, risk_id) == ["Raised"]


def test_a_conflicting_strategy_writes_no_task(app: CustomerSuccess, customer, csm, manager):
    """All or nothing inside the store: when the risk's save conflicts, the (new) tasks
    saved in the same transaction are not written either."""
    risk_id = raise_on(app, customer, str(csm)).id
    risk = app.repository.get(risk_id)
    tasks = risk.set_strategy(actor=str(manager), strategy="s", owner_id=manager, set_on=RAISED,
                              todos=[{"title": "a", "assignee_id": csm, "due_date": DUE}])
    app.record_risk_mitigation(actor=str(csm), risk_id=risk_id, note="called them",
                               recorded_on=RAISED)  # another writer gets there first
    head = app.max_position()
    with pytest.raises(ConcurrencyConflict):
        app.commit(risk, *tasks)
    assert app.max_position() == head
    assert not app.exists(tasks[0].id)


def test_risk_commands_on_the_store(app: CustomerSuccess, customer, csm, manager):
    risk_id = raise_on(app, customer, str(csm)).id
    assert app.repository.get(risk_id).owner_id == csm  # the raiser owns it
    app.record_risk_mitigation(actor=str(csm), risk_id=risk_id, note="visited",
                               recorded_on=RAISED)
    esc = app.escalate_risk(actor=str(csm), risk_id=risk_id, escalated_to=manager,
                            reason="needs a discount", escalated_on=RAISED)
    assert esc.extra["level"] == 1
    app.change_risk_due_date(actor=str(manager), risk_id=risk_id, due_date=date(2025, 3, 31),
                             changed_on=RAISED, reason="waiting for budget")
    app.assign_risk_owner(actor=str(manager), risk_id=risk_id, owner_id=manager)
    marked = app.mark_risk_overdue(actor="system", risk_id=risk_id, now=at(date(2025, 4, 1)))
    assert marked.extra["marked"] and marked.position == app.max_position()
    head = app.max_position()
    again = app.mark_risk_overdue(actor="system", risk_id=risk_id, now=at(date(2025, 4, 2)))
    assert not again.extra["marked"] and app.max_position() == head == again.position
    app.close_risk(actor=str(manager), risk_id=risk_id, resolution="discount agreed",
                   closed_on=date(2025, 4, 3))
    res = app.reopen_risk(actor=str(manager), risk_id=risk_id, reason="budget withdrawn",
                          reopened_on=date(2025, 4, 10), due_date=date(2025, 4, 30),
                          expected_version=7)
    assert res.version == 8
    assert event_names(app, risk_id) == [
        "Raised", "MitigationRecorded", "Escalated", "DueDateChanged", "OwnerAssigned",
        "MarkedOverdue", "Closed", "Reopened"]
    risk = app.repository.get(risk_id)
    assert (risk.status, risk.owner_id, risk.due_date, risk.escalated_to) == (
        "open", manager, date(2025, 4, 30), manager)


def test_refused_risk_commands_write_nothing(app: CustomerSuccess, customer, csm, manager):
    risk_id = raise_on(app, customer, str(csm)).id
    app.close_risk(actor=str(csm), risk_id=risk_id, resolution="false alarm", closed_on=RAISED)
    head = app.max_position()
    refused = [
        lambda: app.close_risk(actor=str(csm), risk_id=risk_id, resolution="x", closed_on=DUE),
        lambda: app.set_risk_strategy(actor=str(manager), risk_id=risk_id, strategy="s",
                                      owner_id=manager, set_on=DUE,
                                      todos=[{"title": "a", "assignee_id": csm, "due_date": DUE}]),
        lambda: app.escalate_risk(actor=str(csm), risk_id=risk_id, escalated_to=manager,
                                  reason="r", escalated_on=DUE),
        lambda: app.record_risk_mitigation(actor=str(csm), risk_id=risk_id, note="n",
                                           recorded_on=DUE),
    ]
    for command in refused:
        with pytest.raises(TransitionNotAllowed):
            command()
    app.reopen_risk(actor=str(csm), risk_id=risk_id, reason="it is real", reopened_on=DUE)
    head = app.max_position()
    with pytest.raises(TransitionNotAllowed):
        app.reopen_risk(actor=str(csm), risk_id=risk_id, reason="again", reopened_on=DUE)
    with pytest.raises(InvalidInput, match="customer_id"):
        raise_on(app, uuid.uuid4(), str(csm))
    with pytest.raises(InvalidInput, match="owner_id"):
        raise_on(app, customer, str(csm), owner_id=uuid.uuid4())
    with pytest.raises(InvalidInput, match="escalated_to"):
        app.escalate_risk(actor=str(csm), risk_id=risk_id, escalated_to=uuid.uuid4(),
                          reason="r", escalated_on=DUE)
    assert app.max_position() == head


def test_a_risk_raised_by_the_system_has_no_owner_until_a_strategy(app: CustomerSuccess,
                                                                   customer, manager):
    risk_id = raise_on(app, customer, "system").id
    assert app.repository.get(risk_id).owner_id is None
    app.set_risk_strategy(actor=str(manager), risk_id=risk_id, strategy="watch", owner_id=manager,
                          todos=[], set_on=RAISED)
    assert app.repository.get(risk_id).owner_id == manager
