"""Activities through HTTP on both stores (seed 001 §二.4): planned with a customer,
prepared, launched, reviewed, improved; `GET /activities` with filters and `as_of`; the 360's
`activities`; a reviewed activity evidences the month-9 CSM milestone; refusals write
nothing."""

from __future__ import annotations

import time
from typing import Any
from uuid import uuid4

from tests.api.conftest import User
from tests.api.reads.conftest import ReadApi
from tests.api.reads.test_consistency import recorded_at
from tests.api.reads.test_lifecycle_reads import contract
from tests.api.work_support import fields

REVIEW = {"participants": 120, "revenue": "18600.00", "currency": "CNY",
          "note": "31 packages sold", "on": "2025-08-24"}


def activity(live: ReadApi, customer: str, by: User, *, steps: int = 0,
             kind: str = "revenue", on: str = "2025-08-01") -> str:
    aid = str(live.ok("POST", "/activities", {"customer_id": customer, "kind": kind,
                                              "title": "Spring whitening week", "on": on},
                      headers=by.headers)["id"])
    path = [("prepare", {"note": "posters", "on": "2025-08-10"}),
            ("launch", {"on": "2025-08-17"}), ("review", REVIEW),
            ("improve", {"improvement": "post earlier", "on": "2025-08-28"})]
    for step, body in path[:steps]:
        live.ok("POST", f"/activities/{aid}/{step}", body, headers=by.headers)
    return aid


def test_activities_their_reads_and_the_month_9_milestone(live: ReadApi):
    csm = live.user("csm")
    customer = live.customer(csm)
    contract(live, customer, "A-1", "2025-01-01", "2025-12-31")
    before = live.read("/team/milestones", customer_id=customer, today="2025-08-01")
    [item] = before["items"]
    assert {m["key"]: m["status"] for m in item["milestones"]}["own_activities"] == "pending"

    start = live.head()
    run = activity(live, customer, csm, steps=3)
    before_improvement = recorded_at(live, live.head())
    time.sleep(0.01)  # recording times are microseconds: keep the next step strictly later
    live.ok("POST", f"/activities/{run}/improve", {"improvement": "post earlier",
                                                     "on": "2025-08-28"}, headers=csm.headers)
    planned = activity(live, customer, csm, kind="influence", on="2025-09-01")
    types = [e["type"] for e in live.events(after=start)]
    assert types == ["Activity.Planned", "Activity.Prepared", "Activity.Launched",
                     "Activity.Reviewed", "Activity.Improved", "Activity.Planned"]

    one = live.read(f"/activities/{run}")
    assert (one["status"], one["participants"], one["revenue"], one["currency"]) == (
        "improved", 120, "18600.00", "CNY")
    assert (one["planned_on"], one["reviewed_on"], one["improved_on"]) == (
        "2025-08-01", "2025-08-24", "2025-08-28")
    assert live.read(f"/activities/{run}", as_of=before_improvement)["status"] == "reviewed"
    page = live.read("/activities", customer_id=customer, status="planned")
    assert [a["id"] for a in page["items"]] == [planned]
    both = live.read("/activities", customer_id=customer, status=["planned", "improved"])
    assert [a["id"] for a in both["items"]] == [run, planned]  # by planning date
    assert live.read("/activities", customer_id=str(uuid4()))["items"] == []

    c360 = live.read(f"/customers/{customer}")
    assert [a["id"] for a in c360["activities"]] == [planned, run]  # newest first
    assert c360["activities"][1]["review_note"] == "31 packages sold"

    after = live.read("/team/milestones", customer_id=customer, today="2025-10-15")
    [item] = after["items"]
    own = next(m for m in item["milestones"] if m["key"] == "own_activities")
    assert (own["status"], own["done_on"], own["days_late"]) == ("done", "2025-08-24", 0)
    team = live.read("/team", today="2025-10-15")
    [row] = [x for x in team["items"] if x["owner_id"] == str(csm.id)]
    assert row["milestones"]["own_activities"]["done_on_time"] == 1


