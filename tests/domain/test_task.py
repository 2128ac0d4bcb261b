"""Task: its events, its allowed and refused transitions, and its commands on both stores."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_domain.app import CustomerSuccess
from cs_domain.errors import InvalidInput, NotFound, StaleVersion, TransitionNotAllowed
from cs_domain.task import Task, TaskStatus
from tests.domain.helpers import event_names, pending_names

D = date(2025, 3, 1)
ASSIGNEE = uuid.uuid4()
OTHER = uuid.uuid4()


def new_task(**overrides: object) -> Task:
    args: dict = dict(actor="u1", customer_id=uuid.uuid4(), title="Call the clinic",
                      assignee_id=ASSIGNEE, due_date=D)
    args.update(overrides)
    return Task.create(**args)


# Each action applied to a task; which statuses accept it and where it leads.
ACTIONS = {
    "start": (lambda t: t.start(actor="u", started_on=D), {"todo": "doing"}),
    "complete": (lambda t: t.complete(actor="u", completed_on=D), {"doing": "done"}),
    "cancel": (lambda t: t.cancel(actor="u", cancelled_on=D, reason="not needed"),
               {"todo": "cancelled", "doing": "cancelled"}),
    "reopen": (lambda t: t.reopen(actor="u", reopened_on=D, reason="not fixed"),
               {"done": "todo"}),
    "reassign": (lambda t: t.reassign(actor="u", assignee_id=uuid.uuid4()),
                 {"todo": "todo", "doing": "doing"}),
    "reschedule": (lambda t: t.reschedule(actor="u", due_date=t.due_date.replace(day=28)
                                          if t.due_date.day != 28 else D),
                   {"todo": "todo", "doing": "doing"}),
}


def task_in(status: str) -> Task:
    task = new_task()
    path = {"todo": [], "doing": ["start"], "done": ["start", "complete"],
            "cancelled": ["cancel"]}[status]
    for action in path:
        ACTIONS[action][0](task)
    assert task.status == status
    return task


def test_create_records_created_with_its_fields():
    source = uuid.uuid4()
    task = new_task(source_kind="risk", source_id=source, description="  why  ")
    events = task.collect_events()
    assert [type(e).__name__ for e in events] == ["Created"]
    created = events[0]
    assert (created.actor, created.title, created.assignee_id, created.due_date) == (
        "u1", "Call the clinic", ASSIGNEE, D)
    assert (created.source_kind, created.source_id) == ("risk", source)
    assert task.status == TaskStatus.TODO and task.is_open


@pytest.mark.parametrize(("field", "overrides"), [
    ("title", {"title": "  "}),
    ("source_kind", {"source_kind": "email", "source_id": uuid.uuid4()}),
    ("source_id", {"source_kind": "risk"}),
    ("source_id", {"source_id": uuid.uuid4()}),
    ("description", {"description": ""}),
])
def test_create_names_the_bad_field(field, overrides):
    with pytest.raises(InvalidInput) as err:
        new_task(**overrides)
    assert field in [e.field for e in err.value.errors]


@pytest.mark.parametrize("status", ["todo", "doing", "done", "cancelled"])
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_transition_table(status, action):
    task = task_in(status)
    run, moves = ACTIONS[action]
    version = task.version
    if status in moves:
        run(task)
        assert task.status == moves[status]
        assert task.version == version + 1
    else:
        with pytest.raises(TransitionNotAllowed):
            run(task)
        assert task.version == version


def test_each_command_emits_its_event():
    task = new_task()
    task.start(actor="u", started_on=D)
    task.complete(actor="u", completed_on=D, note="done on site")
    task.reopen(actor="u", reopened_on=D, reason="came back")
    task.reassign(actor="u", assignee_id=OTHER, reason="holiday")
    task.reschedule(actor="u", due_date=date(2025, 4, 1))
    task.cancel(actor="u", cancelled_on=D, reason="superseded")
    assert pending_names(task) == ["Created", "Started", "Completed", "Reopened", "Reassigned",
                                   "Rescheduled", "Cancelled"]
    assert (task.assignee_id, task.due_date, task.times_reopened) == (OTHER, date(2025, 4, 1), 1)


def test_reopen_starts_over():
    task = task_in("done")
    task.reopen(actor="u", reopened_on=D, reason="regression")
    assert (task.status, task.started_on, task.completed_on) == ("todo", None, None)
    with pytest.raises(TransitionNotAllowed):
        task.complete(actor="u", completed_on=D)


def test_dates_must_be_ordered_and_changes_real():
    task = new_task()
    task.start(actor="u", started_on=date(2025, 3, 5))
    with pytest.raises(InvalidInput) as err:
        task.complete(actor="u", completed_on=date(2025, 3, 4))
    assert err.value.errors[0].field == "completed_on"
    with pytest.raises(InvalidInput, match="assignee_id"):
        task.reassign(actor="u", assignee_id=ASSIGNEE)
    with pytest.raises(InvalidInput, match="due_date"):
        task.reschedule(actor="u", due_date=D)
    with pytest.raises(InvalidInput, match="reason"):
        task.cancel(actor="u", cancelled_on=D, reason=" ")


@given(st.lists(st.sampled_from(sorted(ACTIONS)), max_size=12))
def test_any_sequence_follows_the_table(actions):
    """Whatever is tried, the task only ever moves along the table's edges."""
    task = new_task()
    for action in actions:
        run, moves = ACTIONS[action]
        before = task.status
        if before in moves:
            run(task)
            assert task.status == moves[before]
        else:
            with pytest.raises(TransitionNotAllowed):
                run(task)
            assert task.status == before
    assert task.is_overdue(date(2025, 3, 2)) == (task.is_open and task.due_date < date(2025, 3, 2))


