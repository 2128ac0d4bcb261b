"""GET /metrics/forecast-accuracy on both stores: the renewal intent held 90 / 60 / 30 days
before each term's end against the outcome, per CSM, by hand; calibration once a churn
model exists; bad input by field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from cs_domain.churn_model import FittedModel
from projections.views.churn import FEATURES, store_model_file
from tests.api.reads.conftest import ReadApi

# Intents are dated by the day they are recorded (the real clock): terms end relative to it.
TODAY = datetime.now(UTC).date()


def term(live: ReadApi, owner: Any, name: str, ends_in: int, intent: str | None,
         outcome: str) -> None:
    cid = live.customer(owner, name=name)
    end = TODAY + timedelta(days=ends_in)
    contract = live.contract(cid, status="active", start_date=(end - timedelta(days=364))
                             .isoformat(), end_date=end.isoformat())
    if intent is not None:
        live.ok("POST", f"/contracts/{contract}/renewal-intent", {"intent": intent})
    if outcome == "renewed":
        live.ok("POST", f"/contracts/{contract}/renew", {
            "renewed_on": end.isoformat(), "amount": "12000.00",
            "new_end_date": (end + timedelta(days=365)).isoformat()})
    else:
        live.ok("POST", f"/contracts/{contract}/churn",
                {"churned_on": end.isoformat(), "reason_category": "price"})


def accuracy(live: ReadApi, **params: Any) -> Any:
    return live.read("/metrics/forecast-accuracy", **{
        "from": TODAY.isoformat(), "to": (TODAY + timedelta(days=200)).isoformat(), **params})


def test_intents_held_before_the_end_against_outcomes(live: ReadApi):
    first, second = live.user("csm", "Ann First"), live.user("csm", "Bo Second")
    term(live, first, "A", 100, "high", "renewed")   # right at every checkpoint
    term(live, first, "B", 100, "low", "churned")    # right
    term(live, second, "C", 100, "high", "churned")  # wrong
    term(live, second, "D", 100, None, "renewed")    # no forecast
    # Ends in 75 days: 90 days before was before the intent was recorded (today).
    term(live, second, "E", 75, "low", "renewed")
    found = accuracy(live)
    assert (found["terms"], found["renewed"], found["churned"]) == (5, 3, 2)
    figures = {c["days_before"]: (c["with_intent"], c["decisive"], c["correct"], c["accuracy"])
               for c in found["checkpoints"]}
    assert figures == {90: (3, 3, 2, 0.6667), 60: (4, 4, 2, 0.5), 30: (4, 4, 2, 0.5)}
    by_intent = {i["intent"]: (i["terms"], i["renewed"], i["churned"])
                 for i in found["checkpoints"][0]["by_intent"]}
    assert by_intent == {"high": (2, 1, 1), "medium": (0, 0, 0), "low": (1, 0, 1),
                         "none": (2, 2, 0)}
    owners = {o["owner_name"]: {c["days_before"]: c["accuracy"] for c in o["checkpoints"]}
              for o in found["by_owner"]}
    assert owners == {"Ann First": {90: 1.0, 60: 1.0, 30: 1.0},
                      "Bo Second": {90: 0.0, 60: 0.0, 30: 0.0}}
    assert found["calibration"] is None  # no churn model yet
    mine = accuracy(live, owner_id=str(first.id))
    assert mine["terms"] == 2 and [o["owner_name"] for o in mine["by_owner"]] == ["Ann First"]

    # With a model: every decided term predicted as of its end − 30 days, by decile.
    fitted = FittedModel(FEATURES, (0.0,) * len(FEATURES), (1.0,) * len(FEATURES),
                         (0.0,) * len(FEATURES), 0.0)  # p = 0.5 for everyone
    c = live.container
    with c.runtime.models.write() as conn:
        digest = store_model_file(conn, fitted)
    c.app.record_churn_model(actor="test", horizon_days=30, trained_until=TODAY,
                             features=FEATURES, metrics={"auc": "0.5"}, sha256=digest)
    calibration = accuracy(live)["calibration"]
    assert (calibration["model_version"], calibration["predictions"]) == (1, 5)
    sixth = calibration["deciles"][5]
    assert (sixth["from"], sixth["predictions"], sixth["mean_probability"]) == (0.5, 5, 0.5)
    assert sixth["churn_rate"] == 0.4  # B and C churned on their end date, within 30 days
    assert sum(d["predictions"] for d in calibration["deciles"]) == 5


def test_bad_range_names_the_field(live: ReadApi):
    r = live.get("/metrics/forecast-accuracy", **{"from": "2026-02-01", "to": "2026-01-01"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "to"
    r = live.get("/metrics/forecast-accuracy", **{"from": "2026-01-01", "to": "2026-02-01",
                                                   "owner_id": "x"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "owner_id"
