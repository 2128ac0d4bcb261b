"""Properties of the renewal-rate rules that need no store: the rate valid on a date, and
`overall` counting each customer once across currencies (docs/rules.md)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from projections.views.contracts import Tally
from projections.views.reporting import RateBook

DAY0 = date(2025, 1, 1)
days = st.integers(0, 800).map(lambda n: DAY0 + timedelta(days=n))
rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(1000), places=4)


@given(st.dictionaries(days, rates, max_size=8), days)
def test_the_rate_of_a_day_is_the_latest_valid_from_on_or_before_it(book: dict[date, Decimal],
                                                                   on: date):
    found = RateBook("EUR", {"USD": sorted(book.items())}).rate("USD", on)
    earlier = [d for d in book if d <= on]
    assert found == (book[max(earlier)] if earlier else None)
    assert RateBook("EUR", {}).rate("EUR", on) == 1  # the reporting currency itself
    assert RateBook("EUR", {}).rate("GBP", on) is None


customers = st.sampled_from([UUID(int=n) for n in range(1, 6)])
contract_rows = st.lists(st.builds(
    lambda customer, currency, status: SimpleNamespace(
        customer_id=customer, currency=currency, status=status, amount=Decimal(100),
        renewal_amount=Decimal(110) if status == "renewed" else None,
        churn_reason="price" if status == "churned" else None),
    customers, st.sampled_from(["EUR", "USD", "CNY"]),
    st.sampled_from(["signed", "active", "renewed", "churned"])), max_size=15)


@given(contract_rows)
def test_overall_counts_each_customer_once_whatever_the_currency(rows: list[SimpleNamespace]):
    overall, per = Tally(), {}
    for row in rows:
        overall.add(row)
        per.setdefault(row.currency, Tally()).add(row)
    figures = overall.customers()
    assert overall.due == set().union(*(t.due for t in per.values()))
    assert overall.renewed == {r.customer_id for r in rows if r.status == "renewed"}
    assert overall.churned == {r.customer_id for r in rows if r.status == "churned"}
    assert figures["due_customers"] <= sum(len(t.due) for t in per.values())
    assert figures["renewed_customers"] <= figures["due_customers"]
    if rows:
        assert figures["renewal_rate"] == (
            Decimal(len(overall.renewed)) / len(overall.due)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP)
    else:
        assert figures["renewal_rate"] is None
