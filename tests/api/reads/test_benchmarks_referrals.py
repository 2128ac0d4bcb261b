"""Benchmark cases (seed 001 §二.6) and referrals (§二.7) through HTTP on both stores: the
criteria judged from the facts (recognition, the latest usage report, the outcome), the
pipeline with 409 on a skipped stage, the coverage per class (tier); referrals credited to
the referring customer and its CSM, their metric; refusals name the field and write
nothing."""

from __future__ import annotations

import time
from typing import Any
from uuid import uuid4

from tests.api.conftest import User
from tests.api.reads.conftest import ReadApi
from tests.api.reads.test_consistency import recorded_at
from tests.api.reads.test_lifecycle_reads import used
from tests.api.work_support import fields


def refuse(live: ReadApi, path: str, body: dict[str, Any], user: User, status: int) -> Any:
    r = live.post(path, body, headers=user.headers)
    assert r.status_code == status, r.text
    return r


def test_benchmark_criteria_from_the_facts_pipeline_and_coverage(live: ReadApi):
    csm = live.user("csm")
    strategic = live.customer(csm, name="Star Dental", tier="strategic")
    growth = live.customer(csm, name="Grow Dental", tier="growth")
    case = live.ok("POST", "/benchmark-cases", {"customer_id": strategic, "title": "Star",
                                                "on": "2025-06-02"}, headers=csm.headers)["id"]
    other = live.ok("POST", "/benchmark-cases", {"customer_id": growth, "title": "Grow",
                                                 "on": "2025-06-03"}, headers=csm.headers)["id"]
    one = live.read(f"/benchmark-cases/{case}")
    assert (one["stage"], one["tier"], one["customer_name"], one["qualified"]) == (
        "candidate", "strategic", "Star Dental", False)
    assert {k: v["met"] for k, v in one["criteria"].items()} == {
        "industry_known": False, "all_modules_used": False, "measured_outcome": False}

    used(live, strategic, "2025-05-26", "2025-06-01", 5, "0.95")  # adoption ≥ 0.90
    used(live, growth, "2025-05-26", "2025-06-01", 5, "0.60")
    live.ok("POST", f"/benchmark-cases/{case}/recognition",
            {"industry_known": True, "note": "association board"}, headers=csm.headers)
    before_outcome = recorded_at(live, live.head())
    time.sleep(0.01)  # recording times are microseconds: keep the outcome strictly later
    live.ok("POST", f"/benchmark-cases/{case}/outcome",
            {"cost_down_pct": "12.5", "growth_pct": "30", "note": "hours, revenue",
             "measured_on": "2025-07-01"}, headers=csm.headers)
    one = live.read(f"/benchmark-cases/{case}")
    assert one["qualified"] is True
    assert one["criteria"]["all_modules_used"]["feature_adoption"] == "0.95"
    assert one["criteria"]["measured_outcome"]["cost_down_pct"] == "12.5"
    assert live.read(f"/benchmark-cases/{case}", as_of=before_outcome)["qualified"] is False
    assert live.read(f"/benchmark-cases/{other}")["criteria"]["all_modules_used"]["met"] is False
    # a later report that uses fewer modules: the latest report is judged
    live.ok("POST", f"/customers/{strategic}/usage", {
        "period_start": "2025-06-02", "period_end": "2025-06-08", "active_days_per_week": 5,
        "feature_adoption": "1", "open_issues": 0, "features_used": 10,
        "features_available": 12})
    assert live.read(f"/benchmark-cases/{case}")["criteria"]["all_modules_used"]["met"] is False

    listed = live.read("/benchmark-cases")
    assert {c["tier"]: c["covered"] for c in listed["coverage"]} == {
        "strategic": False, "growth": False, "basic": False}
    assert listed["classes_without_case"] == ["strategic", "growth"]  # basic has no customers
    head = live.head()
    refuse(live, f"/benchmark-cases/{case}/replicate", {}, csm, 409)  # skips build
    assert live.head() == head
    for step, on in (("build", "2025-07-15"), ("replicate", "2025-08-01"),
                     ("upgrade", "2025-09-01"), ("replicate-again", "2025-10-01")):
        live.ok("POST", f"/benchmark-cases/{case}/{step}", {"on": on, "note": step},
                headers=csm.headers)
    refuse(live, f"/benchmark-cases/{case}/build", {}, csm, 409)  # no going back
    refuse(live, f"/benchmark-cases/{case}/drop", {"reason": "x"}, csm, 409)  # the last stage
    done = live.read(f"/benchmark-cases/{case}")
    assert (done["stage"], done["built_on"], done["replicated_again_on"]) == (
        "replicated_again", "2025-07-15", "2025-10-01")
    listed = live.read("/benchmark-cases")
    assert listed["classes_without_case"] == ["growth"]
    assert [c["id"] for c in live.read("/benchmark-cases", stage="candidate")["items"]] == [other]
    live.ok("POST", f"/benchmark-cases/{other}/drop", {"reason": "declined"}, headers=csm.headers)
    cover = {c["tier"]: c for c in live.read("/benchmark-cases")["coverage"]}
    assert (cover["growth"]["cases"], cover["strategic"]["cases"]) == (0, 1)
    sheet = live.get("/benchmark-cases", format="csv", lang="zh")  # exported like every list
    assert sheet.status_code == 200, sheet.text
    header, *rows = sheet.text.strip().splitlines()
    assert "标准.使用全部模块.达到" in header and len(rows) == 2


