"""`GET /team/weekly` (seed 003: each CSM's weekly work statistics): the ISO week's figures
per CSM computed from the views, the owner filter, as_of, and bad weeks refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.reads.query import InvalidParameter
from api.reads.weekly import week_monday
from tests.api.reads.conftest import ReadApi
from tests.api.work_support import fields, risk, task

WEEK = "2025-W10"  # Monday 2025-03-03 .. Sunday 2025-03-09


def _touch(live: ReadApi, customer: str, day: str, kind: str = "call") -> None:
    live.ok("POST", "/touchpoints", {"customer_id": customer, "kind": kind,
                                     "occurred_on": day, "summary": "Talked"})


def _by_owner(body: dict[str, object]) -> dict[str, dict[str, object]]:
    assert body["week"] == WEEK
    return {item["owner_id"]: item for item in body["items"]}  # type: ignore[attr-defined]


def test_each_csm_week_is_computed_from_the_views(live: ReadApi):
    chen, lin = live.user("csm", "Chen"), live.user("csm", "Lin")
    a, a2 = live.customer(chen, name="Acme"), live.customer(chen, name="Apex")
    b = live.customer(lin, name="Beta")
    _touch(live, a, "2025-03-04", kind="onsite_visit")
    _touch(live, a, "2025-03-05")
    _touch(live, a2, "2025-03-03")  # Monday: in the week
    _touch(live, b, "2025-03-09")  # Sunday: in the week
    _touch(live, b, "2025-03-10", kind="onsite_visit")  # next week
    _touch(live, b, "2025-03-02", kind="onsite_visit")  # last week
    task(live, a, chen, status="done")  # completed 2025-03-03
    task(live, b, lin, status="doing")
    risk(live, a, raised_on="2025-03-05")
    closed = risk(live, a2, raised_on="2025-02-01")
    live.ok("POST", f"/risks/{closed}/close", {"resolution": "ok", "closed_on": "2025-03-07"})
    risk(live, b, closed=True)  # raised 2025-03-01, closed 2025-03-10: neither in the week
    contract = live.contract(a, status="active")
    before = datetime.now(UTC).isoformat()
    live.ok("POST", f"/contracts/{contract}/renew", {"renewed_on": "2025-03-06",
                                                     "amount": "13000.00",
                                                     "new_end_date": "2026-12-31"})
    items = _by_owner(live.read("/team/weekly", week=WEEK))
    assert items[str(chen.id)] == {
        "owner_id": str(chen.id), "customers_touched": 2, "visits": 1, "tasks_done": 1,
        "risks_raised": 1, "risks_closed": 1, "renewals": 1, "brief": None}
    assert items[str(lin.id)] == {
        "owner_id": str(lin.id), "customers_touched": 1, "visits": 0, "tasks_done": 0,
        "risks_raised": 0, "risks_closed": 0, "renewals": 0, "brief": None}
    only = _by_owner(live.read("/team/weekly", week=WEEK, owner_id=str(lin.id)))
    assert list(only) == [str(lin.id)]
    then = _by_owner(live.read("/team/weekly", week=WEEK, as_of=before))
    assert then[str(chen.id)]["renewals"] == 0
    assert then[str(chen.id)]["risks_closed"] == 1
    next_week = live.read("/team/weekly", week="2025-W11", owner_id=str(lin.id))["items"][0]
    assert (next_week["visits"], next_week["risks_closed"]) == (1, 1)


@pytest.mark.parametrize("week", ["2025-10", "2025-W1", "2025-W00", "2025-W53", "1899-W52",
                                  "2200-W01", "２０２５-W10", "2025-w10"])
def test_a_bad_week_is_refused_naming_week(live: ReadApi, week: str):
    response = live.get("/team/weekly", week=week)
    assert response.status_code == 422, response.text
    assert "week" in fields(response)


def test_week_is_required(live: ReadApi):
    assert live.get("/team/weekly").status_code == 422


@given(st.dates(date(1900, 1, 8), date(2199, 12, 24)))
def test_week_monday_is_the_monday_of_the_iso_week(day: date):
    year, number, _ = day.isocalendar()
    monday = week_monday(f"{year}-W{number:02d}")
    assert monday.isoweekday() == 1
    assert 0 <= (day - monday).days <= 6


def test_week_monday_bounds():
    assert week_monday("1900-W01") == date(1900, 1, 1)
    assert week_monday("2026-W53") == date(2026, 12, 28)
    with pytest.raises(InvalidParameter):
        week_monday("2199-W53")
