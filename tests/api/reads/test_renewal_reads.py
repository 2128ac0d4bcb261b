"""GET /renewals (pipeline, filters) and GET /metrics/renewals, both stores."""

from __future__ import annotations

from tests.api.reads.book import build_book
from tests.api.reads.conftest import ReadApi

JUNE = {"from": "2025-06-01", "to": "2025-06-30"}


def numbers(body: dict) -> list[str]:
    return [k["number"] for k in body["items"]]


def test_pipeline_by_end_date_with_filters(live: ReadApi):
    book = build_book(live)
    june = live.read("/renewals", **JUNE)
    assert june["from"] == "2025-06-01" and june["to"] == "2025-06-30"
    # By end date: BETA-1 (15th), DELTA-1 (20th, a draft), ACME-1 (30th).
    assert numbers(june) == ["BETA-1", "DELTA-1", "ACME-1"]
    acme = june["items"][2]
    assert acme["customer_name"] == "Acme Dental" and acme["owner_name"] == "Chen Jing"
    assert acme["status"] == "renewed" and acme["renewal_amount"] == "15000.00"
    assert acme["amount"] == "12000.00" and acme["renewed_on"] == "2025-06-01"
    assert numbers(live.read("/renewals", **JUNE, owner_id=str(book.li.id))) == ["DELTA-1"]
    assert numbers(live.read("/renewals", **JUNE, status=["renewed", "churned"])) == \
        ["BETA-1", "ACME-1"]
    december = {"from": "2025-12-01", "to": "2025-12-31"}
    assert numbers(live.read("/renewals", **december, intent="low")) == ["GAMMA-1"]
    assert numbers(live.read("/renewals", **december, intent="high")) == []
    # Both ends of the range are included.
    assert numbers(live.read("/renewals", **{"from": "2025-06-30", "to": "2025-06-30"})) == \
        ["ACME-1"]


def test_renewal_metrics_per_currency(live: ReadApi):
    build_book(live)
    body = live.read("/metrics/renewals", **{"from": "2025-01-01", "to": "2025-12-31"})
    by = {m["currency"]: m for m in body["currencies"]}
    assert list(by) == ["EUR", "USD"]
    eur = by["EUR"]
    # Due in EUR: Acme (renewed) and Beta (churned); Delta's draft is never due.
    assert eur["due_customers"] == 2 and eur["renewed_customers"] == 1
    assert eur["renewal_rate"] == 0.5
    assert eur["due_amount"] == "20000.00" and eur["renewed_amount"] == "15000.00"
    assert eur["revenue_renewal_rate"] == 0.75
    assert eur["churned_customers"] == 1
    assert eur["churn_reasons"] == [{"category": "competitor", "customers": 1,
                                     "amount": "8000.00"}]
    usd = by["USD"]
    assert usd["due_customers"] == 1 and usd["renewed_customers"] == 0
    assert usd["renewal_rate"] == 0 and usd["due_amount"] == "5000.00"
    empty = live.read("/metrics/renewals", **{"from": "2030-01-01", "to": "2030-12-31"})
    assert empty["currencies"] == []


def test_ranges_are_checked(live: ReadApi):
    for path in ("/renewals", "/metrics/renewals"):
        r = live.get(path, **{"from": "2025-07-01", "to": "2025-06-01"})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "to"
        r = live.get(path, to="2025-06-01")
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "from"
        r = live.get(path, **{"from": "2025-06-01", "to": "June"})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "to"
    r = live.get("/renewals", **JUNE, intent="maybe")
    assert r.status_code == 422 and r.json()["errors"][0]["field"].startswith("intent")
