"""Benchmark case (seed 001 §二.6) and referral (§二.7): the pipeline and the referral steps
follow their tables whatever is tried; criteria are judged from the facts; bad input names
its field."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_domain import benchmark, referral
from cs_domain.app import CustomerSuccess
from cs_domain.benchmark import BenchmarkCase, all_modules_used, case_id, outcome_measured
from cs_domain.errors import DuplicateKey, InvalidInput, TransitionNotAllowed
from cs_domain.referral import Referral
from tests.domain.helpers import event_names

D0 = date(2025, 6, 2)
OWNER = uuid.uuid4()


def new_case() -> BenchmarkCase:
    return BenchmarkCase.nominate(actor="u", customer_id=uuid.uuid4(), title="Acme", on=D0)


CASE_CALLS = {
    "build": lambda c: c.advance(actor="u", step="build", on=D0),
    "replicate": lambda c: c.advance(actor="u", step="replicate", on=D0, note="sales"),
    "upgrade": lambda c: c.advance(actor="u", step="upgrade", on=D0),
    "replicate again": lambda c: c.advance(actor="u", step="replicate again", on=D0),
    "drop": lambda c: c.drop(actor="u", reason="declined", on=D0),
}
CASE_TARGET = {"build": "built", "replicate": "replicated", "upgrade": "upgraded",
               "replicate again": "replicated_again", "drop": "dropped"}


@given(st.lists(st.sampled_from(sorted(CASE_CALLS)), max_size=10))
def test_the_pipeline_never_skips_a_stage(steps):
    c = new_case()
    for step in steps:
        before, version = c.stage, c.version
        if before in benchmark.STEPS[step]:
            CASE_CALLS[step](c)
            assert (c.stage, c.version) == (CASE_TARGET[step], version + 1)
        else:
            with pytest.raises(TransitionNotAllowed):
                CASE_CALLS[step](c)
            assert (c.stage, c.version) == (before, version)


def test_recognition_and_outcome_are_recorded_until_dropped():
    c = new_case()
    c.record_recognition(actor="u", industry_known=True, note="association board", on=D0)
    c.record_outcome(actor="u", cost_down_pct=Decimal("12.5"), note="hours", measured_on=D0)
    assert (c.industry_known, c.cost_down_pct, c.growth_pct) == (True, Decimal("12.5"), None)
    for kwargs, fields in [({}, {"cost_down_pct"}),
                           ({"growth_pct": Decimal(0)}, {"growth_pct"}),
                           ({"growth_pct": Decimal("1000.01")}, {"growth_pct"}),
                           ({"cost_down_pct": Decimal("1.234")}, {"cost_down_pct"}),
                           ({"growth_pct": Decimal(5), "note": " "}, {"note"})]:
        with pytest.raises(InvalidInput) as err:
            c.record_outcome(actor="u", measured_on=D0, **{"note": "n", **kwargs})
        assert {e.field for e in err.value.errors} == fields, kwargs
    with pytest.raises(InvalidInput) as err:
        c.record_recognition(actor="u", industry_known="yes", note="n", on=D0)  # type: ignore[arg-type]
    assert [e.field for e in err.value.errors] == ["industry_known"]
    with pytest.raises(InvalidInput) as err:
        c.advance(actor="u", step="build", on=D0 - timedelta(days=1))
    assert [e.field for e in err.value.errors] == ["on"]
    c.drop(actor="u", reason="declined", on=D0)
    with pytest.raises(TransitionNotAllowed):
        c.record_outcome(actor="u", growth_pct=Decimal(1), note="n", measured_on=D0)


@pytest.mark.parametrize(("adoption", "used", "available", "met"), [
    (Decimal("0.90"), None, None, True), (Decimal("0.89"), None, None, False),
    (Decimal("0.10"), 12, 12, True), (Decimal("1"), 11, 12, False), (None, None, None, False),
    (Decimal("1"), 0, 0, False),
])
def test_all_modules_used_from_one_usage_report(adoption, used, available, met):
    assert all_modules_used(adoption, used, available) is met


def test_outcome_is_measured_by_a_figure_above_zero():
    assert outcome_measured(Decimal("0.5"), None) and outcome_measured(None, Decimal(3))
    assert not outcome_measured(None, None)


def test_one_case_per_customer(app: CustomerSuccess, customer):
    made = app.nominate_benchmark_case(actor="u", customer_id=customer, title="Acme", on=D0)
    assert made.id == case_id(customer)
    head = app.max_position()
    with pytest.raises(DuplicateKey) as err:
        app.nominate_benchmark_case(actor="u", customer_id=customer, title="Again", on=D0)
    assert err.value.field == "customer_id" and app.max_position() == head


def new_referral(**overrides: object) -> Referral:
    args: dict = dict(actor="u", customer_id=uuid.uuid4(), credited_owner_id=OWNER,
                      prospect_name="Bright Smile", incentive_policy="2025 bonus", on=D0)
    args.update(overrides)
    return Referral.introduce(**args)


REFERRAL_CALLS = {
    "contact": lambda r: r.contact(actor="u", on=D0),
    "propose": lambda r: r.propose(actor="u", on=D0),
    "win": lambda r: r.win(actor="u", on=D0, deal_amount=Decimal("36000.00"), currency="CNY"),
    "lose": lambda r: r.lose(actor="u", reason="cheaper system", on=D0),
}
REFERRAL_TARGET = {"contact": "contacted", "propose": "proposal", "win": "won", "lose": "lost"}


@given(st.lists(st.sampled_from(sorted(REFERRAL_CALLS)), max_size=8))
def test_referral_steps_follow_the_table(steps):
    r = new_referral()
    for step in steps:
        before, version = r.status, r.version
        if before in referral.STEPS[step]:
            REFERRAL_CALLS[step](r)
            assert (r.status, r.version) == (REFERRAL_TARGET[step], version + 1)
        else:
            with pytest.raises(TransitionNotAllowed):
                REFERRAL_CALLS[step](r)
            assert (r.status, r.version) == (before, version)


@pytest.mark.parametrize(("fields", "overrides"), [
    ({"prospect_name"}, {"prospect_name": ""}),
    ({"prospect_name"}, {"prospect_name": "x" * 201}),
    ({"incentive_policy"}, {"incentive_policy": " "}),
    ({"incentive_currency"}, {"incentive_amount": Decimal("10")}),
    ({"incentive_amount"}, {"incentive_currency": "CNY"}),
    ({"incentive_amount"}, {"incentive_amount": Decimal("0"), "incentive_currency": "CNY"}),
    ({"incentive_text"}, {"incentive_text": "t" * 501}),
    ({"incentive_text"}, {"incentive_text": "two free days", "incentive_amount": Decimal(5),
                          "incentive_currency": "CNY"}),
])
def test_introduction_names_the_bad_field(fields, overrides):
    with pytest.raises(InvalidInput) as err:
        new_referral(**overrides)
    assert {e.field for e in err.value.errors} == fields


def test_referral_is_credited_to_the_customers_owner(app: CustomerSuccess, customer, csm):
    made = app.introduce_referral(actor="u", customer_id=customer, prospect_name="Bright",
                                  incentive_policy="2025 bonus", incentive_text="free training",
                                  on=D0)
    assert app.load(Referral, made.id).credited_owner_id == csm
    app.contact_referral(actor="u", referral_id=made.id, on=D0)
    app.lose_referral(actor="u", referral_id=made.id, reason="budget", on=D0)
    assert event_names(app, made.id) == ["Introduced", "Contacted", "Lost"]
