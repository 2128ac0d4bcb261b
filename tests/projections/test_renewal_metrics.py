"""Renewal metrics in business time, with numbers worked out by hand from the definitions.

Range: Q1 2025 = [2025-01-01, 2025-03-31], both ends inclusive.

EUR
  A1 1000, ends 03-31 (the range's last day), renewed EARLY on 2024-12-01 for 1200 → due, renewed
  B1 2000, ends 02-28, churned (price)                                         → due, churned
  C1  500, ends 04-01 (the day after the range), renewed                       → not due
  D1 3000, ends 01-31, still active                                            → due
  E1  800 + E2 700, end 03-15 / 03-20, both churned (competitor), one customer → due, churned
  F1  400, ends 02-15, churned (competitor)                                    → due, churned
  G1 9000, ends 02-01, a draft never signed                                    → not due
  H1 9000, ends 02-01, terminated                                              → not due
  due customers {A,B,D,E,F} = 5, due amount 1000+2000+3000+800+700+400 = 7900
  renewed customers {A} = 1 → 1/5 = 0.2000; renewed amount 1200 → 1200/7900 = 0.15189… → 0.1519
  churned customers {B,E,F} = 3; reasons: competitor 2 customers 1900, price 1 customer 2000

USD (expansion lifts the revenue rate above 1)
  K1 1000, ends 01-01 (the range's first day), renewed for 2500 → due, renewed
  L1 1000, ends 03-01, active                                   → due
  due 2, renewed 1 → 0.5000; due amount 2000, renewed 2500 → 1.2500; churned 0
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cs_domain.app import CustomerSuccess
from projections.db import ReadModels
from projections.runner import Projector
from projections.views.contracts import renewal_metrics, renewals
from tests.projections import scenario as s

Q1 = (date(2025, 1, 1), date(2025, 3, 31))


@pytest.fixture
def book(app: CustomerSuccess) -> dict[str, object]:
    csm = s.user(app)
    other = s.user(app, "Wang Fang")
    ids: dict[str, object] = {"csm": csm, "other": other}
    a, b, c, d, e, f, g, h = (s.customer(app, csm, name) for name in "ABCDEFGH")
    k = s.customer(app, other, "K")
    ll = s.customer(app, other, "L")
    a1 = s.contract(app, a, "A1", "1000", "EUR", date(2025, 3, 31))
    app.set_renewal_intent(actor="t", contract_id=a1, intent="high")
    ids["before_a_renewal"] = app.max_position()
    ids["a2"] = s.renew(app, a1, date(2024, 12, 1), "1200", date(2026, 3, 31))
    s.churn(app, s.contract(app, b, "B1", "2000", "EUR", date(2025, 2, 28)), date(2025, 2, 28),
            "price")
    s.renew(app, s.contract(app, c, "C1", "500", "EUR", date(2025, 4, 1)), date(2025, 3, 1),
            "500", date(2026, 4, 1))
    d1 = s.contract(app, d, "D1", "3000", "EUR", date(2025, 1, 31))
    app.set_renewal_intent(actor="t", contract_id=d1, intent="low")
    e1 = s.contract(app, e, "E1", "800", "EUR", date(2025, 3, 15))
    e2 = s.contract(app, e, "E2", "700", "EUR", date(2025, 3, 20))
    s.churn(app, e1, date(2025, 3, 1), "competitor")
    s.churn(app, e2, date(2025, 3, 1), "competitor")
    s.churn(app, s.contract(app, f, "F1", "400", "EUR", date(2025, 2, 15)), date(2025, 2, 1),
            "competitor")
    s.contract(app, g, "G1", "9000", "EUR", date(2025, 2, 1), status="draft")
    h1 = s.contract(app, h, "H1", "9000", "EUR", date(2025, 2, 1))
    app.terminate_contract(actor="t", contract_id=h1, terminated_on=date(2025, 1, 10),
                           reason="entered in error")
    s.renew(app, s.contract(app, k, "K1", "1000", "USD", date(2025, 1, 1)), date(2024, 12, 20),
            "2500", date(2026, 1, 1))
    s.contract(app, ll, "L1", "1000", "USD", date(2025, 3, 1))
    ids["d1"] = d1
    return ids


def test_renewal_metrics_match_the_hand_worked_numbers(
    app: CustomerSuccess, models: ReadModels, projector: Projector, book: dict[str, object]
) -> None:
    projector.catch_up()
    with models.read() as conn:
        result = renewal_metrics(conn, *Q1)
    assert result["position"] == app.max_position()
    eur, usd = result["currencies"]
    assert eur == {
        "currency": "EUR", "due_customers": 5, "renewed_customers": 1,
        "renewal_rate": Decimal("0.2000"), "due_amount": Decimal("7900"),
        "renewed_amount": Decimal("1200"), "revenue_renewal_rate": Decimal("0.1519"),
        "churned_customers": 3,
        "churn_reasons": [
            {"category": "competitor", "customers": 2, "amount": Decimal("1900")},
            {"category": "price", "customers": 1, "amount": Decimal("2000")},
        ],
    }
    assert usd == {
        "currency": "USD", "due_customers": 2, "renewed_customers": 1,
        "renewal_rate": Decimal("0.5000"), "due_amount": Decimal("2000"),
        "renewed_amount": Decimal("2500"), "revenue_renewal_rate": Decimal("1.2500"),
        "churned_customers": 0, "churn_reasons": [],
    }


def test_the_day_after_the_range_and_an_empty_range(
    models: ReadModels, projector: Projector, book: dict[str, object]
) -> None:
    projector.catch_up()
    with models.read() as conn:
        april_first = renewal_metrics(conn, date(2025, 4, 1), date(2025, 4, 1))
        nothing = renewal_metrics(conn, date(2030, 1, 1), date(2030, 12, 31))
    (eur,) = april_first["currencies"]
    assert (eur["due_customers"], eur["renewed_customers"], eur["due_amount"],
            eur["renewed_amount"], eur["revenue_renewal_rate"]) == (
        1, 1, Decimal("500"), Decimal("500"), Decimal("1.0000"))
    assert nothing["currencies"] == []


def test_metrics_as_known_before_the_early_renewal(
    models: ReadModels, projector: Projector, book: dict[str, object]
) -> None:
    projector.catch_up()
    with models.read() as conn:
        then = renewal_metrics(conn, *Q1, at=book["before_a_renewal"])  # type: ignore[arg-type]
    (eur,) = then["currencies"]  # only A1 existed: due, not yet renewed
    assert (eur["due_customers"], eur["renewed_customers"], eur["renewal_rate"],
            eur["due_amount"]) == (1, 0, Decimal("0.0000"), Decimal("1000"))
    assert then["position"] == book["before_a_renewal"]


def test_renewal_pipeline_filters(
    models: ReadModels, projector: Projector, book: dict[str, object]
) -> None:
    projector.catch_up()
    with models.read() as conn:
        q1 = renewals(conn, *Q1)
        low = renewals(conn, *Q1, intent="low")
        others = renewals(conn, *Q1, owner_id=book["other"])  # type: ignore[arg-type]
        open_ = renewals(conn, *Q1, status=["signed", "active"])
    numbers = [i["number"] for i in q1["items"]]
    # ordered by end date; both range ends included; the day after (C1) left out
    assert numbers == ["K1", "D1", "G1", "H1", "F1", "B1", "L1", "E1", "E2", "A1"]
    assert [i["number"] for i in low["items"]] == ["D1"]
    assert low["items"][0]["owner_name"] == "Chen Jing"
    assert low["items"][0]["amount"] == Decimal("3000")
    assert [i["number"] for i in others["items"]] == ["K1", "L1"]
    assert [i["number"] for i in open_["items"]] == ["D1", "L1"]
    a1 = q1["items"][-1]
    assert (a1["status"], a1["intent"], a1["customer_name"], a1["renewal_amount"]) == (
        "renewed", "high", "A", Decimal("1200"))
