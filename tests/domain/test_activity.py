"""Activity (seed 001 §二.4): plan → prepare → launch → review → improve, cancel before the
launch; dated steps; outcome figures bounded; any other step refused and nothing changes."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_domain.activity import STEPS, Activity
from cs_domain.app import CustomerSuccess
from cs_domain.errors import InvalidInput, TransitionNotAllowed
from tests.domain.helpers import event_names, pending_names

D0 = date(2025, 3, 3)


def new_activity(**overrides: object) -> Activity:
    args: dict = dict(actor="u", customer_id=uuid.uuid4(), kind="revenue",
                      title="Spring whitening week", on=D0)
    args.update(overrides)
    return Activity.plan(**args)


STEP_CALLS = {
    "prepare": lambda a, on: a.prepare(actor="u", on=on, note="posters"),
    "launch": lambda a, on: a.launch(actor="u", on=on),
    "review": lambda a, on: a.review(actor="u", participants=120, revenue=Decimal("18600.00"),
                                     currency="CNY", note="31 packages sold", on=on),
    "improve": lambda a, on: a.improve(actor="u", improvement="post earlier", on=on),
    "cancel": lambda a, on: a.cancel(actor="u", reason="clinic moving", on=on),
}
TARGET = {"prepare": "prepared", "launch": "launched", "review": "reviewed",
          "improve": "improved", "cancel": "cancelled"}


def test_the_whole_cycle_records_each_step_and_the_outcome():
    a = new_activity(goal="30 packages")
    for i, step in enumerate(["prepare", "launch", "review", "improve"], start=1):
        STEP_CALLS[step](a, D0 + timedelta(days=7 * i))
    assert pending_names(a) == ["Planned", "Prepared", "Launched", "Reviewed", "Improved"]
    assert (a.status, a.participants, a.revenue, a.currency, a.has_run) == (
        "improved", 120, Decimal("18600.00"), "CNY", True)
    assert a.step_dates["reviewed"] == date(2025, 3, 24)
    assert a.improvement == "post earlier"


@given(st.lists(st.sampled_from(sorted(STEP_CALLS)), max_size=10))
def test_invalid_transitions_are_always_rejected(steps):
    """Any sequence: a step is taken exactly when STEPS allows it from the current status;
    otherwise TransitionNotAllowed and nothing changes (status, version, no event)."""
    a = new_activity()
    for step in steps:
        before, version = a.status, a.version
        if before in STEPS[step]:
            STEP_CALLS[step](a, D0)
            assert (a.status, a.version) == (TARGET[step], version + 1)
        else:
            with pytest.raises(TransitionNotAllowed):
                STEP_CALLS[step](a, D0)
            assert (a.status, a.version) == (before, version)
    assert a.has_run == (a.status in ("reviewed", "improved"))


@pytest.mark.parametrize(("field", "overrides"), [
    ("kind", {"kind": "party"}), ("title", {"title": " "}), ("title", {"title": "x" * 201}),
    ("goal", {"goal": "g" * 5001}),
])
def test_planning_names_the_bad_field(field, overrides):
    with pytest.raises(InvalidInput) as err:
        new_activity(**overrides)
    assert [e.field for e in err.value.errors] == [field]


def test_review_figures_are_checked_and_steps_may_not_go_back():
    a = new_activity()
    with pytest.raises(InvalidInput) as err:
        a.prepare(actor="u", on=D0 - timedelta(days=1))
    assert [e.field for e in err.value.errors] == ["on"]
    a.prepare(actor="u", on=D0)
    a.launch(actor="u", on=D0)
    for kwargs, fields in [
        ({"participants": -1}, {"participants"}),
        ({"participants": True}, {"participants"}),
        ({"revenue": Decimal("10")}, {"currency"}),
        ({"currency": "CNY"}, {"revenue"}),
        ({"revenue": Decimal("-1"), "currency": "CNY"}, {"revenue"}),
        ({"revenue": Decimal("1.001"), "currency": "CNY"}, {"revenue"}),
        ({"note": ""}, {"note"}),
    ]:
        args = {"participants": 10, "note": "ok", **kwargs}
        with pytest.raises(InvalidInput) as err:
            a.review(actor="u", on=D0, **args)
        assert {e.field for e in err.value.errors} == fields, kwargs
    assert a.status == "launched"
    a.review(actor="u", participants=0, note="influence only: no revenue", on=D0)
    assert (a.revenue, a.currency) == (None, None)


def test_activity_commands_on_the_application(app: CustomerSuccess, customer):
    planned = app.plan_activity(actor="u", customer_id=customer, kind="influence",
                                title="Open day", on=D0)
    app.prepare_activity(actor="u", activity_id=planned.id, on=D0)
    app.launch_activity(actor="u", activity_id=planned.id, on=D0, expected_version=3 - 1)
    app.review_activity(actor="u", activity_id=planned.id, participants=80, note="good", on=D0)
    app.improve_activity(actor="u", activity_id=planned.id, improvement="more posters", on=D0)
    assert event_names(app, planned.id) == ["Planned", "Prepared", "Launched", "Reviewed",
                                            "Improved"]
    head = app.max_position()
    with pytest.raises(InvalidInput) as err:
        app.plan_activity(actor="u", customer_id=uuid.uuid4(), kind="influence", title="x",
                          on=D0)
    assert err.value.errors[0].field == "customer_id"
    with pytest.raises(TransitionNotAllowed):
        app.cancel_activity(actor="u", activity_id=planned.id, reason="late", on=D0)
    assert app.max_position() == head
