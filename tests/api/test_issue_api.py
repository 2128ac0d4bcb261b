"""Requirements and complaints through HTTP: their loops step by step with the dates and
actors recorded, and 404 / 409 / 412 / 422 writing nothing."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from tests.api.conftest import Api
from tests.api.work_support import REQUIREMENT_STEPS, complaint, fields, requirement


@pytest.fixture
def team(api: Api) -> dict[str, Any]:
    csm, support = api.user("csm"), api.user("support")
    return {"csm": csm, "support": support, "customer": api.customer(csm)}


# --- requirements -----------------------------------------------------------------------
def test_the_requirement_loop(api: Api, team: dict[str, Any]):
    csm, support = team["csm"], team["support"]
    start = api.head()
    r = api.post("/requirements", {"customer_id": team["customer"], "requested_by": "Dr. Wang",
                                   "summary": "CSV export", "detail": "daily", "on": "2025-03-01"},
                 headers=support.headers)
    assert r.status_code == 201
    requirement_id = r.json()["id"]
    for version, (_, verb, body) in enumerate(REQUIREMENT_STEPS, start=2):
        r = api.post(f"/requirements/{requirement_id}/{verb}", body, headers=csm.headers)
        assert r.status_code == 200 and r.json()["version"] == version, (verb, r.text)
    api.ok("POST", f"/requirements/{requirement_id}/feedback",
           {"feedback": "Told the director", "on": "2025-05-03"}, headers=csm.headers)
    events = api.events(after=start)
    assert [e["type"] for e in events] == [
        "Requirement.Collected", "Requirement.Classified", "Requirement.Analysed",
        "Requirement.HandedToProduct", "Requirement.Scheduled", "Requirement.Delivered",
        "Requirement.FeedbackGiven"]
    assert [e["data"]["on"] for e in events] == [
        "2025-03-01", "2025-03-02", "2025-03-03", "2025-03-04", "2025-03-05", "2025-05-02",
        "2025-05-03"]
    assert events[0]["actor"] == str(support.id)
    assert {e["actor"] for e in events[1:]} == {str(csm.id)}
    assert events[4]["data"]["target_date"] == "2025-05-01"


def test_a_requirement_can_be_rejected_then_answered(api: Api, team: dict[str, Any]):
    requirement_id = requirement(api, team["customer"], "analysed")
    api.ok("POST", f"/requirements/{requirement_id}/reject",
           {"reason": "a pseudo-requirement", "on": "2025-03-04"})
    api.ok("POST", f"/requirements/{requirement_id}/feedback",
           {"feedback": "explained the Excel export", "on": "2025-03-04"})
    assert [e["type"] for e in api.events()[-2:]] == ["Requirement.Rejected",
                                                      "Requirement.FeedbackGiven"]


def test_requirement_refusals_write_nothing(api: Api, team: dict[str, Any]):
    collected = requirement(api, team["customer"])
    head = api.head()
    r = api.post(f"/requirements/{collected}/deliver", {"on": "2025-03-02"})
    assert r.status_code == 409 and r.json()["state"] == "collected"
    r = api.post(f"/requirements/{collected}/classify",
                 {"category": "feature", "priority": "high", "on": "2025-02-01"})
    assert r.status_code == 422 and set(fields(r)) == {"on"}
    r = api.post(f"/requirements/{collected}/classify", {"category": "wish", "priority": "now"})
    assert set(fields(r)) == {"category", "priority"}
    r = api.request("POST", f"/requirements/{collected}/classify", {
        **team["csm"].headers, "If-Match": "3"}, json={"category": "bug", "priority": "low"})
    assert r.status_code == 412
    r = api.post(f"/requirements/{uuid4()}/classify", {"category": "bug", "priority": "low"})
    assert r.status_code == 404
    r = api.post("/requirements", {"customer_id": str(uuid4()), "requested_by": "x",
                                   "summary": "y"})
    assert set(fields(r)) == {"customer_id"}
    assert api.head() == head


# --- complaints ---------------------------------------------------------------------------
def test_the_complaint_loop(api: Api, team: dict[str, Any]):
    support = team["support"]
    start = api.head()
    complaint_id = api.ok("POST", "/complaints", {
        "customer_id": team["customer"], "channel": "phone", "summary": "Cannot log in",
        "severity": "high", "needs_resources": True,
        "received_at": "2025-03-01T09:30:00+08:00"}, headers=support.headers)["id"]
    api.ok("POST", f"/complaints/{complaint_id}/investigate",
           {"note": "checking SSO", "started_at": "2025-03-01T02:00:00Z"}, headers=support.headers)
    r = api.post(f"/complaints/{complaint_id}/resolve", {
        "resolution": "certificate renewed", "compensation": "SMS credits",
        "resolved_at": "2025-03-02T09:00:00+08:00"}, headers=support.headers)
    assert r.status_code == 200 and r.json()["within_target"] is True
    api.ok("POST", f"/complaints/{complaint_id}/review", {
        "category": "product_defect", "root_cause": "expiry not monitored",
        "improvement": "alerts 30 days ahead", "reviewed_on": "2025-03-05"},
        headers=team["csm"].headers)
    events = api.events(after=start)
    assert [e["type"] for e in events] == ["Complaint.Received", "Complaint.InvestigationStarted",
                                           "Complaint.Resolved", "Complaint.Reviewed"]
    assert events[0]["data"]["resolve_by"].startswith("2025-03-02T09:30:00")
    assert events[1]["data"]["started_at"].startswith("2025-03-01T02:00:00")


def test_a_complaint_without_resources_has_no_hour_target(api: Api, team: dict[str, Any]):
    complaint_id = api.ok("POST", "/complaints", {
        "customer_id": team["customer"], "channel": "chat", "summary": "Typo on the invoice",
        "severity": "low", "needs_resources": False})["id"]
    api.ok("POST", f"/complaints/{complaint_id}/investigate", {})
    r = api.post(f"/complaints/{complaint_id}/resolve", {"resolution": "invoice reissued"})
    assert r.status_code == 200 and r.json()["within_target"] is None


def test_complaint_refusals_write_nothing(api: Api, team: dict[str, Any]):
    customer = team["customer"]
    received = complaint(api, customer)
    head = api.head()
    base = {"customer_id": customer, "channel": "phone", "summary": "s", "severity": "high",
            "needs_resources": True}
    for moment in ("2025-03-01T09:30:00", 1740821400, "2025-03-01"):
        r = api.post("/complaints", {**base, "received_at": moment})
        assert r.status_code == 422 and set(fields(r)) == {"received_at"}, moment
    r = api.post(f"/complaints/{received}/review", {
        "category": "billing", "root_cause": "r", "improvement": "i"})
    assert r.status_code == 409 and r.json()["state"] == "received"
    r = api.post(f"/complaints/{received}/investigate",
                 {"started_at": "2025-03-01T00:00:00+08:00"})
    assert r.status_code == 422 and set(fields(r)) == {"started_at"}
    r = api.request("POST", f"/complaints/{received}/investigate",
                    {**team["csm"].headers, "If-Match": "2"}, json={})
    assert r.status_code == 412
    assert api.post(f"/complaints/{uuid4()}/investigate", {}).status_code == 404
    assert api.head() == head
