"""Activation rate 启用率 and usage depth/breadth, with numbers worked out by hand.

Activation, range February 2025 = [02-01, 02-28]; deadline = the day before the same day
one month after the start (rules.csm_milestones "activated"):
  A contract activated 01-10 → deadline 02-09, due; usage week 02-01 at 2 days (and a
    move to growth by hand, which is no activation)                       → on time (usage, 02-01)
  B contract activated 01-15 → deadline 02-14, due; usage: week 01-13 at 0 days, week
    01-27 at 2 days                                                       → on time (usage, 01-27)
  C onboarding moved by hand 01-31 (no contract) → deadline 02-27, due; usage week 03-03
    at 4 days, growth 03-15                                               → late (usage, 03-03)
  D contract activated 02-01 → deadline 02-28 (the range's last day), due → not activated
  E first contract activated 2024-12-20 (a second one 01-20) → deadline 01-19 → not due
  F contract activated 02-05 → deadline 03-04 → not due
  G contract activated 01-05 → deadline 02-04, due; usage week 01-06 at 0.5 days → not
    activated (below 1 active day a week); with min_active_days 0.5         → on time
  H contract activated 01-08 → deadline 02-07, due; usage week 01-06..01-12 at 3 days
    (reaches the start)                                                   → on time (usage, 01-08)
  due 6 (A B C D G H), activated 3 (A B H) → 0.5000; late 1 (C); not activated 2 (D G)
  as of before A's usage: activated 2 → 0.3333; with min 0.5: 4 → 0.6667
  (activated = cs_domain.lifecycle.activated_on, the one definition: first active usage)

Usage metrics, January 2025 (reports whose period_start is in [01-01, 01-31]):
  B 01-13 (0 days, adoption 0.2), B 01-27 (2, 0.4, core 2/4, features 3/10),
  G 01-06 (0.5, 0.1, core 1/4), H 01-06 (3, 0.5, core 3/4, features 5/10)
  reports 4, customers 3; active days (0+2+0.5+3)/4 = 1.375 → 1.38; adoption 1.2/4 = 0.30;
  depth (0.5+0.25+0.75)/3 = 0.5000 over 3; breadth (0.3+0.5)/2 = 0.4000 over 2
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from cs_domain.app import CustomerSuccess
from projections.db import ReadModels
from projections.queries.activation import activation_metrics
from projections.queries.health_metrics import usage_metrics
from projections.runner import Projector
from tests.projections import scenario as s

FEB = (date(2025, 2, 1), date(2025, 2, 28))
JAN = (date(2025, 1, 1), date(2025, 1, 31))


def activated(app: CustomerSuccess, cust: UUID, number: str, on: date) -> None:
    s.contract(app, cust, number, "1000", "EUR", on + timedelta(days=364), start=on)


def week(app: CustomerSuccess, cust: UUID, start: date, days: str, adoption: str,
         **extra: Any) -> None:
    app.report_usage(actor="t", customer_id=cust, period_start=start,
                     period_end=start + timedelta(days=6), active_days_per_week=Decimal(days),
                     feature_adoption=Decimal(adoption), open_issues=0, **extra)


@pytest.fixture
def book(app: CustomerSuccess) -> dict[str, Any]:
    csm = s.user(app)
    a, b, c, d, e, f, g, h = (s.customer(app, csm, name) for name in "ABCDEFGH")
    activated(app, a, "A1", date(2025, 1, 10))
    activated(app, b, "B1", date(2025, 1, 15))
    week(app, b, date(2025, 1, 13), "0", "0.2")
    week(app, b, date(2025, 1, 27), "2", "0.4", core_features_used=2, core_features_total=4,
         features_used=3, features_available=10)
    app.move_customer_stage(actor="t", customer_id=c, stage="onboarding",
                            effective_on=date(2025, 1, 31))
    week(app, c, date(2025, 3, 3), "4", "0.5")
    app.move_customer_stage(actor="t", customer_id=c, stage="growth",
                            effective_on=date(2025, 3, 15))
    activated(app, d, "D1", date(2025, 2, 1))
    activated(app, e, "E1", date(2024, 12, 20))
    activated(app, e, "E2", date(2025, 1, 20))
    activated(app, f, "F1", date(2025, 2, 5))
    activated(app, g, "G1", date(2025, 1, 5))
    week(app, g, date(2025, 1, 6), "0.5", "0.1", core_features_used=1, core_features_total=4)
    activated(app, h, "H1", date(2025, 1, 8))
    week(app, h, date(2025, 1, 6), "3", "0.5", core_features_used=3, core_features_total=4,
         features_used=5, features_available=10)
    before_growth = app.max_position()
    week(app, a, date(2025, 2, 1), "2", "0.3")
    app.move_customer_stage(actor="t", customer_id=a, stage="growth",
                            effective_on=date(2025, 1, 20))
    return {"ids": dict(zip("ABCDEFGH", (a, b, c, d, e, f, g, h), strict=True)),
            "before_growth": before_growth}


def test_activation_rate_matches_the_hand_worked_numbers(
    app: CustomerSuccess, models: ReadModels, projector: Projector, book: dict[str, Any]
) -> None:
    projector.catch_up()
    with models.read() as conn:
        now = activation_metrics(conn, *FEB)
        lenient = activation_metrics(conn, *FEB, min_active_days=Decimal("0.5"))
        then = activation_metrics(conn, *FEB, at=book["before_growth"])
        empty = activation_metrics(conn, date(2030, 1, 1), date(2030, 1, 31))
    assert {k: now[k] for k in ("due_customers", "activated_customers", "activation_rate",
                                "activated_late", "not_activated")} == {
        "due_customers": 6, "activated_customers": 3, "activation_rate": Decimal("0.5000"),
        "activated_late": 1, "not_activated": 2}
    assert [(x["name"], x["start_date"], x["deadline"], x["activated_on"], x["activated_by"],
             x["on_time"]) for x in now["items"]] == [
        ("G", date(2025, 1, 5), date(2025, 2, 4), None, None, False),
        ("H", date(2025, 1, 8), date(2025, 2, 7), date(2025, 1, 8), "usage", True),
        ("A", date(2025, 1, 10), date(2025, 2, 9), date(2025, 2, 1), "usage", True),
        ("B", date(2025, 1, 15), date(2025, 2, 14), date(2025, 1, 27), "usage", True),
        ("C", date(2025, 1, 31), date(2025, 2, 27), date(2025, 3, 3), "usage", False),
        ("D", date(2025, 2, 1), date(2025, 2, 28), None, None, False)]
    assert now["position"] == app.max_position()
    assert (lenient["activated_customers"], lenient["activation_rate"]) == (4, Decimal("0.6667"))
    assert (then["activated_customers"], then["activation_rate"]) == (2, Decimal("0.3333"))
    assert then["position"] == book["before_growth"]
    assert (empty["due_customers"], empty["activation_rate"], empty["items"]) == (0, None, [])


def test_usage_depth_and_breadth_match_the_hand_worked_numbers(
    app: CustomerSuccess, models: ReadModels, projector: Projector, book: dict[str, Any]
) -> None:
    projector.catch_up()
    with models.read() as conn:
        result = usage_metrics(conn, *JAN)
        then = usage_metrics(conn, *JAN, at=book["before_growth"] - 1)  # before H reported
        nothing = usage_metrics(conn, date(2030, 1, 1), date(2030, 1, 31))
    assert {k: v for k, v in result.items() if k not in ("from", "to", "position")} == {
        "reports": 4, "customers": 3, "active_days_per_week": Decimal("1.38"),
        "feature_adoption": Decimal("0.30"), "depth_reports": 3,
        "feature_depth": Decimal("0.5000"), "breadth_reports": 2,
        "feature_breadth": Decimal("0.4000")}
    assert (then["reports"], then["feature_depth"], then["feature_breadth"]) == (
        3, Decimal("0.3750"), Decimal("0.3000"))
    assert (nothing["reports"], nothing["feature_depth"], nothing["active_days_per_week"]) == (
        0, None, None)
