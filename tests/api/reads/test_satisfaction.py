"""Satisfaction through HTTP on both stores (seed 004): NPS / CSAT responses posted by
csm/support/manager, bounded, and `GET /metrics/nps` by period, tier and owner."""

from __future__ import annotations

import time

from tests.api.reads.conftest import ReadApi
from tests.api.reads.test_consistency import recorded_at
from tests.api.work_support import fields

JUNE = {"from": "2025-06-01", "to": "2025-06-30"}


def test_nps_by_period_tier_and_owner(live: ReadApi):
    chen, li, support = live.user("csm"), live.user("csm"), live.user("support")
    growth = live.customer(chen, tier="growth")
    strategic = live.customer(li, tier="strategic")
    answers = [(growth, "nps", 10, chen), (growth, "nps", 9, support), (growth, "nps", 3, chen),
               (strategic, "nps", 7, li), (strategic, "csat", 4, li),
               (strategic, "csat", 5, support)]
    for customer, kind, score, by in answers:
        live.ok("POST", "/surveys/responses", {
            "customer_id": customer, "kind": kind, "score": score, "respondent": "Dr. Wang",
            "responded_on": "2025-06-15", "comment": "ok"}, headers=by.headers)
    before_july = recorded_at(live, live.head())
    time.sleep(0.01)  # recording times are microseconds: keep the next write strictly later
    live.ok("POST", "/surveys/responses", {"customer_id": growth, "kind": "nps", "score": 0,
                                           "responded_on": "2025-07-01"})
    m = live.read("/metrics/nps", **JUNE)
    assert (m["responses"], m["promoters"], m["passives"], m["detractors"]) == (4, 2, 1, 1)
    assert m["nps"] == 25.0  # (2 − 1) / 4
    assert {g["tier"]: (g["responses"], g["nps"]) for g in m["by_tier"]} == {
        "growth": (3, 33.33), "strategic": (1, 0.0)}
    assert {g["owner_id"]: g["nps"] for g in m["by_owner"]} == {
        str(chen.id): 33.33, str(li.id): 0.0}
    assert (m["csat_responses"], m["csat_mean"]) == (2, 4.5)
    july = live.read("/metrics/nps", **{"from": "2025-07-01", "to": "2025-07-31"})
    assert (july["responses"], july["nps"]) == (1, -100.0)
    assert live.read("/metrics/nps", as_of=before_july,
                     **{"from": "2025-07-01", "to": "2025-07-31"})["responses"] == 0
    empty = live.read("/metrics/nps", **{"from": "2024-01-01", "to": "2024-12-31"})
    assert (empty["responses"], empty["nps"], empty["by_tier"]) == (0, None, [])


def test_survey_refusals_write_nothing(live: ReadApi):
    owner, other, analyst = live.user("csm"), live.user("csm"), live.user("analyst")
    customer = live.customer(owner)
    head = live.head()
    base = {"customer_id": customer, "kind": "nps", "score": 8, "responded_on": "2025-06-15"}
    for body, bad in (({"score": 11}, {"score"}), ({"kind": "csat", "score": 0}, {"score"}),
                      ({"score": "9"}, {"score"}), ({"kind": "ces"}, {"kind"}),
                      ({"responded_on": "2200-01-01"}, {"responded_on"}),
                      ({"respondent": "r" * 201}, {"respondent"}),
                      ({"comment": "c" * 5001}, {"comment"})):
        r = live.post("/surveys/responses", {**base, **body}, headers=owner.headers)
        assert r.status_code == 422 and set(fields(r)) == bad, (body, r.text)
    assert live.post("/surveys/responses", base, headers=other.headers).status_code == 403
    assert live.post("/surveys/responses", base, headers=analyst.headers).status_code == 403
    assert live.get("/metrics/nps", **{"from": "2025-02-01", "to": "2025-01-01"}
                    ).status_code == 422
    assert live.get("/metrics/nps", analyst.headers, **JUNE).status_code == 200  # reads: anyone
    assert live.head() == head
