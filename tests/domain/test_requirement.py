"""Requirement: the closed loop in order, dated steps, refused out-of-order steps."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_domain.app import CustomerSuccess
from cs_domain.errors import InvalidInput, TransitionNotAllowed
from cs_domain.requirement import STEPS, Requirement
from tests.domain.helpers import event_names, pending_names

D0 = date(2025, 5, 1)


def new_requirement() -> Requirement:
    return Requirement.collect(actor="u", customer_id=uuid.uuid4(), requested_by="Dr. Zhou",
                               summary="Export invoices to Excel", on=D0)


# action name (as in STEPS) → how to take it on a given day
STEP_CALLS = {
    "classify": lambda r, on: r.classify(actor="u", category="feature", priority="high", on=on),
    "analyse": lambda r, on: r.analyse(actor="u", product_fit="partial", note="common ask", on=on),
    "hand over": lambda r, on: r.hand_to_product(actor="u", on=on, product_ref="PRD-12"),
    "schedule": lambda r, on: r.schedule(actor="pm", target_date=on + timedelta(days=30), on=on,
                                         release="2025.7"),
    "deliver": lambda r, on: r.deliver(actor="pm", on=on),
    "reject": lambda r, on: r.reject(actor="pm", reason="too specific", on=on),
    "give feedback on": lambda r, on: r.give_feedback(actor="u", feedback="told Dr. Zhou", on=on),
}
DELIVERED_PATH = ["classify", "analyse", "hand over", "schedule", "deliver", "give feedback on"]


def test_delivered_loop_emits_each_event_and_times_each_step():
    req = new_requirement()
    for i, step in enumerate(DELIVERED_PATH, start=1):
        STEP_CALLS[step](req, D0 + timedelta(days=i * 2))
    assert pending_names(req) == ["Collected", "Classified", "Analysed", "HandedToProduct",
                                  "Scheduled", "Delivered", "FeedbackGiven"]
    assert req.status == "feedback_given" and req.is_closed
    assert (req.category, req.priority, req.product_fit, req.product_ref, req.release) == (
        "feature", "high", "partial", "PRD-12", "2025.7")
    assert req.days_between("collected", "feedback_given") == 12
    assert req.days_between("handed_over", "delivered") == 4
    assert req.days_between("collected", "rejected") is None


@pytest.mark.parametrize("reject_after", ["analysed", "handed_over", "scheduled"])
def test_rejection_after_analysis_then_feedback(reject_after):
    req = new_requirement()
    path = ["classify", "analyse", "hand over", "schedule"]
    for step in path[: path.index({"analysed": "analyse", "handed_over": "hand over",
                                   "scheduled": "schedule"}[reject_after]) + 1]:
        STEP_CALLS[step](req, D0)
    STEP_CALLS["reject"](req, D0)
    STEP_CALLS["give feedback on"](req, D0)
    assert req.rejection_reason == "too specific" and req.status == "feedback_given"


@given(st.lists(st.sampled_from(sorted(STEP_CALLS)), max_size=10))
def test_only_steps_in_order_are_accepted(steps):
    """Any sequence: a step is taken exactly when STEPS allows it from the current
    status; otherwise TransitionNotAllowed and nothing changes."""
    req = new_requirement()
    for step in steps:
        before, version = req.status, req.version
        if before in STEPS[step]:
            STEP_CALLS[step](req, D0)
            assert req.version == version + 1
        else:
            with pytest.raises(TransitionNotAllowed):
                STEP_CALLS[step](req, D0)
            assert (req.status, req.version) == (before, version)


def test_steps_are_refused_out_of_order():
    req = new_requirement()
    for step in ["analyse", "hand over", "schedule", "deliver", "reject", "give feedback on"]:
        with pytest.raises(TransitionNotAllowed):
            STEP_CALLS[step](req, D0)
    STEP_CALLS["classify"](req, D0)
    with pytest.raises(TransitionNotAllowed):
        STEP_CALLS["classify"](req, D0)  # classified once: no second grading
    with pytest.raises(TransitionNotAllowed):
        STEP_CALLS["reject"](req, D0)  # not before it has been analysed


def test_a_step_may_not_be_dated_before_the_previous_one():
    req = new_requirement()
    with pytest.raises(InvalidInput) as err:
        STEP_CALLS["classify"](req, D0 - timedelta(days=1))
    assert err.value.errors[0].field == "on"


@pytest.mark.parametrize(("field", "call"), [
    ("category", lambda r: r.classify(actor="u", category="wish", priority="high", on=D0)),
    ("priority", lambda r: r.classify(actor="u", category="bug", priority="p9", on=D0)),
])
def test_classification_names_the_bad_field(field, call):
    with pytest.raises(InvalidInput) as err:
        call(new_requirement())
    assert err.value.errors[0].field == field


def test_requirement_commands_on_the_store(app: CustomerSuccess, customer, csm, manager):
    actor = str(csm)
    rid = app.collect_requirement(actor=actor, customer_id=customer, requested_by="Dr. Zhou",
                                  summary="Online booking", on=D0, detail="WeChat bookings").id
    app.classify_requirement(actor=actor, requirement_id=rid, category="feature",
                             priority="medium", on=D0)
    app.analyse_requirement(actor=actor, requirement_id=rid, product_fit="none",
                            note="not our market", on=D0 + timedelta(days=1))
    app.hand_requirement_to_product(actor=actor, requirement_id=rid, on=D0 + timedelta(days=2))
    app.schedule_requirement(actor=str(manager), requirement_id=rid,
                             target_date=date(2025, 9, 1), on=D0 + timedelta(days=3))
    app.deliver_requirement(actor=str(manager), requirement_id=rid, on=date(2025, 8, 30),
                            release="2025.9")
    last = app.give_requirement_feedback(actor=actor, requirement_id=rid,
                                         feedback="demoed to Dr. Zhou", on=date(2025, 9, 2),
                                         expected_version=6)
    assert (last.version, last.position) == (7, app.max_position())
    assert event_names(app, rid) == ["Collected", "Classified", "Analysed", "HandedToProduct",
                                     "Scheduled", "Delivered", "FeedbackGiven"]
    stored = app.repository.get(rid)
    assert stored.step_dates["delivered"] == date(2025, 8, 30)
    assert stored.days_between("collected", "feedback_given") == 124


def test_refused_requirement_commands_write_nothing(app: CustomerSuccess, customer, csm):
    rid = app.collect_requirement(actor=str(csm), customer_id=customer, requested_by="Ms. Li",
                                  summary="SMS reminders", on=D0).id
    head = app.max_position()
    with pytest.raises(TransitionNotAllowed):
        app.deliver_requirement(actor=str(csm), requirement_id=rid, on=D0)
    with pytest.raises(TransitionNotAllowed):
        app.reject_requirement(actor=str(csm), requirement_id=rid, reason="no", on=D0)
    with pytest.raises(InvalidInput, match="customer_id"):
        app.collect_requirement(actor=str(csm), customer_id=uuid.uuid4(), requested_by="x",
                                summary="y", on=D0)
    assert app.max_position() == head
