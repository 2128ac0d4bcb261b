"""Properties of the growth views (activities, benchmark cases, referrals; seed 001 §二.4/6/7):
incremental views equal a rebuild, and as-of P equals a rebuild cut at P — with the 360's
`activities`, the benchmark criteria (usage, recognition, outcome), the referral metric and
the `own_activities` milestone read from them. Commands are interleaved with customers,
contracts, owners and usage reports; refused steps write nothing and are skipped."""

from __future__ import annotations

import contextlib
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cs_domain.app import CustomerSuccess
from cs_domain.benchmark import case_id
from cs_domain.errors import DomainError
from projections.compose import customer_360
from projections.db import ReadModels
from projections.rebuild import dump
from projections.runner import Projector
from projections.views.activities import activity_list
from projections.views.benchmarks import case_list
from projections.views.referrals import referral_list, referral_metrics
from projections.views.team import milestone_lateness
from tests.conftest import STORES
from tests.profiles import examples
from tests.projections.harness import check_incremental_and_as_of
from tests.projections.test_properties import BASE
from tests.projections.test_work_properties import BASE_COMMANDS, WorkWorld

TODAY = date(2025, 12, 1)
i = st.integers(min_value=0, max_value=50)
ACTIVITY_STEPS = ("prepare", "launch", "review", "improve", "cancel")
CASE_STEPS = ("build", "replicate", "upgrade", "replicate again", "drop", "recognition",
              "outcome")
REFERRAL_STEPS = ("contact", "propose", "win", "lose")


def growth_commands() -> st.SearchStrategy[tuple[Any, ...]]:
    return st.one_of(
        st.tuples(st.just("activity"), i, st.integers(0, 300), st.integers(0, 4)),
        st.tuples(st.just("activitystep"), i, st.sampled_from(ACTIVITY_STEPS), i),
        st.tuples(st.just("case"), i, st.integers(0, 300), st.integers(0, 4)),
        st.tuples(st.just("casestep"), i, st.sampled_from(CASE_STEPS), i),
        st.tuples(st.just("referral"), i, st.integers(0, 300), st.booleans(),
                  st.integers(0, 3)),
        st.tuples(st.just("referralstep"), i, st.sampled_from(REFERRAL_STEPS), i),
        st.tuples(st.just("usage"), i, st.integers(0, 40), st.integers(0, 100)),
    )


COMMANDS = st.one_of(BASE_COMMANDS, growth_commands(), growth_commands())


