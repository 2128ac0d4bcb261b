"""The workbench: a person's tasks overdue / due today / due this week, and the 360's
open tasks."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest

from cs_domain.app import CustomerSuccess
from projections.compose import InvalidQuery, customer_360
from projections.db import ReadModels
from projections.runner import Projector
from projections.views.tasks import get_task, workbench
from tests.projections import scenario as s

TODAY = date(2025, 6, 4)  # a Wednesday: "week" runs to Tuesday 06-10


def task(app: CustomerSuccess, customer: UUID, assignee: UUID, title: str, due: date) -> UUID:
    return app.create_task(actor="t", customer_id=customer, title=title, assignee_id=assignee,
                           due_date=due).id


def history(app: CustomerSuccess) -> dict[str, Any]:
    chen, wang = s.user(app), s.user(app, "Wang Fang")
    acme, beta = s.customer(app, chen, "Acme"), s.customer(app, wang, "Beta")
    ids = {
        "t1": task(app, acme, chen, "Send usage report", date(2025, 6, 1)),
        "t2": task(app, acme, chen, "Prepare QBR", date(2025, 6, 4)),
        "t3": task(app, beta, chen, "Training follow-up", date(2025, 6, 10)),
        "t4": task(app, acme, chen, "Check renewal intent", date(2025, 6, 11)),
        "t5": task(app, acme, chen, "Kick-off call", date(2025, 6, 2)),
        "t6": task(app, beta, wang, "Invoice question", date(2025, 6, 3)),
        "t7": task(app, acme, chen, "Old idea", date(2025, 5, 30)),
        "t8": task(app, beta, chen, "Visit", date(2025, 6, 5)),
        "t9": task(app, acme, chen, "Workshop", date(2025, 6, 20)),
    }
    app.start_task(actor="t", task_id=ids["t2"], started_on=date(2025, 6, 3))
    app.start_task(actor="t", task_id=ids["t5"], started_on=date(2025, 6, 1))
    app.complete_task(actor="t", task_id=ids["t5"], completed_on=date(2025, 6, 2))
    app.cancel_task(actor="t", task_id=ids["t7"], cancelled_on=date(2025, 5, 29), reason="dropped")
    before_moves = app.max_position()
    app.reassign_task(actor="t", task_id=ids["t8"], assignee_id=wang, reason="closer to Beta")
    app.reschedule_task(actor="t", task_id=ids["t9"], due_date=date(2025, 6, 6))
    risk = app.raise_risk(actor="t", customer_id=acme, title="Low adoption", category="adoption",
                          severity="high", due_date=date(2025, 6, 30),
                          raised_on=date(2025, 6, 1)).id
    strategy = app.set_risk_strategy(
        actor="t", risk_id=risk, strategy="Retrain", owner_id=chen, set_on=date(2025, 6, 1),
        todos=[{"title": "Retrain the team", "assignee_id": chen, "due_date": date(2025, 6, 8)}])
    ids["t10"] = strategy.extra["task_ids"][0]
    return {"chen": chen, "wang": wang, "acme": acme, "beta": beta, "risk": risk,
            "before_moves": before_moves, **ids}


def test_workbench_windows_statuses_counts_and_as_of(
    app: CustomerSuccess, models: ReadModels, projector: Projector
) -> None:
    h = history(app)
    projector.catch_up()
    name = {v: k for k, v in h.items() if k.startswith("t")}

    def bench(**kw: Any) -> tuple[list[str], dict[str, int]]:
        with models.read() as conn:
            result = workbench(conn, today=TODAY, **kw)
        return [name[i["id"]] for i in result["items"]], result["counts"]

    chen = h["chen"]
    mine, counts = bench(assignee_id=chen)
    # open (todo/doing) by due date: 06-01, 06-04, 06-06, 06-08, 06-10, 06-11
    assert mine == ["t1", "t2", "t9", "t10", "t3", "t4"]
    assert counts == {"overdue": 1, "today": 1, "week": 4}
    assert bench(assignee_id=chen, due="overdue")[0] == ["t1"]
    assert bench(assignee_id=chen, due="today")[0] == ["t2"]
    # today … today+6 (06-04 … 06-10): 06-11 is outside
    assert bench(assignee_id=chen, due="week")[0] == ["t2", "t9", "t10", "t3"]
    # done and cancelled tasks are never overdue
    assert bench(assignee_id=chen, due="overdue", status=None)[0] == ["t1"]
    assert bench(assignee_id=chen, status="done")[0] == ["t5"]
    assert bench(assignee_id=chen, status=["cancelled", "done"])[0] == ["t7", "t5"]
    assert bench(assignee_id=chen, status=None)[0] == [
        "t7", "t1", "t5", "t2", "t9", "t10", "t3", "t4"]
    assert bench(assignee_id=h["wang"]) == (["t6", "t8"], {"overdue": 1, "today": 0, "week": 1})
    assert bench(customer_id=h["beta"])[0] == ["t6", "t8", "t3"]
    assert bench(due="overdue")[0] == ["t1", "t6"]

    with models.read() as conn:
        result = workbench(conn, today=TODAY, assignee_id=chen)
        pages, cursor = [], None
        while True:
            page = workbench(conn, today=TODAY, assignee_id=chen, limit=4, cursor=cursor)
            pages.append([name[i["id"]] for i in page["items"]])
            if (cursor := page["next_cursor"]) is None:
                break
        with pytest.raises(InvalidQuery) as bad_due:
            workbench(conn, today=TODAY, due="month")
        with pytest.raises(InvalidQuery) as bad_status:
            workbench(conn, today=TODAY, status="blocked")
        then = workbench(conn, today=TODAY, assignee_id=chen, at=h["before_moves"])
        t8, t8_then = get_task(conn, h["t8"], today=TODAY), get_task(
            conn, h["t8"], today=TODAY, at=h["before_moves"])
        assert get_task(conn, h["t10"], today=TODAY, at=h["before_moves"]) is None
    assert pages == [["t1", "t2", "t9", "t10"], ["t3", "t4"]]
    assert (bad_due.value.field, bad_status.value.field) == ("due", "status")
    items = {name[i["id"]]: i for i in result["items"]}
    assert items["t10"]["source"] == {"kind": "risk", "id": h["risk"]}
    assert items["t1"]["source"] is None and items["t1"]["overdue"] is True
    assert (items["t2"]["status"], items["t2"]["started_on"], items["t2"]["overdue"]) == (
        "doing", date(2025, 6, 3), False)
    assert (items["t3"]["customer_name"], items["t3"]["assignee_name"]) == ("Beta", "Chen Jing")
    assert result["position"] == app.max_position()
    # before the reassignment and the rescheduling: t8 still Chen's, t9 due 06-20, no t10
    assert [name[i["id"]] for i in then["items"]] == ["t1", "t2", "t8", "t3", "t4", "t9"]
    assert then["counts"] == {"overdue": 1, "today": 1, "week": 3}
    assert then["position"] == h["before_moves"]
    assert t8 is not None and t8_then is not None
    assert (t8["assignee_name"], t8["position"]) == ("Wang Fang", app.max_position())
    assert t8_then == {**next(i for i in then["items"] if i["id"] == h["t8"]),
                       "position": h["before_moves"]}


def test_customer_360_lists_open_tasks(
    app: CustomerSuccess, models: ReadModels, projector: Projector
) -> None:
    h = history(app)
    app.reopen_task(actor="t", task_id=h["t5"], reopened_on=date(2025, 6, 3), reason="again")
    projector.catch_up()
    with models.read() as conn:
        acme = customer_360(conn, h["acme"], TODAY)
    assert acme is not None
    assert [(t["id"], t["status"], t["due_date"], t["overdue"], t["assignee_name"])
            for t in acme["open_tasks"]] == [
        (h["t1"], "todo", date(2025, 6, 1), True, "Chen Jing"),
        (h["t5"], "todo", date(2025, 6, 2), True, "Chen Jing"),  # reopened: open again
        (h["t2"], "doing", date(2025, 6, 4), False, "Chen Jing"),
        (h["t9"], "todo", date(2025, 6, 6), False, "Chen Jing"),
        (h["t10"], "todo", date(2025, 6, 8), False, "Chen Jing"),
        (h["t4"], "todo", date(2025, 6, 11), False, "Chen Jing"),
    ]
    assert acme["open_tasks"][4]["source"] == {"kind": "risk", "id": h["risk"]}
