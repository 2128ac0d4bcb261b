"""Properties for the health, projects, plans, touchpoints and subscriptions views.

The same two properties as test_properties.py, over command sequences that add usage
reports (first reports and corrections, in any period order), projects through their
stages, success plans with milestones, touchpoints and subscriptions to the customers
and contracts: the incrementally projected views equal a from-scratch rebuild, and the
views read as of a random position P — rows and the query functions — equal a rebuild
of the events up to P.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cs_domain.app import CustomerSuccess
from cs_domain.project import DEFAULT_STAGES
from projections.db import ReadModels
from projections.rebuild import dump
from projections.runner import Projector
from projections.views.activation import activation_metrics
from projections.views.health import health_history, health_of
from projections.views.health_metrics import health_distribution, usage_metrics
from projections.views.plans import milestone_lateness, plans_of
from projections.views.projects import projects_of
from projections.views.subscriptions import subscriptions_of
from projections.views.touchpoints import touchpoints_of
from tests.conftest import STORES
from tests.profiles import examples
from tests.projections.harness import check_incremental_and_as_of
from tests.projections.test_properties import BASE, World, reads

i = st.integers(min_value=0, max_value=50)
STAGE_NAMES = [name for name, _ in DEFAULT_STAGES]
TEMPLATES = ["implementation_handover", "churn_recovery", "roadmap_30_60_90", None]
KINDS = ["check_in", "call", "onsite_visit", "training", "qbr"]
OWN = st.one_of(
    *[st.tuples(st.just("usage"), i, st.integers(0, 12), st.integers(0, 14),
                st.integers(0, 10), st.integers(0, 6), st.none() | st.integers(-100, 100))] * 4,
    st.tuples(st.just("customer"), i, i), st.tuples(st.just("flow"), i, st.integers(1, 99),
                                                    st.just("EUR"), st.integers(30, 720),
                                                    st.integers(1, 4)),
    st.tuples(st.just("stage"), i, i), st.tuples(st.just("project"), st.integers(1, 9)),
    *[st.tuples(st.just("open_project"), i, st.booleans())] * 2,
    *[st.tuples(st.just("project_step"), i, i, st.sampled_from(["start", "complete", "reopen"]),
                st.integers(0, 60))] * 4,
    st.tuples(st.just("project_end"), i, st.booleans()),
    *[st.tuples(st.just("plan"), i, st.integers(0, 3))] * 2,
    *[st.tuples(st.just("plan_step"), i, i, st.sampled_from(
        ["activate", "complete", "miss", "add", "finish", "abandon"]), st.integers(0, 120))] * 4,
    st.tuples(st.just("touch"), i, st.integers(0, 4), st.integers(0, 90)),
    st.tuples(st.just("follow_up"), i),
    st.tuples(st.just("subscribe"), i, st.integers(1, 50)),
    st.tuples(st.just("subscription_step"), i,
              st.sampled_from(["activate", "suspend", "resume", "expire", "seats"])),
)


class DeliveryWorld(World):
    """The base world's commands plus usage, delivery, plans, touchpoints, subscriptions."""

    def __init__(self, app: CustomerSuccess, live: Projector):
        super().__init__(app, live)
        # Two customers with an active contract each, so most drawn commands apply.
        for n in (0, 1):
            self._run(("customer", n, n))
            self._run(("flow", n, 10, "EUR", 365, 2))
        self.projects: list[uuid.UUID] = []
        self.plans: list[tuple[uuid.UUID, list[uuid.UUID]]] = []
        self.touchpoints: list[uuid.UUID] = []
        self.subscriptions: list[uuid.UUID] = []

    def _run(self, c: tuple[Any, ...]) -> None:
        a, kind = self.app, c[0]
        day = BASE + timedelta(days=c[-1]) if isinstance(c[-1], int) else BASE
        if kind == "usage" and self.customers:
            a.report_usage(actor="t", customer_id=self.pick(self.customers, c[1]),
                           period_start=BASE + timedelta(weeks=c[2]),
                           period_end=BASE + timedelta(weeks=c[2], days=6),
                           active_days_per_week=Decimal(c[3]) / 2,
                           feature_adoption=Decimal(c[4]) / 10, open_issues=c[5], nps=c[6],
                           core_features_used=c[5] % 4 if c[5] else None,
                           core_features_total=4 if c[5] else None)
        elif kind == "open_project" and self.contracts:
            stages: list[tuple[str, int | Decimal]] | None = (
                None if c[2] else [("setup", 1), ("rollout", Decimal("2.5"))])
            self.projects.append(a.open_project(
                actor="t", contract_id=self.pick(self.contracts, c[1]), name=f"P{c[1]}",
                opened_on=BASE, stages=stages).id)
        elif kind == "project_step" and self.projects:
            project = self.pick(self.projects, c[1])
            names = [*STAGE_NAMES, "setup", "rollout"]
            stage = names[c[2] % len(names)]
            if c[3] == "start":
                a.start_project_stage(actor="t", project_id=project, stage=stage, started_on=day)
            elif c[3] == "complete":
                a.complete_project_stage(actor="t", project_id=project, stage=stage,
                                         completed_on=day)
            else:
                a.reopen_project_stage(actor="t", project_id=project, stage=stage,
                                       reopened_on=day, reason="again")
        elif kind == "project_end" and self.projects:
            project = self.pick(self.projects, c[1])
            if c[2]:
                a.complete_project(actor="t", project_id=project, completed_on=BASE + timedelta(99))
            else:
                a.cancel_project(actor="t", project_id=project, cancelled_on=BASE, reason="stop")
        elif kind == "plan" and self.customers:
            template = TEMPLATES[c[2]]
            made = a.create_plan(actor="t", customer_id=self.pick(self.customers, c[1]),
                                 start_date=BASE, template=template,
                                 name=None if template else "Custom")
            self.plans.append((made.id, list(made.extra["milestone_ids"])))
        elif kind == "plan_step" and self.plans:
            plan, milestones = self.pick(self.plans, c[1])
            self._plan_step(plan, milestones, c[2], c[3], day)
        elif kind == "touch" and self.customers:
            self.touchpoints.append(a.record_touchpoint(
                actor="t", customer_id=self.pick(self.customers, c[1]), kind=KINDS[c[2]],
                occurred_on=day, summary=f"s{c[3]}").id)
        elif kind == "follow_up" and self.touchpoints:
            a.record_training_follow_up(actor="t", touchpoint_id=self.pick(self.touchpoints, c[1]),
                                        follow_up_on=BASE + timedelta(days=91), outcome="fine")
        elif kind == "subscribe" and self.customers:
            self.subscriptions.append(a.provision_subscription(
                actor="t", customer_id=self.pick(self.customers, c[1]), product=f"Prod {c[2] % 3}",
                seats=c[2], start_date=BASE, end_date=BASE + timedelta(days=365)).id)
        elif kind == "subscription_step" and self.subscriptions:
            sub = self.pick(self.subscriptions, c[1])
            steps = {"activate": lambda: a.activate_subscription(
                         actor="t", subscription_id=sub, activated_on=BASE),
                     "suspend": lambda: a.suspend_subscription(
                         actor="t", subscription_id=sub, suspended_on=BASE, reason="unpaid"),
                     "resume": lambda: a.resume_subscription(
                         actor="t", subscription_id=sub, resumed_on=BASE),
                     "expire": lambda: a.expire_subscription(
                         actor="t", subscription_id=sub, expired_on=BASE + timedelta(days=1)),
                     "seats": lambda: a.change_subscription_seats(
                         actor="t", subscription_id=sub, seats=c[1] + 1, effective_on=BASE)}
            steps[c[2]]()
        else:
            super()._run(c)

    def _plan_step(self, plan: uuid.UUID, milestones: list[uuid.UUID], n: int, step: str,
                   day: date) -> None:
        a = self.app
        if step == "activate":
            a.activate_plan(actor="t", plan_id=plan, activated_on=BASE)
        elif step == "add":
            milestones.append(a.add_plan_milestone(
                actor="t", plan_id=plan, title=f"M{n}", due_date=day,
                acceptance_criterion="done").extra["milestone_id"])
        elif step in ("complete", "miss") and milestones:
            milestone = self.pick(milestones, n)
            if step == "complete":
                a.complete_plan_milestone(actor="t", plan_id=plan, milestone_id=milestone,
                                          completed_on=day, evidence="ok")
            else:
                a.miss_plan_milestone(actor="t", plan_id=plan, milestone_id=milestone,
                                      missed_on=day)
        elif step == "finish":
            a.complete_plan(actor="t", plan_id=plan, completed_on=BASE + timedelta(days=200))
        elif step == "abandon":
            a.abandon_plan(actor="t", plan_id=plan, abandoned_on=day, reason="no")