def test_benchmark_refusals_name_the_field_and_write_nothing(live: ReadApi):
    csm, other = live.user("csm"), live.user("csm")
    customer = live.customer(csm)
    case = live.ok("POST", "/benchmark-cases", {"customer_id": customer, "title": "Acme"},
                   headers=csm.headers)["id"]
    head = live.head()
    r = refuse(live, "/benchmark-cases", {"customer_id": customer, "title": "Again"}, csm, 409)
    assert r.json()["field"] == "customer_id"
    for body, field in [({"customer_id": customer, "title": "x" * 201}, "title"),
                        ({"customer_id": str(uuid4()), "title": "t"}, "customer_id")]:
        assert set(fields(refuse(live, "/benchmark-cases", body, csm, 422))) == {field}
    outcome = f"/benchmark-cases/{case}/outcome"
    for body, field in [({"note": "n"}, "cost_down_pct"),
                        ({"growth_pct": "-1", "note": "n"}, "growth_pct"),
                        ({"growth_pct": "1.001", "note": "n"}, "growth_pct"),
                        ({"cost_down_pct": "5"}, "note")]:
        assert field in set(fields(refuse(live, outcome, body, csm, 422))), body
    assert set(fields(refuse(live, f"/benchmark-cases/{case}/recognition",
                             {"industry_known": "yes", "note": "n"}, csm, 422))) == {
        "industry_known"}
    refuse(live, f"/benchmark-cases/{case}/upgrade", {}, csm, 409)
    refuse(live, f"/benchmark-cases/{case}/build", {}, other, 403)
    refuse(live, f"/benchmark-cases/{uuid4()}/build", {}, csm, 404)
    assert live.get("/benchmark-cases", stage="famous").status_code == 422
    assert live.head() == head
    analyst = live.user("analyst")
    assert live.get(f"/benchmark-cases/{case}", analyst.headers,
                    min_position=head).status_code == 200  # the view has the writes
    refuse(live, f"/benchmark-cases/{case}/build", {}, analyst, 403)


def referral(live: ReadApi, customer: str, by: User, on: str, steps: list[str]) -> str:
    rid = str(live.ok("POST", "/referrals", {
        "customer_id": customer, "prospect_name": "Bright Smile", "on": on,
        "incentive_policy": "2025 referral bonus", "incentive_amount": "2000.00",
        "incentive_currency": "CNY"}, headers=by.headers)["id"])
    bodies = {"contact": {"on": on}, "propose": {"on": on}, "lose": {"reason": "price", "on": on},
              "win": {"deal_amount": "36000.00", "currency": "CNY", "on": on}}
    for step in steps:
        live.ok("POST", f"/referrals/{rid}/{step}", bodies[step], headers=by.headers)
    return rid


