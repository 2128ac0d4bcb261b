"""`GET /metrics/visits` (seed 003: visits per customer and per quarter; seeds 000/004: head
customers visited at least quarterly): counts across customers, the period and owner filters,
the head customers not visited this quarter, as_of and a bad range refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cs_domain.visits import quarter_end, quarter_label, quarter_start
from tests.api.reads.conftest import ReadApi
from tests.api.work_support import fields

TODAY = "2026-11-20"  # 2026-Q4


def _visit(live: ReadApi, customer: str, day: str, kind: str = "onsite_visit") -> None:
    live.ok("POST", "/touchpoints", {"customer_id": customer, "kind": kind,
                                     "occurred_on": day, "summary": "On site"})


def test_visits_are_counted_per_customer_and_quarter(live: ReadApi):
    chen, lin = live.user("csm", "Chen"), live.user("csm", "Lin")
    acme = live.customer(chen, name="Acme", tier="strategic")
    beta = live.customer(lin, name="Beta", tier="strategic")
    gamma = live.customer(lin, name="Gamma", tier="strategic")
    small = live.customer(lin, name="Small", tier="basic")
    for cid in (acme, beta, small):
        live.contract(cid, status="active")
    live.contract(gamma)  # a draft: not live
    _visit(live, acme, "2026-08-03")
    _visit(live, acme, "2026-10-05")
    _visit(live, beta, "2026-09-30")
    _visit(live, beta, "2026-10-01", kind="call")
    _visit(live, acme, "2026-12-01")  # after today: not this quarter's visit yet
    body = live.read("/metrics/visits", today=TODAY, **{"to": TODAY})
    assert body["visits"] == 3 and body["quarter"] == "2026-Q4"
    assert [(c["customer_name"], c["visits"], c["last_visit_on"]) for c in body["by_customer"]] \
        == [("Acme", 2, "2026-10-05"), ("Beta", 1, "2026-09-30")]
    assert body["by_quarter"] == [{"quarter": "2026-Q3", "visits": 2, "customers": 2},
                                  {"quarter": "2026-Q4", "visits": 1, "customers": 1}]
    # Beta (strategic, live, last visit in Q3) is due; Acme was visited; Gamma has no live
    # contract; Small is not a head customer.
    assert [(c["customer_name"], c["last_visit_on"]) for c in
            body["head_customers_not_visited"]] == [("Beta", "2026-09-30")]
    q3 = live.read("/metrics/visits", today=TODAY, owner_id=str(lin.id),
                   **{"from": "2026-07-01", "to": "2026-09-30"})
    assert q3["visits"] == 1 and [c["customer_id"] for c in q3["by_customer"]] == [beta]
    before = datetime.now(UTC).isoformat()
    _visit(live, beta, "2026-11-02")
    assert live.read("/metrics/visits", today=TODAY)["head_customers_not_visited"] == []
    then = live.read("/metrics/visits", today=TODAY, as_of=before)
    assert [c["customer_id"] for c in then["head_customers_not_visited"]] == [beta]


def test_a_bad_range_is_refused_naming_the_field(live: ReadApi):
    response = live.get("/metrics/visits", **{"from": "2026-02-01", "to": "2026-01-01"})
    assert response.status_code == 422 and "to" in fields(response)
    response = live.get("/metrics/visits", **{"from": "1899-12-31"})
    assert response.status_code == 422 and "from" in fields(response)
    response = live.get("/metrics/visits", **{"to": "2200-01-01"})
    assert response.status_code == 422 and "to" in fields(response)


@given(st.dates(date(1900, 1, 1), date(2199, 12, 31)))
def test_a_day_lies_in_its_quarter(day: date):
    start, end = quarter_start(day), quarter_end(day)
    assert start <= day <= end and start.day == 1 and (end.month - start.month) == 2
    assert quarter_label(start) == quarter_label(end) == quarter_label(day)
    after = end + timedelta(days=1)
    assert quarter_start(after) == after
