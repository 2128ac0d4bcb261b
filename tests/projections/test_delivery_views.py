"""Projects (contract progress), plans (milestone lateness), touchpoints and subscriptions.

Contract progress, hand-worked (cs_domain.project rules: Σ completed / Σ total weight of
the contract's projects that are not cancelled, rounded down to 4 places):
  C1: X (default stages 10/30/20/25/15; kickoff + deployment done = 40/100) and
      Y (setup 1, rollout 2; setup done = 1/3) → 41/103 = 0.39805… → 0.3980;
      deployment reopened → 11/103 = 0.10679… → 0.1067
  C2: Z (kickoff done) cancelled → no live project → the 360 shows 0
  C3: W (one stage, done, project completed) → 1
  C4: no project → 0

Milestone lateness on today = 2025-03-31, hand-worked:
  Acme "implementation_handover" from 2025-01-01 (due 01-01, 01-08, 01-15, 01-31, 03-02,
  04-01) + a custom one due 03-31:
    01-01 completed 01-01 → on time       01-08 completed 01-10 → 2 days late
    01-15 missed 01-20 → missed, 5 days   01-31 pending → overdue, 59 days
    03-02 pending → overdue, 29 days      04-01 and 03-31 pending → not yet due
  Beta custom plan (completed): "Go live" due 02-01 completed 02-11 → 10 days late
  Beta abandoned plan: its pending milestone is left out; a draft plan's milestones too.
  total 8: on time 1, completed late 2, missed 1, overdue 2, pending 2; late 5;
  late rate 5 / (8 - 2) = 0.8333; mean days late (2+5+59+29+10)/5 = 21.00
  Chen (Acme): total 7, late 4, rate 4/5 = 0.8000, mean 95/4 = 23.75; Wang (Beta): 1, 1, 1, 10
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from cs_domain.app import CustomerSuccess
from projections.compose import customer_360
from projections.db import ReadModels
from projections.runner import Projector
from projections.views.plans import get_plan, milestone_lateness, plans_of
from projections.views.projects import get_project, projects_of
from projections.views.subscriptions import subscriptions_of
from projections.views.touchpoints import touchpoints_of
from tests.projections import scenario as s

TODAY = date(2025, 3, 31)
JAN1 = date(2025, 1, 1)


def test_projects_drive_the_contract_progress_bar(
    app: CustomerSuccess, models: ReadModels, projector: Projector
) -> None:
    cust = s.customer(app, s.user(app), "Acme")
    c1, c2, c3, c4 = (s.contract(app, cust, f"C{n}", "1000", "EUR", date(2025, 12, 31 - n))
                      for n in range(1, 5))
    x = app.open_project(actor="t", contract_id=c1, name="Rollout", opened_on=JAN1).id
    y = app.open_project(actor="t", contract_id=c1, name="Extras", opened_on=date(2025, 1, 2),
                         stages=[("setup", 1), ("rollout", 2)]).id
    z = app.open_project(actor="t", contract_id=c2, name="Pilot", opened_on=JAN1).id
    w = app.open_project(actor="t", contract_id=c3, name="Tiny", opened_on=JAN1,
                         stages=[{"name": "only", "weight": Decimal("2.5")}]).id
    app.complete_project_stage(actor="t", project_id=x, stage="kickoff", completed_on=JAN1)
    app.start_project_stage(actor="t", project_id=x, stage="Deployment",
                            started_on=date(2025, 1, 5))
    app.complete_project_stage(actor="t", project_id=x, stage="deployment",
                               completed_on=date(2025, 2, 1))
    app.start_project_stage(actor="t", project_id=x, stage="training",
                            started_on=date(2025, 2, 2))
    app.complete_project_stage(actor="t", project_id=y, stage="setup",
                               completed_on=date(2025, 1, 2))
    app.complete_project_stage(actor="t", project_id=z, stage="kickoff", completed_on=JAN1)
    app.cancel_project(actor="t", project_id=z, cancelled_on=date(2025, 1, 3), reason="paused")
    app.complete_project_stage(actor="t", project_id=w, stage="only", completed_on=JAN1)
    app.complete_project(actor="t", project_id=w, completed_on=date(2025, 1, 2))
    before_reopen = app.max_position()
    app.reopen_project_stage(actor="t", project_id=x, stage="deployment",
                             reopened_on=date(2025, 2, 10), reason="servers replaced")
    projector.catch_up()

    with models.read() as conn:
        now = customer_360(conn, cust, TODAY)
        then = customer_360(conn, cust, TODAY, at=before_reopen)
        mine = projects_of(conn, customer_id=cust)
        on_c2 = projects_of(conn, contract_id=c2)
        one = get_project(conn, x, at=before_reopen)
        with pytest.raises(ValueError):
            projects_of(conn)
    assert now is not None and then is not None and one is not None

    def progress(c360: dict[str, Any]) -> dict[Any, Decimal]:
        return {k["id"]: k["progress"] for k in c360["contracts"]}

    # No live project (c2's only project was cancelled, c4 never had one): no progress known.
    assert progress(now) == {c1: Decimal("0.1067"), c2: None, c3: Decimal("1.0000"), c4: None}
    assert progress(then)[c1] == Decimal("0.3980")
    assert [p["name"] for p in mine["items"]] == ["Rollout", "Pilot", "Tiny", "Extras"]
    rollout = mine["items"][0]
    assert [(st["name"], st["weight"], st["status"]) for st in rollout["stages"]] == [
        ("kickoff", 10, "done"), ("deployment", 30, "in_progress"), ("training", 20, "in_progress"),
        ("go-live", 25, "pending"), ("acceptance", 15, "pending")]
    assert rollout["stages"][1]["started_on"] == date(2025, 1, 5)
    assert rollout["stages"][1]["completed_on"] is None
    assert (rollout["progress"], rollout["current_stage"]) == (Decimal("0.1000"), "deployment")
    assert (one["progress"], one["current_stage"], one["position"]) == (
        Decimal("0.4000"), "training", before_reopen)
    assert [(p["name"], p["status"], p["cancel_reason"]) for p in on_c2["items"]] == [
        ("Pilot", "cancelled", "paused")]
    tiny = mine["items"][2]
    assert (tiny["status"], tiny["completed_on"], tiny["total_weight"]) == (
        "completed", date(2025, 1, 2), Decimal("2.5"))


@pytest.fixture
def plans(app: CustomerSuccess) -> dict[str, Any]:
    chen, wang = s.user(app), s.user(app, "Wang Fang")
    acme, beta = s.customer(app, chen, "Acme"), s.customer(app, wang, "Beta")
    made = app.create_plan(actor="t", customer_id=acme, start_date=JAN1,
                           template="implementation_handover")
    h, ms = made.id, made.extra["milestone_ids"]
    app.activate_plan(actor="t", plan_id=h, activated_on=JAN1)
    app.add_plan_milestone(actor="t", plan_id=h, title="Exec sponsor lunch", due_date=TODAY,
                           acceptance_criterion="held")
    app.complete_plan_milestone(actor="t", plan_id=h, milestone_id=ms[0], completed_on=JAN1,
                                evidence="form filed")
    before_m1 = app.max_position()
    app.complete_plan_milestone(actor="t", plan_id=h, milestone_id=ms[1],
                                completed_on=date(2025, 1, 10), evidence="admin set up")
    app.miss_plan_milestone(actor="t", plan_id=h, milestone_id=ms[2], missed_on=date(2025, 1, 20),
                            note="trainer ill")
    draft = app.create_plan(actor="t", customer_id=acme, start_date=date(2025, 3, 1),
                            template="churn_recovery", previous_plan_id=h).id
    b = app.create_plan(actor="t", customer_id=beta, start_date=JAN1, name="Custom").id
    go_live = app.add_plan_milestone(actor="t", plan_id=b, title="Go live",
                                     due_date=date(2025, 2, 1),
                                     acceptance_criterion="live").extra["milestone_id"]
    app.activate_plan(actor="t", plan_id=b, activated_on=JAN1)
    app.complete_plan_milestone(actor="t", plan_id=b, milestone_id=go_live,
                                completed_on=date(2025, 2, 11), evidence="live at last")
    app.complete_plan(actor="t", plan_id=b, completed_on=date(2025, 2, 12))
    dropped = app.create_plan(actor="t", customer_id=beta, start_date=JAN1, name="Dropped").id
    app.add_plan_milestone(actor="t", plan_id=dropped, title="Never", due_date=date(2025, 2, 15),
                           acceptance_criterion="-")
    app.activate_plan(actor="t", plan_id=dropped, activated_on=JAN1)
    app.abandon_plan(actor="t", plan_id=dropped, abandoned_on=date(2025, 2, 20), reason="merged")
    return {"chen": chen, "wang": wang, "acme": acme, "beta": beta, "h": h, "draft": draft,
            "b": b, "ms": ms, "before_m1": before_m1}


def test_plans_in_the_360_with_lateness_against_today(
    app: CustomerSuccess, models: ReadModels, projector: Projector, plans: dict[str, Any]
) -> None:
    projector.catch_up()
    with models.read() as conn:
        c360 = customer_360(conn, plans["acme"], TODAY)
        beta_all = plans_of(conn, plans["beta"], today=TODAY)
        beta_done = plans_of(conn, plans["beta"], today=TODAY, status="completed")
        one = get_plan(conn, plans["h"], today=TODAY)
        earlier = get_plan(conn, plans["h"], today=TODAY, at=plans["before_m1"])
    assert c360 is not None and one is not None and earlier is not None
    assert [(p["id"], p["status"]) for p in c360["plans"]] == [
        (plans["h"], "active"), (plans["draft"], "draft")]
    handover = c360["plans"][0]
    assert [(m["due_date"], m["status"], m["late"], m["overdue"], m["days_late"])
            for m in handover["milestones"]] == [
        (JAN1, "completed", False, False, 0), (date(2025, 1, 8), "completed", True, False, 2),
        (date(2025, 1, 15), "missed", True, False, 5), (date(2025, 1, 31), "pending", True, True, 59),
        (date(2025, 3, 2), "pending", True, True, 29), (TODAY, "pending", False, False, 0),
        (date(2025, 4, 1), "pending", False, False, 0)]
    assert handover["milestones"][2]["note"] == "trainer ill"
    assert handover["next_milestone"]["due_date"] == date(2025, 1, 31)
    assert handover["counts"] == {"total": 7, "pending": 4, "completed": 2, "missed": 1,
                                  "overdue": 2, "late": 4}
    assert c360["plans"][1]["counts"]["total"] == 4  # churn_recovery: 7/30/90/180
    assert [p["name"] for p in beta_all["items"]] == ["Custom", "Dropped"]
    assert [p["name"] for p in beta_done["items"]] == ["Custom"]
    assert one["position"] == app.max_position() and one["template"] == "implementation_handover"
    assert earlier["milestones"][1]["days_late"] == 82 and earlier["milestones"][1]["overdue"]


def test_milestone_lateness_per_owner_and_range(
    app: CustomerSuccess, models: ReadModels, projector: Projector, plans: dict[str, Any]
) -> None:
    projector.catch_up()
    with models.read() as conn:
        every = milestone_lateness(conn, today=TODAY)
        ranged = milestone_lateness(conn, today=TODAY, from_=date(2025, 1, 10),
                                    to=date(2025, 3, 2))
        wang = milestone_lateness(conn, today=TODAY, owner_id=plans["wang"])
        then = milestone_lateness(conn, today=TODAY, at=plans["before_m1"])
    assert every["summary"] == {
        "total": 8, "on_time": 1, "completed_late": 2, "missed": 1, "overdue": 2, "pending": 2,
        "late": 5, "late_rate": Decimal("0.8333"), "mean_days_late": Decimal("21.00")}
    assert [(o["owner_name"], o["total"], o["late"], o["late_rate"], o["mean_days_late"])
            for o in every["by_owner"]] == [
        ("Chen Jing", 7, 4, Decimal("0.8000"), Decimal("23.75")),
        ("Wang Fang", 1, 1, Decimal("1.0000"), Decimal("10.00"))]
    assert [(m["customer_name"], m["due_date"]) for m in ranged["items"]] == [
        ("Acme", date(2025, 1, 15)), ("Acme", date(2025, 1, 31)), ("Beta", date(2025, 2, 1)),
        ("Acme", date(2025, 3, 2))]
    assert (ranged["summary"]["late"], ranged["summary"]["late_rate"]) == (4, Decimal("1.0000"))
    assert [m["title"] for m in wang["items"]] == ["Go live"]
    # Before Beta's plans existed and m1 was done: Acme's 7, m1 overdue by 82 days.
    assert (then["summary"]["total"], then["summary"]["overdue"]) == (7, 4)
    assert then["position"] == plans["before_m1"]


def test_last_touchpoints_and_subscriptions_in_the_360(
    app: CustomerSuccess, models: ReadModels, projector: Projector
) -> None:
    cust = s.customer(app, s.user(app), "Acme")
    days = [date(2025, 3, d) for d in (3, 10, 10, 12, 1, 20, 24)]
    kinds = ["call", "training", "check_in", "onsite_visit", "qbr", "call", "weekly_report"]
    ids = [app.record_touchpoint(actor="t", customer_id=cust, kind=k, occurred_on=d,
                                 summary=f"{k} {d.day}", participants=["Dr. Li"],
                                 next_steps=["send notes"] if k == "call" else None,
                                 week_start=date(2025, 3, 24) if k == "weekly_report" else None
                                 ).id for k, d in zip(kinds, days, strict=True)]
    app.record_training_follow_up(actor="t", touchpoint_id=ids[1], follow_up_on=date(2025, 3, 17),
                                  outcome="all users confident")
    s1 = app.provision_subscription(actor="t", customer_id=cust, product="Clinic Suite", seats=10,
                                    start_date=JAN1, end_date=date(2025, 12, 31)).id
    app.activate_subscription(actor="t", subscription_id=s1, activated_on=JAN1)
    app.change_subscription_seats(actor="t", subscription_id=s1, seats=15,
                                  effective_on=date(2025, 3, 1))
    app.provision_subscription(actor="t", customer_id=cust, product="Analytics", seats=2,
                               start_date=date(2025, 3, 1), end_date=date(2026, 2, 28))
    s3 = app.provision_subscription(actor="t", customer_id=cust, product="Legacy", seats=5,
                                    start_date=date(2024, 1, 1), end_date=date(2025, 1, 31)).id
    app.activate_subscription(actor="t", subscription_id=s3, activated_on=date(2024, 1, 1))
    app.expire_subscription(actor="t", subscription_id=s3, expired_on=date(2025, 2, 1))
    s4 = app.provision_subscription(actor="t", customer_id=cust, product="Kiosk", seats=1,
                                    start_date=JAN1, end_date=date(2025, 6, 30)).id
    app.activate_subscription(actor="t", subscription_id=s4, activated_on=JAN1)
    app.suspend_subscription(actor="t", subscription_id=s4, suspended_on=date(2025, 2, 1),
                             reason="unpaid invoice")
    projector.catch_up()
    with models.read() as conn:
        c360 = customer_360(conn, cust, TODAY)
        trainings = touchpoints_of(conn, cust, kind="training")
        march_tenth = touchpoints_of(conn, cust, from_=date(2025, 3, 10), to=date(2025, 3, 10))
        subs = subscriptions_of(conn, cust, today=TODAY)
    assert c360 is not None
    # newest first; two on 10 March: the one recorded later first
    assert [t["summary"] for t in c360["last_touchpoints"]] == [
        "weekly_report 24", "call 20", "onsite_visit 12", "check_in 10", "training 10"]
    weekly, call = c360["last_touchpoints"][0], c360["last_touchpoints"][1]
    assert (weekly["kind"], weekly["week_start"], call["next_steps"]) == (
        "weekly_report", date(2025, 3, 24), ["send notes"])
    assert call["participants"] == ["Dr. Li"] and call["recorded_by"] == "t"
    assert [(t["follow_up_on"], t["follow_up_outcome"]) for t in trainings["items"]] == [
        (date(2025, 3, 17), "all users confident")]
    assert len(march_tenth["items"]) == 2
    assert [(x["product"], x["status"], x["seats"], x["days_to_end"]) for x in c360["subscriptions"]] == [
        ("Clinic Suite", "active", 15, 275), ("Kiosk", "suspended", 1, 91),
        ("Analytics", "provisioned", 2, 334), ("Legacy", "expired", 5, -59)]
    assert c360["subscriptions"][1]["suspend_reason"] == "unpaid invoice"
    assert subs["items"] == c360["subscriptions"] and subs["position"] == app.max_position()
    assert c360["subscriptions"][0]["seats_changed_on"] == date(2025, 3, 1)
    assert c360["subscriptions"][3]["expired_on"] == date(2025, 2, 1)