def own_reads(models: ReadModels, customers: list[uuid.UUID], contracts: list[uuid.UUID],
              at: int | None) -> dict[str, Any]:
    def strip(result: Any) -> Any:
        if isinstance(result, dict):
            return {k: strip(v) for k, v in result.items() if k != "position"}
        return result

    today = date(2025, 3, 1)
    wide = (date(2024, 12, 1), date(2026, 12, 31))
    with models.read() as conn:
        per_customer = [{
            "health": strip(health_of(conn, cid, at=at)),
            "history": strip(health_history(conn, cid, at=at)),
            "projects": strip(projects_of(conn, customer_id=cid, at=at)),
            "plans": strip(plans_of(conn, cid, today=today, at=at)),
            "touchpoints": strip(touchpoints_of(conn, cid, at=at)),
            "subscriptions": strip(subscriptions_of(conn, cid, today=today, at=at)),
        } for cid in customers]
        return {
            "customers": per_customer,
            "contracts": [strip(projects_of(conn, contract_id=k, at=at)) for k in contracts],
            "distribution": strip(health_distribution(conn, at=at)),
            "usage": strip(usage_metrics(conn, *wide, at=at)),
            "lateness": strip(milestone_lateness(conn, today=today, at=at)),
            "activation": strip(activation_metrics(conn, *wide, at=at)),
        }


@pytest.mark.parametrize("kind", STORES)
@settings(max_examples=examples(10), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(commands=st.lists(OWN, min_size=10, max_size=45), final_batch=st.integers(1, 50),
       max_cache=st.sampled_from([0, 2, 100_000]), cut=st.floats(0, 1))
def test_delivery_views_incremental_equal_rebuild_and_as_of_equals_a_cut_rebuild(
    kind: str, commands: list[tuple[Any, ...]], final_batch: int, max_cache: int, cut: float
) -> None:
    def label(live_models: ReadModels) -> None:
        rows = dump(live_models, ["health", "projects", "plans"])
        event(f"usage periods (3 = 3 or more): {min(len(rows['health']['health_periods']), 3)}")
        event(f"projects: {bool(rows['projects']['projects'])}, "
              f"milestones: {bool(rows['plans']['plan_milestones'])}")

    def compare(world: DeliveryWorld, live_models: ReadModels, upto: ReadModels,
                position: int) -> None:
        assert own_reads(live_models, world.customers, world.contracts, position) == (
            own_reads(upto, world.customers, world.contracts, None))
        assert reads(live_models, world.customers, position) == reads(
            upto, world.customers, None)

    check_incremental_and_as_of(kind, commands, final_batch=final_batch, max_cache=max_cache,
                                cut=cut, world=DeliveryWorld, label=label, compare=compare)
