"""Touchpoints: every kind, weekly reports with their week, training follow-ups."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest

from cs_domain.app import CustomerSuccess
from cs_domain.errors import InvalidInput, TransitionNotAllowed
from cs_domain.touchpoint import Touchpoint, TouchpointKind
from tests.domain.delivery_support import event_names, last_event, new_customer

MONDAY = date(2025, 6, 2)


@pytest.fixture
def customer(app: CustomerSuccess, csm: UUID) -> UUID:
    return new_customer(app, csm)


@pytest.mark.parametrize("kind", [k.value for k in TouchpointKind])
def test_every_kind_records_one_event(app: CustomerSuccess, customer: UUID, kind: str):
    week = MONDAY if kind == "weekly_report" else None
    result = app.record_touchpoint(
        actor="csm-1", customer_id=customer, kind=kind, occurred_on=MONDAY + timedelta(days=4),
        summary=" Reviewed adoption ", participants=["Dr. Wang", "Chen Jing"],
        next_steps=["send usage report"], week_start=week)
    event = last_event(app, result.id)
    assert type(event).__name__ == "Recorded"
    assert (event.actor, event.customer_id, event.kind, event.occurred_on, event.summary,
            event.participants, event.next_steps, event.week_start) == (
        "csm-1", customer, kind, MONDAY + timedelta(days=4), "Reviewed adoption",
        ["Dr. Wang", "Chen Jing"], ["send usage report"], week)
    assert result.position == app.max_position()


def test_weekly_report_covers_a_monday_to_sunday_week(app: CustomerSuccess, customer: UUID):
    tid = app.record_touchpoint(actor="a", customer_id=customer, kind="weekly_report",
                                occurred_on=MONDAY + timedelta(days=6), summary="3 calls",
                                week_start=MONDAY).id
    assert app.load(Touchpoint, tid).week_end == date(2025, 6, 8)


@pytest.mark.parametrize(("kwargs", "fields"), [
    ({"kind": "weekly_report"}, ["week_start"]),
    ({"kind": "weekly_report", "week_start": MONDAY + timedelta(days=1),
      "occurred_on": MONDAY + timedelta(days=5)}, ["week_start"]),
    ({"kind": "weekly_report", "week_start": MONDAY + timedelta(days=7)}, ["occurred_on"]),
    ({"kind": "call", "week_start": MONDAY}, ["week_start"]),
    ({"kind": "email"}, ["kind"]),
    ({"kind": "call", "summary": "", "participants": [""]}, ["summary", "participants"]),
    ({"kind": "qbr", "occurred_on": "2025-06-02"}, ["occurred_on"]),
])
def test_invalid_touchpoints_name_their_fields(app: CustomerSuccess, customer: UUID,
                                               kwargs: dict, fields: list[str]):
    args: dict = {"actor": "a", "customer_id": customer, "occurred_on": MONDAY,
                  "summary": "s"}
    args.update(kwargs)
    before = app.max_position()
    with pytest.raises(InvalidInput) as err:
        app.record_touchpoint(**args)
    assert [e.field for e in err.value.errors] == fields
    assert app.max_position() == before


def test_unknown_customer_is_refused(app: CustomerSuccess):
    before = app.max_position()
    with pytest.raises(InvalidInput) as err:
        app.record_touchpoint(actor="a", customer_id=uuid4(), kind="call", occurred_on=MONDAY,
                              summary="s")
    assert err.value.errors[0].field == "customer_id"
    assert app.max_position() == before


def test_training_follow_up_is_recorded_once(app: CustomerSuccess, customer: UUID):
    tid = app.record_touchpoint(actor="a", customer_id=customer, kind="training",
                                occurred_on=MONDAY, summary="front-desk training",
                                participants=["reception team"]).id
    with pytest.raises(InvalidInput) as early:
        app.record_training_follow_up(actor="a", touchpoint_id=tid,
                                      follow_up_on=MONDAY - timedelta(days=1), outcome="ok")
    assert early.value.errors[0].field == "follow_up_on"
    result = app.record_training_follow_up(actor="cs-2", touchpoint_id=tid,
                                           follow_up_on=MONDAY + timedelta(days=7),
                                           outcome="2 of 5 still need help with billing")
    event = last_event(app, tid)
    assert event_names(app, tid) == ["Recorded", "FollowUpRecorded"]
    assert (event.actor, event.follow_up_on, event.outcome) == (
        "cs-2", MONDAY + timedelta(days=7), "2 of 5 still need help with billing")
    assert result.version == 2
    before = app.max_position()
    with pytest.raises(TransitionNotAllowed, match="followed up already"):
        app.record_training_follow_up(actor="a", touchpoint_id=tid, follow_up_on=MONDAY,
                                      outcome="again")
    assert app.max_position() == before


def test_only_a_training_gets_a_follow_up(app: CustomerSuccess, customer: UUID):
    tid = app.record_touchpoint(actor="a", customer_id=customer, kind="onsite_visit",
                                occurred_on=MONDAY, summary="出差上门").id
    before = app.max_position()
    with pytest.raises(TransitionNotAllowed, match="not a training"):
        app.record_training_follow_up(actor="a", touchpoint_id=tid, follow_up_on=MONDAY,
                                      outcome="x")
    assert app.max_position() == before
