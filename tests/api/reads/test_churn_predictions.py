"""Churn prediction over HTTP on both stores: a model trained on a tiny generated history
is recorded with its metrics and hash, predictions are ranked with their factors and
reproduced as of a past moment, features as of a date ignore what was recorded after it,
and bad input is refused naming its field (docs/models.md)."""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from automation.tick import tick
from cs_domain.churn_model import REGISTRY_ID, ChurnModelRegistry
from cs_runtime.churn import train_and_record
from projections.view import Reader
from projections.views.churn import (
    FILES,
    features_at,
    load_facts,
    load_model_file,
    predict,
    term_at,
)
from tests.api.reads.conftest import ReadApi
from tests.api.reads.test_consistency import recorded_at

FIRST_WEEK = date(2025, 1, 6)
WEEKS = 20
UNTIL = date(2025, 6, 30)
# Churners: (churn date); their usage falls over the five weeks before it.
CHURNS = (date(2025, 3, 1), date(2025, 3, 15), date(2025, 5, 10), date(2025, 5, 20))
STAYERS = 4


def usage(live: ReadApi, customer: str, days: int, week: int) -> None:
    start = FIRST_WEEK + timedelta(weeks=week)
    live.container.app.report_usage(
        actor="test", customer_id=UUID(customer), period_start=start,
        period_end=start + timedelta(days=6), active_days_per_week=days,
        feature_adoption=1 if days > 3 else 0, open_issues=0)


def history(live: ReadApi) -> dict[str, str]:
    """Four churners whose usage falls before their churn, four steady customers."""
    csm = live.user("csm")
    ids: dict[str, str] = {}
    for n, churned_on in enumerate((*CHURNS, *([None] * STAYERS))):
        name = f"{'Churner' if churned_on else 'Stayer'} {n}"
        cid = ids[name] = live.customer(csm, name=name)
        contract = live.contract(cid, status="active")
        for week in range(WEEKS):
            end = FIRST_WEEK + timedelta(weeks=week, days=6)
            if churned_on is None:
                usage(live, cid, 5 + n % 2, week)
            elif end < churned_on:
                left = (churned_on - end).days // 7  # weeks before the churn
                usage(live, cid, 6 if left >= 5 else max(0, left), week)
        if churned_on is not None:
            live.ok("POST", f"/contracts/{contract}/churn",
                    {"churned_on": churned_on.isoformat(), "reason_category": "price"})
    return ids


def caught_up(live: ReadApi) -> None:
    """Waits until the views have applied the last write (a read at min_position)."""
    r = live.get("/predictions/churn", min_position=live.head())
    assert r.status_code in (200, 409), r.text


def train(live: ReadApi, until: date = UNTIL) -> Any:
    caught_up(live)
    c = live.container
    return train_and_record(c.app, c.runtime.models, actor="test", until=until)


def predictions(live: ReadApi, **params: Any) -> Any:
    return live.read("/predictions/churn", today="2025-05-01", **params)


def test_no_model_yet_is_a_conflict_saying_train_first(live: ReadApi):
    r = live.get("/predictions/churn", min_position=live.head())
    assert r.status_code == 409
    assert r.json()["type"].endswith("/churn-model-not-trained")
    assert "train first" in r.json()["detail"]