class GrowthWorld(WorkWorld):
    def __init__(self, app: CustomerSuccess, live: Projector):
        self.activities: list[uuid.UUID] = []
        self.cases: list[uuid.UUID] = []
        self.referrals: list[uuid.UUID] = []
        super().__init__(app, live)

    def _quietly(self, step: Any) -> None:
        with contextlib.suppress(DomainError):  # a refused step writes nothing
            step()

    def _day(self, n: int) -> date:
        return BASE + timedelta(days=n)

    def _activity(self, cust: int, n: int, steps: int) -> None:
        """Plans an activity and takes it `steps` along prepare, launch, review, improve."""
        if self.customers:
            self.activities.append(self.app.plan_activity(
                actor="t", customer_id=self.pick(self.customers, cust),
                kind="revenue" if n % 2 else "influence", title=f"Activity {n}",
                on=self._day(n)).id)
            for step in ACTIVITY_STEPS[:steps]:
                self._activitystep(-1, step, n % 40)

    def _activitystep(self, a: int, step: str, n: int) -> None:
        if not self.activities:
            return
        aid, app, on = self.pick(self.activities, a), self.app, self._day(300 + n)
        calls = {
            "prepare": lambda: app.prepare_activity(actor="t", activity_id=aid, on=on),
            "launch": lambda: app.launch_activity(actor="t", activity_id=aid, on=on),
            "review": lambda: app.review_activity(
                actor="t", activity_id=aid, participants=n, note="r", on=on,
                revenue=Decimal(n * 10) if n % 2 else None, currency="CNY" if n % 2 else None),
            "improve": lambda: app.improve_activity(actor="t", activity_id=aid,
                                                    improvement="i", on=on),
            "cancel": lambda: app.cancel_activity(actor="t", activity_id=aid, reason="c", on=on),
        }
        self._quietly(calls[step])

    def _case(self, cust: int, n: int, steps: int) -> None:
        if self.customers:
            customer = self.pick(self.customers, cust)
            self._quietly(lambda: self.app.nominate_benchmark_case(
                actor="t", customer_id=customer, title="Case", on=self._day(n)))
            if case_id(customer) not in self.cases and self.app.exists(case_id(customer)):
                self.cases.append(case_id(customer))
                for step in ("recognition", "outcome", "build", "replicate")[:steps]:
                    self._casestep(-1, step, n % 40)

    def _casestep(self, c: int, step: str, n: int) -> None:
        if not self.cases:
            return
        cid, app, on = self.pick(self.cases, c), self.app, self._day(300 + n)
        if step == "drop":
            self._quietly(lambda: app.drop_benchmark_case(actor="t", case_id=cid, reason="d",
                                                          on=on))
        elif step == "recognition":
            self._quietly(lambda: app.record_benchmark_recognition(
                actor="t", case_id=cid, industry_known=n % 3 > 0, note="n", on=on))
        elif step == "outcome":
            self._quietly(lambda: app.record_benchmark_outcome(
                actor="t", case_id=cid, note="n", measured_on=on,
                cost_down_pct=Decimal(n + 1) / 4, growth_pct=None))
        else:
            self._quietly(lambda: app.advance_benchmark_case(actor="t", case_id=cid,
                                                             step=step, on=on))

    def _referral(self, cust: int, n: int, money: bool, steps: int) -> None:
        if self.customers:
            self.referrals.append(self.app.introduce_referral(
                actor="t", customer_id=self.pick(self.customers, cust), prospect_name="P",
                incentive_policy="bonus", on=self._day(n),
                incentive_amount=Decimal("100.00") if money else None,
                incentive_currency="CNY" if money else None,
                incentive_text=None if money else "a free day").id)
            for step in ("contact", "propose", "win" if money else "lose")[:steps]:
                self._referralstep(-1, step, n % 40)

    def _referralstep(self, r: int, step: str, n: int) -> None:
        if not self.referrals:
            return
        rid, app, on = self.pick(self.referrals, r), self.app, self._day(300 + n)
        calls = {
            "contact": lambda: app.contact_referral(actor="t", referral_id=rid, on=on),
            "propose": lambda: app.propose_referral(actor="t", referral_id=rid, on=on),
            "win": lambda: app.win_referral(actor="t", referral_id=rid, on=on),
            "lose": lambda: app.lose_referral(actor="t", referral_id=rid, reason="r", on=on),
        }
        self._quietly(calls[step])

    def _usage(self, cust: int, week: int, adoption: int) -> None:
        if self.customers:
            start = BASE + timedelta(days=7 * week)
            self._quietly(lambda: self.app.report_usage(
                actor="t", customer_id=self.pick(self.customers, cust), period_start=start,
                period_end=start + timedelta(days=6), active_days_per_week=3,
                feature_adoption=Decimal(adoption) / 100, open_issues=0))


def reads(models: ReadModels, customers: list[uuid.UUID], at: int | None) -> dict[str, Any]:
    def strip(result: dict[str, Any] | None) -> Any:
        return None if result is None else {k: v for k, v in result.items() if k != "position"}

    with models.read() as conn:
        return {
            "360": [(customer_360(conn, cid, TODAY, at) or {}).get("activities")
                    for cid in customers],
            "activities": strip(activity_list(conn, limit=500, at=at)),
            "cases": strip(case_list(conn, limit=500, at=at)),
            "referrals": strip(referral_list(conn, limit=500, at=at)),
            "metrics": strip(referral_metrics(conn, BASE, date(2026, 12, 31), at=at)),
            "milestones": strip(milestone_lateness(conn, today=TODAY, at=at)),
        }


@pytest.mark.parametrize("kind", STORES)
@settings(max_examples=examples(8), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(commands=st.lists(COMMANDS, min_size=10, max_size=40), final_batch=st.integers(1, 50),
       max_cache=st.sampled_from([0, 3, 100_000]), cut=st.floats(0, 1))
def test_growth_views_incremental_equals_rebuild_and_as_of_equals_a_cut_rebuild(
    kind: str, commands: list[tuple[Any, ...]], final_batch: int, max_cache: int, cut: float
) -> None:
    def label(live_models: ReadModels) -> None:
        rows = dump(live_models)
        for what, table, column in (
                ("activity reviewed", rows["activities"]["activities"], "reviewed_on"),
                ("case built", rows["benchmarks"]["benchmark_cases"], "built_on"),
                ("referral won", rows["referrals"]["referrals"], "won_on")):
            event(f"{what}: {any(row[column] for row in table.values())}")

    def compare(world: GrowthWorld, live_models: ReadModels, upto: ReadModels,
                position: int) -> None:
        assert reads(live_models, world.customers, position) == reads(
            upto, world.customers, None)

    check_incremental_and_as_of(kind, commands, final_batch=final_batch, max_cache=max_cache,
                                cut=cut, world=GrowthWorld, label=label, compare=compare)
