"""`GET /touchpoints` across customers (seed 003: visits are counted per customer and per
quarter, across the book): filters kind, owner_id and the period, as of a past moment."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.api.reads.conftest import ReadApi


def _visit(live: ReadApi, customer: str, day: str, kind: str = "onsite_visit") -> str:
    return str(live.ok("POST", "/touchpoints", {
        "customer_id": customer, "kind": kind, "occurred_on": day, "summary": "On site"})["id"])


def test_touchpoints_are_listed_across_customers_with_filters(live: ReadApi):
    chen, lin = live.user("csm", "Chen"), live.user("csm", "Lin")
    a, b = live.customer(chen, name="Acme"), live.customer(lin, name="Beta")
    v1 = _visit(live, a, "2026-07-02")
    v2 = _visit(live, b, "2026-08-15")
    _visit(live, b, "2026-08-16", kind="call")
    _visit(live, a, "2026-10-01")  # next quarter
    everything = live.read("/touchpoints")
    assert len(everything["items"]) == 4
    q3 = live.read("/touchpoints", kind="onsite_visit", **{"from": "2026-07-01", "to": "2026-09-30"})
    assert [t["id"] for t in q3["items"]] == [v2, v1]  # newest first, both customers
    mine = live.read("/touchpoints", kind="onsite_visit", owner_id=str(chen.id))
    assert {t["customer_id"] for t in mine["items"]} == {a}
    assert len(mine["items"]) == 2
    # The owner filter follows the customer's owner as the views know it, as of a moment.
    before = datetime.now(UTC).isoformat()
    live.ok("POST", f"/customers/{b}/owner", {"owner_id": str(chen.id)})
    assert len(live.read("/touchpoints", owner_id=str(chen.id))["items"]) == 4
    then = live.read("/touchpoints", owner_id=str(chen.id), as_of=before)
    assert {t["customer_id"] for t in then["items"]} == {a}
    # One customer's list is unchanged.
    assert [t["id"] for t in live.read("/touchpoints", customer_id=a, **{"to": "2026-09-30"})[
        "items"]] == [v1]
