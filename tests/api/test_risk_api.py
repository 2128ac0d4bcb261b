"""Risks through HTTP: the whole loop with its events and actors, todos as tasks, the
default business date, idempotent retry, and 404 / 409 / 412 / 422 writing nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest

from api.writes import REPLAY_HEADER
from tests.api.conftest import ADMIN, Api
from tests.api.work_support import DUE, RAISED, fields, risk


@pytest.fixture
def team(api: Api) -> dict[str, Any]:
    csm, manager, support = api.user("csm"), api.user("manager"), api.user("support")
    return {"csm": csm, "manager": manager, "support": support, "customer": api.customer(csm)}


def strategy_body(owner: Any, *assignees: Any) -> dict[str, Any]:
    return {"strategy": "Fix the sync, then visit the director", "owner_id": str(owner.id),
            "set_on": "2025-03-02",
            "todos": [{"title": f"Todo {i}", "assignee_id": str(a.id), "due_date": "2025-03-20"}
                      for i, a in enumerate(assignees)]}


def test_the_risk_loop(api: Api, team: dict[str, Any]):
    csm, manager, support = team["csm"], team["manager"], team["support"]
    start = api.head()
    r = api.post("/risks", {"customer_id": team["customer"], "title": "Double bookings",
                            "category": "product", "severity": "high", "due_date": DUE,
                            "raised_on": RAISED, "description": "Twice last week"},
                 headers=support.headers)
    assert r.status_code == 201 and r.json()["version"] == 1
    risk_id = r.json()["id"]

    r = api.post(f"/risks/{risk_id}/strategy", strategy_body(csm, support, csm),
                 headers=manager.headers)
    assert r.status_code == 200, r.text
    answer = r.json()
    assert set(answer) == {"id", "version", "position", "task_ids"}
    assert answer["version"] == 2 and len(answer["task_ids"]) == 2
    assert answer["position"] == api.head()

    steps = [
        (csm, "mitigation", {"note": "Sync fix deployed", "recorded_on": "2025-03-05"}),
        (csm, "escalate", {"escalated_to": str(manager.id), "reason": "Director still angry",
                           "escalated_on": "2025-03-06"}),
        (manager, "due-date", {"due_date": "2025-04-15", "reason": "visit moved",
                               "changed_on": "2025-03-06"}),
        (csm, "close", {"resolution": "Confirmed at the visit", "closed_on": "2025-03-12"}),
        (csm, "reopen", {"reason": "Back again", "reopened_on": "2025-03-20",
                         "due_date": "2025-04-30"}),
        (manager, "owner", {"owner_id": str(support.id)}),
    ]
    for version, (user, verb, body) in enumerate(steps, start=3):
        r = api.post(f"/risks/{risk_id}/{verb}", body, headers=user.headers)
        assert r.status_code == 200, (verb, r.text)
        assert r.json()["version"] == version and r.headers["etag"] == f'"{version}"'
    assert api.post(f"/risks/{risk_id}/escalate", {
        "escalated_to": str(manager.id), "reason": "again", "escalated_on": "2025-03-21"},
        headers=support.headers).json()["level"] == 2

    events = api.events(after=start)
    assert [e["type"] for e in events] == [
        "Risk.Raised", "Risk.StrategySet", "Task.Created", "Task.Created",
        "Risk.MitigationRecorded", "Risk.Escalated", "Risk.DueDateChanged", "Risk.Closed",
        "Risk.Reopened", "Risk.OwnerAssigned", "Risk.Escalated"]
    actors = [e["actor"] for e in events]
    assert actors == [str(support.id), *[str(manager.id)] * 3, str(csm.id), str(csm.id),
                      str(manager.id), str(csm.id), str(csm.id), str(manager.id), str(support.id)]
    assert events[0]["data"]["owner_id"] == str(support.id)
    assert events[0]["data"]["raised_on"] == RAISED
    todos = events[1]["data"]["todos"]
    assert [t["task_id"] for t in todos] == answer["task_ids"]
    assert [e["originator_id"] for e in events[2:4]] == answer["task_ids"]
    assert events[2]["data"]["assignee_id"] == str(support.id)
    assert events[2]["data"]["source_kind"] == "risk" and events[2]["data"]["source_id"] == risk_id
    # The strategy and its tasks are one transaction: contiguous positions.
    assert [e["position"] for e in events[1:4]] == list(range(events[1]["position"],
                                                              events[1]["position"] + 3))
    assert events[7]["data"] == {"resolution": "Confirmed at the visit", "closed_on": "2025-03-12"}
    assert events[8]["data"]["due_date"] == "2025-04-30"


def test_business_dates_default_to_today_in_utc(api: Api, team: dict[str, Any]):
    before = datetime.now(UTC).date().isoformat()
    body = {"customer_id": team["customer"], "title": "Sponsor leaving", "category": "relationship",
            "severity": "medium", "due_date": "2199-01-01"}
    risk_id = api.ok("POST", "/risks", body)["id"]
    api.ok("POST", f"/risks/{risk_id}/close", {"resolution": "new sponsor met"})
    after = datetime.now(UTC).date().isoformat()
    raised, closed = api.events()[-2:]
    assert before <= raised["data"]["raised_on"] <= after
    assert before <= closed["data"]["closed_on"] <= after


def test_a_strategy_with_a_bad_todo_writes_nothing(api: Api, team: dict[str, Any]):
    risk_id = risk(api, team["customer"])
    head = api.head()
    body = strategy_body(team["csm"], team["support"], team["csm"])
    body["todos"][1]["assignee_id"] = str(uuid4())
    r = api.post(f"/risks/{risk_id}/strategy", body)
    assert r.status_code == 422
    assert set(fields(r)) == {"todos.1.assignee_id"}
    assert "todos.1.assignee_id" in r.json()["detail"]
    body["todos"][0].update(title="   ", due_date="soon")
    body["todos"][1]["assignee_id"] = str(team["csm"].id)
    r = api.post(f"/risks/{risk_id}/strategy", body)
    assert set(fields(r)) == {"todos.0.due_date"}
    body["todos"][0]["due_date"] = "2025-03-20"
    r = api.post(f"/risks/{risk_id}/strategy", body)
    assert set(fields(r)) == {"todos.0.title"}
    assert api.head() == head


def test_a_retried_strategy_replays_its_tasks(api: Api, team: dict[str, Any]):
    risk_id = risk(api, team["customer"])
    headers = {**team["manager"].headers, "Idempotency-Key": "strategy-1", "If-Match": "1"}
    body = strategy_body(team["csm"], team["csm"])
    first = api.request("POST", f"/risks/{risk_id}/strategy", headers, json=body)
    assert first.status_code == 200
    head = api.head()
    again = api.request("POST", f"/risks/{risk_id}/strategy", headers, json=body)
    assert again.status_code == 200 and again.headers[REPLAY_HEADER] == "true"
    assert again.json() == first.json()
    assert api.head() == head


@pytest.mark.parametrize("verb,body", [
    ("strategy", {"strategy": "s", "owner_id": str(uuid4()), "todos": []}),
    ("mitigation", {"note": "n"}),
    ("escalate", {"escalated_to": str(uuid4()), "reason": "r"}),
    ("due-date", {"due_date": "2025-05-01"}),
    ("owner", {"owner_id": str(uuid4())}),
    ("close", {"resolution": "r"}),
    ("reopen", {"reason": "r"}),
])
def test_unknown_risk_is_404(api: Api, verb: str, body: dict[str, Any]):
    head = api.head()
    r = api.post(f"/risks/{uuid4()}/{verb}", body)
    assert r.status_code == 404 and r.json()["type"].endswith("/not-found")
    assert api.head() == head


def test_refusals_write_nothing(api: Api, team: dict[str, Any]):
    customer, csm = team["customer"], team["csm"]
    open_risk = risk(api, customer, csm.headers)
    closed = risk(api, customer, closed=True)
    head = api.head()
    # 409: what the status forbids
    for path, body in [(f"/risks/{closed}/close", {"resolution": "again"}),
                       (f"/risks/{closed}/mitigation", {"note": "late"}),
                       (f"/risks/{open_risk}/reopen", {"reason": "not closed"})]:
        r = api.post(path, body)
        assert r.status_code == 409 and r.json()["type"].endswith("/transition-not-allowed"), path
    # 412: a stale If-Match
    r = api.request("POST", f"/risks/{open_risk}/close", {**csm.headers, "If-Match": "7"},
                    json={"resolution": "done"})
    assert r.status_code == 412 and r.json()["current_version"] == 1
    # 422: the domain's rules and the request's shape, each naming its field
    r = api.post("/risks", {"customer_id": customer, "title": "t", "category": "weather",
                            "severity": "high", "due_date": "2025-01-01", "raised_on": RAISED})
    assert set(fields(r)) == {"category"}
    r = api.post("/risks", {"customer_id": customer, "title": "t", "category": "other",
                            "severity": "high", "due_date": "2025-01-01", "raised_on": RAISED})
    assert set(fields(r)) == {"due_date"}
    r = api.post("/risks", {"customer_id": str(uuid4()), "title": "t", "category": "other",
                            "severity": "low", "due_date": DUE, "raised_on": RAISED},
                 headers=csm.headers)
    assert r.status_code == 422 and set(fields(r)) == {"customer_id"}
    r = api.post(f"/risks/{open_risk}/close", {"resolution": "x", "closed_on": "2025-02-01"})
    assert set(fields(r)) == {"closed_on"}
    r = api.post(f"/risks/{open_risk}/owner", {"owner_id": str(csm.id)})
    assert set(fields(r)) == {"owner_id"}
    assert api.head() == head


def test_a_new_owner_takes_over_closing(api: Api, team: dict[str, Any]):
    csm, other = team["csm"], api.user("csm")
    risk_id = risk(api, team["customer"], csm.headers)
    api.ok("POST", f"/risks/{risk_id}/owner", {"owner_id": str(other.id)},
           headers=team["manager"].headers)
    body = {"resolution": "done", "closed_on": "2025-03-05"}
    assert api.post(f"/risks/{risk_id}/close", body, headers=csm.headers).status_code == 403
    assert api.post(f"/risks/{risk_id}/close", body, headers=other.headers).status_code == 200
    assert api.post(f"/risks/{risk_id}/close", body, headers=ADMIN).status_code == 409
