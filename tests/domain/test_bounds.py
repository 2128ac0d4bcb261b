"""Every command's input is bounded in the domain, whatever path it comes by (issue 10).

The API's schemas declare the same bounds, but the CLI, the demo generator and any
future importer call the application service directly: these tests do too.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_domain.app import CustomerSuccess
from cs_domain.bounds import (
    DATE_MAX,
    DATE_MIN,
    MAX_ITEMS,
    MAX_TEXT,
    currency_places,
    decimal_in_bounds,
    out_of_bounds,
)
from cs_domain.errors import InvalidInput


def refused_fields(error: pytest.ExceptionInfo[InvalidInput]) -> set[str]:
    return {e.field for e in error.value.errors}


def draft(app: CustomerSuccess, customer: uuid.UUID, **fields: object) -> None:
    values: dict[str, object] = {
        "actor": "system", "customer_id": customer, "number": f"C-{uuid.uuid4().hex[:8]}",
        "amount": Decimal("100.00"), "currency": "EUR", "start_date": date(2025, 1, 1),
        "end_date": date(2025, 12, 31)}
    values.update(fields)
    app.draft_contract(**values)  # type: ignore[arg-type]


def test_usage_period_at_year_one_is_refused_and_nothing_written(
        app: CustomerSuccess, customer: uuid.UUID) -> None:
    # Finding 1: this report once stopped the automation for good.
    head = app.max_position()
    with pytest.raises(InvalidInput) as error:
        app.report_usage(actor="system", customer_id=customer, period_start=date(1, 1, 1),
                         period_end=date(1, 1, 7), active_days_per_week=3,
                         feature_adoption=Decimal("0.5"), open_issues=0)
    assert "period_start" in refused_fields(error)
    assert app.max_position() == head


@pytest.mark.parametrize("amount", [Decimal("1e10000000"), Decimal("1234567890123456"),
                                    Decimal("1.001"), Decimal("NaN"), Decimal("Infinity")])
def test_contract_amounts_out_of_bounds_are_refused(
        app: CustomerSuccess, customer: uuid.UUID, amount: Decimal) -> None:
    head = app.max_position()
    with pytest.raises(InvalidInput) as error:
        draft(app, customer, amount=amount)
    assert refused_fields(error) == {"amount"}
    assert app.max_position() == head


def test_amount_places_follow_the_currency(app: CustomerSuccess, customer: uuid.UUID) -> None:
    draft(app, customer, amount=Decimal("999999999999999.99"))
    draft(app, customer, amount=Decimal("1.125"), currency="KWD")
    with pytest.raises(InvalidInput):
        draft(app, customer, amount=Decimal("1.1255"), currency="KWD")
    assert (currency_places("EUR"), currency_places("KWD"), currency_places("CLF")) == (2, 3, 4)


def test_an_unchecked_date_of_a_plain_step_is_bounded_too(
        app: CustomerSuccess, customer: uuid.UUID) -> None:
    # Contract.sign itself checks no date: the command guard does.
    contract = app.draft_contract(
        actor="system", customer_id=customer, number="C-1", amount=Decimal("10"),
        currency="EUR", start_date=date(2025, 1, 1), end_date=date(2025, 12, 31)).id
    for day in (date(9999, 12, 31), date(1, 1, 1), DATE_MAX + timedelta(days=1)):
        with pytest.raises(InvalidInput) as error:
            app.sign_contract(actor="system", contract_id=contract, signed_on=day)
        assert refused_fields(error) == {"signed_on"}
    app.sign_contract(actor="system", contract_id=contract, signed_on=DATE_MAX)


def test_renewal_intent_note_and_expectations_are_bounded(
        app: CustomerSuccess, customer: uuid.UUID) -> None:
    contract = app.draft_contract(
        actor="system", customer_id=customer, number="C-2", amount=Decimal("10"),
        currency="EUR", start_date=date(2025, 1, 1), end_date=date(2025, 12, 31)).id
    app.sign_contract(actor="system", contract_id=contract, signed_on=date(2025, 1, 1))
    with pytest.raises(InvalidInput) as error:
        app.set_renewal_intent(actor="system", contract_id=contract, intent="high",
                               note="x" * 5001)
    assert refused_fields(error) == {"note"}
    with pytest.raises(InvalidInput) as error:
        app.set_renewal_intent(actor="system", contract_id=contract, intent="high",
                               expansion_potential=Decimal("1e10000000"))
    assert refused_fields(error) == {"expansion_potential"}
    with pytest.raises(InvalidInput) as error:
        app.agree_expectations(actor="system", customer_id=customer,
                               expectations=["ok", "x" * (MAX_TEXT + 1)], agreed_on=date(2025, 1, 1))
    assert refused_fields(error) == {"expectations[1]"}


def test_a_moment_beyond_the_bounds_is_refused(app: CustomerSuccess, customer: uuid.UUID) -> None:
    with pytest.raises(InvalidInput) as error:
        app.receive_complaint(actor="system", customer_id=customer, summary="slow", channel="phone",
                              severity="high", needs_resources=False,
                              received_at=datetime(9999, 12, 31, 23, 0, tzinfo=UTC))
    assert "received_at" in refused_fields(error)


def test_a_list_longer_than_the_ceiling_is_refused(app: CustomerSuccess,
                                                   customer: uuid.UUID) -> None:
    with pytest.raises(InvalidInput) as error:
        app.agree_expectations(actor="system", customer_id=customer,
                               expectations=["x"] * (MAX_ITEMS + 1), agreed_on=date(2025, 1, 1))
    assert refused_fields(error) == {"expectations"}


@given(st.dates())
def test_out_of_bounds_names_exactly_the_dates_outside(day: date) -> None:
    errors = out_of_bounds({"todos": [{"due_date": day}]}, "body")
    assert bool(errors) == (not DATE_MIN <= day <= DATE_MAX)
    assert all(e.field == "body.todos[0].due_date" for e in errors)


@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_decimal_bounds_keep_printed_size_small(value: Decimal) -> None:
    if decimal_in_bounds(value):
        assert len(format(value.normalize(), "f")) <= 15 + 1 + 10 + 1
