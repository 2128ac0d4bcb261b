"""Subscriptions, projects, success plans, touchpoints and usage through HTTP: their flows
with the events recorded, and 404 / 409 / 412 / 422 writing nothing."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from cs_domain.plan_templates import TEMPLATES
from tests.api.conftest import Api
from tests.api.work_support import fields, plan, project, subscription, touchpoint


@pytest.fixture
def team(api: Api) -> dict[str, Any]:
    csm = api.user("csm")
    return {"csm": csm, "support": api.user("support"), "customer": api.customer(csm)}


# --- subscriptions ---------------------------------------------------------------------
def test_the_subscription_flow(api: Api, team: dict[str, Any]):
    csm, customer = team["csm"], team["customer"]
    contract = api.contract(customer)
    start = api.head()
    subscription_id = api.ok("POST", "/subscriptions", {
        "customer_id": customer, "product": "Booking Pro", "seats": 25, "contract_id": contract,
        "start_date": "2025-01-01", "end_date": "2025-12-31"}, headers=csm.headers)["id"]
    for verb, body in [("activate", {"activated_on": "2025-01-02"}),
                       ("seats", {"seats": 30, "effective_on": "2025-02-01", "note": "clinic 2"}),
                       ("suspend", {"reason": "unpaid", "suspended_on": "2025-06-01"}),
                       ("resume", {"resumed_on": "2025-06-10"}),
                       ("expire", {"expired_on": "2025-12-31"})]:
        api.ok("POST", f"/subscriptions/{subscription_id}/{verb}", body, headers=csm.headers)
    events = api.events(after=start)
    assert [e["type"] for e in events] == [
        "Subscription.Provisioned", "Subscription.Activated", "Subscription.SeatsChanged",
        "Subscription.Suspended", "Subscription.Resumed", "Subscription.Expired"]
    assert events[0]["data"]["contract_id"] == contract
    assert events[2]["data"]["previous_seats"] == 25


def test_subscription_refusals_write_nothing(api: Api, team: dict[str, Any]):
    customer = team["customer"]
    active = subscription(api, customer, "active")
    someone_elses = api.contract(api.customer(api.user("csm")))
    head = api.head()
    r = api.post(f"/subscriptions/{active}/resume", {"resumed_on": "2025-03-01"})
    assert r.status_code == 409 and r.json()["state"] == "active"
    for seats in (0, True, "12", 12.5):
        r = api.post(f"/subscriptions/{active}/seats", {"seats": seats})
        assert set(fields(r)) == {"seats"}, seats
    r = api.post(f"/subscriptions/{active}/suspend", {"reason": "x", "suspended_on": "2024-12-01"})
    assert set(fields(r)) == {"suspended_on"}
    r = api.post("/subscriptions", {"customer_id": customer, "product": "P", "seats": 1,
                                    "start_date": "2025-01-01", "end_date": "2024-01-01",
                                    "contract_id": someone_elses})
    assert set(fields(r)) == {"end_date"}
    r = api.post("/subscriptions", {"customer_id": customer, "product": "P", "seats": 1,
                                    "start_date": "2025-01-01", "end_date": "2025-02-01",
                                    "contract_id": someone_elses})
    assert set(fields(r)) == {"contract_id"}
    r = api.request("POST", f"/subscriptions/{active}/expire", {
        **team["csm"].headers, "If-Match": "1"}, json={})
    assert r.status_code == 412
    assert api.post(f"/subscriptions/{uuid4()}/activate", {}).status_code == 404
    assert api.head() == head


# --- projects ------------------------------------------------------------------------------
def test_the_project_flow_and_its_progress(api: Api, team: dict[str, Any]):
    support = team["support"]
    project_id = project(api, team["customer"])
    progress = []
    for verb, body in [("start", {"stage": "Kickoff", "started_on": "2025-01-07"}),
                       ("complete", {"stage": "kickoff", "completed_on": "2025-01-08"}),
                       ("complete", {"stage": "go-live", "completed_on": "2025-01-20"}),
                       ("reopen", {"stage": "go-live", "reason": "rollback",
                                   "reopened_on": "2025-01-21"}),
                       ("complete", {"stage": "go-live", "completed_on": "2025-01-25"})]:
        r = api.post(f"/projects/{project_id}/stages/{verb}", body, headers=support.headers)
        assert r.status_code == 200, r.text
        progress.append(r.json()["progress"])
    assert progress == [0, 0.4, 1, 0.4, 1]
    api.ok("POST", f"/projects/{project_id}/complete", {"completed_on": "2025-01-31"},
           headers=support.headers)
    events = api.events()
    assert events[-1]["type"] == "Project.Completed" and events[-1]["actor"] == str(support.id)
    assert events[-2]["data"] == {"stage": "go-live", "completed_on": "2025-01-25"}


def test_project_refusals_write_nothing(api: Api, team: dict[str, Any]):
    customer = team["customer"]
    project_id = project(api, customer)
    contract = api.contract(customer, "signed")
    head = api.head()
    r = api.post(f"/projects/{project_id}/complete", {"completed_on": "2025-02-01"})
    assert r.status_code == 409
    r = api.post(f"/projects/{project_id}/stages/start", {"stage": "testing"})
    assert set(fields(r)) == {"stage"}
    r = api.post("/projects", {"contract_id": contract, "name": "P", "stages": [
        {"name": "a", "weight": 10}, {"name": "A", "weight": -1}]})
    assert set(fields(r)) == {"stages.1.name", "stages.1.weight"}
    r = api.post("/projects", {"contract_id": str(uuid4()), "name": "P"})
    assert set(fields(r)) == {"contract_id"}
    r = api.request("POST", f"/projects/{project_id}/cancel", {
        **team["csm"].headers, "If-Match": "9"}, json={"reason": "r"})
    assert r.status_code == 412
    assert api.post(f"/projects/{uuid4()}/cancel", {"reason": "r"}).status_code == 404
    assert api.head() == head


# --- success plans --------------------------------------------------------------------------
def test_plan_templates_are_listed(api: Api):
    listed = api.ok("GET", "/plan-templates", headers=api.user("analyst").headers)["templates"]
    assert [t["key"] for t in listed] == list(TEMPLATES)
    handover = listed[0]
    assert handover["next_template"] == "continuous_operation"
    assert [m["offset_days"] for m in handover["milestones"]] == [0, 7, 14, 30, 60, 90]


def test_a_plan_from_a_template(api: Api, team: dict[str, Any]):
    csm = team["csm"]
    start = api.head()
    r = api.post("/plans", {"customer_id": team["customer"], "start_date": "2025-01-06",
                            "template": "roadmap_30_60_90"}, headers=csm.headers)
    assert r.status_code == 201
    plan_id, milestones = r.json()["id"], r.json()["milestone_ids"]
    drafted = api.events(after=start)[0]
    assert [m["due_date"] for m in drafted["data"]["milestones"]] == [
        "2025-02-05", "2025-03-07", "2025-04-06"]
    assert [m["milestone_id"] for m in drafted["data"]["milestones"]] == milestones
    r = api.post(f"/plans/{plan_id}/milestones", {"title": "Second clinic", "due_date": "2025-05-01",
                                                  "acceptance_criterion": "live"},
                 headers=csm.headers)
    assert r.status_code == 201 and r.json()["version"] == 2
    milestones.append(r.json()["milestone_id"])
    api.ok("POST", f"/plans/{plan_id}/activate", {"activated_on": "2025-01-06"}, headers=csm.headers)
    for i, milestone in enumerate(milestones):
        if i == 1:
            api.ok("POST", f"/plans/{plan_id}/milestones/{milestone}/miss",
                   {"note": "postponed", "missed_on": "2025-03-10"}, headers=csm.headers)
        else:
            api.ok("POST", f"/plans/{plan_id}/milestones/{milestone}/complete",
                   {"evidence": "seen", "completed_on": "2025-05-03"}, headers=csm.headers)
    api.ok("POST", f"/plans/{plan_id}/complete", {"completed_on": "2025-05-04"},
           headers=csm.headers)
    types = [e["type"] for e in api.events(after=start)]
    assert types.count("SuccessPlan.MilestoneCompleted") == 3
    assert types[-1] == "SuccessPlan.Completed"


def test_plan_refusals_write_nothing(api: Api, team: dict[str, Any]):
    customer = team["customer"]
    plan_id, milestones = plan(api, customer)
    head = api.head()
    r = api.post("/plans", {"customer_id": customer, "start_date": "2025-01-06",
                            "template": "world_domination"})
    assert set(fields(r)) == {"template"}
    r = api.post("/plans", {"customer_id": customer, "start_date": "2025-01-06"})
    assert set(fields(r)) == {"name"}
    r = api.post(f"/plans/{plan_id}/milestones/{milestones[0]}/complete", {"evidence": "e"})
    assert r.status_code == 409 and r.json()["state"] == "draft"
    r = api.post(f"/plans/{plan_id}/milestones/{uuid4()}/miss", {})
    assert r.status_code == 422 and set(fields(r)) == {"milestone_id"}
    r = api.post(f"/plans/{plan_id}/complete", {})
    assert r.status_code == 409
    r = api.request("POST", f"/plans/{plan_id}/activate", {
        **team["csm"].headers, "If-Match": "2"}, json={})
    assert r.status_code == 412
    assert api.post(f"/plans/{uuid4()}/abandon", {"reason": "r"}).status_code == 404
    assert api.head() == head


# --- touchpoints -------------------------------------------------------------------------------
def test_touchpoints_and_training_follow_up(api: Api, team: dict[str, Any]):
    support, customer = team["support"], team["customer"]
    training = touchpoint(api, customer)
    api.ok("POST", f"/touchpoints/{training}/follow-up",
           {"outcome": "all 12 active", "follow_up_on": "2025-01-27"}, headers=support.headers)
    assert api.events()[-1]["data"] == {"follow_up_on": "2025-01-27", "outcome": "all 12 active"}
    fresh = touchpoint(api, customer)
    report = api.ok("POST", "/touchpoints", {
        "customer_id": customer, "kind": "weekly_report", "occurred_on": "2025-01-24",
        "week_start": "2025-01-20", "summary": "Go-live week"}, headers=team["csm"].headers)
    head = api.head()
    r = api.post(f"/touchpoints/{training}/follow-up", {"outcome": "again"})
    assert r.status_code == 409
    r = api.post(f"/touchpoints/{report['id']}/follow-up", {"outcome": "n/a"})
    assert r.status_code == 409
    r = api.post("/touchpoints", {"customer_id": customer, "kind": "weekly_report",
                                  "summary": "s", "week_start": "2025-01-21"})
    assert set(fields(r)) == {"week_start"}
    r = api.post("/touchpoints", {"customer_id": customer, "kind": "call", "summary": "s",
                                  "participants": ["ok", ""]})
    assert set(fields(r)) == {"participants"}
    r = api.request("POST", f"/touchpoints/{fresh}/follow-up",
                    {**team["csm"].headers, "If-Match": "2"}, json={"outcome": "o"})
    assert r.status_code == 412
    assert api.post(f"/touchpoints/{uuid4()}/follow-up", {"outcome": "o"}).status_code == 404
    assert api.head() == head


# --- usage ----------------------------------------------------------------------------------
USAGE = {"period_start": "2025-03-03", "period_end": "2025-03-09", "active_days_per_week": 4.5,
         "feature_adoption": "0.62", "open_issues": 2, "core_features_used": 7,
         "core_features_total": 10, "nps": 40}


def test_usage_is_created_then_corrected(api: Api, team: dict[str, Any]):
    csm, customer = team["csm"], team["customer"]
    first = api.post(f"/customers/{customer}/usage", USAGE, headers=csm.headers)
    assert first.status_code == 201, first.text
    assert first.json()["corrected"] is False and first.json()["changed"] is True
    reported = api.events()[-1]
    assert reported["type"] == "UsageReport.Reported" and reported["actor"] == str(csm.id)
    assert reported["data"]["active_days_per_week"] == "4.5"
    assert reported["data"]["feature_adoption"] == "0.62"
    head = api.head()
    same = api.post(f"/customers/{customer}/usage", USAGE, headers=csm.headers)
    assert same.status_code == 200 and same.json()["changed"] is False
    assert api.head() == head
    fixed = api.post(f"/customers/{customer}/usage", {**USAGE, "open_issues": 3},
                     headers=csm.headers)
    assert fixed.status_code == 200 and fixed.json()["corrected"] is True
    assert fixed.json()["id"] == first.json()["id"] and fixed.json()["version"] == 2


def test_usage_refusals_write_nothing(api: Api, team: dict[str, Any]):
    customer, stranger = team["customer"], api.user("csm")
    head = api.head()
    r = api.post(f"/customers/{customer}/usage", {**USAGE, "feature_adoption": 1.5, "nps": 101,
                                                  "core_features_total": None})
    assert set(fields(r)) == {"feature_adoption", "nps", "core_features_total"}
    r = api.post(f"/customers/{customer}/usage", {**USAGE, "active_days_per_week": True,
                                                  "open_issues": True, "nps": "40"})
    assert set(fields(r)) == {"active_days_per_week", "open_issues", "nps"}
    for headers in (None, team["csm"].headers):
        r = api.post(f"/customers/{uuid4()}/usage", USAGE, headers=headers)
        assert r.status_code == 404, r.text
    r = api.post(f"/customers/{customer}/usage", USAGE, headers=stranger.headers)
    assert r.status_code == 403
    assert api.head() == head
