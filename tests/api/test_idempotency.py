"""Idempotency-Key: replay, refusal of a reused key, restarts, concurrency, expiry."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import select

from api.app import create_app
from api.deps import Create
from api.idempotency import IdempotencyStore, StoredResponse, api_idempotency, make_engine
from api.permissions import Action
from api.schemas.common import WriteResult
from api.writes import REPLAY_HEADER
from cs_store.settings import Settings
from tests.api.conftest import ADMIN, Api, TestClient, started


def customer_body(owner: Any) -> dict[str, Any]:
    return {"name": "Acme", "tier": "basic", "owner_id": str(owner.id)}


def keyed(key: str, headers: dict[str, str] = ADMIN) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key}


def test_retry_returns_the_first_response_and_writes_nothing(api: Api):
    csm = api.user("csm")
    first = api.post("/customers", customer_body(csm), headers=keyed("k-1"))
    assert first.status_code == 201 and REPLAY_HEADER not in first.headers
    head = api.head()
    again = api.post("/customers", customer_body(csm), headers=keyed("k-1"))
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers[REPLAY_HEADER] == "true"
    assert api.head() == head


def test_same_body_in_another_key_order_and_spacing_is_the_same_request(api: Api):
    csm = api.user("csm")
    first = api.post("/customers", customer_body(csm), headers=keyed("k-2"))
    raw = f'{{ "owner_id" : "{csm.id}",  "tier":"basic", "name": "Acme" }}'.encode()
    again = api.client.post("/api/v1/customers", content=raw,
                            headers={**keyed("k-2"), "content-type": "application/json"})
    assert again.json() == first.json() and again.headers[REPLAY_HEADER] == "true"


@pytest.mark.parametrize("change", ["body", "path", "if-match", "query"])
def test_same_key_for_a_different_request_is_422(api: Api, change: str):
    csm = api.user("csm")
    customer = api.customer(csm)
    api.ok("PATCH", f"/customers/{customer}", {"region": "A"}, headers=keyed("k-3"))
    head = api.head()
    method, path, body, headers = "PATCH", f"/customers/{customer}", {"region": "A"}, keyed("k-3")
    if change == "body":
        body = {"region": "B"}
    elif change == "path":
        method, path, body = "POST", f"/customers/{customer}/stage", {
            "stage": "onboarding", "effective_on": "2025-01-01"}
    elif change == "query":
        path += "?unexpected=1"
    else:
        headers = {**headers, "If-Match": "2"}
    r = api.request(method, path, headers, json=body)
    assert r.status_code == 422
    assert r.json()["type"].endswith("/idempotency-key-reused")
    assert api.head() == head


def test_keys_are_per_user(api: Api):
    a, b = api.user("manager"), api.user("manager")
    csm = api.user("csm")
    head = api.head()
    ra = api.post("/customers", customer_body(csm), headers=keyed("shared", a.headers))
    rb = api.post("/customers", customer_body(csm), headers=keyed("shared", b.headers))
    assert ra.status_code == rb.status_code == 201
    assert ra.json()["id"] != rb.json()["id"]
    assert api.head() == head + 2


def test_keys_survive_a_restart(api_settings: Settings):
    with started(api_settings) as client:
        api = Api(client)
        csm = api.user("csm")
        first = api.post("/customers", customer_body(csm), headers=keyed("k-restart"))
        head = api.head()
    with started(api_settings) as client:
        api = Api(client)
        again = api.post("/customers", customer_body(csm), headers=keyed("k-restart"))
        assert again.status_code == 201 and again.json() == first.json()
        assert again.headers[REPLAY_HEADER] == "true"
        assert api.head() == head


def test_a_refusal_is_replayed_too(api: Api):
    csm = api.user("csm")
    contract = api.contract(api.customer(csm))
    renew = {"renewed_on": "2025-12-01", "amount": "10", "new_end_date": "2026-12-31"}
    first = api.post(f"/contracts/{contract}/renew", renew, headers=keyed("k-409"))
    assert first.status_code == 409
    api.ok("POST", f"/contracts/{contract}/sign", {"signed_on": "2024-12-01"})
    api.ok("POST", f"/contracts/{contract}/activate", {"activated_on": "2025-01-01"})
    again = api.post(f"/contracts/{contract}/renew", renew, headers=keyed("k-409"))
    assert again.status_code == 409 and again.json() == first.json()
    assert again.headers["content-type"] == "application/problem+json"
    fresh = api.post(f"/contracts/{contract}/renew", renew, headers=keyed("k-409b"))
    assert fresh.status_code == 200


def test_after_a_stale_version_the_same_key_retries_with_the_new_version(api: Api):
    customer = api.customer(api.user("csm"))
    api.ok("PATCH", f"/customers/{customer}", {"region": "A"})
    stale = api.request("PATCH", f"/customers/{customer}", {**keyed("k-412"), "If-Match": "1"},
                        json={"region": "B"})
    assert stale.status_code == 412
    head = api.head()
    retry = api.request("PATCH", f"/customers/{customer}", {**keyed("k-412"), "If-Match": "2"},
                        json={"region": "B"})
    assert retry.status_code == 200 and retry.json()["version"] == 3
    assert api.head() == head + 1


def test_request_validation_errors_do_not_consume_the_key(api: Api):
    csm = api.user("csm")
    bad = api.post("/customers", {"name": "Acme"}, headers=keyed("k-422"))
    assert bad.status_code == 422
    good = api.post("/customers", customer_body(csm), headers=keyed("k-422"))
    assert good.status_code == 201


def test_issued_tokens_are_never_stored_for_replay(api: Api, api_settings: Settings):
    first = api.post("/users", {"name": "Chen", "role": "csm"}, headers=keyed("k-user"))
    again = api.post("/users", {"name": "Chen", "role": "csm"}, headers=keyed("k-user"))
    assert first.json()["token"] and again.json()["token"] is None
    assert {k: v for k, v in again.json().items() if k != "token"} == \
        {k: v for k, v in first.json().items() if k != "token"}
    engine = make_engine(api_settings)
    with engine.connect() as conn:
        bodies = [row.body for row in conn.execute(select(api_idempotency))]
    engine.dispose()
    assert not any(first.json()["token"] in (b or "") for b in bodies)


def test_concurrent_requests_with_one_key_run_once(api: Api):
    csm = api.user("csm")
    head = api.head()
    results: list[Any] = []

    def send() -> None:
        results.append(api.post("/customers", customer_body(csm), headers=keyed("k-race")))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert api.head() == head + 1
    created = [r for r in results if r.status_code == 201]
    busy = [r for r in results if r.status_code == 409]
    assert created and len(created) + len(busy) == 8
    assert len({r.json()["id"] for r in created}) == 1
    for r in busy:
        assert r.json()["type"].endswith("/idempotency-in-progress")
        assert r.headers["retry-after"] == "1"


def test_a_failed_request_releases_its_key(api_settings: Settings):
    app = create_app(api_settings, run_projectors=False)
    calls = []

    def flaky(w: Create) -> Any:
        def command() -> Any:
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("transient")
            return w.app.create_user(actor=w.actor, name="X", role="analyst")[0]
        return w.run(Action.CREATE_USERS, command, WriteResult.of, status=201)

    app.add_api_route("/api/v1/test-only/flaky", flaky, methods=["POST"])
    with TestClient(app, raise_server_exceptions=False) as client:
        first = client.post("/api/v1/test-only/flaky", headers=keyed("k-500"), json={})
        assert first.status_code == 500
        second = client.post("/api/v1/test-only/flaky", headers=keyed("k-500"), json={})
        assert second.status_code == 201 and len(calls) == 2


# --- the store's expiry rules, directly ------------------------------------------------
def test_expired_keys_and_stale_claims_can_be_reused(api_settings: Settings):
    api_settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = IdempotencyStore(make_engine(api_settings), ttl=timedelta(0), lease=timedelta(0))
    store.create_table()
    try:
        claim = store.begin("u", "k", "fp1")
        assert not isinstance(claim, StoredResponse)
        # A claim older than the lease (a crashed request) is taken over...
        second = store.begin("u", "k", "fp1")
        assert not isinstance(second, StoredResponse) and second.token != claim.token
        # ...and the first request can no longer complete it.
        store.complete(claim, StoredResponse(201, {"id": "old"}, {}))
        store.complete(second, StoredResponse(201, {"id": "new"}, {}))
        # A completed key past its TTL is forgotten, even for another body.
        third = store.begin("u", "k", "fp-other")
        assert not isinstance(third, StoredResponse)
    finally:
        store.close()


def test_fresh_keys_replay_within_ttl(api_settings: Settings):
    api_settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = IdempotencyStore(make_engine(api_settings))
    store.create_table()
    try:
        claim = store.begin("u", str(uuid4()), "fp")
        assert not isinstance(claim, StoredResponse)
        store.complete(claim, StoredResponse(200, {"id": 1}, {"ETag": '"1"'}))
        assert store.begin("u", claim.key, "fp") == StoredResponse(200, {"id": 1}, {"ETag": '"1"'})
    finally:
        store.close()