# --- through the application, on both stores ---------------------------------------
def test_task_commands_on_the_store(app: CustomerSuccess, customer, csm, support):
    actor = str(csm)
    created = app.create_task(actor=actor, customer_id=customer, title="Train the staff",
                              assignee_id=csm, due_date=D)
    assert (created.version, created.position) == (1, app.max_position())
    app.start_task(actor=actor, task_id=created.id, started_on=D, expected_version=1)
    app.reassign_task(actor=actor, task_id=created.id, assignee_id=support)
    app.reschedule_task(actor=actor, task_id=created.id, due_date=date(2025, 3, 9))
    app.complete_task(actor=actor, task_id=created.id, completed_on=date(2025, 3, 8))
    app.reopen_task(actor=actor, task_id=created.id, reopened_on=date(2025, 3, 9),
                    reason="staff changed")
    done = app.cancel_task(actor=actor, task_id=created.id, cancelled_on=date(2025, 3, 9),
                           reason="clinic closed")
    assert done.version == 7 and done.position == app.max_position()
    assert event_names(app, created.id) == ["Created", "Started", "Reassigned", "Rescheduled",
                                            "Completed", "Reopened", "Cancelled"]
    task = app.repository.get(created.id)
    assert (task.status, task.assignee_id, task.due_date) == ("cancelled", support,
                                                              date(2025, 3, 9))


def test_create_task_checks_references_and_writes_nothing(app: CustomerSuccess, customer, csm):
    head = app.max_position()
    cases = [
        ("customer_id", dict(customer_id=uuid.uuid4(), assignee_id=csm)),
        ("assignee_id", dict(customer_id=customer, assignee_id=uuid.uuid4())),
        ("source_id", dict(customer_id=customer, assignee_id=csm, source_kind="risk",
                           source_id=uuid.uuid4())),
    ]
    for field, refs in cases:
        with pytest.raises(InvalidInput) as err:
            app.create_task(actor=str(csm), title="x", due_date=D, **refs)
        assert err.value.errors[0].field == field
    assert app.max_position() == head


def test_refused_and_stale_commands_write_nothing(app: CustomerSuccess, customer, csm):
    task_id = app.create_task(actor=str(csm), customer_id=customer, title="x", assignee_id=csm,
                              due_date=D).id
    head = app.max_position()
    with pytest.raises(TransitionNotAllowed):
        app.complete_task(actor=str(csm), task_id=task_id, completed_on=D)
    with pytest.raises(StaleVersion):
        app.start_task(actor=str(csm), task_id=task_id, started_on=D, expected_version=3)
    with pytest.raises(InvalidInput):
        app.reassign_task(actor=str(csm), task_id=task_id, assignee_id=uuid.uuid4())
    with pytest.raises(NotFound):
        app.start_task(actor=str(csm), task_id=uuid.uuid4(), started_on=D)
    with pytest.raises(NotFound):  # an id of another kind of item is no task
        app.start_task(actor=str(csm), task_id=customer, started_on=D)
    assert app.max_position() == head
    assert event_names(app, task_id) == ["Created"]
