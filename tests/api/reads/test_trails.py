"""GET /risks/{id}/trail: every step in order, from the log, with as_of; both stores."""

from __future__ import annotations

import time
from datetime import date
from uuid import UUID, uuid4

from tests.api.reads.conftest import ReadApi


def test_risk_trail_lists_every_step_in_order(live: ReadApi):
    owner = live.user("csm")
    cid = UUID(live.customer(owner))
    app = live.container.app
    raised = app.raise_risk(actor=str(owner.id), customer_id=cid, title="Champion leaving",
                            category="relationship", severity="high",
                            due_date=date(2025, 11, 30), raised_on=date(2025, 10, 2))
    time.sleep(0.01)
    closed = app.close_risk(actor=str(owner.id), risk_id=raised.id,
                            resolution="new champion onboarded", closed_on=date(2025, 11, 20))
    r = live.get(f"/risks/{raised.id}/trail")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["id"] == str(raised.id) and body["position"] >= closed.position
    assert r.headers["X-View-Position"] == str(body["position"])
    steps = body["items"]
    assert [s["type"] for s in steps] == ["Risk.Raised", "Risk.Closed"]
    assert [s["position"] for s in steps] == [raised.position, closed.position]
    assert {s["actor"] for s in steps} == {str(owner.id)}
    assert set(steps[0]) == {"position", "recorded_at", "version", "actor", "type", "data"}
    assert steps[0]["data"]["title"] == "Champion leaving"
    assert steps[0]["data"]["due_date"] == "2025-11-30"
    assert steps[1]["data"]["resolution"] == "new champion onboarded"
    # As of the moment the risk was raised, it had not been closed yet.
    earlier = live.get(f"/risks/{raised.id}/trail", as_of=steps[0]["recorded_at"]).json()
    assert [s["type"] for s in earlier["items"]] == ["Risk.Raised"]
    assert earlier["position"] == raised.position


def test_trail_of_an_unknown_risk_is_404(live: ReadApi):
    owner = live.user("csm")
    customer = live.customer(owner)
    for ident in (uuid4(), customer):  # a customer's id is not a risk
        r = live.get(f"/risks/{ident}/trail")
        assert r.status_code == 404, r.text
    assert live.get(f"/risks/{uuid4()}/trail", min_position=10**12).status_code == 503
