"""Property: whatever a client sends to a command, the answer is never a 500, and it is
either a success with a bounded event or a 4xx that wrote nothing (issue 10).

Generated texts include lone surrogates and control characters (sent as JSON escapes,
as a client would), numbers include huge, tiny, signed and non-canonical forms, dates
run from year 1 to 9999 with the bounds themselves over-represented.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cs_domain.bounds import DATE_MAX, DATE_MIN
from tests.api.conftest import ADMIN, Api
from tests.profiles import examples

JSON = {**ADMIN, "content-type": "application/json"}
MAX_EVENT_BYTES = 64 * 1024  # the largest event a bounded command can produce, with margin

any_char = st.characters(codec=None, exclude_categories=())
texts = st.one_of(
    st.text(any_char, max_size=30),
    st.sampled_from(["", " ", "a\ud800b", "\udfff", "\x00", "\x1b[31m", "\u202e", "x" * 10_001]),
)
edge_days = [DATE_MIN, DATE_MAX, DATE_MIN - timedelta(days=1), DATE_MAX + timedelta(days=1),
             date.min, date.max]
days = st.one_of(st.sampled_from(edge_days), st.dates()).map(date.isoformat)
raw_numbers = st.one_of(
    st.sampled_from(["1e10000000", "-0", "1E+400", "0.00001", "999999999999999.99",
                     "1000000000000000", "12.345", "1" * 400, "-1e-400", "NaN", "[]", "{}"]),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
text_numbers = st.one_of(st.sampled_from([" 5 ", "1_000", "+5", "5.", ".5", "0x10", "1e3", "Infinity"]),
                         raw_numbers.map(json.dumps))
numbers = st.one_of(raw_numbers, text_numbers)  # raw JSON fragments


def fragment(value: Any) -> str:
    return json.dumps(value)  # ensure_ascii: a lone surrogate travels as "\\ud800"


@st.composite
def command(draw: st.DrawFn, customer: str, contract: str, owner: str) -> tuple[str, str]:
    kind = draw(st.sampled_from(["customer", "contract", "expectations", "intent", "usage"]))
    if kind == "customer":
        return "/customers", (f'{{"name": {fragment(draw(texts))}, "tier": "growth", '
                              f'"owner_id": "{owner}", "region": {fragment(draw(texts))}}}')
    if kind == "contract":
        return "/contracts", (
            f'{{"customer_id": "{customer}", "number": {fragment(draw(texts))}, '
            f'"amount": {draw(numbers)}, "currency": "EUR", '
            f'"start_date": "{draw(days)}", "end_date": "{draw(days)}"}}')
    if kind == "expectations":
        items = draw(st.lists(texts, max_size=3))
        return f"/customers/{customer}/expectations", (
            f'{{"expectations": {fragment(items)}, "agreed_on": "{draw(days)}"}}')
    if kind == "intent":
        return f"/contracts/{contract}/renewal-intent", (
            f'{{"intent": "high", "expansion_potential": {draw(numbers)}, '
            f'"note": {fragment(draw(texts))}}}')
    return f"/customers/{customer}/usage", (
        f'{{"period_start": "{draw(days)}", "period_end": "{draw(days)}", '
        f'"active_days_per_week": {draw(numbers)}, "feature_adoption": "0.5", '
        f'"open_issues": {draw(st.sampled_from(["0", "-1", "10000000000000000", "1.5"]))}}}')


def test_the_edge_never_fails_and_never_stores_an_unbounded_event(api: Api) -> None:
    csm = api.user("csm")
    customer = api.customer(csm)
    contract = api.contract(customer, status="active")

    @settings(max_examples=examples(60), deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(command(customer, contract, str(csm.id)))
    def check(sent: tuple[str, str]) -> None:
        path, body = sent
        head = api.head()
        r = api.client.post("/api/v1" + path, content=body.encode(), headers=JSON)
        assert r.status_code < 500, (path, body[:300], r.text)
        if r.status_code >= 400:
            assert r.headers["content-type"] == "application/problem+json"
            assert api.head() == head, (path, body[:300])
            return
        for event in api.events(after=head):
            assert len(json.dumps(event)) < MAX_EVENT_BYTES, (path, body[:300])
            for key, value in event["data"].items():
                if key.endswith(("_on", "_date", "period_start", "period_end")) and value:
                    assert DATE_MIN.isoformat() <= value <= DATE_MAX.isoformat(), (key, value)

    check()
