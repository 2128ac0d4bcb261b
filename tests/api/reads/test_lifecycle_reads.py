"""Issue 11 through the API, on both stores: stages follow the facts (commands and `tick`),
manual stage changes the facts forbid are refused, the lifecycle board tells first terms
from renewal terms, and the CSM milestones are measured on the first term only."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from api.reads.side import ReadSide
from automation.tick import tick
from tests.api.conftest import User
from tests.api.reads.conftest import ReadApi


def ticked(live: ReadApi, on: date) -> None:
    side = live.container.views
    assert isinstance(side, ReadSide)
    report = tick(live.container.app, side.models, datetime(on.year, on.month, on.day, 6,
                                                            tzinfo=UTC))
    assert report.ok, report.failures


def used(live: ReadApi, cid: str, start: str, end: str, days: int, adoption: str) -> None:
    live.ok("POST", f"/customers/{cid}/usage", {
        "period_start": start, "period_end": end, "active_days_per_week": days,
        "feature_adoption": adoption, "open_issues": 0})


def stage(live: ReadApi, cid: str) -> tuple[str, str]:
    body = live.read(f"/customers/{cid}")
    return body["stage"], body["stage_since"]


def stage_events(live: ReadApi, cid: str) -> list[dict[str, Any]]:
    return [e for e in live.events() if e["type"] == "Customer.StageChanged"
            and e["originator_id"] == cid]


def contract(live: ReadApi, cid: str, number: str, start: str, end: str,
             amount: str = "12000.00") -> str:
    body = {"customer_id": cid, "number": number, "amount": amount, "currency": "EUR",
            "start_date": start, "end_date": end}
    kid = str(live.ok("POST", "/contracts", body)["id"])
    live.ok("POST", f"/contracts/{kid}/sign", {"signed_on": start})
    live.ok("POST", f"/contracts/{kid}/activate", {"activated_on": start})
    return kid


def refused(live: ReadApi, path: str, body: dict[str, Any], field: str) -> None:
    head = live.head()
    r = live.post(path, body)
    assert r.status_code == 422, r.text
    assert field in {e.get("field") for e in r.json()["errors"]}, r.text
    assert live.head() == head  # nothing written


def test_stages_follow_the_facts_and_a_manager_may_set_what_they_allow(live: ReadApi) -> None:
    csm: User = live.user("csm")
    cid = live.customer(csm)
    k1 = contract(live, cid, "L-1", "2025-01-01", "2025-12-31")
    assert stage(live, cid) == ("onboarding", "2025-01-01")
    used(live, cid, "2025-01-13", "2025-01-19", 3, "0.3")
    ticked(live, date(2025, 2, 1))
    assert stage(live, cid) == ("growth", "2025-01-13")  # activated: its first active usage
    ticked(live, date(2025, 7, 20))
    assert stage(live, cid) == ("growth", "2025-01-13")  # 6 months, but adoption below 0.5
    used(live, cid, "2025-07-07", "2025-07-13", 4, "0.6")
    ticked(live, date(2025, 7, 20))
    assert stage(live, cid) == ("mature", "2025-07-07")
    ticked(live, date(2025, 9, 10))
    assert stage(live, cid) == ("renewal", "2025-09-02")  # 120 days before 2025-12-31
    head = live.head()
    ticked(live, date(2025, 9, 10))
    assert live.head() == head  # a second tick writes nothing

    refused(live, f"/customers/{cid}/stage", {"stage": "onboarding",
                                              "effective_on": "2025-09-12"}, "stage")
    refused(live, f"/customers/{cid}/stage", {"stage": "dormant",
                                              "effective_on": "2025-09-12"}, "stage")
    refused(live, f"/customers/{cid}/stage", {"stage": "renewal",
                                              "effective_on": "2025-09-12"}, "stage")
    refused(live, f"/customers/{cid}/stage", {"stage": "reactivated",
                                              "effective_on": "2025-09-12"}, "stage")

    live.ok("POST", f"/contracts/{k1}/renew", {"renewed_on": "2025-12-15", "amount": "13000.00",
                                               "new_end_date": "2026-12-31"})
    assert stage(live, cid) == ("mature", "2025-12-15")
    # In its renewal term the customer is never onboarding (nor signed).
    refused(live, f"/customers/{cid}/stage", {"stage": "onboarding",
                                              "effective_on": "2026-01-05"}, "stage")
    refused(live, f"/customers/{cid}/stage", {"stage": "signed",
                                              "effective_on": "2026-01-05"}, "stage")
    ticked(live, date(2026, 9, 5))
    assert stage(live, cid) == ("renewal", "2026-09-02")
    # By hand: back to growth (recorded with actor and reason); the window does not undo it.
    manager = live.user("manager")
    live.ok("POST", f"/customers/{cid}/stage", {"stage": "growth", "effective_on": "2026-09-10",
                                                "reason": "expansion talks first"},
            manager.headers)
    ticked(live, date(2026, 9, 20))
    assert stage(live, cid) == ("growth", "2026-09-10")
    successor = live.read(f"/customers/{cid}")["contracts"][0]["id"]
    live.ok("POST", f"/contracts/{successor}/churn", {"churned_on": "2026-12-31",
                                                      "reason_category": "price"})
    assert stage(live, cid) == ("churned", "2026-12-31")  # the next fact moves it again

    events = stage_events(live, cid)
    assert [(e["data"]["stage"], e["actor"]) for e in events] == [
        ("onboarding", "system:lifecycle"), ("growth", "system:lifecycle"),
        ("mature", "system:lifecycle"), ("renewal", "system:lifecycle"),
        ("mature", "system:lifecycle"), ("renewal", "system:lifecycle"),
        ("growth", str(manager.id)), ("churned", "system:lifecycle")]
    assert events[1]["data"]["reason"] == "customer activated (first active usage)"
    assert events[4]["data"]["reason"] == "contract renewed: L-1"
    assert events[6]["data"]["reason"] == "expansion talks first"


def test_a_customer_renewed_without_activation_is_mature_and_can_be_set_by_hand(
        live: ReadApi) -> None:
    """Issue 11: activated in 2025, renewed in 2026, was still `onboarding` and a move to
    mature answered 409."""
    csm = live.user("csm")
    cid = live.customer(csm)
    other = live.customer(csm, name="Beta Clinic")
    k1 = contract(live, cid, "R-1", "2025-01-01", "2025-12-31")
    contract(live, other, "R-2", "2025-03-01", "2026-02-28")
    live.ok("POST", f"/contracts/{k1}/renew", {"renewed_on": "2025-12-20", "amount": "12000.00",
                                               "new_end_date": "2026-12-31"})
    assert stage(live, cid) == ("mature", "2025-12-20")
    # Onboarding with no usage recorded: a manager may still judge it mature.
    live.ok("POST", f"/customers/{other}/stage", {"stage": "mature",
                                                  "effective_on": "2025-06-01"})
    assert stage(live, other) == ("mature", "2025-06-01")
    refused(live, f"/customers/{other}/stage", {"stage": "onboarding",
                                                "effective_on": "2025-06-02"}, "stage")


def test_the_board_tells_first_terms_from_renewal_terms_and_refunds(live: ReadApi) -> None:
    csm = live.user("csm")
    new, renewed = live.customer(csm, name="New Clinic"), live.customer(csm, name="Old Clinic")
    refunded = live.customer(csm, name="Refund Clinic")
    contract(live, new, "B-1", "2026-01-01", "2026-12-31")
    old = contract(live, renewed, "B-2", "2025-01-01", "2025-12-31")
    live.ok("POST", f"/contracts/{old}/renew", {"renewed_on": "2025-12-01", "amount": "12000.00",
                                                "new_end_date": "2026-12-31"})
    gone = contract(live, refunded, "B-3", "2026-01-01", "2026-12-31", amount="5000.00")
    refused(live, f"/contracts/{gone}/terminate", {"terminated_on": "2026-01-05",
                                                   "reason": "trial cancelled",
                                                   "refund": "5000.01"}, "refund")
    live.ok("POST", f"/contracts/{gone}/terminate", {"terminated_on": "2026-01-05",
                                                     "reason": "trial cancelled",
                                                     "refund": "5000.00"})
    board = live.read("/lifecycle", today="2026-01-11")
    phase_of = {c["customer_name"]: (p["phase"], c["first_term"], c["day"], c["checkpoint"])
                for p in board["phases"] for c in p["customers"]}
    assert phase_of == {"New Clinic": ("onboarding", True, 10, 14),
                        "Old Clinic": ("stable", False, 10, None),
                        "Refund Clinic": ("refunded", None, None, None)}
    assert [p["phase"] for p in board["phases"]] == [
        "onboarding", "stable", "renewal", "churned", "refunded", "not_started", "no_contract"]
    late = live.read("/lifecycle", today="2026-10-15")
    assert {c["customer_name"] for p in late["phases"] if p["phase"] == "renewal"
            for c in p["customers"]} == {"New Clinic", "Old Clinic"}


def test_csm_milestones_are_measured_on_the_first_term_only(live: ReadApi) -> None:
    csm = live.user("csm")
    cid = live.customer(csm)
    k1 = contract(live, cid, "M-1", "2025-01-01", "2025-12-31")
    used(live, cid, "2025-01-20", "2025-01-26", 2, "0.2")
    live.ok("POST", f"/contracts/{k1}/renew", {"renewed_on": "2025-12-20", "amount": "12000.00",
                                               "new_end_date": "2026-12-31"})
    body = live.read("/team/milestones", customer_id=cid, today="2026-06-01")
    [item] = body["items"]
    assert (item["start_date"], item["term_end"]) == ("2025-01-01", "2025-12-31")
    got = {m["key"]: (m["status"], m["done_on"], m["days_late"]) for m in item["milestones"]}
    assert got == {
        "activated": ("done", "2025-01-20", 0),  # by usage: the one definition
        # due 2025-04-30 and 2025-09-30: missed when the first term ended, lateness stops
        "no_basic_questions": ("missed", None, 245),
        "own_activities": ("missed", None, 92),
        "renewed": ("done", "2025-12-20", 0)}
    team = live.read("/team", today="2026-06-01")
    [row] = [x for x in team["items"] if x["owner_id"] == str(csm.id)]
    assert row["milestones"]["own_activities"] == {
        "done_on_time": 0, "done_late": 0, "overdue": 0, "missed": 1, "pending": 0,
        "days_late_total": 92, "days_late_max": 92}
    activation = live.read("/metrics/activation", **{"from": "2025-01-01", "to": "2025-02-28"})
    [entry] = [x for x in activation["items"] if x["customer_id"] == cid]
    assert (entry["activated_on"], entry["activated_by"]) == ("2025-01-20", "usage")
