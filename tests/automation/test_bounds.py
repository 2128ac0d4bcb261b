"""No poison events: the automation and every view handle events at the edges of what the
domain accepts — business dates at 1900/2199 (the API's bounds) and at the limits of the
calendar (0001-01-01, 9999-12-31: old logs may hold them), the largest amounts — without
raising, parking or stopping: each tick ends ok and every view reaches the head.

Hypothesis picks a customer's whole history (contract, renewal, churn, weekly usage with a
drop, risk, task, plan, touchpoint, subscription) with each date drawn from the edges.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from automation.tick import tick
from cs_domain.app import CustomerSuccess
from cs_domain.days import shift
from cs_domain.errors import DomainError
from projections import parking, state
from projections.db import ReadModels
from projections.runner import Projector
from tests.automation.story import Story
from tests.profiles import examples

EDGES = [date.min, date(1, 1, 8), date(1899, 12, 25), date(1900, 1, 1), date(1900, 1, 8),
         date(2199, 12, 24), date(2199, 12, 31), date(9999, 12, 17), date(9999, 12, 24),
         date.max]
DATES = st.one_of(st.sampled_from(EDGES), st.dates())
AMOUNTS = st.sampled_from([Decimal("0.0001"), Decimal("999999999999999.9999"),
                           Decimal("123456789012345"), Decimal("1E+20")])
# `tick`'s now is a business moment, bounded like every other (cs_domain.bounds; the CLI
# refuses --now outside them): the events may hold anything an old log holds.
NOWS = [datetime.combine(d, time(12), UTC) for d in
        (date(1900, 1, 1), date(2025, 6, 2), date(2199, 12, 31))]
counter = itertools.count()


def attempt(command: Callable[[], Any]) -> Any:
    """Runs a command the domain may refuse (a refused one writes nothing)."""
    with contextlib.suppress(DomainError):
        return command()
    return None


def history(app: CustomerSuccess, story: Story, d: list[date], amount: Decimal,
            drop: bool, ending: str) -> None:
    n = next(counter)
    # Not "strategic": a QBR per quarter since year 1 would be 40,000 runs to catch up (a
    # question of volume, bounded at the API's edge), not of handling the dates.
    customer = story.customer(f"Edge {n}", tier="growth")
    contract = attempt(lambda: app.draft_contract(
        actor="t", customer_id=customer, number=f"E-{n}", amount=amount, currency="EUR",
        start_date=min(d[0], d[1]), end_date=max(d[0], d[1])))
    if contract is not None and d[0] != d[1]:
        attempt(lambda: app.sign_contract(actor="t", contract_id=contract.id, signed_on=d[2]))
        attempt(lambda: app.activate_contract(actor="t", contract_id=contract.id,
                                              activated_on=d[2]))
        if ending == "renew":
            attempt(lambda: app.renew_contract(actor="t", contract_id=contract.id,
                                               renewed_on=d[3], amount=amount,
                                               new_end_date=date.max))
        elif ending == "churn":
            attempt(lambda: app.churn_contract(actor="t", contract_id=contract.id,
                                               churned_on=d[3], reason_category="other"))
        else:
            attempt(lambda: app.terminate_contract(actor="t", contract_id=contract.id,
                                                   terminated_on=d[3], reason="edge"))
    for week, active in enumerate([6, 6, 1 if drop else 7]):
        start = shift(d[4], 7 * week)
        attempt(lambda s=start, a=active: app.report_usage(
            actor="t", customer_id=customer, period_start=s, period_end=shift(s, 6),
            active_days_per_week=Decimal(a), feature_adoption=Decimal("0.5"), open_issues=0))
    task = attempt(lambda: app.create_task(actor="t", customer_id=customer, title="Edge",
                                           assignee_id=story.csm, due_date=d[5]))
    if task is not None:
        attempt(lambda: app.start_task(actor=str(story.csm), task_id=task.id, started_on=d[5]))
        attempt(lambda: app.complete_task(actor=str(story.csm), task_id=task.id,
                                          completed_on=d[5]))
    attempt(lambda: app.raise_risk(actor=str(story.csm), customer_id=customer, title="Edge",
                                   category="adoption", severity="high", due_date=d[6],
                                   raised_on=d[6]))
    attempt(lambda: app.create_plan(actor="t", customer_id=customer, start_date=d[7],
                                    template="roadmap_30_60_90"))
    attempt(lambda: app.record_touchpoint(actor="t", customer_id=customer, kind="weekly_report",
                                          occurred_on=d[7], summary="edge", week_start=d[7]))
    attempt(lambda: app.provision_subscription(
        actor="t", customer_id=customer, product="core", seats=5,
        start_date=min(d[0], d[7]), end_date=max(d[1], shift(d[7], 1))))


@settings(max_examples=examples(8), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(d=st.lists(DATES, min_size=8, max_size=8), amount=AMOUNTS, drop=st.booleans(),
       ending=st.sampled_from(["renew", "churn", "terminate"]), now=st.sampled_from(NOWS))
def test_events_at_the_bounds_stop_nothing_and_park_nothing(
        app: CustomerSuccess, models: ReadModels, story: Story, d: list[date],
        amount: Decimal, drop: bool, ending: str, now: datetime) -> None:
    history(app, story, d, amount, drop, ending)
    report = tick(app, models, now)
    assert report.ok, report.failures
    assert report.parked == [], [p.public() for p in report.parked]
    Projector(app, models).catch_up()
    with models.read() as conn:
        states = state.live_states(conn)
    assert {n: s.status for n, s in states.items() if s.status != state.OK} == {}
    assert {s.position for s in states.values()} == {app.max_position()}
    assert parking.parked_count(models) == 0
