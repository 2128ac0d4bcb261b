"""X-Request-ID on every answer, one JSON log line per request (both stores)."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi import HTTPException

from api.app import create_app
from api.ops.logs import JsonFormatter
from cs_store.settings import Settings
from tests.api.conftest import ADMIN, Api, TestClient


@pytest.fixture
def client(api_settings: Settings):
    app = create_app(api_settings, run_projectors=False)

    @app.get("/test-boom", include_in_schema=False)
    def boom() -> None:
        raise RuntimeError("boom")

    @app.post("/test-too-large", include_in_schema=False)
    def too_large() -> None:
        raise HTTPException(413, "too large")

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_every_answer_carries_a_request_id(client: TestClient):
    answers = {
        "ok": client.get("/api/v1/users/me", headers=ADMIN),
        "401": client.get("/api/v1/users/me"),
        "404": client.get("/no/such/path"),
        "413": client.post("/test-too-large"),
        "422": client.post("/api/v1/users", headers=ADMIN, json={"name": "x", "role": "boss"}),
        "500": client.get("/test-boom"),
        "health": client.get("/healthz"),
    }
    assert [a.status_code for a in answers.values()] == [200, 401, 404, 413, 422, 500, 200]
    ids = [a.headers.get("X-Request-ID") for a in answers.values()]
    assert all(ids) and len(set(ids)) == len(ids)


@pytest.mark.parametrize("sent,kept", [
    ("abc-123.def:456_x", True),
    ("a" * 128, True),
    ("a" * 129, False),
    ("bad id with spaces", False),
    ("<script>", False),
    ("", False),
])
def test_an_incoming_request_id_is_kept_only_when_sane(client: TestClient, sent: str, kept: bool):
    r = client.get("/healthz", headers={"X-Request-ID": sent})
    answered = r.headers["X-Request-ID"]
    assert (answered == sent) is kept
    assert 1 <= len(answered) <= 128


def test_one_json_log_line_per_request(client: TestClient, caplog: pytest.LogCaptureFixture):
    with caplog.at_level(logging.INFO, logger="cs_ledger.requests"):
        client.get("/api/v1/users/me", headers={**ADMIN, "X-Request-ID": "trace-1"})
        client.get("/test-boom")
    records = [r for r in caplog.records if r.name == "cs_ledger.requests"]
    assert len(records) == 2
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["request_id"] == "trace-1" and line["status"] == 200
    assert line["route"] == "/api/v1/users/me" and line["method"] == "GET"
    assert line["level"] == "info" and line["duration_ms"] >= 0
    failed = json.loads(JsonFormatter().format(records[1]))
    assert failed["status"] == 500 and failed["level"] == "error"


def test_the_request_id_is_available_to_handlers(api: Api):
    r = api.client.get("/api/v1/users/me", headers={**ADMIN, "X-Request-ID": "abc"})
    assert r.headers["X-Request-ID"] == "abc"
