"""Tasks through HTTP: the flow with its events, who may update (the assignee, managers),
links to what spawned a task, and 404 / 409 / 412 / 422 writing nothing."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from tests.api.conftest import Api
from tests.api.work_support import DUE, fields, plan, task


@pytest.fixture
def team(api: Api) -> dict[str, Any]:
    csm, manager, support = api.user("csm"), api.user("manager"), api.user("support")
    return {"csm": csm, "manager": manager, "support": support, "customer": api.customer(csm)}


def test_the_task_flow(api: Api, team: dict[str, Any]):
    csm, manager, support = team["csm"], team["manager"], team["support"]
    start = api.head()
    r = api.post("/tasks", {"customer_id": team["customer"], "title": "Install the SMS module",
                            "assignee_id": str(support.id), "due_date": DUE,
                            "description": "Both clinics"}, headers=csm.headers)
    assert r.status_code == 201 and r.json()["version"] == 1
    task_id = r.json()["id"]
    steps = [
        (support, "start", {"started_on": "2025-03-02"}),
        (support, "reschedule", {"due_date": "2025-04-10", "reason": "waiting on the vendor"}),
        (support, "complete", {"completed_on": "2025-03-20", "note": "installed"}),
        (support, "reopen", {"reason": "second clinic missing", "reopened_on": "2025-03-21"}),
        (manager, "reassign", {"assignee_id": str(csm.id), "reason": "needs the customer"}),
        (csm, "cancel", {"reason": "customer dropped it", "cancelled_on": "2025-03-25"}),
    ]
    for version, (user, verb, body) in enumerate(steps, start=2):
        r = api.post(f"/tasks/{task_id}/{verb}", body, headers=user.headers)
        assert r.status_code == 200, (verb, r.text)
        assert r.json()["version"] == version and r.json()["position"] == api.head()
    events = api.events(after=start)
    assert [e["type"] for e in events] == [
        "Task.Created", "Task.Started", "Task.Rescheduled", "Task.Completed", "Task.Reopened",
        "Task.Reassigned", "Task.Cancelled"]
    assert [e["actor"] for e in events] == [str(csm.id), *[str(support.id)] * 4,
                                            str(manager.id), str(csm.id)]
    assert events[0]["data"]["assignee_id"] == str(support.id)
    assert events[2]["data"] == {"due_date": "2025-04-10", "previous_due_date": DUE,
                                 "reason": "waiting on the vendor"}
    assert events[5]["data"]["previous_assignee_id"] == str(support.id)


def test_only_the_assignee_and_managers_update_a_task(api: Api, team: dict[str, Any]):
    csm, manager, support = team["csm"], team["manager"], team["support"]
    task_id = task(api, team["customer"], support)
    # The customer's own CSM is not the assignee: no.
    assert api.post(f"/tasks/{task_id}/start", {}, headers=csm.headers).status_code == 403
    api.ok("POST", f"/tasks/{task_id}/reassign", {"assignee_id": str(csm.id)},
           headers=manager.headers)
    assert api.post(f"/tasks/{task_id}/start", {}, headers=support.headers).status_code == 403
    assert api.post(f"/tasks/{task_id}/start", {}, headers=csm.headers).status_code == 200
    # Reassigning is a manager's call, even for the assignee.
    r = api.post(f"/tasks/{task_id}/reassign", {"assignee_id": str(support.id)},
                 headers=csm.headers)
    assert r.status_code == 403


def test_a_task_can_name_what_it_belongs_to(api: Api, team: dict[str, Any]):
    plan_id, _ = plan(api, team["customer"])
    body = {"customer_id": team["customer"], "title": "Prepare the kickoff deck",
            "assignee_id": str(team["csm"].id), "due_date": DUE, "source_kind": "plan",
            "source_id": plan_id}
    api.ok("POST", "/tasks", body, headers=team["csm"].headers)
    created = api.events()[-1]
    assert created["data"]["source_kind"] == "plan" and created["data"]["source_id"] == plan_id
    head = api.head()
    r = api.post("/tasks", {**body, "source_id": str(uuid4())})
    assert r.status_code == 422 and set(fields(r)) == {"source_id"}
    r = api.post("/tasks", {**body, "source_kind": None})
    assert r.status_code == 422 and set(fields(r)) == {"source_id"}
    assert api.head() == head


@pytest.mark.parametrize("verb,body", [
    ("start", {}), ("complete", {}), ("cancel", {"reason": "r"}), ("reopen", {"reason": "r"}),
    ("reassign", {"assignee_id": str(uuid4())}), ("reschedule", {"due_date": "2025-05-01"}),
])
def test_unknown_task_is_404(api: Api, verb: str, body: dict[str, Any]):
    head = api.head()
    r = api.post(f"/tasks/{uuid4()}/{verb}", body)
    assert r.status_code == 404 and r.json()["type"].endswith("/not-found")
    assert api.head() == head


def test_refusals_write_nothing(api: Api, team: dict[str, Any]):
    csm, customer = team["csm"], team["customer"]
    todo = task(api, customer, csm)
    done = task(api, customer, csm, status="done")
    head = api.head()
    for path, body, state in [(f"/tasks/{todo}/complete", {}, "todo"),
                              (f"/tasks/{done}/cancel", {"reason": "late"}, "done"),
                              (f"/tasks/{todo}/reopen", {"reason": "r"}, "todo"),
                              (f"/tasks/{done}/reschedule", {"due_date": "2025-06-01"}, "done")]:
        r = api.post(path, body, headers=csm.headers)
        assert r.status_code == 409 and r.json()["state"] == state, path
    r = api.request("POST", f"/tasks/{todo}/start", {**csm.headers, "If-Match": '"2"'}, json={})
    assert r.status_code == 412 and r.json()["expected_version"] == 2
    r = api.post("/tasks", {"customer_id": customer, "title": " ", "assignee_id": str(uuid4()),
                            "due_date": "tomorrow"})
    assert set(fields(r)) == {"due_date"}
    r = api.post("/tasks", {"customer_id": customer, "title": " ", "assignee_id": str(csm.id),
                            "due_date": DUE})
    assert set(fields(r)) == {"title"}
    r = api.post("/tasks", {"customer_id": customer, "title": "t", "assignee_id": str(uuid4()),
                            "due_date": DUE})
    assert set(fields(r)) == {"assignee_id"}
    r = api.post(f"/tasks/{todo}/reschedule", {"due_date": DUE}, headers=csm.headers)
    assert set(fields(r)) == {"due_date"}
    r = api.post(f"/tasks/{done}/reopen", {"reason": "r", "reopened_on": "2025-01-01"},
                 headers=csm.headers)
    assert set(fields(r)) == {"reopened_on"}
    assert api.head() == head