def test_referrals_credit_the_customer_and_its_csm(live: ReadApi):
    ana, bo, manager = live.user("csm", "Ana"), live.user("csm", "Bo"), live.user("manager")
    a_customer, b_customer = live.customer(ana), live.customer(bo)
    won = referral(live, a_customer, ana, "2025-05-06", ["contact", "propose", "win"])
    referral(live, a_customer, ana, "2025-05-07", ["lose"])
    referral(live, a_customer, ana, "2025-05-08", ["contact"])
    b_won = referral(live, b_customer, bo, "2025-06-01", ["contact", "propose", "win"])
    referral(live, b_customer, bo, "2026-01-05", [])  # outside the range
    # the customer moves to Bo: Ana keeps the credit of what she brought in
    live.ok("POST", f"/customers/{a_customer}/owner", {"owner_id": str(bo.id)},
            headers=manager.headers)
    one = live.read(f"/referrals/{won}")
    assert (one["status"], one["credited_owner_id"], one["customer_id"]) == (
        "won", str(ana.id), a_customer)
    assert (one["incentive_policy"], one["incentive_amount"], one["deal_amount"],
            one["won_on"]) == ("2025 referral bonus", "2000.00", "36000.00", "2025-05-06")
    assert len(live.read("/referrals", owner_id=str(ana.id))["items"]) == 3
    assert [r["id"] for r in live.read("/referrals", status="won")["items"]] == [won, b_won]
    assert len(live.read("/referrals", customer_id=b_customer)["items"]) == 2

    m = live.read("/metrics/referrals", **{"from": "2025-01-01", "to": "2025-12-31"})
    assert (m["referrals"], m["won"], m["lost"], m["win_rate"]) == (4, 2, 1, 0.6667)
    assert m["by_status"] == {"introduced": 0, "contacted": 1, "proposal": 0, "won": 2,
                              "lost": 1}
    by_owner = {o["owner_id"]: o for o in m["by_owner"]}
    assert (by_owner[str(ana.id)]["referrals"], by_owner[str(ana.id)]["win_rate"]) == (3, 0.5)
    assert by_owner[str(bo.id)]["win_rate"] == 1.0
    # the quarterly review's section is the metric for the quarter
    review = live.read("/reports/quarterly", quarter="2025Q2")
    quarter = live.read("/metrics/referrals", **{"from": "2025-04-01", "to": "2025-06-30"})
    assert review["referrals"] == quarter and quarter["referrals"] == 4
    empty = live.read("/metrics/referrals", **{"from": "2024-01-01", "to": "2024-12-31"})
    assert (empty["referrals"], empty["win_rate"], empty["by_owner"]) == (0, None, [])


def test_referral_refusals_name_the_field_and_write_nothing(live: ReadApi):
    csm, other = live.user("csm"), live.user("csm")
    customer = live.customer(csm)
    open_one = referral(live, customer, csm, "2025-05-06", [])
    closed = referral(live, customer, csm, "2025-05-06", ["lose"])
    head = live.head()
    base = {"customer_id": customer, "prospect_name": "P", "incentive_policy": "bonus"}
    for bad, field in [({"prospect_name": ""}, "prospect_name"),
                       ({"incentive_policy": "x" * 201}, "incentive_policy"),
                       ({"incentive_amount": "10.00"}, "incentive_currency"),
                       ({"incentive_currency": "CNY"}, "incentive_amount"),
                       ({"incentive_text": "t" * 501}, "incentive_text"),
                       ({"incentive_text": "days", "incentive_amount": "1.00",
                         "incentive_currency": "CNY"}, "incentive_text"),
                       ({"customer_id": str(uuid4())}, "customer_id"),
                       ({"on": "1899-12-31"}, "on")]:
        assert set(fields(refuse(live, "/referrals", {**base, **bad}, csm, 422))) == {field}, bad
    assert refuse(live, f"/referrals/{open_one}/win", {}, csm, 409).json()["state"] == \
        "introduced"
    refuse(live, f"/referrals/{open_one}/propose", {}, csm, 409)
    refuse(live, f"/referrals/{closed}/contact", {}, csm, 409)
    refuse(live, f"/referrals/{closed}/lose", {"reason": "again"}, csm, 409)
    refuse(live, f"/referrals/{open_one}/contact", {"on": "2025-05-01"}, csm, 422)
    refuse(live, f"/referrals/{open_one}/contact", {}, other, 403)
    refuse(live, "/referrals", base, other, 403)
    assert live.get("/referrals", status="pending").status_code == 422
    assert live.get("/metrics/referrals", **{"from": "2025-12-31", "to": "2025-01-01"}
                    ).status_code == 422
    assert live.head() == head
    for role in ("analyst", "auditor"):
        reader = live.user(role)
        assert live.get("/referrals", reader.headers).status_code == 200
        assert live.get("/metrics/referrals", reader.headers,
                        **{"from": "2025-01-01", "to": "2025-12-31"}).status_code == 200
