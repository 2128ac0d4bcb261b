"""Complaint: received → investigating → resolved → reviewed, the 24 h target."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from cs_domain.app import CustomerSuccess
from cs_domain.complaint import Complaint
from cs_domain.errors import InvalidInput, TransitionNotAllowed
from tests.domain.helpers import event_names, pending_names

T0 = datetime(2025, 6, 3, 9, 30, tzinfo=timezone(timedelta(hours=8)))


def new_complaint(**overrides: object) -> Complaint:
    args: dict = dict(actor="u", customer_id=uuid.uuid4(), channel="phone",
                      summary="Billing run failed", severity="high", needs_resources=True,
                      received_at=T0)
    args.update(overrides)
    return Complaint.receive(**args)


# Valid inputs whatever the state (times after the last step), so only the order decides.
STEP_CALLS = {
    "investigate": lambda c: c.start_investigation(
        actor="u", started_at=c.last_step_at + timedelta(hours=1)),
    "resolve": lambda c: c.resolve(actor="u", resolution="patched", resolved_at=c.last_step_at
                                   + timedelta(hours=19), compensation="one month free"),
    "review": lambda c: c.review(actor="u", category="product_defect", root_cause="bad deploy",
                                 improvement="canary releases", reviewed_on=date(2025, 6, 10)),
}
ORDER = ["received", "investigating", "resolved", "reviewed"]


def test_full_flow_emits_each_event_and_meets_the_target():
    c = new_complaint()
    assert c.resolve_by == T0 + timedelta(hours=24)
    for step in ("investigate", "resolve", "review"):
        STEP_CALLS[step](c)
    assert pending_names(c) == ["Received", "InvestigationStarted", "Resolved", "Reviewed"]
    assert (c.status, c.within_target, c.hours_to_resolve) == ("reviewed", True, 20.0)
    assert (c.category, c.root_cause, c.improvement) == (
        "product_defect", "bad deploy", "canary releases")


def test_late_resolution_misses_the_target_and_no_resources_means_no_hour_target():
    c = new_complaint()
    STEP_CALLS["investigate"](c)
    assert c.is_past_target(T0 + timedelta(hours=25))
    c.resolve(actor="u", resolution="fixed", resolved_at=T0 + timedelta(hours=30))
    assert c.within_target is False
    quick = new_complaint(needs_resources=False)
    assert quick.resolve_by is None and not quick.is_past_target(T0 + timedelta(days=9))
    STEP_CALLS["investigate"](quick)
    quick.resolve(actor="u", resolution="explained", resolved_at=T0 + timedelta(hours=2))
    assert quick.within_target is None


@pytest.mark.parametrize("reached", ORDER)
@pytest.mark.parametrize("step", sorted(STEP_CALLS))
def test_only_the_next_step_is_accepted(reached, step):
    c = new_complaint()
    for s in ["investigate", "resolve", "review"][: ORDER.index(reached)]:
        STEP_CALLS[s](c)
    next_step = {"received": "investigate", "investigating": "resolve",
                 "resolved": "review"}.get(reached)
    if step == next_step:
        STEP_CALLS[step](c)
        assert c.status == ORDER[ORDER.index(reached) + 1]
    else:
        with pytest.raises(TransitionNotAllowed):
            STEP_CALLS[step](c)
        assert c.status == reached


@pytest.mark.parametrize(("field", "overrides"), [
    ("channel", {"channel": "pigeon"}),
    ("severity", {"severity": "meh"}),
    ("summary", {"summary": ""}),
    ("needs_resources", {"needs_resources": "yes"}),
    ("received_at", {"received_at": datetime(2025, 6, 3, 9)}),  # no time zone
])
def test_receive_names_the_bad_field(field, overrides):
    with pytest.raises(InvalidInput) as err:
        new_complaint(**overrides)
    assert [e.field for e in err.value.errors] == [field]


def test_steps_may_not_go_back_in_time():
    c = new_complaint()
    with pytest.raises(InvalidInput, match="started_at"):
        c.start_investigation(actor="u", started_at=T0 - timedelta(minutes=1))
    STEP_CALLS["investigate"](c)
    with pytest.raises(InvalidInput, match="resolved_at"):
        c.resolve(actor="u", resolution="r", resolved_at=T0)


def test_complaint_commands_on_the_store(app: CustomerSuccess, customer, support, csm):
    cid = app.receive_complaint(actor=str(support), customer_id=customer, channel="chat",
                                summary="Reports are empty", severity="critical",
                                needs_resources=True, received_at=T0).id
    app.start_complaint_investigation(actor=str(csm), complaint_id=cid,
                                      started_at=T0 + timedelta(minutes=10), note="calmed down")
    resolved = app.resolve_complaint(actor=str(csm), complaint_id=cid, resolution="reindexed",
                                     resolved_at=T0 + timedelta(hours=30))
    assert resolved.extra["within_target"] is False
    head = app.max_position()
    with pytest.raises(TransitionNotAllowed):
        app.resolve_complaint(actor=str(csm), complaint_id=cid, resolution="again",
                              resolved_at=T0 + timedelta(hours=31))
    with pytest.raises(InvalidInput, match="customer_id"):
        app.receive_complaint(actor=str(support), customer_id=uuid.uuid4(), channel="chat",
                              summary="x", severity="low", needs_resources=False, received_at=T0)
    assert app.max_position() == head
    app.review_complaint(actor=str(csm), complaint_id=cid, category="performance",
                         root_cause="index bloat", improvement="nightly reindex",
                         reviewed_on=date(2025, 6, 5), expected_version=3)
    assert event_names(app, cid) == ["Received", "InvestigationStarted", "Resolved", "Reviewed"]
    stored = app.repository.get(cid)
    assert stored.received_at == T0 and stored.resolved_at.utcoffset() == timedelta(hours=8)
    assert stored.resolve_by.astimezone(UTC) == (T0 + timedelta(hours=24)).astimezone(UTC)
