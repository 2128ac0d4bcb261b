"""The CSM's weekly brief (seed 003) through the API on both stores: submitted for a week,
shown as `brief` in `GET /team/weekly` (the other figures unchanged), each problem given a
follow-up owner by the manager and tracked to closure; bad input 422, forbidden steps 409,
others' briefs 403 — nothing written on any refusal."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.api.reads.conftest import ReadApi
from tests.api.work_support import fields

WEEK = "2025-W10"  # Monday 2025-03-03
BRIEF = {"summary": "Served 3 customers", "problems": ["Beta is silent", "No trainer"],
         "submitted_on": "2025-03-07"}


def _item(live: ReadApi, owner: Any, **params: Any) -> dict[str, Any]:
    body = live.read("/team/weekly", week=WEEK, owner_id=str(owner.id), **params)
    [item] = body["items"]
    return item  # type: ignore[no-any-return]


def test_a_brief_is_submitted_followed_up_and_closed(live: ReadApi):
    chen, manager, lin = live.user("csm", "Chen"), live.user("manager"), live.user("csm", "Lin")
    live.customer(chen)
    assert _item(live, chen)["brief"] is None
    live.ok("POST", f"/team/weekly/{WEEK}/brief",
            {**BRIEF, "summary": "  Served 3 customers "}, chen.headers)
    item = _item(live, chen)
    assert item["customers_touched"] == 0 and item["visits"] == 0  # the figures stay
    assert item["brief"] == {
        "summary": "Served 3 customers", "submitted_on": "2025-03-07",
        "submitted_by": str(chen.id), "problems": [
            {"problem": 0, "text": "Beta is silent", "status": "open", "follow_up_owner_id": None,
             "assigned_on": None, "closed_on": None, "resolution": None},
            {"problem": 1, "text": "No trainer", "status": "open", "follow_up_owner_id": None,
             "assigned_on": None, "closed_on": None, "resolution": None}]}
    base = f"/team/weekly/{WEEK}/briefs/{chen.id}/problems"
    live.ok("POST", f"{base}/0/follow-up", {"assignee_id": str(lin.id),
                                             "assigned_on": "2025-03-10"}, manager.headers)
    before = datetime.now(UTC).isoformat()
    live.ok("POST", f"{base}/0/close", {"resolution": "Visited", "closed_on": "2025-03-20"},
            manager.headers)
    problems = _item(live, chen)["brief"]["problems"]
    assert problems[0] == {"problem": 0, "text": "Beta is silent", "status": "closed",
                           "follow_up_owner_id": str(lin.id), "assigned_on": "2025-03-10",
                           "closed_on": "2025-03-20", "resolution": "Visited"}
    assert problems[1]["status"] == "open"
    then = _item(live, chen, as_of=before)["brief"]["problems"][0]
    assert (then["status"], then["follow_up_owner_id"]) == ("open", str(lin.id))
    assert _item(live, lin)["brief"] is None
    other_week = live.read("/team/weekly", week="2025-W11", owner_id=str(chen.id))
    assert other_week["items"][0]["brief"] is None
    # The manager's tracking list across weeks: open ones, or by follow-up owner.
    open_ones = live.read("/team/weekly/problems", status="open")["items"]
    assert [(p["week"], p["owner_id"], p["problem"]) for p in open_ones] == [
        (WEEK, str(chen.id), 1)]
    by_lin = live.read("/team/weekly/problems", follow_up_owner_id=str(lin.id))["items"]
    assert [(p["problem"], p["status"]) for p in by_lin] == [(0, "closed")]
    assert len(live.read("/team/weekly/problems", owner_id=str(chen.id))["items"]) == 2
    assert live.read("/team/weekly/problems", as_of=before, status="closed")["items"] == []
    assert live.get("/team/weekly/problems", status="done").status_code == 422


def test_forbidden_steps_are_409_and_write_nothing(live: ReadApi):
    chen, manager = live.user("csm"), live.user("manager")
    live.ok("POST", f"/team/weekly/{WEEK}/brief", BRIEF, chen.headers)
    base = f"/team/weekly/{WEEK}/briefs/{chen.id}/problems"
    head = live.head()
    again = live.post(f"/team/weekly/{WEEK}/brief", BRIEF, chen.headers)
    assert again.status_code == 409, again.text
    unowned = live.post(f"{base}/1/close", {"resolution": "x"}, manager.headers)
    assert unowned.status_code == 409, unowned.text  # no follow-up owner yet
    assert live.head() == head
    live.ok("POST", f"{base}/1/follow-up", {"assignee_id": str(chen.id)}, manager.headers)
    live.ok("POST", f"{base}/1/close", {"resolution": "Done"}, manager.headers)
    head = live.head()
    assert live.post(f"{base}/1/close", {"resolution": "x"}, manager.headers).status_code == 409
    assert live.post(f"{base}/1/follow-up", {"assignee_id": str(chen.id)},
                     manager.headers).status_code == 409
    assert live.head() == head


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/team/weekly/2025-10/brief", BRIEF, "week"),
    ("/team/weekly/2025-W53/brief", BRIEF, "week"),
    (f"/team/weekly/{WEEK}/brief", {**BRIEF, "summary": " "}, "summary"),
    (f"/team/weekly/{WEEK}/brief", {**BRIEF, "summary": "x" * 5001}, "summary"),
    (f"/team/weekly/{WEEK}/brief", {**BRIEF, "problems": ["p"] * 21}, "problems"),
    (f"/team/weekly/{WEEK}/brief", {**BRIEF, "problems": ["x" * 1001]}, "problems.0"),
    (f"/team/weekly/{WEEK}/brief", {**BRIEF, "problems": [" "]}, "problems.0"),
    (f"/team/weekly/{WEEK}/brief", {**BRIEF, "submitted_on": "2025-03-02"}, "submitted_on"),
    (f"/team/weekly/{WEEK}/brief", {**BRIEF, "submitted_on": "2200-01-01"}, "submitted_on"),
])
def test_a_bad_brief_is_422_naming_the_field(live: ReadApi, path: str, body: dict[str, Any],
                                             field: str):
    chen = live.user("csm")
    head = live.head()
    response = live.post(path, body, chen.headers)
    assert response.status_code == 422, response.text
    assert field in fields(response)
    assert live.head() == head


def test_bad_follow_ups_are_refused(live: ReadApi):
    chen, manager = live.user("csm"), live.user("manager")
    live.ok("POST", f"/team/weekly/{WEEK}/brief", BRIEF, chen.headers)
    base = f"/team/weekly/{WEEK}/briefs/{chen.id}/problems"
    head = live.head()
    cases = [
        (f"{base}/2/follow-up", {"assignee_id": str(chen.id)}, 422, "problem"),
        (f"{base}/20/follow-up", {"assignee_id": str(chen.id)}, 422, "problem"),
        (f"{base}/0/follow-up", {"assignee_id": str(manager.id), "assigned_on": "2025-03-01"},
         422, "assigned_on"),
        (f"{base}/0/follow-up", {"assignee_id": "00000000-0000-4000-8000-000000000000"}, 422,
         "assignee_id"),
        (f"{base}/0/close", {"resolution": "x" * 2001}, 422, "resolution"),
        (f"/team/weekly/2025-W11/briefs/{chen.id}/problems/0/follow-up",
         {"assignee_id": str(chen.id)}, 404, None),
    ]
    for path, body, status, field in cases:
        response = live.post(path, body, manager.headers)
        assert response.status_code == status, (path, response.text)
        if field is not None:
            assert field in fields(response), response.text
    assert live.head() == head


def test_own_brief_only_and_managers_follow_up(live: ReadApi):
    chen, lin = live.user("csm"), live.user("csm")
    manager = live.user("manager")
    head = live.head()
    response = live.post(f"/team/weekly/{WEEK}/brief", {**BRIEF, "owner_id": str(lin.id)},
                         chen.headers)
    assert response.status_code == 403
    assert live.head() == head
    live.ok("POST", f"/team/weekly/{WEEK}/brief", {**BRIEF, "owner_id": str(lin.id)},
            manager.headers)  # on the CSM's behalf
    head = live.head()
    base = f"/team/weekly/{WEEK}/briefs/{lin.id}/problems/0"
    assert live.post(f"{base}/follow-up", {"assignee_id": str(lin.id)},
                     lin.headers).status_code == 403
    assert live.head() == head