def test_the_earliest_evidence_of_own_activities_wins(live: ReadApi):
    csm = live.user("csm")
    customer = live.customer(csm)
    contract(live, customer, "A-2", "2025-01-01", "2025-12-31")
    plan = live.ok("POST", "/plans", {"customer_id": customer, "name": "Operation",
                                      "start_date": "2025-01-01"})["id"]
    milestone = live.ok("POST", f"/plans/{plan}/milestones", {
        "title": "Customer runs its own activities", "due_date": "2025-09-30",
        "acceptance_criterion": "An activity run with the system"})["milestone_id"]
    live.ok("POST", f"/plans/{plan}/activate", {"activated_on": "2025-01-02"})
    live.ok("POST", f"/plans/{plan}/milestones/{milestone}/complete",
            {"evidence": "Open day held", "completed_on": "2025-09-20"})
    activity(live, customer, csm, steps=3)  # reviewed 2025-08-24: earlier than the plan's
    [item] = live.read("/team/milestones", customer_id=customer, today="2025-12-01")["items"]
    own = next(x for x in item["milestones"] if x["key"] == "own_activities")
    assert (own["status"], own["done_on"]) == ("done", "2025-08-24")


def test_activity_refusals_name_the_field_and_write_nothing(live: ReadApi):
    csm, other, manager = live.user("csm"), live.user("csm"), live.user("manager")
    customer = live.customer(csm)
    planned = activity(live, customer, csm)
    launched = activity(live, customer, csm, steps=2)
    head = live.head()

    def refused(path: str, body: dict[str, Any], user: User, status: int) -> Any:
        r = live.post(path, body, headers=user.headers)
        assert r.status_code == status, r.text
        return r

    base = {"customer_id": customer, "kind": "revenue", "title": "Week"}
    for bad, field in [({"kind": "party"}, "kind"), ({"title": "x" * 201}, "title"),
                       ({"title": "  "}, "title"), ({"goal": "g" * 5001}, "goal"),
                       ({"on": "2300-01-01"}, "on"), ({"customer_id": str(uuid4())},
                                                      "customer_id")]:
        assert set(fields(refused("/activities", {**base, **bad}, csm, 422))) == {field}, bad
    review = f"/activities/{launched}/review"
    for bad, field in [({"participants": -1}, "participants"),
                       ({"participants": "many"}, "participants"),
                       ({"revenue": "10.00"}, "currency"), ({"currency": "CNY"}, "revenue"),
                       ({"revenue": "1e3", "currency": "CNY"}, "revenue"),
                       ({"on": "2025-08-01"}, "on")]:
        body = {**REVIEW, "revenue": None, "currency": None, **bad}
        assert field in set(fields(refused(review, body, csm, 422))), bad
    assert refused(f"/activities/{planned}/launch", {}, csm, 409).json()["state"] == "planned"
    refused(f"/activities/{planned}/review", REVIEW, manager, 409)
    refused(f"/activities/{launched}/cancel", {"reason": "too late"}, csm, 409)
    refused(f"/activities/{planned}/prepare", {}, other, 403)  # not this CSM's customer
    refused("/activities", base, other, 403)
    refused(f"/activities/{uuid4()}/prepare", {}, csm, 404)
    assert live.get("/activities", status="done").status_code == 422
    assert live.head() == head  # no refusal wrote anything
    for role in ("analyst", "auditor"):
        reader = live.user(role)
        assert live.get(f"/activities/{planned}", reader.headers,
                        min_position=head).status_code == 200  # the view has the writes
        refused(f"/activities/{planned}/prepare", {}, reader, 403)
    live.ok("POST", f"/activities/{planned}/cancel", {"reason": "clinic moving"},
            headers=manager.headers)  # a manager may act on any customer
