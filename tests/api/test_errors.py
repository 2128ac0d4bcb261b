"""Every error is application/problem+json, names what is wrong, and writes nothing."""

from __future__ import annotations

import logging
import threading
from typing import Any
from uuid import uuid4

import pytest

from api.app import create_app
from cs_store.settings import Settings
from tests.api.conftest import ADMIN, Api, TestClient

PROBLEM = "application/problem+json"


def assert_problem(r: Any, status: int, slug: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["type"] == f"https://cs-ledger.dev/problems/{slug}"
    assert body["status"] == status
    assert body["title"] and body["detail"]
    assert body["instance"] == r.request.url.path
    return body  # type: ignore[no-any-return]


def fields(body: dict[str, Any]) -> dict[str, str]:
    return {e["field"]: e["message"] for e in body["errors"]}


@pytest.fixture
def csm(api: Api):
    return api.user("csm")


@pytest.fixture
def customer(api: Api, csm) -> str:
    return api.customer(csm)


def contract_body(customer: str, **changes: Any) -> dict[str, Any]:
    return {"customer_id": customer, "number": f"C-{uuid4().hex[:8]}", "amount": "100.00",
            "currency": "EUR", "start_date": "2025-01-01", "end_date": "2025-12-31", **changes}


# --- routing ---------------------------------------------------------------------------
def test_unknown_route_is_404(api: Api):
    for path in ("/api/v1/nowhere", "/nowhere", "/api/v2/customers"):
        assert_problem(api.client.get(path, headers=ADMIN), 404, "not-found")


def test_wrong_method_is_405_with_allow(api: Api):
    r = api.client.put("/api/v1/contracts", headers=ADMIN, json={})
    body = assert_problem(r, 405, "method-not-allowed")
    assert r.headers["allow"] == "POST"
    assert "PUT" in body["detail"]


# --- bodies ---------------------------------------------------------------------------
def test_malformed_json_is_400_and_writes_nothing(api: Api):
    head = api.head()
    for raw in (b"{", b'{"name": "x",}', b"[1, 2", b'{"amount": NaN}', b'{"amount": Infinity}',
                b"\xff\xfe"):
        r = api.client.post("/api/v1/customers", content=raw,
                            headers={**ADMIN, "content-type": "application/json"})
        assert_problem(r, 400, "malformed-json")
    assert api.head() == head


def test_non_json_body_is_415(api: Api):
    r = api.client.post("/api/v1/customers", content=b"name=Acme",
                        headers={**ADMIN, "content-type": "application/x-www-form-urlencoded"})
    assert_problem(r, 415, "unsupported-media-type")


def test_missing_body_is_422_naming_the_body(api: Api):
    body = assert_problem(api.client.post("/api/v1/customers", headers=ADMIN), 422,
                          "validation-error")
    assert "body" in fields(body)


def test_validation_names_each_field(api: Api, csm):
    head = api.head()
    r = api.post("/customers", {"tier": "platinum", "owner_id": "not-a-uuid", "nickname": "x"})
    got = fields(assert_problem(r, 422, "validation-error"))
    assert set(got) == {"name", "tier", "owner_id", "nickname"}
    assert "strategic" in got["tier"]
    assert api.head() == head


def test_nested_fields_are_dotted_paths(api: Api, customer: str):
    r = api.post(f"/customers/{customer}/handover", {
        "sales_rep": "Zhao", "handed_over_on": "2025-01-02", "summary": "s",
        "expectations": ["fine", 3]})
    assert set(fields(assert_problem(r, 422, "validation-error"))) == {"expectations.1"}


def test_dates_must_be_iso_dates(api: Api, customer: str):
    for value in (20250101, "2025-1-1", "01/02/2025", "2025-02-30", None, "2025-01-01T00:00:00"):
        r = api.post("/contracts", contract_body(customer, start_date=value))
        assert "start_date" in fields(assert_problem(r, 422, "validation-error")), value


def test_query_parameters_are_validated_by_name(api: Api):
    r = api.client.get("/api/v1/events?limit=5000&after=-1", headers=ADMIN)
    assert set(fields(assert_problem(r, 422, "validation-error"))) == {"limit", "after"}


def test_path_ids_are_validated(api: Api):
    r = api.post("/contracts/not-an-id/sign", {"signed_on": "2025-01-01"})
    assert set(fields(assert_problem(r, 422, "validation-error"))) == {"contract_id"}


# --- amounts -------------------------------------------------------------------------------
def test_amounts_are_read_exactly(api: Api, customer: str):
    for raw, expected in [
        ("1200.10", "1200.10"), ('"1200.10"', "1200.10"), ("1200", "1200"),
        ("123456789012345.67", "123456789012345.67"), ("1e3", "1000"), ('"0.05"', "0.05"),
    ]:
        number = f"C-{uuid4().hex[:8]}"
        body = (f'{{"customer_id": "{customer}", "number": "{number}", "amount": {raw}, '
                f'"currency": "EUR", "start_date": "2025-01-01", "end_date": "2025-12-31"}}')
        r = api.client.post("/api/v1/contracts", content=body.encode(),
                            headers={**ADMIN, "content-type": "application/json"})
        assert r.status_code == 201, r.text
        drafted = [e for e in api.events() if e["type"] == "Contract.Drafted"][-1]
        assert drafted["data"]["amount"] == expected, raw


def test_bad_amounts_are_422_on_amount(api: Api, customer: str):
    head = api.head()
    for amount in ("-5", "0", "abc", True, "NaN", "Infinity"):
        r = api.post("/contracts", contract_body(customer, amount=amount))
        assert "amount" in fields(assert_problem(r, 422, "validation-error")), amount
    assert api.head() == head


# --- domain refusals ------------------------------------------------------------------------
def test_domain_validation_names_the_domain_field(api: Api, customer: str):
    head = api.head()
    r = api.post("/contracts", contract_body(customer, end_date="2024-01-01", currency="euro"))
    assert set(fields(assert_problem(r, 422, "validation-error"))) == {"end_date", "currency"}
    assert api.head() == head


def test_reference_to_a_missing_customer_is_422(api: Api):
    r = api.post("/contracts", contract_body(str(uuid4())))
    assert "customer_id" in fields(assert_problem(r, 422, "validation-error"))


@pytest.mark.parametrize("path,body", [
    ("/contracts/{id}/sign", {"signed_on": "2025-01-01"}),
    ("/customers/{id}/stage", {"stage": "growth", "effective_on": "2025-01-01"}),
    ("/users/{id}/role", {"role": "csm"}),
])
def test_unknown_id_is_404(api: Api, path: str, body: dict[str, Any]):
    head = api.head()
    assert_problem(api.post(path.format(id=uuid4()), body), 404, "not-found")
    assert api.head() == head


def test_transition_the_state_forbids_is_409(api: Api, customer: str):
    contract = api.contract(customer)
    head = api.head()
    r = api.post(f"/contracts/{contract}/renew",
                 {"renewed_on": "2025-12-01", "amount": "1", "new_end_date": "2026-12-31"})
    assert assert_problem(r, 409, "transition-not-allowed")["state"] == "draft"
    assert api.head() == head


def test_duplicate_contract_number_is_409(api: Api, customer: str):
    api.ok("POST", "/contracts", contract_body(customer, number="DUP-1"))
    head = api.head()
    r = api.post("/contracts", contract_body(customer, number="dup-1"))
    assert assert_problem(r, 409, "duplicate-key")["field"] == "number"
    assert api.head() == head


def test_concurrent_transitions_give_one_success_and_409s(api: Api, customer: str):
    contract = api.contract(customer)
    head = api.head()
    statuses: list[int] = []

    def sign() -> None:
        r = api.post(f"/contracts/{contract}/sign", {"signed_on": "2025-01-01"})
        statuses.append(r.status_code)

    threads = [threading.Thread(target=sign) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200] + [409] * 5
    assert api.head() == head + 1


# --- If-Match ------------------------------------------------------------------------
def test_stale_if_match_is_412_and_writes_nothing(api: Api, customer: str):
    api.ok("PATCH", f"/customers/{customer}", {"region": "East"})  # now version 2
    head = api.head()
    r = api.request("PATCH", f"/customers/{customer}", {**ADMIN, "If-Match": "1"},
                    json={"region": "West"})
    body = assert_problem(r, 412, "stale-version")
    assert (body["expected_version"], body["current_version"]) == (1, 2)
    assert api.head() == head


def test_if_match_forms(api: Api, customer: str):
    for version, form in enumerate(["{}", '"{}"', 'W/"{}"', " {} ", "*"], start=1):
        r = api.request("PATCH", f"/customers/{customer}", {**ADMIN, "If-Match": form.format(version)},
                        json={"region": f"R{version}"})
        assert r.status_code == 200, (form, r.text)
        assert r.json()["version"] == version + 1 and r.headers["etag"] == f'"{version + 1}"'


def test_malformed_if_match_is_422_on_the_header(api: Api, customer: str):
    head = api.head()
    for header in ("two", "-1", '"2', "1.5", "2, 3"):
        r = api.request("PATCH", f"/customers/{customer}", {**ADMIN, "If-Match": header},
                        json={"region": "West"})
        assert "If-Match" in fields(assert_problem(r, 422, "validation-error")), header
    assert api.head() == head


# --- unexpected failures ---------------------------------------------------------------
def test_unexpected_failure_is_500_without_trace_and_logged(
    api_settings: Settings, caplog: pytest.LogCaptureFixture
):
    app = create_app(api_settings, run_projectors=False)

    def explode() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    app.add_api_route("/api/v1/test-only/explode", explode, methods=["GET"])
    with caplog.at_level(logging.ERROR, logger="api.errors"), \
            TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/api/v1/test-only/explode", headers=ADMIN)
    body = assert_problem(r, 500, "internal-error")
    assert "hunter2" not in r.text and "Traceback" not in r.text and "RuntimeError" not in r.text
    assert body["error_id"] in body["detail"]
    logged = [rec for rec in caplog.records if body["error_id"] in rec.getMessage()]
    assert logged and logged[0].exc_info is not None
