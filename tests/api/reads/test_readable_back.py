"""Issue 11 points 7-9 through the API, both stores: contract progress is null without an
implementation project (360, /contracts/{id}, /renewals); health bands sized to the seed
formula with churned customers left out; handover, expectations and complaint texts
readable, as of any moment."""

from __future__ import annotations

import time
from typing import Any

from tests.api import work_support as ws
from tests.api.reads.conftest import ReadApi

YEAR = {"from": "2025-01-01", "to": "2025-12-31"}


def moment_now(api: ReadApi) -> str:
    """The recording time of the last event so far (later writes are strictly later)."""
    head = api.head()
    event = api.ok("GET", f"/events?after={head - 1}&limit=1")["events"][0]
    time.sleep(0.01)
    return str(event["recorded_at"])


def usage(api: ReadApi, customer: str, days: str, adoption: str, issues: int) -> None:
    api.ok("POST", f"/customers/{customer}/usage", {
        "period_start": "2025-03-03", "period_end": "2025-03-09",
        "active_days_per_week": days, "feature_adoption": adoption, "open_issues": issues})


def test_progress_is_null_without_a_project_and_one_contract_reads_alone(live: ReadApi):
    owner = live.user("csm")
    customer = live.customer(owner)
    bare = live.contract(customer, "active", end_date="2025-06-30")
    project = ws.project(live, customer, done=("kickoff",))  # its own signed contract
    delivered = live.read(f"/projects/{project}")["contract_id"]

    c360 = live.read(f"/customers/{customer}")
    progress = {k["id"]: k["progress"] for k in c360["contracts"]}
    assert progress == {bare: None, delivered: 0.4}
    pipeline = live.read("/renewals", **YEAR)
    assert {k["id"]: k["progress"] for k in pipeline["items"]} == {bare: None, delivered: 0.4}

    one = live.read(f"/contracts/{bare}", today="2025-06-20")
    line = next(k for k in c360["contracts"] if k["id"] == bare)
    assert one == {**line, "days_to_end": 10, "customer_id": customer,
                   "position": one["position"]}
    assert (one["status"], one["progress"], one["amount"]) == ("active", None, "12000.00")
    before = moment_now(live)
    live.ok("POST", f"/contracts/{bare}/renew", {
        "renewed_on": "2025-06-01", "amount": "13000.00", "new_end_date": "2026-06-30"})
    now = live.read(f"/contracts/{bare}")
    assert now["status"] == "renewed" and now["successor_id"] is not None
    assert live.read(f"/contracts/{bare}", as_of=before)["status"] == "active"
    missing = live.get(f"/contracts/{customer}")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


def test_bands_fit_the_formula_and_churned_customers_leave_the_distribution(live: ReadApi):
    owner = live.user("csm")
    names = {"Green": ("7", "0.5", 1), "Yellow": ("3.5", "0.5", 1), "Red": ("2", "0.5", 1),
             "Gone": ("7", "1", 0)}
    ids = {name: live.customer(owner, name=name) for name in names}
    for name, figures in names.items():
        usage(live, ids[name], *figures)
    gone = live.contract(ids["Gone"], "active")
    before_churn = moment_now(live)
    live.ok("POST", f"/contracts/{gone}/churn",
            {"churned_on": "2025-03-20", "reason_category": "competitor"})

    def band(value: str, **params: Any) -> list[str]:
        body = live.read("/customers", health_band=value, **params)
        return [c["name"] for c in body["items"]]

    # 50 → green, 30 → yellow, 26.4 → red (red < 30 <= yellow < 50 <= green).
    assert live.read(f"/customers/{ids['Yellow']}")["health"]["band"] == "yellow"
    assert (band("green"), band("yellow"), band("red")) == (["Green"], ["Yellow"], ["Red"])
    assert band("green", include_churned="true") == ["Gone", "Green"]
    assert band("green", as_of=before_churn) == ["Gone", "Green"]
    dist = live.read("/metrics/health")
    assert dist["customers"] == 3 and dist["bands"] == {"red": 1, "yellow": 1, "green": 1}
    assert dist["include_churned"] is False
    everyone = live.read("/metrics/health", include_churned="true")
    assert everyone["customers"] == 4 and everyone["bands"]["green"] == 2
    assert live.read("/metrics/health", as_of=before_churn)["customers"] == 4
    r = live.get("/metrics/health", include_churned="maybe")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "include_churned"


def test_handover_and_expectations_read_back_as_of(live: ReadApi):
    owner = live.user("csm")
    customer = live.customer(owner)
    assert live.read(f"/customers/{customer}")["handover"] is None
    assert live.read(f"/customers/{customer}")["expectations"] == []
    before = moment_now(live)
    live.ok("POST", f"/customers/{customer}/handover", {
        "sales_rep": "Zhao Min", "handed_over_on": "2025-01-02",
        "summary": "Three clinics", "expectations": ["Online booking", "SMS reminders"]})
    after_handover = moment_now(live)
    live.ok("POST", f"/customers/{customer}/expectations", {
        "expectations": ["Online booking", "Monthly usage review"], "agreed_on": "2025-02-10"})

    now = live.read(f"/customers/{customer}")
    assert now["handover"] == {"sales_rep": "Zhao Min", "handed_over_on": "2025-01-02",
                               "summary": "Three clinics",
                               "expectations": ["Online booking", "SMS reminders"]}
    # A text already agreed keeps its first date; a new one takes the agreement's.
    assert now["expectations"] == [{"text": "Online booking", "agreed_on": "2025-01-02"},
                                   {"text": "Monthly usage review", "agreed_on": "2025-02-10"}]
    then = live.read(f"/customers/{customer}", as_of=after_handover)
    assert then["expectations"] == [{"text": "Online booking", "agreed_on": "2025-01-02"},
                                    {"text": "SMS reminders", "agreed_on": "2025-01-02"}]
    assert live.read(f"/customers/{customer}", as_of=before)["handover"] is None


def test_complaint_shows_note_resolution_and_compensation_as_of(live: ReadApi):
    owner = live.user("csm")
    customer = live.customer(owner)
    complaint = ws.complaint(live, customer)
    live.ok("POST", f"/complaints/{complaint}/investigate", {
        "note": "Checking the SSO logs", "started_at": "2025-03-01T10:00:00+08:00"})
    before = moment_now(live)
    live.ok("POST", f"/complaints/{complaint}/resolve", {
        "resolution": "Certificate renewed", "compensation": "One month of SMS credits",
        "resolved_at": "2025-03-01T15:00:00+08:00"})

    one = live.read(f"/complaints/{complaint}")
    assert (one["investigation_note"], one["resolution"], one["compensation"]) == (
        "Checking the SSO logs", "Certificate renewed", "One month of SMS credits")
    row = live.read("/complaints", customer_id=customer)["items"][0]
    assert (row["investigation_note"], row["resolution"]) == (
        "Checking the SSO logs", "Certificate renewed")
    assert live.read(f"/customers/{customer}")["complaints"][0]["resolution"] == \
        "Certificate renewed"
    then = live.read(f"/complaints/{complaint}", as_of=before)
    assert (then["status"], then["investigation_note"], then["resolution"],
            then["compensation"]) == ("investigating", "Checking the SSO logs", None, None)
