"""The team view (portfolio, value, workload, CSM milestone lateness) and the lifecycle
board, with the expected figures worked out by hand from the definitions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from cs_domain.app import CustomerSuccess
from projections.db import ReadModels
from projections.queries.lifecycle import lifecycle_board
from projections.runner import Projector
from projections.views.team import milestone_lateness, team
from tests.projections import scenario as s

TODAY = date(2025, 6, 1)


def d(year: int, month: int, day: int) -> date:
    return date(year, month, day)


def risk(app: CustomerSuccess, customer: UUID, due: date, *, close: bool = False) -> None:
    rid = app.raise_risk(actor="t", customer_id=customer, title="Risk", category="other",
                         severity="low", due_date=due, raised_on=d(2024, 1, 1)).id
    if close:
        app.close_risk(actor="t", risk_id=rid, resolution="done", closed_on=d(2024, 2, 1))


def task(app: CustomerSuccess, customer: UUID, assignee: UUID, due: date, *,
         done: bool = False) -> None:
    tid = app.create_task(actor="t", customer_id=customer, title="Do", assignee_id=assignee,
                          due_date=due).id
    if done:
        app.start_task(actor="t", task_id=tid, started_on=due)
        app.complete_task(actor="t", task_id=tid, completed_on=due)


def complete(app: CustomerSuccess, customer: UUID, template: str, start: date, index: int,
             on: date) -> None:
    """Drafts and activates a plan from a template; completes its milestone `index` on `on`."""
    result = app.create_plan(actor="t", customer_id=customer, template=template,
                             start_date=start)
    app.activate_plan(actor="t", plan_id=result.id, activated_on=start)
    app.complete_plan_milestone(actor="t", plan_id=result.id,
                                milestone_id=result.extra["milestone_ids"][index],
                                completed_on=on, evidence="seen")


def portfolio(app: CustomerSuccess) -> dict[str, Any]:
    chen, wang = s.user(app), s.user(app, "Wang Fang")
    li, boss = s.user(app, "Li Lei"), s.user(app, "Boss", "manager")
    acme, beta, fox = (s.customer(app, chen, n) for n in ("Acme", "Beta", "Foxtrot"))
    gamma, delta, echo = (s.customer(app, wang, n) for n in ("Gamma", "Delta", "Echo"))

    s.contract(app, acme, "A1", "1200", "EUR", d(2025, 12, 31), start=d(2025, 1, 1))
    before = app.max_position()
    # activated (cs_domain.lifecycle.activated_on): the first active usage from the start
    used(app, acme, d(2025, 2, 10))
    app.move_customer_stage(actor="t", customer_id=acme, stage="growth",
                            effective_on=d(2025, 3, 15))

    b1 = s.contract(app, beta, "B1", "1000", "EUR", d(2025, 2, 28), start=d(2024, 3, 1))
    app.move_customer_stage(actor="t", customer_id=beta, stage="growth",
                            effective_on=d(2024, 4, 15))
    used(app, beta, d(2024, 4, 15))
    # milestone 2 of continuous operation is "No more basic-operation questions"
    complete(app, beta, "continuous_operation", d(2024, 3, 1), 2, d(2024, 6, 20))
    s.renew(app, b1, d(2025, 2, 20), "2000", d(2026, 2, 28))
    s.contract(app, fox, "F1", "3000", "USD", d(2026, 6, 30), start=d(2025, 7, 1),
               status="signed")

    s.contract(app, gamma, "C1", "5000", "USD", d(2026, 5, 19), start=d(2025, 5, 20),
               status="signed")
    own = app.create_plan(actor="t", customer_id=gamma, name="Own plan",
                          start_date=d(2025, 5, 20)).id
    added = app.add_plan_milestone(actor="t", plan_id=own, due_date=d(2025, 6, 19),
                                   title="  customer ACTIVATED   (全员正式启用) ",
                                   acceptance_criterion="live").extra["milestone_id"]
    app.activate_plan(actor="t", plan_id=own, activated_on=d(2025, 5, 20))
    app.complete_plan_milestone(actor="t", plan_id=own, milestone_id=added,
                                completed_on=d(2025, 5, 30), evidence="live")
    used(app, gamma, d(2025, 5, 26))  # the plan milestone above records nothing: usage does
    d1 = s.contract(app, delta, "D1", "700", "EUR", d(2024, 12, 31), start=d(2024, 1, 1))
    s.churn(app, d1, d(2024, 12, 31), "price")
    s.contract(app, echo, "E1", "100", "EUR", d(2025, 12, 31), status="draft")

    risk(app, acme, d(2025, 5, 1))
    risk(app, beta, d(2025, 7, 1))
    risk(app, gamma, d(2025, 5, 15))
    risk(app, delta, d(2024, 1, 15), close=True)
    task(app, acme, chen, d(2025, 5, 20))
    task(app, acme, chen, d(2025, 6, 10))
    task(app, gamma, wang, d(2025, 5, 1))
    task(app, gamma, wang, d(2025, 5, 31))
    task(app, gamma, wang, d(2025, 5, 1), done=True)
    task(app, gamma, li, d(2025, 5, 25))
    task(app, gamma, boss, d(2025, 5, 1))
    return {"chen": chen, "wang": wang, "li": li, "acme": acme, "beta": beta, "fox": fox,
            "gamma": gamma, "before": before}


def used(app: CustomerSuccess, customer: UUID, start: date) -> None:
    """A week of active usage from `start` (3 active days a week)."""
    app.report_usage(actor="t", customer_id=customer, period_start=start,
                     period_end=start + timedelta(days=6), active_days_per_week=3,
                     feature_adoption=Decimal("0.2"), open_issues=0)


def summary(on_time: int = 0, late: int = 0, overdue: int = 0, pending: int = 0,
            total: int = 0, most: int = 0, missed: int = 0) -> dict[str, int]:
    return {"done_on_time": on_time, "done_late": late, "overdue": overdue, "missed": missed,
            "pending": pending, "days_late_total": total, "days_late_max": most}


def test_team_per_csm(app: CustomerSuccess, models: ReadModels, projector: Projector) -> None:
    h = portfolio(app)
    projector.catch_up()
    with models.read() as conn:
        result = team(conn, today=TODAY)
        chen_detail = milestone_lateness(conn, today=TODAY, owner_id=h["chen"])
        acme_then = milestone_lateness(conn, today=TODAY, customer_id=h["acme"], at=h["before"])
    assert result["position"] == app.max_position()
    rows = {x["owner_name"]: x for x in result["items"]}
    assert [x["owner_name"] for x in result["items"]] == ["Chen Jing", "Li Lei", "Wang Fang"]
    chen, li, wang = rows["Chen Jing"], rows["Li Lei"], rows["Wang Fang"]
    assert (chen["customers"], chen["customers_by_stage"], chen["contract_value"]) == (
        # Beta's renewal moved it to mature (system:lifecycle)
        3, {"growth": 1, "mature": 1, "signed": 1},
        # A1 active 1200 + B1-R1 signed 2000 (B1 itself is renewed); F1 signed in USD
        [{"currency": "EUR", "amount": Decimal("3200")},
         {"currency": "USD", "amount": Decimal("3000")}])
    assert (chen["open_risks"], chen["overdue_risks"], chen["overdue_tasks"]) == (2, 1, 1)
    assert chen["milestones"] == {
        # Acme due 01-31, first used 02-10: 10 late;
        # Beta due 2024-03-31, first used 2024-04-15: 15 late; Foxtrot starts 07-01
        "activated": summary(late=2, pending=1, total=25, most=15),
        # Acme due 04-30, not done: 32 days on 06-01; Beta due 2024-06-30, done 06-20
        "no_basic_questions": summary(on_time=1, overdue=1, pending=1, total=32, most=32),
        # Beta due 2024-11-30, missed: its first term ended 2025-02-28 (90 days later, and
        # no more counting after); Acme due 09-30
        "own_activities": summary(missed=1, pending=2, total=90, most=90),
        # Beta renewed 02-20, due 02-28
        "renewed": summary(on_time=1, pending=2),
    }
    assert (wang["customers"], wang["customers_by_stage"], wang["contract_value"]) == (
        3, {"signed": 2, "churned": 1}, [{"currency": "USD", "amount": Decimal("5000")}])
    assert (wang["open_risks"], wang["overdue_risks"], wang["overdue_tasks"]) == (1, 1, 2)
    # Gamma only (Delta churned, Echo never signed): activated by its usage of 05-26
    assert wang["milestones"] == {"activated": summary(on_time=1),
                                  "no_basic_questions": summary(pending=1),
                                  "own_activities": summary(pending=1),
                                  "renewed": summary(pending=1)}
    assert (li["customers"], li["contract_value"], li["overdue_tasks"], li["open_risks"]) == (
        0, [], 1, 0)

    acme = chen_detail["items"][0]
    assert [x["customer_name"] for x in chen_detail["items"]] == ["Acme", "Beta", "Foxtrot"]
    assert (acme["start_date"], acme["term_end"]) == (d(2025, 1, 1), d(2025, 12, 31))
    assert [(m["key"], m["due_date"], m["done_on"], m["status"], m["days_late"])
            for m in acme["milestones"]] == [
        ("activated", d(2025, 1, 31), d(2025, 2, 10), "done", 10),
        ("no_basic_questions", d(2025, 4, 30), None, "overdue", 32),
        ("own_activities", d(2025, 9, 30), None, "pending", 0),
        ("renewed", d(2025, 12, 31), None, "pending", 0)]
    # before its usage and the move to growth: not activated, 121 days late
    activated = acme_then["items"][0]["milestones"][0]
    assert (activated["key"], activated["status"], activated["days_late"]) == (
        "activated", "overdue", 121)


def test_lifecycle_board_by_phase_and_check_point(
    app: CustomerSuccess, models: ReadModels, projector: Projector
) -> None:
    chen, wang = s.user(app), s.user(app, "Wang Fang")
    ids = {n: s.customer(app, chen if n in ("Gamma", "India", "Acme", "Beta", "Fox") else wang, n)
           for n in ("Gamma", "India", "Acme", "Beta", "Fox", "Hotel", "Kilo", "Old", "Delta",
                     "Echo")}
    s.contract(app, ids["Gamma"], "G1", "1", "EUR", d(2026, 5, 19), start=d(2025, 5, 20))
    s.contract(app, ids["India"], "I1", "1", "EUR", d(2026, 5, 24), start=d(2025, 5, 25))
    s.contract(app, ids["Acme"], "A1", "1", "EUR", d(2025, 12, 31), start=d(2025, 1, 1))
    b1 = s.contract(app, ids["Beta"], "B1", "1", "EUR", d(2025, 2, 28), start=d(2024, 3, 1))
    s.contract(app, ids["Fox"], "F1", "1", "EUR", d(2026, 6, 30), start=d(2025, 7, 1),
               status="signed")
    s.contract(app, ids["Hotel"], "H1", "1", "EUR", d(2025, 7, 31), start=d(2024, 8, 1))
    # renewed early: K1 still runs to 2025-08-14, its successor starts on 08-15
    k1 = s.contract(app, ids["Kilo"], "K1", "1", "EUR", d(2025, 8, 14), start=d(2024, 8, 15))
    s.renew(app, k1, d(2025, 5, 15), "1", d(2026, 8, 14))
    s.contract(app, ids["Old"], "O1", "1", "EUR", d(2024, 12, 31), start=d(2024, 1, 1))
    d1 = s.contract(app, ids["Delta"], "D1", "1", "EUR", d(2024, 12, 31), start=d(2024, 1, 1))
    s.churn(app, d1, d(2024, 12, 31), "price")
    s.contract(app, ids["Echo"], "E1", "1", "EUR", d(2025, 12, 31), status="draft")
    before_renewal = app.max_position()
    s.renew(app, b1, d(2025, 2, 20), "2", d(2026, 2, 28))
    projector.catch_up()
    name = {v: k for k, v in ids.items()}

    def phases(board: dict[str, Any]) -> dict[str, list[str]]:
        return {p["phase"]: [name[c["customer_id"]] for c in p["customers"]]
                for p in board["phases"]}

    with models.read() as conn:
        board = lifecycle_board(conn, today=TODAY)
        mine = lifecycle_board(conn, today=TODAY, owner_id=chen)
        then = lifecycle_board(conn, today=TODAY, at=before_renewal)
    assert phases(board) == {
        "onboarding": ["India", "Gamma"],  # next check points due 06-01 and 06-03
        "stable": ["Acme", "Beta"],  # days 151 and 92 (B1-R1 started 03-01), by end date
        # by end date: Old's term is over, neither renewed nor churned (still to decide);
        # Hotel and Kilo (K1, renewed early) in their last 90 days
        "renewal": ["Old", "Hotel", "Kilo"],
        "churned": ["Delta"], "refunded": [], "not_started": ["Fox"], "no_contract": ["Echo"],
    }
    assert [p["count"] for p in board["phases"]] == [2, 2, 3, 1, 0, 1, 1]
    entries = {name[c["customer_id"]]: c for p in board["phases"] for c in p["customers"]}
    india, gamma = entries["India"], entries["Gamma"]
    assert (india["day"], india["checkpoint"], india["checkpoint_due_on"],
            india["checkpoints_passed"]) == (7, 7, d(2025, 6, 1), [])
    assert (gamma["day"], gamma["checkpoint"], gamma["checkpoint_due_on"],
            gamma["checkpoints_passed"]) == (12, 14, d(2025, 6, 3), [7])
    assert (entries["Beta"]["contract_number"], entries["Beta"]["day"],
            entries["Beta"]["checkpoint"]) == ("B1-R1", 92, None)
    assert (entries["Kilo"]["contract_number"], entries["Kilo"]["day"]) == ("K1", 290)
    assert entries["Hotel"]["days_to_end"] == 60 and entries["Acme"]["owner_name"] == "Chen Jing"
    assert entries["Fox"]["start_date"] == d(2025, 7, 1) and entries["Fox"]["day"] is None
    assert board["checkpoints"] == [
        {"day": 7, "title": "contact established, accounts initialised", "upcoming": 1,
         "due_today": 1, "passed": 1},
        {"day": 14, "title": "first training delivered", "upcoming": 1, "due_today": 0,
         "passed": 0},
        *({"day": n, "title": t, "upcoming": 0, "due_today": 0, "passed": 0}
          for n, t in ((30, "all users live (全员正式启用)"), (60, "second training needed?"),
                       (90, "usage data in focus"))),
    ]
    assert {k: v for k, v in phases(mine).items() if v} == {
        "onboarding": ["India", "Gamma"], "stable": ["Acme", "Beta"], "not_started": ["Fox"]}
    # before Beta's renewal its only live contract was B1, past its term: renewal
    assert phases(then)["renewal"] == ["Old", "Beta", "Hotel", "Kilo"]
    assert then["position"] == before_renewal
    assert board["position"] == app.max_position()
