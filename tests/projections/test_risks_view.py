"""The risk register, risk metrics (worked out by hand), the 360's risks and the trail."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from cs_domain.app import CustomerSuccess
from projections.compose import InvalidQuery, customer_360
from projections.db import ReadModels
from projections.runner import Projector
from projections.views.risks import get_risk, risk_metrics, risk_register, risk_trail
from tests.projections import scenario as s

TODAY = date(2025, 6, 1)
Q1, Q2 = (date(2025, 1, 1), date(2025, 3, 31)), (date(2025, 4, 1), date(2025, 6, 30))


def raise_risk(app: CustomerSuccess, actor: UUID, customer: UUID, title: str, category: str,
               severity: str, raised: date, due: date) -> UUID:
    return app.raise_risk(actor=str(actor), customer_id=customer, title=title, category=category,
                          severity=severity, due_date=due, raised_on=raised).id


def history(app: CustomerSuccess) -> dict[str, Any]:
    """Five risks in business order (see each step's date); P1 is after R2's first close."""
    chen, wang, boss = s.user(app), s.user(app, "Wang Fang"), s.user(app, "Boss", "manager")
    acme, beta = s.customer(app, chen, "Acme"), s.customer(app, wang, "Beta")
    r4 = raise_risk(app, wang, beta, "Invoice dispute", "commercial", "low",
                    date(2025, 2, 1), date(2025, 2, 15))
    app.mark_risk_overdue(actor="system", risk_id=r4, now=datetime(2025, 2, 16, 9, tzinfo=UTC))
    r1 = raise_risk(app, chen, acme, "Champion leaving", "relationship", "high",
                    date(2025, 3, 3), date(2025, 3, 31))
    strategy = app.set_risk_strategy(
        actor=str(boss), risk_id=r1, strategy="Find a new champion", owner_id=chen,
        todos=[{"title": "Call the sponsor", "assignee_id": chen, "due_date": date(2025, 3, 10)},
               {"title": "Executive visit", "assignee_id": wang, "due_date": date(2025, 3, 20)}],
        set_on=date(2025, 3, 5))
    app.record_risk_mitigation(actor=str(chen), risk_id=r1, note="Sponsor called",
                               recorded_on=date(2025, 3, 12))
    task_ids = strategy.extra["task_ids"]
    app.start_task(actor=str(chen), task_id=task_ids[0], started_on=date(2025, 3, 8))
    app.complete_task(actor=str(chen), task_id=task_ids[0], completed_on=date(2025, 3, 9))
    p_before_close = app.max_position()
    app.close_risk(actor=str(chen), risk_id=r1, resolution="New champion named",
                   closed_on=date(2025, 3, 21))
    r2 = raise_risk(app, chen, acme, "Low adoption", "adoption", "medium",
                    date(2025, 4, 1), date(2025, 4, 30))
    r5 = raise_risk(app, chen, acme, "Data migration delay", "delivery", "medium",
                    date(2025, 4, 2), date(2025, 4, 30))
    app.close_risk(actor=str(wang), risk_id=r4, resolution="Credit note", closed_on=date(2025, 4, 5))
    app.close_risk(actor=str(chen), risk_id=r2, resolution="Training", closed_on=date(2025, 4, 11))
    p1 = app.max_position()
    app.reopen_risk(actor=str(chen), risk_id=r2, reason="Usage fell again",
                    reopened_on=date(2025, 4, 20), due_date=date(2025, 5, 31))
    app.escalate_risk(actor=str(chen), risk_id=r2, escalated_to=boss, reason="No progress",
                      escalated_on=date(2025, 5, 2))
    r3 = raise_risk(app, wang, beta, "Competitor pilot", "competitor", "critical",
                    date(2025, 5, 10), date(2025, 6, 30))
    app.change_risk_due_date(actor=str(wang), risk_id=r3, due_date=date(2025, 6, 15),
                             changed_on=date(2025, 5, 12))
    app.close_risk(actor=str(chen), risk_id=r5, resolution="Migrated", closed_on=date(2025, 5, 20))
    return {"chen": chen, "wang": wang, "boss": boss, "acme": acme, "beta": beta, "r1": r1,
            "r2": r2, "r3": r3, "r4": r4, "r5": r5, "p1": p1, "task_ids": task_ids,
            "p_before_close": p_before_close}


def test_register_filters_pages_and_reads_as_of(
    app: CustomerSuccess, models: ReadModels, projector: Projector
) -> None:
    h = history(app)
    projector.catch_up()
    name = {h[k]: k for k in ("r1", "r2", "r3", "r4", "r5")}

    def listed(**kw: Any) -> list[str]:
        with models.read() as conn:
            return [name[i["id"]] for i in risk_register(conn, today=TODAY, **kw)["items"]]

    # by due date: r4 02-15, r1 03-31, r5 04-30, r2 05-31 (after reopening), r3 06-15
    assert listed() == ["r4", "r1", "r5", "r2", "r3"]
    assert listed(status="closed") == ["r4", "r1", "r5"]
    assert listed(status=["open", "mitigating"]) == ["r2", "r3"]
    assert listed(overdue=True) == ["r2"]  # due 05-31, open on 06-01
    assert listed(overdue=False) == ["r4", "r1", "r5", "r3"]
    assert listed(owner_id=h["chen"]) == ["r1", "r5", "r2"]
    assert listed(customer_id=h["beta"]) == ["r4", "r3"]
    with models.read() as conn:
        # the due date itself is not late
        assert [name[i["id"]] for i in risk_register(conn, today=date(2025, 5, 31),
                                                      overdue=True)["items"]] == []
        pages, cursor = [], None
        while True:
            page = risk_register(conn, today=TODAY, limit=2, cursor=cursor)
            pages.append([name[i["id"]] for i in page["items"]])
            if (cursor := page["next_cursor"]) is None:
                break
        assert page["position"] == app.max_position()
        with pytest.raises(InvalidQuery) as bad:
            risk_register(conn, today=TODAY, status="pending")
        with pytest.raises(InvalidQuery):
            risk_register(conn, today=TODAY, cursor="nope")
        items = {name[i["id"]]: i for i in risk_register(conn, today=TODAY)["items"]}
        one, one_then = get_risk(conn, h["r2"], today=TODAY), get_risk(conn, h["r2"], today=TODAY,
                                                                       at=h["p1"])
        assert get_risk(conn, h["r3"], today=TODAY, at=h["p1"]) is None
        assert get_risk(conn, h["acme"], today=TODAY) is None
        then = {name[i["id"]]: i for i in risk_register(conn, today=TODAY, at=h["p1"])["items"]}
    assert pages == [["r4", "r1"], ["r5", "r2"], ["r3"]] and bad.value.field == "status"

    assert one == {**items["r2"], "position": app.max_position()}
    assert one_then == {**then["r2"], "position": h["p1"]}
    r2, r1, r4 = items["r2"], items["r1"], items["r4"]
    assert (r2["status"], r2["times_reopened"], r2["reopened_on"], r2["escalation_level"],
            r2["escalated_to"], r2["overdue"], r2["closed_on"], r2["resolution"]) == (
        "open", 1, date(2025, 4, 20), 1, h["boss"], True, None, None)
    assert (r1["strategy"], r1["todos"], r1["mitigations"], r1["owner_name"], r1["customer_name"],
            r1["raised_on"], r1["closed_on"]) == (
        "Find a new champion", 2, 1, "Chen Jing", "Acme", date(2025, 3, 3), date(2025, 3, 21))
    # marked by the tick while overdue; closing ends that episode
    assert (r4["marked_overdue"], r4["status"]) == (False, "closed")
    assert items["r3"]["due_date"] == date(2025, 6, 15) and items["r3"]["owner_id"] == h["wang"]
    # as of P1: r2 closed the first time, r3 not raised yet, r5 still open and overdue
    assert sorted(then) == ["r1", "r2", "r4", "r5"]
    assert (then["r2"]["status"], then["r2"]["closed_on"], then["r2"]["times_reopened"],
            then["r2"]["due_date"]) == ("closed", date(2025, 4, 11), 0, date(2025, 4, 30))
    assert then["r5"]["overdue"] is True and then["r5"]["status"] == "open"


def test_metrics_worked_out_by_hand(
    app: CustomerSuccess, models: ReadModels, projector: Projector
) -> None:
    h = history(app)
    projector.catch_up()
    with models.read() as conn:
        q2 = risk_metrics(conn, *Q2, today=TODAY)
        q2_end = risk_metrics(conn, *Q2)  # overdue against the range's end (06-30)
        q1 = risk_metrics(conn, *Q1, today=TODAY)
        q2_then = risk_metrics(conn, *Q2, today=TODAY, at=h["p1"])
    # Q2: raised r2 (04-01), r5 (04-02), r3 (05-10); r2 reopened 04-20; closings:
    # r4 02-01→04-05 = 63 days, r2 04-01→04-11 = 10, r5 04-02→05-20 = 48
    assert {k: v for k, v in q2.items() if k not in ("from", "to", "position")} == {
        "opened": 3, "reopened": 1, "closed": 3,
        "mean_days_to_close": Decimal("40.33"), "median_days_to_close": Decimal("48.00"),
        "open_now": 2, "overdue_now": 1,  # r2 (due 05-31) and r3 (due 06-15): r2 overdue
    }
    assert q2_end["overdue_now"] == 2
    # Q1: raised r4 (02-01), r1 (03-03); r1 closed 03-03→03-21 = 18 days
    assert (q1["opened"], q1["reopened"], q1["closed"], q1["mean_days_to_close"],
            q1["median_days_to_close"]) == (2, 0, 1, Decimal("18.00"), Decimal("18.00"))
    # as of P1: closings r4 (63) and r2 (10); open: r5 (due 04-30, overdue on 06-01)
    assert (q2_then["opened"], q2_then["reopened"], q2_then["closed"],
            q2_then["mean_days_to_close"], q2_then["median_days_to_close"],
            q2_then["open_now"], q2_then["overdue_now"], q2_then["position"]) == (
        2, 0, 2, Decimal("36.50"), Decimal("36.50"), 1, 1, h["p1"])
    with models.read() as conn:
        empty = risk_metrics(conn, date(2020, 1, 1), date(2020, 12, 31), today=TODAY)
    assert (empty["closed"], empty["mean_days_to_close"], empty["median_days_to_close"]) == (
        0, None, None)


def test_customer_360_lists_open_and_recently_closed_risks(
    app: CustomerSuccess, models: ReadModels, projector: Projector
) -> None:
    h = history(app)
    projector.catch_up()
    with models.read() as conn:
        acme = customer_360(conn, h["acme"], TODAY)
        acme_later = customer_360(conn, h["acme"], date(2025, 6, 20))
        acme_then = customer_360(conn, h["acme"], date(2025, 4, 15), at=h["p1"])
    assert acme is not None and acme_later is not None and acme_then is not None
    # r1 closed 03-21 is no longer news on 06-01; r5 closed 05-20 is (within 30 days)
    assert acme["risks"] == [
        {"id": h["r2"], "title": "Low adoption", "status": "open", "severity": "medium",
         "due_date": date(2025, 5, 31), "overdue": True, "closed_on": None},
        {"id": h["r5"], "title": "Data migration delay", "status": "closed",
         "severity": "medium", "due_date": date(2025, 4, 30), "overdue": False,
         "closed_on": date(2025, 5, 20)},
    ]
    assert [r["id"] for r in acme_later["risks"]] == [h["r2"]]
    # as of P1 on 04-15: r5 open (due 04-30); r1 (closed 03-21) and r2 (04-11) are recent
    assert [(r["id"], r["status"], r["overdue"]) for r in acme_then["risks"]] == [
        (h["r5"], "open", False), (h["r1"], "closed", False), (h["r2"], "closed", False)]


def test_trail_lists_every_step_with_the_tasks_a_strategy_created(
    app: CustomerSuccess, models: ReadModels
) -> None:
    h = history(app)
    trail = risk_trail(app, h["r1"])
    assert trail is not None
    assert [(st["type"], st["actor"]) for st in trail] == [
        ("Risk.Raised", str(h["chen"])), ("Risk.StrategySet", str(h["boss"])),
        ("Risk.MitigationRecorded", str(h["chen"])), ("Risk.Closed", str(h["chen"]))]
    positions = [st["position"] for st in trail]
    assert positions == sorted(positions) and len(set(positions)) == 4
    assert all(st["recorded_at"] and set(st) >= {"position", "recorded_at", "actor", "type",
                                                  "data"} for st in trail)
    strategy = trail[1]["data"]
    assert strategy["task_ids"] == h["task_ids"] and len(h["task_ids"]) == 2
    assert [t["title"] for t in strategy["todos"]] == ["Call the sponsor", "Executive visit"]
    assert strategy["owner_id"] == h["chen"] and strategy["set_on"] == date(2025, 3, 5)
    assert trail[3]["data"] == {"resolution": "New champion named", "closed_on": date(2025, 3, 21)}

    merged = risk_trail(app, h["r1"], with_tasks=True)
    assert merged is not None
    assert [(st["type"], st.get("task_id")) for st in merged] == [
        ("Risk.Raised", None), ("Risk.StrategySet", None),
        ("Task.Created", h["task_ids"][0]), ("Task.Created", h["task_ids"][1]),
        ("Risk.MitigationRecorded", None),
        ("Task.Started", h["task_ids"][0]), ("Task.Completed", h["task_ids"][0]),
        ("Risk.Closed", None)]
    # the strategy and its tasks were saved in one transaction: consecutive positions
    assert [st["position"] for st in merged[1:4]] == list(range(merged[1]["position"],
                                                             merged[1]["position"] + 3))
    before_close = risk_trail(app, h["r1"], at=h["p_before_close"])
    assert before_close is not None and before_close[-1]["type"] == "Risk.MitigationRecorded"
    assert risk_trail(app, h["r1"], at=1) is None  # not raised yet
    assert risk_trail(app, h["acme"]) is None  # a customer, not a risk
    assert risk_trail(app, UUID(int=7)) is None
