"""Subscription (product term): events per command, refused transitions, validation."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cs_domain.app import CustomerSuccess
from cs_domain.errors import InvalidInput, StaleVersion, TransitionNotAllowed
from cs_domain.subscription import ALLOWED_FROM, Subscription, SubscriptionStatus
from tests.domain.delivery_support import (
    event_names,
    last_event,
    new_contract,
    new_customer,
    replay,
    state,
)
from tests.profiles import examples

START, END = date(2025, 1, 1), date(2025, 12, 31)


@pytest.fixture
def customer(app: CustomerSuccess, csm: UUID) -> UUID:
    return new_customer(app, csm)


def provision(app: CustomerSuccess, customer: UUID, **overrides: object) -> UUID:
    args: dict = dict(actor="csm-1", customer_id=customer, product="Clinic Suite", seats=20,
                      start_date=START, end_date=END)
    args.update(overrides)
    return app.provision_subscription(**args).id


def test_provision_records_the_term_and_its_contract(app: CustomerSuccess, customer: UUID):
    contract = new_contract(app, customer)
    result = app.provision_subscription(
        actor="csm-1", customer_id=customer, contract_id=contract, product=" Clinic Suite ",
        seats=20, start_date=START, end_date=END)
    assert result.version == 1 and result.position == app.max_position()
    event = last_event(app, result.id)
    assert type(event).__name__ == "Provisioned"
    assert (event.actor, event.customer_id, event.contract_id, event.product, event.seats,
            event.start_date, event.end_date) == (
        "csm-1", customer, contract, "Clinic Suite", 20, START, END)
    assert app.load(Subscription, result.id).status == "provisioned"


def test_node_flow_emits_one_event_per_step(app: CustomerSuccess, customer: UUID):
    sid = provision(app, customer)
    app.activate_subscription(actor="a", subscription_id=sid, activated_on=date(2025, 1, 2))
    app.suspend_subscription(actor="a", subscription_id=sid, suspended_on=date(2025, 3, 1),
                             reason="unpaid invoice")
    app.resume_subscription(actor="a", subscription_id=sid, resumed_on=date(2025, 3, 10))
    app.change_subscription_seats(actor="a", subscription_id=sid, seats=25,
                                  effective_on=date(2025, 4, 1), note="new branch")
    result = app.expire_subscription(actor="a", subscription_id=sid, expired_on=END)
    assert event_names(app, sid) == ["Provisioned", "Activated", "Suspended", "Resumed",
                                     "SeatsChanged", "Expired"]
    seats = [e for e in app.repository.event_store.get(sid)][4]
    assert (seats.seats, seats.previous_seats, seats.effective_on) == (25, 20, date(2025, 4, 1))
    sub = app.load(Subscription, sid)
    assert (sub.status, sub.seats, sub.expired_on, sub.version) == ("expired", 25, END, 6)
    assert result.version == 6


@pytest.mark.parametrize("contract_case", ["missing", "other_customer"])
def test_contract_must_exist_and_be_the_customers(app: CustomerSuccess, customer: UUID, csm: UUID,
                                                  contract_case: str):
    if contract_case == "missing":
        contract = uuid4()
    else:
        contract = new_contract(app, new_customer(app, csm, "Other Clinic"), number="C-9")
    before = app.max_position()
    with pytest.raises(InvalidInput) as err:
        provision(app, customer, contract_id=contract)
    assert [e.field for e in err.value.errors] == ["contract_id"]
    assert app.max_position() == before


def test_unknown_customer_is_refused_and_nothing_written(app: CustomerSuccess):
    before = app.max_position()
    with pytest.raises(InvalidInput) as err:
        provision(app, uuid4())
    assert err.value.errors[0].field == "customer_id"
    assert app.max_position() == before


@pytest.mark.parametrize(("overrides", "fields"), [
    ({"seats": 0}, ["seats"]),
    ({"seats": -3}, ["seats"]),
    ({"seats": True}, ["seats"]),
    ({"seats": 2.5}, ["seats"]),
    ({"end_date": START}, ["end_date"]),
    ({"end_date": START - timedelta(days=1), "product": " "}, ["product", "end_date"]),
])
def test_invalid_terms_name_their_fields(app: CustomerSuccess, customer: UUID, overrides: dict,
                                         fields: list[str]):
    before = app.max_position()
    with pytest.raises(InvalidInput) as err:
        provision(app, customer, **overrides)
    assert [e.field for e in err.value.errors] == fields
    assert app.max_position() == before


def test_refused_transitions_write_nothing(app: CustomerSuccess, customer: UUID):
    sid = provision(app, customer)
    before = app.max_position()
    with pytest.raises(TransitionNotAllowed):
        app.suspend_subscription(actor="a", subscription_id=sid, suspended_on=START, reason="x")
    with pytest.raises(TransitionNotAllowed):
        app.expire_subscription(actor="a", subscription_id=sid, expired_on=END)
    app.activate_subscription(actor="a", subscription_id=sid, activated_on=START)
    app.expire_subscription(actor="a", subscription_id=sid, expired_on=END)
    after_expiry = app.max_position()
    for call in (
        lambda: app.resume_subscription(actor="a", subscription_id=sid, resumed_on=END),
        lambda: app.activate_subscription(actor="a", subscription_id=sid, activated_on=END),
        lambda: app.change_subscription_seats(actor="a", subscription_id=sid, seats=3,
                                              effective_on=END),
    ):
        with pytest.raises(TransitionNotAllowed):
            call()
    assert app.max_position() == after_expiry > before


def test_step_dates_never_go_backwards_and_stale_versions_conflict(app: CustomerSuccess,
                                                                  customer: UUID):
    sid = provision(app, customer)
    app.activate_subscription(actor="a", subscription_id=sid, activated_on=date(2025, 2, 1))
    with pytest.raises(InvalidInput) as err:
        app.suspend_subscription(actor="a", subscription_id=sid, suspended_on=date(2025, 1, 31),
                                 reason="late payment")
    assert err.value.errors[0].field == "suspended_on"
    with pytest.raises(StaleVersion):
        app.suspend_subscription(actor="a", subscription_id=sid, suspended_on=date(2025, 2, 2),
                                 reason="late payment", expected_version=1)
    with pytest.raises(InvalidInput) as same:
        app.change_subscription_seats(actor="a", subscription_id=sid, seats=20,
                                      effective_on=date(2025, 2, 2))
    assert same.value.errors[0].field == "seats"


# --- the transition matrix, on the aggregate alone (no store needed) --------------------
ACTIONS = {
    "activate": lambda s, on: s.activate(actor="a", activated_on=on),
    "suspend": lambda s, on: s.suspend(actor="a", suspended_on=on, reason="r"),
    "resume": lambda s, on: s.resume(actor="a", resumed_on=on),
    "expire": lambda s, on: s.expire(actor="a", expired_on=on),
    "change the seats of": lambda s, on: s.change_seats(actor="a", seats=s.seats + 1,
                                                        effective_on=on),
}
NEXT_STATUS = {"activate": "active", "suspend": "suspended", "resume": "active",
               "expire": "expired"}


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.sampled_from(sorted(ACTIONS)), max_size=12))
def test_random_command_sequences_follow_the_node_flow(actions: list[str]):
    sub = Subscription.provision(actor="a", customer_id=uuid4(), product="p", seats=1,
                                 start_date=START, end_date=END)
    expected = SubscriptionStatus.PROVISIONED.value
    for i, action in enumerate(actions):
        allowed = expected in ALLOWED_FROM[action]
        try:
            ACTIONS[action](sub, START + timedelta(days=i))
        except TransitionNotAllowed:
            assert not allowed
        else:
            assert allowed
            expected = NEXT_STATUS.get(action, expected)
        assert sub.status == expected
    rebuilt = replay(list(sub.collect_events()))
    assert state(rebuilt) == state(sub)
