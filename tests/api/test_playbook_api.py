"""Playbooks through HTTP: define and version a definition, list and read it (every role),
retire / reinstate, install the shipped ones idempotently, abandon a run and record its
outcomes; the refusals write nothing."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from cs_domain.playbook import Playbook
from cs_domain.playbook_defaults import DEFAULT_PLAYBOOKS
from cs_store.settings import Settings
from tests.api.conftest import Api, started
from tests.api.work_support import fields, playbook_body, playbook_run


@pytest.fixture
def manager(api: Api) -> Any:
    return api.user("manager")


def test_define_read_and_revise(api: Api, manager: Any):
    analyst = api.user("analyst")
    body = playbook_body("silent-accounts")
    body["trigger_params"] = {"days": 45}
    r = api.post("/playbooks", body, headers=manager.headers)
    assert r.status_code == 201
    playbook_id = r.json()["id"]
    assert playbook_id == str(Playbook.id_for("silent-accounts"))

    read = api.request("GET", f"/playbooks/{playbook_id}", analyst.headers)
    assert read.status_code == 200 and read.headers["etag"] == '"1"'
    definition = read.json()
    assert definition["definition_version"] == 1 and definition["active"] is True
    assert definition["actions"][1]["owner_role"] == "support_manager"
    assert definition["success_metrics"] == [{"name": "call held", "kind": "meeting_held",
                                              "step": 1, "within_days": 14}]
    listed = api.ok("GET", "/playbooks", headers=analyst.headers)
    assert [p["key"] for p in listed["playbooks"]] == ["silent-accounts"]
    assert listed["position"] == api.head()

    actions = [*body["actions"], {"title": "Re-launch session", "owner_role": "owner_csm",
                                  "channel": "meeting", "offset_days": 7}]
    r = api.request("POST", f"/playbooks/{playbook_id}/revisions",
                    {**manager.headers, "If-Match": "1"},
                    json={"actions": actions, "trigger_params": {"days": 30}})
    assert r.status_code == 200, r.text
    assert r.json()["definition_version"] == 2 and r.json()["version"] == 2
    revised = api.ok("GET", f"/playbooks/{playbook_id}")
    assert len(revised["actions"]) == 3 and revised["trigger_params"] == {"days": 30}
    assert revised["name"] == body["name"]  # fields not sent stay
    events = api.events()
    assert events[-1]["type"] == "Playbook.Revised" and events[-1]["actor"] == str(manager.id)


def test_exact_parameters_and_field_paths(api: Api, manager: Any):
    body = playbook_body(trigger_kind="usage_drop", trigger_params={"window_days": 14})
    # A JSON number is read exactly (never through a float) and kept as a decimal string.
    raw = json.dumps(body).replace('"window_days": 14', '"drop_ratio": 0.30, "window_days": 14')
    r = api.client.post("/api/v1/playbooks", content=raw.encode(),
                        headers={**manager.headers, "content-type": "application/json"})
    assert r.status_code == 201, r.text
    playbook_id = r.json()["id"]
    assert api.ok("GET", f"/playbooks/{playbook_id}")["trigger_params"] == {
        "drop_ratio": "0.30", "window_days": 14}
    head = api.head()
    bad = playbook_body(trigger_kind="usage_drop", trigger_params={"window_days": 14})
    bad["actions"][1]["offset_days"] = 900
    bad["success_metrics"][0]["step"] = 5
    r = api.post("/playbooks", bad, headers=manager.headers)
    assert r.status_code == 422
    assert set(fields(r)) == {"trigger_params.drop_ratio", "actions.1.offset_days",
                              "success_metrics.0.step"}
    r = api.post("/playbooks", {**bad, "actions": [{"title": "t", "owner_role": "ceo",
                                                    "channel": "fax", "offset_days": 1}]})
    assert set(fields(r)) == {"actions.0.owner_role", "actions.0.channel"}
    r = api.post(f"/playbooks/{playbook_id}/revisions", {})
    assert r.status_code == 422
    assert api.head() == head


def test_retire_reinstate_and_duplicates(api: Api, manager: Any):
    body = playbook_body()
    playbook_id = api.ok("POST", "/playbooks", body, headers=manager.headers)["id"]
    head = api.head()
    r = api.post("/playbooks", {**body, "name": "Other"}, headers=manager.headers)
    assert r.status_code == 409 and r.json()["field"] == "key"
    assert api.post(f"/playbooks/{playbook_id}/reinstate").status_code == 409
    assert api.head() == head
    api.ok("POST", f"/playbooks/{playbook_id}/retire", {"reason": "replaced"},
           headers=manager.headers)
    assert api.ok("GET", f"/playbooks/{playbook_id}")["active"] is False
    head = api.head()
    for path, payload in [(f"/playbooks/{playbook_id}/retire", {"reason": "again"}),
                          (f"/playbooks/{playbook_id}/revisions", {"name": "New name"})]:
        r = api.post(path, payload, headers=manager.headers)
        assert r.status_code == 409 and r.json()["state"] == "retired", path
    assert api.head() == head
    api.ok("POST", f"/playbooks/{playbook_id}/reinstate", headers=manager.headers)
    assert api.ok("GET", f"/playbooks/{playbook_id}")["active"] is True
    for method, path in [("GET", f"/playbooks/{uuid4()}"),
                         ("POST", f"/playbooks/{uuid4()}/reinstate")]:
        assert api.request(method, path).status_code == 404
    r = api.request("POST", f"/playbooks/{playbook_id}/retire", {
        **manager.headers, "If-Match": "1"}, json={"reason": "r"})
    assert r.status_code == 412


def test_install_defaults_once(api: Api, manager: Any):
    r = api.post("/playbooks/install-defaults", headers=manager.headers)
    assert r.status_code == 200
    installed = r.json()["installed"]
    assert sorted(p["key"] for p in installed) == sorted(DEFAULT_PLAYBOOKS)
    assert all(p["id"] == str(Playbook.id_for(p["key"])) for p in installed)
    head = api.head()
    again = api.post("/playbooks/install-defaults", headers=manager.headers)
    assert again.status_code == 200 and again.json() == {"installed": [], "position": head}
    assert api.head() == head
    keys = [p["key"] for p in api.ok("GET", "/playbooks")["playbooks"]]
    assert keys == sorted(DEFAULT_PLAYBOOKS)


def test_a_playbook_defined_elsewhere_is_listed(api_settings: Settings):
    with started(api_settings) as a, started(api_settings) as b:
        first, second = Api(a), Api(b)
        assert first.ok("GET", "/playbooks")["playbooks"] == []
        second.ok("POST", "/playbooks", playbook_body("defined-in-b"))
        listed = first.ok("GET", "/playbooks")
        assert [p["key"] for p in listed["playbooks"]] == ["defined-in-b"]
        assert listed["position"] == first.head()


def test_abandoning_a_run_cancels_its_open_tasks(api: Api):
    csm = api.user("csm")
    customer = api.customer(csm)
    run_id, task_ids = playbook_run(api, customer)
    api.ok("POST", f"/tasks/{task_ids[0]}/start", {"started_on": "2025-01-06"}, headers=csm.headers)
    api.ok("POST", f"/tasks/{task_ids[0]}/complete", {"completed_on": "2025-01-07"},
           headers=csm.headers)
    api.container.app.record_playbook_step(actor="system", run_id=UUID(run_id),
                                           task_id=UUID(task_ids[0]), done_on=date(2025, 1, 7))
    start = api.head()
    r = api.post(f"/playbook-runs/{run_id}/abandon",
                 {"reason": "customer churned", "abandoned_on": "2025-01-10"}, headers=csm.headers)
    assert r.status_code == 200, r.text
    events = api.events(after=start)
    assert [e["type"] for e in events] == ["PlaybookRun.Abandoned", "Task.Cancelled",
                                           "Task.Cancelled"]
    assert [e["originator_id"] for e in events[1:]] == task_ids[1:]
    assert {e["actor"] for e in events} == {str(csm.id)}
    head = api.head()
    again = api.post(f"/playbook-runs/{run_id}/abandon", {"reason": "again"})
    assert again.status_code == 409 and again.json()["state"] == "abandoned"
    assert api.post(f"/playbook-runs/{uuid4()}/abandon", {"reason": "r"}).status_code == 404
    r = api.request("POST", f"/playbook-runs/{run_id}/abandon", {
        **csm.headers, "If-Match": "1"}, json={"reason": "r"})
    assert r.status_code == 412
    assert api.head() == head


def test_outcomes_are_recorded_once(api: Api):
    csm = api.user("csm")
    run_id, _ = playbook_run(api, api.customer(csm))
    body = {"metric": "QBR held", "achieved": True, "measured_on": "2025-02-01",
            "detail": "held on 20 January"}
    r = api.post(f"/playbook-runs/{run_id}/outcomes", body, headers=csm.headers)
    assert r.status_code == 200 and r.json()["recorded"] is True
    measured = api.events()[-1]
    assert measured["type"] == "PlaybookRun.OutcomeMeasured"
    assert measured["data"] == {"metric": "QBR held", "achieved": True,
                                "measured_on": "2025-02-01", "detail": "held on 20 January"}
    head = api.head()
    r = api.post(f"/playbook-runs/{run_id}/outcomes", {**body, "achieved": False},
                 headers=csm.headers)
    assert r.status_code == 200 and r.json()["recorded"] is False
    r = api.post(f"/playbook-runs/{run_id}/outcomes", {"metric": "", "achieved": "maybe"})
    assert set(fields(r)) == {"metric", "achieved"}
    assert api.post(f"/playbook-runs/{uuid4()}/outcomes", body).status_code == 404
    assert api.head() == head