def test_training_records_metrics_and_hash_and_predictions_rank(live: ReadApi):
    ids = history(live)
    recorded = train(live)
    assert recorded.version == 1
    app = live.container.app
    assert app.load(ChurnModelRegistry, REGISTRY_ID).versions == {1: recorded.sha256}
    [event] = [e for e in app.repository.event_store.get(REGISTRY_ID)
               if isinstance(e, ChurnModelRegistry.Trained)]
    assert (event.version, event.sha256, event.horizon_days) == (1, recorded.sha256, 30)
    assert event.trained_until == UNTIL and event.metrics["auc"] == str(recorded.metrics["auc"])
    metrics = recorded.metrics
    assert metrics["train_positives"] >= 1 and metrics["holdout_positives"] >= 1
    assert metrics["auc"] is not None and 0 <= metrics["auc"] <= 1
    assert metrics["seed_formula_auc"] is not None
    with live.container.runtime.models.read() as conn:
        body = conn.execute(FILES.select().where(FILES.c.sha256 == recorded.sha256)).one().body
    assert hashlib.sha256(body.encode()).hexdigest() == recorded.sha256

    found = predictions(live)
    assert found["model"]["version"] == 1 and found["model"]["sha256"] == recorded.sha256
    assert found["model"]["metrics"]["auc"] == str(metrics["auc"])
    probabilities = [i["probability"] for i in found["items"]]
    assert probabilities == sorted(probabilities, reverse=True)
    names = [i["customer_name"] for i in found["items"]]
    # On 1 May the churners of 10 and 20 May are in force with falling usage; the two of
    # March are gone: the two at risk rank first.
    assert set(names[:2]) == {"Churner 2", "Churner 3"}
    assert not {"Churner 0", "Churner 1"} & set(names)
    assert len(names) == 6 and set(ids) >= set(names)
    factors = found["items"][0]["factors"]
    assert factors and all(set(f) == {"name", "contribution"} for f in factors)
    contributions = [abs(f["contribution"]) for f in factors]
    assert contributions == sorted(contributions, reverse=True)
    assert predictions(live, limit=2)["items"] == found["items"][:2]


def test_predictions_as_of_a_past_moment_are_reproducible(live: ReadApi):
    ids = history(live)
    train(live)
    caught_up(live)
    moment = recorded_at(live, live.head())
    before = live.read("/predictions/churn", as_of=moment)
    time.sleep(0.01)
    # Later facts: a new model, usage that changes the stayers' trend, a risk.
    stayer = ids["Stayer 4"]
    for week in range(WEEKS, WEEKS + 4):
        usage(live, stayer, 0, week)
    train(live, UNTIL + timedelta(days=7))
    again = live.read("/predictions/churn", as_of=moment)
    assert again == before
    now = live.read("/predictions/churn", today=before["as_of_date"])
    assert now["model"]["version"] == 2


def test_features_as_of_a_date_ignore_later_records(live: ReadApi):
    """No leakage: features as of T are the same before and after appending events
    recorded later — read at T's knowledge position (anything appended later, even dated
    before T), and read now (facts dated after T)."""
    ids = history(live)
    caught_up(live)
    day = date(2025, 3, 20)
    position = live.head()
    models = live.container.runtime.models

    def features(at: int | None) -> dict[UUID, dict[str, float]]:
        with models.read() as conn:
            facts = load_facts(Reader(conn, at))
        return {cid: features_at(f, day) for cid, f in facts.items()}

    then, known = features(position), features(None)
    assert then == known
    stayer, churner = ids["Stayer 5"], ids["Churner 3"]
    later = (day + timedelta(days=1)).isoformat()
    live.ok("POST", "/risks", {"customer_id": stayer, "title": "Budget cut", "category": "commercial",
                               "severity": "high", "raised_on": later, "due_date": later})
    live.ok("POST", "/touchpoints", {"customer_id": churner, "kind": "call",
                                     "occurred_on": later, "summary": "renewal call"})
    for week in range(WEEKS, WEEKS + 3):
        usage(live, stayer, 0, week)
    # Recorded later but dated before T: only the knowledge-position read ignores it.
    live.ok("POST", "/touchpoints", {"customer_id": stayer, "kind": "call",
                                     "occurred_on": "2025-03-19", "summary": "late entry"})
    caught_up(live)
    assert features(position) == then
    now = features(None)
    assert {k: v for k, v in now.items() if k != UUID(stayer)} == {
        k: v for k, v in then.items() if k != UUID(stayer)}
    assert now[UUID(stayer)]["days_since_touchpoint"] == 1  # the backdated entry
    assert {k: v for k, v in now[UUID(stayer)].items() if k != "days_since_touchpoint"} == {
        k: v for k, v in then[UUID(stayer)].items() if k != "days_since_touchpoint"}


