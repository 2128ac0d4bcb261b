"""Issue 11 point 10 through the API, both stores: overall renewal rate across currencies,
exchange rates and the reporting block, annual renewal targets and their gaps; hand-worked
figures on a small history, as_of, and bad input that writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest

from cs_store.settings import Settings
from tests.api.reads.conftest import ReadApi, started_with
from tests.api.reads.test_readable_back import moment_now

YEAR = {"from": "2025-01-01", "to": "2025-12-31"}
CNY_RATE = "0.1234567891"


@pytest.fixture
def eur(api_settings: Settings) -> Iterator[ReadApi]:
    """The API with EUR as the reporting currency."""
    with started_with(api_settings.model_copy(update={"reporting_currency": "EUR"}),
                      run_projectors=True) as client:
        yield ReadApi(client)


def contract(api: ReadApi, customer: str, currency: str, amount: str, end: str) -> str:
    return api.contract(customer, "active", currency=currency, amount=amount,
                        start_date=end[:4] + "-01-01", end_date=end)


def renew(api: ReadApi, contract_id: str, amount: str, end: str) -> None:
    api.ok("POST", f"/contracts/{contract_id}/renew", {
        "renewed_on": end, "amount": amount, "new_end_date": f"{int(end[:4]) + 1}{end[4:]}"})


def history(api: ReadApi) -> dict[str, Any]:
    """A: EUR 10000 renewed at 12000 (Mar) and USD 5000 churned (Jun); B: USD 20000 renewed
    at 22000 (Sep); C: CNY 100000 still open (Dec); D: GBP 8000 renewed (May, no rate);
    E: an EUR draft (never due)."""
    owner = api.user("csm")
    a, b, c, d, e = (api.customer(owner, name=n) for n in "ABCDE")
    renew(api, contract(api, a, "EUR", "10000.00", "2025-03-31"), "12000.00", "2025-03-31")
    churned = contract(api, a, "USD", "5000.00", "2025-06-30")
    api.ok("POST", f"/contracts/{churned}/churn",
           {"churned_on": "2025-06-30", "reason_category": "price"})
    renew(api, contract(api, b, "USD", "20000.00", "2025-09-30"), "22000.00", "2025-09-30")
    contract(api, c, "CNY", "100000.00", "2025-12-31")
    renew(api, contract(api, d, "GBP", "8000.00", "2025-05-31"), "8000.00", "2025-05-31")
    api.contract(e, "draft", end_date="2025-08-31")
    return {"a": a, "b": b, "owner": owner}


def rate(api: ReadApi, currency: str, value: str, valid_from: str,
         headers: dict[str, str] | None = None) -> Any:
    return api.request("POST", "/fx-rates", headers,
                       json={"currency": currency, "rate": value, "valid_from": valid_from})


def test_overall_and_reporting_rates_by_hand(eur: ReadApi):
    history(eur)
    for currency, value, valid_from in (("USD", "0.90", "2025-01-01"),
                                        ("CNY", CNY_RATE, "2025-01-01"),
                                        ("USD", "0.80", "2026-01-01")):
        assert rate(eur, currency, value, valid_from).status_code == 201
    before_july_rate = moment_now(eur)
    assert rate(eur, "USD", "0.80", "2025-07-01").status_code == 201  # same pair, a new date

    body = eur.read("/metrics/renewals", **YEAR)
    # Due: A, B, C, D (E's draft never is); renewed: A, B, D; churned: A (its USD contract).
    assert body["overall"] == {"due_customers": 4, "renewed_customers": 3,
                               "renewal_rate": 0.75, "churned_customers": 1}
    # EUR 10000 + USD 5000 × 0.90 (Jun) + USD 20000 × 0.80 (Sep) + CNY 100000 × 0.1234567891
    # = 42845.67891 → 42845.68; renewed 12000 + 22000 × 0.80 = 29600; 29600 / 42845.67891.
    assert body["reporting"] == {"currency": "EUR", "due_amount": "42845.68",
                                 "renewed_amount": "29600.00", "revenue_renewal_rate": 0.6909,
                                 "missing_rates": ["GBP"]}
    assert [m["currency"] for m in body["currencies"]] == ["CNY", "EUR", "GBP", "USD"]
    assert body["target"] is None
    # As known before the July rate: B's September contract converts at 0.90.
    then = eur.read("/metrics/renewals", **YEAR, as_of=before_july_rate)
    assert (then["reporting"]["due_amount"], then["reporting"]["renewed_amount"],
            then["reporting"]["revenue_renewal_rate"]) == ("44845.68", "31800.00", 0.7091)
    listed = eur.read("/fx-rates")
    assert listed["reporting_currency"] == "EUR"
    assert [(x["currency"], x["rate"], x["valid_from"]) for x in listed["items"]] == [
        ("CNY", CNY_RATE, "2025-01-01"), ("USD", "0.90", "2025-01-01"),
        ("USD", "0.80", "2025-07-01"), ("USD", "0.80", "2026-01-01")]
    assert len(eur.read("/fx-rates", as_of=before_july_rate)["items"]) == 3
    # Recording the same rate again writes nothing; another rate for a date replaces it.
    head = eur.head()
    assert rate(eur, "USD", "0.80", "2025-07-01").status_code == 200 and eur.head() == head
    assert rate(eur, "USD", "0.75", "2026-01-01").status_code == 201
    assert eur.read("/fx-rates")["items"][-1]["rate"] == "0.75"
    assert eur.read("/metrics/renewals", **YEAR)["reporting"] == body["reporting"]


def test_without_a_reporting_currency_there_is_no_block_and_no_rate(live: ReadApi):
    history(live)
    body = live.read("/metrics/renewals", **YEAR)
    assert body["reporting"] is None and body["overall"]["renewal_rate"] == 0.75
    head = live.head()
    r = rate(live, "USD", "0.9", "2025-01-01")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "currency"
    assert live.head() == head


def test_targets_stand_beside_the_figures_with_their_gaps(eur: ReadApi):
    book = history(eur)
    rate(eur, "USD", "0.80", "2025-01-01")
    rate(eur, "CNY", CNY_RATE, "2025-01-01")
    manager = eur.user("manager")
    assert eur.get("/targets/renewals/2025").status_code == 404
    first = eur.request("PUT", "/targets/renewals/2025", manager.headers, json={
        "renewal_rate": "0.8", "revenue_renewal_rate": "0.7", "owner_id": str(book["owner"].id)})
    assert first.status_code == 201
    before_change = moment_now(eur)
    changed = eur.request("PUT", "/targets/renewals/2025", manager.headers,
                          json={"renewal_rate": "0.85"})
    assert changed.status_code == 200 and changed.json()["version"] == 2

    target = eur.read("/targets/renewals/2025")
    assert (target["renewal_rate"], target["revenue_renewal_rate"], target["owner_id"]) == (
        0.85, None, None)
    then = eur.read("/targets/renewals/2025", as_of=before_change)
    assert (then["renewal_rate"], then["revenue_renewal_rate"], then["owner_id"]) == (
        0.8, 0.7, str(book["owner"].id))
    body = eur.read("/metrics/renewals", **YEAR)
    assert body["target"] == {"year": 2025, "renewal_rate": 0.85, "revenue_renewal_rate": None,
                              "owner_id": None, "owner_name": None,
                              "gap_renewal_rate": -0.1, "gap_revenue_renewal_rate": None}
    # USD at 0.80 all year: due 10000 + 4000 + 16000 + 12345.67891 = 42345.67891, renewed
    # 12000 + 17600 = 29600 → 0.6990; against 0.7 the gap is -0.0010, against 0.8 -0.05.
    old = eur.read("/metrics/renewals", **YEAR, as_of=before_change)
    assert old["reporting"]["revenue_renewal_rate"] == 0.699
    assert (old["target"]["gap_renewal_rate"], old["target"]["gap_revenue_renewal_rate"]) == (
        -0.05, -0.001)
    assert old["target"]["owner_name"].startswith("csm ")
    # A range across two years has no single target.
    assert eur.read("/metrics/renewals", **{"from": "2025-06-01", "to": "2026-05-31"})[
        "target"] is None


@pytest.mark.parametrize(("body", "field"), [
    ({"currency": "USD", "rate": "0", "valid_from": "2025-01-01"}, "rate"),
    ({"currency": "USD", "rate": "-1.5", "valid_from": "2025-01-01"}, "rate"),
    ({"currency": "USD", "rate": "0.12345678901", "valid_from": "2025-01-01"}, "rate"),
    ({"currency": "USD", "rate": "12345678901", "valid_from": "2025-01-01"}, "rate"),
    ({"currency": "usd", "rate": "0.9", "valid_from": "2025-01-01"}, "currency"),
    ({"currency": "XYZ", "rate": "0.9", "valid_from": "2025-01-01"}, "currency"),
    ({"currency": "EURO", "rate": "0.9", "valid_from": "2025-01-01"}, "currency"),
    ({"currency": "EUR", "rate": "0.9", "valid_from": "2025-01-01"}, "currency"),
    ({"currency": "USD", "rate": "0.9", "valid_from": "1899-12-31"}, "valid_from"),
    ({"currency": "USD", "rate": "0.9", "valid_from": "2200-01-01"}, "valid_from"),
    ({"currency": "USD", "rate": "0.9", "valid_from": "2025-02-30"}, "valid_from"),
])
def test_bad_rates_are_refused_naming_the_field(eur: ReadApi, body: dict[str, Any], field: str):
    head = eur.head()
    r = eur.request("POST", "/fx-rates", json=body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in r.json()["errors"]]
    assert eur.head() == head


@pytest.mark.parametrize(("year", "body", "field"), [
    ("2025", {"renewal_rate": "1.5"}, "renewal_rate"),
    ("2025", {"renewal_rate": "-0.1"}, "renewal_rate"),
    ("2025", {"renewal_rate": "0.9", "revenue_renewal_rate": "1.01"}, "revenue_renewal_rate"),
    ("2025", {"renewal_rate": "0.12345"}, "renewal_rate"),
    ("2025", {"renewal_rate": "0.9", "owner_id": str(uuid4())}, "owner_id"),
    ("1899", {"renewal_rate": "0.9"}, "year"),
    ("2200", {"renewal_rate": "0.9"}, "year"),
])
def test_bad_targets_are_refused_naming_the_field(live: ReadApi, year: str,
                                                  body: dict[str, Any], field: str):
    head = live.head()
    r = live.request("PUT", f"/targets/renewals/{year}", json=body)
    assert r.status_code == 422, r.text
    assert field in [e["field"] for e in r.json()["errors"]]
    assert live.head() == head


def test_only_managers_and_admins_set_rates_and_targets(eur: ReadApi):
    for role, allowed in (("manager", True), ("admin", True), ("csm", False),
                          ("support", False), ("analyst", False), ("auditor", False)):
        user = eur.user(role)
        head = eur.head()
        r = rate(eur, "USD", f"0.{len(role)}", "2025-01-01", user.headers)
        t = eur.request("PUT", "/targets/renewals/2030", user.headers,
                        json={"renewal_rate": f"0.{len(role)}"})
        if allowed:
            assert r.status_code in (200, 201) and t.status_code in (200, 201), (role, r.text)
        else:
            assert (r.status_code, t.status_code) == (403, 403), role
            assert eur.head() == head
        assert eur.get("/fx-rates", headers=user.headers).status_code == 200
