"""The wire types of the views' typed results (ADR 0008) read as the API's own types."""

from __future__ import annotations

from decimal import Decimal

from pydantic import TypeAdapter

from api.schemas.common import Amount
from projections.shapes import Money


def test_money_is_written_as_amount_is() -> None:
    money, amount = TypeAdapter(Money), TypeAdapter(Amount)
    for value in (Decimal("12000.00"), Decimal("1E+3"), Decimal("0.1250"), Decimal("-5")):
        assert money.dump_json(value) == amount.dump_json(amount.validate_python(value))
    assert money.dump_json(Decimal("1E+3")) == b'"1000"'


def test_money_documents_itself_as_amount_does() -> None:
    assert (TypeAdapter(Money).json_schema(mode="serialization")
            == TypeAdapter(Amount).json_schema(mode="serialization"))