@pytest.mark.parametrize(("params", "field"), [
    ({"horizon_days": 6}, "horizon_days"), ({"horizon_days": 366}, "horizon_days"),
    ({"limit": 0}, "limit"), ({"limit": 501}, "limit"),
    ({"owner_id": "8d5e0b2a-1c3f-4e6a-b7d8-9f0a1b2c3d4e"}, "owner_id"),
    ({"owner_id": "nobody"}, "owner_id"),
])
def test_bad_input_names_the_field(live: ReadApi, params: dict[str, Any], field: str):
    history_free = live.head()
    r = live.get("/predictions/churn", min_position=history_free, **params)
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == [field]
    assert live.head() == history_free


def test_a_prediction_reads_only_what_the_day_needs_with_the_same_features(live: ReadApi):
    """load_facts(day=T) filters in SQL; the features as of T equal those of the whole
    history, for every customer in force, at dates across the history."""
    history(live)
    live.ok("POST", "/touchpoints", {"customer_id": history_ids(live)[0], "kind": "call",
                                     "occurred_on": "2025-02-10", "summary": "check-in"})
    quiet = live.customer(live.user("csm"), name="Quiet since January")
    live.contract(quiet, status="active")
    for week, days in enumerate((6, 4, 2)):  # then silent, long past every window
        usage(live, quiet, days, week)
    caught_up(live)
    with live.container.runtime.models.read() as conn:
        r = Reader(conn, None)
        whole = load_facts(r)
        for day in (date(2025, 1, 20), date(2025, 3, 1), date(2025, 4, 15), date(2025, 6, 20)):
            window = load_facts(r, day=day)
            live_ids = [cid for cid, f in whole.items() if term_at(f, day) is not None]
            assert live_ids and [c for c, f in window.items() if term_at(f, day)] == live_ids
            for cid in live_ids:
                assert features_at(window[cid], day) == features_at(whole[cid], day)


def history_ids(live: ReadApi) -> list[str]:
    return [i["id"] for i in live.read("/customers", limit=100)["items"]]


def test_a_current_list_serves_the_day_s_ranking_scored_once_by_the_tick(live: ReadApi):
    """The tick scores the day once per model; a current read serves that ranking (fast at
    any size) with the scoring's position — the items `predict` gives at that position —
    unless the client needs a later position (read-your-writes: computed then)."""
    history(live)
    recorded = train(live)
    caught_up(live)
    c = live.container
    day = date(2025, 5, 1)
    first = tick(c.app, c.runtime.models, datetime(2025, 5, 1, 9, tzinfo=UTC))
    assert first.churn_scored == 6
    assert tick(c.app, c.runtime.models, datetime(2025, 5, 1, 10, tzinfo=UTC)).churn_scored == 0
    served = live.get("/predictions/churn", today="2025-05-01").json()
    with c.runtime.models.read() as conn:
        model = load_model_file(conn, recorded.sha256)
        expected = predict(Reader(conn, served["position"]), model, day, limit=50)
    assert [(UUID(i["customer_id"]), i["customer_name"], i["probability"], i["factors"])
            for i in served["items"]] == [
        (i["customer_id"], i["customer_name"], i["probability"], i["factors"]) for i in expected]
    two = live.get("/predictions/churn", today="2025-05-01", limit=2).json()
    assert two["items"] == served["items"][:2] and two["position"] == served["position"]
    # A write after the scoring: a read that must see it is computed at its position.
    usage(live, served["items"][-1]["customer_id"], 0, WEEKS)
    head = live.head()
    fresh = live.read("/predictions/churn", today="2025-05-01")
    assert fresh["position"] >= head > served["position"]
