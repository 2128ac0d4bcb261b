"""The automation over the demo dataset: realistic years of history, loaded today.

The demo's showcase customers (a due renewal, declining and silent usage, an onboarding, a
churn) start their plays; the history behind them starts nothing stale; a second tick
writes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from automation.tick import tick
from cs_demo.generator import generate
from cs_domain.app import CustomerSuccess
from cs_domain.customer import Customer
from cs_domain.playbook_defaults import DEFAULT_PLAYBOOKS
from projections.db import ReadModels
from tests.automation.story import BASE, at, runs

EVENT_DRIVEN = {"contract_activated", "contract_churned", "usage_drop", "usage_growth"}


def test_ticking_the_demo(app: CustomerSuccess, models: ReadModels) -> None:
    generate(app, 20, seed=7, today=BASE)
    report = tick(app, models, at(0))
    assert report.ok, report.failures
    started = report.tally.runs_started
    assert started["renewal_readiness"] >= 1
    assert started["low_engagement_drop"] + started["low_engagement_inactive"] >= 1
    everything = runs(models, limit=500)
    assert sum(started.values()) == len(everything)
    for run in everything:
        last = max(a["offset_days"] for a in DEFAULT_PLAYBOOKS[run["playbook_key"]]["actions"])
        if run["trigger_kind"] in EVENT_DRIVEN:
            # Only fresh plays: one of the steps was still ahead when the trigger was recorded.
            assert run["triggered_on"] + timedelta(days=last) >= BASE
        customer = app.load(Customer, run["customer_id"])
        assert {s["assignee_id"] for s in run["steps"]} <= {customer.owner_id,
                                                           customer.support_manager_id}
    head = app.max_position()
    again = tick(app, models, at(0))
    assert again.tally.writes == 0 and app.max_position() == head
