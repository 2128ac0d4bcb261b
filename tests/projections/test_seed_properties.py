"""Properties of the classification, business changes and weekly briefs views (seeds 001
§二.1, §二.8 and 003): over drawn commands — customers, usage reports, contracts, best
practices, business changes, briefs with follow-ups and closures —, the incrementally
projected views equal a rebuild, and their reads as of a random position equal a rebuild
cut there."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cs_domain.app import CustomerSuccess
from cs_domain.business_change import BusinessChangeKind
from cs_domain.classification import USAGE_CLASSES
from projections.db import ReadModels
from projections.runner import Projector
from projections.view import Reader
from projections.views.business_changes import business_changes_section
from projections.views.classification import classification
from projections.views.weekly import team_weekly
from tests.conftest import STORES
from tests.profiles import examples
from tests.projections.harness import check_incremental_and_as_of
from tests.projections.test_properties import BASE, World

i = st.integers(min_value=0, max_value=50)
WEEKS = ["2025-W10", "2025-W11"]
MONDAYS = [date(2025, 3, 3), date(2025, 3, 10)]
LEVELS = ["strategic", "growth", "basic", "A", "B", "ungraded"]
OWN = st.one_of(
    st.tuples(st.just("customer"), i, i),
    st.tuples(st.just("flow"), i, st.integers(1, 99), st.just("EUR"), st.integers(30, 720),
              st.integers(1, 4)),
    *[st.tuples(st.just("usage"), i, st.integers(0, 6), st.integers(0, 14),
                st.integers(0, 10))] * 3,
    st.tuples(st.just("practice"), st.sampled_from(LEVELS), st.sampled_from(USAGE_CLASSES), i),
    st.tuples(st.just("change"), i, st.sampled_from(list(BusinessChangeKind)),
              st.integers(0, 90)),
    st.tuples(st.just("brief"), i, st.integers(0, 1), st.integers(0, 3)),
    *[st.tuples(st.just("brief_step"), i, st.integers(0, 1), st.integers(0, 3),
                st.sampled_from(["assign", "close"]), st.integers(0, 20))] * 2,
)


class SeedWorld(World):
    def __init__(self, app: CustomerSuccess, live: Projector):
        super().__init__(app, live)
        for n in (0, 1):
            self._run(("customer", n, n))
            self._run(("flow", n, 10, "EUR", 365, 2))

    def _run(self, c: tuple[Any, ...]) -> None:
        a, kind = self.app, c[0]
        if kind == "usage" and self.customers:
            a.report_usage(actor="t", customer_id=self.pick(self.customers, c[1]),
                           period_start=BASE + timedelta(weeks=c[2]),
                           period_end=BASE + timedelta(weeks=c[2], days=6),
                           active_days_per_week=Decimal(c[3]) / 2,
                           feature_adoption=Decimal(c[4]) / 10, open_issues=0)
        elif kind == "practice":
            a.record_best_practice(actor="m", level=c[1], usage_class=c[2], text=f"P{c[3]}")
        elif kind == "change" and self.customers:
            a.report_business_change(actor="t", customer_id=self.pick(self.customers, c[1]),
                                     kind=c[2].value, occurred_on=BASE + timedelta(days=c[3]))
        elif kind == "brief":
            a.submit_weekly_brief(actor="t", owner_id=self.pick(self.users, c[1]),
                                  week=WEEKS[c[2]], summary="s",
                                  problems=[f"p{n}" for n in range(c[3])],
                                  submitted_on=MONDAYS[c[2]] + timedelta(days=4))
        elif kind == "brief_step":
            owner, week = self.pick(self.users, c[1]), WEEKS[c[2]]
            on = MONDAYS[c[2]] + timedelta(days=c[5])
            if c[4] == "assign":
                a.assign_brief_follow_up(actor="m", owner_id=owner, week=week, problem=c[3],
                                         assignee_id=self.pick(self.users, c[5]),
                                         assigned_on=on)
            else:
                a.close_brief_problem(actor="m", owner_id=owner, week=week, problem=c[3],
                                      resolution="r", closed_on=on)
        else:
            super()._run(c)


def seed_reads(models: ReadModels, customers: list[Any], at: int | None) -> dict[str, Any]:
    def strip(result: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in result.items() if k != "position"}

    wide = (date(2024, 1, 1), date(2027, 12, 31))
    with models.read() as conn:
        return {
            "tier": strip(classification(conn, level_by="tier", from_=wide[0], to=wide[1],
                                         at=at)),
            "grade": strip(classification(conn, level_by="size_grade", from_=wide[0],
                                          to=wide[1], at=at)),
            "weeks": [strip(team_weekly(conn, monday=m, today=m, at=at)) for m in MONDAYS],
            "changes": [business_changes_section(Reader(conn, at), c, BASE) for c in customers],
        }


@pytest.mark.parametrize("kind", STORES)
@settings(max_examples=examples(8), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(commands=st.lists(OWN, min_size=8, max_size=35), final_batch=st.integers(1, 50),
       max_cache=st.sampled_from([0, 2, 100_000]), cut=st.floats(0, 1))
def test_seed_views_incremental_equal_rebuild_and_as_of_equals_a_cut_rebuild(
    kind: str, commands: list[tuple[Any, ...]], final_batch: int, max_cache: int, cut: float
) -> None:
    def compare(world: SeedWorld, live_models: ReadModels, upto: ReadModels,
                position: int) -> None:
        assert seed_reads(live_models, world.customers, position) == seed_reads(
            upto, world.customers, None)

    check_incremental_and_as_of(kind, commands, final_batch=final_batch, max_cache=max_cache,
                                cut=cut, world=SeedWorld, label=lambda _: None, compare=compare)
