"""Health models over HTTP on both stores: record versions, activate one (the 360 and new
scores switch, older scores keep their model), score history with any version, backtest a
version by hand-computed figures, and bad input writing nothing."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.api.reads.conftest import ReadApi
from tests.api.reads.test_consistency import recorded_at

SEED = {"active_days": "40", "adoption": "30", "open_issues": "5"}
DAYS_ONLY = {"name": "days-only", "weights": {"active_days": 40, "adoption": 0, "open_issues": 0},
             "bands": {"yellow_from": 20, "green_from": 50}, "description": "activity alone"}


def week(live: ReadApi, customer: str, start: str, end: str, days: int, adoption: int) -> None:
    live.ok("POST", f"/customers/{customer}/usage", {
        "period_start": start, "period_end": end, "active_days_per_week": days,
        "feature_adoption": adoption, "open_issues": 0})


def history(live: ReadApi) -> dict[str, str]:
    """A churns 15 April (30/37 days after its periods); B stays; C churns 30 September.
    Seed-004 scores: A 70 then 30, B 30 then 70, C 40 then 0."""
    csm = live.user("csm")
    ids = {}
    for name, figures in (("A", [(7, 1), (0, 0.9)]), ("B", [(0, 1), (7, 1)]),
                          ("C", [(7, 0), (0, 0)])):
        cid = ids[name] = live.customer(csm, name=f"Customer {name}")
        contract = live.contract(cid, status="active")
        for (start, end), (days, adoption) in zip(
                (("2025-03-03", "2025-03-09"), ("2025-03-10", "2025-03-16")), figures,
                strict=True):
            week(live, cid, start, end, days, adoption)
        churned_on = {"A": "2025-04-15", "C": "2025-09-30"}.get(name)
        if churned_on is not None:
            live.ok("POST", f"/contracts/{contract}/churn",
                    {"churned_on": churned_on, "reason_category": "price"})
    return ids


def backtest(live: ReadApi, ref: str = "seed-004/versions/1", **params: Any) -> Any:
    return live.read(f"/health-models/{ref}/backtest", **{
        "from": "2025-03-01", "to": "2025-03-31", "horizon_days": 90, "k": 3, **params})


def test_backtest_figures_computed_by_hand_and_compared(live: ReadApi):
    history(live)
    live.ok("POST", "/health-models", DAYS_ONLY)
    found = backtest(live, compare="days-only:1")
    # seed-004 scores A 70, 27 | B 30, 70 | C 40, 0; red is < 30 (its bands).
    # Pairs (positive A, negative B/C): A1=70 ties B2 (½); A2=27 beats B1=30, B2=70, C1=40
    # (3): 3.5 / 8.
    assert (found["customers"], found["churned"], found["observations"]) == (3, 1, 6)
    assert (found["auc"], found["k"], found["precision_at_k"], found["recall_at_k"]) == (
        0.4375, 3, 0.3333, 0.5)
    assert (found["median_lead_days"], found["warned"]) == (30, 1)
    assert found["by_band"]["red"] == {"observations": 2, "positives": 1, "churn_rate": 0.5}
    # days-only scores 40, 0 | 0, 40 | 40, 0: A1 ties B2 and C1 (1), A2 ties B1 and C2 and
    # beats B2 and C1 (3) → 4 / 8.
    other = found["compare"]
    assert other["model"] == {"name": "days-only", "version": 1} and other["auc"] == 0.5
    assert backtest(live, compare="days-only:1") == found  # same inputs, same figures


def test_activation_switches_the_model_of_new_scores_only(live: ReadApi):
    csm = live.user("csm")
    cid = live.customer(csm)
    week(live, cid, "2025-03-03", "2025-03-09", 7, 1)
    defined = live.ok("POST", "/health-models", DAYS_ONLY)
    assert defined["name"] == "days-only" and defined["model_version"] == 1
    before = recorded_at(live, defined["position"])
    time.sleep(0.01)
    activated = live.ok("POST", "/health-models/days-only/versions/1/activate")
    assert activated["changed"] is True
    again = live.ok("POST", "/health-models/days-only/versions/1/activate")
    assert again["changed"] is False and again["position"] == activated["position"]
    week(live, cid, "2025-03-10", "2025-03-16", 7, 0)

    shown = live.read(f"/customers/{cid}")["health"]
    assert shown["model"] == {"name": "days-only", "version": 1}
    assert (shown["score"], shown["band"]) == (40, "yellow")  # days-only's bands: 20 / 50
    items = live.read(f"/customers/{cid}/health")["items"]
    assert [i["model"]["name"] for i in items] == ["seed-004", "days-only"]
    assert items[0]["score"] == 70  # recorded by the model active then: not rewritten

    listed = {(m["name"], m["version"]): m for m in live.read("/health-models")["items"]}
    assert listed[("days-only", 1)]["active"] and not listed[("seed-004", 1)]["active"]
    assert listed[("seed-004", 1)]["weights"] == {**SEED, "nps": "0", "depth": "0",
                                                         "breadth": "0", "open_risks": "0"}
    assert listed[("days-only", 1)]["bands"] == {"yellow_from": "20", "green_from": "50"}
    # Knowledge time: before the activation the seed model was the active one.
    then = {(m["name"], m["version"]): m["active"]
            for m in live.read("/health-models", as_of=before)["items"]}
    assert then == {("seed-004", 1): True, ("days-only", 1): False}


def test_history_scored_by_any_version(live: ReadApi):
    csm = live.user("csm")
    cid = live.customer(csm)
    week(live, cid, "2025-03-03", "2025-03-09", 7, 1)
    moment = recorded_at(live, live.head())
    time.sleep(0.01)
    live.ok("POST", "/health-models", DAYS_ONLY)
    rescored = live.read(f"/customers/{cid}/health", model="days-only:1")["items"]
    assert [(i["score"], i["band"], i["model"]["name"]) for i in rescored] == [
        (40, "yellow", "days-only")]
    assert rescored[0]["components"] == {"active_days": 40, "feature_adoption": 0,
                                         "open_issues": 0}
    live.ok("POST", "/health-models", {**DAYS_ONLY, "name": "broad", "weights": {
        **DAYS_ONLY["weights"], "breadth": 20}})
    live.ok("POST", f"/customers/{cid}/usage", {
        "period_start": "2025-03-10", "period_end": "2025-03-16", "active_days_per_week": 7,
        "feature_adoption": 1, "open_issues": 0, "features_used": 3, "features_available": 4})
    broad = live.read(f"/customers/{cid}/health", model="broad:1")["items"]
    assert [(i["score"], i["missing"]) for i in broad] == [(40, ["feature_breadth"]), (55, [])]
    recorded = live.read(f"/customers/{cid}/health")["items"]
    assert (recorded[0]["score"], recorded[0]["model"]["name"]) == (70, "seed-004")
    # Not yet defined at that moment: unknown then.
    r = live.get(f"/customers/{cid}/health", model="days-only:1", as_of=moment)
    assert r.status_code == 404
    r = live.get(f"/customers/{cid}/health", model="days-only")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "model"


BAD_BODIES = [
    ({**DAYS_ONLY, "weights": {**DAYS_ONLY["weights"], "adoption": "lots"}}, "adoption"),
    ({**DAYS_ONLY, "weights": {**DAYS_ONLY["weights"], "nps": -1}}, "weights.nps_weight"),
    ({**DAYS_ONLY, "bands": {"yellow_from": 60, "green_from": 40}}, "bands.green_from"),
    ({**DAYS_ONLY, "bands": {"yellow_from": 40, "green_from": 140}}, "bands.green_from"),
    ({**DAYS_ONLY, "name": ""}, "name"),
    ({**DAYS_ONLY, "description": "x" * 501}, "description"),
]


@pytest.mark.parametrize(("body", "field"), BAD_BODIES)
def test_bad_definitions_write_nothing(live: ReadApi, body: dict[str, Any], field: str):
    head = live.head()
    r = live.post("/health-models", body)
    assert r.status_code == 422, r.text
    assert any(field in e["field"] for e in r.json()["errors"]), r.json()
    assert live.head() == head


def test_unknown_versions_and_bad_ranges(live: ReadApi):
    head = live.head()
    assert live.post("/health-models/nope/versions/1/activate").status_code == 404
    assert live.get("/health-models/nope/versions/1/backtest",
                    **{"from": "2025-01-01", "to": "2025-02-01"}).status_code == 404
    for params, field in (({"horizon_days": 6}, "horizon_days"),
                          ({"horizon_days": 366}, "horizon_days"),
                          ({"to": "2031-01-01"}, "to"), ({"to": "2024-01-01"}, "to"),
                          ({"compare": "seed-004"}, "compare")):
        r = live.get("/health-models/seed-004/versions/1/backtest",
                     **{"from": "2025-01-01", "to": "2025-02-01", **params})
        assert r.status_code == 422, (params, r.text)
        assert r.json()["errors"][0]["field"].endswith(field), r.json()
    assert live.head() == head


def test_only_managers_and_admins_define_and_activate(live: ReadApi):
    csm, manager = live.user("csm"), live.user("manager")
    assert live.post("/health-models", DAYS_ONLY, headers=csm.headers).status_code == 403
    assert live.post("/health-models", DAYS_ONLY, headers=manager.headers).status_code == 201
    r = live.post("/health-models/days-only/versions/1/activate", headers=csm.headers)
    assert r.status_code == 403


def test_open_risks_weigh_the_risks_open_at_each_period_end(live: ReadApi):
    """A risk open during the first week and closed before the second: a model weighing
    open risks takes its points from the first period only — scored when the report is
    projected (active model) and at query time (any version), the same."""
    csm = live.user("csm")
    cid = live.customer(csm)
    risk = live.ok("POST", "/risks", {
        "customer_id": cid, "title": "Sponsor left", "category": "relationship",
        "severity": "high", "raised_on": "2025-03-01", "due_date": "2025-04-30"})["id"]
    live.ok("POST", f"/risks/{risk}/close", {"resolution": "new sponsor",
                                             "closed_on": "2025-03-12"})
    live.ok("POST", "/health-models", {**DAYS_ONLY, "name": "risky", "weights": {
        **DAYS_ONLY["weights"], "open_risks": "12.5"}})
    live.ok("POST", "/health-models/risky/versions/1/activate")
    week(live, cid, "2025-03-03", "2025-03-09", 7, 1)
    week(live, cid, "2025-03-10", "2025-03-16", 7, 1)
    stored = live.read(f"/customers/{cid}/health")["items"]
    assert [(i["score"], i["components"].get("open_risks")) for i in stored] == [
        (27.5, -12.5), (40, 0)]
    rescored = live.read(f"/customers/{cid}/health", model="risky:1")["items"]
    assert [i["score"] for i in rescored] == [27.5, 40]
    listed = {(m["name"], m["version"]): m for m in live.read("/health-models")["items"]}
    assert listed[("risky", 1)]["weights"]["open_risks"] == "12.5"
