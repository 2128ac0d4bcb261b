"""The stage derivation over random histories, on SQLite and PostgreSQL: the stages the live
views show are the rules' (cs_domain.lifecycle) applied to the same facts in the same order,
replaying the log (a rebuild) gives the same stages, and on the lifecycle board every
customer is on exactly one phase (a renewal term never onboarding)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cs_domain.app import CustomerSuccess
from cs_domain.customer import Customer
from cs_domain.lifecycle import Fact, StagePoint, UsagePeriod, step, time_facts
from projections.rebuild import dump, rebuild
from projections.views.lifecycle import TERM_PHASES, lifecycle_board
from tests.automation.story import day, ticked
from tests.automation.test_properties import world
from tests.conftest import STORES
from tests.profiles import examples

CUSTOMER = st.fixed_dictionaries({
    "start": st.integers(-400, 0),
    "length": st.integers(150, 400),
    "usage_at": st.integers(0, 260),
    "usage": st.lists(st.tuples(st.integers(0, 7), st.sampled_from(["0.2", "0.6"])),
                      max_size=5),
    "renew_after": st.none() | st.integers(100, 420),
    "churn": st.booleans(),
})
HISTORY = st.lists(CUSTOMER, min_size=1, max_size=3)
ACTOR = "t"


def write(app: CustomerSuccess, i: int, c: dict[str, Any]) -> dict[str, Any]:
    """One customer's history through the commands; returns what the rules need."""
    owner = app.create_user(actor=ACTOR, name=f"CSM {i}", role="csm")[0].id
    cid = app.register_customer(actor=ACTOR, name=f"C{i}", tier="growth", owner_id=owner).id
    start, end = day(c["start"]), day(c["start"] + c["length"])
    k = app.draft_contract(actor=ACTOR, customer_id=cid, number=f"P-{i}", amount=Decimal(1000),
                           currency="EUR", start_date=start, end_date=end).id
    app.sign_contract(actor=ACTOR, contract_id=k, signed_on=start)
    app.activate_contract(actor=ACTOR, contract_id=k, activated_on=start)
    periods = []
    for w, (days, adoption) in enumerate(c["usage"]):
        first = start + timedelta(days=c["usage_at"] + 7 * w)
        app.report_usage(actor=ACTOR, customer_id=cid, period_start=first,
                         period_end=first + timedelta(days=6), active_days_per_week=days,
                         feature_adoption=Decimal(adoption), open_issues=0)
        periods.append(UsagePeriod(first, first + timedelta(days=6), Decimal(days),
                                   Decimal(adoption)))
    facts: list[tuple[Fact, date]] = [(Fact.CONTRACT_ACTIVATED, start)]
    terms = [(start, end)]
    if c["renew_after"] is not None:
        on = start + timedelta(days=c["renew_after"])
        app.renew_contract(actor=ACTOR, contract_id=k, renewed_on=on, amount=Decimal(1000),
                           new_end_date=end + timedelta(days=365))
        facts.append((Fact.RENEWED, on))
        terms = [(end + timedelta(days=1), end + timedelta(days=365))]
    elif c["churn"]:
        app.churn_contract(actor=ACTOR, contract_id=k, churned_on=end, reason_category="price")
        facts.append((Fact.CHURNED, end))
        terms = []
    return {"id": cid, "start": start, "periods": periods, "facts": facts, "terms": terms}


def expected(c: dict[str, Any], ticks: list[int]) -> StagePoint:
    """The rules applied to the facts in the order they were written: commands, then ticks."""
    point = StagePoint("signed", None)
    for fact, on in c["facts"]:
        point = step(point, fact, on) or point
    for t in ticks:
        today = day(t)
        open_terms = [end for start, end in c["terms"] if start <= today]
        for _, _, after in time_facts(point, c["start"], c["periods"],
                                      max(open_terms, default=None), today):
            point = after
    return point


@pytest.mark.parametrize("kind", STORES)
@settings(max_examples=examples(4), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(history=HISTORY, times=st.lists(st.integers(-100, 200), min_size=1, max_size=3))
def test_live_stages_are_the_rules_and_replay_the_same(kind: str, history: list[dict[str, Any]],
                                                       times: list[int]) -> None:
    ticks = sorted(times)
    with world(kind, "stages") as (app, models, _):
        written = [write(app, i, c) for i, c in enumerate(history)]
        for t in ticks:
            ticked(app, models, t)
        today = day(ticks[-1])
        with models.read() as conn:
            board = lifecycle_board(conn, today=today)
        rows = dump(models, ["customers"])["customers"]
        table = next(iter(rows.values()))
        for c in written:
            want = expected(c, ticks)
            customer = app.load(Customer, c["id"])
            row = table[c["id"]] if c["id"] in table else table[(c["id"],)]
            assert (customer.stage, customer.stage_since) == (want.stage, want.since)
            assert (row["stage"], row["stage_since"]) == (want.stage, want.since)
        # Every customer exactly once on the board; a renewal term is never onboarding.
        placed: list[UUID] = [e["customer_id"] for p in board["phases"] for e in p["customers"]]
        assert sorted(placed) == sorted(c["id"] for c in written)
        for p in board["phases"]:
            for e in p["customers"]:
                if e["first_term"] is False:
                    assert p["phase"] != "onboarding"
                if e["contract_id"] is not None and e["day"] is not None \
                        and e["stage"] != "churned":
                    assert p["phase"] in TERM_PHASES
        # Replaying the log (a rebuild of the views) gives the same stages.
        rebuild(app, models, ["customers"])
        assert dump(models, ["customers"])["customers"] == rows
