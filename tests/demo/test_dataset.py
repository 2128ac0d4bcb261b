"""The demo holds what the views and playbooks need, even at a small size."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from cs_demo.generator import generate
from cs_demo.people import team_sizes
from cs_domain.app import CustomerSuccess
from cs_domain.contract import ChurnReason
from cs_domain.plan_templates import TEMPLATES
from cs_domain.rules import health_score
from tests.demo.support import decoded_log, load_all

TODAY = date(2026, 11, 30)
CUSTOMERS = 30


@pytest.fixture
def demo(app: CustomerSuccess) -> CustomerSuccess:
    generate(app, CUSTOMERS, seed=11, today=TODAY)
    return app


def usage_by_customer(app: CustomerSuccess) -> dict[Any, list[Any]]:
    reports: dict[Any, list[Any]] = defaultdict(list)
    for report in load_all(app, "UsageReport"):
        reports[report.customer_id].append(report)
    return {k: sorted(v, key=lambda r: r.period_start) for k, v in reports.items()}


def score(report: Any) -> Decimal:
    return health_score(report.active_days_per_week, report.feature_adoption,
                        report.open_issues).score


def test_customers_team_and_stages(demo: CustomerSuccess) -> None:
    customers = load_all(demo, "Customer")
    users = {u.id: u for u in load_all(demo, "User")}
    assert len(customers) == CUSTOMERS
    assert all(users[c.owner_id].role == "csm" for c in customers)
    assert all(users[c.support_manager_id].role == "support" for c in customers)
    assert {c.stage for c in customers} >= {"signed", "onboarding", "growth", "renewal",
                                             "mature", "churned", "reactivated"}
    assert len({c.tier for c in customers}) == 3
    assert all(len(c.contacts) >= 2 and any(k["level"] == "1" for k in c.contacts.values())
               for c in customers)
    assert any(c.handover is not None and c.expectations for c in customers)
    # At full size: CSMs with 200-300 customers each.
    sizes = team_sizes(15_000)
    assert 200 <= 15_000 / sizes["csm"] <= 300


def test_contracts_renewals_and_churns(demo: CustomerSuccess) -> None:
    contracts = load_all(demo, "Contract")
    by_id = {c.id: c for c in contracts}
    statuses = {c.status for c in contracts}
    assert statuses >= {"renewed", "churned", "active", "signed"}
    assert len({c.currency for c in contracts}) >= 2
    assert len({c.customer_id for c in contracts}) == CUSTOMERS
    churned = [c for c in contracts if c.status == "churned"]
    assert all(c.churn_reason in {r.value for r in ChurnReason} for c in churned)
    renewed = [c for c in contracts if c.status == "renewed"]
    early = [c for c in renewed if c.renewed_on <= c.end_date - timedelta(days=45)]
    assert early
    successors = [by_id[c.successor_id] for c in renewed]
    assert any(s.amount > p.amount for s, p in zip(successors, renewed, strict=True))
    assert any(s.amount < p.amount for s, p in zip(successors, renewed, strict=True))
    assert all(s.start_date == p.end_date + timedelta(days=1)
               for s, p in zip(successors, renewed, strict=True))
    due_soon = [c for c in contracts if c.status == "active"
                and TODAY < c.end_date <= TODAY + timedelta(days=90)]
    assert any(c.renewal_intent == "low" for c in due_soon)
    assert any(c.renewal_intent == "high" for c in due_soon)
    numbers = [n.number for n in load_all(demo, "ContractNumber")]
    assert sorted(numbers) == sorted(c.number for c in contracts)


def test_weekly_usage_with_declines_and_silences(demo: CustomerSuccess) -> None:
    usage = usage_by_customer(demo)
    assert len(usage) >= CUSTOMERS * 2 // 3
    for reports in usage.values():
        assert all(r.period_start.weekday() == 0 for r in reports)
        assert all(r.period_end == r.period_start + timedelta(days=6) < TODAY for r in reports)
        assert len({r.period_start for r in reports}) == len(reports)
    latest_week = max(r.period_start for reports in usage.values() for r in reports)
    live = {k: v for k, v in usage.items() if v[-1].period_start == latest_week}
    declining = [v for v in live.values() if len(v) >= 3
                 and v[-1].active_days_per_week <= v[-3].active_days_per_week * Decimal("0.7")
                 and score(v[-1]) <= score(v[-3]) * Decimal("0.7")]
    assert declining
    silent = [v for v in live.values()
              if len(v) >= 5 and all(r.active_days_per_week == 0 for r in v[-5:])]
    assert silent  # five weekly reports with no activity: 35 days
    healthy = [v for v in live.values() if all(r.active_days_per_week > 0 for r in v[-5:])]
    assert len(healthy) > len(live) // 2


def test_delivery_plans_and_touchpoints(demo: CustomerSuccess) -> None:
    projects = load_all(demo, "Project")
    assert {p.status for p in projects} >= {"active", "completed"}
    assert any(0 < p.progress() < 1 for p in projects)
    plans = load_all(demo, "SuccessPlan")
    assert {p.template for p in plans} <= set(TEMPLATES)
    assert {p.status for p in plans} >= {"active", "completed"}
    assert any(m["days_late"] for p in plans for m in p.milestones)
    subscriptions = load_all(demo, "Subscription")
    assert {s.status for s in subscriptions} >= {"active", "expired"}
    touchpoints = load_all(demo, "Touchpoint")
    kinds = {t.kind for t in touchpoints}
    assert kinds >= {"check_in", "training", "call", "weekly_report"}
    assert any(t.follow_up_on is not None for t in touchpoints)


def test_activities_benchmark_cases_and_referrals(demo: CustomerSuccess) -> None:
    """Seed 001 §二.4/6/7: activities that ran (reviewed, with revenue for revenue ones),
    a benchmark case built with its recognition and outcome, a referral that was won."""
    activities = load_all(demo, "Activity")
    assert {a.status for a in activities} >= {"reviewed", "improved", "cancelled"}
    assert any(a.kind == "revenue" and a.revenue is not None for a in activities)
    cases = load_all(demo, "BenchmarkCase")
    assert any(c.stage != "candidate" and c.industry_known and c.growth_pct for c in cases)
    customers = {c.id: c for c in load_all(demo, "Customer")}
    referrals = load_all(demo, "Referral")
    assert any(r.status == "won" for r in referrals)
    assert all(r.credited_owner_id in {c.owner_id for c in customers.values()}
               for r in referrals)


def test_every_event_names_a_demo_user(demo: CustomerSuccess) -> None:
    users = {str(u.id) for u in load_all(demo, "User")}
    actors = {state["actor"] for _, _, _, state in decoded_log(demo)}
    assert actors - users == {"demo-loader"}  # only the admin's own creation


def test_risks_requirements_complaints_and_workbenches(demo: CustomerSuccess) -> None:
    risks = load_all(demo, "Risk")
    assert {r.status for r in risks} >= {"open", "mitigating", "closed"}
    assert any(r.is_overdue(TODAY) for r in risks)  # red on the risk board
    closed = [r for r in risks if r.status == "closed"]
    assert all(r.resolution and r.closed_on >= r.raised_on for r in closed)
    assert any(r.strategy and r.task_ids for r in risks)
    assert len({r.category for r in risks}) >= 3
    tasks = load_all(demo, "Task")
    task_ids = {t.id for t in tasks}
    assert all(set(r.task_ids) <= task_ids for r in risks)
    assert {t.status for t in tasks} >= {"todo", "doing", "done", "cancelled"}
    open_tasks = [t for t in tasks if t.is_open]
    assert any(t.due_date < TODAY for t in open_tasks)  # overdue on a workbench
    assert any(TODAY <= t.due_date <= TODAY + timedelta(days=7) for t in open_tasks)
    assert {t.source_kind for t in tasks} >= {"risk", "plan"}
    requirements = load_all(demo, "Requirement")
    statuses = {r.status for r in requirements}
    assert "feedback_given" in statuses and len(statuses) >= 3
    assert all(r.step_dates["collected"] <= r.last_step_on for r in requirements)
    complaints = load_all(demo, "Complaint")
    assert any(c.status == "reviewed" and c.root_cause for c in complaints)
    assert len(load_all(demo, "Playbook")) >= 1  # the shipped playbooks are defined
