"""The input edge (issue 10): bounds, body size, authentication before parsing, bad
encodings, 405 Allow. Each test failed on main before the hardening."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest

from cs_store.settings import Settings
from tests.api.conftest import ADMIN, Api, admin_settings, started
from tests.api.test_errors import assert_problem, contract_body, fields

JSON = {**ADMIN, "content-type": "application/json"}


@pytest.fixture
def csm(api: Api) -> Any:
    return api.user("csm")


@pytest.fixture
def customer(api: Api, csm: Any) -> str:
    return api.customer(csm)


# --- finding 7: extreme dates in queries ------------------------------------------------
@pytest.mark.parametrize("query", [
    "/customers?today=9999-12-31&expiring_within_days=30",
    "/tasks?today=9999-12-31",
    "/metrics/activation?from=0001-01-01&to=0001-12-31",
    "/customers?today=1899-12-31",
    "/renewals?from=2025-01-01&to=2200-01-01",
])
def test_query_dates_beyond_the_bounds_are_422_naming_the_parameter(api: Api, query: str) -> None:
    r = api.request("GET", query)
    names = set(fields(assert_problem(r, 422, "validation-error")))
    assert names & {"today", "from", "to"}, r.text


def test_a_customer_read_at_year_one_is_422(api: Api, customer: str) -> None:
    r = api.request("GET", f"/customers/{customer}?today=0001-01-01")
    assert set(fields(assert_problem(r, 422, "validation-error"))) == {"today"}
    # as_of is knowledge time, not a business date: any moment reads (none overflows).
    r = api.request("GET", f"/customers/{customer}?as_of=0001-01-01T00:00:00%2B14:00")
    assert r.status_code in (404, 422), r.text


def test_dates_at_the_bounds_are_read(api: Api, customer: str) -> None:
    for today in ("1900-01-01", "2199-12-31"):
        assert api.request("GET", f"/customers?today={today}&expiring_within_days=36600"
                           ).status_code == 200
        # no projector runs here: 404 (not yet in the view), but never 422 or 500
        assert api.request("GET", f"/customers/{customer}?today={today}").status_code in (200, 404)


# --- command bounds ---------------------------------------------------------------------
def test_a_usage_report_at_year_one_is_refused(api: Api, customer: str) -> None:
    head = api.head()
    r = api.post(f"/customers/{customer}/usage", {
        "period_start": "0001-01-01", "period_end": "0001-01-07", "active_days_per_week": 3,
        "feature_adoption": "0.5", "open_issues": 0})
    assert "period_start" in fields(assert_problem(r, 422, "validation-error"))
    assert api.head() == head


@pytest.mark.parametrize("amount", ["1e10000000", " 5 ", "1_000", "+5", "NaN", "Infinity",
                                    "5.", ".5", "1234567890123456", "1.12345", "0x10"])
def test_non_canonical_or_unbounded_amount_texts_are_422(api: Api, customer: str,
                                                         amount: str) -> None:
    head = api.head()
    r = api.post("/contracts", contract_body(customer, amount=amount))
    assert set(fields(assert_problem(r, 422, "validation-error"))) == {"amount"}, amount
    assert api.head() == head


@pytest.mark.parametrize("raw", ["1e10000000", "1234567890123456", "1.001"])
def test_unbounded_amount_numbers_are_422(api: Api, customer: str, raw: str) -> None:
    # 1.001 passes the schema's 4 places; the domain refuses EUR's third place.
    body = json.dumps(contract_body(customer, amount="__")).replace('"__"', raw)
    r = api.client.post("/api/v1/contracts", content=body.encode(), headers=JSON)
    assert set(fields(assert_problem(r, 422, "validation-error"))) == {"amount"}, raw


def test_amounts_at_the_bounds_are_accepted(api: Api, customer: str) -> None:
    for amount in ("999999999999999.99", "-0", "0.01"):
        r = api.post("/contracts", contract_body(customer, amount=amount))
        assert r.status_code == 201 or "amount" in fields(r.json()), r.text
    r = api.post("/contracts", contract_body(customer, amount="999999999999999.99"))
    assert r.status_code == 201, r.text


def test_texts_and_lists_have_a_documented_maximum(api: Api, customer: str) -> None:
    head = api.head()
    contract = api.contract(customer, status="active")
    cases: list[tuple[str, dict[str, Any], str]] = [
        (f"/contracts/{contract}/renewal-intent", {"intent": "high", "note": "x" * 5001}, "note"),
        (f"/customers/{customer}/expectations",
         {"expectations": ["x" * 501], "agreed_on": "2025-01-01"}, "expectations.0"),
        (f"/customers/{customer}/expectations",
         {"expectations": ["x"] * 51, "agreed_on": "2025-01-01"}, "expectations"),
        ("/customers", {"name": "x" * 201, "tier": "growth", "owner_id": str(uuid4())}, "name"),
    ]
    head = api.head()
    for path, body, field in cases:
        r = api.post(path, body)
        assert field in fields(assert_problem(r, 422, "validation-error")), (path, r.text)
    assert api.head() == head


def test_the_openapi_declares_the_bounds(api: Api) -> None:
    schemas = api.client.get("/openapi.json").json()["components"]["schemas"]
    intent = schemas["RenewalIntentSet"]["properties"]["note"]["anyOf"][0]
    assert intent["maxLength"] == 5000
    expectations = schemas["ExpectationsAgree"]["properties"]["expectations"]
    assert expectations["maxItems"] == 50 and expectations["items"]["maxLength"] == 500
    start = schemas["ContractCreate"]["properties"]["start_date"]
    assert (start["formatMinimum"], start["formatMaximum"]) == ("1900-01-01", "2199-12-31")
    assert schemas["UsageReportIn"]["properties"]["nps"]["maximum"] == 100


# --- request size and authentication before parsing -----------------------------------
@pytest.fixture
def small_api(settings: Settings) -> Iterator[Api]:
    limited = admin_settings(settings).model_copy(update={"max_body_bytes": 2048})
    with started(limited) as client:
        yield Api(client)


def test_a_body_over_the_limit_is_413_before_it_is_read(small_api: Api) -> None:
    head = small_api.head()
    body = json.dumps({"name": "x" * 4000, "tier": "growth", "owner_id": str(uuid4())})
    r = small_api.client.post("/api/v1/customers", content=body.encode(), headers=JSON)
    assert_problem(r, 413, "payload-too-large")
    assert small_api.head() == head


def test_a_chunked_body_over_the_limit_is_413(small_api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"name": "'
        for _ in range(100):
            yield b"x" * 100
        yield b'"}'

    r = small_api.client.post("/api/v1/customers", content=chunks(), headers=JSON)
    assert "content-length" not in r.request.headers
    assert_problem(r, 413, "payload-too-large")


def test_the_default_limit_is_one_mebibyte(api: Api) -> None:
    assert Settings().max_body_bytes == 1_048_576
    r = api.client.post("/api/v1/customers", content=b" " * (1_048_576 + 1), headers=JSON)
    assert_problem(r, 413, "payload-too-large")


def test_unauthenticated_body_is_401_without_parsing_it(api: Api) -> None:
    # Deep nesting is what parsing would trip on: a 401 shows the body was never parsed.
    body = b"[" * 100_000 + b"]" * 100_000
    started_at = time.monotonic()
    r = api.client.post("/api/v1/customers", content=body,
                        headers={"content-type": "application/json"})
    assert_problem(r, 401, "unauthorized")
    r = api.client.post("/api/v1/customers", content=body,
                        headers={"content-type": "application/json",
                                 "Authorization": "Bearer wrong"})
    assert_problem(r, 401, "unauthorized")
    assert time.monotonic() - started_at < 5


# --- bad encodings, surrogates, deep nesting -------------------------------------------
@pytest.mark.parametrize("raw", [
    b'{"name": "a\\ud800b", "tier": "growth", "owner_id": "%s"}',
    b'{"name": "ok", "tier": "growth", "owner_id": "%s", "\\udfff": 1}',
    b'{"name": "\xed\xa0\x80", "tier": "growth", "owner_id": "%s"}',
    b'{"name": "caf\xe9", "tier": "growth", "owner_id": "%s"}',
])
def test_surrogates_and_invalid_utf8_are_malformed_json(api: Api, csm: Any, raw: bytes) -> None:
    head = api.head()
    r = api.client.post("/api/v1/customers", content=raw % str(csm.id).encode(), headers=JSON)
    assert_problem(r, 400, "malformed-json")
    assert api.head() == head
    assert api.request("GET", "/users/me").status_code == 200  # the server carries on


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_deep_nesting_is_malformed_json(api: Api, depth: int) -> None:
    body = b'{"name": ' + b"[" * depth + b"]" * depth + b"}"
    r = api.client.post("/api/v1/customers", content=body, headers=JSON)
    assert "nested deeper" in assert_problem(r, 400, "malformed-json")["detail"]


# --- 405 names every method of the path ------------------------------------------------
def test_405_allow_lists_every_method_of_the_path(api: Api, customer: str) -> None:
    r = api.request("DELETE", f"/customers/{customer}")
    assert_problem(r, 405, "method-not-allowed")
    allowed = {m.strip() for m in r.headers["allow"].split(",")}
    assert {"GET", "PATCH"} <= allowed and "DELETE" not in allowed
