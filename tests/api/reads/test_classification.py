"""`GET /classification` and `POST /classification/best-practices` (seed 001 §二.1): the
level × usage cross table from the customers, health and contracts views, on both stores;
best practices per cell, refused (422, nothing written) on an unknown class."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_domain.classification import USAGE_THRESHOLDS, UsageClass, usage_class
from tests.api.reads.conftest import ReadApi
from tests.api.work_support import fields

WINDOW = {"from": "2025-01-01", "to": "2025-12-31"}


def _usage(live: ReadApi, customer: str, days: Any, adoption: Any,
           start: str = "2025-06-02") -> None:
    end = start[:8] + f"{int(start[8:]) + 6:02d}"
    live.ok("POST", f"/customers/{customer}/usage", {
        "period_start": start, "period_end": end, "active_days_per_week": days,
        "feature_adoption": adoption, "open_issues": 0})


def _cells(body: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(c["level"], c["usage_class"]): c for c in body["cells"]}


def test_the_cross_table_counts_health_and_renewals_per_cell(live: ReadApi):
    csm = live.user("csm")
    a = live.customer(csm, name="A", tier="strategic")
    b = live.customer(csm, name="B", tier="strategic")
    c = live.customer(csm, name="C", tier="basic", size_grade="B")
    live.customer(csm, name="D", tier="growth")  # no usage report: unreported
    _usage(live, a, 3, "0.2", start="2025-05-05")  # older period: light
    _usage(live, a, 6, "0.7")  # latest: heavy, score 6/7*40 + 21 = 55.29
    _usage(live, b, 5, "0.6")  # heavy (minimums), 28.57 + 18 = 46.57: mean 50.9
    _usage(live, c, "0.5", "0.9")  # inactive: below one active day a week
    renewed = live.contract(a, status="active")
    live.ok("POST", f"/contracts/{renewed}/renew", {
        "renewed_on": "2025-11-01", "amount": "13000.00", "new_end_date": "2026-12-31"})
    churned = live.contract(b, status="active")
    before = datetime.now(UTC).isoformat()
    live.ok("POST", f"/contracts/{churned}/churn", {
        "churned_on": "2025-12-31", "reason_category": "price"})
    body = live.read("/classification", **WINDOW)
    assert body["levels"] == ["strategic", "growth", "basic"]
    assert body["usage_classes"] == ["heavy", "regular", "light", "inactive", "unreported"]
    assert len(body["cells"]) == 15
    cells = _cells(body)
    heavy = cells["strategic", "heavy"]
    assert (heavy["customers"], heavy["mean_health"], heavy["renewal_rate"]) == (2, 50.9, 0.5)
    assert heavy["best_practices"] == []
    assert cells["basic", "inactive"]["customers"] == 1
    assert cells["basic", "inactive"]["renewal_rate"] is None
    assert cells["growth", "unreported"] == {
        "level": "growth", "usage_class": "unreported", "customers": 1, "mean_health": None,
        "renewal_rate": None, "best_practices": []}
    assert sum(cell["customers"] for cell in body["cells"]) == 4
    # The renewal rate is GET /metrics/renewals' rule: the same window, the same figure.
    overall = live.read("/metrics/renewals", **WINDOW)["overall"]
    assert overall["renewal_rate"] == 0.5
    then = _cells(live.read("/classification", **WINDOW, as_of=before))
    assert then["strategic", "heavy"]["renewal_rate"] == 0.5  # B was still due, not churned
    grades = live.read("/classification", **WINDOW, level_by="size_grade")
    assert grades["levels"] == ["A", "B", "C", "D", "ungraded"]
    by_grade = _cells(grades)
    assert by_grade["B", "inactive"]["customers"] == 1
    assert by_grade["ungraded", "heavy"]["customers"] == 2


def test_best_practices_are_recorded_per_cell(live: ReadApi):
    manager = live.user("manager")
    before = datetime.now(UTC).isoformat()
    first = live.ok("POST", "/classification/best-practices", {
        "level": "strategic", "usage_class": "heavy", "text": "  Monthly joint review  "},
        manager.headers)
    live.ok("POST", "/classification/best-practices", {
        "level": "A", "usage_class": "light", "text": "Train the front desk again"},
        manager.headers)
    cells = _cells(live.read("/classification"))
    practices = cells["strategic", "heavy"]["best_practices"]
    assert [(p["id"], p["text"]) for p in practices] == [(first["id"], "Monthly joint review")]
    assert practices[0]["recorded_by"] == str(manager.id)
    grades = _cells(live.read("/classification", level_by="size_grade"))
    assert [p["text"] for p in grades["A", "light"]["best_practices"]] == [
        "Train the front desk again"]
    then = _cells(live.read("/classification", as_of=before))
    assert then["strategic", "heavy"]["best_practices"] == []


@pytest.mark.parametrize(("body", "field"), [
    ({"level": "platinum", "usage_class": "heavy", "text": "x"}, "level"),
    ({"level": "strategic", "usage_class": "power", "text": "x"}, "usage_class"),
    ({"level": "strategic", "usage_class": "heavy", "text": "   "}, "text"),
    ({"level": "strategic", "usage_class": "heavy", "text": "x" * 2001}, "text"),
    ({"level": "strategic", "usage_class": "heavy"}, "text"),
])
def test_a_bad_best_practice_is_refused_and_writes_nothing(live: ReadApi, body: dict[str, Any],
                                                           field: str):
    head = live.head()
    response = live.post("/classification/best-practices", body)
    assert response.status_code == 422, response.text
    assert field in fields(response)
    assert live.head() == head


def test_only_managers_record_best_practices(live: ReadApi):
    csm = live.user("csm")
    head = live.head()
    response = live.post("/classification/best-practices", {
        "level": "basic", "usage_class": "light", "text": "x"}, csm.headers)
    assert response.status_code == 403
    assert live.head() == head


@pytest.mark.parametrize("params", [{"level_by": "industry"}, {"from": "2025-02-01",
                                                                "to": "2025-01-01"}])
def test_bad_read_parameters_are_422(live: ReadApi, params: dict[str, str]):
    assert live.get("/classification", **params).status_code == 422


DAYS = st.decimals(min_value=0, max_value=7, places=2)
RATIOS = st.decimals(min_value=0, max_value=1, places=2)
ORDER = [u.value for u in UsageClass]


@given(DAYS, RATIOS, DAYS, RATIOS)
def test_more_use_never_gives_a_lower_class(d1: Decimal, a1: Decimal, d2: Decimal,
                                            a2: Decimal):
    low, high = (d1, a1), (max(d1, d2), max(a1, a2))
    assert ORDER.index(usage_class(*high)) <= ORDER.index(usage_class(*low))


def test_usage_class_thresholds():
    assert [usage_class(d, a) for _, d, a in USAGE_THRESHOLDS] == ["heavy", "regular", "light"]
    assert usage_class(Decimal("0.99"), 1) == "inactive"
    assert usage_class(7, Decimal("0.59")) == "regular"
    assert usage_class(None, None) == "unreported"
